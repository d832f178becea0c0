package eval

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// mainName replaces main in cells: yaegi runs a main function after every
// file it compiles, while a notebook runs main only when a cell calls it.
const mainName = "main_"

// rewriter turns a parsed cell into code yaegi runs as Go 1.22+ would.
type rewriter struct {
	e        *Evaluator
	declared map[string]bool          // names the cell declares at top level
	funcs    map[string]*ast.FuncDecl // functions the cell declares
	methods  map[string]*ast.FuncDecl // methods the cell declares, by "T.M"
	parsed   map[string]ast.Decl      // see earlierDecl
	types    map[string]*ast.TypeSpec // types the cell declares
	temps    int
	stack    []ast.Node // see Visit
	// qualifiers are the x of the cell's selectors x.y where x is not
	// declared in the cell's code: package names, or globals of earlier
	// cells. Rewrites that drop a package rename its identifier.
	qualifiers []*ast.Ident
	vars       map[string]reflect.Value // the interpreter's globals, read once
	// methodRange is what a range over a method call's result is taken to
	// range over, whose type the rewriter cannot see; methodRanges records
	// that the cell has such a range.
	methodRange  rangeKind
	methodRanges bool
}

// globals returns the interpreter's global variables, read once per cell.
func (r *rewriter) globals() map[string]reflect.Value {
	if r.vars == nil {
		r.vars = r.e.globals()
	}
	return r.vars
}

// earlierDecl returns the parsed declaration that an earlier cell made
// under key ("func F", "type T", "method T.M"), or nil. Each is parsed
// once per cell: the rewriter asks for the same ones at every call.
func (r *rewriter) earlierDecl(key string) ast.Decl {
	if d, ok := r.parsed[key]; ok {
		return d
	}
	var parsed ast.Decl
	if d := r.e.decls.get(key); d != nil {
		parsed, _ = parseDeclText(d.text)
	}
	if r.parsed == nil {
		r.parsed = map[string]ast.Decl{}
	}
	r.parsed[key] = parsed
	return parsed
}

// funcDecl returns the declaration of the function name, declared by this
// cell or an earlier one.
func (r *rewriter) funcDecl(name string) *ast.FuncDecl {
	if fd, ok := r.funcs[name]; ok {
		return fd
	}
	fd, _ := r.earlierDecl("func " + name).(*ast.FuncDecl)
	return fd
}

// isCellType reports whether name is a type declared by the cell or an
// earlier one.
func (r *rewriter) isCellType(name string) bool {
	return r.types[name] != nil || r.e.decls.get("type "+name) != nil
}

// typeSpec returns the declaration of the cell type name, declared by the
// cell or an earlier one, or nil.
func (r *rewriter) typeSpec(name string) *ast.TypeSpec {
	if ts := r.types[name]; ts != nil {
		return ts
	}
	if gd, ok := r.earlierDecl("type " + name).(*ast.GenDecl); ok && len(gd.Specs) == 1 {
		ts, _ := gd.Specs[0].(*ast.TypeSpec)
		return ts
	}
	return nil
}

// methodDecl returns the declaration of method name of the cell type
// typeName, declared by the cell or an earlier one.
func (r *rewriter) methodDecl(typeName, name string) *ast.FuncDecl {
	if fd, ok := r.methods[typeName+"."+name]; ok {
		return fd
	}
	fd, _ := r.earlierDecl("method " + typeName + "." + name).(*ast.FuncDecl)
	return fd
}

// temp returns a new hidden variable.
func (r *rewriter) temp(kind string) *ast.Ident { return ast.NewIdent(r.tempName(kind)) }

// tempName returns the name of a new hidden variable.
func (r *rewriter) tempName(kind string) string {
	r.temps++
	return "__gorch_" + kind + strconv.Itoa(r.temps)
}

func (r *rewriter) decl(d ast.Decl) { r.rewrite(d) }

// enclosing reports whether the node being rewritten is inside a
// function, rather than among the cell's own statements, and whether it is
// inside a loop, a switch or a select, whose break and continue statements
// a closure around it would cut off.
func (r *rewriter) enclosing() (inFunc, inLoop bool) {
	for _, n := range r.stack {
		switch n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			inFunc = true
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			inLoop = true
		}
	}
	return inFunc, inLoop
}

func (r *rewriter) block(b *ast.BlockStmt) { r.rewrite(b) }

// rewrite rewrites n in place, children before parents, so that a loop
// is rewritten after its body.
func (r *rewriter) rewrite(n ast.Node) { ast.Walk(r, n) }

