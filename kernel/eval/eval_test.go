package eval

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorch/gorch/kernel"
)

// step is one cell of a session and what it must produce.
type step struct {
	code string
	want string // text/plain of the result; "" for none
	out  string // printed output
	err  string // substring of the error's Name + ": " + Value; "" for success
	line string // substring of the traceback, when err is set
	// notInTrace must not be in the traceback, when err is set.
	notInTrace string
	// yaegiRace is set for cells that cancel their own run (a goroutine
	// panic stops the cell), which races inside yaegi v0.16.1 itself:
	// ExecuteWithContext writes its results from its goroutine after it
	// has returned on cancellation (interp/program.go:197 against :203).
	// Such cells are skipped under the race detector only.
	yaegiRace bool
}

// skipYaegiRace skips a test that interrupts a cell when the race detector
// is on: see step.yaegiRace. The kernel's own interrupt handling is raced
// in package kernel, and real interrupts are tested without -race through
// jupyter_client in cmd/gorch.
func skipYaegiRace(t *testing.T) {
	t.Helper()
	if raceDetector {
		t.Skip("skipped under -race, which reports a race inside yaegi's ExecuteWithContext on cancellation (interp/program.go:197 against :203)")
	}
}

func runSteps(t *testing.T, steps []step) {
	t.Helper()
	e := newEvaluator(t)
	fe := &fakeFrontend{}
	for i, s := range steps {
		if s.yaegiRace && raceDetector {
			t.Logf("step %d %q: skipped under -race, which reports a race inside yaegi's ExecuteWithContext", i, s.code)
			continue
		}
		b, out, err := runCell(t, e, fe, s.code)
		got := ""
		if b != nil {
			got, _ = b["text/plain"].(string)
		}
		if s.err != "" {
			var ee *kernel.EvalError
			if !errors.As(err, &ee) {
				t.Fatalf("step %d %q: error = %v, want an *EvalError containing %q", i, s.code, err, s.err)
			}
			if !strings.Contains(ee.Error(), s.err) {
				t.Errorf("step %d %q: error %q, want it to contain %q", i, s.code, ee.Error(), s.err)
			}
			if tb := strings.Join(ee.Traceback, "\n"); !strings.Contains(tb, s.line) {
				t.Errorf("step %d %q: traceback %q, want it to contain %q", i, s.code, tb, s.line)
			} else if s.notInTrace != "" && strings.Contains(tb, s.notInTrace) {
				t.Errorf("step %d %q: traceback %q contains %q", i, s.code, tb, s.notInTrace)
			}
			if s.out != "" && out != s.out {
				t.Errorf("step %d %q: output %q, want %q", i, s.code, out, s.out)
			}
			continue
		}
		if err != nil {
			t.Fatalf("step %d %q: unexpected error %v", i, s.code, err)
		}
		if got != s.want {
			t.Errorf("step %d %q: result %q, want %q", i, s.code, got, s.want)
		}
		if out != s.out {
			t.Errorf("step %d %q: output %q, want %q", i, s.code, out, s.out)
		}
	}
}

func TestState(t *testing.T) {
	runSteps(t, []step{
		{code: "x := 1", want: ""},
		{code: "x", want: "1"},
		{code: "x := \"s\"; x", want: `"s"`},
		{code: "x = x + \"t\"\nx", want: `"st"`},
		{code: "var n = 3\nn * 2", want: "6"},
		{code: "y := 2\nvar z = y + 1\nz", want: "3"},
		{code: "const c = 7\nc", want: "7"},
		{code: "fmt.Println(x)", out: "st\n"},
	})
}

