package eval

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// instantiate spells out the type arguments of a call of a generic function
// declared in a cell when the arguments' own syntax gives them all:
// yaegi v0.16.1 takes a type parameter that only a function argument's
// result mentions for an earlier one (U = T in Map[T, U any](xs []T,
// f func(T) U)), while it compiles Map[int, string](...) correctly. The
// call is left to yaegi's inference when a type parameter stays unbound,
// is bound twice differently, or could take a defined type from an argument
// whose type is not written out (see bind).
//
// The prelude's generic functions (slices.Concat, maps.EqualFunc) get
// their type arguments the same way, from the static types of their
// arguments, variables' included: yaegi cannot infer E from ...[]E, and
// binds V1 to K's type in EqualFunc[K comparable, V1, V2 any].
func (r *rewriter) instantiate(call *ast.CallExpr) {
	var fd *ast.FuncDecl
	typeOf := r.argType
	switch f := call.Fun.(type) {
	case *ast.Ident:
		fd = r.cellFunc(f)
	case *ast.SelectorExpr:
		fd, _ = r.genericFunc(f)
		typeOf = func(a ast.Expr) ast.Expr { return r.exprType(a, 0) }
	}
	if fd == nil || fd.Type.TypeParams == nil {
		return
	}
	u, ok := r.bind(fd, nil, call, typeOf)
	if !ok {
		return
	}
	targs := make([]ast.Expr, len(u.params))
	for i, p := range u.params {
		s, ok := u.bound[p]
		if !ok {
			return
		}
		// A fresh expression, without the argument's positions.
		if targs[i] = freshExpr(s); targs[i] == nil {
			return
		}
	}
	if len(targs) == 1 {
		call.Fun = &ast.IndexExpr{X: call.Fun, Index: targs[0]}
		return
	}
	call.Fun = &ast.IndexListExpr{X: call.Fun, Indices: targs}
}

// paramType returns the type of the parameter that receives argument i,
// or nil when there is none.
func paramType(params []ast.Expr, i int, spread bool) ast.Expr {
	if len(params) == 0 {
		return nil
	}
	last := len(params) - 1
	dots, variadic := params[last].(*ast.Ellipsis)
	switch {
	case i < last || i == last && !variadic:
		return params[i]
	case !variadic:
		return nil
	case spread:
		if i != last {
			return nil
		}
		return &ast.ArrayType{Elt: dots.Elt}
	}
	return dots.Elt
}

// fieldTypes returns the type of each parameter or result of fl, one per
// name.
func fieldTypes(fl *ast.FieldList) []ast.Expr {
	if fl == nil {
		return nil
	}
	var ts []ast.Expr
	for _, f := range fl.List {
		for range max(1, len(f.Names)) {
			ts = append(ts, f.Type)
		}
	}
	return ts
}

// argType returns the type that argument a spells out, or nil: a function
// literal's, a typed composite literal's (or pointer to it), or the type of
// a conversion to a predeclared, cell-declared or literal type.
func (r *rewriter) argType(a ast.Expr) ast.Expr {
	switch a := unparen(a).(type) {
	case *ast.FuncLit:
		return a.Type
	case *ast.CompositeLit:
		return litType(a)
	case *ast.UnaryExpr:
		if lit, ok := a.X.(*ast.CompositeLit); ok && a.Op == token.AND {
			if t := litType(lit); t != nil {
				return &ast.StarExpr{X: t}
			}
		}
	case *ast.CallExpr:
		if len(a.Args) == 1 && !a.Ellipsis.IsValid() && r.isType(a.Fun) {
			return a.Fun
		}
	}
	return nil
}

// litType returns the type of a composite literal, or nil when the
// literal's type is elided or is an array of counted length.
func litType(lit *ast.CompositeLit) ast.Expr {
	if arr, ok := lit.Type.(*ast.ArrayType); ok {
		if _, counted := arr.Len.(*ast.Ellipsis); counted {
			return nil
		}
	}
	return lit.Type
}

