package tensor

import "math"

// reducePlan says how a reduction over dims lays t out for the kernel:
// t (permuted so the reduced dims come last, made contiguous when
// needed) is seen as [outer, k, inner].
type reducePlan struct {
	src              *Tensor
	outer, k, inner  int
	shape, keepShape []int // result shape without and with the reduced dims
}

// planReduce normalises dims (none means all) and lays t out for reducing
// them. It copies t only when t is not contiguous, and for all dims only
// when t is not even a permutation of a contiguous tensor.
func (t *Tensor) planReduce(dims []int) reducePlan {
	n := t.Dim()
	p := reducePlan{keepShape: make([]int, n), shape: []int{}}
	if len(dims) == 0 {
		// All of a tensor reduces as one row.
		for i := range p.keepShape {
			p.keepShape[i] = 1
		}
		p.outer, p.k, p.inner = 1, numel(t.shape), 1
		p.src = t
		switch {
		case t.IsContiguous():
		case isDense(t.shape, t.strides):
			// A permuted contiguous tensor (a transpose, say) reduces as
			// its memory, in memory order, without a copy.
			p.src = &Tensor{st: t.st, shape: []int{p.k}, strides: unitStride, offset: t.offset}
		default:
			p.src = t.copyContiguous()
		}
		return p
	}
	copy(p.keepShape, t.shape)
	for _, d := range dims {
		d = normDim(d, n)
		if n == 0 {
			continue // a 0-dim tensor reduces over dim 0 or -1 to itself
		}
		if p.keepShape[d] < 0 {
			panicf("dim %d appears multiple times in the list of dims", d)
		}
		p.keepShape[d] = -1
	}
	var kept, red []int
	for i, s := range t.shape {
		if p.keepShape[i] < 0 {
			red, p.keepShape[i] = append(red, i), 1
			continue
		}
		kept = append(kept, i)
		p.shape = append(p.shape, s)
	}
	p.outer, p.k, p.inner = 1, 1, 1
	if len(red) == 1 {
		// One dim reduces in place as [outer, k, inner] without a copy.
		d := red[0]
		p.outer, p.k, p.inner = numel(t.shape[:d]), t.shape[d], numel(t.shape[d+1:])
		p.src = t.contiguousData()
		return p
	}
	for _, d := range kept {
		p.outer *= t.shape[d]
	}
	for _, d := range red {
		p.k *= t.shape[d]
	}
	x := t.Detach()
	if len(kept) > 0 && len(red) > 0 {
		x = x.Permute(append(kept, red...)...)
	}
	p.src = x.contiguousData()
	return p
}

// contiguousData returns t if it is contiguous and otherwise a contiguous
// copy, recording nothing: the data a kernel that wants one run reads.
func (t *Tensor) contiguousData() *Tensor {
	if t.IsContiguous() {
		return t
	}
	return t.copyContiguous()
}

// reduceOut runs the kernel of op on a plan into a new tensor of dtype dt,
// with keepdim deciding the result's shape; idx also returns the positions
// (for Max and Min along a dim).
func (t *Tensor) reduceOut(op reduceOp, p reducePlan, dt Dtype, keepdim, idx bool) (vals, ix *Tensor) {
	shape := p.shape
	if keepdim {
		shape = p.keepShape
	}
	src := p.src.cast(dt)
	vals = t.alloc(dt, append([]int{}, shape...))
	var ixBuf any
	if idx {
		ix = t.alloc(Int64, append([]int{}, shape...))
		ixBuf = ix.st.buf
	}
	if vals.Numel() > 0 {
		t.st.be.reduce(op, vals.st.buf, ixBuf, src.view(), p.outer, p.k, p.inner)
	}
	return vals, ix
}

// sumDtype is the dtype sums and products accumulate in: Int64 for every
// integer and Bool tensor, as in PyTorch.
func sumDtype(dt Dtype) Dtype {
	if dt.IsFloatingPoint() {
		return dt
	}
	return Int64
}

// reduceDims reduces t over dims without recording; the gradient code uses
// it to undo broadcasting.
func (t *Tensor) reduceDims(op reduceOp, dims []int, keepdim bool) *Tensor {
	out, _ := t.reduceOut(op, t.planReduce(dims), sumDtype(t.dtype()), keepdim, false)
	return out
}

// expandBack returns g, the gradient of a reduction of t, with the reduced
// dims restored as size 1 and broadcast back to t's shape.
func expandBack(g *Tensor, keepShape, shape []int) *Tensor {
	return g.Reshape(keepShape...).Expand(shape...)
}