func TestDeclarations(t *testing.T) {
	runSteps(t, []step{
		{code: "func f() int { return 1 }\nfunc g() int { return f() * 10 }\ng()", want: "10"},
		// Re-running a cell is harmless, and a redefined function is seen
		// by the functions that call it.
		{code: "func f() int { return 1 }\nfunc g() int { return f() * 10 }\ng()", want: "10"},
		{code: "func f() int { return 2 }", want: ""},
		{code: "g()", want: "20"},
		// Declarations come first, wherever they are in the cell.
		{code: "h(2)\nfunc h(x int) int { return x * x }", want: "4"},
		{code: "type P struct{ X, Y int }\nfunc (p P) Sum() int { return p.X + p.Y }\np := P{1, 2}\np.Sum()", want: "3"},
		{code: "type P struct{ X, Y int }\nfunc (p P) Sum() int { return p.X + p.Y }\nP{3, 4}.Sum()", want: "7"},
		{code: "type P struct{ X, Y, Z int }", err: "RedefinitionError: type P", line: "%reset"},
		{code: "func (p P) Sum() int { return 0 }", err: "RedefinitionError: method P.Sum"},
		{code: "%reset"},
		{code: "type P struct{ X, Y, Z int }\nP{1, 2, 3}", want: "{1 2 3}"},
		{code: "var counter int\nfunc inc() { counter++ }\ninc(); inc(); counter", want: "2"},
	})
}

func TestProgram(t *testing.T) {
	runSteps(t, []step{
		{code: "package main\n\nimport \"fmt\"\n\ntype A struct{ N int }\n\nfunc (a A) Twice() int { return 2 * a.N }\n\nfunc main() {\n\tfmt.Println(\"hello\", A{3}.Twice())\n}\n", want: ""},
		{code: "main()", out: "hello 6\n"},
		{code: "main()\nmain()", out: "hello 6\nhello 6\n"},
	})
}

func TestImports(t *testing.T) {
	runSteps(t, []step{
		// Imports may come anywhere in a cell, as %help says.
		{code: "func helper() string { return strings.ToUpper(\"x\") }\nimport \"strings\"\nhelper()", want: `"X"`},
		{code: "func late() int { return nope }\nimport \"unicode\"", err: "undefined: nope", line: "line 1: func late()"},
		{code: "import \"strings\"\nstrings.ToUpper(\"a\")", want: `"A"`},
		{code: "import \"strings\"\nimport \"fmt\"\nstrings.Repeat(\"ab\", 2)", want: `"abab"`},
		{code: "math.Sqrt(16)", want: "4"},
		{code: "filepath.Base(\"/a/b.go\")", want: `"b.go"`},
		{code: "import r \"math/rand\"\nr.New(r.NewSource(1)).Intn(1)", want: "0"},
		{code: "sort.Ints([]int{2, 1})"},
		{code: "tensor.Ones(2).Numel()", want: "2"},
		{code: "sha3.Sum256([]byte(\"\"))[0]", want: "167"},
		{code: "len(slices.Collect(strings.Lines(\"a\\nb\\n\")))", want: "2"},
	})
}

func TestResults(t *testing.T) {
	runSteps(t, []step{
		{code: "1 + 2", want: "3"},
		{code: `"a" + "b"`, want: `"ab"`},
		{code: `[]string{"a", "b"}`, want: `["a" "b"]`},
		{code: `map[string]int{"b": 2, "a": 1}`, want: `map["a":1 "b":2]`},
		{code: "func two() (int, error) { return 1, nil }\ntwo()", want: "(1, <nil>)"},
		{code: "func void() {}\nvoid()", want: ""},
		{code: "errors.New(\"boom\")", want: "boom"},
		{code: "type S struct{ Name string; Age int }\nS{\"Ann\", 3}", want: `{"Ann" 3}`},
		{code: "&S{\"Bo\", 4}", want: `&{"Bo" 4}`},
		{code: "type C int\nfunc (c C) String() string { return \"C!\" }\nC(1)", want: "C!"},
		{code: "fmt.Println(\"x\")", out: "x\n"},
		{code: "fmt.Printf(\"%d\\n\", 5)", out: "5\n"},
		{code: "type Pt struct{ X, Y int }\nfmt.Printf(\"%T %#v %v %+v\\n\", Pt{1, 2}, []Pt{{1, 2}}, &Pt{3, 4}, Pt{5, 6})", out: "main.Pt []main.Pt{main.Pt{X:1, Y:2}} &{3 4} {X:5 Y:6}\n"},
		{code: "type pt struct{ x, y int }\nfmt.Printf(\"%T %#v %v\\n\", pt{1, 2}, pt{3, 4}, pt{5, 6})", out: "main.pt main.pt{x:3, y:4} {5 6}\n"},
		{code: "type Day int\nfunc (d Day) String() string { return \"Mon\" }\nfmt.Sprintf(\"%d %v %s\", Day(1), Day(1), Day(1))", want: `"1 Mon Mon"`},
		{code: "var q []int\nq", want: "[]"},
		{code: "x := 1\nx++", want: ""},
		{code: "time.Duration(1500) * time.Millisecond", want: "1.5s"},
	})
}

