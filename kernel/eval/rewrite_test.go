package eval

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strings"
	"testing"
)

// TestRewriteCalls checks how defer and go statements are rewritten: each
// row is the body of a function, and the rewritten body printed on one
// line. GoPanic's second argument is the go statement's token.Pos in
// checkRewrite's file, where the body starts at 25.
func TestRewriteCalls(t *testing.T) {
	e := newEvaluator(t)
	tests := []struct{ name, body, want string }{
		{"defer args", "i := 1; defer fmt.Print(i, g(i))",
			"i := 1; { __gorch_arg1, __gorch_arg2 := i, g(i); defer fmt.Print(__gorch_arg1, __gorch_arg2) }"},
		{"defer constants stay", `const c = 2; defer f(1, -2.5, "s", nil, true, c, c*2, math.Pi)`,
			`const c = 2; defer f(1, -2.5, "s", nil, true, c, c*2, math.Pi)`},
		{"defer typed package value", "defer f(time.Second, os.Args)",
			"{ __gorch_arg1 := os.Args; defer f(time.Second, __gorch_arg1) }"},
		{"defer closure", "defer func() { recover() }()", "defer func() { recover() }()"},
		{"defer closure with args", "x := 1; defer func(n int) { recover() }(x)",
			"x := 1; { __gorch_arg1 := x; defer func(n int) { recover() }(__gorch_arg1) }"},
		{"defer method on variable", "var mu sync.Mutex; defer mu.Unlock(); var wg sync.WaitGroup; defer wg.Done()",
			"var mu sync.Mutex; defer mu.Unlock(); var wg sync.WaitGroup; defer wg.Done()"},
		{"defer method on call result", "defer open().Close()",
			"{ __gorch_arg1 := open(); defer __gorch_arg1.Close() }"},
		{"defer variadic", "xs := []int{1}; defer f(xs...)",
			"xs := []int{1}; { __gorch_arg1 := xs; defer f(__gorch_arg1...) }"},
		{"defer builtin", "ch := make(chan int); defer close(ch)",
			"ch := make(chan int); { __gorch_arg1 := ch; defer close(__gorch_arg1) }"},
		{"go args", "i := 1; go f(i, 2)",
			"i := 1; { __gorch_arg1 := i; go func() { defer func() { __gorch.GoPanic(recover(), 33) }(); f(__gorch_arg1, 2) }() }"},
		{"main renamed, field kept", "defer fmt.Print(main, x.main)",
			"{ __gorch_arg1 := x.main; defer fmt.Print(main_, __gorch_arg1) }"},
		{"go closure", "go func() { work() }()",
			"go func() { defer func() { __gorch.GoPanic(recover(), 25) }(); work() }()"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRewrite(t, e, "", tt.body, tt.want, false) })
	}
}

// TestRewriteCellDefer checks that a defer among a cell's own statements
// hands its call, operands evaluated, to the evaluator, while one inside
// a function literal stays a defer statement.
func TestRewriteCellDefer(t *testing.T) {
	e := newEvaluator(t)
	for _, tt := range []struct{ name, body, want string }{
		{"call", "defer fmt.Println(\"done\")", `__gorch.Defer(func() { fmt.Println("done") })`},
		{"args", "i := 1; defer fmt.Print(i)",
			"i := 1; { __gorch_arg1 := i; __gorch.Defer(func() { fmt.Print(__gorch_arg1) }) }"},
		{"nested block", "if ok { defer f() }", "if ok { __gorch.Defer(func() { f() }) }"},
		{"in a function literal", "g := func() { defer f() }", "g := func() { defer f() }"},
	} {
		t.Run(tt.name, func(t *testing.T) { checkRewrite(t, e, "", tt.body, tt.want, true) })
	}
}