// Sum returns the sum of all elements as a 0-dim tensor, or, given dims,
// the sums along them with those dims removed (see [Tensor.SumDim] to keep
// them). Integer and Bool tensors sum to Int64. It panics for a dim out of
// range.
func (t *Tensor) Sum(dims ...int) *Tensor { return t.sum(dims, false) }

// SumDim returns the sums along dim, keeping it as size 1 when keepdim is
// set, as PyTorch's t.sum(dim, keepdim=True).
func (t *Tensor) SumDim(dim int, keepdim bool) *Tensor { return t.sum([]int{dim}, keepdim) }

func (t *Tensor) sum(dims []int, keepdim bool) *Tensor {
	p := t.planReduce(dims)
	out, _ := t.reduceOut(redSum, p, sumDtype(t.dtype()), keepdim, false)
	if needsGrad(t) {
		name := "SumBackward0"
		if len(dims) > 0 {
			name = "SumBackward1"
		}
		record(out, name, []*Tensor{t}, func(g *Tensor) []*Tensor { return []*Tensor{expandBack(g, p.keepShape, t.shape)} })
	}
	return out
}

// Mean returns the mean of all elements as a 0-dim tensor, or along dims
// with them removed. It panics for integer tensors, as PyTorch does.
func (t *Tensor) Mean(dims ...int) *Tensor { return t.mean(dims, false) }

// MeanDim returns the means along dim, keeping it as size 1 when keepdim
// is set.
func (t *Tensor) MeanDim(dim int, keepdim bool) *Tensor { return t.mean([]int{dim}, keepdim) }

func (t *Tensor) mean(dims []int, keepdim bool) *Tensor {
	if !t.IsFloatingPoint() {
		panicf("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: %s", t.dtype())
	}
	p := t.planReduce(dims)
	out, _ := t.reduceOut(redSum, p, t.dtype(), keepdim, false)
	count := float64(p.k)
	out.st.be.binary(opDiv, out.view(), out.view(), goNumber(count).cast(out.dtype()).toDevice(out.st.be, out.st.index).viewAs(out.shape))
	if needsGrad(t) {
		name := "MeanBackward0"
		if len(dims) > 0 {
			name = "MeanBackward1"
		}
		record(out, name, []*Tensor{t}, func(g *Tensor) []*Tensor {
			return []*Tensor{expandBack(g.Div(count), p.keepShape, t.shape)}
		})
	}
	return out
}

// Prod returns the product of all elements as a 0-dim tensor; integer and
// Bool tensors give Int64.
func (t *Tensor) Prod() *Tensor { return t.prod(nil, false) }

// ProdDim returns the products along dim, keeping it when keepdim is set.
func (t *Tensor) ProdDim(dim int, keepdim bool) *Tensor { return t.prod([]int{dim}, keepdim) }

func (t *Tensor) prod(dims []int, keepdim bool) *Tensor {
	p := t.planReduce(dims)
	out, _ := t.reduceOut(redProd, p, sumDtype(t.dtype()), keepdim, false)
	if needsGrad(t) {
		name := "ProdBackward0"
		if len(dims) > 0 {
			name = "ProdBackward1"
		}
		n := record(out, name, []*Tensor{t}, func(g *Tensor) []*Tensor {
			return []*Tensor{expandBack(g, p.keepShape, t.shape).Mul(prodOthers(t, dims))}
		})
		save(n, t)
	}
	return out
}

// prodOthers returns, for each element of x, the product of the other
// elements it was multiplied with: the derivative of the product. Zeros
// are handled without dividing by them: an element's cofactor is the
// product of the nonzero others when it is the only zero, and 0 when
// another zero remains.
func prodOthers(x *Tensor, dims []int) *Tensor {
	p := x.planReduce(dims)
	zero := x.Eq(0)
	nonzero := Where(zero, 1, x)
	prodNZ := expandBack(nonzero.prod(dims, true), p.keepShape, x.shape)
	zeros := expandBack(zero.sum(dims, true), p.keepShape, x.shape)
	withoutSelf := prodNZ.Div(nonzero)
	return Where(zeros.Eq(0), withoutSelf, Where(zero.Mul(zeros.Eq(1)), prodNZ, 0))
}

// Max returns the largest element as a 0-dim tensor, or, given a dim, the
// largest along it (see [Tensor.MaxDim] for their positions). NaN wins. It
// panics for an empty tensor.
func (t *Tensor) Max(dim ...int) *Tensor { return t.extreme(redMax, "MaxBackward1", dim) }

// Min returns the smallest element as a 0-dim tensor, or the smallest along
// a dim.
func (t *Tensor) Min(dim ...int) *Tensor { return t.extreme(redMin, "MinBackward1", dim) }

