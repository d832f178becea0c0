package tensor

import (
	"iter"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Print options: PyTorch's defaults (torch.set_printoptions(profile="default")), so that a
// tensor prints here exactly as the same tensor prints in Python.
const (
	printPrecision = 4    // digits after the point
	printThreshold = 1000 // tensors with more elements than this are summarised
	printEdgeItems = 3    // items kept at each end of a summarised dimension
	printLineWidth = 80   // characters per line before a row of numbers wraps
)

type elemKind int

const (
	kindFloat elemKind = iota
	kindInt
	kindBool
)

// elements describes what printing needs of a tensor, so the formatter knows no storage details.
type elements struct {
	shape []int
	kind  elemKind
	float func(idx []int) float64 // for kindFloat and kindBool (0 or 1)
	int   func(idx []int) int64   // for kindInt
}

func (e elements) numel() int {
	n := 1
	for _, s := range e.shape {
		n *= s
	}
	return n
}

// formatTensor returns the text form of a tensor, as PyTorch's repr writes it.
//
// suffixes are the already formatted trailing items in PyTorch's order: device (only when not
// the CPU), dtype (only when not the default: Float32, Int64 and Bool are implied by the digits,
// except that an empty tensor names every dtype but Float32), then requires_grad or grad_fn.
// formatTensor adds "size=(…)" itself for empty tensors that are not 1-D, after the device as
// PyTorch does, and wraps the suffixes at the line width.
func formatTensor(e elements, suffixes []string) string {
	const prefix = "tensor("
	var b strings.Builder
	b.WriteString(prefix)
	if e.numel() == 0 {
		b.WriteString("[]")
		if len(e.shape) != 1 {
			suffixes = withSize(suffixes, e.shape)
		}
	} else {
		summarize := e.numel() > printThreshold
		axes := make([][]int, len(e.shape))
		for d, n := range e.shape {
			axes[d] = shownAxis(n, printEdgeItems, summarize)
		}
		p := textPrinter{
			e:         e,
			f:         newFormatter(e, eachIndex(axes, nil)),
			summarize: summarize,
			idx:       make([]int, len(e.shape)),
			b:         &b,
		}
		p.write(0, len(prefix))
	}
	return addSuffixes(b.String(), suffixes, len(prefix))
}

// withSize inserts the size suffix after any device suffix, where PyTorch puts it.
func withSize(suffixes []string, shape []int) []string {
	at := 0
	for at < len(suffixes) && strings.HasPrefix(suffixes[at], "device=") {
		at++
	}
	out := make([]string, 0, len(suffixes)+1)
	out = append(out, suffixes[:at]...)
	out = append(out, "size="+shapeTuple(shape))
	return append(out, suffixes[at:]...)
}

// shapeTuple writes a shape as Python writes a tuple: (), (5,), (2, 3).
func shapeTuple(shape []int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, s := range shape {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(s))
	}
	if len(shape) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return b.String()
}

// addSuffixes closes the repr, starting a new line for a suffix that would pass the line
// width. The length of the last line counts two more characters than it has, a quirk of
// PyTorch's _add_suffixes kept so that wrapping happens at the same places.
func addSuffixes(s string, suffixes []string, indent int) string {
	var b strings.Builder
	b.WriteString(s)
	last := utf8.RuneCountInString(s[strings.LastIndexByte(s, '\n')+1:]) + 2
	for _, suffix := range suffixes {
		n := utf8.RuneCountInString(suffix)
		if last+n+2 > printLineWidth {
			b.WriteString(",\n")
			b.WriteString(strings.Repeat(" ", indent))
			last = indent + n
		} else {
			b.WriteString(", ")
			last += n + 2
		}
		b.WriteString(suffix)
	}
	b.WriteByte(')')
	return b.String()
}

// shownAxis lists the indices shown along a dimension of length n: all of them, or, when
// summarising a dimension longer than twice edge, the first and last edge ones with -1 marking
// the gap between them.
func shownAxis(n, edge int, summarize bool) []int {
	if !summarize || n <= 2*edge {
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		return all
	}
	out := make([]int, 0, 2*edge+1)
	for i := range edge {
		out = append(out, i)
	}
	out = append(out, -1)
	for i := n - edge; i < n; i++ {
		out = append(out, i)
	}
	return out
}

// eachIndex yields, in row-major order, every index that starts with prefix and continues with
// one entry of each of axes, skipping gap markers. The yielded slice is reused between calls.
func eachIndex(axes [][]int, prefix []int) iter.Seq[[]int] {
	return func(yield func([]int) bool) {
		idx := make([]int, len(prefix)+len(axes))
		copy(idx, prefix)
		var walk func(d int) bool
		walk = func(d int) bool {
			if d == len(axes) {
				return yield(idx)
			}
			for _, i := range axes[d] {
				if i < 0 {
					continue
				}
				idx[len(prefix)+d] = i
				if !walk(d + 1) {
					return false
				}
			}
			return true
		}
		walk(0)
	}
}

