package eval

import (
	"go/ast"
	"go/token"
	"reflect"
)

// loopVars gives each iteration its own copy of the loop variables, as Go
// 1.22 does, when the body has a closure that could see the difference:
// the loop runs on hidden variables and the body starts by copying them
// into variables of the original names. A three-clause loop whose body
// assigns a loop variable keeps one shared variable: the copy would hide
// the assignment from the loop.
func (r *rewriter) loopVars(loop ast.Stmt) {
	var idents []*ast.Ident // the loop's own uses of its variables
	var body *ast.BlockStmt
	switch l := loop.(type) {
	case *ast.RangeStmt:
		if l.Tok != token.DEFINE || !hasClosure(l.Body) {
			return
		}
		for _, x := range []ast.Expr{l.Key, l.Value} {
			if id, ok := x.(*ast.Ident); ok && id.Name != "_" {
				idents = append(idents, id)
			}
		}
		body = l.Body
	case *ast.ForStmt:
		as, ok := l.Init.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || !hasClosure(l.Body) {
			return
		}
		names := map[string]bool{}
		for _, x := range as.Lhs {
			if id, ok := x.(*ast.Ident); ok && id.Name != "_" {
				idents = append(idents, id)
				names[id.Name] = true
			}
		}
		if assigns(l.Body, names) {
			return
		}
		for _, n := range []ast.Node{l.Cond, l.Post} {
			if n == nil {
				continue
			}
			ast.Inspect(n, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && names[id.Name] {
					idents = append(idents, id)
				}
				return true
			})
		}
		body = l.Body
	}
	if len(idents) == 0 {
		return
	}
	hidden := map[string]string{}
	cp := &ast.AssignStmt{Tok: token.DEFINE}
	for _, id := range idents {
		h, ok := hidden[id.Name]
		if !ok {
			h = r.tempName("loop")
			hidden[id.Name] = h
			cp.Lhs = append(cp.Lhs, ast.NewIdent(id.Name))
			cp.Rhs = append(cp.Rhs, ast.NewIdent(h))
		}
		id.Name = h
	}
	body.List = append([]ast.Stmt{cp}, body.List...)
}

// hasClosure reports whether n makes a closure or takes an address, the
// two ways a loop body can keep a loop variable beyond its iteration.
func hasClosure(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			found = true
		case *ast.UnaryExpr:
			found = found || n.Op == token.AND
		}
		return !found
	})
	return found
}

// assigns reports whether n assigns to one of names.
func assigns(n ast.Node, set map[string]bool) bool {
	is := func(x ast.Expr) bool {
		id, ok := x.(*ast.Ident)
		return ok && set[id.Name]
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, x := range n.Lhs {
					found = found || is(x)
				}
			}
		case *ast.IncDecStmt:
			found = found || is(n.X)
		}
		return !found
	})
	return found
}

type rangeKind int

const (
	rangeNative rangeKind = iota // slices, maps, strings, channels: yaegi's own
	rangeInt
	rangeFunc
)

var intTypes = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"byte": true, "rune": true,
}

// rangeKind tells, as far as the syntax and the interpreter's state show,
// what a range statement ranges over, and for functions how many values
// they yield.
func (r *rewriter) rangeKind(rs *ast.RangeStmt) (rangeKind, int) {
	if r.isInt(rs.X, 0) {
		return rangeInt, 0
	}
	if n, ok := r.seqArity(rs.X, 0); ok {
		if n == 0 {
			n = 1
			if rs.Value != nil {
				n = 2
			}
		}
		return rangeFunc, n
	}
	if call, ok := rs.X.(*ast.CallExpr); ok {
		if sel, ok := callee(call).(*ast.SelectorExpr); ok && !r.isPackage(sel.X) {
			r.methodRanges = true
			switch r.methodRange {
			case rangeInt:
				return rangeInt, 0
			case rangeFunc:
				if rs.Value != nil {
					return rangeFunc, 2
				}
				return rangeFunc, 1
			}
		}
	}
	return rangeNative, 0
}

// isPackage reports whether x names a package rather than a value.
func (r *rewriter) isPackage(x ast.Expr) bool {
	id, ok := x.(*ast.Ident)
	if !ok || id.Obj != nil {
		return false
	}
	if _, isVar := r.globals()[id.Name]; isVar {
		return false
	}
	_, ok = r.e.packagePath(id.Name)
	return ok
}

