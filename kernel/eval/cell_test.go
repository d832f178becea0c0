package eval

import (
	"errors"
	"go/token"
	"strings"
	"testing"

	"github.com/gorch/gorch/kernel"
)

func TestSplitItems(t *testing.T) {
	tests := []struct {
		code  string
		decls []string // the items that are declarations, in order
		stmts []string
	}{
		{"x := 1", nil, []string{"x := 1"}},
		{"import \"fmt\"\nfmt.Println(1)", []string{`import "fmt"`}, []string{"fmt.Println(1)"}},
		{"func f() {}\nf()", []string{"func f() {}"}, []string{"f()"}},
		{"func (p P) M() int { return 1 }", []string{"func (p P) M() int { return 1 }"}, nil},
		{"func() { println() }()", nil, []string{"func() { println() }()"}},
		{"func(x int) int { return x }(2)", nil, []string{"func(x int) int { return x }(2)"}},
		{"type T struct {\n\tA int\n}; t := T{}", []string{"type T struct {\n\tA int\n};"}, []string{"t := T{}"}},
		{"var x = 1", nil, []string{"var x = 1"}},
		{"var n int\nfunc inc() { n++ }", []string{"var n int", "func inc() { n++ }"}, nil},
		{"const (\n\tA = iota\n\tB\n)\nfunc f() int { return B }", []string{"const (\n\tA = iota\n\tB\n)", "func f() int { return B }"}, nil},
		{"for i := 0; i < 3; i++ {\n}\nx := 2", nil, []string{"for i := 0; i < 3; i++ {\n}", "x := 2"}},
	}
	for _, tt := range tests {
		items := splitItems(tt.code)
		hoistVars(tt.code, items)
		var decls, stmts []string
		for _, it := range items {
			text := tt.code[it.start:it.end]
			if it.decl {
				decls = append(decls, text)
			} else {
				stmts = append(stmts, strings.TrimSuffix(text, ";"))
			}
		}
		if strings.Join(decls, "|") != strings.Join(tt.decls, "|") || strings.Join(stmts, "|") != strings.Join(tt.stmts, "|") {
			t.Errorf("splitItems(%q):\n decls %q, want %q\n stmts %q, want %q", tt.code, decls, tt.decls, stmts, tt.stmts)
		}
	}
}

func TestDeclaredNames(t *testing.T) {
	tests := []struct{ text, want string }{
		{"var x = 1", "x"},
		{"var a, b int", "a,b"},
		{"const (\n\tA = iota\n\tB\n)", "A,B"},
		{"var (\n\tm = map[string]int{\"k\": 1}\n\tn int\n)", "m,n"},
	}
	for _, tt := range tests {
		if got := strings.Join(declaredNames(tt.text), ","); got != tt.want {
			t.Errorf("declaredNames(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestParseCellPositions(t *testing.T) {
	fset := token.NewFileSet()
	code := "x := 1\n// Double doubles.\nfunc Double(v int) int { return 2 * v }\ny := Double(x)"
	c, err := parseCell(fset, "cell7", code)
	if err != nil {
		t.Fatal(err)
	}
	fd := c.file.Decls[0]
	if p := fset.Position(fd.Pos()); p.Filename != "cell7/cell" || p.Line != 3 || p.Column != 1 {
		t.Errorf("func at %v, want cell7/cell:3:1", p)
	}
	if got := code[c.offset(fd.Pos()):c.offset(fd.End())]; !strings.HasPrefix(got, "func Double") {
		t.Errorf("offsets give %q", got)
	}
	if p := fset.Position(c.body.List[1].Pos()); p.Line != 4 || p.Column != 1 {
		t.Errorf("second statement at %v, want line 4", p)
	}
}

// FuzzSplitItems checks that items are ordered, disjoint and in bounds, and
// that blanking keeps the text's length and line breaks, whatever the
// input.
func FuzzSplitItems(f *testing.F) {
	for _, s := range []string{"x := 1", "func f() {}\nf()", "type T struct{}; var t T", "func (", "`raw", "a := []int{1,\n2}\n}", "package main\nfunc main() {}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		items := splitItems(code)
		hoistVars(code, items)
		prev := 0
		for _, it := range items {
			if it.start < prev || it.end < it.start || it.end > len(code) {
				t.Fatalf("bad item %+v after %d in %q", it, prev, code)
			}
			prev = it.end
		}
		b := string(blank(nil, "", code, "", items, func(it item) bool { return it.decl }))
		if len(b) != len(code) || strings.Count(b, "\n") != strings.Count(code, "\n") {
			t.Fatalf("blanking changed the shape of %q: %q", code, b)
		}
	})
}

// FuzzPlan checks that parsing and rewriting any cell either succeeds or
// fails with a syntax or compile error, never with a panic or an internal
// error.
func FuzzPlan(f *testing.F) {
	for _, s := range []string{
		"for i := range 3 { go func() { println(i) }() }",
		"for k, v := range maps.All(m) { defer f(k, v) }",
		"L: for x := range seq { if x { continue L } }",
		"func main() { main() }\nmain()",
		"min(1, \"a\", 2.5)", "max(-1, +2)", "clear(m)",
		"go f(x...)", "x.y.z", "type T[K comparable] struct{}",
		"defer open().Close()", "defer func(n int) { recover() }(len(xs))", "func f() { defer fmt.Print(main, x.main) }",
	} {
		f.Add(s)
	}
	e := newEvaluator(f)
	f.Fuzz(func(t *testing.T, code string) {
		c, err := parseCell(e.in.FileSet(), "fuzz", code)
		if err != nil {
			return
		}
		if _, err := e.plan(c, rangeNative); err != nil {
			var ee *kernel.EvalError
			if errors.As(err, &ee) && ee.Name == "InternalError" {
				t.Fatalf("plan(%q): %v", code, err)
			}
		}
	})
}
