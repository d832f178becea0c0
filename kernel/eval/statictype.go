package eval

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"strings"
	"sync"
)

// The rewriter's static types: what the syntax of a cell, its earlier
// declarations and the interpreter's globals tell of an expression's type,
// written as a type expression, for the few rewrites that must spell a type
// out. Each function returns nil when it cannot tell.

// preludeGenerics are the generic functions of the prelude's packages
// (slices, maps), by "pkg.Name".
var preludeGenerics = sync.OnceValue(func() map[string]*ast.FuncDecl {
	funcs := map[string]*ast.FuncDecl{}
	for _, src := range preludeFiles {
		f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
		if err != nil || f.Name.Name == "main" {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Type.TypeParams != nil {
				funcs[f.Name.Name+"."+fd.Name.Name] = fd
			}
		}
	}
	return funcs
})

// genericFunc returns the declaration of the generic function that fun, a
// call's function, names, and the type arguments fun spells out: a
// function of the cell or an earlier one, or one of the prelude's.
func (r *rewriter) genericFunc(fun ast.Expr) (*ast.FuncDecl, []ast.Expr) {
	x, targs := typeArgs(fun)
	if x == nil {
		x = fun
	}
	var fd *ast.FuncDecl
	switch f := x.(type) {
	case *ast.Ident:
		fd = r.cellFunc(f)
	case *ast.SelectorExpr:
		if pkg, ok := f.X.(*ast.Ident); ok && r.isPackage(pkg) && !r.declared[pkg.Name] {
			fd = preludeGenerics()[pkg.Name+"."+f.Sel.Name]
		}
	}
	if fd == nil || fd.Type.TypeParams == nil {
		return nil, nil
	}
	return fd, targs
}

// cellFunc returns the declaration of the top-level function that id
// names, declared by the cell or an earlier one.
func (r *rewriter) cellFunc(id *ast.Ident) *ast.FuncDecl {
	if id.Obj != nil {
		if fd, top := id.Obj.Decl.(*ast.FuncDecl); top && fd.Recv == nil {
			return fd
		}
		return nil
	}
	if r.declared[id.Name] && r.funcs[id.Name] == nil {
		return nil
	}
	return r.funcDecl(id.Name)
}

// exprType returns the type of x.
func (r *rewriter) exprType(x ast.Expr, depth int) ast.Expr {
	if depth > 8 {
		return nil
	}
	if t := r.argType(x); t != nil {
		return t
	}
	switch x := unparen(x).(type) {
	case *ast.Ident:
		return r.identType(x, depth)
	case *ast.CallExpr:
		if ts := r.callTypes(x, depth); len(ts) == 1 {
			return ts[0]
		}
	case *ast.IndexExpr:
		// An element of a slice, array or map.
		switch t := r.exprType(x.X, depth+1).(type) {
		case *ast.ArrayType:
			return t.Elt
		case *ast.MapType:
			return t.Value
		}
	case *ast.SelectorExpr:
		return r.fieldType(x, depth)
	}
	return nil
}

// fieldType returns the type of the struct field that sel selects: a
// field of a struct type a cell declared, or of a compiled one.
func (r *rewriter) fieldType(sel *ast.SelectorExpr, depth int) ast.Expr {
	name := sel.Sel.Name
	cellType, compiled := r.operandType(sel.X, depth)
	if compiled != nil {
		return r.reflectField(compiled, name)
	}
	if ts := r.typeSpec(cellType); ts != nil {
		if st, ok := ts.Type.(*ast.StructType); ok {
			for _, f := range st.Fields.List {
				for _, n := range f.Names {
					if n.Name == name {
						return f.Type
					}
				}
			}
		}
	}
	return nil
}

