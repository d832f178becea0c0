package plot

import (
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/gorch/gorch/tensor"
)

// panicOf runs f and returns what it panicked with, nil if nothing.
func panicOf(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// TestMisuseIsReported calls the package the ways a notebook user might
// get wrong: each must panic with a string starting "plot: " that names the
// mistake, never with a Go runtime error or one of gonum's own panics, and
// never hang.
func TestMisuseIsReported(t *testing.T) {
	var nilFig *Figure
	var zero Figure
	zeroNamed := "called on a nil or zero Figure; start one with plot.New"
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"nil series", func() { Line(nil) }, "plot: y must be a slice of numbers or a 1-D tensor, got <nil>"},
		{"nil tensor series", func() { Line((*tensor.Tensor)(nil)) }, "plot: y is a nil tensor"},
		{"nil tensor x", func() { Scatter((*tensor.Tensor)(nil), []int{1}) }, "plot: x is a nil tensor"},
		{"0-dim tensor", func() { Line(tensor.New(1.0)) }, "plot: y must be a 1-D tensor, got shape []"},
		{"map series", func() { Line(map[int]float64{}) }, "plot: y must be a slice of numbers or a 1-D tensor, got map[int]float64"},
		{"lengths", func() { Scatter([]float64{1}, []float64{}) }, "plot: x and y must have the same length, got 1 and 0"},
		{"nil heat map", func() { Heatmap(nil) }, "plot: Heatmap needs a non-empty 2-D tensor, got a nil tensor"},
		{"0-dim heat map", func() { Heatmap(tensor.New(1.0)) }, "plot: Heatmap needs a non-empty 2-D tensor, got shape []"},
		{"3-D heat map", func() { Heatmap(tensor.Ones(2, 2, 2)) }, "plot: Heatmap needs a non-empty 2-D tensor, got shape [2 2 2]"},
		{"empty heat map", func() { Heatmap(tensor.Zeros(3, 0)) }, "plot: Heatmap needs a non-empty 2-D tensor, got shape [3 0]"},
		{"heat map overflowing span", func() { Heatmap(tensor.New([][]float64{{math.MaxFloat64, -math.MaxFloat64}})) }, "plot: Heatmap: the values span more than a float64 can hold"},
		{"line overflowing span", func() { Line([]float64{math.MaxFloat64, -math.MaxFloat64}).SVG() }, "plot: the y values span more than a float64 can hold"},
		{"x overflowing span", func() { LineXY([]float64{-1e308, 1e308}, []int{0, 1}).SVG() }, "plot: the x values span more than a float64 can hold"},
		{"log of zero", func() { Line([]float64{0, 1}).LogY().SVG() }, "plot: a log scale needs positive y values, got a minimum of 0"},
		{"log of negative", func() { Line([]int{-2, 1}).LogY().MIMEBundle() }, "plot: a log scale needs positive y values, got a minimum of -2"},
		{"zero size", func() { New().Size(0, 4) }, "plot: Size needs a positive width and height in inches, got 0 and 4"},
		{"negative size", func() { New().Size(6, -1) }, "plot: Size needs a positive width and height in inches, got 6 and -1"},
		{"NaN size", func() { New().Size(math.NaN(), 4) }, "plot: Size needs a positive width and height in inches, got NaN and 4"},
		{"infinite size", func() { New().Size(math.Inf(1), 4) }, "plot: Size needs a positive width and height in inches, got +Inf and 4"},
		{"nil Line", func() { nilFig.Line([]int{1}) }, "plot: Figure.Line " + zeroNamed},
		{"nil LineXY", func() { nilFig.LineXY([]int{1}, []int{1}) }, "plot: Figure.LineXY " + zeroNamed},
		{"nil Scatter", func() { nilFig.Scatter([]int{1}, []int{1}) }, "plot: Figure.Scatter " + zeroNamed},
		{"nil Title", func() { nilFig.Title("t") }, "plot: Figure.Title " + zeroNamed},
		{"nil Labels", func() { nilFig.Labels("x", "y") }, "plot: Figure.Labels " + zeroNamed},
		{"nil LogY", func() { nilFig.LogY() }, "plot: Figure.LogY " + zeroNamed},
		{"nil Size", func() { nilFig.Size(1, 1) }, "plot: Figure.Size " + zeroNamed},
		{"nil Gonum", func() { nilFig.Gonum() }, "plot: Figure.Gonum " + zeroNamed},
		{"nil SVG", func() { nilFig.SVG() }, "plot: Figure.SVG " + zeroNamed},
		{"zero Line", func() { zero.Line([]int{1}) }, "plot: Figure.Line " + zeroNamed},
		{"zero SVG", func() { zero.SVG() }, "plot: Figure.SVG " + zeroNamed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := panicOf(tt.f)
			if _, ok := r.(runtime.Error); ok {
				t.Fatalf("raw runtime panic: %v", r)
			}
			if s, ok := r.(string); !ok || !strings.HasPrefix(s, tt.want) {
				t.Errorf("panic %#v, want a string starting %q", r, tt.want)
			}
		})
	}
}

