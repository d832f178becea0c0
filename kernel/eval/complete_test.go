package eval

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// session returns an evaluator that has run cells.
func session(t testing.TB, cells ...string) *Evaluator {
	t.Helper()
	e := newEvaluator(t)
	for _, c := range cells {
		if _, _, err := runCell(t, e, &fakeFrontend{}, c); err != nil {
			t.Fatalf("%q: %v", c, err)
		}
	}
	return e
}

func TestComplete(t *testing.T) {
	e := session(t,
		"type Point struct{ X, Y int }\nfunc (p Point) Norm2() int { return p.X*p.X + p.Y*p.Y }",
		"pt := Point{1, 2}\nt := tensor.Ones(2)\nfunc helperFunc() {}\nvar counterVar = 3",
		"type cell struct{ row, col int }\nfunc (c cell) next() cell { return cell{c.row, c.col + 1} }\nc0 := cell{}",
	)
	tests := []struct {
		code      string // the cursor is at the end, or at "|"
		want      []string
		first     string // the first match, when it matters
		notWanted string
	}{
		{code: "fmt.Pri", want: []string{"Print", "Printf", "Println"}, first: "Print"},
		{code: "tensor.Ze", want: []string{"Zeros", "ZerosLike"}, first: "Zeros"},
		{code: "strings.Has", want: []string{"HasPrefix", "HasSuffix"}},
		{code: "slices.So", want: []string{"Sort", "SortFunc"}, first: "Sort"},
		{code: "t.Su", want: []string{"Sum"}},
		{code: "t.Sum().It", want: []string{"Item"}},
		{code: "fmt.Println(t.Sum().Nu", want: []string{"Numel"}},
		{code: "pt.", want: []string{"X", "Y", "Norm2"}},
		{code: "pt.No", want: []string{"Norm2"}},
		// yaegi's reflect type names these fields Xrow and Xcol.
		{code: "c0.", want: []string{"row", "col", "next"}, notWanted: "Xrow"},
		{code: "help", want: []string{"helperFunc"}},
		{code: "counter", want: []string{"counterVar"}},
		{code: "Poi", want: []string{"Point"}},
		{code: "ret", want: []string{"return"}},
		{code: "app", want: []string{"append"}},
		{code: "x := 1\nlocalName := 2\nlocal", want: []string{"localName"}},
		{code: "fmt.Println(|)", want: nil},
		{code: "pri", want: []string{"print", "println"}, notWanted: "__gorchMin"},
		{code: "__gor", want: nil},
	}
	for _, tt := range tests {
		code, cursor := tt.code, utf8.RuneCountInString(tt.code)
		if i := strings.Index(code, "|"); i >= 0 {
			code = code[:i] + code[i+1:]
			cursor = utf8.RuneCountInString(code[:i])
		}
		c := e.Complete(code, cursor)
		for _, w := range tt.want {
			if !slices.Contains(c.Matches, w) {
				t.Errorf("Complete(%q): %v lacks %q", tt.code, c.Matches, w)
			}
		}
		if tt.want == nil && strings.HasPrefix(tt.code, "__") && len(c.Matches) > 0 {
			t.Errorf("Complete(%q) offers internal names %v", tt.code, c.Matches)
		}
		if tt.first != "" && (len(c.Matches) == 0 || c.Matches[0] != tt.first) {
			t.Errorf("Complete(%q): first match of %v, want %q", tt.code, c.Matches, tt.first)
		}
		if tt.notWanted != "" && slices.Contains(c.Matches, tt.notWanted) {
			t.Errorf("Complete(%q) offers %q", tt.code, tt.notWanted)
		}
		if c.CursorEnd != cursor {
			t.Errorf("Complete(%q): cursor end %d, want %d", tt.code, c.CursorEnd, cursor)
		}
	}
}

func TestCompleteCursorInCodePoints(t *testing.T) {
	e := session(t, "héllo := 1")
	code := "s := \"ünïcödé\"; hé"
	c := e.Complete(code, utf8.RuneCountInString(code))
	if !slices.Contains(c.Matches, "héllo") {
		t.Fatalf("matches %v", c.Matches)
	}
	if want := utf8.RuneCountInString(code) - 2; c.CursorStart != want {
		t.Errorf("cursor start %d, want %d (code points)", c.CursorStart, want)
	}
}

func TestInspect(t *testing.T) {
	e := session(t,
		"// Area returns the area of a w by h rectangle.\nfunc Area(w, h float64) float64 { return w * h }",
		"type Point struct{ X, Y int }\n// Norm2 is the squared length.\nfunc (p Point) Norm2() int { return p.X*p.X + p.Y*p.Y }",
		"xs := []int{1, 2, 3}\npt := Point{1, 2}\nt := tensor.Ones(2)",
		"type Widget struct{ Size int }\nwid := &Widget{}",
		"type cell struct{ row, col int }\nc0 := cell{2, 3}",
		"type label string\ntype unit struct{}\nu0 := unit{}",
	)
	tests := []struct {
		code string // the cursor is at "|", or at the end
		want []string
	}{
		{"Area|", []string{"func Area(w, h float64) float64", "Area returns the area"}},
		{"Area(|", []string{"func Area(w, h float64) float64"}},
		{"xs|", []string{"[]int", "[1 2 3]"}},
		{"pt|", []string{"Point", "{1 2}"}},
		{"wid|", []string{"var wid *Widget"}},
		{"pt.Norm2|", []string{"func (p Point) Norm2() int", "squared length"}},
		{"c0.row|", []string{"field row int"}},
		{"c0|", []string{"var c0 cell"}},
		// An empty struct is not taken for the non-struct type before it.
		{"u0|", []string{"var u0 unit"}},
		{"strings.Spl|it(", []string{"func Split(s, sep string) []string", "Split slices s"}},
		{"fmt.Println|", []string{"func Println(a ...any)"}},
		{"tensor.Ones|", []string{"func Ones(shape ...int) *Tensor"}},
		{"t.Sum|", []string{"Sum"}},
		{"strings|", []string{"package strings"}},
		{"len|", []string{"func len(v Type) int"}},
	}
	for _, tt := range tests {
		code := strings.Replace(tt.code, "|", "", 1)
		cursor := utf8.RuneCountInString(tt.code[:strings.Index(tt.code, "|")])
		b, found := e.Inspect(code, cursor, 0)
		if !found {
			t.Errorf("Inspect(%q): not found", tt.code)
			continue
		}
		text, _ := b["text/plain"].(string)
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("Inspect(%q) = %q, want it to contain %q", tt.code, text, w)
			}
		}
	}
	if _, found := e.Inspect("nosuchname", 10, 0); found {
		t.Errorf("Inspect found an undefined name")
	}
}

func TestIsComplete(t *testing.T) {
	e := newEvaluator(t)
	tests := []struct {
		code, status, indent string
	}{
		{"x := 1", "complete", ""},
		{"func f() {", "incomplete", "\t"},
		{"for i := range 3 {\n\tif i > 1 {", "incomplete", "\t\t"},
		{"x := []int{\n1,", "incomplete", "\t"},
		{"s := `raw", "incomplete", ""},
		{"x := 1 +", "incomplete", ""},
		{"x := 1 }", "invalid", ""},
		{"x := := 2", "invalid", ""},
		{"%time x", "complete", ""},
		{"", "complete", ""},
		{"package main\nfunc main() {}", "complete", ""},
	}
	for _, tt := range tests {
		status, indent := e.IsComplete(tt.code)
		if status != tt.status || indent != tt.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", tt.code, status, indent, tt.status, tt.indent)
		}
	}
}
