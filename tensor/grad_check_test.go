package tensor_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorch/gorch/tensor"
	"github.com/gorch/gorch/tensor/tensortest"
)

// gcIn returns a Float64 leaf of normal values that requires grad.
func gcIn(shape ...int) *tensor.Tensor { return tensor.Randn(shape...).Double().RequiresGrad_(true) }

// gcPos returns a Float64 leaf of values in (0.5, 1.5) that requires grad,
// for the operations defined only for positive inputs.
func gcPos(shape ...int) *tensor.Tensor {
	return tensor.Rand(shape...).Double().Add(0.5).RequiresGrad_(true)
}

// gcAway returns a Float64 leaf requiring grad whose elements are at least
// 0.1 from zero, for the operations with a kink there (Abs, ReLU).
func gcAway(shape ...int) *tensor.Tensor {
	x := tensor.Randn(shape...).Double()
	return x.Add(x.Sign().Mul(0.1)).RequiresGrad_(true)
}

// gcBounds returns a Float64 leaf requiring grad holding vals in the
// given shape, for Clamp's tensor bounds: chosen at least 0.03 from every
// gcDistinct(3, 4) value, so that no element ties with its bound.
func gcBounds(vals []float64, shape ...int) *tensor.Tensor {
	return tensor.FromSlice(vals, shape...).RequiresGrad_(true)
}

// gcDistinct returns a Float64 leaf requiring grad holding n·0.37 mod 1
// for n = 1, 2, ...: spread out, no two equal, so that Max, Min, Maximum
// and Clamp have no ties or values on their bounds.
func gcDistinct(shape ...int) *tensor.Tensor {
	n := 1
	for _, s := range shape {
		n *= s
	}
	v := make([]float64, n)
	for i := range v {
		x := float64(i+1) * 0.37
		v[i] = x - float64(int(x)) - 0.5
	}
	return tensor.FromSlice(v, shape...).RequiresGrad_(true)
}

type gradCase struct {
	name   string
	gradFn string // PyTorch's grad_fn name for the result; "" is not checked
	f      func(in ...*tensor.Tensor) *tensor.Tensor
	inputs func() []*tensor.Tensor
}

func gcIns(ts ...*tensor.Tensor) func() []*tensor.Tensor {
	return func() []*tensor.Tensor { return ts }
}

// gcUnary wraps a method of one tensor.
func gcUnary(f func(x *tensor.Tensor) *tensor.Tensor) func(in ...*tensor.Tensor) *tensor.Tensor {
	return func(in ...*tensor.Tensor) *tensor.Tensor { return f(in[0]) }
}

// gcBinary wraps a method of two tensors.
func gcBinary(f func(x *tensor.Tensor, y any) *tensor.Tensor) func(in ...*tensor.Tensor) *tensor.Tensor {
	return func(in ...*tensor.Tensor) *tensor.Tensor { return f(in[0], in[1]) }
}

// gcWeighted sums xs, each times a distinct constant, so that a gradient
// landing in the wrong piece is seen.
func gcWeighted(xs ...*tensor.Tensor) *tensor.Tensor {
	out := xs[0]
	for i, x := range xs[1:] {
		out = out.Add(x.Mul(float64(i + 2)).Sum())
	}
	return out
}

