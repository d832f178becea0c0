package eval

import (
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A lexer reads a cell's text token by token, as go/scanner does, but only
// as finely as splitting the cell needs, and without allocating: it reports
// identifiers, keywords, brackets and semicolons, explicit or inserted at
// the end of a line, where go/scanner would, and every other token as
// [otherToken]. Splitting a 100-line cell with go/scanner cost a quarter
// of the time it takes to parse, mostly in the string go/scanner allocates
// for each identifier and the line table it builds.
type lexer struct {
	src string
	off int // of the next byte to read
	// semi is set, as go/scanner's insertSemi, when a newline or the end of
	// the text ends the statement.
	semi bool
}

// otherToken stands for an operator or a literal, whatever its kind: one
// of go/scanner's tokens may come back as several of these.
const otherToken = token.ILLEGAL

// bom is the byte order mark, which go/scanner skips at the start of a
// text.
const bom = "\uFEFF"

func newLexer(src string) *lexer {
	return &lexer{src: src, off: len(src) - len(strings.TrimPrefix(src, bom))}
}

// next returns the next token, its offset and, for an identifier, its name
// and, for a semicolon, ";" when it is written and "\n" when it is
// inserted.
func (l *lexer) next() (tok token.Token, pos int, lit string) {
	for {
		l.skipSpace()
		if l.off >= len(l.src) {
			if l.semi {
				l.semi = false
				return token.SEMICOLON, len(l.src), "\n"
			}
			return token.EOF, len(l.src), ""
		}
		if l.src[l.off] != '/' || !strings.HasPrefix(l.src[l.off+1:], "/") && !strings.HasPrefix(l.src[l.off+1:], "*") {
			break
		}
		if nl := l.comment(); nl >= 0 && l.semi {
			// A newline in a /*...*/ comment ends the statement.
			l.semi = false
			return token.SEMICOLON, nl, "\n"
		}
	}
	pos = l.off
	c := l.src[pos]
	switch {
	case isIdentByte(c):
		return l.ident()
	case c >= utf8.RuneSelf:
		r, w := utf8.DecodeRuneInString(l.src[pos:])
		if unicode.IsLetter(r) {
			return l.ident()
		}
		// An illegal character leaves semi as it was.
		l.off += w
		return otherToken, pos, ""
	case '0' <= c && c <= '9' || c == '.' && pos+1 < len(l.src) && '0' <= l.src[pos+1] && l.src[pos+1] <= '9':
		l.number()
		l.semi = true
		return otherToken, pos, ""
	}
	l.off++
	tok, semi := otherToken, false
	switch c {
	case '\n':
		// Only reached with semi set: skipSpace stops here.
		tok, lit = token.SEMICOLON, "\n"
	case '"', '\'':
		l.quoted(c)
		semi = true
	case '`':
		if i := strings.IndexByte(l.src[l.off:], '`'); i >= 0 {
			l.off += i + 1
		} else {
			l.off = len(l.src)
		}
		semi = true
	case ';':
		tok, lit = token.SEMICOLON, ";"
	case '(':
		tok = token.LPAREN
	case '[':
		tok = token.LBRACK
	case '{':
		tok = token.LBRACE
	case ')':
		tok, semi = token.RPAREN, true
	case ']':
		tok, semi = token.RBRACK, true
	case '}':
		tok, semi = token.RBRACE, true
	case '+', '-':
		// ++ and -- end a statement; += and the like do not.
		if l.off < len(l.src) && l.src[l.off] == c {
			l.off++
			semi = true
		}
	case '*', '/', '%', '&', '|', '^', '<', '>', '=', '!', ':', '.', ',', '~':
	default:
		// An illegal character leaves semi as it was.
		semi = l.semi
	}
	l.semi = semi
	return tok, pos, lit
}

// nextBracket returns the next bracket, as next would, or EOF, skipping
// everything else: splitItems needs no more inside brackets, where most of
// a cell is, and skipping is several times faster than lexing.
func (l *lexer) nextBracket() (tok token.Token, pos int) {
	for l.off < len(l.src) {
		if !bracketStops[l.src[l.off]] {
			l.off++
			continue
		}
		// Literals and comments may hold brackets.
		if tok, pos, _ = l.next(); isBracket(tok) {
			return tok, pos
		}
	}
	return token.EOF, len(l.src)
}

// bracketStops are the bytes that start brackets, literals that may hold
// them, and comments.
var bracketStops = [256]bool{
	'(': true, ')': true, '[': true, ']': true, '{': true, '}': true,
	'"': true, '\'': true, '`': true, '/': true,
}

func isBracket(tok token.Token) bool {
	switch tok {
	case token.LPAREN, token.RPAREN, token.LBRACK, token.RBRACK, token.LBRACE, token.RBRACE:
		return true
	}
	return false
}

// skipSpace skips blanks, and newlines that do not end a statement.
func (l *lexer) skipSpace() {
	for ; l.off < len(l.src); l.off++ {
		switch l.src[l.off] {
		case ' ', '\t', '\r':
		case '\n':
			if l.semi {
				return
			}
		default:
			return
		}
	}
}

// comment skips a comment and returns the offset of the first newline in
// a /*...*/ comment, or -1.
func (l *lexer) comment() int {
	start := l.off
	if l.src[start+1] == '/' {
		// The newline that ends a //-comment is not part of it.
		if i := strings.IndexByte(l.src[start:], '\n'); i >= 0 {
			l.off = start + i
		} else {
			l.off = len(l.src)
		}
		return -1
	}
	if i := strings.Index(l.src[start+2:], "*/"); i >= 0 {
		l.off = start + 2 + i + 2
	} else {
		l.off = len(l.src)
	}
	if i := strings.IndexByte(l.src[start:l.off], '\n'); i >= 0 {
		return start + i
	}
	return -1
}

// ident reads an identifier or keyword.
func (l *lexer) ident() (token.Token, int, string) {
	pos := l.off
	for l.off < len(l.src) {
		c := l.src[l.off]
		if isIdentByte(c) || '0' <= c && c <= '9' {
			l.off++
			continue
		}
		if c < utf8.RuneSelf {
			break
		}
		r, w := utf8.DecodeRuneInString(l.src[l.off:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		l.off += w
	}
	lit := l.src[pos:l.off]
	tok := keyword(lit)
	switch tok {
	case token.IDENT, token.BREAK, token.CONTINUE, token.FALLTHROUGH, token.RETURN:
		l.semi = true
	default:
		l.semi = false
	}
	return tok, pos, lit
}

// keywordsByLetter lists Go's keywords by their first letter, so that
// telling a keyword from an identifier takes a comparison or two of
// strings, mostly of different lengths: token.Lookup's map was half the
// lexer's time.
var keywordsByLetter = func() (k [26][]keywordToken) {
	for tok := token.BREAK; tok.IsKeyword(); tok++ {
		c := tok.String()[0] - 'a'
		k[c] = append(k[c], keywordToken{tok.String(), tok})
	}
	return k
}()

type keywordToken struct {
	lit string
	tok token.Token
}

// keyword returns the keyword lit spells, or token.IDENT.
func keyword(lit string) token.Token {
	if 'a' <= lit[0] && lit[0] <= 'z' {
		for _, k := range keywordsByLetter[lit[0]-'a'] {
			if k.lit == lit {
				return k.tok
			}
		}
	}
	return token.IDENT
}

func isIdentByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

// number reads a number literal, including malformed ones, as far as
// go/scanner would.
func (l *lexer) number() {
	hex := false
	if l.src[l.off] != '.' {
		if l.src[l.off] == '0' {
			l.off++
			switch l.peekLower() {
			case 'x':
				l.off++
				hex = true
			case 'o', 'b':
				l.off++
			}
		}
		l.digits(hex)
	}
	if l.off < len(l.src) && l.src[l.off] == '.' {
		l.off++
		l.digits(hex)
	}
	if e := l.peekLower(); e == 'e' || e == 'p' {
		l.off++
		if l.off < len(l.src) && (l.src[l.off] == '+' || l.src[l.off] == '-') {
			l.off++
		}
		l.digits(false)
	}
	if l.off < len(l.src) && l.src[l.off] == 'i' {
		l.off++
	}
}

// peekLower returns the byte at the lexer's offset, lower-cased if it is a
// letter, or 0 at the end.
func (l *lexer) peekLower() byte {
	if l.off >= len(l.src) {
		return 0
	}
	return l.src[l.off] | ('a' - 'A')
}

// digits reads decimal digits, or hexadecimal ones, and underscores.
func (l *lexer) digits(hex bool) {
	for ; l.off < len(l.src); l.off++ {
		c := l.src[l.off]
		if !('0' <= c && c <= '9' || c == '_' || hex && 'a' <= c|('a'-'A') && c|('a'-'A') <= 'f') {
			return
		}
	}
}

// quoted reads the rest of a string or rune literal opened by quote: up to
// the closing quote, or to the end of the line when it has none.
func (l *lexer) quoted(quote byte) {
	for l.off < len(l.src) {
		c := l.src[l.off]
		if c == '\n' {
			return
		}
		l.off++
		if c == quote {
			return
		}
		// Only an escaped quote or backslash could be mistaken for the end
		// of the literal or an escape.
		if c == '\\' && l.off < len(l.src) && (l.src[l.off] == quote || l.src[l.off] == '\\') {
			l.off++
		}
	}
}