// TestDrawsOddData checks data that is not a mistake draws without a
// panic: no points, NaN and infinite values (left out), single values of
// any size, and printing a nil or zero figure.
func TestDrawsOddData(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name string
		f    *Figure
	}{
		{"no series", New()},
		{"empty line", Line([]float64{})},
		{"empty tensor", Line(tensor.Zeros(0))},
		{"empty scatter", Scatter([]int{}, []int{})},
		{"NaN in a line", Line([]float64{1, nan, 2, 3})},
		{"inf in a line", LineXY([]float64{0, inf, 2}, []float64{1, 2, 3})},
		{"all NaN", Line([]float64{nan, nan})},
		{"NaN in a scatter", Scatter([]float64{1, 2}, []float64{nan, -inf})},
		{"one point", Line([]float64{5})},
		{"one huge value", Line([]float64{1e300})},
		{"largest float", Line([]float64{math.MaxFloat64})},
		{"empty log axis", New().LogY()},
		{"one value on a log axis", Line([]float64{0.3}).LogY()},
		{"smallest float on a log axis", Line([]float64{5e-324}).LogY()},
		{"huge constant heat map", Heatmap(tensor.Full([]int{2, 2}, 1e300))},
		{"tiny figure", Line([]int{1, 2}).Size(0.01, 0.01)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := panicOf(func() { parseSVG(t, tt.f) }); r != nil {
				t.Errorf("drawing panicked: %v", r)
			}
		})
	}
	var nilFig *Figure
	for _, tc := range []struct {
		name string
		f    *Figure
		want string
	}{{"nil", nilFig, "<nil>"}, {"zero", &Figure{}, "<Figure: zero value; start one with plot.New>"}} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("String of a %s figure = %q, want %q", tc.name, got, tc.want)
		}
		if got := tc.f.MIMEBundle(); len(got) != 1 || got["text/plain"] != tc.want {
			t.Errorf("MIMEBundle of a %s figure = %v, want its text alone", tc.name, got)
		}
	}
}

// TestNaNLeavesAGap checks that a NaN splits a line in two pieces, in the
// series' one color, not joined across the missing point.
func TestNaNLeavesAGap(t *testing.T) {
	f := Line([]float64{1, 2, math.NaN(), 3, 4, 5}).Line([]float64{1, 2})
	doc := parseSVG(t, f)
	if strokes(doc, "#F15A60", 1) != 1 || strokes(doc, "#F15A60", 2) != 1 {
		t.Errorf("want one piece of 1 segment and one of 2 in the first color; paths: %+v", doc.Paths)
	}
	if strokes(doc, "#7AC36A", 1) != 1 {
		t.Errorf("the second series is not in the second color; paths: %+v", doc.Paths)
	}
	if got, want := f.String(), "<Figure: 2 series, 8 points>"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestDrawingKeepsRanges checks that drawing a figure does not fix its axes:
// a series added after the first drawing still sets the range.
func TestDrawingKeepsRanges(t *testing.T) {
	f := New()
	f.SVG() // gonum would make the empty axes span [-1, 1]
	f.Line([]float64{10, 20})
	if f.p.Y.Min != 10 || f.p.Y.Max != 20 {
		t.Errorf("y axis spans [%v, %v] after drawing, want [10, 20]", f.p.Y.Min, f.p.Y.Max)
	}
}