// operandType tells the type of x, the operand of a selector x.f, with
// pointers removed: the name of a type a cell declared, or a compiled
// type; both are zero when the rewriter cannot tell. A global of an
// earlier cell has its value's type; yaegi gives a cell's struct type
// exported field names of its own, so such a type is named, to be read
// from its declaration.
func (r *rewriter) operandType(x ast.Expr, depth int) (cellType string, compiled reflect.Type) {
	if id, ok := x.(*ast.Ident); ok && id.Obj == nil && !r.declared[id.Name] {
		if r.isPackage(id) {
			return "", nil
		}
		if v, ok := r.globals()[id.Name]; ok && v.IsValid() {
			t := v.Type()
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			if tn := r.e.typeName(t); tn != "" {
				return tn, nil
			}
			return "", t
		}
	}
	t := r.exprType(x, depth+1)
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	switch t := t.(type) {
	case *ast.Ident:
		if r.isCellType(t.Name) {
			return t.Name, nil
		}
	case *ast.SelectorExpr:
		// A compiled package's type: its symbol is a nil *T.
		if pkg, ok := t.X.(*ast.Ident); ok {
			if sym, ok := r.e.symbol(pkg.Name, t.Sel.Name); ok && sym.Kind() == reflect.Pointer && sym.IsNil() {
				return "", sym.Type().Elem()
			}
		}
	}
	return "", nil
}

// reflectField returns the type of the field name of the compiled struct
// type t.
func (r *rewriter) reflectField(t reflect.Type, name string) ast.Expr {
	if t.Kind() != reflect.Struct {
		return nil
	}
	if f, ok := t.FieldByName(name); ok {
		return r.e.typeExpr(f.Type)
	}
	return nil
}

// identType returns the type of the variable x.
func (r *rewriter) identType(x *ast.Ident, depth int) ast.Expr {
	if x.Obj == nil {
		if v, ok := r.globals()[x.Name]; ok && v.IsValid() && v.Kind() != reflect.Interface {
			return r.e.typeExpr(v.Type())
		}
		return nil
	}
	switch d := x.Obj.Decl.(type) {
	case *ast.AssignStmt:
		for i, l := range d.Lhs {
			if id, ok := l.(*ast.Ident); !ok || id.Name != x.Name {
				continue
			}
			if len(d.Lhs) == len(d.Rhs) {
				return r.exprType(d.Rhs[i], depth+1)
			}
			if call, ok := d.Rhs[0].(*ast.CallExpr); ok && len(d.Rhs) == 1 {
				if ts := r.callTypes(call, depth+1); len(ts) == len(d.Lhs) {
					return ts[i]
				}
			}
		}
	case *ast.ValueSpec:
		if d.Type != nil {
			return d.Type
		}
		for i, n := range d.Names {
			if n.Name == x.Name && i < len(d.Values) && len(d.Values) == len(d.Names) {
				return r.exprType(d.Values[i], depth+1)
			}
		}
	case *ast.Field: // a parameter or a receiver
		return d.Type
	}
	return nil
}

// callTypes returns the types of the results of call: a generic function's
// with its type parameters bound by the arguments, a cell function's, or a
// compiled function's.
func (r *rewriter) callTypes(call *ast.CallExpr, depth int) []ast.Expr {
	var results []ast.Expr
	if fd, targs := r.genericFunc(call.Fun); fd != nil {
		u, ok := r.bind(fd, targs, call, func(a ast.Expr) ast.Expr { return r.exprType(a, depth+1) })
		if !ok {
			return nil
		}
		for _, t := range fieldTypes(fd.Type.Results) {
			if t = u.subst(t); t == nil {
				return nil
			}
			results = append(results, t)
		}
		return results
	}
	switch f := call.Fun.(type) {
	case *ast.Ident:
		if fd := r.cellFunc(f); fd != nil {
			for _, t := range fieldTypes(fd.Type.Results) {
				results = append(results, freshExpr(types.ExprString(t)))
			}
		}
	case *ast.SelectorExpr:
		var ft reflect.Type
		if pkg, ok := f.X.(*ast.Ident); ok && pkg.Obj == nil && r.isPackage(pkg) {
			sym, ok := r.e.symbol(pkg.Name, f.Sel.Name)
			if !ok || sym.Kind() != reflect.Func {
				return nil
			}
			ft = sym.Type()
		} else {
			var fd *ast.FuncDecl
			if ft, fd = r.method(f, depth); fd != nil {
				for _, t := range fieldTypes(fd.Type.Results) {
					results = append(results, freshExpr(types.ExprString(t)))
				}
			}
		}
		if ft != nil {
			for i := range ft.NumOut() {
				results = append(results, r.e.typeExpr(ft.Out(i)))
			}
		}
	}
	for _, t := range results {
		if t == nil {
			return nil
		}
	}
	return results
}

