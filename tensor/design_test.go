package tensor_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gorch/gorch/tensor"
)

// TestDesignExample runs the tensor API of shared/DESIGN.md as it is
// written there, section by section, and checks what each line gives. The
// names it uses are a contract with code outside the package.
func TestDesignExample(t *testing.T) {
	check := func(what string, got *tensor.Tensor, want string) {
		t.Helper()
		if s := got.String(); s != want {
			t.Errorf("%s = %s, want %s", what, s, want)
		}
	}
	// panicsWith runs f and checks that it panics with a *tensor.Error
	// whose message holds want.
	panicsWith := func(what string, f func(), want string) {
		t.Helper()
		err := tensor.Try(f)
		var te *tensor.Error
		if !errors.As(err, &te) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want a *tensor.Error holding %q", what, err, want)
		}
	}

	// creation
	check("New([]int)", tensor.New([]int{1, 2, 3}), "tensor([1, 2, 3])")
	check("New([][]float32)", tensor.New([][]float32{{1, 2}, {3, 4}}), "tensor([[1., 2.],\n        [3., 4.]])")
	check("Zeros(3, 4)", tensor.Zeros(3, 4).Sum(), "tensor(0.)")
	check("Ones(2, 3)", tensor.Ones(2, 3), "tensor([[1., 1., 1.],\n        [1., 1., 1.]])")
	check("Arange(10)", tensor.Arange(10), "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])")
	check("Arange(0.0, 1.0, 0.25)", tensor.Arange(0.0, 1.0, 0.25), "tensor([0.0000, 0.2500, 0.5000, 0.7500])")
	check("Linspace(0, 1, 5)", tensor.Linspace(0, 1, 5), "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])")
	check("Full([]int{2, 2}, 7.0)", tensor.Full([]int{2, 2}, 7.0), "tensor([[7., 7.],\n        [7., 7.]])")
	check("Eye(3)", tensor.Eye(3), "tensor([[1., 0., 0.],\n        [0., 1., 0.],\n        [0., 0., 1.]])")
	for _, r := range []*tensor.Tensor{tensor.Rand(2, 3), tensor.Randn(2, 3)} {
		if r.Dtype() != tensor.Float32 || r.Dim() != 2 || r.Numel() != 6 {
			t.Errorf("random tensor %v: want Float32 of shape [2 3]", r)
		}
	}

	// operations, in method and package forms, with broadcasting
	a := tensor.New([][]float32{{1, 2}, {3, 4}})
	b := tensor.New([]float32{10, 20})
	check("a.Add(b)", a.Add(b), "tensor([[11., 22.],\n        [13., 24.]])")
	check("a.Sub(1)", a.Sub(1), "tensor([[0., 1.],\n        [2., 3.]])")
	check("a.Mul(b)", a.Mul(b), "tensor([[10., 40.],\n        [30., 80.]])")
	check("a.Div(2)", a.Div(2), "tensor([[0.5000, 1.0000],\n        [1.5000, 2.0000]])")
	check("a.MatMul(a)", a.MatMul(a), "tensor([[ 7., 10.],\n        [15., 22.]])")
	check("tensor.MatMul(a, b)", tensor.MatMul(a, b), "tensor([ 50., 110.])")
	check("a.Sum()", a.Sum(), "tensor(10.)")
	check("a.Mean()", a.Mean(), "tensor(2.5000)")
	check("tensor.Sum(a)", tensor.Sum(a), "tensor(10.)")
	check("tensor.Mean(a)", tensor.Mean(a), "tensor(2.5000)")
	check("a.Sum(1)", a.Sum(1), "tensor([3., 7.])")
	x := tensor.Arange(12)
	check("Reshape(3, 4)", x.Reshape(3, 4), "tensor([[ 0,  1,  2,  3],\n        [ 4,  5,  6,  7],\n        [ 8,  9, 10, 11]])")
	check("View(12)", x.Reshape(3, 4).View(12), x.String())
	check("a.T()", a.T(), "tensor([[1., 3.],\n        [2., 4.]])")
	check("a.Transpose(0, 1)", a.Transpose(0, 1), "tensor([[1., 3.],\n        [2., 4.]])")
	check("a.Pow(2)", a.Pow(2), "tensor([[ 1.,  4.],\n        [ 9., 16.]])")

	// devices: this machine may have no GPU, and then CUDA says why
	if a.Device() != "cpu" || a.Cpu().Device() != "cpu" {
		t.Errorf("Device() = %q, want cpu", a.Device())
	}
	if tensor.CUDAAvailable() {
		if d := a.To("cuda").Device(); d != "cuda:0" {
			t.Errorf(`To("cuda").Device() = %q, want cuda:0`, d)
		}
		check("Cuda().Cpu()", a.Cuda().Cpu(), a.String())
	} else {
		if n := tensor.DeviceCount(); n != 0 {
			t.Errorf("DeviceCount() = %d without CUDA, want 0", n)
		}
		panicsWith(`To("cuda")`, func() { a.To("cuda") }, "CUDA is not available")
		panicsWith("Cuda()", func() { a.Cuda() }, "CUDA is not available")
	}

	// autograd
	g := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	s := g.Pow(2).Sum()
	s.Backward()
	check("a.Grad()", g.Grad(), "tensor([2., 4.])")

	// in-place: a trailing underscore; refused on a leaf that requires grad
	c := tensor.New([]float32{1, 2})
	check("Add_(10)", c.Add_(10), "tensor([11., 12.])")
	check("Mul_(2)", c.Mul_(2), "tensor([22., 24.])")
	check("Zero_()", c.Zero_(), "tensor([0., 0.])")
	panicsWith("Add_ on a leaf that requires grad", func() { g.Add_(10) },
		"a leaf Variable that requires grad is being used in an in-place operation.")

	// naming
	var none *tensor.Tensor
	panicsWith("Dim of a nil tensor", func() { none.Dim() }, "nil")
	if a.Dim() != 2 || len(a.Shape()) != 2 || a.Shape()[0] != 2 || a.Numel() != 4 || a.Sum().Item() != 10 {
		t.Errorf("Dim, Shape, Numel, Item of %v = %d, %v, %d, %v", a, a.Dim(), a.Shape(), a.Numel(), a.Sum().Item())
	}
	check("Cat(0, b, b)", tensor.Cat(0, b, b), "tensor([10., 20., 10., 20.])")
	check("Stack(0, b, b)", tensor.Stack(0, b, b), "tensor([[10., 20.],\n        [10., 20.]])")

	// conversion: FromSlice shares, New copies, slices share on the CPU
	arr := []int64{1, 2, 3}
	t1 := tensor.FromSlice(arr)
	t2 := tensor.New(arr)
	arr[0] = 99
	check("FromSlice after arr[0] = 99", t1, "tensor([99,  2,  3])")
	check("New after arr[0] = 99", t2, "tensor([1, 2, 3])")
	t1.Int64s()[1] = 7
	if arr[1] != 7 {
		t.Errorf("Int64s does not share memory with the slice FromSlice took: arr = %v", arr)
	}
	panicsWith("Float32s of a tensor that requires grad", func() { g.Float32s() }, "Detach()")
	safe := g.Detach().Cpu().Float32s()
	if len(safe) != 2 || safe[0] != 1 || safe[1] != 2 {
		t.Errorf("Detach().Cpu().Float32s() = %v, want [1 2]", safe)
	}
}
