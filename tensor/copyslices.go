package tensor

import "github.com/gorch/gorch/autograd"

// In-place operations through views, as PyTorch records them.
//
// A view knows its base. An in-place operation on a view that is recorded
// changes part of the base, so it rewrites the base's history: the base's
// grad_fn becomes a CopySlices node, which hands the gradient of the
// changed part to the operation's node (whose own input edge leads back,
// through the view's old history, to the base's old history) and the rest
// of the gradient, with the changed part zeroed, straight to the base's old
// history. The view's history then becomes "this part of the base"
// (AsStridedBackward0). Every other view of the base notices, through the
// storage's version counter, that its history is stale and takes the same
// form the next time it is used.

// refresh brings t's history up to date if t is a view whose storage was
// modified in place since its history was made.
func (t *Tensor) refresh() {
	if t.base != nil && t.viewVersion != t.st.version.Load() {
		t.regenerate()
	}
}

// regenerate makes t's history the part of its base's current history
// that t presents. A view made under NoGrad stays out of the graph.
func (t *Tensor) regenerate() {
	t.viewVersion = t.st.version.Load()
	if !t.noGradView && t.base.requiresGrad {
		t.recordAsStrided()
	}
}

// rebase makes node, the record of an in-place operation just applied to
// t, t's history; on a view it becomes part of the base's history.
func (t *Tensor) rebase(node *autograd.Node) {
	if t.base == nil {
		t.requiresGrad, t.gradFn = true, node
		return
	}
	b, p := t.base, placeOf(t)
	next := []*autograd.Node{b.edge(), node}
	b.requiresGrad, b.gradFn = true, autograd.NewNode("CopySlices", next, func(ga any) []any {
		g := ga.(*Tensor)
		whole := p.zeros(g)
		whole.st.be.copy(whole.view(), g.viewAs(p.baseShape))
		part := p.region(whole)
		changed := part.copyContiguous()
		part.st.be.copy(part.view(), operand(0, part).viewAs(part.shape))
		return []any{whole, changed}
	})
	t.viewVersion = t.st.version.Load()
	t.recordAsStrided()
}

// recordAsStrided records view t as the elements of its base at t's place,
// PyTorch's AsStridedBackward0: its gradient is scattered into zeros laid
// out as the base.
func (t *Tensor) recordAsStrided() {
	p := placeOf(t)
	record(t, "AsStridedBackward0", []*Tensor{t.base}, func(g *Tensor) []*Tensor {
		// Elements repeated by broadcasting (stride 0) receive the sum of
		// their copies' gradients.
		var dims []int
		for d, s := range p.strides {
			if s == 0 && p.shape[d] > 1 {
				dims = append(dims, d)
			}
		}
		if dims != nil {
			g = g.reduceDims(redSum, dims, true)
		}
		whole := p.zeros(g)
		part := p.region(whole)
		part.shape = g.shape
		part.st.be.copy(part.view(), g.view())
		return []*Tensor{whole}
	})
}

// placement is where a view's elements lie in its base's storage: the two
// layouts, enough to find the view's elements in any buffer laid out as
// the base.
type placement struct {
	baseShape, baseStrides []int
	baseOffset             int
	shape, strides         []int
	offset                 int
}

func placeOf(v *Tensor) placement {
	b := v.base
	return placement{b.shape, b.strides, b.offset, v.shape, v.strides, v.offset}
}

// zeros returns a zero tensor of like's dtype and device laid out as the
// base: the base's strides over a storage spanning just its elements, so
// that region finds the view in it.
func (p placement) zeros(like *Tensor) *Tensor {
	span := 1
	for d, s := range p.baseShape {
		if s == 0 {
			span = 0
			break
		}
		span += (s - 1) * p.baseStrides[d]
	}
	st := newStorage(like.st.be, like.st.index, like.dtype(), span)
	return &Tensor{st: st, shape: p.baseShape, strides: p.baseStrides}
}

// region returns the tensor that is to whole, a tensor from zeros, what
// the view is to its base.
func (p placement) region(whole *Tensor) *Tensor {
	off := p.offset - p.baseOffset
	if numel(p.shape) == 0 {
		off = 0
	}
	return &Tensor{st: whole.st, shape: p.shape, strides: p.strides, offset: off}
}

// checkRebase panics, with PyTorch's message, when an in-place operation
// that is about to be recorded may not rewrite t's history.
func (t *Tensor) checkRebase() {
	if t.noGradView {
		panicf("A view was created in no_grad mode and is being modified inplace with grad mode enabled. " +
			"Given that this use case is ambiguous and error-prone, it is forbidden. " +
			"You can clarify your code by moving both the view and the inplace either both inside the NoGrad block " +
			"(if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).")
	}
}

// overlaps reports whether two of t's elements share memory: a dimension
// broadcast by Expand, of stride 0.
func (t *Tensor) overlaps() bool {
	for d, s := range t.strides {
		if s == 0 && t.shape[d] > 1 {
			return true
		}
	}
	return false
}