func gradCases() []gradCase {
	return []gradCase{
		// elementwise, with broadcasting reduced back to each input's shape
		{"add", "", gcBinary((*tensor.Tensor).Add), gcIns(gcIn(2, 3), gcIn(2, 3))},
		{"add broadcast [2 3]+[3]", "AddBackward0", gcBinary((*tensor.Tensor).Add), gcIns(gcIn(2, 3), gcIn(3))},
		{"add broadcast [2 1]+[1 3]", "", gcBinary((*tensor.Tensor).Add), gcIns(gcIn(2, 1), gcIn(1, 3))},
		{"add 0-dim", "", gcBinary((*tensor.Tensor).Add), gcIns(gcIn(2, 3), gcIn())},
		{"add number", "AddBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Add(2.5) }), gcIns(gcIn(3))},
		{"add constant tensor", "", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Add(in[1]) }, gcIns(gcIn(2, 3), tensor.Randn(3).Double())},
		{"sub broadcast", "SubBackward0", gcBinary((*tensor.Tensor).Sub), gcIns(gcIn(4, 1, 3), gcIn(2, 1))},
		{"sub number", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Sub(1) }), gcIns(gcIn(3))},
		{"mul broadcast", "MulBackward0", gcBinary((*tensor.Tensor).Mul), gcIns(gcIn(2, 3, 4), gcIn(3, 1))},
		{"mul self", "MulBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Mul(x) }), gcIns(gcIn(3))},
		{"mul number", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Mul(-3) }), gcIns(gcIn(3))},
		{"div broadcast", "DivBackward0", gcBinary((*tensor.Tensor).Div), gcIns(gcIn(2, 3), gcPos(3))},
		{"div number", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Div(4) }), gcIns(gcIn(3))},
		{"pow 2", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Pow(2) }), gcIns(gcIn(2, 3))},
		{"pow 0.5", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Pow(0.5) }), gcIns(gcPos(2, 3))},
		{"pow -1.5", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Pow(-1.5) }), gcIns(gcPos(4))},
		{"pow 1", "PowBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Pow(1) }), gcIns(gcIn(3))},
		{"pow 0 at zero", "PowBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Pow(0) }),
			gcIns(tensor.New([]float64{0, 1.5}, tensor.RequiresGrad()))},
		{"pow 3", "PowBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Pow(3) }), gcIns(gcIn(2, 3))},
		{"pow tensor exponent", "PowBackward1", gcBinary((*tensor.Tensor).Pow), gcIns(gcPos(2, 3), gcIn(3))},
		{"maximum", "MaximumBackward0", gcBinary((*tensor.Tensor).Maximum), gcIns(gcDistinct(2, 3), gcIn(3).Mul(0.01).Detach().RequiresGrad_(true))},
		{"minimum", "MinimumBackward0", gcBinary((*tensor.Tensor).Minimum), gcIns(gcDistinct(2, 3), gcDistinct(2, 1).Mul(0.9).Detach().RequiresGrad_(true))},
		{"maximum number", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Maximum(0.05) }), gcIns(gcDistinct(6))},
		{"neg", "NegBackward0", gcUnary((*tensor.Tensor).Neg), gcIns(gcIn(2, 3))},
		{"abs", "AbsBackward0", gcUnary((*tensor.Tensor).Abs), gcIns(gcAway(2, 3))},
		{"exp", "ExpBackward0", gcUnary((*tensor.Tensor).Exp), gcIns(gcIn(2, 3))},
		{"log", "LogBackward0", gcUnary((*tensor.Tensor).Log), gcIns(gcPos(2, 3))},
		{"sqrt", "SqrtBackward0", gcUnary((*tensor.Tensor).Sqrt), gcIns(gcPos(2, 3))},
		{"sin", "SinBackward0", gcUnary((*tensor.Tensor).Sin), gcIns(gcIn(2, 3))},
		{"cos", "CosBackward0", gcUnary((*tensor.Tensor).Cos), gcIns(gcIn(2, 3))},
		{"tanh", "TanhBackward0", gcUnary((*tensor.Tensor).Tanh), gcIns(gcIn(2, 3))},
		{"sigmoid", "SigmoidBackward0", gcUnary((*tensor.Tensor).Sigmoid), gcIns(gcIn(2, 3))},
		{"relu", "ReluBackward0", gcUnary((*tensor.Tensor).ReLU), gcIns(gcAway(2, 3))},
		{"clamp", "ClampBackward1", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Clamp(-0.21, 0.23) }), gcIns(gcDistinct(3, 4))},
		{"clamp min", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Clamp(0.01, nil) }), gcIns(gcDistinct(3, 4))},
		{"clamp max", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Clamp(nil, -0.01) }), gcIns(gcDistinct(3, 4))},
		// tensor bounds, broadcast; the last row's hi is below some lo
		{"clamp tensor bounds", "ClampBackward0", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Clamp(in[1], in[2]) },
			gcIns(gcDistinct(3, 4), gcBounds([]float64{-0.3, 0, -0.25, 0.1}, 4), gcBounds([]float64{0.3, 0.2, -0.2}, 3, 1))},
		{"clamp tensor min", "ClampBackward0", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Clamp(in[1], nil) },
			gcIns(gcDistinct(3, 4), gcBounds([]float64{-0.3, 0, -0.25, 0.1}, 4))},
		{"clamp tensor max", "ClampBackward0", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Clamp(nil, in[1]) },
			gcIns(gcDistinct(3, 4), gcBounds([]float64{0.3, 0.2, -0.2}, 3, 1))},
		{"clamp of a constant by bounds that require grad", "ClampBackward0", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Clamp(in[1], in[2]) },
			gcIns(gcDistinct(3, 4).Detach(), gcBounds([]float64{-0.3, 0, -0.25, 0.1}, 4), gcBounds([]float64{0.3, 0.2, -0.2}, 3, 1))},
		{"clamp_ with tensor bounds", "", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Mul(1).Clamp_(in[1], in[2]) },
			gcIns(gcDistinct(3, 4), gcBounds([]float64{-0.3, 0, -0.25, 0.1}, 4), gcBounds([]float64{0.3, 0.2, -0.2}, 3, 1))},
		{"where", "WhereBackward0", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Where(in[0].Gt(0), in[0], in[1]) }, gcIns(gcAway(2, 3), gcIn(3))},
		{"where number", "", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Where(in[1], in[0], 0) },
			gcIns(gcIn(2, 3), tensor.New([]bool{true, false, true}))},

		// matrix products in every form torch.matmul has
		{"matmul 1-D 1-D", "", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(4), gcIn(4))},
		{"matmul 2-D 1-D", "MvBackward0", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(3, 4), gcIn(4))},
		{"matmul 1-D 2-D", "", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(3), gcIn(3, 4))},
		{"matmul 2-D 2-D", "", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(2, 3), gcIn(3, 4))},
		{"matmul 3-D 2-D", "ViewBackward0", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(2, 3, 4), gcIn(4, 2))},
		{"matmul 2-D 3-D", "", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(3, 4), gcIn(2, 4, 2))},
		{"matmul 1-D 3-D", "", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(3), gcIn(2, 3, 2))},
		{"matmul 3-D 1-D", "", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(2, 3, 4), gcIn(4))},
		{"matmul batch broadcast", "", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(2, 1, 3, 4), gcIn(3, 4, 2))},
		{"matmul transposed operands", "", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].T().MatMul(in[1].T()) }, gcIns(gcIn(3, 2), gcIn(4, 3))},
		{"mm", "MmBackward0", gcMat((*tensor.Tensor).Mm), gcIns(gcIn(2, 3), gcIn(3, 4))},
		{"addmm row input", "AddmmBackward0", gcAddmm, gcIns(gcIn(4), gcIn(2, 3), gcIn(3, 4))},
		{"addmm full input", "AddmmBackward0", gcAddmm, gcIns(gcIn(2, 4), gcIn(2, 3), gcIn(3, 4))},
		{"addmm column input", "", gcAddmm, gcIns(gcIn(2, 1), gcIn(2, 3), gcIn(3, 4))},
		{"addmm as a linear layer", "", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Addmm(in[0], in[1], in[2].T()) },
			gcIns(gcIn(4), gcIn(2, 3), gcIn(4, 3))},
		{"addmm constant input", "", gcAddmm, gcIns(tensor.Randn(4).Double(), gcIn(2, 3), gcIn(3, 4))},
		{"bmm", "BmmBackward0", gcMat((*tensor.Tensor).Bmm), gcIns(gcIn(2, 2, 3), gcIn(2, 3, 4))},
		{"dot", "DotBackward0", gcMat((*tensor.Tensor).Dot), gcIns(gcIn(5), gcIn(5))},
		{"outer", "MulBackward0", gcMat((*tensor.Tensor).Outer), gcIns(gcIn(3), gcIn(4))},
		{"matmul one side constant", "", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(2, 3), tensor.Randn(3, 2).Double())},

		// reductions, with and without keepdim
		{"sum", "SumBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Sum() }), gcIns(gcIn(2, 3))},
		{"sum dim", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Sum(1) }), gcIns(gcIn(2, 3, 4))},
		{"sum dims", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Sum(0, 2) }), gcIns(gcIn(2, 3, 4))},
		{"sum keepdim", "SumBackward1", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.SumDim(-1, true) }), gcIns(gcIn(2, 3, 4))},
		{"mean", "MeanBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Mean() }), gcIns(gcIn(2, 3))},
		{"mean dim", "MeanBackward1", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Mean(0) }), gcIns(gcIn(2, 3))},
		{"mean keepdim", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.MeanDim(1, true) }), gcIns(gcIn(2, 3))},
		{"prod", "ProdBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Prod() }), gcIns(gcIn(2, 3))},
		{"prod dim", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.ProdDim(1, false) }), gcIns(gcIn(2, 3))},
		{"prod with a zero", "ProdBackward1", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.ProdDim(1, true) }),
			gcIns(tensor.New([][]float64{{1.5, 0, 2}, {0, 0, 3}, {0.5, -1, 2}}, tensor.RequiresGrad()))},
		{"max", "MaxBackward1", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Max() }), gcIns(gcDistinct(2, 3))},
		{"min", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Min() }), gcIns(gcDistinct(2, 3))},
		{"max dim", "MaxBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Max(1) }), gcIns(gcDistinct(3, 4))},
		{"max dim keepdim", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { v, _ := x.MaxDim(0, true); return v }), gcIns(gcDistinct(3, 4))},
		{"min dim", "MinBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { v, _ := x.MinDim(-1, false); return v }), gcIns(gcDistinct(2, 3, 4))},
		{"var", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Var() }), gcIns(gcIn(2, 3))},
		{"var dim keepdim", "VarBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.VarDim(1, true) }), gcIns(gcIn(2, 3))},
		{"std", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Std() }), gcIns(gcIn(2, 3))},
		{"std dim", "StdBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.StdDim(0, false) }), gcIns(gcIn(3, 2))},
		{"norm", "NormBackward1", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Norm() }), gcIns(gcIn(2, 3))},
		{"norm 1", "NormBackward1", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Norm(1) }), gcIns(gcAway(2, 3))},
		{"norm 3", "NormBackward1", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Norm(3) }), gcIns(gcAway(2, 3))},
		{"norm 0", "NormBackward1", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Norm(0) }), gcIns(gcAway(2, 3))},
		{"softmax", "SoftmaxBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Softmax(1) }), gcIns(gcIn(2, 4))},
		{"softmax dim 0 of 3-D", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Softmax(0) }), gcIns(gcIn(3, 2, 2))},
		{"log softmax", "LogSoftmaxBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.LogSoftmax(-1) }), gcIns(gcIn(2, 4))},
		{"log softmax middle dim", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.LogSoftmax(1) }), gcIns(gcIn(2, 3, 2))},

		// views: the gradient must land in the right elements of the base
		{"reshape", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Reshape(3, 2).Mul(gcConst(3, 2)) }), gcIns(gcIn(2, 3))},
		{"reshape non-contiguous", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.T().Reshape(6).Mul(gcConst(6)) }), gcIns(gcIn(2, 3))},
		{"view", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.View(-1).Mul(gcConst(6)) }), gcIns(gcIn(2, 3))},
		{"flatten", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Flatten(1).Mul(gcConst(2, 6)) }), gcIns(gcIn(2, 3, 2))},
		{"t", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.T().Mul(gcConst(3, 2)) }), gcIns(gcIn(2, 3))},
		{"transpose", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Transpose(0, 2).Mul(gcConst(4, 3, 2)) }), gcIns(gcIn(2, 3, 4))},
		{"permute", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Permute(2, 0, 1).Mul(gcConst(4, 2, 3)) }), gcIns(gcIn(2, 3, 4))},
		{"squeeze", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Squeeze().Mul(gcConst(3)) }), gcIns(gcIn(1, 3, 1))},
		{"unsqueeze", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Unsqueeze(1).Mul(gcConst(2, 1, 3)) }), gcIns(gcIn(2, 3))},
		{"expand", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Expand(2, 4, 3).Mul(gcConst(2, 4, 3)) }), gcIns(gcIn(4, 1))},
		{"expand as", "", gcMat((*tensor.Tensor).ExpandAs), gcIns(gcIn(1, 3), tensor.Zeros(2, 3))},
		{"contiguous", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.T().Contiguous().Mul(gcConst(3, 2)) }), gcIns(gcIn(2, 3))},
		{"clone", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Clone().Mul(gcConst(2, 3)) }), gcIns(gcIn(2, 3))},
		{"select", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Select(1, -1).Mul(gcConst(2, 4)) }), gcIns(gcIn(2, 3, 4))},
		{"narrow", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Narrow(1, 1, 2).Mul(gcConst(3, 2)) }), gcIns(gcIn(3, 4))},
		{"slice with step", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor {
			return x.Slice(tensor.S(1, tensor.End), tensor.S(0, tensor.End, 2)).Mul(gcConst(2, 3))
		}), gcIns(gcIn(3, 5))},
		{"view of a view", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor {
			return x.T().Narrow(0, 1, 2).Select(1, 0).Unsqueeze(0).Mul(gcConst(1, 2))
		}), gcIns(gcIn(2, 3))},

		// views alone, for the names they record
		{"view (unweighted)", "ViewBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.View(3, 2) }), gcIns(gcIn(2, 3))},
		{"t (unweighted)", "TBackward0", gcUnary((*tensor.Tensor).T), gcIns(gcIn(2, 3))},
		{"transpose (unweighted)", "TransposeBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Transpose(0, 1) }), gcIns(gcIn(2, 3))},
		{"permute (unweighted)", "PermuteBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Unsqueeze(0).Permute(2, 0, 1) }), gcIns(gcIn(2, 3))},
		{"squeeze dim (unweighted)", "SqueezeBackward1", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Unsqueeze(1).Squeeze(1) }), gcIns(gcIn(2, 3))},
		{"unsqueeze (unweighted)", "UnsqueezeBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Unsqueeze(-1) }), gcIns(gcIn(2, 3))},
		{"expand (unweighted)", "ExpandBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Expand(2, 2, 3) }), gcIns(gcIn(2, 3))},
		{"reshape copy (unweighted)", "ViewBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.T().Reshape(6) }), gcIns(gcIn(2, 3))},
		{"clone (unweighted)", "CloneBackward0", gcUnary((*tensor.Tensor).Clone), gcIns(gcIn(2, 3))},
		{"select (unweighted)", "SelectBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Select(1, -1) }), gcIns(gcIn(2, 3))},
		{"narrow (unweighted)", "SliceBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Narrow(1, 1, 2) }), gcIns(gcIn(2, 3))},
		{"slice (unweighted)", "SliceBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Slice(tensor.All(), tensor.S(0, 3, 2)) }), gcIns(gcIn(2, 3))},
		{"split (unweighted)", "SplitBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Split(2, 1)[1] }), gcIns(gcIn(2, 3))},
		{"chunk (unweighted)", "SplitBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Chunk(2, 1)[0] }), gcIns(gcIn(2, 3))},

		// joining, splitting, indexing
		{"cat dim 0", "", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Cat(0, in...).Mul(gcConst(6, 3)) }, gcIns(gcIn(1, 3), gcIn(2, 3), gcIn(3, 3))},
		{"cat dim 1", "", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Cat(1, in...).Mul(gcConst(2, 5)) }, gcIns(gcIn(2, 2), gcIn(2, 3))},
		{"cat with a constant", "", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Cat(0, in...).Mul(gcConst(4)) }, gcIns(gcIn(2), tensor.Ones(2).Double())},
		{"stack dim 0", "", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Stack(0, in...).Mul(gcConst(2, 2, 3)) }, gcIns(gcIn(2, 3), gcIn(2, 3))},
		{"stack last dim", "", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Stack(2, in...).Mul(gcConst(2, 3, 3)) }, gcIns(gcIn(2, 3), gcIn(2, 3), gcIn(2, 3))},
		{"split", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return gcWeighted(x.Split(2, 1)...) }), gcIns(gcIn(2, 5))},
		{"chunk", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return gcWeighted(x.Chunk(3, 0)...) }), gcIns(gcIn(7, 2))},
		{"index select with repeats", "", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].IndexSelect(1, in[1]).Mul(gcConst(2, 4)) },
			gcIns(gcIn(2, 3), tensor.New([]int64{2, 0, 2, 2}))},
		{"index select (unweighted)", "IndexSelectBackward0", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].IndexSelect(1, in[1]) },
			gcIns(gcIn(2, 3), tensor.New([]int{2, 0, 2}))},
		{"masked select of own sign (unweighted)", "MaskedSelectBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.MaskedSelect(x.Gt(0)) }), gcIns(gcAway(2, 3))},
		{"cat (unweighted)", "CatBackward0", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Cat(0, in[0], in[1].Unsqueeze(0)) }, gcIns(gcIn(2, 3), gcIn(3))},
		{"stack (unweighted)", "StackBackward0", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Stack(1, in[0].Select(0, 0), in[1]) }, gcIns(gcIn(2, 3), gcIn(3))},
		{"masked select", "", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].MaskedSelect(in[1]).Mul(gcConst(3)) },
			gcIns(gcIn(2, 3), tensor.New([][]bool{{true, false, false}, {false, true, true}}))},
		{"masked select broadcast mask", "", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].MaskedSelect(in[1]).Mul(gcConst(4)) },
			gcIns(gcIn(2, 3), tensor.New([]bool{true, false, true}))},

		// in-place operations on non-leaves are recorded too
		{"in-place on a non-leaf", "", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Mul(1).Add_(in[1]).Mul_(in[1]).Exp_() }, gcIns(gcIn(2, 3), gcIn(3))},
		{"in-place unary chain", "", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Clone().Sigmoid_().Tanh_().Sqrt_() }), gcIns(gcIn(4))},
		{"copy into a non-leaf", "", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Mul(2).Copy_(in[1]).Mul(in[0]) }, gcIns(gcIn(3), gcIn(3))},
		{"zero_ on a non-leaf", "ZeroBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Mul(2).Zero_() }), gcIns(gcIn(3))},
		{"fill_ with a tensor", "FillBackward3", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Mul(2).Fill_(in[1]) }, gcIns(gcIn(3), gcIn())},
		{"gt_ on a non-leaf", "GtBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Mul(2).Gt_(0.1) }), gcIns(gcDistinct(4))},
		{"eq_ by a tensor", "EqBackward1", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Mul(2).Eq_(in[1]) }, gcIns(gcDistinct(4), gcIn(4))},
		{"lt_ of a constant by a tensor", "LtBackward1", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Detach().Clone().Lt_(in[1]) }, gcIns(gcIn(4), gcDistinct(4))},

		// in-place operations through views rewrite the base's history
		{"in-place by a tensor through a view of a view", "CopySlices", func(in ...*tensor.Tensor) *tensor.Tensor {
			y := in[0].Mul(1)
			y.T().Narrow(0, 1, 2).Select(1, 0).Mul_(in[1])
			return y
		}, gcIns(gcIn(3, 4), gcIn(2))},
		{"in-place through a transpose", "CopySlices", func(in ...*tensor.Tensor) *tensor.Tensor {
			y := in[0].Mul(1)
			y.T().Add_(in[1])
			return y
		}, gcIns(gcIn(2, 3), gcIn(2))},
		{"copy into a row of a constant", "CopySlices", gcUnary(func(x *tensor.Tensor) *tensor.Tensor {
			b := tensor.Zeros(2, 3).Double()
			b.Select(0, 1).Copy_(x)
			return b
		}), gcIns(gcIn(3))},
		{"ge_ through a view", "CopySlices", gcUnary(func(x *tensor.Tensor) *tensor.Tensor {
			y := x.Mul(2)
			y.Narrow(0, 1, 2).Ge_(0.1)
			return y
		}), gcIns(gcDistinct(4))},
		{"fill_ through a view", "CopySlices", gcUnary(func(x *tensor.Tensor) *tensor.Tensor {
			y := x.Mul(2)
			y.Narrow(0, 1, 2).Fill_(0.5)
			return y
		}), gcIns(gcIn(4))},
		{"view used after its base changed", "AsStridedBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor {
			y := x.Mul(1)
			v := y.Narrow(1, 1, 2)
			y.Mul_(x)
			return v
		}), gcIns(gcIn(3, 4))},
		{"view used after a sibling view changed", "AsStridedBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor {
			y := x.Mul(1)
			a, b := y.Narrow(0, 0, 2), y.Narrow(0, 1, 2)
			a.Sigmoid_()
			return b
		}), gcIns(gcIn(3, 2))},
		{"expanded view used after its base changed", "AsStridedBackward0", gcUnary(func(x *tensor.Tensor) *tensor.Tensor {
			y := x.Mul(1)
			e := y.Expand(3, 4)
			y.Mul_(x)
			return e
		}), gcIns(gcIn(3, 1))},

		{"composite", "SumBackward0", func(in ...*tensor.Tensor) *tensor.Tensor {
			return in[0].MatMul(in[1]).Tanh().Add(in[1].Sum()).Pow(2).Sum()
		}, gcIns(gcIn(2, 3), gcIn(3))},
	}
}

