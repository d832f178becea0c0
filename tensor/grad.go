package tensor

import (
	"fmt"

	"github.com/gorch/gorch/autograd"
)

// needsGrad reports whether an operation on xs must record itself: grad
// mode is on and some input requires grad.
func needsGrad(xs ...*Tensor) bool {
	for _, x := range xs {
		x.notNil()
		x.refresh()
		if x.requiresGrad {
			return autograd.Enabled()
		}
	}
	return false
}

// edge returns the node through which gradients reach t: the operation
// that made it, its accumulator if it is a leaf that requires grad, or nil.
func (t *Tensor) edge() *autograd.Node {
	t.refresh()
	switch {
	case !t.requiresGrad:
		return nil
	case t.gradFn != nil:
		return t.gradFn
	case t.acc == nil:
		t.acc = autograd.NewAccumulator(func(g any) { t.accumulate(g.(*Tensor)) })
	}
	return t.acc
}

// accumulate adds a gradient into t.grad, as PyTorch's AccumulateGrad:
// later ones are added in place. The first one is copied, since it may be
// shared with other inputs' gradients or be the user's, unless it lies in
// memory a backward pass made for gradients (gradOnly), which t then takes
// over. That is safe because backward functions never write into the
// gradients they receive, and the mark is cleared by the first leaf to
// take the memory, so no other leaf gets it too.
func (t *Tensor) accumulate(g *Tensor) {
	if t.grad == nil {
		if g.st.gradOnly && g.dtype() == t.dtype() && g.IsContiguous() {
			g.st.gradOnly = false
			t.grad = &Tensor{st: g.st, shape: g.shape, strides: g.strides, offset: g.offset}
			return
		}
		t.grad = g.cast(t.dtype()).copyContiguous()
		return
	}
	t.grad.st.be.binary(opAdd, t.grad.view(), t.grad.view(), g.cast(t.dtype()).viewAs(t.grad.shape))
	t.grad.st.version.Bump()
}

// record makes out the result of a differentiable operation named name
// (PyTorch's grad_fn name) on inputs. backward maps the gradient of out to
// one gradient per input, nil where none is wanted; record is the one
// place that sums each gradient back to its input's shape (undoing
// broadcasting) and casts it to the input's dtype. It keeps only the
// inputs' shapes and dtypes, not the inputs.
func record(out *Tensor, name string, inputs []*Tensor, backward func(g *Tensor) []*Tensor) *autograd.Node {
	node := newNode(name, inputs, backward)
	out.requiresGrad, out.gradFn = true, node
	return node
}

// newNode is record's node, for the in-place operations that attach it to
// their output themselves.
func newNode(name string, inputs []*Tensor, backward func(g *Tensor) []*Tensor) *autograd.Node {
	next := make([]*autograd.Node, len(inputs))
	shapes := make([][]int, len(inputs))
	dtypes := make([]Dtype, len(inputs))
	for i, x := range inputs {
		next[i], shapes[i], dtypes[i] = x.edge(), x.shape, x.dtype()
	}
	return autograd.NewNode(name, next, func(g any) []any {
		gs := backward(g.(*Tensor))
		res := make([]any, len(gs))
		for i, gi := range gs {
			if gi != nil && next[i] != nil {
				res[i] = sumTo(gi, shapes[i]).cast(dtypes[i])
			}
		}
		return res
	})
}

// save registers the tensors a backward function uses, so that modifying
// one in place before backward runs is reported, as PyTorch does.
func save(node *autograd.Node, ts ...*Tensor) {
	for _, t := range ts {
		// A saved output is named by the operation that saved it even if an
		// in-place change gave it a new history since, as in PyTorch.
		own := t.gradFn == node
		node.SaveVersion(&t.st.version, func(now, want uint64) string {
			what, fn := "", t.gradFn
			if own {
				fn = node
			}
			if fn != nil {
				what = ", which is output 0 of " + fn.Name() + ","
			}
			return fmt.Sprintf("one of the variables needed for gradient computation has been modified by an inplace operation: "+
				"[tensor.%s %s]%s is at version %d; expected version %d instead. "+
				"Hint: the operation that saved it ran before the in-place change; clone the tensor before changing it.",
				dtypeInfo[t.dtype()].tensorType, shapeString(t.shape), what, now, want)
		})
	}
}

// sumTo sums g over the dimensions that broadcasting added or stretched,
// giving a gradient of the given shape.
func sumTo(g *Tensor, shape []int) *Tensor {
	if sameShape(g.shape, shape) {
		return g
	}
	lead := len(g.shape) - len(shape)
	var dims []int
	for i := range g.shape {
		if i < lead || (shape[i-lead] == 1 && g.shape[i] != 1) {
			dims = append(dims, i)
		}
	}
	return g.reduceDims(redSum, dims, true).Reshape(shape...)
}