// Visit is rewrite's step: ast.Walk calls it with each node, then, unless
// it returns nil, with the node's children and with nil when they are
// done. stack holds the nodes whose children are being walked; one stack
// serves every declaration of the cell.
func (r *rewriter) Visit(n ast.Node) ast.Visitor {
	if n == nil {
		top := r.stack[len(r.stack)-1]
		r.stack = r.stack[:len(r.stack)-1]
		var parent ast.Node
		if len(r.stack) > 0 {
			parent = r.stack[len(r.stack)-1]
		}
		r.post(top, parent)
		return nil
	}
	switch n := n.(type) {
	case *ast.Ident:
		// x.main is a field or method, not the program's main.
		if n.Name == "main" && !isSel(r.stack, n) {
			n.Name = mainName
		}
		return nil
	case *ast.SelectorExpr:
		if id, ok := n.X.(*ast.Ident); ok && id.Obj == nil {
			r.qualifiers = append(r.qualifiers, id)
		}
	}
	r.stack = append(r.stack, n)
	return r
}

// isSel reports whether id is the selector of the node on top of stack.
func isSel(stack []ast.Node, id *ast.Ident) bool {
	if len(stack) == 0 {
		return false
	}
	sel, ok := stack[len(stack)-1].(*ast.SelectorExpr)
	return ok && sel.Sel == id
}

// post rewrites n, whose children are done; parent is the node holding it.
func (r *rewriter) post(n, parent ast.Node) {
	switch n := n.(type) {
	case *ast.BlockStmt:
		n.List = r.stmts(n.List)
	case *ast.CaseClause:
		n.Body = r.stmts(n.Body)
	case *ast.CommClause:
		n.Body = r.stmts(n.Body)
	case *ast.CallExpr:
		if e := r.builtin(n); e != nil {
			if e != ast.Expr(n) {
				replaceExpr(parent, n, e)
			}
			return
		}
		r.convertSeqArgs(n)
		r.redirect(n)
		r.instantiate(n)
	}
}

// stmts rewrites the statements of a list: go and defer statements, and
// loops over integers and functions or with closures.
func (r *rewriter) stmts(list []ast.Stmt) []ast.Stmt {
	for i, s := range list {
		var label *ast.Ident
		if l, ok := s.(*ast.LabeledStmt); ok {
			label, s = l.Label, l.Stmt
		}
		switch n := s.(type) {
		case *ast.GoStmt:
			list[i] = r.goStmt(n)
		case *ast.DeferStmt:
			inFunc, _ := r.enclosing()
			list[i] = r.deferStmt(n, inFunc)
		case *ast.RangeStmt:
			if kind, arity := r.rangeKind(n); kind != rangeNative {
				list[i] = r.rangeRewrite(n, kind, arity, label)
				continue
			}
			r.loopVars(n)
		case *ast.ForStmt:
			r.loopVars(n)
		case *ast.TypeSwitchStmt:
			if _, binds := n.Assign.(*ast.AssignStmt); binds {
				if inFunc, inLoop := r.enclosing(); !inFunc && !inLoop {
					list[i] = inClosure(list[i])
				}
			}
		}
	}
	return list
}

// inClosure returns s run by a function literal called at once. yaegi's
// compiler fails on a type switch that binds a variable (switch v :=
// x.(type)) among a cell's own statements, and compiles it in a function;
// a type switch cannot return, and what it assigns outside it the closure
// assigns too.
func inClosure(s ast.Stmt) ast.Stmt {
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{s}},
	}}}
}

// replaceExpr replaces the child old of parent by e, for the rare rewrites
// that change an expression's kind.
func replaceExpr(parent ast.Node, old, e ast.Expr) {
	if parent == nil {
		return
	}
	v := reflect.ValueOf(parent).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.Interface && f.CanSet() && !f.IsNil() && f.Interface() == ast.Node(old):
			f.Set(reflect.ValueOf(e))
			return
		case f.Type() == reflect.TypeFor[[]ast.Expr]():
			for j := 0; j < f.Len(); j++ {
				if f.Index(j).Interface() == ast.Expr(old) {
					f.Index(j).Set(reflect.ValueOf(e))
					return
				}
			}
		}
	}
}

// redirect sends calls of overridden compiled functions to their
// replacements.
func (r *rewriter) redirect(call *ast.CallExpr) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok || pkg.Obj != nil || r.declared[pkg.Name] {
		return
	}
	if to, ok := overridden[pkg.Name+"."+sel.Sel.Name]; ok {
		pkg.Name = rtName
		call.Fun = &ast.SelectorExpr{X: pkg, Sel: &ast.Ident{NamePos: sel.Sel.NamePos, Name: to}}
		if to == "Fprintf" {
			r.nameTypes(call, 1)
		} else if to != "ErrorsAs" {
			r.nameTypes(call, 0)
		}
	}
}