// gcMat wraps a method whose operand is a *Tensor.
func gcMat(f func(x, y *tensor.Tensor) *tensor.Tensor) func(in ...*tensor.Tensor) *tensor.Tensor {
	return func(in ...*tensor.Tensor) *tensor.Tensor { return f(in[0], in[1]) }
}

// gcAddmm is Addmm of its three inputs.
func gcAddmm(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Addmm(in[1], in[2]) }

// gcConst returns fixed distinct Float64 weights 1, 2, 3, ... of a shape:
// multiplying a view's output by them makes a misplaced gradient visible.
func gcConst(shape ...int) *tensor.Tensor {
	return tensor.Arange(1, 1+gcNumel(shape)).Double().Reshape(shape...)
}

func gcNumel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

func TestGradCheck(t *testing.T) {
	tensor.ManualSeed(42)
	for _, tc := range gradCases() {
		t.Run(tc.name, func(t *testing.T) {
			if tc.gradFn != "" {
				got := "none"
				if fn := tc.f(tc.inputs()...).GradFn(); fn != nil {
					got = fn.Name()
				}
				if got != tc.gradFn {
					t.Errorf("grad_fn %s, want %s", got, tc.gradFn)
				}
			}
			if err := tensortest.GradCheck(tc.f, tc.inputs()...); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestAutogradDesignExample(t *testing.T) {
	a := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	b := a.Pow(2).Sum()
	if a.Grad() != nil {
		t.Errorf("Grad() before any Backward = %v, want nil", a.Grad())
	}
	b.Backward()
	for _, c := range []struct{ got, want string }{
		{a.String(), "tensor([1., 2.], requires_grad=True)"},
		{b.String(), "tensor(5., grad_fn=<SumBackward0>)"},
		{b.GradFn().String(), "<SumBackward0>"},
		{a.Grad().String(), "tensor([2., 4.])"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}

func TestLeavesAndGradFns(t *testing.T) {
	x := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	c := tensor.Ones(2)
	var inNoGrad *tensor.Tensor
	tensor.NoGrad(func() { inNoGrad = x.Mul(2) })
	m := tensor.Ones(2, 2).RequiresGrad_(true)
	off := tensor.New([]float32{1, 2}, tensor.RequiresGrad()).RequiresGrad_(false)
	tests := []struct {
		name           string
		t              *tensor.Tensor
		requires, leaf bool
		gradFn         string
	}{
		{"leaf requiring grad", x, true, true, ""},
		{"constant", c, false, true, ""},
		{"op on a leaf", x.Pow(2), true, false, "PowBackward0"},
		{"op on constants", c.Mul(2), false, true, ""},
		{"op mixing both", x.Add(c), true, false, "AddBackward0"},
		{"reduction", x.Sum(), true, false, "SumBackward0"},
		{"matrix product", m.MatMul(m), true, false, "MmBackward0"},
		{"made under NoGrad", inNoGrad, false, true, ""},
		{"detached", x.Mul(3).Detach(), false, true, ""},
		{"detached in place", x.Mul(3).Detach_(), false, true, ""},
		{"op on a leaf that stopped requiring grad", off.Mul(2), false, true, ""},
		{"dtype conversion", x.To(tensor.Float64), true, false, "ToCopyBackward0"},
		{"view of a leaf", x.View(2, 1), true, false, "ViewBackward0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.t.RequiresGrad() != tt.requires || tt.t.IsLeaf() != tt.leaf {
				t.Errorf("RequiresGrad %v, IsLeaf %v; want %v, %v", tt.t.RequiresGrad(), tt.t.IsLeaf(), tt.requires, tt.leaf)
			}
			got := ""
			if fn := tt.t.GradFn(); fn != nil {
				got = fn.Name()
			}
			if got != tt.gradFn {
				t.Errorf("GradFn %q, want %q", got, tt.gradFn)
			}
		})
	}
}

func TestBackwardSemantics(t *testing.T) {
	tests := []struct {
		name string
		f    func(x *tensor.Tensor) *tensor.Tensor // returns the gradient it leaves in x
		want []float32
	}{
		{"scalar", func(x *tensor.Tensor) *tensor.Tensor { x.Mul(x).Sum().Backward(); return x.Grad() }, []float32{2, 4, 6}},
		{"non-scalar with a gradient", func(x *tensor.Tensor) *tensor.Tensor {
			x.Mul(2).Backward(tensor.New([]float32{1, 10, 100}))
			return x.Grad()
		}, []float32{2, 20, 200}},
		{"gradients accumulate across calls", func(x *tensor.Tensor) *tensor.Tensor {
			x.Sum().Backward()
			x.Mul(3).Sum().Backward()
			return x.Grad()
		}, []float32{4, 4, 4}},
		{"retained graph runs twice", func(x *tensor.Tensor) *tensor.Tensor {
			y := x.Exp().Mul(0).Add(x).Sum()
			y.BackwardRetainGraph()
			y.Backward()
			return x.Grad()
		}, []float32{2, 2, 2}},
		{"gradient through a Float64 copy keeps the leaf's dtype", func(x *tensor.Tensor) *tensor.Tensor {
			x.Double().Mul(0.5).Sum().Backward()
			return x.Grad()
		}, []float32{0.5, 0.5, 0.5}},
		{"detach stops the gradient", func(x *tensor.Tensor) *tensor.Tensor { x.Mul(x.Detach()).Sum().Backward(); return x.Grad() }, []float32{1, 2, 3}},
		{"SetGrad(nil) clears the gradient", func(x *tensor.Tensor) *tensor.Tensor {
			x.Sum().Backward()
			x.SetGrad(nil)
			x.Mul(x).Backward(tensor.New([]float32{1, 0.5, 2}))
			return x.Grad()
		}, []float32{2, 2, 12}},
		{"in-place on a non-leaf is recorded", func(x *tensor.Tensor) *tensor.Tensor {
			y := x.Mul(1)
			y.Mul_(3).Add_(x)
			y.Sum().Backward()
			return x.Grad()
		}, []float32{4, 4, 4}},
		{"in-place by the leaf itself", func(x *tensor.Tensor) *tensor.Tensor {
			z := x.Mul(2)
			z.Mul_(x)
			z.Sum().Backward()
			return x.Grad()
		}, []float32{4, 8, 12}},
		{"a constant joins the graph through add_", func(x *tensor.Tensor) *tensor.Tensor {
			w := tensor.Zeros(3)
			w.Add_(x)
			w.Sum().Backward()
			return x.Grad()
		}, []float32{1, 1, 1}},
		{"fill_ cuts the gradient, copy_ takes the source's", func(x *tensor.Tensor) *tensor.Tensor {
			f := x.Mul(1)
			f.Fill_(3)
			g := tensor.Zeros(2, 3)
			g.Copy_(x)
			f.Sum().Add(g.Sum()).Backward()
			return x.Grad()
		}, []float32{2, 2, 2}},
		{"zero_ on an intermediate leaves zeros, not nothing", func(x *tensor.Tensor) *tensor.Tensor {
			x.Mul(1).Zero_().Sum().Backward()
			return x.Grad()
		}, []float32{0, 0, 0}},
		{"copy_ over an intermediate leaves zeros", func(x *tensor.Tensor) *tensor.Tensor {
			x.Mul(1).Copy_(tensor.Ones(3)).Sum().Backward()
			return x.Grad()
		}, []float32{0, 0, 0}},
		{"in-place through a view reaches other views", func(x *tensor.Tensor) *tensor.Tensor {
			y := x.Mul(1)
			v, w := y.Narrow(0, 0, 2), y.Narrow(0, 1, 2)
			v.Mul_(10)
			y.Sum().Add(w.Sum().Mul(100)).Backward()
			return x.Grad()
		}, []float32{10, 1010, 101}},
		{"add_ of the leaf into a slice of a constant", func(x *tensor.Tensor) *tensor.Tensor {
			b := tensor.Zeros(3)
			b.Narrow(0, 0, 2).Add_(x.Narrow(0, 1, 2))
			b.Mul(tensor.New([]float32{1, 2, 3})).Sum().Backward()
			return x.Grad()
		}, []float32{0, 1, 2}},
		{"leaf updated in place under NoGrad", func(x *tensor.Tensor) *tensor.Tensor {
			tensor.NoGrad(func() { x.Add_(1) })
			x.Mul(x).Sum().Backward()
			return x.Grad()
		}, []float32{4, 6, 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := tensor.New([]float32{1, 2, 3}, tensor.RequiresGrad())
			g := tt.f(x)
			if g == nil || g.Dtype() != tensor.Float32 || !g.Equal(tensor.New(tt.want)) {
				t.Errorf("gradient %v, want Float32 %v", g, tt.want)
			}
		})
	}
}

// TestInplaceHistory checks the history an in-place operation leaves, as
// PyTorch names it, and that it counts as one modification.
func TestInplaceHistory(t *testing.T) {
	x := tensor.New([]float32{1, 2, 3}, tensor.RequiresGrad())
	tests := []struct {
		name    string
		f       func() *tensor.Tensor // returns the tensor to inspect
		gradFn  string
		version uint64
	}{
		{"add_ on a non-leaf", func() *tensor.Tensor { return x.Mul(1).Add_(1) }, "AddBackward0", 1},
		{"zero_", func() *tensor.Tensor { return x.Mul(1).Zero_() }, "ZeroBackward0", 1},
		{"fill_", func() *tensor.Tensor { return x.Mul(1).Fill_(2) }, "FillBackward2", 1},
		{"copy_ into a constant", func() *tensor.Tensor { return tensor.Zeros(3).Copy_(x) }, "CopyBackwards", 1},
		{"base of a view changed in place", func() *tensor.Tensor {
			y := x.Mul(1)
			y.Narrow(0, 0, 2).Mul_(10)
			return y
		}, "CopySlices", 1},
		{"view changed in place", func() *tensor.Tensor { return x.Mul(1).Narrow(0, 0, 2).Mul_(10) }, "AsStridedBackward0", 1},
		{"in-place under NoGrad keeps the history", func() *tensor.Tensor {
			y := x.Mul(1)
			tensor.NoGrad(func() { y.Add_(1) })
			return y
		}, "MulBackward0", 1},
		{"view made under NoGrad stays out of the graph", func() *tensor.Tensor {
			y := x.Mul(1)
			var v *tensor.Tensor
			tensor.NoGrad(func() { v = y.Narrow(0, 0, 2) })
			y.Mul_(2)
			return v
		}, "none", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y := tt.f()
			got := "none"
			if fn := y.GradFn(); fn != nil {
				got = fn.Name()
			}
			if got != tt.gradFn || y.Version() != tt.version {
				t.Errorf("grad_fn %s, version %d; want %s, %d", got, y.Version(), tt.gradFn, tt.version)
			}
		})
	}
}

func TestAutogradErrors(t *testing.T) {
	x := func() *tensor.Tensor { return tensor.New([]float32{1, 2, 3}, tensor.RequiresGrad()) }
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"implicit gradient of a non-scalar", func() { x().Mul(2).Backward() },
			"grad can be implicitly created only for scalar outputs"},
		{"backward of a constant", func() { tensor.Ones(2).Sum().Backward() },
			"element 0 of tensors does not require grad and does not have a grad_fn"},
		{"backward of a detached result", func() { x().Detach().Sum().Backward() },
			"element 0 of tensors does not require grad and does not have a grad_fn"},
		{"backward under NoGrad-made tensor", func() {
			var y *tensor.Tensor
			tensor.NoGrad(func() { y = x().Sum() })
			y.Backward()
		}, "element 0 of tensors does not require grad and does not have a grad_fn"},
		{"gradient of the wrong shape", func() { x().Mul(2).Backward(tensor.Ones(2)) },
			"Mismatch in shape: grad_output[0] has a shape of [2] and output[0] has a shape of [3]."},
		{"second backward", func() {
			y := x().Exp().Sum()
			y.Backward()
			y.Backward()
		}, "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
			"Saved intermediate values of the graph are freed when you call Backward()."},
		{"backward after a retained graph was freed", func() {
			y := x().Exp().Sum()
			y.BackwardRetainGraph()
			y.Backward()
			y.Backward()
		}, "Trying to backward through the graph a second time"},
		{"gradient of another size", func() { x().SetGrad(tensor.Ones(2)) }, "assigned grad has data of a different size"},
		{"in-place on a leaf", func() { x().Add_(1) },
			"a leaf Variable that requires grad is being used in an in-place operation."},
		{"in-place zero on a leaf", func() { x().Zero_() },
			"a leaf Variable that requires grad is being used in an in-place operation."},
		{"in-place on a view of a leaf", func() { x().Narrow(0, 0, 2).Mul_(2) },
			"a view of a leaf Variable that requires grad is being used in an in-place operation."},
		{"in-place on a view of a leaf that later required grad", func() {
			b := tensor.Zeros(3)
			v := b.Narrow(0, 0, 2)
			b.RequiresGrad_(true)
			v.Mul_(2)
		}, "a view of a leaf Variable that requires grad is being used in an in-place operation."},
		{"in-place with grad on a view made under NoGrad", func() {
			y := x().Mul(1)
			var v *tensor.Tensor
			tensor.NoGrad(func() { v = y.Narrow(0, 0, 2) })
			v.Mul_(2)
		}, "A view was created in no_grad mode and is being modified inplace with grad mode enabled."},
		{"in-place on an expanded tensor", func() { tensor.Zeros(3, 1).Expand(3, 2).Add_(1) },
			"unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation."},
		{"saved tensor modified", func() {
			y := x().Mul(1)
			z := y.Mul(y)
			y.Add_(1)
			z.Sum().Backward()
		}, "one of the variables needed for gradient computation has been modified by an inplace operation: " +
			"[tensor.FloatTensor [3]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead."},
		{"saved output modified", func() {
			y := x().Exp()
			y.Add_(1)
			y.Sum().Backward()
		}, "one of the variables needed for gradient computation has been modified by an inplace operation: " +
			"[tensor.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead."},
		{"integer tensor requiring grad", func() { tensor.New([]int64{1}).RequiresGrad_(true) },
			"only Tensors of floating point dtype can require gradients"},
		{"non-leaf requires_grad off", func() { x().Mul(2).RequiresGrad_(false) },
			"you can only change requires_grad flags of leaf variables."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tensor.Try(tt.f)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant one containing %q", err, tt.want)
			}
		})
	}
}

