package eval

import (
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzLexer checks the lexer against go/scanner on any text: the same
// identifiers, keywords, brackets and semicolons at the same offsets, and
// other tokens where go/scanner has a run of them. That is all splitItems
// looks at.
func FuzzLexer(f *testing.F) {
	for _, s := range []string{
		"x := 1 /* a\nb */ y", "x /* a */\ny", "return // done\nx", "a++\nb--\nc+=1\n",
		"0x1p-2\n1e+\n0b101.5i\n.5\n1..x\n0x1e+2\n07_7i", "'\\''\n\"\\\\\"\n\"\\\"\n`raw\nx`y",
		"\"open\nx", "'\nx", "`open", "/* open\n", "\uFEFFpackage p", "x\u00e9y := 1\n\u0663x",
		"\xff\n\ufeff\n@$#?\\\n", "func (r T) M[K any]() {}; for i := 0; i < 3; i++ {}",
		"x./*c*/y\n", "a ! = b\n", "break\ncontinue\nfallthrough\nreturn\ngoto L\n",
	} {
		f.Add(s)
	}
	files, _ := filepath.Glob("testdata/corpus/*.go")
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(string(src))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		want := scanned(src)
		if got := lexed(src); !slices.Equal(got, want) {
			t.Fatalf("lexer on %q:\n got  %q\n want %q", src, got, want)
		}
		want = slices.DeleteFunc(want, func(tok string) bool {
			return !strings.ContainsAny(tok[:1], "()[]{}") && !strings.HasPrefix(tok, "EOF")
		})
		if got := bracketed(src); !slices.Equal(got, want) {
			t.Fatalf("nextBracket on %q:\n got  %q\n want %q", src, got, want)
		}
	})
}

// bracketed describes the brackets nextBracket finds, and the end.
func bracketed(src string) []string {
	var toks []string
	l := newLexer(src)
	for {
		tok, pos := l.nextBracket()
		toks = appendToken(toks, tok, pos, "")
		if tok == token.EOF {
			return toks
		}
	}
}

// lexed describes the lexer's tokens for FuzzLexer.
func lexed(src string) []string {
	var toks []string
	l := newLexer(src)
	for {
		tok, pos, lit := l.next()
		toks = appendToken(toks, tok, pos, lit)
		if tok == token.EOF {
			return toks
		}
	}
}

// scanned describes go/scanner's tokens as lexed describes the lexer's.
func scanned(src string) []string {
	var toks []string
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)
	for {
		p, tok, lit := s.Scan()
		switch {
		case tok == token.IDENT, tok == token.SEMICOLON, tok == token.EOF, tok.IsKeyword():
		case tok == token.LPAREN, tok == token.RPAREN, tok == token.LBRACK, tok == token.RBRACK, tok == token.LBRACE, tok == token.RBRACE:
		default:
			tok = otherToken
		}
		toks = appendToken(toks, tok, file.Offset(p), lit)
		if tok == token.EOF {
			return toks
		}
	}
}

// appendToken appends a token's description, with the text of
// identifiers and semicolons, folding a run of other tokens into its first.
func appendToken(toks []string, tok token.Token, pos int, lit string) []string {
	switch {
	case tok == otherToken && len(toks) > 0 && toks[len(toks)-1][0] == '?':
		return toks
	case tok == otherToken:
		return append(toks, fmt.Sprintf("?@%d", pos))
	case tok == token.IDENT, tok == token.SEMICOLON:
		return append(toks, fmt.Sprintf("%s@%d %q", tok, pos, lit))
	}
	return append(toks, fmt.Sprintf("%s@%d", tok, pos))
}
