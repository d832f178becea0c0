package plot

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"image"
	"image/png"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/gorch/gorch/tensor"
)

// svgDoc is what the tests look at in an SVG document: its text, path and
// image elements, at any depth.
type svgDoc struct {
	Texts  []string
	Paths  []svgPath
	Images []svgImage
}

type svgPath struct {
	D     string `xml:"d,attr"`
	Style string `xml:"style,attr"`
}

type svgImage struct {
	Href     string `xml:"href,attr"`
	Aspect   string `xml:"preserveAspectRatio,attr"`
	Rendered string `xml:"style,attr"`
}

func parseSVG(t *testing.T, f *Figure) svgDoc {
	t.Helper()
	bundle := f.MIMEBundle()
	s, ok := bundle["image/svg+xml"].(string)
	if !ok {
		t.Fatalf("MIMEBundle has no image/svg+xml string: %v", bundle)
	}
	if _, ok := bundle["text/plain"].(string); !ok {
		t.Fatalf("MIMEBundle has no text/plain string")
	}
	var doc svgDoc
	dec := xml.NewDecoder(strings.NewReader(s))
	root := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("figure is not valid SVG: %v\n%s", err, s)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root && start.Name.Local != "svg" {
			t.Fatalf("root element is <%s>, want <svg>", start.Name.Local)
		}
		root = false
		var err2 error
		switch start.Name.Local {
		case "text":
			var text string
			err2 = dec.DecodeElement(&text, &start)
			doc.Texts = append(doc.Texts, text)
		case "path":
			var p svgPath
			err2 = dec.DecodeElement(&p, &start)
			doc.Paths = append(doc.Paths, p)
		case "image":
			var im svgImage
			err2 = dec.DecodeElement(&im, &start)
			doc.Images = append(doc.Images, im)
		}
		if err2 != nil {
			t.Fatal(err2)
		}
	}
	return doc
}

// strokes counts the stroked paths of the given color with n segments.
func strokes(doc svgDoc, color string, segments int) int {
	count := 0
	for _, p := range doc.Paths {
		if strings.Contains(p.Style, "stroke:"+color) && strings.Count(p.D, "L") == segments {
			count++
		}
	}
	return count
}