// isInt reports whether x is known to be an integer.
func (r *rewriter) isInt(x ast.Expr, depth int) bool {
	if depth > 8 {
		return false
	}
	switch x := x.(type) {
	case *ast.BasicLit:
		return x.Kind == token.INT || x.Kind == token.CHAR
	case *ast.ParenExpr:
		return r.isInt(x.X, depth+1)
	case *ast.UnaryExpr:
		return r.isInt(x.X, depth+1)
	case *ast.BinaryExpr:
		switch x.Op {
		case token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.SHL, token.SHR, token.AND, token.OR, token.XOR, token.AND_NOT:
			return r.isInt(x.X, depth+1) || r.isInt(x.Y, depth+1)
		}
	case *ast.CallExpr:
		return r.callIsInt(x)
	case *ast.Ident:
		return r.identIsInt(x, depth)
	case *ast.SelectorExpr, *ast.IndexExpr: // cfg.Epochs, sizes[0]
		t, ok := r.exprType(x, depth+1).(*ast.Ident)
		return ok && intTypes[t.Name]
	}
	return false
}

func (r *rewriter) callIsInt(x *ast.CallExpr) bool {
	switch f := callee(x).(type) {
	case *ast.Ident:
		if f.Name == "len" || f.Name == "cap" || intTypes[f.Name] {
			return true
		}
		if fd := r.funcDecl(f.Name); fd != nil {
			return resultIsInt(fd)
		}
	case *ast.SelectorExpr:
		if pkg, ok := f.X.(*ast.Ident); ok && pkg.Obj == nil && r.isPackage(pkg) {
			if sym, ok := r.e.symbol(pkg.Name, f.Sel.Name); ok && sym.Kind() == reflect.Func {
				t := sym.Type()
				return t.NumOut() == 1 && isIntKind(t.Out(0).Kind())
			}
			return false
		}
		switch t, fd := r.method(f, 0); {
		case t != nil:
			return t.NumOut() == 1 && isIntKind(t.Out(0).Kind())
		case fd != nil:
			return resultIsInt(fd)
		}
	}
	return false
}

func (r *rewriter) identIsInt(x *ast.Ident, depth int) bool {
	if x.Obj == nil {
		if v, ok := r.globals()[x.Name]; ok && v.IsValid() {
			return isIntKind(v.Kind())
		}
		return false
	}
	switch d := x.Obj.Decl.(type) {
	case *ast.AssignStmt:
		for i, l := range d.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name == x.Name && len(d.Rhs) == len(d.Lhs) {
				return r.isInt(d.Rhs[i], depth+1)
			}
		}
	case *ast.ValueSpec:
		if t, ok := d.Type.(*ast.Ident); ok {
			return intTypes[t.Name]
		}
		for i, n := range d.Names {
			if n.Name == x.Name && i < len(d.Values) {
				return r.isInt(d.Values[i], depth+1)
			}
		}
	case *ast.Field:
		t, ok := d.Type.(*ast.Ident)
		return ok && intTypes[t.Name]
	}
	return false
}

func isIntKind(k reflect.Kind) bool {
	return k >= reflect.Int && k <= reflect.Uintptr
}

// resultIsInt reports whether fd returns one integer.
func resultIsInt(fd *ast.FuncDecl) bool {
	if fd.Type.Results == nil || len(fd.Type.Results.List) != 1 {
		return false
	}
	t, ok := fd.Type.Results.List[0].Type.(*ast.Ident)
	return ok && intTypes[t.Name]
}

// preludeSeqs are the functions of the prelude that return iterators, with
// the number of values they yield.
var preludeSeqs = map[string]int{
	"slices.Values": 1, "slices.All": 2, "slices.Backward": 2, "slices.Chunk": 1,
	"maps.Keys": 1, "maps.Values": 1, "maps.All": 2,
}

