package tensor

// indexValues returns the positions held by an index tensor, a 0-D or 1-D
// Int64 or Int32 tensor, checked against a dimension of size n.
func indexValues(index *Tensor, dim, n int) []int {
	if index.dtype() != Int64 && index.dtype() != Int32 {
		panicf("index_select(): Expected dtype int32 or int64 for index, got %s", index.dtype())
	}
	if len(index.shape) > 1 {
		panicf("index_select(): Index is supposed to be a vector")
	}
	raw := index.Detach().cast(Int64).Reshape(-1).Contiguous()
	cpuOf(raw)
	vals := raw.st.buf.([]int64)[raw.offset : raw.offset+raw.Numel()]
	out := make([]int, len(vals))
	for i, v := range vals {
		if v < int64(-n) || v >= int64(n) {
			panicf("index out of range in self: index %d is out of bounds for dimension %d with size %d", v, dim, n)
		}
		out[i] = int(v)
		if v < 0 {
			out[i] += n
		}
	}
	return out
}

// IndexSelect returns the entries of t at the given positions along dim,
// in their order (repeats allowed), as a new tensor: PyTorch's
// t.index_select(dim, index). index is a 1-D Int64 or Int32 tensor. It
// panics for a position out of range.
func (t *Tensor) IndexSelect(dim int, index *Tensor) *Tensor {
	return t.indexSelect("IndexSelectBackward0", dim, index)
}

// indexSelect is IndexSelect recorded as name, for MaskedSelect, which
// PyTorch records as MaskedSelectBackward0.
func (t *Tensor) indexSelect(name string, dim int, index *Tensor) *Tensor {
	t.notNil()
	dim = normDim(dim, len(t.shape))
	if len(t.shape) == 0 {
		return t.Reshape(1).indexSelect(name, 0, index).Reshape()
	}
	pos := indexValues(index, dim, t.shape[dim])
	shape := append([]int{}, t.shape...)
	shape[dim] = len(pos)
	out := t.alloc(t.dtype(), shape)
	x := t.Detach()
	for i, p := range pos {
		dst := out.Select(dim, i)
		t.st.be.copy(dst.view(), x.Select(dim, p).view())
	}
	if needsGrad(t) {
		in, dt := t.shape, t.dtype()
		record(out, name, []*Tensor{t}, func(g *Tensor) []*Tensor {
			// Repeated positions add up, so the gradient is accumulated
			// slice by slice rather than copied.
			z := g.alloc(dt, append([]int{}, in...))
			for i, p := range pos {
				dst := z.Select(dim, p)
				z.st.be.binary(opAdd, dst.view(), dst.view(), g.Select(dim, i).cast(dt).view())
			}
			return []*Tensor{z}
		})
	}
	return out
}

// MaskedSelect returns, as a new 1-D tensor, the elements of t where mask
// (a Bool tensor broadcast with t) is true, in row-major order.
func (t *Tensor) MaskedSelect(mask *Tensor) *Tensor {
	t.notNil()
	if mask.dtype() != Bool {
		panicf("masked_select: expected BoolTensor for mask")
	}
	shape := broadcastShapes(t.shape, mask.shape)
	m := mask.Expand(shape...).Contiguous()
	cpuOf(m)
	bits := m.st.buf.([]bool)[m.offset : m.offset+m.Numel()]
	var pos []int64
	for i, b := range bits {
		if b {
			pos = append(pos, int64(i))
		}
	}
	if pos == nil {
		pos = []int64{}
	}
	return t.Expand(shape...).Reshape(-1).indexSelect("MaskedSelectBackward0", 0, FromSlice(pos).toDevice(t.st.be, t.st.index))
}

// Cat joins tensors along an existing dim: their other sizes must match.
// Dtypes are promoted as arithmetic does. The result is a new tensor.
func Cat(dim int, ts ...*Tensor) *Tensor {
	if len(ts) == 0 {
		panicf("torch.cat(): expected a non-empty list of Tensors")
	}
	for _, t := range ts {
		t.notNil()
	}
	first := ts[0]
	dim = normDim(dim, len(first.shape))
	if len(first.shape) == 0 {
		panicf("zero-dimensional tensor (at position 0) cannot be concatenated")
	}
	shape := append([]int{}, first.shape...)
	shape[dim] = 0
	for i, t := range ts {
		operand(t, first)
		if len(t.shape) != len(first.shape) {
			panicf("Tensors must have same number of dimensions: got %d and %d", len(first.shape), len(t.shape))
		}
		for d, s := range t.shape {
			if d != dim && s != first.shape[d] {
				panicf("Sizes of tensors must match except in dimension %d. Expected size %d but got size %d for tensor number %d in the list.", dim, first.shape[d], s, i)
			}
		}
		shape[dim] += t.shape[dim]
	}
	out := first.alloc(resultType(ts...), shape)
	off := 0
	sizes := make([]int, len(ts))
	for i, t := range ts {
		sizes[i] = t.shape[dim]
		part := out.Detach().Narrow(dim, off, sizes[i])
		t.st.be.copy(part.view(), t.view())
		off += sizes[i]
	}
	if needsGrad(ts...) {
		record(out, "CatBackward0", ts, func(g *Tensor) []*Tensor {
			gs := make([]*Tensor, len(ts))
			off := 0
			for i, t := range ts {
				if t.requiresGrad {
					gs[i] = g.Narrow(dim, off, sizes[i])
				}
				off += sizes[i]
			}
			return gs
		})
	}
	return out
}

// Stack joins tensors of one shape along a new dim, which may be from 0 to
// their number of dimensions. The result is a new tensor.
func Stack(dim int, ts ...*Tensor) *Tensor {
	if len(ts) == 0 {
		panicf("stack expects a non-empty TensorList")
	}
	for _, t := range ts {
		t.notNil()
	}
	dim = normDim(dim, len(ts[0].shape)+1)
	parts := make([]*Tensor, len(ts))
	for i, t := range ts {
		if !sameShape(t.shape, ts[0].shape) {
			panicf("stack expects each tensor to be equal size, but got %s at entry 0 and %s at entry %d", shapeString(ts[0].shape), shapeString(t.shape), i)
		}
		parts[i] = t.Detach().Unsqueeze(dim)
	}
	out := Cat(dim, parts...)
	if needsGrad(ts...) {
		record(out, "StackBackward0", ts, func(g *Tensor) []*Tensor {
			gs := make([]*Tensor, len(ts))
			for i, t := range ts {
				if t.requiresGrad {
					gs[i] = g.Select(dim, i)
				}
			}
			return gs
		})
	}
	return out
}

// Split cuts t along dim into views of size elements each (the last may be
// smaller). They share t's storage. It panics for a size below 1.
func (t *Tensor) Split(size, dim int) []*Tensor {
	dim = t.dimIndex(dim)
	if size < 1 {
		panicf("split expects split_size be non-negative, but got split_size=%d", size)
	}
	n := t.shape[dim]
	var out []*Tensor
	for start := 0; start < n || (n == 0 && start == 0); start += size {
		out = append(out, t.slice("SplitBackward0", sliceAt(dim, S(start, start+min(size, n-start)))))
	}
	return out
}

// Chunk cuts t along dim into at most chunks views of equal size (the last
// may be smaller), as PyTorch's chunk. They share t's storage.
func (t *Tensor) Chunk(chunks, dim int) []*Tensor {
	t.notNil()
	if chunks < 1 {
		panicf("chunk expects `chunks` to be greater than 0, got: %d", chunks)
	}
	n := t.shape[t.dimIndex(dim)]
	return t.Split(max((n+chunks-1)/chunks, 1), dim)
}
