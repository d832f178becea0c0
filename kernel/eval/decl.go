package eval

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"

	"github.com/gorch/gorch/kernel"
)

// A decl is a function, method or type declared by a cell, remembered so
// that re-running the cell is harmless, redefinitions are handled, and
// completion and inspection know the name.
type decl struct {
	key  string // "func F", "method T.M" or "type T"
	kind string // "func", "method" or "type"
	name string // F, M or T
	recv string // T for methods
	text string // the declaration as written, doc comment included
	// fields are a struct type's field names as declared, embedded types
	// by their names; nil for other declarations.
	fields []string
	// file, line and col locate the text, so that errors in it point to the
	// cell that declared it.
	file      string
	line, col int
}

func (d *decl) display() string {
	if d.recv != "" {
		return d.recv + "." + d.name
	}
	return d.name
}

// newDecl describes d, or returns nil for declarations that are not
// remembered (var, const and grouped types).
func newDecl(c *cell, d ast.Decl) *decl {
	var nd decl
	switch d := d.(type) {
	case *ast.FuncDecl:
		nd.kind, nd.name = "func", d.Name.Name
		if d.Recv != nil && len(d.Recv.List) == 1 {
			nd.kind, nd.recv = "method", recvName(d.Recv.List[0].Type)
		}
	case *ast.GenDecl:
		if d.Tok != token.TYPE || len(d.Specs) != 1 {
			return nil
		}
		ts := d.Specs[0].(*ast.TypeSpec)
		nd.kind, nd.name = "type", ts.Name.Name
		if st, ok := ts.Type.(*ast.StructType); ok {
			nd.fields = make([]string, 0, st.Fields.NumFields())
			for _, f := range st.Fields.List {
				if len(f.Names) == 0 {
					nd.fields = append(nd.fields, recvName(f.Type)) // embedded
				}
				for _, n := range f.Names {
					nd.fields = append(nd.fields, n.Name)
				}
			}
		}
	default:
		return nil
	}
	nd.key = nd.kind + " " + nd.display()
	start := d.Pos()
	if doc := declDoc(d); doc != nil {
		// The doc comment may be grouped with the cell's line directive.
		for _, c := range doc.List {
			if !strings.HasPrefix(c.Text, "//line ") {
				start = c.Pos()
				break
			}
		}
	}
	nd.text = c.src[c.offset(start):c.offset(d.End())]
	ps := c.fset.Position(start)
	nd.file, nd.line, nd.col = ps.Filename, ps.Line, ps.Column
	return &nd
}

func declDoc(d ast.Decl) *ast.CommentGroup {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return d.Doc
	case *ast.GenDecl:
		return d.Doc
	}
	return nil
}

func recvName(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.IndexExpr:
		return recvName(t.X)
	case *ast.IndexListExpr:
		return recvName(t.X)
	case *ast.Ident:
		return t.Name
	}
	return ""
}

// declStore remembers declarations in the order they were made.
type declStore struct {
	byKey map[string]*decl
	order []string
}

func newDeclStore() *declStore { return &declStore{byKey: map[string]*decl{}} }

func (s *declStore) get(key string) *decl { return s.byKey[key] }

// has reports whether name is a function or type declared by a cell.
func (s *declStore) has(name string) bool {
	return s.byKey["func "+name] != nil || s.byKey["type "+name] != nil
}

// commit records declarations that evaluated successfully.
func (s *declStore) commit(ds []*decl) {
	for _, d := range ds {
		if s.byKey[d.key] == nil {
			s.order = append(s.order, d.key)
		}
		s.byKey[d.key] = d
	}
}

// all returns the declarations in the order they were first made.
func (s *declStore) all() []*decl {
	out := make([]*decl, len(s.order))
	for i, k := range s.order {
		out[i] = s.byKey[k]
	}
	return out
}

// callers returns the functions that use, directly or through other
// functions, one of names, so that they can be compiled again against the
// new definitions. A method among them is an error: yaegi cannot compile a
// method again.
func (s *declStore) callers(names map[string]bool) ([]*decl, error) {
	changed := map[string]bool{}
	for n := range names {
		changed[n] = true
	}
	var out []*decl
	picked := map[string]bool{}
	refs := map[string]map[string]bool{} // identifiers each declaration uses
	uses := func(d *decl, name string) bool {
		if refs[d.key] == nil {
			refs[d.key] = map[string]bool{}
			for _, id := range identifiers(d.text) {
				refs[d.key][id] = true
			}
		}
		return refs[d.key][name]
	}
	for grew := true; grew; {
		grew = false
		for _, k := range s.order {
			d := s.byKey[k]
			if d.kind == "type" || picked[k] || changed[d.name] && d.kind == "func" {
				continue
			}
			for n := range changed {
				if !uses(d, n) {
					continue
				}
				if d.kind == "method" {
					return nil, &kernel.EvalError{
						Name: "RedefinitionError",
						Value: fmt.Sprintf("method %s uses %s, which this cell redefines, and the interpreter cannot compile a method again; "+
							"run %%reset and re-run your cells", d.display(), n),
						Traceback: []string{fmt.Sprintf("RedefinitionError: method %s uses the redefined %s; run %%reset to start afresh", d.display(), n)},
					}
				}
				picked[k], changed[d.name], grew = true, true, true
				out = append(out, d)
				break
			}
		}
	}
	return out, nil
}

// parseDecl parses the remembered text of d again, positioned where it was
// written.
func parseDecl(fset *token.FileSet, d *decl) (ast.Decl, error) {
	src := fmt.Sprintf("package main\n//line %s:%d:%d\n%s", fileName, d.line, d.col, d.text)
	f, err := parser.ParseFile(fset, d.file, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	return f.Decls[0], nil
}