func TestErrors(t *testing.T) {
	runSteps(t, []step{
		{code: "x := ", err: "SyntaxError"},
		{code: "undefinedThing + 1", err: "CompileError: undefined: undefinedThing", line: "line 1: undefinedThing + 1"},
		{code: "a := 1\n\nb := a + \"s\"", err: "CompileError", line: "line 3"},
		{code: "xs := []int{1, 2, 3}\nxs[5]", err: "RuntimeError: index out of range", line: "line 2: xs[5]"},
		{code: "var p *struct{ X int }\ny := 1\n\nz := p.X + y", err: "RuntimeError: invalid memory address or nil pointer dereference", line: "line 4: z := p.X + y"},
		{code: "panic(\"boom\")", err: "panic: boom"},
		{code: "panic(fmt.Errorf(\"wrapped: %w\", io.EOF))", err: "panic: wrapped: EOF"},
		{code: "os.Exit(3)", err: "Exit: os.Exit(3)"},
		{code: "log.Fatal(\"bye\")", err: "bye"},
		{code: "func deep(n int) int { if n == 0 { var m map[string]int; m[\"a\"] = 1 }; return deep(n - 1) }\ndeep(2)", err: "RuntimeError", line: "in deep"},
		// Unbounded recursion would end the process with Go's fatal
		// "stack overflow"; the cell is stopped first, and the next runs.
		{code: "func forever(n int) int { return forever(n+1) + 1 }\nforever(0)", err: "RuntimeError: stack overflow", yaegiRace: true},
		{code: "deep(0) + 0", err: "assignment to entry in nil map"},
		{code: "go func() { panic(\"in goroutine\") }()\ntime.Sleep(time.Second)", err: "panic: in goroutine", line: "line 1: go func() { panic(\"in goroutine\") }()", yaegiRace: true},
		{code: "func worker(ch chan int) { var xs []int; ch <- xs[1] }\nch := make(chan int)"},
		{code: "x := 1\ngo worker(ch)\n<-ch", err: "index out of range", line: "line 2: go worker(ch)", yaegiRace: true},
		{code: "func spawn(ch chan int) {\n\tgo worker(ch)\n}", want: ""},
		{code: "spawn(ch)\n<-ch", err: "RuntimeError: index out of range", line: "line 2 of an earlier cell: go worker(ch)", yaegiRace: true},
		{code: "for i := range 3 { fmt.Print(i) }", out: "012"},
		{code: "%nosuchmagic", err: "UsageError"},
		// The user's line, not the rewriter's.
		{code: "fmt.Println(1", err: "SyntaxError: missing ','", line: "line 1: fmt.Println(1", notInTrace: "line 2"},
		{code: "var a any = 1\ns := a.(string)", err: "panic: interface conversion: interface {} is int, not string", line: "line 2: s := a.(string)", notInTrace: "cell"},
		// Go's own redeclaration rule, within a cell; a later cell may
		// redefine.
		{code: "var v = 1; var v = 2", err: "CompileError: v redeclared in this block", line: "line 1: var v = 1"},
		{code: "var w = 1\n\nfunc w() int { return w }", err: "w redeclared in this block", line: "line 3: func w()"},
		{code: "var v = 1"},
		{code: "var v = 2\nv", want: "2"},
	})
}