// nameTypes passes the arguments of cell-declared types to a printing
// function whose format asks for %T or %#v through rtName.Typed, with
// their types' names: yaegi gives compiled code a value of a named
// non-struct type as its underlying type, and a struct with methods in a
// wrapper that keeps only a field. The value also goes through rtName.Raw,
// which receives it unwrapped, so only side-effect-free arguments are
// passed twice; format is the index of the format argument.
func (r *rewriter) nameTypes(call *ast.CallExpr, format int) {
	if len(call.Args) <= format {
		return
	}
	lit, ok := call.Args[format].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING || !strings.Contains(lit.Value, "%T") && !strings.Contains(lit.Value, "%#v") {
		return
	}
	rt := func(name string, args ...ast.Expr) ast.Expr {
		return &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent(rtName), Sel: ast.NewIdent(name)}, Args: args}
	}
	for i, a := range call.Args[format+1:] {
		if !r.pure(a) {
			continue
		}
		if name := r.cellTypeName(r.exprType(a, 0)); name != "" {
			call.Args[format+1+i] = rt("Typed", &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(name)}, a, rt("Raw", a))
		}
	}
}

// cellTypeName returns the type t as go run prints it, when it mentions a
// cell-declared type, or "".
func (r *rewriter) cellTypeName(t ast.Expr) string {
	if t == nil {
		return ""
	}
	t = freshExpr(types.ExprString(t))
	found := false
	ast.Inspect(t, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			return false // a package's type
		case *ast.Ident:
			if r.types[n.Name] != nil || !r.declared[n.Name] && r.e.decls.get("type "+n.Name) != nil {
				n.Name, found = "main."+n.Name, true
			}
		}
		return true
	})
	if !found {
		return ""
	}
	return types.ExprString(t)
}

// pure reports whether evaluating x has no side effects: it reads
// variables, makes literals and converts, and calls nothing.
func (r *rewriter) pure(x ast.Expr) bool {
	ok := true
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			ok = ok && r.isType(n.Fun)
		case *ast.UnaryExpr:
			ok = ok && n.Op != token.ARROW
		case *ast.FuncLit:
			return false
		}
		return ok
	})
	return ok
}

// convertSeqArgs converts iterators of compiled packages, such as
// strings.Lines(s), to plain function types when they are passed to
// interpreted generic functions, which cannot infer from named types, and
// slices and maps to their types as written (see unnamedComposite).
func (r *rewriter) convertSeqArgs(call *ast.CallExpr) {
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
		if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Obj != nil || (pkg.Name != "slices" && pkg.Name != "maps") {
			return
		}
	} else if _, ok := call.Fun.(*ast.Ident); !ok {
		return
	}
	generic := r.isGenericCall(call)
	for i, a := range call.Args {
		t := r.seqType(a)
		if t == nil && generic && !r.interpretedType(a) {
			t = unnamedComposite(r.exprType(a, 0))
			if t != nil {
				r.addQualifiers(t)
			}
		}
		if t != nil {
			call.Args[i] = &ast.CallExpr{Fun: &ast.ParenExpr{X: t}, Args: []ast.Expr{a}}
		}
	}
}

// interpretedType reports whether a's value certainly has its type as
// written: a's syntax spells it out (a composite literal, a conversion),
// or a is a call of a cell's function, a built-in or a generic.
func (r *rewriter) interpretedType(a ast.Expr) bool {
	if r.argType(a) != nil {
		return true
	}
	call, ok := unparen(a).(*ast.CallExpr)
	if !ok {
		return false
	}
	_, named := call.Fun.(*ast.Ident)
	return named || r.isGenericCall(call)
}

// isGenericCall reports whether call calls an interpreted generic function:
// a cell's, or one of the prelude's.
func (r *rewriter) isGenericCall(call *ast.CallExpr) bool {
	fd, _ := r.genericFunc(call.Fun)
	return fd != nil
}

// unnamedComposite returns t when it is a slice or map type written out,
// such as []string: a variable of such a type that a compiled function
// returned has, in yaegi, a type that its generics cannot instantiate with
// (slices.Sort(strings.Fields(s)) works, but not when the result was
// first put in a variable), while the same value converted to the type as
// written instantiates them. The conversion copies nothing.
func unnamedComposite(t ast.Expr) ast.Expr {
	switch t := t.(type) {
	case *ast.ArrayType:
		if t.Len == nil {
			return t
		}
	case *ast.MapType:
		return t
	}
	return nil
}

