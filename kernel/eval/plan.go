package eval

import (
	"fmt"
	"go/ast"
	"go/token"
	"path"
	"reflect"
	"strconv"
	"strings"

	"github.com/gorch/gorch/kernel"
)

// A plan is what one cell evaluates, in order: new imports, a file of new
// or changed declarations, then the statements.
type plan struct {
	imports  []*ast.ImportSpec
	decls    *ast.File
	newDecls []*decl
	body     *ast.BlockStmt
	// plainBody is body without the capture of the last expression's value,
	// for when that expression turns out to be a call without results.
	plainBody *ast.BlockStmt
	// methodRanges is set when the cell ranges over a method's result.
	methodRanges bool
}

func (e *Evaluator) plan(c *cell, methodRange rangeKind) (_ *plan, err error) {
	defer func() {
		// A bug in the rewriting must fail the cell, not the kernel.
		if r := recover(); r != nil {
			msg := fmt.Sprintf("gorch could not prepare this cell (%v); please report it", r)
			err = &kernel.EvalError{Name: "InternalError", Value: msg, Traceback: []string{"InternalError: " + msg}}
		}
	}()
	if err := e.redeclared(c); err != nil {
		return nil, err
	}
	p := &plan{}
	rest := make([]ast.Decl, 0, len(c.file.Decls))
	var specs []*ast.ImportSpec
	for _, d := range c.file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			for _, s := range gd.Specs {
				specs = append(specs, s.(*ast.ImportSpec))
			}
			continue
		}
		rest = append(rest, d)
	}
	named := map[string]bool{}
	for _, s := range specs {
		named[importName(s)] = true
		path, _ := strconv.Unquote(s.Path.Value)
		if e.imports[path] == importName(s) {
			continue
		}
		p.imports = append(p.imports, s)
	}

	decls, fresh, err := e.filterDecls(c, rest)
	if err != nil {
		return nil, err
	}
	p.newDecls = fresh
	declared := topLevelNames(rest)

	rw := &rewriter{e: e, declared: declared, funcs: make(map[string]*ast.FuncDecl, len(rest)), methods: map[string]*ast.FuncDecl{},
		types: map[string]*ast.TypeSpec{}, methodRange: methodRange}
	for _, d := range rest {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				rw.funcs[d.Name.Name] = d
			} else if len(d.Recv.List) == 1 {
				rw.methods[recvName(d.Recv.List[0].Type)+"."+d.Name.Name] = d
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok {
					rw.types[ts.Name.Name] = ts
				}
			}
		}
	}
	for _, d := range decls {
		rw.decl(d)
	}
	if c.body != nil {
		rw.block(c.body)
		c.body.List = rw.typeDefines(c.body.List)
		e.markLines(c)
		p.body, p.plainBody = rw.captureLast(c.body)
	}
	for _, name := range e.missingImports(rw.qualifiers, named, declared, rw.globals()) {
		path := index().byName[name][0]
		p.imports = append(p.imports, importSpec("", path))
	}
	p.methodRanges = rw.methodRanges
	if len(decls) > 0 {
		p.decls = &ast.File{Package: c.file.Package, Name: ast.NewIdent("main"), Decls: decls}
	}
	return p, nil
}

// redeclared refuses a name that the cell declares twice at top level,
// as Go does; yaegi would take the second declaration for a redefinition,
// which only a later cell makes.
func (e *Evaluator) redeclared(c *cell) error {
	seen := map[string]*ast.Ident{}
	var dup *ast.Ident // the earliest redeclaration
	note := func(id *ast.Ident) {
		old, ok := seen[id.Name]
		if !ok || id.Name == "_" {
			seen[id.Name] = id
			return
		}
		later := id
		if old.Pos() > id.Pos() {
			later = old
		}
		if dup == nil || later.Pos() < dup.Pos() {
			dup = later
		}
	}
	specs := func(d ast.Decl) {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok == token.IMPORT {
			return
		}
		for _, s := range gd.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				note(s.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					note(n)
				}
			}
		}
	}
	for _, d := range c.file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			if fd.Recv == nil && fd.Name.Name != "init" {
				note(fd.Name)
			}
			continue
		}
		specs(d)
	}
	if c.body != nil {
		for _, s := range c.body.List {
			if ds, ok := s.(*ast.DeclStmt); ok {
				specs(ds.Decl)
			}
		}
	}
	if dup == nil {
		return nil
	}
	msg := dup.Name + " redeclared in this block"
	p := c.fset.Position(dup.Pos())
	return &kernel.EvalError{Name: "CompileError", Value: msg,
		Traceback: append([]string{"CompileError: " + msg}, e.sourceLines(path.Dir(p.Filename), p.Line, p.Column)...)}
}

