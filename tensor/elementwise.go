package tensor

import "math"

// operand returns b, a *Tensor or a Go number, as a tensor on like's
// device. A Go number becomes a 0-dim "wrapped" tensor, which promotes
// more weakly than any tensor: Float32 tensor + 2.5 stays Float32.
func operand(b any, like *Tensor) *Tensor {
	like.notNil()
	if v, ok := b.(*Tensor); ok {
		v.notNil()
		if v.st.be != like.st.be || v.st.index != like.st.index {
			panicf("Expected all tensors to be on the same device, but found at least two devices, %s and %s!", like.Device(), v.Device())
		}
		return v
	}
	return goNumber(b).toDevice(like.st.be, like.st.index)
}

// goNumber returns a Go number or bool as a wrapped 0-dim CPU tensor:
// Float64 for floats (no digits lost), Int64 for integers, Bool for bools.
func goNumber(b any) *Tensor {
	var t *Tensor
	switch v := b.(type) {
	case float64:
		t = scalarTensor(Float64, v)
	case float32:
		t = scalarTensor(Float64, float64(v))
	case int:
		t = scalarTensor(Int64, int64(v))
	case int64:
		t = scalarTensor(Int64, v)
	case int32:
		t = scalarTensor(Int64, int64(v))
	case int16:
		t = scalarTensor(Int64, int64(v))
	case int8:
		t = scalarTensor(Int64, int64(v))
	case uint:
		t = scalarTensor(Int64, int64(checkUnsigned(uint64(v))))
	case uint8:
		t = scalarTensor(Int64, int64(v))
	case uint16:
		t = scalarTensor(Int64, int64(v))
	case uint32:
		t = scalarTensor(Int64, int64(v))
	case uint64:
		t = scalarTensor(Int64, int64(checkUnsigned(v)))
	case bool:
		t = scalarTensor(Bool, v)
	default:
		panicf("expected a *tensor.Tensor or a Go number, got %T", b)
	}
	t.wrapped = true
	return t
}

// checkUnsigned returns v, panicking as PyTorch does when it does not fit
// in an Int64, as which it would wrap around to a negative number.
func checkUnsigned(v uint64) uint64 {
	if v > math.MaxInt64 {
		panicf("Overflow when unpacking long: %d does not fit in an Int64", v)
	}
	return v
}

// scalarTensor returns a 0-dim CPU tensor of dtype dt holding v, a float64,
// int64 or bool, converted to dt as a cast would.
func scalarTensor(dt Dtype, v any) *Tensor {
	var f float64
	var i int64
	switch x := v.(type) {
	case float64:
		f, i = x, int64(x)
	case int64:
		f, i = float64(x), x
	case bool:
		if x {
			f, i = 1, 1
		}
	}
	switch dt {
	case Float32:
		return scalarOf(dt, float32(f))
	case Float64:
		return scalarOf(dt, f)
	case Int64:
		return scalarOf(dt, i)
	case Int32:
		return scalarOf(dt, int32(i))
	case Uint8:
		return scalarOf(dt, uint8(i))
	}
	return scalarOf(dt, f != 0)
}

// scalarOf returns a 0-dim CPU tensor holding v, its storage and element
// in one allocation: every Go number operand makes one.
func scalarOf[T any](dt Dtype, v T) *Tensor {
	p := &struct {
		t Tensor
		s storage
		v [1]T
	}{}
	p.v[0] = v
	p.s = storage{be: cpu, dtype: dt, buf: p.v[:]}
	p.t = Tensor{st: &p.s}
	return &p.t
}