// addGrads sums two gradients that reach the same node.
func addGrads(a, b any) any { return a.(*Tensor).Add(b.(*Tensor)) }

// Backward computes the gradient of t with respect to every leaf that
// requires grad and led to t, adding it to each leaf's [Tensor.Grad]. With
// no argument t must hold one element and its gradient is 1; otherwise grad
// is the gradient of t, of t's shape. The graph is freed as it is walked, so
// a second Backward through it panics; see [Tensor.BackwardRetainGraph].
// It panics if t does not require grad.
func (t *Tensor) Backward(grad ...*Tensor) { t.backward(false, grad) }

// BackwardRetainGraph is [Tensor.Backward] keeping the graph, so that
// Backward can run through it again (PyTorch's retain_graph=True).
func (t *Tensor) BackwardRetainGraph(grad ...*Tensor) { t.backward(true, grad) }

func (t *Tensor) backward(retain bool, grad []*Tensor) {
	t.notNil()
	if !t.requiresGrad {
		panicf("element 0 of tensors does not require grad and does not have a grad_fn")
	}
	var g *Tensor
	switch len(grad) {
	case 0:
		if t.Numel() != 1 {
			panicf("grad can be implicitly created only for scalar outputs")
		}
		g = OnesLike(t)
	case 1:
		g = grad[0]
		if !sameShape(g.shape, t.shape) {
			panicf("Mismatch in shape: grad_output[0] has a shape of %s and output[0] has a shape of %s.", shapeString(g.shape), shapeString(t.shape))
		}
	default:
		panicf("Backward takes at most one gradient, got %d", len(grad))
	}
	var err error
	autograd.NoGrad(func() { err = autograd.Backward(t.edge(), g.Detach(), addGrads, retain) })
	if err != nil {
		panic(&Error{Msg: err.Error()})
	}
}

// Grad returns the gradient accumulated into t by Backward, nil before the
// first Backward reaches it. It shares memory with t's gradient, which
// later Backward calls add to in place.
func (t *Tensor) Grad() *Tensor {
	t.notNil()
	return t.grad
}

// SetGrad replaces t's gradient; nil clears it, as optimizers' zero_grad
// does. It panics if g's shape differs from t's.
func (t *Tensor) SetGrad(g *Tensor) {
	t.notNil()
	if g != nil && !sameShape(g.shape, t.shape) {
		panicf("assigned grad has data of a different size")
	}
	t.grad = g
}

// RequiresGrad reports whether operations on t are recorded for Backward.
func (t *Tensor) RequiresGrad() bool {
	t.notNil()
	t.refresh()
	return t.requiresGrad
}

// RequiresGrad_ sets whether t, which must be a leaf, requires grad, and
// returns t. It panics for a non-leaf and, when asked to require grad, for
// a tensor that is not floating point.
func (t *Tensor) RequiresGrad_(requires bool) *Tensor {
	t.notNil()
	if t.gradFn != nil && !requires {
		panicf("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use varNoGrad := v.Detach().")
	}
	if requires && !t.IsFloatingPoint() {
		panicf("only Tensors of floating point dtype can require gradients")
	}
	t.requiresGrad = requires || t.gradFn != nil
	return t
}

// IsLeaf reports whether t was made by the user rather than by a recorded
// operation: tensors that do not require grad are leaves too.
func (t *Tensor) IsLeaf() bool {
	t.notNil()
	t.refresh()
	return t.gradFn == nil
}

// GradFn returns the node of the operation that made t, whose String is
// PyTorch's "<SumBackward0>", or nil for a leaf.
func (t *Tensor) GradFn() *autograd.Node {
	t.notNil()
	t.refresh()
	return t.gradFn
}

// Detach returns a tensor sharing t's storage (so in-place changes show in
// both) that is cut from the graph and does not require grad.
func (t *Tensor) Detach() *Tensor {
	t.notNil()
	return &Tensor{st: t.st, shape: t.shape, strides: t.strides, offset: t.offset}
}

// Detach_ cuts t itself from the graph and returns it.
func (t *Tensor) Detach_() *Tensor {
	t.notNil()
	t.requiresGrad, t.gradFn, t.acc, t.base = false, nil, nil, nil
	return t
}

// NoGrad runs f without recording operations, as PyTorch's torch.no_grad():
// for inference and for updating parameters in place. Unlike PyTorch's,
// grad mode is process-wide, not per goroutine (Go has no goroutine-local
// state): while f runs, no goroutine records operations. Recording resumes
// when f returns or panics.
func NoGrad(f func()) { autograd.NoGrad(f) }

// IsGradEnabled reports whether operations are being recorded, that is,
// whether no NoGrad is running.
func IsGradEnabled() bool { return autograd.Enabled() }
