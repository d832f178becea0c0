// Package plot draws tensors and Go slices as pictures that show inline in a
// notebook: line plots, scatter plots and heat maps. A [*Figure] left as a
// cell's last value shows as an SVG image; in a text front end it shows as a
// one-line summary.
//
//	plot.Line(losses).Title("training loss").Labels("step", "loss")
//	plot.Scatter(x0, y0).Scatter(x1, y1)
//	plot.Heatmap(layer.Weight)
//
// Series are given as []float64, []float32, []int, []int64, []int32 or a 1-D
// *tensor.Tensor of any dtype on any device; tensors are copied, never
// shared, and gradients are not tracked. NaN and infinite values are left
// out: a line shows a gap there. Functions panic with a string starting
// "plot: " when a series is nil or of another type, when x and y differ in
// length, and when a method is called on a nil or zero [Figure].
//
// Drawing is done by gonum.org/v1/plot; [Figure.Gonum] returns its plot for
// anything this package does not cover.
package plot

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/gorch/gorch/tensor"
	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is a picture being built: add series with its methods, which return
// the figure so calls chain. Its zero value is not usable; get one from [New]
// or the functions that start a figure with a series.
type Figure struct {
	p      *gonum.Plot
	heat   *heatmap // set for heat maps, which draw a color bar
	series int      // series added, for colors and the summary
	points int
	width  vg.Length
	height vg.Length
}

// New returns an empty figure, 6 by 4 inches. An empty figure draws as empty
// axes.
func New() *Figure {
	p := gonum.New()
	p.Add(plotter.NewGrid())
	return &Figure{p: p, width: 6 * vg.Inch, height: 4 * vg.Inch}
}

// Line starts a figure with one line per series, each drawn against its
// index 0, 1, 2, ….
func Line(ys ...any) *Figure { return New().Line(ys...) }

// LineXY starts a figure with the line through the points (xs[i], ys[i]).
func LineXY(xs, ys any) *Figure { return New().LineXY(xs, ys) }

// Scatter starts a figure with the points (xs[i], ys[i]) drawn as dots.
func Scatter(xs, ys any) *Figure { return New().Scatter(xs, ys) }

// Line adds one line per series, each drawn against its index.
func (f *Figure) Line(ys ...any) *Figure {
	f.check("Line")
	for _, y := range ys {
		v := values(y, "y")
		f.addLine(indexes(len(v)), v)
	}
	return f
}

// LineXY adds the line through the points (xs[i], ys[i]).
func (f *Figure) LineXY(xs, ys any) *Figure {
	f.check("LineXY")
	x, y := pair(xs, ys)
	f.addLine(x, y)
	return f
}

// Scatter adds the points (xs[i], ys[i]) as dots, in the next color.
func (f *Figure) Scatter(xs, ys any) *Figure {
	f.check("Scatter")
	x, y := pair(xs, ys)
	s, err := plotter.NewScatter(slices.Concat(finiteRuns(x, y)...))
	if err != nil {
		panicf("Scatter: %v", err)
	}
	s.GlyphStyle.Color = plotutil.Color(f.series)
	s.GlyphStyle.Radius = vg.Points(2)
	s.GlyphStyle.Shape = draw.CircleGlyph{}
	f.add(s, len(x))
	return f
}

// addLine adds the line through the points, one gonum line per run of
// finite points, so that NaN and infinite values leave gaps.
func (f *Figure) addLine(x, y []float64) {
	for _, run := range finiteRuns(x, y) {
		l, err := plotter.NewLine(run)
		if err != nil {
			panicf("Line: %v", err)
		}
		l.LineStyle.Color = plotutil.Color(f.series)
		l.LineStyle.Width = vg.Points(1.5)
		f.p.Add(l)
	}
	f.count(len(x))
}

func (f *Figure) add(p gonum.Plotter, n int) {
	f.p.Add(p)
	f.count(n)
}

// count records one more series of n points.
func (f *Figure) count(n int) {
	f.series++
	f.points += n
}