// cast returns t converted to dtype dt: t itself if it already has it,
// otherwise a new contiguous tensor. It records nothing.
func (t *Tensor) cast(dt Dtype) *Tensor {
	if t.dtype() == dt {
		return t
	}
	if t.wrapped && t.st.be == cpu {
		// A Go number operand: convert the value, not a buffer.
		var v any
		switch b := t.st.buf.(type) {
		case []float64:
			v = b[0]
		case []int64:
			v = b[0]
		case []bool:
			v = b[0]
		}
		out := scalarTensor(dt, v)
		out.wrapped = true
		return out
	}
	out := t.alloc(dt, t.shape)
	out.wrapped = t.wrapped
	t.st.be.copy(out.view(), t.view())
	return out
}

// copyContiguous returns a new contiguous copy of t's data. It records
// nothing.
func (t *Tensor) copyContiguous() *Tensor {
	out := t.alloc(t.dtype(), t.shape)
	t.st.be.copy(out.view(), t.view())
	return out
}

// binaryDtypes returns the dtype op computes in and the dtype of its
// result, for operands a and b, panicking for the combinations PyTorch
// refuses.
func binaryDtypes(op binaryOp, a, b *Tensor) (compute, result Dtype) {
	compute = resultType(a, b)
	switch {
	case op.isComparison():
		return compute, Bool
	case op == opDiv && !compute.IsFloatingPoint():
		return Float32, Float32
	case compute == Bool && op == opSub:
		panicf("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.")
	case op == opSub && (a.dtype() == Bool || b.dtype() == Bool):
		panicf("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
	case op == opPow && b.wrapped && !compute.IsFloatingPoint() && numberOf(b) < 0:
		// 1/x is 0 for every integer but 1 and -1: a float exponent or
		// base says what is meant.
		panicf("Integers to negative integer powers are not allowed.")
	case compute == Bool && op == opPow:
		panicf("Pow does not support Bool tensors; convert them with To(tensor.Int64) first")
	}
	return compute, compute
}

// boolOp maps arithmetic on Bool to the logic PyTorch gives it: + is "or",
// * is "and". The byte kernels then compute it as maximum and minimum.
func boolOp(op binaryOp, dt Dtype) binaryOp {
	if dt != Bool {
		return op
	}
	switch op {
	case opAdd:
		return opMaximum
	case opMul:
		return opMinimum
	}
	return op
}

// binary computes op(a, b) into a new tensor, broadcasting and promoting as
// PyTorch does. It records nothing.
func binary(op binaryOp, a, b *Tensor) *Tensor {
	compute, result := binaryDtypes(op, a, b)
	shape := broadcastShapes(a.shape, b.shape)
	x, y := a.cast(compute), b.cast(compute)
	out := a.alloc(result, shape)
	a.st.be.binary(boolOp(op, compute), out.view(), x.viewAs(shape), y.viewAs(shape))
	return out
}

// unary computes op(a) into a new tensor; the transcendental functions
// compute integers as Float32. It records nothing.
func unary(op unaryOp, a *Tensor) *Tensor {
	x := a.cast(unaryDtype(op, a.dtype()))
	out := a.alloc(x.dtype(), a.shape)
	a.st.be.unary(op, out.view(), x.view())
	return out
}

// unaryDtype returns the dtype op computes and returns for an input of
// dtype dt, panicking for the ones PyTorch refuses on Bool.
func unaryDtype(op unaryOp, dt Dtype) Dtype {
	switch {
	case op.isFloatOnly() && !dt.IsFloatingPoint():
		return Float32
	case dt == Bool && op == opNeg:
		panicf("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
	case dt == Bool && op == opAbs:
		panicf("\"abs_cpu\" not implemented for 'Bool'")
	case dt == Bool && op == opReLU:
		panicf("Boolean inputs not supported for relu")
	case dt == Bool:
		return Uint8
	}
	return dt
}

// Add returns a + b, elementwise with broadcasting; b is a *Tensor or a Go
// number. The result is a new tensor.
func (a *Tensor) Add(b any) *Tensor {
	if out := fastArith(opAdd, nil, a, b); out != nil {
		return out
	}
	y := operand(b, a)
	out := binary(opAdd, a, y)
	if needsGrad(a, y) {
		record(out, "AddBackward0", []*Tensor{a, y}, func(g *Tensor) []*Tensor { return []*Tensor{g, g} })
	}
	return out
}

// Sub returns a - b, elementwise with broadcasting; b is a *Tensor or a Go
// number.
func (a *Tensor) Sub(b any) *Tensor {
	if out := fastArith(opSub, nil, a, b); out != nil {
		return out
	}
	y := operand(b, a)
	out := binary(opSub, a, y)
	if needsGrad(a, y) {
		record(out, "SubBackward0", []*Tensor{a, y}, func(g *Tensor) []*Tensor { return []*Tensor{g, maybe(y, g.Neg)} })
	}
	return out
}

// Mul returns a * b, elementwise with broadcasting; b is a *Tensor or a Go
// number.
func (a *Tensor) Mul(b any) *Tensor {
	if out := fastArith(opMul, nil, a, b); out != nil {
		return out
	}
	y := operand(b, a)
	out := binary(opMul, a, y)
	if needsGrad(a, y) {
		n := record(out, "MulBackward0", []*Tensor{a, y}, func(g *Tensor) []*Tensor {
			return []*Tensor{maybe(a, func() *Tensor { return g.Mul(y) }), maybe(y, func() *Tensor { return g.Mul(a) })}
		})
		save(n, a, y)
	}
	return out
}

// Div returns a / b, true division elementwise with broadcasting: integer
// operands give Float32. b is a *Tensor or a Go number.
func (a *Tensor) Div(b any) *Tensor {
	if out := fastArith(opDiv, nil, a, b); out != nil {
		return out
	}
	y := operand(b, a)
	out := binary(opDiv, a, y)
	if needsGrad(a, y) {
		n := record(out, "DivBackward0", []*Tensor{a, y}, func(g *Tensor) []*Tensor {
			return []*Tensor{
				maybe(a, func() *Tensor { return g.Div(y) }),
				maybe(y, func() *Tensor { return g.Neg().Mul(a).Div(y.Mul(y)) }),
			}
		})
		save(n, a, y)
	}
	return out
}

// Pow returns a raised to b, elementwise with broadcasting; b is a *Tensor
// or a Go number.
func (a *Tensor) Pow(b any) *Tensor {
	y := operand(b, a)
	out := power(a, y)
	if !needsGrad(a, y) {
		return out
	}
	if y.wrapped {
		e := numberOf(y)
		n := record(out, "PowBackward0", []*Tensor{a}, func(g *Tensor) []*Tensor { return []*Tensor{powGrad(g, a, e)} })
		save(n, a)
		return out
	}
	n := record(out, "PowBackward1", []*Tensor{a, y}, func(g *Tensor) []*Tensor {
		return []*Tensor{
			maybe(a, func() *Tensor { return g.Mul(y).Mul(a.Pow(y.Sub(1))) }),
			maybe(y, func() *Tensor {
				// 0**y is flat in y for y >= 0: PyTorch's gradient is 0 there,
				// not the 0·log(0) = NaN of the formula.
				return Where(a.Eq(0).Mul(y.Ge(0)), 0, g.Mul(out).Mul(a.Log()))
			}),
		}
	})
	save(n, a, y, out)
	return out
}

// Maximum returns the elementwise maximum of a and b with broadcasting;
// NaN wins. b is a *Tensor or a Go number.
func (a *Tensor) Maximum(b any) *Tensor { return a.extremum(opMaximum, "MaximumBackward0", b) }

// Minimum returns the elementwise minimum of a and b with broadcasting;
// NaN wins. b is a *Tensor or a Go number.
func (a *Tensor) Minimum(b any) *Tensor { return a.extremum(opMinimum, "MinimumBackward0", b) }

// extremum is Maximum and Minimum: the gradient goes to the operand that
// won, split in half on ties, as PyTorch does.
func (a *Tensor) extremum(op binaryOp, name string, b any) *Tensor {
	y := operand(b, a)
	out := binary(op, a, y)
	if needsGrad(a, y) {
		n := record(out, name, []*Tensor{a, y}, func(g *Tensor) []*Tensor {
			tie := a.Eq(y)
			half := Where(tie, g.Div(2), g)
			wins := func(x, other *Tensor) *Tensor {
				if op == opMaximum {
					return half.Mul(x.Ge(other))
				}
				return half.Mul(x.Le(other))
			}
			return []*Tensor{maybe(a, func() *Tensor { return wins(a, y) }), maybe(y, func() *Tensor { return wins(y, a) })}
		})
		save(n, a, y)
	}
	return out
}

// maybe returns f() if x requires grad and nil otherwise, so that backward
// skips gradients nobody asked for.
func maybe(x *Tensor, f func() *Tensor) *Tensor {
	if !x.requiresGrad {
		return nil
	}
	return f()
}

func (a *Tensor) compare(op binaryOp, b any) *Tensor { return binary(op, a, operand(b, a)) }

// Eq returns a Bool tensor, true where a == b (broadcasting; b is a
// *Tensor or a Go number).
func (a *Tensor) Eq(b any) *Tensor { return a.compare(opEq, b) }

// Ne returns a Bool tensor, true where a != b.
func (a *Tensor) Ne(b any) *Tensor { return a.compare(opNe, b) }

// Lt returns a Bool tensor, true where a < b.
func (a *Tensor) Lt(b any) *Tensor { return a.compare(opLt, b) }

// Le returns a Bool tensor, true where a <= b.
func (a *Tensor) Le(b any) *Tensor { return a.compare(opLe, b) }

// Gt returns a Bool tensor, true where a > b.
func (a *Tensor) Gt(b any) *Tensor { return a.compare(opGt, b) }

// Ge returns a Bool tensor, true where a >= b.
func (a *Tensor) Ge(b any) *Tensor { return a.compare(opGe, b) }

// unaryGrad applies op and records name with backward, which gets the
// output's gradient, the input and the output.
func (a *Tensor) unaryGrad(op unaryOp, name string, saveIn, saveOut bool, backward func(g, x, y *Tensor) *Tensor) *Tensor {
	out := unary(op, a)
	if needsGrad(a) {
		n := record(out, name, []*Tensor{a}, func(g *Tensor) []*Tensor { return []*Tensor{backward(g, a, out)} })
		if saveIn {
			save(n, a)
		}
		if saveOut {
			save(n, out)
		}
	}
	return out
}

// Neg returns -a. It panics for Bool tensors.
func (a *Tensor) Neg() *Tensor {
	return a.unaryGrad(opNeg, "NegBackward0", false, false, func(g, _, _ *Tensor) *Tensor { return g.Neg() })
}

// Abs returns |a|.
func (a *Tensor) Abs() *Tensor {
	return a.unaryGrad(opAbs, "AbsBackward0", true, false, func(g, x, _ *Tensor) *Tensor { return g.Mul(x.Sign()) })
}

// Sign returns -1, 0 or 1 by the sign of each element. It is not
// differentiable: its gradient is zero.
func (a *Tensor) Sign() *Tensor { return unary(opSign, a) }

// Exp returns e**a; integer tensors give Float32.
func (a *Tensor) Exp() *Tensor {
	return a.unaryGrad(opExp, "ExpBackward0", false, true, func(g, _, y *Tensor) *Tensor { return g.Mul(y) })
}

// Log returns the natural logarithm of a; integer tensors give Float32.
func (a *Tensor) Log() *Tensor {
	return a.unaryGrad(opLog, "LogBackward0", true, false, func(g, x, _ *Tensor) *Tensor { return g.Div(x) })
}

// Sqrt returns the square root of a; integer tensors give Float32.
func (a *Tensor) Sqrt() *Tensor {
	return a.unaryGrad(opSqrt, "SqrtBackward0", false, true, func(g, _, y *Tensor) *Tensor { return g.Div(y.Mul(2)) })
}

// Sin returns the sine of a; integer tensors give Float32.
func (a *Tensor) Sin() *Tensor {
	return a.unaryGrad(opSin, "SinBackward0", true, false, func(g, x, _ *Tensor) *Tensor { return g.Mul(x.Cos()) })
}

// Cos returns the cosine of a; integer tensors give Float32.
func (a *Tensor) Cos() *Tensor {
	return a.unaryGrad(opCos, "CosBackward0", true, false, func(g, x, _ *Tensor) *Tensor { return g.Mul(x.Sin()).Neg() })
}

// Tanh returns the hyperbolic tangent of a; integer tensors give Float32.
func (a *Tensor) Tanh() *Tensor {
	return a.unaryGrad(opTanh, "TanhBackward0", false, true, func(g, _, y *Tensor) *Tensor { return g.Mul(y.Mul(y).Neg().Add(1)) })
}

// Sigmoid returns 1 / (1 + e**-a); integer tensors give Float32.
func (a *Tensor) Sigmoid() *Tensor {
	return a.unaryGrad(opSigmoid, "SigmoidBackward0", false, true, func(g, _, y *Tensor) *Tensor { return g.Mul(y).Mul(y.Neg().Add(1)) })
}

// ReLU returns max(a, 0).
func (a *Tensor) ReLU() *Tensor {
	return a.unaryGrad(opReLU, "ReluBackward0", false, true, func(g, _, y *Tensor) *Tensor { return reluBackward(g, y) })
}

// Clamp limits a to [min, max]; each bound is a Go number, a *Tensor
// broadcast with a, or nil for none. A tensor bound receives the gradient
// where it is the result, as in PyTorch. It panics if both are nil.
func (a *Tensor) Clamp(min, max any) *Tensor {
	a.notNil()
	if min == nil && max == nil {
		panicf("torch.clamp: At least one of 'min' or 'max' must not be None")
	}
	x := a.Detach()
	inputs := []*Tensor{a}
	var lo, hi *Tensor
	if min != nil {
		lo = operand(min, a)
		x = binary(opMaximum, x, lo)
		inputs = append(inputs, lo)
	}
	if max != nil {
		hi = operand(max, a)
		x = binary(opMinimum, x, hi)
		inputs = append(inputs, hi)
	}
	if !needsGrad(inputs...) {
		return x
	}
	name := "ClampBackward1"
	if (lo != nil && !lo.wrapped) || (hi != nil && !hi.wrapped) {
		name = "ClampBackward0"
	}
	n := record(x, name, inputs, func(g *Tensor) []*Tensor { return clampBackward(g, a, lo, hi) })
	save(n, inputs...)
	return x
}

// clampBackward returns the gradients of a and of its bounds lo and hi
// (those not nil) for Clamp's gradient g. a gets it where it lies within
// its bounds; lo where a is below it, unless lo is above hi, which then
// wins everywhere and takes the gradient where a is above it or lo is
// above it, as PyTorch's clamp_backward_min_max gives.
func clampBackward(g, a, lo, hi *Tensor) []*Tensor {
	var within *Tensor
	switch {
	case hi == nil:
		within = a.Ge(lo)
	case lo == nil:
		within = a.Le(hi)
	default:
		within = a.Ge(lo).Mul(a.Le(hi))
	}
	gs := []*Tensor{maybe(a, func() *Tensor { return Where(within, g, 0) })}
	if lo != nil {
		gs = append(gs, maybe(lo, func() *Tensor {
			below := a.Lt(lo)
			if hi != nil {
				below = below.Mul(lo.Lt(hi))
			}
			return Where(below, g, 0)
		}))
	}
	if hi != nil {
		gs = append(gs, maybe(hi, func() *Tensor {
			above := a.Gt(hi)
			if lo != nil {
				above = above.Add(hi.Lt(lo))
			}
			return Where(above, g, 0)
		}))
	}
	return gs
}

// Where returns, elementwise with broadcasting, a where cond is true and b
// elsewhere; a and b are *Tensors or Go numbers. It panics unless cond is a
// Bool tensor.
func Where(cond *Tensor, a, b any) *Tensor {
	if cond.dtype() != Bool {
		panicf("where expected condition to be a boolean tensor, but got a tensor with dtype %s", cond.dtype())
	}
	x, y := operand(a, cond), operand(b, cond)
	dt := resultType(x, y)
	shape := broadcastShapes(broadcastShapes(cond.shape, x.shape), y.shape)
	out := cond.alloc(dt, shape)
	cond.st.be.where(out.view(), cond.viewAs(shape), x.cast(dt).viewAs(shape), y.cast(dt).viewAs(shape))
	if needsGrad(x, y) {
		record(out, "WhereBackward0", []*Tensor{x, y}, func(g *Tensor) []*Tensor {
			return []*Tensor{
				maybe(x, func() *Tensor { return Where(cond, g, 0) }),
				maybe(y, func() *Tensor { return Where(cond, 0, g) }),
			}
		})
	}
	return out
}

// AllClose reports whether |a - b| <= atol + rtol·|b| everywhere (NaNs
// unequal), with PyTorch's defaults rtol = 1e-5, atol = 1e-8 unless given
// as tol[0], tol[1]. It panics if the shapes do not broadcast.
func (a *Tensor) AllClose(b *Tensor, tol ...float64) bool {
	a.notNil()
	rtol, atol := 1e-5, 1e-8
	if len(tol) > 0 {
		rtol = tol[0]
	}
	if len(tol) > 1 {
		atol = tol[1]
	}
	var ok bool
	NoGrad(func() {
		x, y := a.cast(Float64), operand(b, a).cast(Float64)
		// Equal infinities are close although their difference is NaN.
		close := x.Sub(y).Abs().Le(y.Abs().Mul(rtol).Add(atol)).Add(x.Eq(y))
		ok = close.Sum().ItemInt() == int64(close.Numel())
	})
	return ok
}

// Equal reports whether a and b have the same shape and the same values
// (after promotion); NaNs are unequal.
func (a *Tensor) Equal(b *Tensor) bool {
	b = operand(b, a)
	if !sameShape(a.shape, b.shape) {
		return false
	}
	var ok bool
	NoGrad(func() { ok = a.Ne(b).Sum().ItemInt() == 0 })
	return ok
}

// Add returns a + b; see [Tensor.Add]. b is a *Tensor or a Go number.
func Add(a *Tensor, b any) *Tensor { return a.Add(b) }

// Sub returns a - b; see [Tensor.Sub].
func Sub(a *Tensor, b any) *Tensor { return a.Sub(b) }

// Mul returns a * b; see [Tensor.Mul].
func Mul(a *Tensor, b any) *Tensor { return a.Mul(b) }

// Div returns a / b; see [Tensor.Div].
func Div(a *Tensor, b any) *Tensor { return a.Div(b) }

// power computes a**y without recording. The square of a float tensor, in
// every squared error, is a product, as PyTorch computes it: math.Pow per
// element costs some twenty times more.
func power(a, y *Tensor) *Tensor {
	if y.wrapped && a.IsFloatingPoint() && numberOf(y) == 2 {
		return binary(opMul, a, a)
	}
	return binary(opPow, a, y)
}

// Pow returns a raised to b; see [Tensor.Pow].
func Pow(a *Tensor, b any) *Tensor { return a.Pow(b) }

// Maximum returns the elementwise maximum; see [Tensor.Maximum].
func Maximum(a *Tensor, b any) *Tensor { return a.Maximum(b) }

// Minimum returns the elementwise minimum; see [Tensor.Minimum].
func Minimum(a *Tensor, b any) *Tensor { return a.Minimum(b) }