func TestFailedBackwardChangesNoGradient(t *testing.T) {
	x := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	y := x.Mul(1)
	z := y.Mul(y).Sum().Add(x.Sum())
	y.Add_(1)
	if err := tensor.Try(func() { z.Backward() }); err == nil {
		t.Fatal("backward through a modified saved tensor succeeded")
	}
	if x.Grad() != nil {
		t.Errorf("a failed Backward left the gradient %v", x.Grad())
	}
}

func TestNoGradRecordsNothing(t *testing.T) {
	x := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	tensor.NoGrad(func() {
		if tensor.IsGradEnabled() {
			t.Error("IsGradEnabled inside NoGrad")
		}
		if y := x.Mul(2).Sum(); y.RequiresGrad() || y.GradFn() != nil {
			t.Errorf("an operation under NoGrad was recorded: %v", y)
		}
	})
	if !tensor.IsGradEnabled() {
		t.Error("NoGrad did not turn recording back on")
	}
}

func TestDetachSharesMemory(t *testing.T) {
	x := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	d := x.Detach()
	if d.RequiresGrad() || !d.IsLeaf() {
		t.Errorf("Detach: RequiresGrad %v, IsLeaf %v", d.RequiresGrad(), d.IsLeaf())
	}
	d.Float32s()[0] = 5
	if x.Detach().Float32s()[0] != 5 {
		t.Errorf("a write through Detach did not show in the original")
	}
}

