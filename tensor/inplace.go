package tensor

import "github.com/gorch/gorch/autograd"

// checkInplace panics, with PyTorch's message, when t may not be modified
// in place: when two of its elements share memory, or when the graph needs
// it unchanged.
func (t *Tensor) checkInplace() {
	t.notNil()
	if t.overlaps() {
		panicf("unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.")
	}
	if !IsGradEnabled() {
		return
	}
	t.refresh()
	b := t.base
	switch {
	case t.requiresGrad && t.gradFn == nil:
		panicf("a leaf Variable that requires grad is being used in an in-place operation.")
	case b != nil && b.requiresGrad && t.noGradView:
		t.checkRebase()
	case b != nil && b.requiresGrad && b.gradFn == nil:
		panicf("a view of a leaf Variable that requires grad is being used in an in-place operation.")
	}
}

// checkInplaceDtype panics when an in-place result of dtype dt cannot be
// stored in t.
func (t *Tensor) checkInplaceDtype(dt Dtype) {
	if !canCast(dt, t.dtype()) {
		panicf("result type %s can't be cast to the desired output type %s", dt, t.dtype())
	}
}

// assign writes r, the result of an in-place operation computed out of
// place, into t, bumps t's version and, if node is not nil, makes it t's
// history, as PyTorch does for an in-place operation on a tensor in a
// graph.
func (t *Tensor) assign(r *Tensor, node *autograd.Node) *Tensor {
	t.checkInplaceDtype(r.dtype())
	if !sameShape(broadcastShapes(t.shape, r.shape), t.shape) {
		panicf("output with shape %s doesn't match the broadcast shape %s", shapeString(t.shape), shapeString(broadcastShapes(t.shape, r.shape)))
	}
	t.st.be.copy(t.view(), r.viewAs(t.shape))
	t.st.version.Bump()
	if node != nil {
		t.rebase(node)
	}
	return t
}

// inplace runs f, an out-of-place operation, and writes its result into t.
// When the operation must be recorded it runs on a clone of t, so that the
// values backward needs are not the ones being overwritten; a result that
// no gradient flows through (a comparison's 0s and 1s) is recorded as name,
// giving t's old values and others zero gradients, so name may be empty for
// operations whose results always carry the gradient. Only a floating-point
// t is recorded: no other can hold a gradient.
func (t *Tensor) inplace(name string, f func(x *Tensor) *Tensor, others ...*Tensor) *Tensor {
	t.checkInplace()
	if !t.IsFloatingPoint() || !needsGrad(append(others, t)...) {
		return t.assign(f(t.Detach()), nil)
	}
	t.checkRebase()
	r := f(t.Clone())
	if r.requiresGrad {
		return t.assign(r, r.gradFn)
	}
	return t.assign(r, t.overwriteNode(name, nil, others...))
}

// binaryInplace is the in-place form of a binary operation: without
// recording and with nothing to convert, the kernel writes straight into t,
// allocating nothing.
func (t *Tensor) binaryInplace(op binaryOp, b any, f func(x *Tensor, y any) *Tensor) *Tensor {
	if op.isArith() && fastArith(op, t, t, b) != nil {
		t.st.version.Bump()
		return t
	}
	y := operand(b, t)
	compute, result := binaryDtypes(op, t, y)
	if !needsGrad(t, y) && compute == t.dtype() && result == t.dtype() {
		t.checkInplace()
		shape := broadcastShapes(t.shape, y.shape)
		if !sameShape(shape, t.shape) {
			panicf("output with shape %s doesn't match the broadcast shape %s", shapeString(t.shape), shapeString(shape))
		}
		t.st.be.binary(boolOp(op, compute), t.view(), t.view(), y.cast(compute).viewAs(shape))
		t.st.version.Bump()
		return t
	}
	t.checkInplaceDtype(result)
	return t.inplace("", func(x *Tensor) *Tensor { return f(x, y) }, y)
}

// unaryInplace is the in-place form of a unary operation.
func (t *Tensor) unaryInplace(op unaryOp, f func(x *Tensor) *Tensor) *Tensor {
	if !needsGrad(t) && unaryDtype(op, t.dtype()) == t.dtype() {
		t.checkInplace()
		t.st.be.unary(op, t.view(), t.view())
		t.st.version.Bump()
		return t
	}
	t.checkInplaceDtype(unaryDtype(op, t.dtype()))
	return t.inplace("", f)
}

