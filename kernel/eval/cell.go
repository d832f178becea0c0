package eval

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
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
	// moved marks an import after other declarations, which Go's parser
	// refuses there: the declarations file has it at its start instead.
	moved bool
}

// splitItems cuts src into top-level items. A declaration starts with
// import, type, const, var or func at nesting depth zero (a func literal
// used as a statement is not one); every other item is a statement. const
// and var are declarations when the cell has no statement defining names
// they use; hoistVars decides that later, so they are marked here as
// declarations.
func splitItems(src string) []item {
	l := newLexer(src)
	var items []item
	depth := 0
	open := false
	// header is true between for, if or switch and the brace that opens
	// their block: the semicolons there belong to the statement.
	header := false
	var fn funcHead
	for {
		var t token.Token
		var pos int
		var lit string
		if depth > 0 {
			// Inside brackets, only brackets matter: an item starts and
			// ends outside them, and a func item's receiver is told by
			// its brackets alone.
			t, pos = l.nextBracket()
		} else {
			t, pos, lit = l.next()
		}
		if t == token.EOF {
			break
		}
		if !open {
			if t == token.SEMICOLON {
				continue
			}
			open = true
			decl := false
			switch t {
			case token.IMPORT, token.TYPE, token.CONST, token.VAR:
				decl = true
			case token.FUNC:
				fn = funcHead{state: funcName}
			}
			items = append(items, item{start: pos, end: len(src), decl: decl})
		} else if fn.state != funcDone {
			items[len(items)-1].decl = fn.next(t)
		}
		switch t {
		case token.FOR, token.IF, token.SWITCH:
			header = header || depth == 0
		case token.LBRACE:
			if depth == 0 {
				header = false
			}
			depth++
		case token.LPAREN, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		case token.SEMICOLON:
			if depth <= 0 && !header {
				// An explicit ";" belongs to its item, so that blanking the
				// item leaves no stray ";" among declarations.
				end := pos
				if lit == ";" {
					end++
				}
				items[len(items)-1].end = end
				open = false
				fn.state = funcDone
			}
		}
	}
	return items
}

// funcHead tells, token by token, a function or method declaration from a
// func literal used as a statement: func Name( is a function, func (recv
// T) Name( or Name[ a method, and anything else a literal.
type funcHead struct {
	state funcState
	depth int // of brackets inside the parentheses after func
}

type funcState int

const (
	funcDone   funcState = iota // decided
	funcName                    // after func: a name, or "("
	funcParens                  // inside the parentheses after func
	funcMethod                  // after them: a method name
	funcOpen                    // after the method name: "(" or "["
)

// next advances h by the item's next token t and reports whether the item
// is, so far, a declaration.
func (h *funcHead) next(t token.Token) bool {
	switch h.state {
	case funcName:
		h.state = funcDone
		switch t {
		case token.IDENT:
			return true
		case token.LPAREN:
			h.state, h.depth = funcParens, 1
		}
	case funcParens:
		switch t {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			h.depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if h.depth--; h.depth == 0 {
				h.state = funcMethod
			}
		}
	case funcMethod:
		h.state = funcDone
		if t == token.IDENT {
			h.state = funcOpen
		}
	case funcOpen:
		h.state = funcDone
		return t == token.LPAREN || t == token.LBRACK
	}
	return false
}

