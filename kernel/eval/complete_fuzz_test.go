package eval

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzCells set up the evaluator the completion fuzz targets ask: cell
// types and methods, tensors, nil interfaces and pointers, long values.
var fuzzCells = []string{
	"type Point struct{ X, Y int }\n// Norm2 is the squared length.\nfunc (p Point) Norm2() int { return p.X*p.X + p.Y*p.Y }",
	"type Box struct {\n\tV    any\n\tNext *Box\n\tErr  error\n}",
	"pt := Point{1, 2}\nt := tensor.Ones(2, 3)\nb := Box{}\nvar np *Box\nvar err error\nvar v any\nxs := []int{1, 2, 3}",
	"long := strings.Repeat(\"é\", 3000)\nhé := \"ünïcödé\"\nfunc helperFunc(n int) int { return n }",
}

// fuzzCode are realistic cells, each with a few cursors: at the start, at
// the end, inside, and outside the code.
var fuzzCode = []string{
	"tensor.Ze", "fmt.Pri", "t.Su", "t.Sum().It", "fmt.Println(t.Sum().Nu", "pt.", "pt.No", "b.Next.Next.V", "b.Err.Error",
	"err.Error", "v.", "np.Next.", "long", "hé", "s := \"ünïcödé\"; hé", "x := \"😀\" + 😀", "👩‍👩‍👧.", "strings.Spl(",
	"func f(x int) int {\n\tif x > 0 {\n\t\treturn x\n\t}\n\treturn -x\n}\nf(", "s := \"unterminated", "s := `raw\nstring",
	"// a comment with fmt.Pri\nfmt.", "/* open comment", "x := 1 }", "%time t.Su", "%%time\nt.Sum()", "!ls", "Area(", "(", ".", "",
	"\xff\xfe.\xc3", "é\x80x.", "pt.Norm2()().X", "t.Sum().Sum().Sum().", "len", "package main\nfunc main() {}",
}

func addCodeSeeds(f *testing.F) {
	for _, code := range fuzzCode {
		n := utf8.RuneCountInString(code)
		for _, cursor := range []int{n, 0, n / 2, -1, n + 1, 1 << 40, -1 << 40} {
			f.Add(code, cursor)
		}
	}
}

// FuzzComplete checks that completion of any code at any cursor answers
// with matches that are valid UTF-8 and a range inside the code.
func FuzzComplete(f *testing.F) {
	addCodeSeeds(f)
	e := session(f, fuzzCells...)
	f.Fuzz(func(t *testing.T, code string, cursor int) {
		c := e.Complete(code, cursor)
		n := utf8.RuneCountInString(code)
		if c.CursorStart < 0 || c.CursorStart > c.CursorEnd || c.CursorEnd > n {
			t.Fatalf("Complete(%q, %d): cursor start %d, end %d, in %d code points", code, cursor, c.CursorStart, c.CursorEnd, n)
		}
		if cursor >= 0 && cursor <= n && c.CursorEnd != cursor {
			t.Fatalf("Complete(%q, %d): cursor end %d", code, cursor, c.CursorEnd)
		}
		for _, m := range c.Matches {
			if !utf8.ValidString(m) || m == "" {
				t.Fatalf("Complete(%q, %d): match %q", code, cursor, m)
			}
		}
		if types, _ := c.Metadata["_jupyter_types_experimental"].([]map[string]any); len(types) != len(c.Matches) {
			t.Fatalf("Complete(%q, %d): %d types for %d matches", code, cursor, len(types), len(c.Matches))
		}
	})
}

// FuzzInspect checks that inspecting any code at any cursor answers, and
// with valid UTF-8 text when it finds something.
func FuzzInspect(f *testing.F) {
	addCodeSeeds(f)
	e := session(f, fuzzCells...)
	f.Fuzz(func(t *testing.T, code string, cursor int) {
		for _, level := range []int{0, 1} {
			b, found := e.Inspect(code, cursor, level)
			if !found {
				if b != nil {
					t.Fatalf("Inspect(%q, %d): not found but %v", code, cursor, b)
				}
				continue
			}
			text, ok := b["text/plain"].(string)
			if !ok || text == "" || !utf8.ValidString(text) {
				t.Fatalf("Inspect(%q, %d) = %q", code, cursor, b)
			}
		}
	})
}

// FuzzIsComplete checks that any code gets one of the statuses of
// kernel.Evaluator, with an indentation of tabs only when incomplete.
func FuzzIsComplete(f *testing.F) {
	for _, code := range fuzzCode {
		f.Add(code)
	}
	e := newEvaluator(f)
	f.Fuzz(func(t *testing.T, code string) {
		status, indent := e.IsComplete(code)
		switch status {
		case "complete", "invalid", "unknown":
			if indent != "" {
				t.Fatalf("IsComplete(%q) = %q with indent %q", code, status, indent)
			}
		case "incomplete":
			if strings.Trim(indent, "\t") != "" {
				t.Fatalf("IsComplete(%q): indent %q", code, indent)
			}
		default:
			t.Fatalf("IsComplete(%q): status %q", code, status)
		}
	})
}