// filterDecls drops the declarations that repeat, word for word, one made
// before (re-running a cell must not fail), adds the earlier functions that
// call a redefined function (yaegi binds calls when it compiles them), and
// refuses changed types and methods, which yaegi would silently ignore.
func (e *Evaluator) filterDecls(c *cell, decls []ast.Decl) ([]ast.Decl, []*decl, error) {
	out := make([]ast.Decl, 0, len(decls))
	fresh := make([]*decl, 0, len(decls))
	redefined := map[string]bool{}
	for _, d := range decls {
		nd := newDecl(c, d)
		if nd == nil {
			out = append(out, d)
			continue
		}
		old := e.decls.get(nd.key)
		switch {
		case old == nil:
		case old.text == nd.text:
			continue
		case nd.kind == "func":
			redefined[nd.name] = true
		default:
			return nil, nil, &kernel.EvalError{
				Name: "RedefinitionError",
				Value: fmt.Sprintf("%s %s is already declared with a different definition, and the interpreter cannot change it in place; "+
					"run %%reset and re-run your cells, or give it a new name", nd.kind, nd.display()),
				Traceback: []string{fmt.Sprintf("RedefinitionError: %s %s cannot be changed in place (line %d); run %%reset to start afresh", nd.kind, nd.display(), nd.line)},
			}
		}
		out = append(out, d)
		fresh = append(fresh, nd)
	}
	if len(redefined) == 0 {
		return out, fresh, nil
	}
	callers, err := e.decls.callers(redefined)
	if err != nil {
		return nil, nil, err
	}
	for _, old := range callers {
		f, err := parseDecl(e.in.FileSet(), old)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, f)
	}
	return out, fresh, nil
}

// markLines puts before each statement of the cell's body a call that
// records its line, so that a panic in the body can name its line: yaegi
// only locates panics by the function they happen in.
func (e *Evaluator) markLines(c *cell) {
	list := make([]ast.Stmt, 0, 2*len(c.body.List))
	marks := make([]lineMark, len(c.body.List))
	for i, s := range c.body.List {
		line := c.fset.Position(s.Pos()).Line
		if s.Pos().IsValid() && line > 0 {
			list = append(list, marks[i].stmt(line))
		}
		list = append(list, s)
	}
	c.body.List = list
}

// A lineMark holds the nodes of one statement rtName.Line(n), so that
// markLines allocates those of a whole cell at once.
type lineMark struct {
	expr   ast.ExprStmt
	call   ast.CallExpr
	sel    ast.SelectorExpr
	rt, fn ast.Ident
	line   ast.BasicLit
	args   [1]ast.Expr
}

func (m *lineMark) stmt(line int) ast.Stmt {
	m.rt.Name, m.fn.Name = rtName, "Line"
	m.sel = ast.SelectorExpr{X: &m.rt, Sel: &m.fn}
	m.line = ast.BasicLit{Kind: token.INT, Value: strconv.Itoa(line)}
	m.args[0] = &m.line
	m.call = ast.CallExpr{Fun: &m.sel, Args: m.args[:]}
	m.expr.X = &m.call
	return &m.expr
}

// topLevelNames returns the names declared by decls.
func topLevelNames(decls []ast.Decl) map[string]bool {
	names := make(map[string]bool, len(decls))
	for _, d := range decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names[s.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names[n.Name] = true
					}
				}
			}
		}
	}
	return names
}

// missingImports lists the package names among qualifiers, the x of the
// cell's selectors x.y, that the cell neither imports nor declares, and
// that name a known package.
func (e *Evaluator) missingImports(qualifiers []*ast.Ident, imported, declared map[string]bool, globals map[string]reflect.Value) []string {
	var names []string
	seen := map[string]bool{}
	for _, n := range e.imports {
		seen[n] = true
	}
	for _, id := range qualifiers {
		if seen[id.Name] || imported[id.Name] || declared[id.Name] {
			continue
		}
		seen[id.Name] = true
		if _, ok := globals[id.Name]; ok || e.decls.has(id.Name) {
			continue
		}
		if len(index().byName[id.Name]) > 0 {
			names = append(names, id.Name)
		}
	}
	return names
}

func pathBase(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i+1:]
	}
	return p
}