// Title sets the title drawn above the figure.
func (f *Figure) Title(title string) *Figure {
	f.check("Title")
	f.p.Title.Text = title
	return f
}

// Labels sets the labels of the x and y axes.
func (f *Figure) Labels(x, y string) *Figure {
	f.check("Labels")
	f.p.X.Label.Text = x
	f.p.Y.Label.Text = y
	return f
}

// LogY draws the y axis on a logarithmic scale, which suits losses that fall
// by orders of magnitude. The y values must be positive: [Figure.SVG] panics
// otherwise.
func (f *Figure) LogY() *Figure {
	f.check("LogY")
	f.p.Y.Scale = gonum.LogScale{}
	f.p.Y.Tick.Marker = gonum.LogTicks{Prec: -1}
	return f
}

// Size sets the size of the picture in inches. It panics unless width and
// height are positive and finite.
func (f *Figure) Size(width, height float64) *Figure {
	f.check("Size")
	if !(width > 0 && height > 0) || math.IsInf(width, 0) || math.IsInf(height, 0) {
		panicf("Size needs a positive width and height in inches, got %v and %v", width, height)
	}
	f.width, f.height = vg.Length(width)*vg.Inch, vg.Length(height)*vg.Inch
	return f
}

// Gonum returns the gonum plot the figure draws, to change what the methods
// of Figure do not reach. Changes show the next time the figure is drawn.
func (f *Figure) Gonum() *gonum.Plot {
	f.check("Gonum")
	return f.p
}

// SVG draws the figure and returns the text of the SVG document. It panics
// if an axis on a log scale has values that are not positive, or if the
// values along an axis span more than a float64 can hold.
func (f *Figure) SVG() string {
	f.check("SVG")
	c := vgsvg.New(f.width, f.height)
	dc := draw.New(c)
	p := f.drawable()
	if f.heat != nil {
		f.heat.draw(p, dc)
	} else {
		p.Draw(dc)
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		panicf("SVG: %v", err)
	}
	// A heat map is an image of one pixel per cell, stretched: browsers
	// would keep its aspect ratio and smooth it, and its cells must fill the
	// axes and stay sharp.
	return strings.ReplaceAll(b.String(), "<image ", imageAttrs)
}

// drawable returns a copy of the figure's gonum plot to draw, since drawing
// fixes the ranges of the axes and series may be added later. It gives an
// axis with a single value a range gonum can draw (gonum's own v±1 is no
// range for a large v; a log axis needs a decade), and panics where gonum
// would fail: on a log axis with values that are not positive (gonum
// panics), and on values spanning more than a float64 holds (gonum's tick
// search never ends).
func (f *Figure) drawable() *gonum.Plot {
	p := *f.p
	for _, a := range []struct {
		name string
		ax   *gonum.Axis
	}{{"x", &p.X}, {"y", &p.Y}} {
		ax := a.ax
		_, log := ax.Scale.(gonum.LogScale)
		switch {
		case ax.Min > ax.Max: // no data
			if log {
				ax.Min, ax.Max = 1, 10
			}
		case log && ax.Min <= 0:
			panicf("a log scale needs positive %s values, got a minimum of %g", a.name, ax.Min)
		case log && ax.Min == ax.Max:
			ax.Min, ax.Max = max(ax.Min/10, math.SmallestNonzeroFloat64), min(ax.Max*10, math.MaxFloat64)
		case ax.Min == ax.Max:
			ax.Min, ax.Max = around(ax.Min, 1)
		case math.IsInf(ax.Max-ax.Min, 0):
			panicf("the %s values span more than a float64 can hold (%g to %g); scale them down", a.name, ax.Min, ax.Max)
		}
	}
	return &p
}

// around returns the range v±d, or v±|v|/4 where v is so large that v±d
// rounds to v, kept within the finite float64s.
func around(v, d float64) (lo, hi float64) {
	if v-d == v || v+d == v {
		d = math.Abs(v) / 4
	}
	return max(v-d, -math.MaxFloat64), min(v+d, math.MaxFloat64)
}