// TestRewriteInstantiate checks which calls of generic functions get
// explicit type arguments: each row is the body of a function of a file
// declaring the functions and types below, and the rewritten body.
func TestRewriteInstantiate(t *testing.T) {
	const decls = `
func Map[T, U any](xs []T, f func(T) U) []U { return nil }
func Pair[T any](a, b T) T { return a }
func Of[T any](xs ...T) []T { return xs }
func Keys[K comparable, V any](m map[K]V) []K { return nil }
func Ptr[T any](p *T) T { return *p }
func Top[T any](s Stack[T]) T { var z T; return z }
func Send[T any](c chan<- T) {}
func Plain(xs []int, f func(int) string) {}
type Stack[T any] struct{ items []T }
type point struct{ x int }
`
	e := newEvaluator(t)
	tests := []struct{ name, body, want string }{
		{"func literal result", "Map([]int{1}, func(i int) string { return \"\" })",
			"Map[int, string]([]int{1}, func(i int) string { return \"\" })"},
		{"func literal alone", "Map(xs, func(i int) []string { return nil })",
			"Map[int, []string](xs, func(i int) []string { return nil })"},
		{"conversion", "Pair(int64(2), 3)", "Pair[int64](int64(2), 3)"},
		{"variadic", "Of(int8(1), int8(2))", "Of[int8](int8(1), int8(2))"},
		{"variadic spread", "Of([]uint{1}...)", "Of[uint]([]uint{1}...)"},
		{"map", "Keys(map[string]float64{})", "Keys[string, float64](map[string]float64{})"},
		{"pointer", "Ptr(&point{1})", "Ptr[point](&point{1})"},
		{"generic type", "Top(Stack[string]{})", "Top[string](Stack[string]{})"},
		{"channel direction kept", "Send((chan<- int)(nil))", "Send[int]((chan<- int)(nil))"},
		{"nested call", "Map(Of(int8(1)), func(i int8) bool { return true })",
			"Map[int8, bool](Of[int8](int8(1)), func(i int8) bool { return true })"},
		{"unbound", "Map(xs, f)", "Map(xs, f)"},
		// A compiled function's slice, kept in a variable, is converted to
		// its type as written; the prelude's functions get type arguments.
		{"compiled slice", "ws := strings.Fields(s); slices.Sort(ws); Map(ws, strconv.Quote)",
			"ws := strings.Fields(s); slices.Sort[string](([]string)(ws)); Map(([]string)(ws), strconv.Quote)"},
		{"prelude variadic", "slices.Concat([]int{1}, []int{2})", "slices.Concat[int]([]int{1}, []int{2})"},
		{"one unbound", "Map([]int{1}, f)", "Map([]int{1}, f)"},
		{"conflict", "Map([]int64{1}, func(i int) string { return \"\" })",
			"Map([]int64{1}, func(i int) string { return \"\" })"},
		{"same type spelt differently", "Pair(byte(1), uint8(2))", "Pair(byte(1), uint8(2))"},
		{"opaque argument for a bare parameter", "Pair(x, int64(1))", "Pair(x, int64(1))"},
		{"elided and counted types", "Of([...]int{1}); Map([]int{}, func(int) {})",
			"Of([...]int{1}); Map([]int{}, func(int) { })"},
		{"channel direction differs", "Send(make(chan int))", "Send(make(chan int))"},
		{"not generic", "Plain([]int{1}, func(i int) string { return \"\" })",
			"Plain([]int{1}, func(i int) string { return \"\" })"},
		{"already instantiated", "Map[int, string]([]int{1}, func(i int) string { return \"\" })",
			"Map[int, string]([]int{1}, func(i int) string { return \"\" })"},
		{"shadowed", "Pair := func(a, b int64) int64 { return a }; Pair(int64(1), 2)",
			"Pair := func(a, b int64) int64 { return a }; Pair(int64(1), 2)"},
		{"call of a variable is not a conversion", "Pair(Plain(nil, nil), Plain(nil, nil))",
			"Pair(Plain(nil, nil), Plain(nil, nil))"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRewrite(t, e, decls, tt.body, tt.want, false) })
	}
}

// checkRewrite rewrites body, the body of a function in a file with decls
// or, with cell set, a cell's own statements, and compares it, printed on
// one line, with want.
func checkRewrite(t *testing.T, e *Evaluator, decls, body, want string, cell bool) {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", "package main\n"+decls+"\nfunc _() {"+body+"}", 0)
	if err != nil {
		t.Fatal(err)
	}
	rw := &rewriter{e: e, declared: topLevelNames(f.Decls), funcs: map[string]*ast.FuncDecl{}}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			rw.funcs[fd.Name.Name] = fd
		}
	}
	fd := f.Decls[len(f.Decls)-1].(*ast.FuncDecl)
	fn := fd.Body
	if cell {
		rw.block(fn)
	} else {
		rw.decl(fd)
	}
	var b bytes.Buffer
	if err := printer.Fprint(&b, token.NewFileSet(), fn.List); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(strings.Fields(b.String()), " ")
	want = strings.Join(strings.Fields(strings.ReplaceAll(want, "; ", " ")), " ")
	if got != want {
		t.Errorf("rewritten:\n%s\nwant:\n%s", got, want)
	}
}
