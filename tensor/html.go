package tensor

import (
	"html"
	"iter"
	"strconv"
	"strings"
)

// HTML view limits: they bound the table's size whatever the tensor's, at most
// 2·htmlSliceEdges 2-D slices of 2·htmlEdgeItems rows by 2·htmlEdgeItems columns.
const (
	htmlEdgeItems  = 10 // rows or columns kept at each end of a long dimension
	htmlSliceEdges = 3  // 2-D slices kept at each end of the leading dimensions, counted flat
)

// Ellipses, as character references.
const (
	vEllipsis    = "&#8942;" // ⋮ rows left out
	hEllipsis    = "&#8943;" // ⋯ columns left out
	diagEllipsis = "&#8945;" // ⋱ both
)

// htmlStyle scopes every rule under div.gorch-tensor; the extra type selector outweighs the
// table rules of JupyterLab (.jp-RenderedHTMLCommon) and classic Notebook (.rendered_html).
// Colours come from JupyterLab's theme variables; the fallbacks (inherited text colour,
// translucent grey) read on light and dark backgrounds alike, for classic Notebook and
// nbconvert output.
const htmlStyle = `<style>
div.gorch-tensor{overflow-x:auto;max-width:100%}
div.gorch-tensor table{border-collapse:collapse;border:none;margin:0;table-layout:auto;` +
	`font-family:var(--jp-code-font-family,monospace);font-size:var(--jp-code-font-size,12px);` +
	`font-variant-numeric:tabular-nums;color:var(--jp-content-font-color0,inherit);` +
	`background:var(--jp-layout-color0,transparent)}
div.gorch-tensor caption{caption-side:top;text-align:left;padding:2px 6px 4px;white-space:nowrap;` +
	`font-family:var(--jp-ui-font-family,sans-serif);font-size:var(--jp-ui-font-size1,12px);` +
	`color:var(--jp-ui-font-color1,inherit)}
div.gorch-tensor th,div.gorch-tensor td{padding:2px 8px;text-align:right;vertical-align:middle;` +
	`border:none;white-space:nowrap;line-height:1.4;color:inherit}
div.gorch-tensor th{font-weight:normal;color:var(--jp-ui-font-color2,inherit);opacity:.85}
div.gorch-tensor thead th{border-bottom:1px solid var(--jp-border-color1,rgba(128,128,128,.5))}
div.gorch-tensor tbody th{border-right:1px solid var(--jp-border-color2,rgba(128,128,128,.35))}
div.gorch-tensor tbody tr:nth-child(odd){background:transparent}
div.gorch-tensor tbody tr:nth-child(even){` +
	`background:var(--jp-rendermime-table-row-background,rgba(128,128,128,.08))}
div.gorch-tensor tbody tr:hover{` +
	`background:var(--jp-rendermime-table-row-hover-background,rgba(66,165,245,.2))}
div.gorch-tensor td:only-child{text-align:left}
div.gorch-tensor .gorch-gap{text-align:center;color:var(--jp-ui-font-color3,inherit);opacity:.7}
div.gorch-tensor tr.gorch-slice th{text-align:left;font-weight:bold;padding-top:8px;border-right:none;` +
	`border-bottom:1px solid var(--jp-border-color2,rgba(128,128,128,.35));background:transparent}
</style>`

// htmlCaption composes the caption of a tensor's table: shape, dtype, device and, when not
// empty, the grad state ("requires_grad" or "grad_fn=<SumBackward0>"). It returns text, which
// formatHTML escapes.
func htmlCaption(shape []int, dtype, device, grad string) string {
	parts := []string{"Tensor", "shape " + shapeTuple(shape), dtype, device}
	if grad != "" {
		parts = append(parts, grad)
	}
	return strings.Join(parts, " · ")
}

// formatHTML returns a tensor as a self-contained HTML table with caption (plain text): row
// and column indices, ellipsis rows and columns where a dimension is long, and tensors of
// three or more dimensions as labelled 2-D slices. Numbers are written by the formatter of
// the text form, decided over the elements shown, so the cost does not grow with the tensor.
func formatHTML(e elements, caption string) string {
	t := htmlTable{e: e}
	t.b.WriteString(`<div class="gorch-tensor">`)
	t.b.WriteString(htmlStyle)
	t.b.WriteString("<table><caption>")
	t.b.WriteString(html.EscapeString(caption))
	t.b.WriteString("</caption>")
	nd := len(e.shape)
	switch {
	case e.numel() == 0:
		t.b.WriteString(`<tbody><tr><td class="gorch-gap">no elements</td></tr></tbody>`)
	case nd == 0:
		t.f = newFormatter(e, eachIndex(nil, nil))
		t.b.WriteString("<tbody><tr><td>")
		t.cell(nil)
		t.b.WriteString("</td></tr></tbody>")
	case nd == 1:
		t.cols = shownAxis(e.shape[0], htmlEdgeItems, true)
		t.f = newFormatter(e, eachIndex([][]int{t.cols}, nil))
		t.head(false)
		t.b.WriteString("<tbody><tr>")
		t.rowCells([]int{0})
		t.b.WriteString("</tr></tbody>")
	default:
		t.cols = shownAxis(e.shape[nd-1], htmlEdgeItems, true)
		t.rows = shownAxis(e.shape[nd-2], htmlEdgeItems, true)
		t.slices = leadingSlices(e.shape[:nd-2])
		t.f = newFormatter(e, t.shown())
		t.head(true)
		t.body()
	}
	t.b.WriteString("</table></div>")
	return t.b.String()
}