// MIMEBundle returns the figure as an SVG image with a text summary, so a
// figure left as a cell's last value shows inline. A nil or zero figure has
// the text summary alone. It panics as [Figure.SVG] does.
func (f *Figure) MIMEBundle() map[string]any {
	if f == nil || f.p == nil {
		return map[string]any{"text/plain": f.String()}
	}
	return map[string]any{"image/svg+xml": f.SVG(), "text/plain": f.String()}
}

// String returns a one-line summary of the figure: "<nil>" for a nil f.
func (f *Figure) String() string {
	if f == nil {
		return "<nil>"
	}
	if f.p == nil {
		return "<Figure: zero value; start one with plot.New>"
	}
	var b strings.Builder
	b.WriteString("<Figure")
	if f.p.Title.Text != "" {
		fmt.Fprintf(&b, " %q", f.p.Title.Text)
	}
	if f.heat != nil {
		fmt.Fprintf(&b, ": heat map %d×%d, values %.4g to %.4g>", f.heat.rows, f.heat.cols, f.heat.min, f.heat.max)
		return b.String()
	}
	fmt.Fprintf(&b, ": %d series, %d points>", f.series, f.points)
	return b.String()
}

// check panics, naming method, if f is nil or a zero Figure, which has no
// gonum plot to draw on.
func (f *Figure) check(method string) {
	if f == nil || f.p == nil {
		panicf("Figure.%s called on a nil or zero Figure; start one with plot.New, plot.Line, plot.Scatter or plot.Heatmap", method)
	}
}

// panicf panics with a string built from a format and its arguments,
// prefixed "plot: ": the one way this package reports misuse.
func panicf(format string, args ...any) {
	panic(fmt.Sprintf("plot: "+format, args...))
}

const imageAttrs = `<image preserveAspectRatio="none" style="image-rendering:optimizeSpeed;image-rendering:pixelated" `

// values converts a series to float64s; what names it in panics.
func values(s any, what string) []float64 {
	switch v := s.(type) {
	case []float64:
		return append([]float64(nil), v...)
	case []float32:
		return convert(v)
	case []int:
		return convert(v)
	case []int64:
		return convert(v)
	case []int32:
		return convert(v)
	case *tensor.Tensor:
		if v == nil {
			panicf("%s is a nil tensor", what)
		}
		if v.Dim() != 1 {
			panicf("%s must be a 1-D tensor, got shape %v; use Reshape(-1) to flatten it", what, v.Shape())
		}
		return v.Detach().Cpu().Double().ToSlice().([]float64)
	default:
		panicf("%s must be a slice of numbers or a 1-D tensor, got %T", what, s)
		return nil
	}
}

func convert[T float32 | int | int64 | int32](s []T) []float64 {
	out := make([]float64, len(s))
	for i, x := range s {
		out[i] = float64(x)
	}
	return out
}

func pair(xs, ys any) (x, y []float64) {
	x, y = values(xs, "x"), values(ys, "y")
	if len(x) != len(y) {
		panicf("x and y must have the same length, got %d and %d", len(x), len(y))
	}
	return x, y
}

func indexes(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i)
	}
	return x
}

// finiteRuns splits the points (x[i], y[i]) into runs between points with
// a NaN or infinite coordinate, which gonum cannot draw.
func finiteRuns(x, y []float64) []plotter.XYs {
	var runs []plotter.XYs
	var run plotter.XYs
	for i := range x {
		if finite(x[i]) && finite(y[i]) {
			run = append(run, plotter.XY{X: x[i], Y: y[i]})
			continue
		}
		if len(run) > 0 {
			runs, run = append(runs, run), nil
		}
	}
	if len(run) > 0 {
		runs = append(runs, run)
	}
	return runs
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// finiteRange returns the smallest and largest finite values of v, and false
// when there are none.
func finiteRange(v []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if finite(x) {
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	return lo, hi, lo <= hi
}

// nanColor marks missing values in heat maps: a neutral grey that no palette
// uses.
var nanColor = color.Gray{Y: 0x80}