// TestCompilePanicLine checks that a panic of yaegi's compiler that names a
// position (its "CFG post-order panic") reports the cell's line.
func TestCompilePanicLine(t *testing.T) {
	e := newEvaluator(t)
	runCell(t, e, &fakeFrontend{}, "x := 1\ny := x")
	err := e.evalError(context.Background(), compilePanic(errors.New("cell1/cell:2:1: CFG post-order panic: nil type")))
	if err.Value != "the interpreter cannot compile this code (nil type)" || !strings.Contains(strings.Join(err.Traceback, "\n"), "line 2: y := x") {
		t.Errorf("error %q, traceback %q", err.Value, err.Traceback)
	}
}

func TestExitZeroIsNotAnError(t *testing.T) {
	runSteps(t, []step{{code: "fmt.Println(\"done\")\nos.Exit(0)\nfmt.Println(\"not reached\")", out: "done\n"}})
}

func TestLanguage(t *testing.T) {
	runSteps(t, []step{
		{code: "for i := range 3 { fmt.Print(i) }", out: "012"},
		{code: "n := int64(2)\nfor i := range n { fmt.Printf(\"%T\", i) }", out: "int64int64"},
		{code: "outer: for i := range 3 { for j := range 3 { if j == 1 { continue outer }; fmt.Print(i, j) } }", out: "0 01 02 0"},
		{code: "var fs []func()\nfor i := 0; i < 3; i++ { fs = append(fs, func() { fmt.Print(i) }) }\nfor _, f := range fs { f() }", out: "012"},
		{code: "var gs []func()\nfor _, s := range []string{\"a\", \"b\"} { gs = append(gs, func() { fmt.Print(s) }) }\nfor _, g := range gs { g() }", out: "ab"},
		{code: "for v := range slices.Values([]int{5, 6, 7}) { fmt.Print(v); if v == 6 { break } }", out: "56"},
		{code: "for i, v := range slices.All([]string{\"x\", \"y\"}) { fmt.Print(i, v) }", out: "0x1y"},
		{code: "func fib() func(func(int) bool) { return func(yield func(int) bool) { a, b := 0, 1; for { if !yield(a) { return }; a, b = b, a+b } } }\nfor f := range fib() { if f > 20 { break }; fmt.Print(f, \" \") }", out: "0 1 1 2 3 5 8 13 "},
		{code: "import \"iter\"\nfunc Count(n int) iter.Seq[int] { return func(yield func(int) bool) { for i := range n { if !yield(i) { return } } } }\nslices.Collect(Count(3))", want: "[0 1 2]"},
		{code: "func upTo(n int) func(func(int) bool) { return func(yield func(int) bool) { for i := range n { if !yield(i) { return } } } }\nfor a := range upTo(3) { for b := range upTo(2) { if a == 1 { break }; fmt.Print(a, b, \" \") } }", out: "0 0 0 1 2 0 2 1 "},
		{code: "func pairsUpTo(n int) func(func(int, int) bool) { return func(yield func(int, int) bool) { for i := range n { if !yield(i, i*i) { return } } } }\nfor a, sq := range pairsUpTo(3) { for b := range upTo(a) { fmt.Print(a, sq, b, \" \") } }", out: "1 1 0 2 4 0 2 4 1 "},
		{code: "pairs := func(yield func(string, int) bool) { _ = yield(\"a\", 1) && yield(\"b\", 2) }\nfor k, v := range pairs { fmt.Print(k, v) }", out: "a1b2"},
		{code: "type List struct{ xs []int }\nfunc (l *List) All() iter.Seq[int] { return func(yield func(int) bool) { for _, x := range l.xs { if !yield(x) { return } } } }\nl := &List{[]int{4, 5}}\nfor x := range l.All() { fmt.Print(x) }", out: "45"},
		{code: "fmt.Print(\"once \")\nfunc boom() int { panic(\"b\") }\nboom()", out: "once ", err: "panic: b"},
		{code: "type Bag struct{ xs []string }\nfunc (b Bag) Items() []string { return b.xs }\nfor i, s := range (Bag{[]string{\"p\", \"q\"}}).Items() { fmt.Print(i, s) }", out: "0p1q"},
		{code: "type Bag2 struct{ xs []int }\nfunc (b Bag2) Items() []int { return b.xs }\nfunc total(b Bag2) int { t := 0; for _, x := range b.Items() { t += x }; return t }\ntotal(Bag2{[]int{1, 2}})", want: "3"},
		{code: "func deferred() (s string) { x := \"a\"; defer func(v string) { s += v }(x); defer fmt.Print(x, len(x), \" \"); x = \"bb\"; return x }\ndeferred()", out: "a1 ", want: `"bba"`},
		{code: "import \"sync\"\nvar mu sync.Mutex\nfunc locked() int { mu.Lock(); defer mu.Unlock(); return 1 }\nlocked() + locked()", want: "2"},
		{code: "func safe() (err error) { defer func() { if r := recover(); r != nil { err = fmt.Errorf(\"%v\", r) } }(); var m map[int]int; m[0] = 1; return nil }\nsafe()", want: "assignment to entry in nil map"},
		{code: "min(1, 2.5)", want: "1"},
		{code: "y := 3.5\nmax(y, 1)", want: "3.5"},
		{code: "min(\"b\", \"a\")", want: `"a"`},
		{code: "m := map[string]int{\"a\": 1}\nclear(m)\nlen(m)", want: "0"},
		{code: "s := []int{3, 1, 2}\nslices.Sort(s)\ns", want: "[1 2 3]"},
		{code: "slices.Sorted(maps.Keys(map[string]int{\"b\": 1, \"a\": 2}))", want: `["a" "b"]`},
		{code: "func Apply[T any](xs []T, f func(T) T) []T { var out []T; for _, x := range xs { out = append(out, f(x)) }; return out }\nApply([]int{1, 2}, func(i int) int { return i * 2 })", want: "[2 4]"},
		{code: "func Map[T, U any](xs []T, f func(T) U) []U { var out []U; for _, x := range xs { out = append(out, f(x)) }; return out }\nMap([]int{1, 2, 3}, func(i int) string { return fmt.Sprint(i * i) })", want: `["1" "4" "9"]`},
		{code: "xs := []float64{0.5}\nMap(xs, func(x float64) []float64 { return []float64{x, 2 * x} })", want: "[[0.5 1]]"},
		{code: "func Pair[T any](a, b T) []T { return []T{a, b} }\nfmt.Printf(\"%T\", Pair(int64(1), 2))", out: "[]int64"},
		// Variables defined at top level from generic calls.
		{code: "m2 := map[string]int{\"b\": 1, \"a\": 2}\nks := slices.Sorted(maps.Keys(m2))\nks", want: `["a" "b"]`},
		{code: "ks2 := slices.Collect(maps.Keys(m2))\nlen(ks2)", want: "2"},
		{code: "xs2 := slices.Sorted(slices.Values([]int{2, 1}))\nxs2", want: "[1 2]"},
		{code: "it := maps.Keys(m2)\nn := 0\nfor k := range it { n += len(k) }\nn", want: "2"},
		{code: "i, found := slices.BinarySearch(xs2, 2)\nfmt.Print(i, found)", out: "1 true"},
		{code: "func Id[T any](x T) T { return x }\nz := Id(3)\nvar z3 []int = Id([]int{5})\nfmt.Print(z, z3)", out: "3 [5]"},
		// A type named like a type parameter of the prelude.
		{code: "type E int\nev := E(1)\nfmt.Print(ev + min(E(2), 5))", out: "3"},
		// Ranges over declared functions and iterator variables.
		{code: "func seq(yield func(int) bool) { _ = yield(1) && yield(2) }\nfor v := range seq { fmt.Print(v) }", out: "12"},
		{code: "for v := range seq { fmt.Print(v) }", out: "12"},
		{code: "var its iter.Seq[int] = seq\nfor v := range its { fmt.Print(v) }", out: "12"},
		{code: "func useSeq() { var it iter.Seq[int] = seq; for v := range seq { fmt.Print(v) }; for v := range it { fmt.Print(v) } }\nuseSeq()", out: "1212"},
		{code: "func pairSeq(yield func(string, int) bool) { _ = yield(\"a\", 1) }\nfor k, v := range pairSeq { fmt.Print(k, v) }", out: "a1"},
		// Ranges over elements of slices and maps of iterators.
		{code: "fs := []func(func(int) bool){seq}\nfor v := range fs[0] { fmt.Print(v) }", out: "12"},
		{code: "for v := range fs[len(fs)-1] { fmt.Print(v) }", out: "12"},
		{code: "ps := map[string]iter.Seq2[string, int]{\"p\": pairSeq}\nfor k, v := range ps[\"p\"] { fmt.Print(k, v) }", out: "a1"},
		{code: "func seqs() []iter.Seq[int] { return []iter.Seq[int]{seq} }\nfor v := range seqs()[0] { if v == 2 { break }; fmt.Print(v) }", out: "1"},
		// Ranges over fields, and over what methods return: integers,
		// slices and iterators, of compiled and cell types, in one cell.
		{code: "type Sack struct {\n\tn    int\n\tgen  iter.Seq[int]\n\tsize []int\n}\nfunc (b *Sack) All() iter.Seq[int] { return func(y func(int) bool) { for i := range b.n { if !y(i * 10) { return } } } }\nfunc (b Sack) Len() int { return b.n }\nbg := &Sack{n: 2, gen: seq, size: []int{4}}\nfor v := range bg.All() { fmt.Print(v, \" \") }\nfor i := range bg.Len() { fmt.Print(i) }\nfor v := range bg.gen { fmt.Print(v) }\nfor i := range bg.size[0] { fmt.Print(i) }", out: "0 10 01120123"},
		{code: "for i := range bg.n { for v := range bg.All() { fmt.Print(i, v, \" \") } }", out: "0 0 0 10 1 0 1 10 "},
		{code: "bags := []*Sack{bg}\nfor v := range bags[0].All() { fmt.Print(v, \" \") }\nfor _, v := range bags[0].size { fmt.Print(v) }", out: "0 10 4"},
		{code: "tt := tensor.Arange(6).Reshape(2, 3)\nfor i := range tt.Size(0) { fmt.Print(tt.Select(0, i).Sum().Item(), \" \") }\nfor i, n := range tt.Shape() { fmt.Print(i, n, \" \") }", out: "3 12 0 2 1 3 "},
		// A type switch that binds a variable, among the cell's own
		// statements, in a loop, and labelled.
		{code: "var anyV any = 2.5\nkind := \"\"\nswitch v := anyV.(type) {\ncase int:\n\tkind = \"int\"\ncase float64:\n\tkind = fmt.Sprint(\"float \", v)\n}\nkind", want: `"float 2.5"`},
		{code: "for _, it := range []any{1, \"b\"} { switch v := it.(type) { case int: continue; case string: fmt.Print(\"s \", v) } }", out: "s b"},
		{code: "L:\nswitch v := anyV.(type) { case float64: if v > 0 { break L }; fmt.Print(\"no\") }\nfmt.Print(\"after\")", out: "after"},
		// The receiver's type is unknown here: the cell is retried with the
		// range taken for one over an iterator, then over an integer.
		{code: "byName := map[string]*tensor.Tensor{\"a\": tensor.Ones(3)}\nfor i := range byName[\"a\"].Numel() { fmt.Print(i) }", out: "012"},
	})
}

