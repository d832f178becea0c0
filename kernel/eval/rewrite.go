package eval

import (
	"go/ast"
	"go/constant"
	"go/token"
	"reflect"
	"strconv"

	"golang.org/x/tools/go/ast/astutil"
)

// mainName replaces main in cells: yaegi runs a main function after every
// file it compiles, while a notebook runs main only when a cell calls it.
const mainName = "main_"

// rewriter turns a parsed cell into code yaegi runs as Go 1.22+ would.
type rewriter struct {
	e        *Evaluator
	declared map[string]bool // names the cell declares at top level
	temps    int
}

func (r *rewriter) temp(kind string) *ast.Ident {
	r.temps++
	return ast.NewIdent("__gorch_" + kind + strconv.Itoa(r.temps))
}

func (r *rewriter) decl(d ast.Decl) { r.rewrite(d) }

func (r *rewriter) block(b *ast.BlockStmt) { r.rewrite(b) }

func (r *rewriter) rewrite(n ast.Node) {
	astutil.Apply(n, r.pre, r.post)
}

func (r *rewriter) pre(c *astutil.Cursor) bool {
	switch n := c.Node().(type) {
	case *ast.Ident:
		if n.Name == "main" {
			if sel, ok := c.Parent().(*ast.SelectorExpr); !ok || sel.X == n {
				n.Name = mainName
			}
		}
	case *ast.LabeledStmt:
		if rs, ok := n.Stmt.(*ast.RangeStmt); ok && r.rangeKind(rs.X) == rangeInt {
			r.rewrite(rs.Body)
			c.Replace(r.rangeInt(rs, n.Label))
			return false
		}
	}
	return true
}

func (r *rewriter) post(c *astutil.Cursor) bool {
	switch n := c.Node().(type) {
	case *ast.GoStmt:
		c.Replace(r.goStmt(n))
	case *ast.RangeStmt:
		if _, labeled := c.Parent().(*ast.LabeledStmt); !labeled && r.rangeKind(n.X) == rangeInt {
			c.Replace(r.rangeInt(n, nil))
			return true
		}
		r.loopVars(n)
	case *ast.ForStmt:
		r.loopVars(n)
	case *ast.CallExpr:
		if e := r.builtin(n); e != nil {
			c.Replace(e)
		}
	}
	return true
}

// goStmt makes a go statement recover the goroutine's panic and report it,
// instead of letting it end the kernel process. Arguments are still
// evaluated by the go statement itself.
func (r *rewriter) goStmt(g *ast.GoStmt) ast.Stmt {
	guard := &ast.DeferStmt{Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
			Fun:  &ast.SelectorExpr{X: ast.NewIdent(rtName), Sel: ast.NewIdent("GoPanic")},
			Args: []ast.Expr{&ast.CallExpr{Fun: ast.NewIdent("recover")}},
		}}}},
	}}}
	if lit, ok := g.Call.Fun.(*ast.FuncLit); ok {
		lit.Body.List = append([]ast.Stmt{guard}, lit.Body.List...)
		return g
	}
	var hoist *ast.AssignStmt
	args := make([]ast.Expr, len(g.Call.Args))
	for i, a := range g.Call.Args {
		if _, lit := a.(*ast.BasicLit); lit {
			args[i] = a
			continue
		}
		if hoist == nil {
			hoist = &ast.AssignStmt{Tok: token.DEFINE}
		}
		t := r.temp("arg")
		hoist.Lhs = append(hoist.Lhs, t)
		hoist.Rhs = append(hoist.Rhs, a)
		args[i] = t
	}
	call := &ast.CallExpr{Fun: g.Call.Fun, Args: args, Ellipsis: g.Call.Ellipsis}
	g2 := &ast.GoStmt{Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{guard, &ast.ExprStmt{X: call}}},
	}}}
	if hoist == nil {
		return g2
	}
	return &ast.BlockStmt{List: []ast.Stmt{hoist, g2}}
}

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
			h = r.temp("loop").Name
			hidden[id.Name] = h
			cp.Lhs = append(cp.Lhs, ast.NewIdent(id.Name))
			cp.Rhs = append(cp.Rhs, ast.NewIdent(h))
		}
		id.Name = h
	}
	body.List = append([]ast.Stmt{cp}, body.List...)
}

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
)

var intTypes = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"byte": true, "rune": true,
}

// rangeKind tells, as far as the syntax and the interpreter's state show,
// what a range statement ranges over.
func (r *rewriter) rangeKind(x ast.Expr) rangeKind {
	if r.isInt(x, 0) {
		return rangeInt
	}
	return rangeNative
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
	}
	return false
}

func (r *rewriter) callIsInt(x *ast.CallExpr) bool {
	switch f := x.Fun.(type) {
	case *ast.Ident:
		if f.Name == "len" || f.Name == "cap" || intTypes[f.Name] {
			return true
		}
		if d := r.e.decls.get("func " + f.Name); d != nil {
			return resultIsInt(d.text)
		}
	case *ast.SelectorExpr:
		pkg, ok := f.X.(*ast.Ident)
		if !ok {
			return false
		}
		if sym, ok := r.e.symbol(pkg.Name, f.Sel.Name); ok && sym.Kind() == reflect.Func {
			t := sym.Type()
			return t.NumOut() == 1 && isIntKind(t.Out(0).Kind())
		}
	}
	return false
}

