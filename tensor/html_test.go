package tensor

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// parsedTable is what a browser makes of formatHTML's output, read back by the HTML5 parsing
// algorithm: markup that is not a well-formed table would be moved out of it or dropped.
type parsedTable struct {
	caption string
	head    []string   // the column header row, corner cell included
	slices  []string   // slice label rows, in order
	rows    [][]string // the other body rows, header cells and data cells alike
	lead    [][]int    // for each of rows, the leading indices of its slice
	stray   []string   // elements inside the div other than the style and the table
	scripts int
}

func parseTable(t *testing.T, s string) parsedTable {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	var p parsedTable
	var div *html.Node
	for n := range doc.Descendants() {
		if n.DataAtom == atom.Script {
			p.scripts++
		}
		if n.DataAtom == atom.Div && div == nil {
			div = n
		}
	}
	if div == nil || attr(div, "class") != "gorch-tensor" {
		t.Fatalf("no div.gorch-tensor in\n%s", s)
	}
	var table *html.Node
	for c := range div.ChildNodes() {
		switch c.DataAtom {
		case atom.Style:
		case atom.Table:
			table = c
		default:
			p.stray = append(p.stray, c.Data)
		}
	}
	if table == nil {
		t.Fatalf("no table in\n%s", s)
	}
	var lead []int
	for part := range table.ChildNodes() {
		switch part.DataAtom {
		case atom.Caption:
			p.caption = text(part)
		case atom.Thead:
			for tr := range part.ChildNodes() {
				p.head = cellTexts(tr)
			}
		case atom.Tbody:
			for tr := range part.ChildNodes() {
				if attr(tr, "class") == "gorch-slice" {
					label := text(tr)
					p.slices = append(p.slices, label)
					lead = parseLabel(label)
					continue
				}
				p.rows = append(p.rows, cellTexts(tr))
				p.lead = append(p.lead, lead)
			}
		default:
			p.stray = append(p.stray, part.Data)
		}
	}
	return p
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

func cellTexts(tr *html.Node) []string {
	var cells []string
	for c := range tr.ChildNodes() {
		cells = append(cells, text(c))
	}
	return cells
}

// parseLabel reads the leading indices of a slice label such as "[1, 2, :, :]".
func parseLabel(label string) []int {
	var lead []int
	for _, f := range strings.Split(strings.Trim(label, "[]"), ", ") {
		if i, err := strconv.Atoi(f); err == nil {
			lead = append(lead, i)
		}
	}
	return lead
}

// TestFormatHTMLStructure renders tensors whose elements are their own row-major positions,
// so that every cell can be checked against the indices its row, column and slice headers
// name.
func TestFormatHTMLStructure(t *testing.T) {
	const (
		v = "\u22ee" // ⋮
		h = "\u22ef" // ⋯
	)
	tests := []struct {
		shape  []int
		rows   int      // body rows other than slice labels
		cols   int      // cells per row, the row header included
		gapRow int      // index in the rows of the ellipsis row, or -1
		gapCol int      // index in the head of the ellipsis column, or -1
		slices []string // slice labels
	}{
		{shape: []int{}, rows: 1, cols: 1, gapRow: -1, gapCol: -1},
		{shape: []int{5}, rows: 1, cols: 5, gapRow: -1, gapCol: -1},
		{shape: []int{20}, rows: 1, cols: 20, gapRow: -1, gapCol: -1},
		{shape: []int{21}, rows: 1, cols: 21, gapRow: -1, gapCol: 10},
		{shape: []int{1_000_000}, rows: 1, cols: 21, gapRow: -1, gapCol: 10},
		{shape: []int{3, 4}, rows: 3, cols: 5, gapRow: -1, gapCol: -1},
		{shape: []int{20, 20}, rows: 20, cols: 21, gapRow: -1, gapCol: -1},
		{shape: []int{30, 4}, rows: 21, cols: 5, gapRow: 10, gapCol: -1},
		{shape: []int{4, 30}, rows: 4, cols: 22, gapRow: -1, gapCol: 11},
		{shape: []int{1000, 1000}, rows: 21, cols: 22, gapRow: 10, gapCol: 11},
		{shape: []int{2, 3, 4}, rows: 6, cols: 5, gapRow: -1, gapCol: -1, slices: []string{"[0, :, :]", "[1, :, :]"}},
		{
			shape: []int{10, 2, 2}, rows: 12, cols: 3, gapRow: -1, gapCol: -1,
			slices: []string{"[0, :, :]", "[1, :, :]", "[2, :, :]", v + " 4 slices not shown", "[7, :, :]", "[8, :, :]", "[9, :, :]"},
		},
		{
			shape: []int{7, 1, 1}, rows: 6, cols: 2, gapRow: -1, gapCol: -1,
			slices: []string{"[0, :, :]", "[1, :, :]", "[2, :, :]", v + " 1 slice not shown", "[4, :, :]", "[5, :, :]", "[6, :, :]"},
		},
		{
			shape: []int{2, 5, 3, 4}, rows: 18, cols: 5, gapRow: -1, gapCol: -1,
			slices: []string{"[0, 0, :, :]", "[0, 1, :, :]", "[0, 2, :, :]", v + " 4 slices not shown", "[1, 2, :, :]", "[1, 3, :, :]", "[1, 4, :, :]"},
		},
		{
			shape: []int{10, 10, 10, 10, 10, 10, 10, 10}, rows: 6 * 10, cols: 11, gapRow: -1, gapCol: -1,
			slices: []string{
				"[0, 0, 0, 0, 0, 0, :, :]", "[0, 0, 0, 0, 0, 1, :, :]", "[0, 0, 0, 0, 0, 2, :, :]",
				v + " 999994 slices not shown",
				"[9, 9, 9, 9, 9, 7, :, :]", "[9, 9, 9, 9, 9, 8, :, :]", "[9, 9, 9, 9, 9, 9, :, :]",
			},
		},
	}
	for _, tt := range tests {
		t.Run(shapeTuple(tt.shape), func(t *testing.T) {
			e := generated(tt.shape, kindInt, func(i int) float64 { return float64(i) }, nil)
			p := parseTable(t, formatHTML(e, "caption"))
			if len(p.stray) > 0 || p.caption != "caption" {
				t.Errorf("stray elements %q, caption %q", p.stray, p.caption)
			}
			if !slices.Equal(p.slices, tt.slices) {
				t.Errorf("slice labels %q, want %q", p.slices, tt.slices)
			}
			if len(p.rows) != tt.rows {
				t.Fatalf("%d rows, want %d", len(p.rows), tt.rows)
			}
			nd := len(tt.shape)
			if nd > 0 && len(p.head) != tt.cols || nd == 0 && p.head != nil {
				t.Fatalf("head %q, want %d cells", p.head, tt.cols)
			}
			if nd > 0 && slices.Index(p.head, h) != tt.gapCol {
				t.Errorf("ellipsis column at %d, want %d", slices.Index(p.head, h), tt.gapCol)
			}
			for r, row := range p.rows {
				if len(row) != tt.cols {
					t.Fatalf("row %d has %d cells, want %d: %q", r, len(row), tt.cols, row)
				}
				if (r == tt.gapRow) != (row[0] == v) {
					t.Errorf("row %d starts with %q; ellipsis row wanted at %d", r, row[0], tt.gapRow)
				}
				if r != tt.gapRow {
					checkCells(t, tt.shape, p.lead[r], p.head, row)
				}
			}
		})
	}
}

// checkCells checks that each cell of a row holds the row-major position of its indices.
func checkCells(t *testing.T, shape, lead []int, head, row []string) {
	t.Helper()
	nd := len(shape)
	if nd == 0 {
		if row[0] != "0" {
			t.Errorf("0-d cell %q, want 0", row[0])
		}
		return
	}
	first := 0
	idx := append([]int(nil), lead...)
	if nd > 1 {
		r, err := strconv.Atoi(row[0])
		if err != nil {
			t.Fatalf("row header %q", row[0])
		}
		idx = append(idx, r)
		first = 1
	}
	idx = append(idx, 0)
	for k := first; k < len(row); k++ {
		c, err := strconv.Atoi(head[k])
		if err != nil {
			if row[k] != "\u22ef" {
				t.Errorf("cell %q under the ellipsis column", row[k])
			}
			continue
		}
		idx[nd-1] = c
		if want := strconv.Itoa(flatOffset(shape, idx)); row[k] != want {
			t.Errorf("cell %v is %q, want %s", idx, row[k], want)
		}
	}
}

// The cells are written by the formatter of the text form, decided over the shown elements.
func TestFormatHTMLNumbers(t *testing.T) {
	tests := []struct {
		name string
		e    elements
		want []string
	}{
		{"integral", floatsOf([]int{3}, 1, 2, 3), []string{"1.", "2.", "3."}},
		{"fixed", floatsOf([]int{2}, -1, 2.5), []string{"-1.0000", "2.5000"}},
		{"scientific", floatsOf([]int{3}, 1, 1e9, math.NaN()), []string{"1.0000e+00", "1.0000e+09", "nan"}},
		{"ints", intsOf([]int{2}, -7, 12345), []string{"-7", "12345"}},
		{"bools", boolsOf([]int{2}, true, false), []string{"True", "False"}},
		{"0-d", floatsOf(nil, 0.5), []string{"0.5000"}},
		{
			// A tiny element in the middle, not shown, must not turn on scientific notation.
			"shown elements only", generated([]int{1_000_000}, kindFloat, tinyAt(500_000), nil),
			slices.Concat(slices.Repeat([]string{"1.5000"}, 10), []string{"\u22ef"}, slices.Repeat([]string{"1.5000"}, 10)),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseTable(t, formatHTML(tt.e, ""))
			if len(p.rows) != 1 || !slices.Equal(p.rows[0], tt.want) {
				t.Errorf("cells %q, want %q", p.rows, tt.want)
			}
		})
	}
}

