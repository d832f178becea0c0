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
		{"add", gcBinary((*tensor.Tensor).Add), gcIns(gcIn(2, 3), gcIn(2, 3))},
		{"add broadcast [2 3]+[3]", gcBinary((*tensor.Tensor).Add), gcIns(gcIn(2, 3), gcIn(3))},
		{"add broadcast [2 1]+[1 3]", gcBinary((*tensor.Tensor).Add), gcIns(gcIn(2, 1), gcIn(1, 3))},
		{"add 0-dim", gcBinary((*tensor.Tensor).Add), gcIns(gcIn(2, 3), gcIn())},
		{"add number", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Add(2.5) }), gcIns(gcIn(3))},
		{"add constant tensor", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Add(in[1]) }, gcIns(gcIn(2, 3), tensor.Randn(3).Double())},
		{"sub broadcast", gcBinary((*tensor.Tensor).Sub), gcIns(gcIn(4, 1, 3), gcIn(2, 1))},
		{"sub number", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Sub(1) }), gcIns(gcIn(3))},
		{"mul broadcast", gcBinary((*tensor.Tensor).Mul), gcIns(gcIn(2, 3, 4), gcIn(3, 1))},
		{"mul self", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Mul(x) }), gcIns(gcIn(3))},
		{"mul number", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Mul(-3) }), gcIns(gcIn(3))},
		{"div broadcast", gcBinary((*tensor.Tensor).Div), gcIns(gcIn(2, 3), gcPos(3))},
		{"div number", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Div(4) }), gcIns(gcIn(3))},
		{"pow 2", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Pow(2) }), gcIns(gcIn(2, 3))},
		{"pow 0.5", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Pow(0.5) }), gcIns(gcPos(2, 3))},
		{"pow -1.5", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Pow(-1.5) }), gcIns(gcPos(4))},
		{"pow tensor exponent", gcBinary((*tensor.Tensor).Pow), gcIns(gcPos(2, 3), gcIn(3))},
		{"maximum", gcBinary((*tensor.Tensor).Maximum), gcIns(gcDistinct(2, 3), gcIn(3).Mul(0.01).Detach().RequiresGrad_(true))},
		{"minimum", gcBinary((*tensor.Tensor).Minimum), gcIns(gcDistinct(2, 3), gcDistinct(2, 1).Mul(0.9).Detach().RequiresGrad_(true))},
		{"maximum number", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Maximum(0.05) }), gcIns(gcDistinct(6))},
		{"neg", gcUnary((*tensor.Tensor).Neg), gcIns(gcIn(2, 3))},
		{"abs", gcUnary((*tensor.Tensor).Abs), gcIns(gcAway(2, 3))},
		{"exp", gcUnary((*tensor.Tensor).Exp), gcIns(gcIn(2, 3))},
		{"log", gcUnary((*tensor.Tensor).Log), gcIns(gcPos(2, 3))},
		{"sqrt", gcUnary((*tensor.Tensor).Sqrt), gcIns(gcPos(2, 3))},
		{"sin", gcUnary((*tensor.Tensor).Sin), gcIns(gcIn(2, 3))},
		{"cos", gcUnary((*tensor.Tensor).Cos), gcIns(gcIn(2, 3))},
		{"tanh", gcUnary((*tensor.Tensor).Tanh), gcIns(gcIn(2, 3))},
		{"sigmoid", gcUnary((*tensor.Tensor).Sigmoid), gcIns(gcIn(2, 3))},
		{"relu", gcUnary((*tensor.Tensor).ReLU), gcIns(gcAway(2, 3))},
		{"clamp", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Clamp(-0.21, 0.23) }), gcIns(gcDistinct(3, 4))},
		{"clamp min", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Clamp(0.01, nil) }), gcIns(gcDistinct(3, 4))},
		{"clamp max", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Clamp(nil, -0.01) }), gcIns(gcDistinct(3, 4))},
		{"where", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Where(in[0].Gt(0), in[0], in[1]) }, gcIns(gcAway(2, 3), gcIn(3))},
		{"where number", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Where(in[1], in[0], 0) },
			gcIns(gcIn(2, 3), tensor.New([]bool{true, false, true}))},

		// matrix products in every form torch.matmul has
		{"matmul 1-D 1-D", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(4), gcIn(4))},
		{"matmul 2-D 1-D", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(3, 4), gcIn(4))},
		{"matmul 1-D 2-D", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(3), gcIn(3, 4))},
		{"matmul 2-D 2-D", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(2, 3), gcIn(3, 4))},
		{"matmul 3-D 2-D", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(2, 3, 4), gcIn(4, 2))},
		{"matmul 2-D 3-D", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(3, 4), gcIn(2, 4, 2))},
		{"matmul 1-D 3-D", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(3), gcIn(2, 3, 2))},
		{"matmul 3-D 1-D", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(2, 3, 4), gcIn(4))},
		{"matmul batch broadcast", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(2, 1, 3, 4), gcIn(3, 4, 2))},
		{"matmul transposed operands", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].T().MatMul(in[1].T()) }, gcIns(gcIn(3, 2), gcIn(4, 3))},
		{"mm", gcMat((*tensor.Tensor).Mm), gcIns(gcIn(2, 3), gcIn(3, 4))},
		{"bmm", gcMat((*tensor.Tensor).Bmm), gcIns(gcIn(2, 2, 3), gcIn(2, 3, 4))},
		{"dot", gcMat((*tensor.Tensor).Dot), gcIns(gcIn(5), gcIn(5))},
		{"outer", gcMat((*tensor.Tensor).Outer), gcIns(gcIn(3), gcIn(4))},
		{"matmul one side constant", gcMat((*tensor.Tensor).MatMul), gcIns(gcIn(2, 3), tensor.Randn(3, 2).Double())},

		// reductions, with and without keepdim
		{"sum", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Sum() }), gcIns(gcIn(2, 3))},
		{"sum dim", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Sum(1) }), gcIns(gcIn(2, 3, 4))},
		{"sum dims", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Sum(0, 2) }), gcIns(gcIn(2, 3, 4))},
		{"sum keepdim", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.SumDim(-1, true) }), gcIns(gcIn(2, 3, 4))},
		{"mean", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Mean() }), gcIns(gcIn(2, 3))},
		{"mean dim", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Mean(0) }), gcIns(gcIn(2, 3))},
		{"mean keepdim", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.MeanDim(1, true) }), gcIns(gcIn(2, 3))},
		{"prod", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Prod() }), gcIns(gcIn(2, 3))},
		{"prod dim", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.ProdDim(1, false) }), gcIns(gcIn(2, 3))},
		{"prod with a zero", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.ProdDim(1, true) }),
			gcIns(tensor.New([][]float64{{1.5, 0, 2}, {0, 0, 3}, {0.5, -1, 2}}, tensor.RequiresGrad()))},
		{"max", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Max() }), gcIns(gcDistinct(2, 3))},
		{"min", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Min() }), gcIns(gcDistinct(2, 3))},
		{"max dim", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Max(1) }), gcIns(gcDistinct(3, 4))},
		{"max dim keepdim", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { v, _ := x.MaxDim(0, true); return v }), gcIns(gcDistinct(3, 4))},
		{"min dim", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { v, _ := x.MinDim(-1, false); return v }), gcIns(gcDistinct(2, 3, 4))},
		{"var", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Var() }), gcIns(gcIn(2, 3))},
		{"var dim keepdim", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.VarDim(1, true) }), gcIns(gcIn(2, 3))},
		{"std", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Std() }), gcIns(gcIn(2, 3))},
		{"std dim", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.StdDim(0, false) }), gcIns(gcIn(3, 2))},
		{"norm", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Norm() }), gcIns(gcIn(2, 3))},
		{"norm 1", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Norm(1) }), gcIns(gcAway(2, 3))},
		{"norm 3", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Norm(3) }), gcIns(gcAway(2, 3))},
		{"softmax", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Softmax(1) }), gcIns(gcIn(2, 4))},
		{"softmax dim 0 of 3-D", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Softmax(0) }), gcIns(gcIn(3, 2, 2))},
		{"log softmax", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.LogSoftmax(-1) }), gcIns(gcIn(2, 4))},
		{"log softmax middle dim", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.LogSoftmax(1) }), gcIns(gcIn(2, 3, 2))},

		// views: the gradient must land in the right elements of the base
		{"reshape", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Reshape(3, 2).Mul(gcConst(3, 2)) }), gcIns(gcIn(2, 3))},
		{"reshape non-contiguous", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.T().Reshape(6).Mul(gcConst(6)) }), gcIns(gcIn(2, 3))},
		{"view", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.View(-1).Mul(gcConst(6)) }), gcIns(gcIn(2, 3))},
		{"flatten", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Flatten(1).Mul(gcConst(2, 6)) }), gcIns(gcIn(2, 3, 2))},
		{"t", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.T().Mul(gcConst(3, 2)) }), gcIns(gcIn(2, 3))},
		{"transpose", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Transpose(0, 2).Mul(gcConst(4, 3, 2)) }), gcIns(gcIn(2, 3, 4))},
		{"permute", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Permute(2, 0, 1).Mul(gcConst(4, 2, 3)) }), gcIns(gcIn(2, 3, 4))},
		{"squeeze", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Squeeze().Mul(gcConst(3)) }), gcIns(gcIn(1, 3, 1))},
		{"unsqueeze", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Unsqueeze(1).Mul(gcConst(2, 1, 3)) }), gcIns(gcIn(2, 3))},
		{"expand", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Expand(2, 4, 3).Mul(gcConst(2, 4, 3)) }), gcIns(gcIn(4, 1))},
		{"expand as", gcMat((*tensor.Tensor).ExpandAs), gcIns(gcIn(1, 3), tensor.Zeros(2, 3))},
		{"contiguous", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.T().Contiguous().Mul(gcConst(3, 2)) }), gcIns(gcIn(2, 3))},
		{"clone", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Clone().Mul(gcConst(2, 3)) }), gcIns(gcIn(2, 3))},
		{"select", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Select(1, -1).Mul(gcConst(2, 4)) }), gcIns(gcIn(2, 3, 4))},
		{"narrow", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Narrow(1, 1, 2).Mul(gcConst(3, 2)) }), gcIns(gcIn(3, 4))},
		{"slice with step", gcUnary(func(x *tensor.Tensor) *tensor.Tensor {
			return x.Slice(tensor.S(1, tensor.End), tensor.S(0, tensor.End, 2)).Mul(gcConst(2, 3))
		}), gcIns(gcIn(3, 5))},
		{"view of a view", gcUnary(func(x *tensor.Tensor) *tensor.Tensor {
			return x.T().Narrow(0, 1, 2).Select(1, 0).Unsqueeze(0).Mul(gcConst(1, 2))
		}), gcIns(gcIn(2, 3))},

		// joining, splitting, indexing
		{"cat dim 0", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Cat(0, in...).Mul(gcConst(6, 3)) }, gcIns(gcIn(1, 3), gcIn(2, 3), gcIn(3, 3))},
		{"cat dim 1", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Cat(1, in...).Mul(gcConst(2, 5)) }, gcIns(gcIn(2, 2), gcIn(2, 3))},
		{"cat with a constant", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Cat(0, in...).Mul(gcConst(4)) }, gcIns(gcIn(2), tensor.Ones(2).Double())},
		{"stack dim 0", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Stack(0, in...).Mul(gcConst(2, 2, 3)) }, gcIns(gcIn(2, 3), gcIn(2, 3))},
		{"stack last dim", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Stack(2, in...).Mul(gcConst(2, 3, 3)) }, gcIns(gcIn(2, 3), gcIn(2, 3), gcIn(2, 3))},
		{"split", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return gcWeighted(x.Split(2, 1)...) }), gcIns(gcIn(2, 5))},
		{"chunk", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return gcWeighted(x.Chunk(3, 0)...) }), gcIns(gcIn(7, 2))},
		{"index select with repeats", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].IndexSelect(1, in[1]).Mul(gcConst(2, 4)) },
			gcIns(gcIn(2, 3), tensor.New([]int64{2, 0, 2, 2}))},
		{"masked select", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].MaskedSelect(in[1]).Mul(gcConst(3)) },
			gcIns(gcIn(2, 3), tensor.New([][]bool{{true, false, false}, {false, true, true}}))},
		{"masked select broadcast mask", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].MaskedSelect(in[1]).Mul(gcConst(4)) },
			gcIns(gcIn(2, 3), tensor.New([]bool{true, false, true}))},

		// in-place operations on non-leaves are recorded too
		{"in-place on a non-leaf", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Mul(1).Add_(in[1]).Mul_(in[1]).Exp_() }, gcIns(gcIn(2, 3), gcIn(3))},
		{"in-place unary chain", gcUnary(func(x *tensor.Tensor) *tensor.Tensor { return x.Clone().Sigmoid_().Tanh_().Sqrt_() }), gcIns(gcIn(4))},
		{"copy into a non-leaf", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Mul(2).Copy_(in[1]).Mul(in[0]) }, gcIns(gcIn(3), gcIn(3))},
	}
}

// gcMat wraps a method whose operand is a *Tensor.
func gcMat(f func(x, y *tensor.Tensor) *tensor.Tensor) func(in ...*tensor.Tensor) *tensor.Tensor {
	return func(in ...*tensor.Tensor) *tensor.Tensor { return f(in[0], in[1]) }
}

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
		{"in-place on a non-leaf is recorded", func(x *tensor.Tensor) *tensor.Tensor {
			y := x.Mul(1)
			y.Mul_(3).Add_(x)
			y.Sum().Backward()
			return x.Grad()
		}, []float32{4, 4, 4}},
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
		{"in-place on a leaf", func() { x().Add_(1) },
			"a leaf Variable that requires grad is being used in an in-place operation."},
		{"in-place zero on a leaf", func() { x().Zero_() },
			"a leaf Variable that requires grad is being used in an in-place operation."},
		{"in-place on a view of a leaf", func() { x().Narrow(0, 0, 2).Mul_(2) },
			"a view of a leaf Variable that requires grad is being used in an in-place operation."},
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