// TestDeferInCell checks that a defer statement among a cell's own
// statements defers its call to the end of that cell, as to the end of a
// program's main: made once, last first, with its arguments as they were
// at the defer statement, after a panic too, and never again after later
// cells (which yaegi alone does).
func TestDeferInCell(t *testing.T) {
	runSteps(t, []step{
		{code: "defer fmt.Println(\"deferred\")\nfmt.Println(\"body\")", out: "body\ndeferred\n"},
		{code: "1 + 1", want: "2"},
		{code: "x := 5\ndefer fmt.Println(\"x was\", x)\nx = 6\nx", want: "6", out: "x was 5\n"},
		{code: "if x > 0 { defer fmt.Println(\"from if\") }\nfmt.Println(\"after if\")", out: "after if\nfrom if\n"},
		{code: "defer fmt.Println(\"first\")\ndefer fmt.Println(\"second\")\npanic(\"boom\")", err: "boom", out: "second\nfirst\n"},
		{code: "defer func() { panic(\"in defer\") }()\nfmt.Println(\"ok\")", err: "in defer", out: "ok\n"},
		{code: "var mu sync.Mutex\nmu.Lock()\ndefer mu.Unlock()"},
		{code: "mu.Lock()\nmu.Unlock()\n3", want: "3"},
		{code: "func f() { defer fmt.Println(\"in f\"); fmt.Println(\"f body\") }\nf()", out: "f body\nin f\n"},
		{code: "defer fmt.Println(\"never\")\nos.Exit(0)"},
		{code: "4", want: "4"},
	})
}

