package eval

import (
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// hundredLines is a typical long cell: a type, functions, loops, closures,
// goroutines and a final expression.
func hundredLines() string {
	var b strings.Builder
	b.WriteString("type Acc struct{ N int; Sum float64 }\n")
	b.WriteString("func (a *Acc) Add(x float64) { a.N++; a.Sum += x }\n")
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&b, "func f%d(xs []float64) float64 {\n\ts := 0.0\n\tfor i := range len(xs) {\n\t\ts += xs[i] * %d\n\t}\n\treturn s\n}\n", i, i)
	}
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&b, "v%d := f%d([]float64{1, 2, 3})\n", i, i)
	}
	b.WriteString("var fs []func() int\nfor i := 0; i < 3; i++ { fs = append(fs, func() int { return i }) }\n")
	b.WriteString("done := make(chan bool)\ngo func() { done <- true }()\n<-done\n")
	b.WriteString("acc := &Acc{}\nacc.Add(v1 + v2)\nmax(v3, v4)\n")
	return b.String()
}

// BenchmarkPrepare measures what gorch adds before yaegi compiles a
// 100-line cell: parsing, splitting, rewriting and bookkeeping.
func BenchmarkPrepare(b *testing.B) {
	e := newEvaluator(b)
	code := hundredLines()
	if n := strings.Count(code, "\n"); n < 100 {
		b.Fatalf("cell has %d lines", n)
	}
	b.ReportAllocs()
	defer threadCPU(b)()
	for b.Loop() {
		prepare(b, e, code)
	}
}

// prepare parses and plans code, everything before yaegi compiles it.
func prepare(b *testing.B, e *Evaluator, code string) {
	c, err := parseCell(e.in.FileSet(), "bench", code)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.plan(c, rangeNative); err != nil {
		b.Fatal(err)
	}
}

// threadCPU reports the CPU time the benchmark's thread spent per
// operation, "cpu-ns/op", which other processes on a busy machine do not
// inflate as they do wall time. Call the function it returns at the end.
func threadCPU(b *testing.B) func() {
	runtime.LockOSThread()
	start := cpuTime(b)
	return func() {
		b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
		runtime.UnlockOSThread()
	}
}

func cpuTime(b *testing.B) int64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkParseOnly is the baseline for BenchmarkPrepare: parsing the
// cell's declarations as a file and its statements as a body, the parsing
// yaegi needs anyway. Prepare minus ParseOnly is what gorch adds.
func BenchmarkParseOnly(b *testing.B) {
	parse := parseOnly(b, hundredLines())
	b.ReportAllocs()
	defer threadCPU(b)()
	for b.Loop() {
		parse()
	}
}

// parseOnly returns a function that parses code's declarations and
// statements as parseCell does, without the rest of its work.
func parseOnly(b *testing.B, code string) func() {
	items := splitItems(code)
	decls := blank(nil, "package main\n", code, "", items, func(it item) bool { return it.decl })
	body := blank(nil, "package main;func _(){\n", code, "\n}", items, func(it item) bool { return !it.decl })
	return func() {
		fset := token.NewFileSet()
		for _, src := range [][]byte{decls, body} {
			if _, err := parser.ParseFile(fset, "bench", src, parser.ParseComments|parser.AllErrors); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkPrepareOverParse measures Prepare minus ParseOnly, what gorch
// adds, directly: each iteration prepares the cell, then parses it as
// ParseOnly does, timing each. On a busy machine, the load changes more
// between two benchmarks than between two halves of one iteration.
func BenchmarkPrepareOverParse(b *testing.B) {
	e := newEvaluator(b)
	code := hundredLines()
	parse := parseOnly(b, code)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var added int64
	for b.Loop() {
		start := cpuTime(b)
		prepare(b, e, code)
		prepared := cpuTime(b)
		parse()
		added += (prepared - start) - (cpuTime(b) - prepared)
	}
	b.ReportMetric(float64(added)/float64(b.N), "added-cpu-ns/op")
}

// BenchmarkExecuteTrivial measures a whole trivial cell, interpreter
// included.
func BenchmarkExecuteTrivial(b *testing.B) {
	e := newEvaluator(b)
	fe := &fakeFrontend{}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Execute(ctx, "1 + 2", fe); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRetainedPerCell measures the heap that stays allocated per
// executed cell (a small cell that defines a variable and calls a
// function), after garbage collection.
func BenchmarkRetainedPerCell(b *testing.B) {
	e := newEvaluator(b)
	fe := &fakeFrontend{}
	ctx := context.Background()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; b.Loop(); i++ {
		if _, err := e.Execute(ctx, fmt.Sprintf("x := %d\ny := strconv.Itoa(x * 2)\nlen(y)", i), fe); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(b.N), "retained-B/cell")
}