func (t *Tensor) extreme(op reduceOp, name string, dim []int) *Tensor {
	if len(dim) > 1 {
		panicf("max()/min() take at most one dim, got %d", len(dim))
	}
	if len(dim) == 1 {
		v, _ := t.extremeDim(op, dim[0], false)
		return v
	}
	t.checkReducible(extremeName(op), nil)
	p := t.planReduce(nil)
	out, _ := t.reduceOut(op, p, t.dtype(), false, false)
	if needsGrad(t) {
		// The gradient is shared evenly between the elements that tie for
		// the extreme, as PyTorch does.
		n := record(out, name, []*Tensor{t}, func(g *Tensor) []*Tensor {
			hit := t.Eq(out)
			return []*Tensor{hit.Mul(g.Div(hit.Sum()))}
		})
		save(n, t, out)
	}
	return out
}

// MaxDim returns the largest elements along dim and their positions (an
// Int64 tensor), keeping dim as size 1 when keepdim is set: PyTorch's
// t.max(dim). Among equal values the first position is returned.
func (t *Tensor) MaxDim(dim int, keepdim bool) (values, indices *Tensor) {
	return t.extremeDim(redMax, dim, keepdim)
}

// MinDim returns the smallest elements along dim and their positions.
func (t *Tensor) MinDim(dim int, keepdim bool) (values, indices *Tensor) {
	return t.extremeDim(redMin, dim, keepdim)
}

func (t *Tensor) extremeDim(op reduceOp, dim int, keepdim bool) (*Tensor, *Tensor) {
	t.notNil()
	dim = normDim(dim, len(t.shape))
	t.checkReducible(extremeName(op), []int{dim})
	p := t.planReduce([]int{dim})
	vals, idx := t.reduceOut(op, p, t.dtype(), keepdim, true)
	if needsGrad(t) {
		name := "MaxBackward0"
		if op == redMin {
			name = "MinBackward0"
		}
		record(vals, name, []*Tensor{t}, func(g *Tensor) []*Tensor {
			return []*Tensor{oneHot(idx, p.keepShape, t.shape, dim).Mul(g.Reshape(p.keepShape...))}
		})
	}
	return vals, idx
}

// extremeName returns PyTorch's name for op, a redMax or redMin, in error
// messages.
func extremeName(op reduceOp) string {
	if op == redMin {
		return "min"
	}
	return "max"
}

// checkReducible panics, with PyTorch's message naming the function fn,
// when a max, min, argmax or argmin has nothing to reduce: t is empty and
// dims is nil (all of t), or dims holds one dim of size 0.
func (t *Tensor) checkReducible(fn string, dims []int) {
	switch {
	case len(dims) == 0 && t.Numel() == 0:
		panicf("%s(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.", fn)
	case len(dims) == 0 || len(t.shape) == 0:
	case t.shape[dims[0]] == 0:
		panicf("%s(): Expected reduction dim %d to have non-zero size.", fn, dims[0])
	}
}

// oneHot returns a Bool tensor of shape, true where the position along dim
// equals idx (of keepShape).
func oneHot(idx *Tensor, keepShape, shape []int, dim int) *Tensor {
	pos := make([]int, len(shape))
	for i := range pos {
		pos[i] = 1
	}
	if len(shape) == 0 {
		return idx.Eq(0)
	}
	pos[dim] = shape[dim]
	return Arange(shape[dim]).toDevice(idx.st.be, idx.st.index).Reshape(pos...).Eq(idx.Reshape(keepShape...))
}

// Argmax returns the position of the largest element in the flattened
// tensor, or, given a dim, the positions along it; Int64, first of ties.
func (t *Tensor) Argmax(dim ...int) *Tensor { return t.arg(redMax, dim) }

// Argmin returns the position of the smallest element, flattened or along
// a dim.
func (t *Tensor) Argmin(dim ...int) *Tensor { return t.arg(redMin, dim) }

func (t *Tensor) arg(op reduceOp, dim []int) *Tensor {
	if len(dim) > 1 {
		panicf("argmax()/argmin() take at most one dim, got %d", len(dim))
	}
	if len(dim) == 1 {
		return t.argDim(op, dim[0], false)
	}
	t.checkReducible("arg"+extremeName(op), nil)
	return t.Detach().Reshape(-1).argDim(op, 0, false)
}

// ArgmaxDim is Argmax along dim, keeping it as size 1 when keepdim is set.
func (t *Tensor) ArgmaxDim(dim int, keepdim bool) *Tensor { return t.argDim(redMax, dim, keepdim) }

