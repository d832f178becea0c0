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
// line.
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
			"i := 1; { __gorch_arg1 := i; go func() { defer func() { __gorch.GoPanic(recover()) }(); f(__gorch_arg1, 2) }() }"},
		{"main renamed, field kept", "defer fmt.Print(main, x.main)",
			"{ __gorch_arg1 := x.main; defer fmt.Print(main_, __gorch_arg1) }"},
		{"go closure", "go func() { work() }()",
			"go func() { defer func() { __gorch.GoPanic(recover()) }(); work() }()"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "", "package main; func _() {"+tt.body+"}", 0)
			if err != nil {
				t.Fatal(err)
			}
			body := f.Decls[0].(*ast.FuncDecl).Body
			rw := &rewriter{e: e, declared: map[string]bool{}, funcs: map[string]*ast.FuncDecl{}}
			rw.block(body)
			var b bytes.Buffer
			if err := printer.Fprint(&b, token.NewFileSet(), body.List); err != nil {
				t.Fatal(err)
			}
			got := strings.Join(strings.Fields(b.String()), " ")
			want := strings.Join(strings.Fields(strings.ReplaceAll(tt.want, "; ", " ")), " ")
			if got != want {
				t.Errorf("rewritten:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
