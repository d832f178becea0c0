package tensor

import "github.com/gorch/gorch/tensor/internal/vec"

// vecOps maps the four arithmetic operations to the vec package's.
var vecOps = [...]vec.Op{opAdd: vec.Add, opSub: vec.Sub, opMul: vec.Mul, opDiv: vec.Div}

// isArith reports whether op is one of the four operations vec runs.
func (op binaryOp) isArith() bool { return op <= opDiv }

// fastArith computes a op b, op one of the four arithmetic operations,
// into d, or into a new tensor when d is nil, and returns the result, for
// the case most operations are: contiguous Float32 or Float64 CPU tensors
// of one dtype and shape, or such a tensor and a Go number, with nothing
// to record. In every other case it returns nil, having done nothing, and
// the caller takes the general path (promotion, broadcasting, strides,
// autograd). This path builds no iterator and, below the size worth
// splitting over the cores, no closure, so that the result is all a small
// operation allocates.
func fastArith(op binaryOp, d, a *Tensor, b any) *Tensor {
	dt := a.dtype()
	if (dt != Float32 && dt != Float64) || a.st.be != cpu || needsGrad(a) || !a.IsContiguous() {
		return nil
	}
	var y *Tensor
	var s float64
	switch v := b.(type) {
	case *Tensor:
		if v == nil || v.st.be != cpu || v.st.dtype != dt || needsGrad(v) || !sameShape(v.shape, a.shape) || !v.IsContiguous() {
			return nil
		}
		y = v
	case float64:
		s = v
	case float32:
		s = float64(v)
	case int:
		s = float64(v)
	default:
		return nil
	}
	if d == nil {
		d = a.alloc(dt, a.shape)
	} else {
		d.checkInplace()
	}
	n, vop := a.Numel(), vecOps[op]
	if dt == Float32 {
		dd, x := contiguousRun[float32](d, n), contiguousRun[float32](a, n)
		if y == nil {
			scalarArith(vop, dd, x, float32(s))
		} else {
			vectorArith(vop, dd, x, contiguousRun[float32](y, n))
		}
		return d
	}
	dd, x := contiguousRun[float64](d, n), contiguousRun[float64](a, n)
	if y == nil {
		scalarArith(vop, dd, x, s)
	} else {
		vectorArith(vop, dd, x, contiguousRun[float64](y, n))
	}
	return d
}

// contiguousRun returns the n elements of a contiguous CPU tensor t as a
// slice of its storage.
func contiguousRun[T any](t *Tensor, n int) []T {
	return t.st.buf.([]T)[t.offset : t.offset+n]
}

// vectorArith sets d = a op b, over the cores when d is long.
func vectorArith[T vec.Float](op vec.Op, d, a, b []T) {
	if len(d) < parallelThreshold {
		vec.Binary(op, d, a, b)
		return
	}
	parallelFor(len(d), 1, func(lo, hi int) { vec.Binary(op, d[lo:hi], a[lo:hi], b[lo:hi]) })
}

// scalarArith sets d = a op s, over the cores when d is long.
func scalarArith[T vec.Float](op vec.Op, d, a []T, s T) {
	if len(d) < parallelThreshold {
		vec.Scalar(op, d, a, s)
		return
	}
	parallelFor(len(d), 1, func(lo, hi int) { vec.Scalar(op, d[lo:hi], a[lo:hi], s) })
}

// The run kernels of the four arithmetic operations for floats, made once:
// making them per operation would cost allocations.
var (
	vecRuns32 = vecRuns[float32]()
	vecRuns64 = vecRuns[float64]()
)

func vecRuns[T vec.Float]() [4]runKernel[T] {
	general := [...]runKernel[T]{opAdd: addRun[T], opSub: subRun[T], opMul: mulRun[T], opDiv: divRun[T]}
	var runs [4]runKernel[T]
	for op := opAdd; op <= opDiv; op++ {
		runs[op] = vecRun(vecOps[op], general[op])
	}
	return runs
}

// vecRun returns the run kernel of vop for floats: vec's loops for the
// runs where the destination and the left operand are contiguous and the
// right one is contiguous or a repeated number (a broadcast bias, say),
// general otherwise.
func vecRun[T vec.Float](vop vec.Op, general runKernel[T]) runKernel[T] {
	return func(d []T, ds int, a []T, as int, b []T, bs int, n int) {
		switch {
		case ds == 1 && as == 1 && bs == 1:
			vec.Binary(vop, d[:n], a[:n], b[:n])
		case ds == 1 && as == 1 && bs == 0:
			vec.Scalar(vop, d[:n], a[:n], b[0])
		default:
			general(d, ds, a, as, b, bs, n)
		}
	}
}