// ArgminDim is Argmin along dim, keeping it when keepdim is set.
func (t *Tensor) ArgminDim(dim int, keepdim bool) *Tensor { return t.argDim(redMin, dim, keepdim) }

// argDim is ArgmaxDim and ArgminDim: extremeDim's positions, checked first
// so that an error names argmax or argmin.
func (t *Tensor) argDim(op reduceOp, dim int, keepdim bool) *Tensor {
	x := t.Detach()
	x.checkReducible("arg"+extremeName(op), []int{normDim(dim, len(x.shape))})
	_, idx := x.extremeDim(op, dim, keepdim)
	return idx
}

// Var returns the unbiased variance (divided by n-1) of all elements, or
// along dims with them removed. It panics for integer tensors.
func (t *Tensor) Var(dims ...int) *Tensor { return t.variance(dims, false, false, 1) }

// VarDim is Var along dim, keeping it when keepdim is set.
func (t *Tensor) VarDim(dim int, keepdim bool) *Tensor {
	return t.variance([]int{dim}, keepdim, false, 1)
}

// VarCorrection returns the variance along dims (all of them when none
// are given) divided by n - correction, keeping the dims as size 1 when
// keepdim is set: PyTorch's t.var(dims, correction=c, keepdim=k). A
// correction of 1, Bessel's, is Var's unbiased estimate; 0 gives the
// population variance (PyTorch's unbiased=False). Where n - correction is
// not positive the result is inf or NaN, as in PyTorch. It panics for
// integer tensors.
func (t *Tensor) VarCorrection(correction int, keepdim bool, dims ...int) *Tensor {
	return t.variance(dims, keepdim, false, correction)
}

// Std returns the unbiased standard deviation of all elements, or along
// dims with them removed. It panics for integer tensors.
func (t *Tensor) Std(dims ...int) *Tensor { return t.variance(dims, false, true, 1) }

// StdDim is Std along dim, keeping it when keepdim is set.
func (t *Tensor) StdDim(dim int, keepdim bool) *Tensor {
	return t.variance([]int{dim}, keepdim, true, 1)
}

// StdCorrection is the square root of [Tensor.VarCorrection]: PyTorch's
// t.std(dims, correction=c, keepdim=k).
func (t *Tensor) StdCorrection(correction int, keepdim bool, dims ...int) *Tensor {
	return t.variance(dims, keepdim, true, correction)
}

// variance computes Var and Std from the deviations from the mean (two
// passes, which keeps float32 accurate), dividing by n - correction, and
// records one node for each.
func (t *Tensor) variance(dims []int, keepdim, std bool, correction int) *Tensor {
	if !t.IsFloatingPoint() {
		panicf("std and var only support floating point and complex dtypes")
	}
	p := t.planReduce(dims)
	x := t.Detach()
	dev := x.Sub(x.mean(dims, true))
	// The value divides by at least 0 (giving inf), but backward by
	// n - correction itself, negative or not, as PyTorch's does.
	n := float64(p.k - correction)
	out := dev.Mul(dev).sum(dims, keepdim).Div(max(n, 0))
	if std {
		out = out.Sqrt()
	}
	if needsGrad(t) {
		name := "VarBackward0"
		if std {
			name = "StdBackward0"
		}
		node := record(out, name, []*Tensor{t}, func(g *Tensor) []*Tensor {
			g = expandBack(g, p.keepShape, t.shape)
			if std {
				return []*Tensor{g.Mul(dev).Div(expandBack(out, p.keepShape, t.shape).Mul(n))}
			}
			return []*Tensor{g.Mul(dev).Mul(2 / n)}
		})
		save(node, out)
	}
	return out
}

// Norm returns the p-norm of all elements, (Σ|x|^p)^(1/p), as a 0-dim
// tensor; p is 2 unless given, may be math.Inf(1) for the largest
// magnitude and 0 for the number of nonzero elements. It panics for integer
// tensors and for more than one p.
func (t *Tensor) Norm(p ...float64) *Tensor {
	ord := 2.0
	switch len(p) {
	case 0:
	case 1:
		ord = p[0]
	default:
		panicf("Norm takes at most one order p, got %d values; use NormDim to reduce along a dim", len(p))
	}
	return t.norm(ord, nil, false)
}

// NormDim returns the p-norms along dim, keeping it as size 1 when keepdim
// is set: PyTorch's t.norm(p, dim, keepdim) and
// torch.linalg.vector_norm(t, p, dim, keepdim). It panics for integer
// tensors and for a dim out of range.
func (t *Tensor) NormDim(p float64, dim int, keepdim bool) *Tensor {
	return t.norm(p, []int{dim}, keepdim)
}