// formatter turns elements into strings as PyTorch's _Formatter does: one pass over the
// elements that will be shown decides between integer, fixed and scientific notation, and
// the width that right-aligns them all.
type formatter struct {
	e       elements
	intMode bool // every nonzero finite value is integral: "2." rather than "2.0000"
	sciMode bool
	width   int
}

func newFormatter(e elements, shown iter.Seq[[]int]) *formatter {
	f := &formatter{e: e, intMode: true, width: 1}
	var buf []byte
	if e.kind != kindFloat {
		for idx := range shown {
			buf = f.appendValue(buf[:0], idx)
			f.width = max(f.width, len(buf))
		}
		return f
	}
	minAbs, maxAbs := math.Inf(1), 0.0
	for idx := range shown {
		v := e.float(idx)
		if !nonzeroFinite(v) {
			continue
		}
		minAbs, maxAbs = min(minAbs, math.Abs(v)), max(maxAbs, math.Abs(v))
		if v != math.Ceil(v) {
			f.intMode = false
		}
	}
	if maxAbs == 0 {
		return f // nothing but zeros, NaNs and infinities: "0.", "nan", "inf"
	}
	f.sciMode = maxAbs/minAbs > 1000 || maxAbs > 1e8 || (!f.intMode && minAbs < 1e-4)
	for idx := range shown {
		if v := e.float(idx); nonzeroFinite(v) {
			buf = f.appendFloat(buf[:0], v)
			f.width = max(f.width, len(buf))
		}
	}
	return f
}

func nonzeroFinite(v float64) bool {
	return v != 0 && !math.IsNaN(v) && !math.IsInf(v, 0)
}

// appendValue appends the element at idx without padding.
func (f *formatter) appendValue(dst []byte, idx []int) []byte {
	switch f.e.kind {
	case kindInt:
		return strconv.AppendInt(dst, f.e.int(idx), 10)
	case kindBool:
		if f.e.float(idx) != 0 {
			return append(dst, "True"...)
		}
		return append(dst, "False"...)
	}
	return f.appendFloat(dst, f.e.float(idx))
}

// appendFloat writes v as Python's format does for the chosen notation; Go's strconv rounds
// the same way (correctly, ties to even) but spells the non-finite values differently.
func (f *formatter) appendFloat(dst []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "nan"...)
	case math.IsInf(v, 1):
		return append(dst, "inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-inf"...)
	case f.sciMode:
		return strconv.AppendFloat(dst, v, 'e', printPrecision, 64)
	case f.intMode:
		// The point tells a float tensor of whole numbers from an integer one.
		return append(strconv.AppendFloat(dst, v, 'f', 0, 64), '.')
	}
	return strconv.AppendFloat(dst, v, 'f', printPrecision, 64)
}

// textPrinter writes the nested brackets, recursing by dimension as PyTorch's
// _tensor_str_with_formatter does.
type textPrinter struct {
	e         elements
	f         *formatter
	summarize bool
	idx       []int
	buf       []byte
	b         *strings.Builder
}

// write writes the sub-tensor at p.idx[:dim], whose opening bracket sits at column indent.
func (p *textPrinter) write(dim, indent int) {
	nd := len(p.e.shape)
	if dim == nd {
		p.cell()
		return
	}
	axis := shownAxis(p.e.shape[dim], printEdgeItems, p.summarize)
	p.b.WriteByte('[')
	if dim == nd-1 {
		p.row(axis, indent)
	} else {
		sep := "," + strings.Repeat("\n", nd-dim-1) + strings.Repeat(" ", indent+1)
		for k, i := range axis {
			if k > 0 {
				p.b.WriteString(sep)
			}
			if i < 0 {
				p.b.WriteString("...")
				continue
			}
			p.idx[dim] = i
			p.write(dim+1, indent+1)
		}
	}
	p.b.WriteByte(']')
}

// row writes the innermost dimension, as many elements per line as fit the line width.
func (p *textPrinter) row(axis []int, indent int) {
	perLine := max(1, (printLineWidth-indent)/(p.f.width+2))
	for k, i := range axis {
		if k > 0 {
			if k%perLine == 0 {
				p.b.WriteString(",\n")
				p.b.WriteString(strings.Repeat(" ", indent+1))
			} else {
				p.b.WriteString(", ")
			}
		}
		if i < 0 {
			p.b.WriteString(" ...")
			continue
		}
		p.idx[len(p.idx)-1] = i
		p.cell()
	}
}

// cell writes one element right-aligned to the formatter's width.
func (p *textPrinter) cell() {
	p.buf = p.f.appendValue(p.buf[:0], p.idx)
	for range p.f.width - len(p.buf) {
		p.b.WriteByte(' ')
	}
	p.b.Write(p.buf)
}
