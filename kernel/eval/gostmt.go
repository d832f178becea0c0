package eval

import (
	"go/ast"
	"go/token"
	"strconv"
)

// goStmt makes a go statement recover the goroutine's panic and report it,
// instead of letting it end the kernel process, with the position of the go
// statement: yaegi cannot say which line of the goroutine panicked. The
// call's operands are still evaluated by the go statement itself.
func (r *rewriter) goStmt(g *ast.GoStmt) ast.Stmt {
	guard := &ast.DeferStmt{Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
			Fun: &ast.SelectorExpr{X: ast.NewIdent(rtName), Sel: ast.NewIdent("GoPanic")},
			Args: []ast.Expr{
				&ast.CallExpr{Fun: ast.NewIdent("recover")},
				&ast.BasicLit{Kind: token.INT, Value: strconv.Itoa(int(g.Go))},
			},
		}}}},
	}}}
	if lit, ok := g.Call.Fun.(*ast.FuncLit); ok && len(g.Call.Args) == 0 {
		lit.Body.List = append([]ast.Stmt{guard}, lit.Body.List...)
		return g
	}
	hoist, call := r.hoistOperands(g.Call)
	g2 := &ast.GoStmt{Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{guard, &ast.ExprStmt{X: call}}},
	}}}
	if hoist == nil {
		return g2
	}
	return &ast.BlockStmt{List: []ast.Stmt{hoist, g2}}
}

// deferStmt evaluates a deferred call's operands at the defer statement, as
// Go does: yaegi evaluates them only when the call runs. The function
// itself stays in the defer statement, so that a deferred function calls
// recover directly and a method keeps an addressable receiver.
//
// A defer among the cell's own statements (inFunc false) hands the call
// to the evaluator instead, which makes it when the cell's statements end:
// yaegi keeps such calls in its global frame and makes them again after
// every later cell. recover in them does not stop a panic of the cell.
func (r *rewriter) deferStmt(d *ast.DeferStmt, inFunc bool) ast.Stmt {
	hoist, call := r.hoistOperands(d.Call)
	var stmt ast.Stmt = &ast.DeferStmt{Defer: d.Defer, Call: call}
	if !inFunc {
		stmt = &ast.ExprStmt{X: &ast.CallExpr{
			Fun: &ast.SelectorExpr{X: ast.NewIdent(rtName), Sel: ast.NewIdent("Defer")},
			Args: []ast.Expr{&ast.FuncLit{
				Type: &ast.FuncType{Params: &ast.FieldList{}},
				Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: call}}},
			}},
		}}
	}
	if hoist == nil {
		return stmt
	}
	return &ast.BlockStmt{List: []ast.Stmt{hoist, stmt}}
}

// hoistOperands returns an assignment of call's operands to temporaries,
// nil when none needs one, and the call made with those temporaries. The
// operands are the arguments and the receiver when it is itself a call
// (x().M()); a variable receiver stays, since its method value would copy
// it. Untyped constants stay in place, because a temporary would give them
// their default type.
func (r *rewriter) hoistOperands(c *ast.CallExpr) (*ast.AssignStmt, *ast.CallExpr) {
	var hoist *ast.AssignStmt
	take := func(x ast.Expr) ast.Expr {
		if r.untyped(x) {
			return x
		}
		if hoist == nil {
			hoist = &ast.AssignStmt{Tok: token.DEFINE}
		}
		t := r.temp("arg")
		hoist.Lhs = append(hoist.Lhs, t)
		hoist.Rhs = append(hoist.Rhs, x)
		return ast.NewIdent(t.Name)
	}
	call := &ast.CallExpr{Fun: c.Fun, Lparen: c.Lparen, Ellipsis: c.Ellipsis, Rparen: c.Rparen}
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
		if _, ok := sel.X.(*ast.CallExpr); ok {
			call.Fun = &ast.SelectorExpr{X: take(sel.X), Sel: sel.Sel}
		}
	}
	call.Args = make([]ast.Expr, len(c.Args))
	for i, a := range c.Args {
		call.Args[i] = take(a)
	}
	return hoist, call
}

// untyped reports whether x is, as far as the cell's syntax, the
// interpreter's globals and the compiled packages tell, a constant, nil, or
// a function: nothing that evaluating early would change, and possibly
// untyped.
func (r *rewriter) untyped(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.BasicLit, *ast.FuncLit:
		return true
	case *ast.ParenExpr:
		return r.untyped(x.X)
	case *ast.UnaryExpr:
		return x.Op != token.ARROW && x.Op != token.AND && r.untyped(x.X)
	case *ast.BinaryExpr:
		return r.untyped(x.X) && r.untyped(x.Y)
	case *ast.Ident:
		if x.Obj != nil {
			return x.Obj.Kind == ast.Con
		}
		switch x.Name {
		case "nil", "true", "false", "iota":
			return true
		}
		// A name from an earlier cell: variables are the interpreter's
		// globals; the rest are constants and functions.
		_, isVar := r.globals()[x.Name]
		return !isVar && !r.declared[x.Name]
	case *ast.SelectorExpr:
		pkg, ok := x.X.(*ast.Ident)
		if !ok || pkg.Obj != nil || r.declared[pkg.Name] {
			return false
		}
		if _, isVar := r.globals()[pkg.Name]; isVar {
			return false
		}
		// A compiled package's variables are its only addressable symbols.
		sym, ok := r.e.symbol(pkg.Name, x.Sel.Name)
		return ok && !sym.CanAddr()
	}
	return false
}
