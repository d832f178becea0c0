package eval

import (
	"errors"
	"go/scanner"
	"go/token"
	"strings"
)

// IsComplete reports whether code is ready to run, for consoles that ask
// before sending a cell: "incomplete" while brackets or a raw string are
// open or the code stops mid-expression, with indent holding one tab per
// open bracket; "invalid" for code that cannot become valid by adding
// lines; "complete" otherwise.
func (e *Evaluator) IsComplete(code string) (string, string) {
	t := strings.TrimSpace(code)
	if t == "" || strings.HasPrefix(t, "%") || strings.HasPrefix(t, "!") {
		return "complete", ""
	}
	var s scanner.Scanner
	fset := token.NewFileSet()
	unterminated := false
	s.Init(fset.AddFile("", fset.Base(), len(code)), []byte(code), func(_ token.Position, msg string) {
		if strings.Contains(msg, "raw string literal not terminated") || strings.Contains(msg, "comment not terminated") {
			unterminated = true
		}
	}, 0)
	depth := 0
	for {
		_, tok, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
			if depth < 0 {
				return "invalid", ""
			}
		}
	}
	if unterminated {
		return "incomplete", ""
	}
	if depth > 0 {
		return "incomplete", strings.Repeat("\t", depth)
	}
	if _, err := parseCell(token.NewFileSet(), "check", code); err != nil {
		var list scanner.ErrorList
		// An error past the last line means the code stops mid-statement.
		lines := strings.Count(strings.TrimRight(code, " \t\n"), "\n") + 1
		if errors.As(err, &list) && len(list) > 0 && list[0].Pos.Line > lines {
			return "incomplete", ""
		}
		return "invalid", ""
	}
	return "complete", ""
}