// seqArity reports whether x is known to be an iterator function, and the
// number of values it yields, 0 when unknown.
func (r *rewriter) seqArity(x ast.Expr, depth int) (int, bool) {
	if depth > 8 {
		return 0, false
	}
	switch x := x.(type) {
	case *ast.ParenExpr:
		return r.seqArity(x.X, depth+1)
	case *ast.FuncLit:
		return yieldArity(x.Type), true
	case *ast.Ident:
		if x.Obj == nil {
			if v, ok := r.globals()[x.Name]; ok {
				if v.IsValid() && v.Kind() == reflect.Func {
					return reflectArity(v.Type()), true
				}
				return 0, false
			}
			// A function declared by an earlier cell is an iterator
			// when it is ranged over; Go accepts no other function.
			if fd := r.funcDecl(x.Name); fd != nil {
				return yieldArity(fd.Type), true
			}
			return 0, false
		}
		switch d := x.Obj.Decl.(type) {
		case *ast.FuncDecl:
			return yieldArity(d.Type), true
		case *ast.AssignStmt:
			if len(d.Lhs) != len(d.Rhs) {
				break
			}
			for i, l := range d.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == x.Name {
					return r.seqArity(d.Rhs[i], depth+1)
				}
			}
		case *ast.ValueSpec:
			if d.Type != nil {
				return seqTypeArity(d.Type)
			}
			for i, n := range d.Names {
				if n.Name == x.Name && i < len(d.Values) {
					return r.seqArity(d.Values[i], depth+1)
				}
			}
		}
	case *ast.CallExpr:
		switch f := callee(x).(type) {
		case *ast.SelectorExpr:
			pkg, ok := f.X.(*ast.Ident)
			if !ok || pkg.Obj != nil || !r.isPackage(pkg) {
				switch t, fd := r.method(f, depth); {
				case t != nil:
					if t.NumOut() == 1 && t.Out(0).Kind() == reflect.Func {
						return reflectArity(t.Out(0)), true
					}
				case fd != nil:
					return seqResult(fd)
				}
				return 0, false
			}
			if n, ok := preludeSeqs[pkg.Name+"."+f.Sel.Name]; ok {
				return n, true
			}
			if sym, ok := r.e.symbol(pkg.Name, f.Sel.Name); ok && sym.Kind() == reflect.Func {
				if t := sym.Type(); t.NumOut() == 1 && t.Out(0).Kind() == reflect.Func {
					return reflectArity(t.Out(0)), true
				}
			}
		case *ast.Ident:
			if fd := r.funcDecl(f.Name); fd != nil {
				return seqResult(fd)
			}
		}
	case *ast.IndexExpr, *ast.SelectorExpr: // fs[0], s.seq
		return seqTypeArity(r.exprType(x, depth+1))
	}
	return 0, false
}

// yieldArity is the number of values a function of type t, of the form
// func(yield func(...) bool), yields, or 0.
func yieldArity(t *ast.FuncType) int {
	if t.Params == nil || len(t.Params.List) != 1 {
		return 0
	}
	if y, ok := t.Params.List[0].Type.(*ast.FuncType); ok && y.Params != nil {
		return y.Params.NumFields()
	}
	return 0
}

func reflectArity(t reflect.Type) int {
	if t.NumIn() == 1 && t.In(0).Kind() == reflect.Func {
		return t.In(0).NumIn()
	}
	return 0
}

// seqResult reports whether fd returns an iterator, and how many values it
// yields.
func seqResult(fd *ast.FuncDecl) (int, bool) {
	if fd.Type.Results == nil || len(fd.Type.Results.List) != 1 {
		return 0, false
	}
	return seqTypeArity(fd.Type.Results.List[0].Type)
}

// seqTypeArity reports whether t is the type of an iterator, and how many
// values it yields.
func seqTypeArity(t ast.Expr) (int, bool) {
	switch t := t.(type) {
	case *ast.FuncType:
		return yieldArity(t), true
	case *ast.IndexExpr: // iter.Seq[V]
		return 1, isSeqName(t.X, "Seq")
	case *ast.IndexListExpr: // iter.Seq2[K, V]
		return 2, isSeqName(t.X, "Seq2")
	}
	return 0, false
}

// seqFuncType returns the function type that t, iter.Seq[V] or
// iter.Seq2[K, V], names, or nil for other types.
func seqFuncType(t ast.Expr) ast.Expr {
	var params []ast.Expr
	switch t := t.(type) {
	case *ast.IndexExpr:
		if isSeqName(t.X, "Seq") {
			params = []ast.Expr{t.Index}
		}
	case *ast.IndexListExpr:
		if isSeqName(t.X, "Seq2") {
			params = t.Indices
		}
	}
	if params == nil {
		return nil
	}
	yield := &ast.FuncType{Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent("bool")}}}}
	for _, p := range params {
		yield.Params.List = append(yield.Params.List, &ast.Field{Type: p})
	}
	return &ast.FuncType{Params: &ast.FieldList{List: []*ast.Field{{Type: yield}}}}
}