// seqType returns, for an iterator of a compiled package, its unnamed
// function type: yaegi's generics cannot infer type parameters from a
// compiled named type such as iter.Seq[string].
func (r *rewriter) seqType(x ast.Expr) ast.Expr {
	call, ok := x.(*ast.CallExpr)
	if !ok {
		return nil
	}
	f, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	pkg, ok := f.X.(*ast.Ident)
	if !ok || pkg.Obj != nil {
		return nil
	}
	sym, ok := r.e.symbol(pkg.Name, f.Sel.Name)
	if !ok || sym.Kind() != reflect.Func || sym.Type().NumOut() != 1 || sym.Type().Out(0).Name() == "" {
		return nil
	}
	t := sym.Type().Out(0)
	if t.Kind() != reflect.Func || t.NumIn() != 1 || t.In(0).Kind() != reflect.Func {
		return nil
	}
	yield := t.In(0)
	in := make([]string, yield.NumIn())
	for i := range in {
		in[i] = yield.In(i).String()
	}
	e, err := parser.ParseExpr("func(func(" + strings.Join(in, ", ") + ") bool)")
	if err != nil {
		return nil
	}
	return e
}

func named(x ast.Expr) bool {
	id, ok := x.(*ast.Ident)
	return x != nil && (!ok || id.Name != "_")
}

func blankIfNil(x ast.Expr) ast.Expr {
	if x == nil {
		return ast.NewIdent("_")
	}
	return x
}

// rangeInt rewrites range over an integer n into a three-clause loop over
// a hidden counter of n's type, evaluating n once, with the loop variable a
// per-iteration copy:
//
//	{ __n := n; for __i := __n - __n; __i < __n; __i++ { key := __i; ... } }
func (r *rewriter) rangeInt(rs *ast.RangeStmt, label *ast.Ident) ast.Stmt {
	n, i := r.tempName("n"), r.tempName("i")
	// The new nodes, allocated at once: one by one, they were most of a
	// cell's rewriting time.
	x := &struct {
		block              ast.BlockStmt
		list               [2]ast.Stmt
		setN, init, setKey ast.AssignStmt
		loop               ast.ForStmt
		labeled            ast.LabeledStmt
		sub, less          ast.BinaryExpr
		inc                ast.IncDecStmt
		n, i               [4]ast.Ident
		sides              [6]ast.Expr
	}{}
	for k := range x.n {
		x.n[k].Name, x.i[k].Name = n, i
	}
	x.sub = ast.BinaryExpr{X: &x.n[1], Op: token.SUB, Y: &x.n[2]}
	x.less = ast.BinaryExpr{X: &x.i[1], Op: token.LSS, Y: &x.n[3]}
	x.inc = ast.IncDecStmt{X: &x.i[2], Tok: token.INC}
	x.sides = [6]ast.Expr{&x.n[0], rs.X, &x.i[0], &x.sub, rs.Key, &x.i[3]}
	x.setN = ast.AssignStmt{Lhs: x.sides[0:1:1], Tok: token.DEFINE, Rhs: x.sides[1:2:2]}
	x.init = ast.AssignStmt{Lhs: x.sides[2:3:3], Tok: token.DEFINE, Rhs: x.sides[3:4:4]}
	x.loop = ast.ForStmt{Init: &x.init, Cond: &x.less, Post: &x.inc, Body: rs.Body}
	if rs.Key != nil && named(rs.Key) {
		tok := token.DEFINE
		if rs.Tok == token.ASSIGN {
			tok = token.ASSIGN
		}
		x.setKey = ast.AssignStmt{Lhs: x.sides[4:5:5], Tok: tok, Rhs: x.sides[5:6:6]}
		rs.Body.List = slices.Insert(rs.Body.List, 0, ast.Stmt(&x.setKey))
	}
	x.list = [2]ast.Stmt{&x.setN, &x.loop}
	if label != nil {
		x.labeled = ast.LabeledStmt{Label: label, Stmt: &x.loop}
		x.list[1] = &x.labeled
	}
	x.block.List = x.list[:]
	return &x.block
}

// builtin rewrites calls of the Go 1.21 built-ins min, max and clear, which
// yaegi lacks, unless the cell's code declares its own.
func (r *rewriter) builtin(call *ast.CallExpr) ast.Expr {
	id, ok := call.Fun.(*ast.Ident)
	// The names first: most calls are of other functions.
	if !ok || id.Name != "clear" && id.Name != "min" && id.Name != "max" ||
		id.Obj != nil || r.declared[id.Name] || r.e.decls.has(id.Name) {
		return nil
	}
	if id.Name == "clear" {
		call.Fun = &ast.SelectorExpr{X: ast.NewIdent(rtName), Sel: ast.NewIdent("Clear")}
		return call
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
		// Signs apply to numbers only: +"" is a compile error, which
		// the interpreter reports.
		switch v.Kind() {
		case constant.Int, constant.Float, constant.Complex:
			return constant.UnaryOp(x.Op, v, 0)
		}
		return nil
	}
	return nil
}