func (r *rewriter) identIsInt(x *ast.Ident, depth int) bool {
	if x.Obj == nil {
		if v, ok := r.e.in.Globals()[x.Name]; ok && v.IsValid() {
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

// resultIsInt reports whether the function declared by src returns one
// integer.
func resultIsInt(src string) bool {
	f, err := parseDeclText(src)
	if err != nil {
		return false
	}
	fd, ok := f.(*ast.FuncDecl)
	if !ok || fd.Type.Results == nil || len(fd.Type.Results.List) != 1 {
		return false
	}
	t, ok := fd.Type.Results.List[0].Type.(*ast.Ident)
	return ok && intTypes[t.Name]
}

// rangeInt rewrites range over an integer n into a three-clause loop over
// a hidden counter of n's type, evaluating n once, with the loop variable a
// per-iteration copy.
func (r *rewriter) rangeInt(rs *ast.RangeStmt, label *ast.Ident) ast.Stmt {
	n, i := r.temp("n"), r.temp("i")
	body := rs.Body
	if key, ok := rs.Key.(*ast.Ident); ok && key.Name != "_" {
		tok := token.DEFINE
		if rs.Tok == token.ASSIGN {
			tok = token.ASSIGN
		}
		body.List = append([]ast.Stmt{&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(key.Name)}, Tok: tok, Rhs: []ast.Expr{i}}}, body.List...)
	} else if rs.Key != nil && rs.Tok == token.ASSIGN {
		body.List = append([]ast.Stmt{&ast.AssignStmt{Lhs: []ast.Expr{rs.Key}, Tok: token.ASSIGN, Rhs: []ast.Expr{i}}}, body.List...)
	}
	var loop ast.Stmt = &ast.ForStmt{
		Init: &ast.AssignStmt{Lhs: []ast.Expr{i}, Tok: token.DEFINE, Rhs: []ast.Expr{&ast.BinaryExpr{X: n, Op: token.SUB, Y: n}}},
		Cond: &ast.BinaryExpr{X: i, Op: token.LSS, Y: n},
		Post: &ast.IncDecStmt{X: i, Tok: token.INC},
		Body: body,
	}
	if label != nil {
		loop = &ast.LabeledStmt{Label: label, Stmt: loop}
	}
	return &ast.BlockStmt{List: []ast.Stmt{
		&ast.AssignStmt{Lhs: []ast.Expr{n}, Tok: token.DEFINE, Rhs: []ast.Expr{rs.X}},
		loop,
	}}
}

// builtin rewrites calls of the Go 1.21 built-ins min, max and clear, which
// yaegi lacks, unless the cell's code declares its own.
func (r *rewriter) builtin(call *ast.CallExpr) ast.Expr {
	id, ok := call.Fun.(*ast.Ident)
	if !ok || id.Obj != nil || r.declared[id.Name] || r.e.decls.has(id.Name) {
		return nil
	}
	switch id.Name {
	case "clear":
		call.Fun = &ast.SelectorExpr{X: ast.NewIdent(rtName), Sel: ast.NewIdent("Clear")}
		return call
	case "min", "max":
	default:
		return nil
	}
	if len(call.Args) == 0 {
		return nil
	}
	if lit := foldMinMax(id.Name, call.Args); lit != nil {
		return lit
	}
	// The generic helper infers its type from the first argument, so a
	// typed argument goes first; min and max do not depend on the order.
	args := append([]ast.Expr(nil), call.Args...)
	for i, a := range args {
		if constValue(a) == nil {
			args[0], args[i] = args[i], args[0]
			break
		}
	}
	name := "__gorchMin"
	if id.Name == "max" {
		name = "__gorchMax"
	}
	return &ast.CallExpr{Fun: ast.NewIdent(name), Args: args}
}

// foldMinMax computes min or max of constant arguments at rewrite time,
// which also keeps the result an untyped constant as in Go.
func foldMinMax(name string, args []ast.Expr) ast.Expr {
	op := token.LSS
	if name == "max" {
		op = token.GTR
	}
	var best constant.Value
	var bestExpr ast.Expr
	strs, float := 0, false
	for _, a := range args {
		v := constValue(a)
		if v == nil {
			return nil
		}
		switch v.Kind() {
		case constant.String:
			strs++
		case constant.Float:
			float = true
		}
		if best == nil || (strs == 0 || strs == len(args)) && constant.Compare(v, op, best) {
			best, bestExpr = v, a
		}
	}
	if strs != 0 && strs != len(args) {
		return nil
	}
	if float && best.Kind() == constant.Int {
		// An untyped float constant stays one even when its value is whole.
		return &ast.BasicLit{Kind: token.FLOAT, Value: best.ExactString() + ".0"}
	}
	return bestExpr
}

// constValue returns the value of a constant expression made of literals,
// or nil.
func constValue(x ast.Expr) constant.Value {
	switch x := x.(type) {
	case *ast.BasicLit:
		v := constant.MakeFromLiteral(x.Value, x.Kind, 0)
		if v.Kind() == constant.Unknown {
			return nil
		}
		return v
	case *ast.ParenExpr:
		return constValue(x.X)
	case *ast.UnaryExpr:
		v := constValue(x.X)
		if v == nil || (x.Op != token.SUB && x.Op != token.ADD) {
			return nil
		}
		return constant.UnaryOp(x.Op, v, 0)
	}
	return nil
}