// Add_ adds b to t in place and returns t. It panics if the result's dtype
// cannot be stored in t (an Int64 tensor plus 2.5), if b does not
// broadcast to t's shape, or if t is a leaf that requires grad.
func (t *Tensor) Add_(b any) *Tensor { return t.binaryInplace(opAdd, b, (*Tensor).Add) }

// Sub_ subtracts b from t in place and returns t; it panics as Add_ does.
func (t *Tensor) Sub_(b any) *Tensor { return t.binaryInplace(opSub, b, (*Tensor).Sub) }

// Mul_ multiplies t by b in place and returns t; it panics as Add_ does.
func (t *Tensor) Mul_(b any) *Tensor { return t.binaryInplace(opMul, b, (*Tensor).Mul) }

// Div_ divides t by b in place and returns t; it panics as Add_ does, so an
// integer tensor cannot be divided in place.
func (t *Tensor) Div_(b any) *Tensor { return t.binaryInplace(opDiv, b, (*Tensor).Div) }

// Pow_ raises t to b in place and returns t; it panics as Add_ does.
func (t *Tensor) Pow_(b any) *Tensor { return t.binaryInplace(opPow, b, (*Tensor).Pow) }

// Maximum_ replaces t by the elementwise maximum of t and b and returns t.
func (t *Tensor) Maximum_(b any) *Tensor { return t.binaryInplace(opMaximum, b, (*Tensor).Maximum) }

// Minimum_ replaces t by the elementwise minimum of t and b and returns t.
func (t *Tensor) Minimum_(b any) *Tensor { return t.binaryInplace(opMinimum, b, (*Tensor).Minimum) }

// Eq_ sets t to 1 where t == b and 0 elsewhere, in t's dtype, and returns
// t. If t or b is in a graph, they get zero gradients from t's new values.
func (t *Tensor) Eq_(b any) *Tensor { return t.compareInplace("Eq", b, (*Tensor).Eq) }

// Ne_ sets t to 1 where t != b and 0 elsewhere and returns t; see Eq_.
func (t *Tensor) Ne_(b any) *Tensor { return t.compareInplace("Ne", b, (*Tensor).Ne) }

// Lt_ sets t to 1 where t < b and 0 elsewhere and returns t; see Eq_.
func (t *Tensor) Lt_(b any) *Tensor { return t.compareInplace("Lt", b, (*Tensor).Lt) }

// Le_ sets t to 1 where t <= b and 0 elsewhere and returns t; see Eq_.
func (t *Tensor) Le_(b any) *Tensor { return t.compareInplace("Le", b, (*Tensor).Le) }

// Gt_ sets t to 1 where t > b and 0 elsewhere and returns t; see Eq_.
func (t *Tensor) Gt_(b any) *Tensor { return t.compareInplace("Gt", b, (*Tensor).Gt) }

// Ge_ sets t to 1 where t >= b and 0 elsewhere and returns t; see Eq_.
func (t *Tensor) Ge_(b any) *Tensor { return t.compareInplace("Ge", b, (*Tensor).Ge) }

// compareInplace is the in-place form of the comparison f, recorded under
// PyTorch's name: op then Backward0 for a Go number, Backward1 for a
// tensor.
func (t *Tensor) compareInplace(op string, b any, f func(x *Tensor, y any) *Tensor) *Tensor {
	y := operand(b, t)
	name := op + "Backward1"
	if y.wrapped {
		name = op + "Backward0"
	}
	return t.inplace(name, func(x *Tensor) *Tensor { return f(x, y) }, y)
}

// Neg_ negates t in place and returns t.
func (t *Tensor) Neg_() *Tensor { return t.unaryInplace(opNeg, (*Tensor).Neg) }

// Abs_ replaces t by |t| and returns t.
func (t *Tensor) Abs_() *Tensor { return t.unaryInplace(opAbs, (*Tensor).Abs) }

// Exp_ replaces t by e**t and returns t; it panics for integer tensors,
// whose result would be Float32.
func (t *Tensor) Exp_() *Tensor { return t.unaryInplace(opExp, (*Tensor).Exp) }

// Log_ replaces t by its logarithm and returns t; it panics for integer
// tensors.
func (t *Tensor) Log_() *Tensor { return t.unaryInplace(opLog, (*Tensor).Log) }