func TestStdin(t *testing.T) {
	e := newEvaluator(t)
	fe := &fakeFrontend{inputs: []string{"Ann", "42", "line one"}}
	_, out, err := runCell(t, e, fe, "var name string\nvar age int\nfmt.Scanln(&name)\nfmt.Scanln(&age)\nr := bufio.NewReader(os.Stdin)\nl, _ := r.ReadString('\\n')\nfmt.Println(name, age, strings.TrimSpace(l))")
	if err != nil {
		t.Fatal(err)
	}
	if out != "Ann 42 line one\n" {
		t.Errorf("output %q", out)
	}
	captureStderr(t, func() {
		_, _, err = runCell(t, e, &fakeFrontend{}, "var w string\n_, err := fmt.Scanln(&w)\nif err != nil { panic(err) }")
	})
	if err == nil || !strings.Contains(err.Error(), "stdin is not available") {
		t.Errorf("reading without stdin: error %v", err)
	}
	// A cell that ignores the error is told, once per cell.
	for range 2 {
		stderr := captureStderr(t, func() {
			_, _, err = runCell(t, e, &fakeFrontend{}, "var w string\nfmt.Scanln(&w)\nfmt.Scanln(&w)")
		})
		if err != nil || strings.Count(stderr, "StdinNotImplementedError") != 1 {
			t.Errorf("ignored reads without stdin: error %v, stderr %q, want one notice", err, stderr)
		}
	}
}