// method finds the method that sel, the function of a call x.M(...),
// names: a compiled type's method, as its function type (receiver
// first), or the declaration of a method a cell declared. Both are zero
// when the rewriter cannot tell x's type.
func (r *rewriter) method(sel *ast.SelectorExpr, depth int) (reflect.Type, *ast.FuncDecl) {
	cellType, compiled := r.operandType(sel.X, depth)
	if compiled == nil {
		if cellType == "" {
			return nil, nil
		}
		return nil, r.methodDecl(cellType, sel.Sel.Name)
	}
	for _, t := range []reflect.Type{compiled, reflect.PointerTo(compiled)} {
		if m, ok := t.MethodByName(sel.Sel.Name); ok {
			return m.Type, nil
		}
	}
	return nil, nil
}

// typeExpr writes t, a type of the interpreter, as a cell would; nil when
// t is one of yaegi's internal types.
func (e *Evaluator) typeExpr(t reflect.Type) ast.Expr {
	s := e.typeText(t, "")
	if strings.Contains(s, "interp.") {
		return nil
	}
	return freshExpr(s)
}

// freshExpr parses the type expression s, or returns nil.
func freshExpr(s string) ast.Expr {
	x, err := parser.ParseExpr(s)
	if err != nil {
		return nil
	}
	return x
}

// bind binds the type parameters of the generic fd from the type arguments
// targs and the arguments of call, whose types typeOf tells, and reports
// whether they agree. An argument of unknown type passed to a bare type
// parameter fails the binding (Go would bind the parameter to that type);
// an untyped constant gives its default type to a type parameter that
// nothing else binds.
func (r *rewriter) bind(fd *ast.FuncDecl, targs []ast.Expr, call *ast.CallExpr, typeOf func(ast.Expr) ast.Expr) (*unifier, bool) {
	u := &unifier{bound: map[string]string{}}
	for _, f := range fd.Type.TypeParams.List {
		for _, n := range f.Names {
			u.params = append(u.params, n.Name)
		}
	}
	for i, t := range targs {
		if i >= len(u.params) {
			return nil, false
		}
		u.bound[u.params[i]] = types.ExprString(t)
	}
	params := fieldTypes(fd.Type.Params)
	consts := map[string]constant.Kind{} // a bare parameter's constant arguments
	for i, a := range call.Args {
		pt := paramType(params, i, call.Ellipsis.IsValid())
		if pt == nil {
			return nil, false
		}
		if !u.mentions(pt) {
			continue
		}
		id, bare := unparen(pt).(*ast.Ident)
		bare = bare && u.isParam(id.Name)
		if c := constValue(a); c != nil && bare {
			consts[id.Name] = max(consts[id.Name], c.Kind())
			continue
		}
		at := typeOf(a)
		if at == nil {
			if bare {
				return nil, false
			}
			continue
		}
		if !u.unify(pt, at) {
			return nil, false
		}
	}
	for p, k := range consts {
		if _, ok := u.bound[p]; !ok {
			u.bound[p] = defaultTypes[k]
		}
	}
	return u, true
}

// defaultTypes are the types untyped constants take, by kind. A rune
// constant is an int one here: constValue does not tell them apart.
var defaultTypes = map[constant.Kind]string{
	constant.Bool: "bool", constant.String: "string", constant.Int: "int",
	constant.Float: "float64", constant.Complex: "complex128",
}