// tinyAt gives 1.5 everywhere but at position i, where it gives 1e-9.
func tinyAt(i int) func(int) float64 {
	return func(j int) float64 {
		if j == i {
			return 1e-9
		}
		return 1.5
	}
}

func TestFormatHTMLEmpty(t *testing.T) {
	for _, shape := range [][]int{{0}, {0, 3}, {3, 0}, {2, 0, 4}} {
		p := parseTable(t, formatHTML(floatsOf(shape), "c"))
		if p.head != nil || p.slices != nil || len(p.rows) != 1 || p.rows[0][0] != "no elements" {
			t.Errorf("%v: head %q, slices %q, rows %q", shape, p.head, p.slices, p.rows)
		}
	}
}

func TestFormatHTMLEscapesCaption(t *testing.T) {
	caption := `<script>alert("x")</script> & </table>`
	p := parseTable(t, formatHTML(floatsOf([]int{2}, 1, 2), caption))
	if p.caption != caption || p.scripts != 0 || len(p.stray) > 0 {
		t.Errorf("caption %q, %d scripts, stray %q", p.caption, p.scripts, p.stray)
	}
}

func TestHTMLCaption(t *testing.T) {
	tests := []struct {
		shape               []int
		dtype, device, grad string
		want                string
	}{
		{nil, "Float32", "cpu", "", "Tensor · shape () · Float32 · cpu"},
		{[]int{5}, "Int64", "cpu", "", "Tensor · shape (5,) · Int64 · cpu"},
		{[]int{2, 3}, "Float32", "cuda:0", "grad_fn=<SumBackward0>", "Tensor · shape (2, 3) · Float32 · cuda:0 · grad_fn=<SumBackward0>"},
	}
	for _, tt := range tests {
		if got := htmlCaption(tt.shape, tt.dtype, tt.device, tt.grad); got != tt.want {
			t.Errorf("htmlCaption(%v, %q, %q, %q) = %q, want %q", tt.shape, tt.dtype, tt.device, tt.grad, got, tt.want)
		}
	}
}

