package main

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseBench(t *testing.T) {
	out := []byte(`goos: linux
BenchmarkSgemm/avx512/1024-2   	      43	  24877834 ns/op	        86.32 GFLOP/s
BenchmarkAddSmall              	 5000000	       240.5 ns/op	      0 B/op	       0 allocs/op
BenchmarkBroken-2 FAIL
PASS
`)
	want := []benchLine{
		{"Sgemm/avx512/1024", 2, map[string]float64{"ns/op": 24877834, "GFLOP/s": 86.32}},
		{"AddSmall", 1, map[string]float64{"ns/op": 240.5, "B/op": 0, "allocs/op": 0}},
	}
	if got := parseBench(out); !reflect.DeepEqual(got, want) {
		t.Fatalf("parseBench =\n%+v\nwant\n%+v", got, want)
	}
}

func TestCompareBench(t *testing.T) {
	got := []string{"Dgemm/avx2/64", "Sgemm/avx512/64", "Sgemm/avx2/1024", "Sgemm/avx2/256"}
	slices.SortFunc(got, compareBench)
	want := []string{"Sgemm/avx2/256", "Sgemm/avx2/1024", "Sgemm/avx512/64", "Dgemm/avx2/64"}
	if !slices.Equal(got, want) {
		t.Fatalf("sorted %v, want %v", got, want)
	}
}

func TestRatio(t *testing.T) {
	for _, tt := range []struct {
		gorch, other float64
		higher       bool
		want         string
	}{
		{2, 4, false, "2.00×"}, // half the time: twice as fast
		{100, 125, true, "0.80×"},
		{0, 4, false, "—"},
	} {
		if got := ratio(tt.gorch, tt.other, true, tt.higher); got != tt.want {
			t.Errorf("ratio(%v, %v, higher=%v) = %q, want %q", tt.gorch, tt.other, tt.higher, got, tt.want)
		}
	}
}

func TestEnviron(t *testing.T) {
	t.Setenv("OPENBLAS_CORETYPE", "Haswell")
	env := environ([]string{"OPENBLAS_CORETYPE=", "OPENBLAS_NUM_THREADS=1"})
	if slices.Contains(env, "OPENBLAS_CORETYPE=Haswell") || !slices.Contains(env, "OPENBLAS_NUM_THREADS=1") {
		t.Fatalf("environ did not unset and set: %v", env)
	}
}

func TestGoalsTable(t *testing.T) {
	rows := []row{
		{name: "add", unit: "ms", scale: 1e-6},
		{name: "add_", unit: "ms", scale: 1e-6},
		{name: "sum", unit: "ms", scale: 1e-6},
		{name: "small", unit: "µs", scale: 1e-3},
		{name: "matmul", unit: "GFLOP/s", scale: 1, higher: true},
	}
	nan := math.NaN()
	figs := []figures{
		{gorch: 5, env: 7, alt: 6, torch: 12},      // faster than all: met
		{gorch: 2, env: 2.5, alt: 2.6, torch: 1.6}, // PyTorch 25% faster
		{gorch: 1, env: nan, alt: nan, torch: nan}, // nobody to compare with
		{gorch: 0.6, env: 0.3, alt: 0.3, torch: 1},
		{gorch: 170, env: 200, alt: 220, torch: 210}, // 85% of NumPy
	}
	var b strings.Builder
	goalsTable(&b, rows, figs)
	for _, want := range []string{
		"| add (ms) | ≤ fastest of NumPy and PyTorch | 5 | 6 | yes | 24.0 / 20.0 |",
		"| add_ (ms) | ≤ fastest of NumPy and PyTorch | 2 | 1.6 | no, by 25% | 60.0 / 75.0 |",
		"| sum (ms) | ≤ fastest of NumPy and PyTorch | 1 | — | — | 40.0 / — |",
		"| small (µs) | ≤ 0.5 µs | 0.6 | 0.5 | no, by 20% | — |",
		"| matmul (GFLOP/s) | ≥ 80% of NumPy (environment's setting) | 170 | 160 | yes | — |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("goals table lacks %q:\n%s", want, b.String())
		}
	}
}
