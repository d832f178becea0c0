package tensor

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// unitStride is the strides of every contiguous 1-D tensor, shared because
// strides are never modified in place.
var unitStride = []int{1}

// zeroStrides broadcasts a 0-dim tensor (a Go number operand) to any shape
// of up to 16 dimensions without allocating; strides are never modified in
// place.
var zeroStrides [16]int

// contiguousStrides returns the row-major strides of shape.
func contiguousStrides(shape []int) []int {
	if len(shape) == 1 {
		return unitStride
	}
	return rowMajorStrides(make([]int, len(shape)), shape)
}

// rowMajorStrides fills strides, of len(shape), with the row-major strides
// of shape and returns it.
func rowMajorStrides(strides, shape []int) []int {
	s := 1
	for d := len(shape) - 1; d >= 0; d-- {
		strides[d] = s
		s *= max(shape[d], 1)
	}
	return strides
}

// isContiguous reports whether strides are the row-major strides of shape,
// ignoring dimensions of size 1, whose stride never matters.
func isContiguous(shape, strides []int) bool {
	s := 1
	for d := len(shape) - 1; d >= 0; d-- {
		if shape[d] == 0 {
			return true
		}
		if shape[d] != 1 && strides[d] != s {
			return false
		}
		s *= shape[d]
	}
	return true
}

// isDense reports whether a tensor of shape and strides covers one run of
// memory from its offset on, each element once, in some order: a
// contiguous tensor with its dimensions permuted.
func isDense(shape, strides []int) bool {
	var buf [16]int
	dims := buf[:0]
	for d, s := range shape {
		if s == 0 {
			return true
		}
		if s != 1 {
			dims = append(dims, d)
		}
	}
	slices.SortFunc(dims, func(a, b int) int { return strides[a] - strides[b] })
	step := 1
	for _, d := range dims {
		if strides[d] != step {
			return false
		}
		step *= shape[d]
	}
	return true
}

// normDim turns a possibly negative dimension into an index below n, and
// panics as PyTorch does when it is out of range. A 0-dim tensor accepts
// the dims 0 and -1.
func normDim(dim, n int) int {
	lo, hi := -max(n, 1), max(n, 1)-1
	if dim < lo || dim > hi {
		panicf("Dimension out of range (expected to be in range of [%d, %d], but got %d)", lo, hi, dim)
	}
	if dim < 0 {
		dim += max(n, 1)
	}
	return dim
}

// broadcastShapes returns the shape two shapes broadcast to, aligning them
// at the right; it panics with PyTorch's message when they do not.
func broadcastShapes(a, b []int) []int {
	switch {
	case sameShape(a, b) || len(b) == 0:
		return a
	case len(a) == 0:
		return b
	}
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := range n {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db || db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			panicf("The size of tensor a (%d) must match the size of tensor b (%d) at non-singleton dimension %d", da, db, i)
		}
	}
	return out
}

// expandStrides returns the strides that present a tensor of shape and
// strides as one of the broadcast shape to: 0 along the dimensions it is
// repeated over.
func expandStrides(shape, strides, to []int) []int {
	if len(shape) == 0 && len(to) <= len(zeroStrides) {
		return zeroStrides[:len(to):len(to)]
	}
	out := make([]int, len(to))
	off := len(to) - len(shape)
	for i := range shape {
		if shape[i] != 1 || to[off+i] == 1 {
			out[off+i] = strides[i]
		}
	}
	return out
}

// shapeString writes a shape as PyTorch's error messages do: [2, 3].
func shapeString(shape []int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range shape {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(s))
	}
	b.WriteByte(']')
	return b.String()
}

// checkShape returns the number of elements of a tensor of the given
// shape, panicking as PyTorch does for a negative size and for a count
// that overflows an int, which numel would wrap around to a small or zero
// count that later indexing runs past.
func checkShape(shape []int) int {
	n := 1
	for _, s := range shape {
		if s < 0 {
			panicf("Trying to create tensor with negative dimension %d: %s", s, shapeString(shape))
		}
	}
	for _, s := range shape {
		if s == 0 {
			return 0
		}
		if n > math.MaxInt/s {
			panicf("Storage size calculation overflowed with sizes=%s", shapeString(shape))
		}
		n *= s
	}
	return n
}