// The table's size and the elements read do not grow with the tensor.
func TestFormatHTMLBounded(t *testing.T) {
	const maxBytes, maxReads = 96 << 10, 3 * 6 * 20 * 20 // the formatter reads twice, the cells once
	for _, shape := range [][]int{{100_000_000}, {100_000, 100_000}, {1000, 1000, 1000}, {10, 10, 10, 10, 10, 10, 10, 10, 10}} {
		reads := 0
		s := formatHTML(generated(shape, kindFloat, func(i int) float64 { return float64(i) * 1.5 }, &reads), "c")
		if len(s) > maxBytes || reads > maxReads {
			t.Errorf("%v: %d bytes, %d reads; want at most %d bytes, %d reads", shape, len(s), reads, maxBytes, maxReads)
		}
	}
}

func BenchmarkHTMLMillion(b *testing.B) {
	data := make([]float32, 1_000_000)
	for i := range data {
		data[i] = float32(i) / 7
	}
	shape := []int{1000, 1000}
	e := elements{shape: shape, kind: kindFloat, float: func(idx []int) float64 { return float64(data[idx[0]*1000+idx[1]]) }}
	b.ReportAllocs()
	for b.Loop() {
		formatHTML(e, "Tensor · shape (1000, 1000) · Float32 · cpu")
	}
}
