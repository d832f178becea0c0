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
// shared, and gradients are not tracked. Functions panic when a series is of
// another type, or when x and y differ in length.
//
// Drawing is done by gonum.org/v1/plot; [Figure.Gonum] returns its plot for
// anything this package does not cover.
package plot

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
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

// New returns an empty figure, 6 by 4 inches.
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
	for _, y := range ys {
		v := values(y, "y")
		f.addLine(indexes(len(v)), v)
	}
	return f
}

// LineXY adds the line through the points (xs[i], ys[i]).
func (f *Figure) LineXY(xs, ys any) *Figure {
	x, y := pair(xs, ys)
	f.addLine(x, y)
	return f
}

// Scatter adds the points (xs[i], ys[i]) as dots, in the next color.
func (f *Figure) Scatter(xs, ys any) *Figure {
	x, y := pair(xs, ys)
	s, err := plotter.NewScatter(points(x, y))
	if err != nil {
		panic("plot: Scatter: " + err.Error())
	}
	s.GlyphStyle.Color = plotutil.Color(f.series)
	s.GlyphStyle.Radius = vg.Points(2)
	s.GlyphStyle.Shape = draw.CircleGlyph{}
	f.add(s, len(x))
	return f
}

func (f *Figure) addLine(x, y []float64) {
	l, err := plotter.NewLine(points(x, y))
	if err != nil {
		panic("plot: Line: " + err.Error())
	}
	l.LineStyle.Color = plotutil.Color(f.series)
	l.LineStyle.Width = vg.Points(1.5)
	f.add(l, len(x))
}

func (f *Figure) add(p gonum.Plotter, n int) {
	f.p.Add(p)
	f.series++
	f.points += n
}

// Title sets the title drawn above the figure.
func (f *Figure) Title(title string) *Figure {
	f.p.Title.Text = title
	return f
}

// Labels sets the labels of the x and y axes.
func (f *Figure) Labels(x, y string) *Figure {
	f.p.X.Label.Text = x
	f.p.Y.Label.Text = y
	return f
}

// LogY draws the y axis on a logarithmic scale, which suits losses that fall
// by orders of magnitude. The y values must be positive.
func (f *Figure) LogY() *Figure {
	f.p.Y.Scale = gonum.LogScale{}
	f.p.Y.Tick.Marker = gonum.LogTicks{Prec: -1}
	return f
}

// Size sets the size of the picture in inches.
func (f *Figure) Size(width, height float64) *Figure {
	f.width, f.height = vg.Length(width)*vg.Inch, vg.Length(height)*vg.Inch
	return f
}

// Gonum returns the gonum plot the figure draws, to change what the methods
// of Figure do not reach. Changes show the next time the figure is drawn.
func (f *Figure) Gonum() *gonum.Plot { return f.p }

// SVG draws the figure and returns the text of the SVG document.
func (f *Figure) SVG() string {
	c := vgsvg.New(f.width, f.height)
	dc := draw.New(c)
	if f.heat != nil {
		f.heat.draw(f.p, dc)
	} else {
		f.p.Draw(dc)
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		panic("plot: SVG: " + err.Error())
	}
	// A heat map is an image of one pixel per cell, stretched: browsers
	// would keep its aspect ratio and smooth it, and its cells must fill the
	// axes and stay sharp.
	return strings.ReplaceAll(b.String(), "<image ", imageAttrs)
}

// MIMEBundle returns the figure as an SVG image with a text summary, so a
// figure left as a cell's last value shows inline.
func (f *Figure) MIMEBundle() map[string]any {
	return map[string]any{"image/svg+xml": f.SVG(), "text/plain": f.String()}
}

// String returns a one-line summary of the figure.
func (f *Figure) String() string {
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
		if v.Dim() != 1 {
			panic(fmt.Sprintf("plot: %s must be a 1-D tensor, got shape %v; use Reshape(-1) to flatten it", what, v.Shape()))
		}
		return v.Detach().Cpu().Double().ToSlice().([]float64)
	default:
		panic(fmt.Sprintf("plot: %s must be a slice of numbers or a 1-D tensor, got %T", what, s))
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
		panic(fmt.Sprintf("plot: x and y must have the same length, got %d and %d", len(x), len(y)))
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

func points(x, y []float64) plotter.XYs {
	xy := make(plotter.XYs, len(x))
	for i := range x {
		xy[i].X, xy[i].Y = x[i], y[i]
	}
	return xy
}

// finiteRange returns the smallest and largest finite values of v, and false
// when there are none.
func finiteRange(v []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	return lo, hi, lo <= hi
}

// nanColor marks missing values in heat maps: a neutral grey that no palette
// uses.
var nanColor = color.Gray{Y: 0x80}