// subst returns t with the type parameters bound in u replaced by their
// types, as a new expression, or nil when t uses one that is unbound.
func (u *unifier) subst(t ast.Expr) ast.Expr {
	x := freshExpr(types.ExprString(t))
	ok := x != nil
	ast.Inspect(x, func(n ast.Node) bool {
		if id, isID := n.(*ast.Ident); isID && u.isParam(id.Name) {
			b, bound := u.bound[id.Name]
			ok = ok && bound
			// An identifier may hold any text: the expression is printed
			// and parsed again below.
			id.Name = b
		}
		return ok
	})
	if !ok {
		return nil
	}
	return freshExpr(types.ExprString(x))
}

// typeDefines gives a type to the cell's top-level definitions from calls of
// generic functions, x := F(...), rewriting them as var x T; x = F(...):
// yaegi v0.16.1 types a package-level variable before it instantiates the
// function, and fails. A typed var declaration with the call as its value
// is split the same way, for yaegi then leaves the variable zero.
func (r *rewriter) typeDefines(list []ast.Stmt) []ast.Stmt {
	var out []ast.Stmt
	for i, s := range list {
		split := r.splitDefine(s)
		if split == nil {
			if out != nil {
				out = append(out, s)
			}
			continue
		}
		if out == nil {
			out = append(make([]ast.Stmt, 0, len(list)+1), list[:i]...)
		}
		out = append(out, split...)
	}
	if out == nil {
		return list
	}
	return out
}

// splitDefine returns the declaration and the assignment that replace s,
// or nil when s is not a definition from a generic call or its types are
// unknown.
func (r *rewriter) splitDefine(s ast.Stmt) []ast.Stmt {
	var lhs []ast.Expr
	var call *ast.CallExpr
	var declared []ast.Expr // the types, when the statement gives them
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE || len(s.Rhs) != 1 {
			return nil
		}
		lhs = s.Lhs
		call, _ = unparen(s.Rhs[0]).(*ast.CallExpr)
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR || len(gd.Specs) != 1 {
			return nil
		}
		vs := gd.Specs[0].(*ast.ValueSpec)
		if vs.Type == nil || len(vs.Values) != 1 {
			return nil
		}
		for _, n := range vs.Names {
			lhs = append(lhs, n)
			declared = append(declared, vs.Type)
		}
		call, _ = unparen(vs.Values[0]).(*ast.CallExpr)
	default:
		return nil
	}
	if call == nil {
		return nil
	}
	if fd, _ := r.genericFunc(call.Fun); fd == nil {
		return nil
	}
	if declared == nil {
		declared = r.callTypes(call, 0)
		if len(declared) != len(lhs) {
			return nil
		}
	}
	decl := &ast.GenDecl{TokPos: s.Pos(), Tok: token.VAR}
	for i, l := range lhs {
		id, ok := l.(*ast.Ident)
		if !ok {
			return nil
		}
		if id.Name == "_" {
			continue
		}
		decl.Specs = append(decl.Specs, &ast.ValueSpec{Names: []*ast.Ident{{NamePos: id.NamePos, Name: id.Name}}, Type: declared[i]})
		r.addQualifiers(declared[i])
	}
	assign := &ast.AssignStmt{Lhs: lhs, TokPos: call.Pos(), Tok: token.ASSIGN, Rhs: []ast.Expr{call}}
	if len(decl.Specs) == 0 {
		return []ast.Stmt{assign}
	}
	return []ast.Stmt{&ast.DeclStmt{Decl: decl}, assign}
}

// addQualifiers notes the packages that the type expression t names, so
// that they are imported.
func (r *rewriter) addQualifiers(t ast.Expr) {
	ast.Inspect(t, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				r.qualifiers = append(r.qualifiers, id)
			}
		}
		return true
	})
}