func isSeqName(x ast.Expr, name string) bool {
	sel, ok := x.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == name
}

// rangeRewrite replaces a range over an integer or a function.
func (r *rewriter) rangeRewrite(rs *ast.RangeStmt, kind rangeKind, arity int, label *ast.Ident) ast.Stmt {
	if kind == rangeInt {
		return r.rangeInt(rs, label)
	}
	return r.rangeFunc(rs, arity, label)
}

// rangeFunc rewrites range over an iterator function into range over a
// channel fed by the prelude's __gorchIter, closing stop after the loop so
// that an early break ends the iterator.
func (r *rewriter) rangeFunc(rs *ast.RangeStmt, arity int, label *ast.Ident) ast.Stmt {
	id := func(x *ast.Ident) *ast.Ident { return ast.NewIdent(x.Name) }
	call := func(name string, args ...ast.Expr) ast.Expr {
		return &ast.CallExpr{Fun: ast.NewIdent(name), Args: args}
	}
	stop := r.temp("stop")
	x := rs.X
	if t := r.seqType(rs.X); t != nil {
		x = &ast.CallExpr{Fun: &ast.ParenExpr{X: t}, Args: []ast.Expr{x}}
	}
	switch rs.X.(type) {
	case *ast.SelectorExpr, *ast.IndexExpr:
		// yaegi cannot infer __gorchIter's type parameter from a field or
		// element of type iter.Seq: pass it as the function type.
		if t := seqFuncType(r.exprType(rs.X, 0)); t != nil {
			x = &ast.CallExpr{Fun: &ast.ParenExpr{X: t}, Args: []ast.Expr{x}}
		}
	}
	block := &ast.BlockStmt{}
	define := func(v *ast.Ident, e ast.Expr) {
		block.List = append(block.List, &ast.AssignStmt{Lhs: []ast.Expr{v}, Tok: token.DEFINE, Rhs: []ast.Expr{e}})
	}
	define(stop, call("make", &ast.ChanType{Dir: ast.SEND | ast.RECV, Value: ast.NewIdent("bool")}))
	var loop *ast.RangeStmt
	if arity < 2 {
		loop = &ast.RangeStmt{Key: rs.Key, Tok: rs.Tok, X: call("__gorchIter", x, id(stop)), Body: rs.Body}
		if rs.Key == nil {
			loop.Tok = token.ILLEGAL
		}
		r.loopVars(loop)
	} else {
		seq, keys, vals, k, v := r.temp("seq"), r.temp("keys"), r.temp("vals"), r.temp("k"), r.temp("v")
		define(seq, x)
		define(keys, call("__gorchKeys", id(seq)))
		define(vals, call("__gorchVals", id(seq)))
		block.List = append(block.List, &ast.ExprStmt{X: call("__gorchIter2", id(seq), id(keys), id(vals), id(stop))})
		// The value is received first, on its own: yaegi mixes up a
		// receive inside a multiple assignment.
		head := []ast.Stmt{&ast.AssignStmt{Lhs: []ast.Expr{v}, Tok: token.DEFINE, Rhs: []ast.Expr{&ast.UnaryExpr{Op: token.ARROW, X: id(vals)}}}}
		if named(rs.Key) || named(rs.Value) {
			lhs := []ast.Expr{blankIfNil(rs.Key), blankIfNil(rs.Value)}
			head = append(head, &ast.AssignStmt{Lhs: lhs, Tok: rs.Tok, Rhs: []ast.Expr{id(k), id(v)}})
		}
		rs.Body.List = append(head, rs.Body.List...)
		loop = &ast.RangeStmt{Key: k, Tok: token.DEFINE, X: id(keys), Body: rs.Body}
	}
	var stmt ast.Stmt = loop
	if label != nil {
		stmt = &ast.LabeledStmt{Label: label, Stmt: loop}
	}
	block.List = append(block.List, stmt, &ast.ExprStmt{X: call("close", id(stop))})
	return block
}
