package tensor

import "math"

// recordView records a view operation whose backward is f.
func (t *Tensor) recordView(out *Tensor, name string, f func(g *Tensor) *Tensor) *Tensor {
	if needsGrad(t) {
		record(out, name, []*Tensor{t}, func(g *Tensor) []*Tensor { return []*Tensor{f(g)} })
	}
	return out
}

// viewStrides returns strides that present t's elements in shape without
// copying, or nil if its layout does not allow it. It is PyTorch's
// computeStride: a run of dimensions that is contiguous in memory may be
// split or merged freely; merging across a gap is impossible.
func viewStrides(oldShape, oldStrides, shape []int) []int {
	if len(oldShape) == 0 || numel(oldShape) == 0 {
		return contiguousStrides(shape)
	}
	out := make([]int, len(shape))
	vd := len(shape) - 1
	chunkBase := oldStrides[len(oldStrides)-1]
	tNumel, vNumel := 1, 1
	for td := len(oldShape) - 1; td >= 0; td-- {
		tNumel *= oldShape[td]
		if td == 0 || (oldShape[td-1] != 1 && oldStrides[td-1] != tNumel*chunkBase) {
			for vd >= 0 && (vNumel < tNumel || shape[vd] == 1) {
				out[vd] = vNumel * chunkBase
				vNumel *= shape[vd]
				vd--
			}
			if vNumel != tNumel {
				return nil
			}
			if td > 0 {
				chunkBase = oldStrides[td-1]
				tNumel, vNumel = 1, 1
			}
		}
	}
	if vd != -1 {
		return nil
	}
	return out
}

// View returns a tensor sharing t's storage with the given shape (one size
// may be -1, inferred). It panics if the shape does not hold t's elements
// or if t's strides cannot present them in that shape without a copy; use
// Reshape then.
func (t *Tensor) View(shape ...int) *Tensor {
	shape = inferShape(shape, t.Numel())
	strides := viewStrides(t.shape, t.strides, shape)
	if strides == nil {
		panicf("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .Reshape(...) instead.")
	}
	in := t.shape
	return t.recordView(t.withLayout(shape, strides, t.offset), "ViewBackward0", func(g *Tensor) *Tensor { return g.Reshape(in...) })
}

// Reshape returns t with the given shape (one size may be -1): a view
// sharing t's storage when its strides allow, otherwise a copy. It panics if
// the shape does not hold t's elements.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	shape = inferShape(shape, t.Numel())
	if viewStrides(t.shape, t.strides, shape) != nil {
		return t.View(shape...)
	}
	return t.Contiguous().View(shape...)
}

// Flatten returns t as 1-D, or, given start and end dims, with those
// dimensions merged into one; it is a view when Reshape's would be. It
// panics for more than two dims.
func (t *Tensor) Flatten(startEnd ...int) *Tensor {
	t.notNil()
	if len(startEnd) > 2 {
		panicf("Flatten takes at most start_dim and end_dim, got %d dims", len(startEnd))
	}
	start, end := 0, -1
	if len(startEnd) > 0 {
		start = startEnd[0]
	}
	if len(startEnd) > 1 {
		end = startEnd[1]
	}
	if len(t.shape) == 0 {
		return t.Reshape(1)
	}
	start, end = normDim(start, len(t.shape)), normDim(end, len(t.shape))
	if start > end {
		panicf("flatten() has invalid args: start_dim cannot come after end_dim")
	}
	shape := append([]int{}, t.shape[:start]...)
	shape = append(shape, numel(t.shape[start:end+1]))
	return t.Reshape(append(shape, t.shape[end+1:]...)...)
}

// T returns the transpose of a matrix, sharing t's storage; a 0-D or 1-D
// tensor is returned as is. It panics for more than 2 dimensions.
func (t *Tensor) T() *Tensor {
	t.notNil()
	if len(t.shape) > 2 {
		panicf("t() expects a tensor with <= 2 dimensions, but self is %dD", len(t.shape))
	}
	if len(t.shape) < 2 {
		return t.recordView(t.withLayout(t.shape, t.strides, t.offset), "TBackward0", func(g *Tensor) *Tensor { return g })
	}
	out := t.transposed(0, 1)
	return t.recordView(out, "TBackward0", func(g *Tensor) *Tensor { return g.T() })
}