// Sqrt_ replaces t by its square root and returns t; it panics for integer
// tensors.
func (t *Tensor) Sqrt_() *Tensor { return t.unaryInplace(opSqrt, (*Tensor).Sqrt) }

// Sin_ replaces t by its sine and returns t; it panics for integer tensors.
func (t *Tensor) Sin_() *Tensor { return t.unaryInplace(opSin, (*Tensor).Sin) }

// Cos_ replaces t by its cosine and returns t; it panics for integer
// tensors.
func (t *Tensor) Cos_() *Tensor { return t.unaryInplace(opCos, (*Tensor).Cos) }

// Tanh_ replaces t by its hyperbolic tangent and returns t; it panics for
// integer tensors.
func (t *Tensor) Tanh_() *Tensor { return t.unaryInplace(opTanh, (*Tensor).Tanh) }

// Sigmoid_ replaces t by its sigmoid and returns t; it panics for integer
// tensors.
func (t *Tensor) Sigmoid_() *Tensor { return t.unaryInplace(opSigmoid, (*Tensor).Sigmoid) }

// ReLU_ replaces the negative elements of t by 0 and returns t.
func (t *Tensor) ReLU_() *Tensor { return t.unaryInplace(opReLU, (*Tensor).ReLU) }

// Clamp_ limits t to [min, max] in place (nil for no bound) and returns t.
func (t *Tensor) Clamp_(min, max any) *Tensor {
	var bounds []*Tensor
	for _, b := range []any{min, max} {
		if x, ok := b.(*Tensor); ok {
			bounds = append(bounds, x)
		}
	}
	return t.inplace("", func(x *Tensor) *Tensor { return x.Clamp(min, max) }, bounds...)
}

// Zero_ sets every element of t to 0 and returns t.
func (t *Tensor) Zero_() *Tensor { return t.overwrite(operand(0, t), "ZeroBackward0") }

// Fill_ sets every element of t to v, a Go number or a 0-dim tensor
// converted to t's dtype as a cast converts it (2.5 into an Int64 tensor
// gives 2), and returns t. If t is in a graph, what it was before gets a
// zero gradient. It panics for a tensor v of more dimensions.
func (t *Tensor) Fill_(v any) *Tensor {
	if x, ok := v.(*Tensor); ok {
		if x.Dim() != 0 {
			panicf("fill_ only supports 0-dimension value tensor but got tensor with %d dimensions.", x.Dim())
		}
		return t.overwrite(operand(v, t), "FillBackward3")
	}
	return t.overwrite(operand(v, t), "FillBackward2")
}

// Copy_ copies src into t, converting its dtype and broadcasting it to t's
// shape, and returns t. When src requires grad t joins its graph; what t
// was before gets a zero gradient.
func (t *Tensor) Copy_(src *Tensor) *Tensor { return t.overwrite(operand(src, t), "CopyBackwards") }

// overwrite writes src into t, recorded as name: the gradient of t goes to
// src, summed to its shape, and none to t's old values. Only a floating
// point t is recorded: the gradient could not be held in any other.
func (t *Tensor) overwrite(src *Tensor, name string) *Tensor {
	t.checkInplace()
	if shape := broadcastShapes(t.shape, src.shape); !sameShape(shape, t.shape) {
		panicf("output with shape %s doesn't match the broadcast shape %s", shapeString(t.shape), shapeString(shape))
	}
	var node *autograd.Node
	if t.IsFloatingPoint() && needsGrad(t, src) {
		t.checkRebase()
		node = t.overwriteNode(name, src)
	}
	t.st.be.copy(t.view(), src.viewAs(t.shape))
	t.st.version.Bump()
	if node != nil {
		t.rebase(node)
	}
	return t
}

// overwriteNode is the record, named name, of an in-place operation that
// replaced t's values: the gradient of t goes to src unchanged, if src is
// not nil, and what t held before, like each of others, gets zeros.
func (t *Tensor) overwriteNode(name string, src *Tensor, others ...*Tensor) *autograd.Node {
	inputs := append([]*Tensor{t}, others...)
	if src != nil {
		inputs = append(inputs, src)
	}
	return newNode(name, inputs, func(g *Tensor) []*Tensor {
		gs := make([]*Tensor, len(inputs))
		zero := ZerosLike(g)
		for i := range gs {
			gs[i] = zero
		}
		if src != nil {
			gs[len(gs)-1] = g
		}
		return gs
	})
}
