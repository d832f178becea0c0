package eval

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// A cell is the parsed form of one cell: a Go file of declarations plus a
// main body of statements. Positions in both point into the cell's text.
type cell struct {
	src     string
	fset    *token.FileSet
	prefix  int            // bytes before the cell's text in file's source
	program bool           // the cell starts with a package clause
	file    *ast.File      // imports and declarations
	body    *ast.BlockStmt // statements, nil when there are none
	// stmtFile is the synthetic file holding body; its Unresolved list names
	// the identifiers the statements take from outside the cell body.
	stmtFile *ast.File
}

// item is a top-level run of source: one declaration or one statement.
type item struct {
	start, end int // byte offsets in the cell
	decl       bool
}

// splitItems cuts src into top-level items. A declaration starts with
// import, type, const, var or func at nesting depth zero (a func literal
// used as a statement is not one); every other item is a statement. const
// and var are declarations when the cell has no statement defining names
// they use; hoistVars decides that later, so they are marked here as
// declarations.
func splitItems(src string) []item {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)

	type tok struct {
		pos int
		tok token.Token
		lit string
	}
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{file.Offset(pos), t, lit})
	}

	var items []item
	depth := 0
	start := -1
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if start < 0 {
			if t.tok == token.SEMICOLON {
				continue
			}
			start = i
			items = append(items, item{start: t.pos, decl: isDeclStart(func(j int) token.Token {
				if i+j < len(toks) {
					return toks[i+j].tok
				}
				return token.EOF
			})})
		}
		switch t.tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		case token.SEMICOLON:
			if depth <= 0 {
				// An explicit ";" belongs to its item, so that blanking the
				// item leaves no stray ";" among declarations.
				end := t.pos
				if t.lit == ";" {
					end++
				}
				items[len(items)-1].end = end
				start = -1
			}
		}
	}
	if start >= 0 {
		items[len(items)-1].end = len(src)
	}
	return items
}

// isDeclStart reports whether the tokens starting an item begin a
// declaration. at(j) returns the j-th token of the item.
func isDeclStart(at func(int) token.Token) bool {
	switch at(0) {
	case token.IMPORT, token.TYPE, token.CONST, token.VAR:
		return true
	case token.FUNC:
	default:
		return false
	}
	switch at(1) {
	case token.IDENT:
		return true // func Name(
	case token.LPAREN:
	default:
		return false
	}
	// func (recv T) Name( is a method; func (params) ... is a literal.
	depth := 0
	for j := 1; ; j++ {
		switch at(j) {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
			if depth == 0 {
				return at(j+1) == token.IDENT && (at(j+2) == token.LPAREN || at(j+2) == token.LBRACK)
			}
		case token.EOF:
			return false
		}
	}
}

// blank returns src with every item for which keep is false replaced by
// spaces, newlines kept, so that positions stay those of the cell.
func blank(src string, items []item, keep func(item) bool) string {
	b := []byte(src)
	for _, it := range items {
		if keep(it) {
			continue
		}
		for i := it.start; i < it.end; i++ {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	return string(b)
}

// fileName is the base name of every cell's file in the interpreter's file
// set: yaegi scopes imports by base name, so all cells share one, in
// directories named after the cells ("cell3/cell").
const fileName = "cell"

// parseCell parses src, named name in positions, into a cell.
func parseCell(fset *token.FileSet, name, src string) (*cell, error) {
	c := &cell{src: src, fset: fset}
	const mode = parser.ParseComments | parser.AllErrors
	path := name + "/" + fileName
	// The directive, relative to the file's own directory, makes the
	// cell's first line line 1 of path, so that positions are the cell's.
	directive := "\n//line " + fileName + ":1:1\n"
	body := src
	if n := packageClause(src); n > 0 {
		// A whole program: its package clause is blanked so that the file
		// gets the shared file name like every cell.
		c.program = true
		body = strings.Repeat(" ", n) + src[n:]
	}
	items := splitItems(body)
	if !c.program {
		hoistVars(body, items)
	}
	var err error
	c.prefix = len("package main" + directive)
	c.file, err = parser.ParseFile(fset, path, "package main"+directive+blank(body, items, func(it item) bool { return it.decl }), mode)
	if err != nil {
		return nil, err
	}
	hasStmt := false
	for _, it := range items {
		hasStmt = hasStmt || !it.decl
	}
	if !hasStmt {
		return c, nil
	}
	c.stmtFile, err = parser.ParseFile(fset, path, "package main;func _(){"+directive+blank(body, items, func(it item) bool { return !it.decl })+"\n}", mode)
	if err != nil {
		return nil, err
	}
	c.body = c.stmtFile.Decls[0].(*ast.FuncDecl).Body
	return c, nil
}

// packageClause returns the length of the cell's opening package clause,
// or 0 when it has none.
func packageClause(src string) int {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)
	if _, t, _ := s.Scan(); t != token.PACKAGE {
		return 0
	}
	pos, t, lit := s.Scan()
	if t != token.IDENT {
		return 0
	}
	return file.Offset(pos) + len(lit)
}

// hoistVars decides where var and const items go. They run in order with
// the statements, as a notebook reader expects, unless a function or method
// of the same cell uses one of their names: then they are declared with it,
// as in a Go file.
func hoistVars(src string, items []item) {
	used := map[string]bool{}
	for _, it := range items {
		if text := src[it.start:it.end]; it.decl && strings.HasPrefix(text, "func") {
			for _, id := range identifiers(text) {
				used[id] = true
			}
		}
	}
	for i, it := range items {
		text := src[it.start:it.end]
		if !it.decl || !(strings.HasPrefix(text, "var") || strings.HasPrefix(text, "const")) {
			continue
		}
		items[i].decl = false
		for _, n := range declaredNames(text) {
			if used[n] {
				items[i].decl = true
				break
			}
		}
	}
}

// declaredNames returns the names a var or const item declares: the
// identifiers that follow the keyword, "(" or ";" and precede a type, "="
// or ",".
func declaredNames(text string) []string {
	var names []string
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", fset.Base(), len(text)), []byte(text), func(token.Position, string) {}, 0)
	depth, expectName := 0, true
	for {
		_, t, lit := s.Scan()
		switch t {
		case token.EOF:
			return names
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
			expectName = depth == 1 && t == token.LPAREN
			continue
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
		case token.IDENT:
			if expectName && depth <= 1 {
				names = append(names, lit)
			}
		case token.COMMA:
			expectName = depth <= 1 && expectName
			continue
		case token.SEMICOLON:
			expectName = depth == 1
			continue
		}
		if t != token.VAR && t != token.CONST {
			expectName = false
		} else {
			expectName = true
		}
	}
}

func identifiers(text string) []string {
	var ids []string
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", fset.Base(), len(text)), []byte(text), func(token.Position, string) {}, 0)
	for {
		_, t, lit := s.Scan()
		if t == token.EOF {
			return ids
		}
		if t == token.IDENT {
			ids = append(ids, lit)
		}
	}
}

// offset returns the offset in the cell's text of pos, a position in file.
func (c *cell) offset(pos token.Pos) int {
	return c.fset.File(pos).Offset(pos) - c.prefix
}
