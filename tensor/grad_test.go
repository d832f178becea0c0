package tensor_test

import (
	"strings"
	"testing"

	"github.com/gorch/gorch/tensor"
	"github.com/gorch/gorch/tensor/tensortest"
)

type fn = func(xs ...*tensor.Tensor) *tensor.Tensor

// param returns a Float64 leaf that requires grad.
func param(data any) *tensor.Tensor {
	return tensor.New(data, tensor.WithDtype(tensor.Float64), tensor.RequiresGrad())
}

// TestGradients checks every differentiable operation's backward against
// finite differences, and the name it records against PyTorch's grad_fn.
func TestGradients(t *testing.T) {
	m := func() *tensor.Tensor { return param([][]float64{{0.5, -1.2, 2}, {1.5, 0.3, -0.7}}) }
	row := func() *tensor.Tensor { return param([]float64{0.7, -0.4, 1.1}) }
	pos := func() *tensor.Tensor { return param([][]float64{{0.5, 1.2, 2}, {1.5, 0.3, 0.7}}) }
	idx := tensor.New([]int{2, 0, 2})
	tests := []struct {
		name   string
		gradFn string
		f      fn
		inputs []*tensor.Tensor
	}{
		{"Add", "AddBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Add(x[1]) }, []*tensor.Tensor{m(), row()}},
		{"AddScalar", "AddBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Add(2) }, []*tensor.Tensor{m()}},
		{"Sub", "SubBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Sub(x[1]) }, []*tensor.Tensor{row(), m()}},
		{"Mul", "MulBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Mul(x[1]) }, []*tensor.Tensor{m(), row()}},
		{"MulSelf", "MulBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Mul(x[0]) }, []*tensor.Tensor{m()}},
		{"Div", "DivBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Div(x[1]) }, []*tensor.Tensor{m(), pos()}},
		{"Pow", "PowBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Pow(3) }, []*tensor.Tensor{m()}},
		{"PowTensor", "PowBackward1", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Pow(x[1]) }, []*tensor.Tensor{pos(), m()}},
		{"Maximum", "MaximumBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Maximum(x[1]) }, []*tensor.Tensor{m(), row()}},
		{"Minimum", "MinimumBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Minimum(x[1]) }, []*tensor.Tensor{m(), row()}},
		{"Neg", "NegBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Neg() }, []*tensor.Tensor{m()}},
		{"Abs", "AbsBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Abs() }, []*tensor.Tensor{m()}},
		{"Exp", "ExpBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Exp() }, []*tensor.Tensor{m()}},
		{"Log", "LogBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Log() }, []*tensor.Tensor{pos()}},
		{"Sqrt", "SqrtBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Sqrt() }, []*tensor.Tensor{pos()}},
		{"Sin", "SinBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Sin() }, []*tensor.Tensor{m()}},
		{"Cos", "CosBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Cos() }, []*tensor.Tensor{m()}},
		{"Tanh", "TanhBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Tanh() }, []*tensor.Tensor{m()}},
		{"Sigmoid", "SigmoidBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Sigmoid() }, []*tensor.Tensor{m()}},
		{"ReLU", "ReluBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].ReLU() }, []*tensor.Tensor{m()}},
		{"Clamp", "ClampBackward1", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Clamp(-1, 1) }, []*tensor.Tensor{m()}},
		{"Where", "WhereBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return tensor.Where(x[0].Gt(0), x[0], x[1]) }, []*tensor.Tensor{m(), row()}},
		{"Sum", "SumBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Sum() }, []*tensor.Tensor{m()}},
		{"SumDim", "SumBackward1", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].SumDim(0, true) }, []*tensor.Tensor{m()}},
		{"Mean", "MeanBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Mean() }, []*tensor.Tensor{m()}},
		{"MeanDim", "MeanBackward1", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Mean(1) }, []*tensor.Tensor{m()}},
		{"Prod", "ProdBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Prod() }, []*tensor.Tensor{m()}},
		{"ProdZero", "ProdBackward1", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].ProdDim(1, false) }, []*tensor.Tensor{param([][]float64{{0, 2, 3}, {0, 0, 4}, {1, 2, 3}})}},
		{"Max", "MaxBackward1", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Max() }, []*tensor.Tensor{m()}},
		{"MaxDim", "MaxBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { v, _ := x[0].MaxDim(1, false); return v }, []*tensor.Tensor{m()}},
		{"MinDim", "MinBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Min(0) }, []*tensor.Tensor{m()}},
		{"Var", "VarBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Var(1) }, []*tensor.Tensor{m()}},
		{"Std", "StdBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].StdDim(0, true) }, []*tensor.Tensor{m()}},
		{"Norm", "NormBackward1", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Norm() }, []*tensor.Tensor{m()}},
		{"Norm1", "NormBackward1", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Norm(1) }, []*tensor.Tensor{m()}},
		{"Norm3", "NormBackward1", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Norm(3) }, []*tensor.Tensor{m()}},
		{"Softmax", "SoftmaxBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Softmax(1) }, []*tensor.Tensor{m()}},
		{"LogSoftmax", "LogSoftmaxBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].LogSoftmax(0) }, []*tensor.Tensor{m()}},
		{"Mm", "MmBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Mm(x[1]) }, []*tensor.Tensor{m(), m().T()}},
		{"Bmm", "BmmBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Bmm(x[1]) }, []*tensor.Tensor{param([][][]float64{{{1, 2}}, {{3, 4}}}), param([][][]float64{{{1}, {-1}}, {{0.5}, {2}}})}},
		{"MatMulBatched", "ViewBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Reshape(2, 1, 3).MatMul(x[1].Reshape(3, 1)) }, []*tensor.Tensor{m(), row()}},
		{"Dot", "DotBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Dot(x[1]) }, []*tensor.Tensor{row(), row()}},
		{"Outer", "MulBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Outer(x[1]) }, []*tensor.Tensor{row(), row()}},
		{"View", "ViewBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].View(3, 2) }, []*tensor.Tensor{m()}},
		{"T", "TBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].T() }, []*tensor.Tensor{m()}},
		{"Transpose", "TransposeBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Transpose(0, 1) }, []*tensor.Tensor{m()}},
		{"Permute", "PermuteBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Unsqueeze(0).Permute(2, 0, 1) }, []*tensor.Tensor{m()}},
		{"Squeeze", "SqueezeBackward1", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Unsqueeze(1).Squeeze(1) }, []*tensor.Tensor{m()}},
		{"Unsqueeze", "UnsqueezeBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Unsqueeze(-1) }, []*tensor.Tensor{m()}},
		{"Expand", "ExpandBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Expand(2, 2, 3) }, []*tensor.Tensor{m()}},
		{"ReshapeCopy", "ViewBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].T().Reshape(6) }, []*tensor.Tensor{m()}},
		{"Clone", "CloneBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Clone() }, []*tensor.Tensor{m()}},
		{"Select", "SelectBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Select(1, -1) }, []*tensor.Tensor{m()}},
		{"Narrow", "SliceBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Narrow(1, 1, 2) }, []*tensor.Tensor{m()}},
		{"Slice", "SliceBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Slice(tensor.All(), tensor.S(0, 3, 2)) }, []*tensor.Tensor{m()}},
		{"IndexSelect", "IndexSelectBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].IndexSelect(1, idx) }, []*tensor.Tensor{m()}},
		{"MaskedSelect", "IndexSelectBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].MaskedSelect(x[0].Gt(0)) }, []*tensor.Tensor{m()}},
		{"Cat", "CatBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return tensor.Cat(0, x[0], x[1].Unsqueeze(0)) }, []*tensor.Tensor{m(), row()}},
		{"Stack", "StackBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return tensor.Stack(1, x[0].Select(0, 0), x[1]) }, []*tensor.Tensor{m(), row()}},
		{"Split", "SliceBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Split(2, 1)[1] }, []*tensor.Tensor{m()}},
		{"To", "ToCopyBackward0", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].To(tensor.Float32).Mul(1) }, []*tensor.Tensor{m()}},
		{"Composite", "SumBackward0", func(x ...*tensor.Tensor) *tensor.Tensor {
			return x[0].MatMul(x[1]).Tanh().Add(x[1].Sum()).Pow(2).Sum()
		}, []*tensor.Tensor{m(), param([]float64{0.1, 0.2, -0.3})}},
	}
	for _, tt := range tests {
		out := tt.f(tt.inputs...)
		if out.GradFn() == nil {
			t.Errorf("%s: no grad_fn", tt.name)
		} else if got := out.GradFn().Name(); got != tt.gradFn && tt.name != "To" {
			t.Errorf("%s: grad_fn %s, want %s", tt.name, got, tt.gradFn)
		}
		if tt.name == "To" {
			continue // Float32 is too coarse for finite differences
		}
		if err := tensortest.GradCheck(tt.f, tt.inputs...); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestBackward(t *testing.T) {
	a := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	if a.Grad() != nil {
		t.Error("Grad before Backward is not nil")
	}
	b := a.Pow(2).Sum()
	if got := b.GradFn().String(); got != "<SumBackward0>" {
		t.Errorf("GradFn = %s", got)
	}
	if !a.IsLeaf() || b.IsLeaf() || !b.RequiresGrad() {
		t.Error("IsLeaf/RequiresGrad")
	}
	b.Backward()
	if vals(a.Grad()) != "[2 4]" {
		t.Errorf("Grad = %s", vals(a.Grad()))
	}
	// Gradients accumulate.
	a.Mul(3).Sum().Backward()
	if vals(a.Grad()) != "[5 7]" {
		t.Errorf("accumulated Grad = %s", vals(a.Grad()))
	}
	a.SetGrad(nil)
	// A non-scalar output takes its gradient explicitly.
	a.Mul(a).Backward(tensor.New([]float32{1, 0.5}))
	if vals(a.Grad()) != "[2 2]" {
		t.Errorf("Grad with explicit gradient = %s", vals(a.Grad()))
	}
	// The graph is freed unless retained.
	a.SetGrad(nil)
	y := a.Exp().Sum()
	y.BackwardRetainGraph()
	y.Backward()
	if !a.Grad().AllClose(a.Detach().Exp().Mul(2)) {
		t.Errorf("Grad after retained backward = %v", a.Grad())
	}
	panics(t, "Trying to backward through the graph a second time", func() { y.Backward() })
	panics(t, "grad can be implicitly created only for scalar outputs", func() { a.Mul(2).Backward() })
	panics(t, "element 0 of tensors does not require grad and does not have a grad_fn", func() { a.Detach().Sum().Backward() })
	panics(t, "Mismatch in shape: grad_output[0] has a shape of [3] and output[0] has a shape of [2].", func() { a.Mul(2).Backward(tensor.Ones(3)) })
}

func TestGradMode(t *testing.T) {
	a := tensor.New([]float64{1, 2}, tensor.RequiresGrad())
	var b *tensor.Tensor
	tensor.NoGrad(func() {
		if tensor.IsGradEnabled() {
			t.Error("IsGradEnabled inside NoGrad")
		}
		b = a.Mul(2)
	})
	if b.RequiresGrad() || b.GradFn() != nil || !tensor.IsGradEnabled() {
		t.Error("NoGrad recorded an operation")
	}
	d := a.Mul(2).Detach()
	if d.RequiresGrad() || !d.IsLeaf() {
		t.Error("Detach keeps the graph")
	}
	c := a.Mul(2)
	c.Detach_()
	if c.RequiresGrad() {
		t.Error("Detach_ keeps the graph")
	}
	a.RequiresGrad_(false)
	if a.Mul(2).RequiresGrad() {
		t.Error("RequiresGrad_(false) still records")
	}
	panics(t, "you can only change requires_grad flags of leaf variables", func() {
		x := tensor.New([]float64{1}, tensor.RequiresGrad()).Mul(2)
		x.RequiresGrad_(false)
	})
	panics(t, "assigned grad has data of a different size", func() { a.SetGrad(tensor.Ones(3)) })
}

// In-place changes to a tensor that backward needs are caught, with
// PyTorch's message, and in-place operations on non-leaves are recorded.
func TestInplaceAutograd(t *testing.T) {
	x := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	a := x.Mul(1)
	y := a.Pow(2)
	a.Add_(1)
	if a.GradFn().Name() != "AddBackward0" || a.Version() != 1 {
		t.Errorf("in-place on a non-leaf: grad_fn %v version %d", a.GradFn(), a.Version())
	}
	err := tensor.Try(func() { y.Sum().Backward() })
	want := "one of the variables needed for gradient computation has been modified by an inplace operation: [tensor.FloatTensor [2]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead."
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Backward after in-place change: %v", err)
	}
	// The recorded in-place operation differentiates like its out-of-place
	// form: d/dx sum((2x)·x) = 4x.
	z := x.Mul(2)
	z.Mul_(x)
	z.Sum().Backward()
	if vals(x.Grad()) != "[4 8]" {
		t.Errorf("Grad through Mul_ = %s", vals(x.Grad()))
	}
	// A tensor that does not require grad joins the graph when an operand does.
	x.SetGrad(nil)
	w := tensor.Zeros(2)
	w.Add_(x)
	w.Sum().Backward()
	if !w.RequiresGrad() || vals(x.Grad()) != "[1 1]" {
		t.Errorf("Add_ of a grad tensor: requires %v grad %v", w.RequiresGrad(), x.Grad())
	}
	// Fill_ cuts the gradient; Copy_ takes the source's.
	x.SetGrad(nil)
	f := x.Mul(1)
	f.Fill_(3)
	g := tensor.Zeros(2, 2)
	g.Copy_(x)
	f.Sum().Add(g.Sum()).Backward()
	if vals(x.Grad()) != "[2 2]" {
		t.Errorf("Grad through Fill_/Copy_ = %s", vals(x.Grad()))
	}
}

func TestGradString(t *testing.T) {
	a := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	tests := []struct {
		x    *tensor.Tensor
		want string
	}{
		{a, "tensor([1., 2.], requires_grad=True)"},
		{a.Pow(2).Sum(), "tensor(5., grad_fn=<SumBackward0>)"},
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