// transposed returns the view of t with dims d0 and d1 swapped.
func (t *Tensor) transposed(d0, d1 int) *Tensor {
	shape, strides := append([]int{}, t.shape...), append([]int{}, t.strides...)
	shape[d0], shape[d1] = shape[d1], shape[d0]
	strides[d0], strides[d1] = strides[d1], strides[d0]
	return t.withLayout(shape, strides, t.offset)
}

// Transpose returns t with dimensions d0 and d1 swapped, sharing t's
// storage. It panics if a dim is out of range.
func (t *Tensor) Transpose(d0, d1 int) *Tensor {
	t.notNil()
	d0, d1 = normDim(d0, len(t.shape)), normDim(d1, len(t.shape))
	if len(t.shape) == 0 {
		return t.recordView(t.withLayout(t.shape, t.strides, t.offset), "TransposeBackward0", func(g *Tensor) *Tensor { return g })
	}
	return t.recordView(t.transposed(d0, d1), "TransposeBackward0", func(g *Tensor) *Tensor { return g.Transpose(d0, d1) })
}

// Permute returns t with its dimensions reordered: dimension i of the
// result is dimension dims[i] of t. It shares t's storage and panics unless
// dims is a permutation of t's dimensions.
func (t *Tensor) Permute(dims ...int) *Tensor {
	t.notNil()
	n := len(t.shape)
	if len(dims) != n {
		panicf("permute(): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = %d is not equal to len(dims) = %d", n, len(dims))
	}
	shape, strides, inv := make([]int, n), make([]int, n), make([]int, n)
	seen := make([]bool, n)
	for i, d := range dims {
		d = normDim(d, n)
		if seen[d] {
			panicf("permute(): duplicate dims are not allowed.")
		}
		seen[d] = true
		shape[i], strides[i], inv[d] = t.shape[d], t.strides[d], i
	}
	return t.recordView(t.withLayout(shape, strides, t.offset), "PermuteBackward0", func(g *Tensor) *Tensor { return g.Permute(inv...) })
}

// Squeeze returns t without dimensions of size 1: all of them, or only the
// given dims that have size 1. It shares t's storage.
func (t *Tensor) Squeeze(dims ...int) *Tensor {
	name := "SqueezeBackward0"
	if len(dims) > 0 {
		name = "SqueezeBackward1"
	}
	return t.squeeze(name, dims)
}

// squeeze is Squeeze recorded as name, for the operations that end in one
// and that PyTorch names otherwise (MatMul of a matrix and a vector is
// MvBackward0).
func (t *Tensor) squeeze(name string, dims []int) *Tensor {
	t.notNil()
	drop := make([]bool, len(t.shape))
	for i, s := range t.shape {
		drop[i] = s == 1 && len(dims) == 0
	}
	for _, d := range dims {
		d = normDim(d, len(t.shape))
		if len(t.shape) > 0 {
			drop[d] = t.shape[d] == 1
		}
	}
	var shape, strides []int
	for i := range t.shape {
		if !drop[i] {
			shape, strides = append(shape, t.shape[i]), append(strides, t.strides[i])
		}
	}
	in := t.shape
	return t.recordView(t.withLayout(shape, strides, t.offset), name, func(g *Tensor) *Tensor { return g.Reshape(in...) })
}

// Unsqueeze returns t with a dimension of size 1 inserted at dim (from
// -Dim()-1 to Dim()), sharing t's storage.
func (t *Tensor) Unsqueeze(dim int) *Tensor {
	t.notNil()
	dim = normDim(dim, len(t.shape)+1)
	stride := 1
	if dim < len(t.shape) {
		stride = t.strides[dim] * t.shape[dim]
	}
	shape := append(append(append([]int{}, t.shape[:dim]...), 1), t.shape[dim:]...)
	strides := append(append(append([]int{}, t.strides[:dim]...), stride), t.strides[dim:]...)
	return t.recordView(t.withLayout(shape, strides, t.offset), "UnsqueezeBackward0", func(g *Tensor) *Tensor { return g.Squeeze(dim) })
}

