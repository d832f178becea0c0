package tensor

import (
	"math"

	"github.com/gorch/gorch/tensor/internal/vec"
)

// The generic unary kernel (unaryT) calls a function value per element,
// which costs more than ReLU or Neg themselves. For the common case, a
// Float32 or Float64 operand that is one contiguous run written to
// another, the loops here have the element function inlined; they compute
// exactly what unaryFunc's functions compute.

// unaryFast runs op from a into d, both of one shape, if both are
// contiguous Float32 or Float64, and reports whether it did.
func unaryFast(op unaryOp, d, a view) bool {
	if !isContiguous(d.shape, d.strides) || !isContiguous(a.shape, a.strides) {
		return false
	}
	n := numel(d.shape)
	switch dd := d.buf.(type) {
	case []float32:
		if aa, ok := a.buf.([]float32); ok {
			return unaryRuns(op, dd[d.off:d.off+n], aa[a.off:a.off+n])
		}
	case []float64:
		if aa, ok := a.buf.([]float64); ok {
			return unaryRuns(op, dd[d.off:d.off+n], aa[a.off:a.off+n])
		}
	}
	return false
}

// unaryRuns sets d = op(a), over the cores when they are long.
func unaryRuns[T float32 | float64](op unaryOp, d, a []T) bool {
	loop := unaryLoop[T](op)
	if loop == nil {
		return false
	}
	parallelFor(len(d), 1, func(lo, hi int) { loop(d[lo:hi], a[lo:hi]) })
	return true
}

// unaryLoop returns the loop of op over len(d) elements, nil for an
// operation it does not know.
func unaryLoop[T float32 | float64](op unaryOp) func(d, a []T) {
	switch op {
	case opNeg:
		return func(d, a []T) {
			for i, x := range a[:len(d)] {
				d[i] = -x
			}
		}
	case opAbs:
		return func(d, a []T) {
			for i, x := range a[:len(d)] {
				if x < 0 {
					x = -x
				}
				d[i] = x
			}
		}
	case opSign:
		return func(d, a []T) {
			for i, x := range a[:len(d)] {
				switch {
				case x > 0:
					x = 1
				case x < 0:
					x = -1
				}
				d[i] = x
			}
		}
	case opReLU:
		return vec.ReLU[T]
	case opExp:
		return func(d, a []T) {
			for i, x := range a[:len(d)] {
				d[i] = T(math.Exp(float64(x)))
			}
		}
	case opLog:
		return func(d, a []T) {
			for i, x := range a[:len(d)] {
				d[i] = T(math.Log(float64(x)))
			}
		}
	case opSqrt:
		return func(d, a []T) {
			for i, x := range a[:len(d)] {
				d[i] = T(math.Sqrt(float64(x)))
			}
		}
	case opSin:
		return func(d, a []T) {
			for i, x := range a[:len(d)] {
				d[i] = T(math.Sin(float64(x)))
			}
		}
	case opCos:
		return func(d, a []T) {
			for i, x := range a[:len(d)] {
				d[i] = T(math.Cos(float64(x)))
			}
		}
	case opTanh:
		return func(d, a []T) {
			for i, x := range a[:len(d)] {
				d[i] = T(math.Tanh(float64(x)))
			}
		}
	case opSigmoid:
		return func(d, a []T) {
			for i, x := range a[:len(d)] {
				d[i] = T(1 / (1 + math.Exp(-float64(x))))
			}
		}
	}
	return nil
}

// reluBackward returns the gradient of ReLU's input: g where the output y
// is positive, 0 elsewhere, in one pass when both are contiguous of one
// float dtype and shape, as PyTorch's threshold_backward.
func reluBackward(g, y *Tensor) *Tensor {
	if g.dtype() != y.dtype() || !sameShape(g.shape, y.shape) || !g.IsContiguous() || !y.IsContiguous() || g.st.be != cpu {
		return g.Mul(y.Gt(0))
	}
	out := g.alloc(g.dtype(), g.shape)
	n := numel(g.shape)
	switch gb := g.st.buf.(type) {
	case []float32:
		reluBackwardRuns(out.st.buf.([]float32), gb[g.offset:g.offset+n], y.st.buf.([]float32)[y.offset:y.offset+n])
	case []float64:
		reluBackwardRuns(out.st.buf.([]float64), gb[g.offset:g.offset+n], y.st.buf.([]float64)[y.offset:y.offset+n])
	default:
		return g.Mul(y.Gt(0))
	}
	return out
}

func reluBackwardRuns[T float32 | float64](d, g, y []T) {
	parallelFor(len(d), 1, func(lo, hi int) {
		vec.ReLUGrad(d[lo:hi], g[lo:hi], y[lo:hi])
	})
}
