package eval

import (
	"go/ast"
	"go/token"
)

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
		args[i] = ast.NewIdent(t.Name)
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