func TestLineSVG(t *testing.T) {
	tests := []struct {
		name   string
		fig    *Figure
		color  string // of the first series, from plotutil's palette
		points int
		want   string // summary
	}{
		{"float64", Line([]float64{3, 2, 1.5, 1}), "#F15A60", 4, "<Figure: 1 series, 4 points>"},
		{"ints", Line([]int{1, 2, 3}), "#F15A60", 3, "<Figure: 1 series, 3 points>"},
		{"two series", Line([]float32{1, 2}, []int64{2, 1, 0}), "#F15A60", 2, "<Figure: 2 series, 5 points>"},
		{"tensor", Line(tensor.Arange(5)), "#F15A60", 5, "<Figure: 1 series, 5 points>"},
		{"xy", LineXY([]float64{0, 0.5, 2}, tensor.New([]float32{1, 4, 9})), "#F15A60", 3, "<Figure: 1 series, 3 points>"},
		{"grad tensor", Line(tensor.New([]float32{1, 2, 3}, tensor.RequiresGrad()).Mul(2)), "#F15A60", 3, "<Figure: 1 series, 3 points>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parseSVG(t, tt.fig.Title("loss").Labels("step", "value"))
			if n := strokes(doc, tt.color, tt.points-1); n != 1 {
				t.Errorf("%d paths in %s with %d segments; want 1", n, tt.color, tt.points-1)
			}
			for _, text := range []string{"loss", "step", "value"} {
				if !containsText(doc, text) {
					t.Errorf("no text %q in the SVG: %q", text, doc.Texts)
				}
			}
			if got := tt.fig.String(); got != strings.Replace(tt.want, "<Figure", `<Figure "loss"`, 1) {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSecondSeriesColor(t *testing.T) {
	doc := parseSVG(t, Line([]float64{1, 2}, []float64{2, 1, 3}))
	if strokes(doc, "#F15A60", 1) != 1 || strokes(doc, "#7AC36A", 2) != 1 {
		t.Errorf("want the second series in the palette's second color; paths: %+v", doc.Paths)
	}
}

func TestScatterSVG(t *testing.T) {
	doc := parseSVG(t, Scatter([]float64{0, 1, 2}, []float64{1, 0, 1}).Scatter([]int{5}, []int{5}))
	fills := map[string]int{}
	for _, p := range doc.Paths {
		for _, c := range []string{"#F15A60", "#7AC36A"} {
			if strings.Contains(p.Style, "fill:"+c) {
				fills[c]++
			}
		}
	}
	if fills["#F15A60"] != 3 || fills["#7AC36A"] != 1 {
		t.Errorf("dots by color: %v; want 3 of the first series and 1 of the second", fills)
	}
}

func containsText(doc svgDoc, s string) bool {
	for _, text := range doc.Texts {
		if strings.TrimSpace(text) == s {
			return true
		}
	}
	return false
}

// heatImage decodes the first image of a heat map's SVG: the cells, one
// pixel each.
func heatImage(t *testing.T, doc svgDoc, i int) image.Image {
	t.Helper()
	if len(doc.Images) != 2 {
		t.Fatalf("%d images in the heat map SVG; want the cells and the color bar", len(doc.Images))
	}
	im := doc.Images[i]
	if im.Aspect != "none" || !strings.Contains(im.Rendered, "pixelated") {
		t.Errorf("image %d is drawn with preserveAspectRatio=%q style=%q; want it stretched and sharp", i, im.Aspect, im.Rendered)
	}
	_, data, ok := strings.Cut(im.Href, "base64,")
	if !ok {
		t.Fatalf("image href is not base64 data: %.40q", im.Href)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// redness is how much red outweighs blue in a pixel, in [-1, 1].
func redness(img image.Image, x, y int) float64 {
	r, _, b, _ := img.At(x, y).RGBA()
	return (float64(r) - float64(b)) / 0xffff
}

func TestHeatmapSVG(t *testing.T) {
	// Row 0 holds the largest value at column 0, the last row the smallest
	// at the last column: the picture must show row 0 at the top.
	m := tensor.New([][]float32{
		{5, 0, 0},
		{0, 1, 0},
		{0, 0, -5},
		{0, 0, 0},
	})
	f := Heatmap(m).Title("weights")
	doc := parseSVG(t, f)
	img := heatImage(t, doc, 0)
	if b := img.Bounds(); b.Dx() != 3 || b.Dy() != 4 {
		t.Fatalf("cells image is %dx%d, want 3 columns by 4 rows", b.Dx(), b.Dy())
	}
	if r := redness(img, 0, 0); r < 0.5 {
		t.Errorf("top-left cell (the maximum) has redness %.2f; want strongly red", r)
	}
	if r := redness(img, 2, 2); r > -0.5 {
		t.Errorf("cell (2, 2) (the minimum) has redness %.2f; want strongly blue", r)
	}
	if r := redness(img, 1, 3); math.Abs(r) > 0.1 {
		t.Errorf("a zero cell has redness %.2f; want the neutral middle of the scale", r)
	}
	bar := heatImage(t, doc, 1)
	if top, bottom := redness(bar, 0, 0), redness(bar, 0, bar.Bounds().Dy()-1); top < 0.5 || bottom > -0.5 {
		t.Errorf("color bar runs from redness %.2f at the top to %.2f at the bottom; want red over blue", top, bottom)
	}
	for _, text := range []string{"weights", "row", "column", "0", "3", "-5", "5"} {
		if !containsText(doc, text) {
			t.Errorf("no text %q in the heat map: %q", text, doc.Texts)
		}
	}
	if got, want := f.String(), `<Figure "weights": heat map 4×3, values -5 to 5>`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestHeatmapSpecialValues(t *testing.T) {
	tests := []struct {
		name string
		m    *tensor.Tensor
	}{
		{"constant", tensor.Ones(2, 2)},
		{"all NaN", tensor.Full([]int{2, 3}, math.NaN())},
		{"positive with inf", tensor.New([][]float64{{1, math.Inf(1)}, {2, 3}})},
		{"int64", tensor.Arange(6).Reshape(2, 3)},
		{"one cell", tensor.Ones(1, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			heatImage(t, parseSVG(t, Heatmap(tt.m)), 0)
		})
	}
}

func TestPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"string series", func() { Line("abc") }, "plot: y must be a slice of numbers or a 1-D tensor, got string"},
		{"2-D line", func() { Line(tensor.Ones(2, 2)) }, "plot: y must be a 1-D tensor, got shape [2 2]; use Reshape(-1) to flatten it"},
		{"lengths", func() { LineXY([]int{1, 2}, []int{1}) }, "plot: x and y must have the same length, got 2 and 1"},
		{"1-D heat map", func() { Heatmap(tensor.Ones(3)) }, "plot: Heatmap needs a non-empty 2-D tensor, got shape [3]"},
		{"empty heat map", func() { Heatmap(tensor.Zeros(0, 3)) }, "plot: Heatmap needs a non-empty 2-D tensor, got shape [0 3]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if got := recover(); got != tt.want {
					t.Errorf("panic %v, want %q", got, tt.want)
				}
			}()
			tt.f()
		})
	}
}

func BenchmarkHeatmap256(b *testing.B) {
	m := tensor.Randn(256, 256)
	for range b.N {
		Heatmap(m).SVG()
	}
}