// Expand returns t repeated along its dimensions of size 1 (and new leading
// ones) to the given sizes, without copying: the repeated elements share
// memory, so do not write to the result. -1 keeps a size. It panics if a
// size other than 1 would change.
func (t *Tensor) Expand(sizes ...int) *Tensor {
	t.notNil()
	if len(sizes) < len(t.shape) {
		panicf("expand(%s{%s}, size=%s): the number of sizes provided (%d) must be greater or equal to the number of dimensions in the tensor (%d)",
			dtypeInfo[t.dtype()].tensorType, shapeString(t.shape), shapeString(sizes), len(sizes), len(t.shape))
	}
	shape := append([]int{}, sizes...)
	lead := len(sizes) - len(t.shape)
	for i := range shape {
		j := i - lead
		switch {
		case j < 0 && shape[i] < 0:
			panicf("The expanded size of the tensor (%d) isn't allowed in a leading, non-existing dimension %d", shape[i], i)
		case j < 0:
		case shape[i] < -1:
			panicf("expand: invalid size %d at dimension %d; sizes must be non-negative or -1", shape[i], i)
		case shape[i] == -1:
			shape[i] = t.shape[j]
		case t.shape[j] != 1 && t.shape[j] != shape[i]:
			panicf("The expanded size of the tensor (%d) must match the existing size (%d) at non-singleton dimension %d.  Target sizes: %s.  Tensor sizes: %s",
				shape[i], t.shape[j], i, shapeString(sizes), shapeString(t.shape))
		}
	}
	checkShape(shape)
	out := t.withLayout(shape, expandStrides(t.shape, t.strides, shape), t.offset)
	return t.recordView(out, "ExpandBackward0", func(g *Tensor) *Tensor { return g })
}

// ExpandAs is Expand to other's shape.
func (t *Tensor) ExpandAs(other *Tensor) *Tensor { return t.Expand(operand(other, t).shape...) }

// Contiguous returns t if its elements are already in row-major order
// without gaps, and a contiguous copy otherwise.
func (t *Tensor) Contiguous() *Tensor {
	if t.IsContiguous() {
		return t
	}
	return t.Clone()
}

// Clone returns a contiguous copy of t that does not share memory with it;
// gradients flow back through the copy.
func (t *Tensor) Clone() *Tensor {
	return t.recordView(t.copyContiguous(), "CloneBackward0", func(g *Tensor) *Tensor { return g })
}

// Select returns the slice of t at index along dim, with that dimension
// removed, sharing t's storage (PyTorch's t[..., index, ...]). Negative
// indices count from the end. It panics if index is out of range.
func (t *Tensor) Select(dim, index int) *Tensor {
	t.notNil()
	if len(t.shape) == 0 {
		panicf("select() cannot be applied to a 0-dim tensor.")
	}
	dim = normDim(dim, len(t.shape))
	size := t.shape[dim]
	if index < -size || index >= size {
		panicf("index %d is out of bounds for dimension %d with size %d", index, dim, size)
	}
	if index < 0 {
		index += size
	}
	shape := append(append([]int{}, t.shape[:dim]...), t.shape[dim+1:]...)
	strides := append(append([]int{}, t.strides[:dim]...), t.strides[dim+1:]...)
	out := t.withLayout(shape, strides, t.offset+index*t.strides[dim])
	in, dt := t.shape, t.dtype()
	return t.recordView(out, "SelectBackward0", func(g *Tensor) *Tensor {
		return embed(g, in, dt, func(z *Tensor) *Tensor { return z.Select(dim, index) })
	})
}