// TestBackwardFreesTheGraph checks that the values a graph saved are freed
// once Backward has run, although the loss and the leaves live on, and
// that they are kept when the graph is retained.
func TestBackwardFreesTheGraph(t *testing.T) {
	for _, retain := range []bool{false, true} {
		x := tensor.Randn(1000, 100).RequiresGrad_(true)
		freed := make(chan struct{})
		loss := func() *tensor.Tensor {
			big := x.Exp() // saved by ExpBackward0 and by the Mul below
			runtime.AddCleanup(big, func(ch chan struct{}) { close(ch) }, freed)
			return big.Mul(big).Sum()
		}()
		if retain {
			loss.BackwardRetainGraph()
		} else {
			loss.Backward()
		}
		gone := false
		for range 10 {
			runtime.GC()
			select {
			case <-freed:
				gone = true
			case <-time.After(10 * time.Millisecond):
				continue
			}
			break
		}
		if gone == retain {
			t.Errorf("retain %v: intermediate freed = %v", retain, gone)
		}
		runtime.KeepAlive(loss)
		runtime.KeepAlive(x)
	}
}

// TestInplaceThroughAViewOfANonLeaf modifies part of an intermediate result
// through a view. PyTorch then rebases the intermediate's history on the
// change (its CopySlices node), so the gradient of y = x·1 with y[:2] *= 10
// is [10, 10, 1]; a gradient that ignores the change is [1, 1, 1].
func TestInplaceThroughAViewOfANonLeaf(t *testing.T) {
	tests := []struct {
		name  string
		apply func(v *tensor.Tensor)
	}{
		{"mul_ on a narrow", func(v *tensor.Tensor) { v.Narrow(0, 0, 2).Mul_(10) }},
		{"exp_ on a select", func(v *tensor.Tensor) { v.Select(0, 1).Exp_() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := func(in ...*tensor.Tensor) *tensor.Tensor {
				y := in[0].Mul(1)
				tt.apply(y)
				return y
			}
			if err := tensortest.GradCheck(f, gcIn(3)); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestGradString(t *testing.T) {
	a := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	tests := []struct {
		x    *tensor.Tensor
		want string
	}{
		{a.Double().Mul(2), "tensor([2., 4.], dtype=tensor.Float64, grad_fn=<MulBackward0>)"},
		{tensor.Arange(3).To(tensor.Int32), "tensor([0, 1, 2], dtype=tensor.Int32)"},
		{tensor.Arange(3), "tensor([0, 1, 2])"},
		{tensor.Arange(0), "tensor([], dtype=tensor.Int64)"},
		{tensor.New([]bool{true}), "tensor([True])"},
	}
	for _, tt := range tests {
		if got := tt.x.String(); got != tt.want {
			t.Errorf("String = %s, want %s", got, tt.want)
		}
	}
	b := a.Sum().MIMEBundle()
	if b["text/plain"] != "tensor(3., grad_fn=<SumBackward0>)" || !strings.Contains(b["text/html"].(string), "grad_fn=&lt;SumBackward0&gt;") {
		t.Errorf("MIMEBundle = %v", b)
	}
}

// TestLeafGradientsAreTheirOwn checks that a leaf's gradient shares memory
// with nothing else the user can reach: a first gradient that backward made
// for it alone is taken over rather than copied (the weight of x·Wᵀ), and
// gradients that reach several leaves, or that the user passed in, are not.
// Each case returns the leaves and the other tensors the user holds; adding
// 1 to one leaf's gradient must change nothing else.
func TestLeafGradientsAreTheirOwn(t *testing.T) {
	x := tensor.Randn(2, 4)
	w := func() *tensor.Tensor { return tensor.Randn(3, 4).RequiresGrad_(true) }
	tests := []struct {
		name string
		f    func() (leaves, held []*tensor.Tensor)
	}{
		{"two weights summed upright", func() ([]*tensor.Tensor, []*tensor.Tensor) {
			w1, w2 := w(), w()
			x.MatMul(w1.Add(w2).T()).Sum().Backward()
			return []*tensor.Tensor{w1, w2}, nil
		}},
		{"one leaf's gradient passed as another's", func() ([]*tensor.Tensor, []*tensor.Tensor) {
			w1, w2 := w(), w()
			x.MatMul(w1.T()).Sum().Backward()
			w2.T().Backward(w1.Grad().T())
			return []*tensor.Tensor{w1, w2}, nil
		}},
		{"gradient passed in by the user", func() ([]*tensor.Tensor, []*tensor.Tensor) {
			w1, g := w(), tensor.Ones(3, 4)
			w1.Backward(g)
			return []*tensor.Tensor{w1}, []*tensor.Tensor{g}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaves, held := tt.f()
			var all []*tensor.Tensor
			for _, l := range leaves {
				all = append(all, l.Grad())
			}
			all = append(all, held...)
			for i, changed := range all[:len(leaves)] {
				before := make([]*tensor.Tensor, len(all))
				for j, a := range all {
					before[j] = a.Clone()
				}
				changed.Add_(1)
				for j, a := range all {
					if j != i && !a.Equal(before[j]) {
						t.Errorf("adding 1 to the gradient of leaf %d changed tensor %d", i, j)
					}
				}
			}
		})
	}
}