// blank returns prefix, src and suffix, with every item of src for which
// keep is false replaced by spaces, newlines kept, so that positions stay
// those of the cell. It builds the parser's input in one buffer, dst's
// when it is large enough.
func blank(dst []byte, prefix, src, suffix string, items []item, keep func(item) bool) []byte {
	b := append(append(append(dst[:0], prefix...), src...), suffix...)
	body := b[len(prefix) : len(prefix)+len(src)]
	for _, it := range items {
		if keep(it) {
			continue
		}
		for i := it.start; i < it.end; i++ {
			if body[i] != '\n' {
				body[i] = ' '
			}
		}
	}
	return b
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
	const directive = "\n//line " + fileName + ":1:1\n"
	const declPrefix, stmtPrefix, stmtSuffix = "package main" + directive, "package main;func _(){" + directive, "\n}"
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
	prefix := declPrefix
	if moved := moveImports(body, items); moved != "" {
		prefix = "package main\n" + moved + directive
	}
	// One buffer serves both parses: the parser keeps none of its input.
	buf := make([]byte, 0, max(len(prefix), len(stmtPrefix))+len(body)+len(stmtSuffix))
	var err error
	c.prefix = len(prefix)
	c.file, err = parser.ParseFile(fset, path, blank(buf, prefix, body, "", items, func(it item) bool { return it.decl && !it.moved }), mode)
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
	c.stmtFile, err = parser.ParseFile(fset, path, blank(buf, stmtPrefix, body, stmtSuffix, items, func(it item) bool { return !it.decl }), mode)
	if err != nil {
		return nil, err
	}
	c.body = c.stmtFile.Decls[0].(*ast.FuncDecl).Body
	return c, nil
}

// moveImports marks the imports that follow other declarations as moved
// and returns their text, each after a line directive that keeps its
// position, for the start of the declarations file: imports may come
// anywhere in a cell. It returns "" when every import comes first.
func moveImports(src string, items []item) string {
	var moved strings.Builder
	other := false
	for i, it := range items {
		if !it.decl {
			continue
		}
		if !strings.HasPrefix(src[it.start:], "import") {
			other = true
			continue
		}
		if !other {
			continue
		}
		items[i].moved = true
		line := 1 + strings.Count(src[:it.start], "\n")
		col := it.start - strings.LastIndexByte(src[:it.start], '\n')
		fmt.Fprintf(&moved, "//line %s:%d:%d\n%s\n", fileName, line, col, src[it.start:it.end])
	}
	return moved.String()
}

// packageClause returns the length of the cell's opening package clause,
// or 0 when it has none.
func packageClause(src string) int {
	l := newLexer(src)
	if t, _, _ := l.next(); t != token.PACKAGE {
		return 0
	}
	t, pos, lit := l.next()
	if t != token.IDENT {
		return 0
	}
	return pos + len(lit)
}

// hoistVars decides where var and const items go. They run in order with
// the statements, as a notebook reader expects, unless a function or method
// of the same cell uses one of their names: then they are declared with it,
// as in a Go file.
func hoistVars(src string, items []item) {
	var funcs []string
	for _, it := range items {
		if text := src[it.start:it.end]; it.decl && strings.HasPrefix(text, "func") {
			funcs = append(funcs, text)
		}
	}
	for i, it := range items {
		text := src[it.start:it.end]
		if !it.decl || !(strings.HasPrefix(text, "var") || strings.HasPrefix(text, "const")) {
			continue
		}
		items[i].decl = false
		for _, n := range declaredNames(text) {
			if usedBy(n, funcs) {
				items[i].decl = true
				break
			}
		}
	}
}

// usedBy reports whether one of texts uses the identifier name.
func usedBy(name string, texts []string) bool {
	for _, text := range texts {
		if strings.Contains(text, name) && slices.Contains(identifiers(text), name) {
			return true
		}
	}
	return false
}

// declaredNames returns the names a var or const item declares.
func declaredNames(text string) []string {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p;"+text, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) == 0 {
		return nil
	}
	var names []string
	if gd, ok := f.Decls[0].(*ast.GenDecl); ok {
		for _, s := range gd.Specs {
			if vs, ok := s.(*ast.ValueSpec); ok {
				for _, n := range vs.Names {
					names = append(names, n.Name)
				}
			}
		}
	}
	return names
}

func identifiers(text string) []string {
	var ids []string
	l := newLexer(text)
	for {
		t, _, lit := l.next()
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