// embed returns a zero tensor of the given shape with g written into the
// part of it that part selects: the gradient of a view.
func embed(g *Tensor, shape []int, dt Dtype, part func(z *Tensor) *Tensor) *Tensor {
	z := g.alloc(dt, append([]int{}, shape...))
	v := part(z)
	z.st.be.copy(v.view(), g.viewAs(v.shape))
	return z
}

// Narrow returns the length elements of t from start along dim, sharing t's
// storage. A negative start counts from the end. It panics if the range
// does not fit.
func (t *Tensor) Narrow(dim, start, length int) *Tensor {
	t.notNil()
	if len(t.shape) == 0 {
		panicf("narrow() cannot be applied to a 0-dim tensor.")
	}
	dim = normDim(dim, len(t.shape))
	size := t.shape[dim]
	if start < -size || start > size {
		panicf("start out of range (expected to be in range of [%d, %d], but got %d)", -size, size, start)
	}
	if start < 0 {
		start += size
	}
	if length < 0 || start+length > size {
		panicf("start (%d) + length (%d) exceeds dimension size (%d).", start, length, size)
	}
	return t.Slice(sliceAt(dim, S(start, start+length))...)
}

// sliceAt returns the Slice arguments that apply r to dim only.
func sliceAt(dim int, r Range) []Range {
	rs := make([]Range, dim+1)
	for i := range dim {
		rs[i] = All()
	}
	rs[dim] = r
	return rs
}

// End as a Range's Stop means "to the end of the dimension".
const End = math.MaxInt

// Range is start:stop:step along one dimension, for [Tensor.Slice]; build
// it with [S] or [All].
type Range struct {
	Start, Stop, Step int
}

// S returns the range start:stop, or start:stop:step with a step. As in
// Python, negative bounds count from the end and bounds past the end are
// clipped; use [End] for an open stop. The step must be positive, as
// Slice checks. S panics for more than one step.
func S(start, stop int, step ...int) Range {
	r := Range{Start: start, Stop: stop, Step: 1}
	switch len(step) {
	case 0:
	case 1:
		r.Step = step[0]
	default:
		panicf("S takes start, stop and at most one step, got %d steps", len(step))
	}
	return r
}

// All returns the range of a whole dimension, Python's ":".
func All() Range { return Range{Start: 0, Stop: End, Step: 1} }

// Slice returns the view of t that takes ranges[i] along dimension i, and
// all of any dimension after the last range: t.Slice(tensor.All(),
// tensor.S(1, tensor.End, 2)) is PyTorch's t[:, 1::2]. It shares t's
// storage and panics for more ranges than dimensions or a step below 1.
func (t *Tensor) Slice(ranges ...Range) *Tensor { return t.slice("SliceBackward0", ranges) }

// slice is Slice recorded as name, for the operations PyTorch names
// otherwise (Split's pieces are SplitBackward0).
func (t *Tensor) slice(name string, ranges []Range) *Tensor {
	t.notNil()
	if len(ranges) > len(t.shape) {
		panicf("too many indices for tensor of dimension %d", len(t.shape))
	}
	shape, strides := append([]int{}, t.shape...), append([]int{}, t.strides...)
	off := t.offset
	for d, r := range ranges {
		if r.Step <= 0 {
			panicf("slice step must be positive")
		}
		n := t.shape[d]
		start, stop := clip(r.Start, n), clip(r.Stop, n)
		length := 0
		if stop > start {
			length = (stop - start + r.Step - 1) / r.Step
		}
		shape[d], strides[d] = length, t.strides[d]*r.Step
		off += start * t.strides[d]
	}
	in, dt := t.shape, t.dtype()
	return t.recordView(t.withLayout(shape, strides, off), name, func(g *Tensor) *Tensor {
		return embed(g, in, dt, func(z *Tensor) *Tensor { return z.Slice(ranges...) })
	})
}

// clip resolves a Python slice bound against a dimension of size n.
func clip(i, n int) int {
	if i < 0 {
		i += n
	}
	return min(max(i, 0), n)
}