// htmlTable writes the table of a tensor of at least one element.
type htmlTable struct {
	e          elements
	f          *formatter
	slices     [][]int // leading indices of the 2-D slices shown; nil marks the gap
	rows, cols []int   // shown indices of the last two dimensions; -1 marks the gap
	buf        []byte
	b          strings.Builder
}

// leadingSlices lists the leading indices of the 2-D slices shown: all of them, or the first
// and last few in row-major order with nil marking the gap. Counting flat rather than per
// dimension keeps the number of slices bounded however many dimensions there are.
func leadingSlices(lead []int) [][]int {
	n := 1
	for _, s := range lead {
		n *= s
	}
	var out [][]int
	for _, flat := range shownAxis(n, htmlSliceEdges, true) {
		if flat < 0 {
			out = append(out, nil)
			continue
		}
		idx := make([]int, len(lead))
		for d := len(lead) - 1; d >= 0; d-- {
			idx[d], flat = flat%lead[d], flat/lead[d]
		}
		out = append(out, idx)
	}
	return out
}

// shown yields the index of every element the table shows.
func (t *htmlTable) shown() iter.Seq[[]int] {
	return func(yield func([]int) bool) {
		for _, lead := range t.slices {
			if lead == nil {
				continue
			}
			for idx := range eachIndex([][]int{t.rows, t.cols}, lead) {
				if !yield(idx) {
					return
				}
			}
		}
	}
}

// head writes the column indices, after an empty corner above the row indices if any.
func (t *htmlTable) head(rowIndex bool) {
	t.b.WriteString("<thead><tr>")
	if rowIndex {
		t.b.WriteString("<th></th>")
	}
	for _, c := range t.cols {
		if c < 0 {
			t.b.WriteString(`<th class="gorch-gap">` + hEllipsis + "</th>")
			continue
		}
		t.b.WriteString("<th>")
		t.b.WriteString(strconv.Itoa(c))
		t.b.WriteString("</th>")
	}
	t.b.WriteString("</tr></thead>")
}

// body writes one tbody per 2-D slice shown, labelled as the slice's index, e.g. [1, :, :],
// when the tensor has more than two dimensions.
func (t *htmlTable) body() {
	span := strconv.Itoa(len(t.cols) + 1)
	nd := len(t.e.shape)
	omitted := t.e.numel()/(t.e.shape[nd-2]*t.e.shape[nd-1]) - (len(t.slices) - 1)
	for _, lead := range t.slices {
		t.b.WriteString("<tbody>")
		if lead == nil {
			noun := " slices"
			if omitted == 1 {
				noun = " slice"
			}
			t.b.WriteString(`<tr class="gorch-slice"><th class="gorch-gap" colspan="` + span + `">` +
				vEllipsis + " " + strconv.Itoa(omitted) + noun + " not shown</th></tr></tbody>")
			continue
		}
		if len(lead) > 0 {
			t.b.WriteString(`<tr class="gorch-slice"><th colspan="` + span + `">`)
			t.b.WriteString(sliceLabel(lead))
			t.b.WriteString("</th></tr>")
		}
		idx := append(append([]int(nil), lead...), 0, 0)
		for _, r := range t.rows {
			if r < 0 {
				t.gapRow()
				continue
			}
			idx[len(lead)] = r
			t.b.WriteString("<tr><th>")
			t.b.WriteString(strconv.Itoa(r))
			t.b.WriteString("</th>")
			t.rowCells(idx)
			t.b.WriteString("</tr>")
		}
		t.b.WriteString("</tbody>")
	}
}

// sliceLabel writes the index of a 2-D slice as Python would select it: [0, 2, :, :].
func sliceLabel(lead []int) string {
	var b strings.Builder
	b.WriteByte('[')
	for _, i := range lead {
		b.WriteString(strconv.Itoa(i))
		b.WriteString(", ")
	}
	b.WriteString(":, :]")
	return b.String()
}

// rowCells writes the cells of the shown columns; idx selects the row, its last entry is set.
func (t *htmlTable) rowCells(idx []int) {
	for _, c := range t.cols {
		if c < 0 {
			t.b.WriteString(`<td class="gorch-gap">` + hEllipsis + "</td>")
			continue
		}
		idx[len(idx)-1] = c
		t.b.WriteString("<td>")
		t.cell(idx)
		t.b.WriteString("</td>")
	}
}

// gapRow stands for the rows left out.
func (t *htmlTable) gapRow() {
	t.b.WriteString(`<tr class="gorch-gap"><th class="gorch-gap">` + vEllipsis + "</th>")
	for _, c := range t.cols {
		if c < 0 {
			t.b.WriteString(`<td class="gorch-gap">` + diagEllipsis + "</td>")
		} else {
			t.b.WriteString(`<td class="gorch-gap">` + vEllipsis + "</td>")
		}
	}
	t.b.WriteString("</tr>")
}

// cell writes one element unpadded (the table aligns it); the formatter's output is digits,
// signs, points, "nan", "inf", "True" and "False", none of which needs escaping.
func (t *htmlTable) cell(idx []int) {
	t.buf = t.f.appendValue(t.buf[:0], idx)
	t.b.Write(t.buf)
}