func TestInterrupt(t *testing.T) {
	skipYaegiRace(t)
	e := newEvaluator(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var err error
	captureStdout(t, func() { _, err = e.Execute(ctx, "for {}", &fakeFrontend{}) })
	var ee *kernel.EvalError
	if !errors.As(err, &ee) || ee.Name != "Interrupted" {
		t.Fatalf("error %v, want Interrupted", err)
	}
	b, _, err := runCell(t, e, &fakeFrontend{}, "1 + 1")
	if err != nil || b["text/plain"] != "2" {
		t.Fatalf("after an interrupt: %v %v", b, err)
	}
}

func TestDisplayFromCell(t *testing.T) {
	e := newEvaluator(t)
	fe := &fakeFrontend{}
	b, _, err := runCell(t, e, fe, "h := display.HTML(\"<b>hi</b>\")\nh.Update(display.Bundle{\"text/plain\": \"bye\"})\ndisplay.Clear(true)\nh")
	if err != nil {
		t.Fatal(err)
	}
	if b != nil {
		t.Errorf("a handle as the last value shows %v again", b)
	}
	if len(fe.displays) != 2 || fe.displays[0].data["text/html"] != "<b>hi</b>" || !fe.displays[1].update || fe.displays[0].id != fe.displays[1].id {
		t.Errorf("displays %+v", fe.displays)
	}
	if fe.clears != 1 {
		t.Errorf("clears %d", fe.clears)
	}
	b, _, err = runCell(t, e, fe, "tensor.Ones(2)")
	if err != nil || b["text/html"] == nil || !strings.HasPrefix(b["text/plain"].(string), "tensor(") {
		t.Errorf("tensor bundle %v, %v", b, err)
	}
	b, _, err = runCell(t, e, fe, "type Rich struct{}\nfunc (Rich) MIMEBundle() map[string]any { return map[string]any{\"text/html\": \"<i>r</i>\"} }\nRich{}")
	if err != nil || b["text/html"] != "<i>r</i>" || b["text/plain"] != "{}" {
		t.Errorf("bundle of a cell type with MIMEBundle: %v, %v", b, err)
	}
	shown := len(fe.displays)
	b, _, err = runCell(t, e, fe, "p := display.NewProgress(10)\np")
	if err != nil || b != nil || len(fe.displays) != shown+1 {
		t.Errorf("a progress bar as the last value: bundle %v, %v, %d displays, want none and 1", b, err, len(fe.displays)-shown)
	}
}

// TestCompilerLogIsQuiet checks that yaegi's compiler, which logs some
// failures through the host's standard logger before panicking, prints
// nothing to the cell's stderr, while a cell's own log still does.
func TestCompilerLogIsQuiet(t *testing.T) {
	e := newEvaluator(t)
	var err error
	stderr := captureStderr(t, func() {
		_, _, err = runCell(t, e, &fakeFrontend{}, "type S struct{ f func(func(int) bool) }\ns := S{}\nfor v := range s.f { fmt.Println(v) }")
	})
	if err == nil || stderr != "" {
		t.Errorf("a cell yaegi cannot compile: error %v, stderr %q, want an error and no stderr", err, stderr)
	}
	stderr = captureStderr(t, func() {
		_, _, err = runCell(t, e, &fakeFrontend{}, "log.SetFlags(0)\nlog.Println(\"from the cell\")")
	})
	if err != nil || stderr != "from the cell\n" {
		t.Errorf("a cell's log.Println: error %v, stderr %q", err, stderr)
	}
}

func TestMagics(t *testing.T) {
	runSteps(t, []step{
		{code: "%env GORCH_TEST_VAR=42", out: "env: GORCH_TEST_VAR=42\n"},
		{code: "%env GORCH_TEST_VAR", out: "42\n"},
		{code: "os.Getenv(\"GORCH_TEST_VAR\")", want: `"42"`},
		{code: "!echo $GORCH_TEST_VAR", out: "42\n"},
		{code: "!exit 3", err: "ShellError"},
		{code: "x := 5\n%help", err: "SyntaxError"},
		{code: "%timeit 1", err: "UsageError: unknown magic %timeit"},
		{code: "%%time x := 1\nx", err: "UsageError: %%time times the lines below it"},
		{code: "%env =1", err: "UsageError: %env needs a variable name"},
		{code: "%env A=\x00", err: "UsageError: %env: the value of A contains a NUL byte"},
	})
	e := newEvaluator(t)
	_, out, err := runCell(t, e, &fakeFrontend{}, "%%time\nx := 2\nfmt.Println(x)")
	if err != nil || !strings.HasPrefix(out, "2\nWall time: ") {
		t.Errorf("%%%%time: %q %v", out, err)
	}
	b, out, err := runCell(t, e, &fakeFrontend{}, "%time 6 * 7")
	if err != nil || b["text/plain"] != "42" || !strings.HasPrefix(out, "Wall time: ") {
		t.Errorf("%%time: %v %q %v", b, out, err)
	}
	_, out, err = runCell(t, e, &fakeFrontend{}, "%help")
	if err != nil || !strings.Contains(out, "%reset") {
		t.Errorf("%%help: %q %v", out, err)
	}
	_, _, err = runCell(t, e, &fakeFrontend{}, "%reset\nx")
	if err == nil {
		t.Errorf("x survived %%reset")
	}
}