// isType reports whether x, the function of a call, certainly names a
// type, which makes the call a conversion.
func (r *rewriter) isType(x ast.Expr) bool {
	switch x := unparen(x).(type) {
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType:
		return true
	case *ast.Ident:
		if x.Obj != nil {
			return x.Obj.Kind == ast.Typ
		}
		if r.isCellType(x.Name) {
			return true
		}
		_, predeclared := types.Universe.Lookup(x.Name).(*types.TypeName)
		return predeclared && !r.declared[x.Name] && !r.e.decls.has(x.Name)
	}
	return false
}

func unparen(x ast.Expr) ast.Expr {
	for {
		p, ok := x.(*ast.ParenExpr)
		if !ok {
			return x
		}
		x = p.X
	}
}

// A unifier binds the type parameters of a generic function by matching
// its parameters' type expressions with those of the arguments.
type unifier struct {
	params []string          // the type parameters, in order
	bound  map[string]string // type parameter to its type, as written
}

func (u *unifier) isParam(name string) bool {
	return slices.Contains(u.params, name)
}

// mentions reports whether the type expression t uses a type parameter.
func (u *unifier) mentions(t ast.Expr) bool {
	found := false
	ast.Inspect(t, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && u.isParam(id.Name) {
			found = true
		}
		return !found
	})
	return found
}

// unify matches the parameter type p with the argument type a, binding
// the type parameters p uses, and reports whether they match. Types that
// are identical but written differently (byte and uint8) do not match,
// which only leaves the call to yaegi.
func (u *unifier) unify(p, a ast.Expr) bool {
	p, a = unparen(p), unparen(a)
	if !u.mentions(p) {
		return types.ExprString(p) == types.ExprString(a)
	}
	switch p := p.(type) {
	case *ast.Ident:
		s := types.ExprString(a)
		if old, ok := u.bound[p.Name]; ok {
			return old == s
		}
		u.bound[p.Name] = s
		return true
	case *ast.StarExpr:
		a, ok := a.(*ast.StarExpr)
		return ok && u.unify(p.X, a.X)
	case *ast.Ellipsis:
		a, ok := a.(*ast.Ellipsis)
		return ok && u.unify(p.Elt, a.Elt)
	case *ast.ArrayType:
		a, ok := a.(*ast.ArrayType)
		return ok && (p.Len == nil) == (a.Len == nil) && (p.Len == nil || u.unify(p.Len, a.Len)) && u.unify(p.Elt, a.Elt)
	case *ast.MapType:
		a, ok := a.(*ast.MapType)
		return ok && u.unify(p.Key, a.Key) && u.unify(p.Value, a.Value)
	case *ast.ChanType:
		a, ok := a.(*ast.ChanType)
		return ok && p.Dir == a.Dir && u.unify(p.Value, a.Value)
	case *ast.FuncType:
		a, ok := a.(*ast.FuncType)
		return ok && a.TypeParams == nil && u.unifyAll(fieldTypes(p.Params), fieldTypes(a.Params)) &&
			u.unifyAll(fieldTypes(p.Results), fieldTypes(a.Results))
	case *ast.IndexExpr, *ast.IndexListExpr:
		px, pi := typeArgs(p)
		ax, ai := typeArgs(a)
		return ax != nil && u.unify(px, ax) && u.unifyAll(pi, ai)
	}
	return false
}

func (u *unifier) unifyAll(ps, as []ast.Expr) bool {
	if len(ps) != len(as) {
		return false
	}
	for i := range ps {
		if !u.unify(ps[i], as[i]) {
			return false
		}
	}
	return true
}

// typeArgs splits an instantiated generic type into the generic type and
// its type arguments; x is nil when t is not one.
func typeArgs(t ast.Expr) (x ast.Expr, args []ast.Expr) {
	switch t := t.(type) {
	case *ast.IndexExpr:
		return t.X, []ast.Expr{t.Index}
	case *ast.IndexListExpr:
		return t.X, t.Indices
	}
	return nil, nil
}

// callee returns the function that call calls, without the type arguments
// that instantiate may have spelt out: what names it for the rest of the
// rewriter.
func callee(call *ast.CallExpr) ast.Expr {
	if x, _ := typeArgs(call.Fun); x != nil {
		return x
	}
	return call.Fun
}
