package plot

import (
	"image"
	"image/color"
	"math"
	"strconv"

	"github.com/gorch/gorch/tensor"
	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap starts a figure showing a 2-D tensor as a grid of colored cells,
// row 0 at the top as when the tensor is printed, with a color bar. Data
// with both signs, such as weights, is drawn with a blue–white–red scale
// centred on zero; other data with a dark-to-light scale. NaN and infinite
// values are grey. It panics unless t is a 2-D tensor with at least one
// element, and if its finite values span more than a float64 can hold.
func Heatmap(t *tensor.Tensor) *Figure {
	if t == nil {
		panicf("Heatmap needs a non-empty 2-D tensor, got a nil tensor")
	}
	if t.Dim() != 2 || t.Numel() == 0 {
		panicf("Heatmap needs a non-empty 2-D tensor, got shape %v", t.Shape())
	}
	rows, cols := t.Size(0), t.Size(1)
	v := t.Detach().Cpu().Double().Reshape(-1).ToSlice().([]float64)
	h := &heatmap{rows: rows, cols: cols}
	h.min, h.max, _ = finiteRange(v)
	if math.IsInf(h.min, 0) { // no finite value at all
		h.min, h.max = 0, 0
	}
	lo, hi := h.min, h.max
	if lo < 0 && hi > 0 {
		h.cmap = moreland.SmoothBlueRed()
		m := max(-lo, hi)
		lo, hi = -m, m
	} else {
		h.cmap = moreland.Kindlmann()
	}
	if lo == hi { // a constant tensor still needs a range to draw
		lo, hi = around(lo, 0.5)
	}
	if math.IsInf(hi-lo, 0) { // the color bar's ticks would never be found
		panicf("Heatmap: the values span more than a float64 can hold (%g to %g); scale them down", h.min, h.max)
	}
	h.cmap.SetMin(lo)
	h.cmap.SetMax(hi)

	f := New()
	f.p = gonum.New() // no grid lines over the cells
	f.p.Add(&raster{
		rows: rows, cols: cols,
		color: func(r, c int) color.Color { return h.colorOf(v[r*cols+c]) },
		x0:    -0.5, x1: float64(cols) - 0.5, y0: -0.5, y1: float64(rows) - 0.5,
	})
	f.p.X.Padding, f.p.Y.Padding = 0, 0
	f.p.X.Tick.Marker = indexTicks{n: cols}
	f.p.Y.Tick.Marker = indexTicks{n: rows, flip: true}
	f.p.X.Label.Text, f.p.Y.Label.Text = "column", "row"
	f.heat = h
	f.series, f.points = 1, rows*cols
	// Square cells where the shape allows, within sizes that fit a notebook.
	aspect := min(max(float64(rows)/float64(cols), 0.3), 1.5)
	f.width = 7 * vg.Inch
	f.height = vg.Length(1+5.2*aspect) * vg.Inch
	return f
}

// heatmap is what a heat-map figure needs beyond its gonum plot: the color
// scale for the color bar, and the summary of the data.
type heatmap struct {
	rows, cols int
	min, max   float64 // finite range of the data
	cmap       palette.ColorMap
}

func (h *heatmap) colorOf(x float64) color.Color {
	c, err := h.cmap.At(x)
	if err != nil { // NaN or infinite
		return nanColor
	}
	return c
}

// colorBarWidth is the width of the strip right of the heat map that holds
// the color bar and its scale; barSteps is the number of colors it shows.
const (
	colorBarWidth = 1.1 * vg.Inch
	barSteps      = 128
)

// draw draws the heat map plot p with its color bar at the right.
func (h *heatmap) draw(p *gonum.Plot, dc draw.Canvas) {
	main, bar := dc, dc
	main.Max.X -= colorBarWidth
	bar.Min.X = main.Max.X
	p.Draw(main)

	lo, hi := h.cmap.Min(), h.cmap.Max()
	step := (hi - lo) / barSteps
	cb := gonum.New()
	cb.Add(&raster{
		rows: barSteps, cols: 1,
		color: func(r, _ int) color.Color { return h.colorOf(hi - (float64(r)+0.5)*step) },
		x0:    0, x1: 1, y0: lo, y1: hi,
	})
	cb.HideX()
	cb.Y.Padding = 0
	if p.Title.Text != "" {
		cb.Title.Text = " " // keeps the bar level with the heat map below its title
	}
	// Leave room for the heat map's x axis below the bar.
	bar.Min.Y += p.X.Label.TextStyle.Height(p.X.Label.Text) + p.X.Tick.Label.Height("0") + p.X.Tick.Length + 2*vg.Millimeter
	bar.Min.X += 4 * vg.Millimeter
	bar.Max.X -= 2 * vg.Millimeter
	cb.Draw(bar)
}

// raster is a gonum plotter filling the data rectangle [x0,x1]×[y0,y1] with
// rows×cols colored cells, row 0 at the top. It draws one image, one pixel
// per cell, rather than a rectangle per cell: the SVG of a large weight
// matrix stays small, and no seams show between cells.
type raster struct {
	rows, cols     int
	color          func(row, col int) color.Color
	x0, x1, y0, y1 float64
}

func (r *raster) DataRange() (xmin, xmax, ymin, ymax float64) { return r.x0, r.x1, r.y0, r.y1 }

func (r *raster) Plot(c draw.Canvas, p *gonum.Plot) {
	trX, trY := p.Transforms(&c)
	img := image.NewNRGBA(image.Rect(0, 0, r.cols, r.rows))
	for row := range r.rows {
		for col := range r.cols {
			img.Set(col, row, r.color(row, col))
		}
	}
	c.DrawImage(vg.Rectangle{
		Min: vg.Point{X: trX(r.x0), Y: trY(r.y0)},
		Max: vg.Point{X: trX(r.x1), Y: trY(r.y1)},
	}, img)
}

// indexTicks marks whole indices 0..n-1 at round steps; with flip, index i
// sits at position n-1-i, for rows drawn top down.
type indexTicks struct {
	n    int
	flip bool
}

func (t indexTicks) Ticks(_, _ float64) []gonum.Tick {
	if t.n == 1 { // gonum's ticks need a range
		return []gonum.Tick{{Value: 0, Label: "0"}}
	}
	var ticks []gonum.Tick
	for _, tk := range (gonum.DefaultTicks{}).Ticks(0, float64(t.n-1)) {
		i := tk.Value
		if i != math.Trunc(i) || i < 0 || i > float64(t.n-1) {
			continue
		}
		pos := i
		if t.flip {
			pos = float64(t.n-1) - i
		}
		label := ""
		if tk.Label != "" {
			label = strconv.Itoa(int(i))
		}
		ticks = append(ticks, gonum.Tick{Value: pos, Label: label})
	}
	return ticks
}