// norm is Norm over dims, all of them when there are none. Its one node
// covers every order, as PyTorch's NormBackward1 does.
func (t *Tensor) norm(ord float64, dims []int, keepdim bool) *Tensor {
	if !t.IsFloatingPoint() {
		panicf("linalg.vector_norm: Expected a floating point or complex tensor as input. Got %s", t.dtype())
	}
	p := t.planReduce(dims)
	x := t.Detach()
	var out *Tensor
	switch {
	case math.IsInf(ord, 1) && len(dims) == 0:
		out = x.Abs().Max().Reshape(p.keepShape...)
	case math.IsInf(ord, 1):
		out, _ = x.Abs().MaxDim(dims[0], true)
	case ord == 0:
		out = x.Ne(0).sum(dims, true).cast(t.dtype())
	case ord == 1:
		out = x.Abs().sum(dims, true)
	case ord == 2:
		out = x.Mul(x).sum(dims, true).Sqrt()
	default:
		out = x.Abs().Pow(ord).sum(dims, true).Pow(1 / ord)
	}
	// out keeps the reduced dims so that backward broadcasts it against x.
	res := out
	if !keepdim {
		res = out.Reshape(p.shape...)
	}
	if needsGrad(t) {
		n := record(res, "NormBackward1", []*Tensor{t}, func(g *Tensor) []*Tensor {
			g = g.Reshape(p.keepShape...)
			switch {
			case math.IsInf(ord, 1):
				hit := x.Abs().Eq(out)
				return []*Tensor{g.Mul(x.Sign()).Mul(hit).Div(hit.sum(dims, true))}
			case ord == 0:
				// The count of nonzeros is flat: PyTorch gives no
				// gradient at all, so t's stays nil.
				return []*Tensor{nil}
			case ord == 1:
				return []*Tensor{g.Mul(x.Sign())}
			}
			// d/dx (Σ|x|^p)^(1/p) = x·|x|^(p-2) / norm^(p-1), 0 at norm 0.
			scale := Where(out.Eq(0), 0, g.Div(out.Pow(ord-1)))
			return []*Tensor{x.Mul(x.Abs().Pow(ord - 2)).Mul(scale)}
		})
		save(n, t, res)
	}
	return res
}

// Softmax returns exp(t) / Σ exp(t) along dim. It is one fused operation
// rather than a composition because the maximum along dim is subtracted
// first: exp of a logit above ~88 overflows Float32. It panics for integer
// tensors, as PyTorch does.
func (t *Tensor) Softmax(dim int) *Tensor { return t.softmax(dim, false) }

// LogSoftmax returns t - log Σ exp(t) along dim, fused for the reason
// Softmax is and also because log(Softmax) is -inf wherever Softmax
// underflows to 0, while this stays finite.
func (t *Tensor) LogSoftmax(dim int) *Tensor { return t.softmax(dim, true) }

func (t *Tensor) softmax(dim int, log bool) *Tensor {
	t.notNil()
	dim = normDim(dim, len(t.shape))
	if !t.IsFloatingPoint() {
		panicf("softmax is not implemented for %s tensors; convert with To(tensor.Float32) first", t.dtype())
	}
	x := t.contiguousData()
	outer, k, inner := 1, 1, 1
	if len(t.shape) > 0 {
		outer, k, inner = numel(t.shape[:dim]), t.shape[dim], numel(t.shape[dim+1:])
	}
	out := x.alloc(x.dtype(), append([]int{}, t.shape...))
	if out.Numel() > 0 {
		t.st.be.softmax(log, out.st.buf, x.view(), outer, k, inner)
	}
	if needsGrad(t) {
		name := "SoftmaxBackward0"
		if log {
			name = "LogSoftmaxBackward0"
		}
		n := record(out, name, []*Tensor{t}, func(g *Tensor) []*Tensor {
			if log {
				return []*Tensor{g.Sub(out.Exp().Mul(g.SumDim(dim, true)))}
			}
			return []*Tensor{out.Mul(g.Sub(g.Mul(out).SumDim(dim, true)))}
		})
		save(n, out)
	}
	return out
}

// Sum returns the sum of t's elements, or along dims; see [Tensor.Sum].
func Sum(t *Tensor, dims ...int) *Tensor { return t.Sum(dims...) }

// Mean returns the mean of t's elements, or along dims; see [Tensor.Mean].
func Mean(t *Tensor, dims ...int) *Tensor { return t.Mean(dims...) }
