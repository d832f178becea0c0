package tensor_test

import (
	"testing"

	"github.com/gorch/gorch/tensor"
)

func TestInplace(t *testing.T) {
	f := func() *tensor.Tensor { return tensor.New([]float32{-1, 0.25, 4}) }
	i := func() *tensor.Tensor { return tensor.New([]int{-1, 2, 3}) }
	tests := []struct {
		name string
		x    *tensor.Tensor
		want string
	}{
		{"Add_", f().Add_(1), "[0 1.25 5]"},
		{"Add_Broadcast", tensor.Zeros(2, 2).Add_(tensor.New([]float32{1, 2})), "[[1 2] [1 2]]"},
		{"Sub_", f().Sub_(f()), "[0 0 0]"},
		{"Mul_", f().Mul_(2), "[-2 0.5 8]"},
		{"Div_", f().Div_(2), "[-0.5 0.125 2]"},
		{"Pow_", f().Pow_(2), "[1 0.0625 16]"},
		{"Neg_", f().Neg_(), "[1 -0.25 -4]"},
		{"Abs_", f().Abs_(), "[1 0.25 4]"},
		{"Sqrt_", f().Abs_().Sqrt_(), "[1 0.5 2]"},
		{"Exp_Log_", f().Abs_().Log_().Exp_(), "[1 0.25 4]"},
		{"ReLU_", f().ReLU_(), "[0 0.25 4]"},
		{"Clamp_", f().Clamp_(0, 1), "[0 0.25 1]"},
		{"Maximum_", f().Maximum_(0.5), "[0.5 0.5 4]"},
		{"Minimum_", f().Minimum_(0.5), "[-1 0.25 0.5]"},
		{"Tanh_", tensor.Zeros(1).Tanh_(), "[0]"},
		{"Sigmoid_", tensor.Zeros(1).Sigmoid_(), "[0.5]"},
		{"Sin_", tensor.Zeros(1).Sin_(), "[0]"},
		{"Cos_", tensor.Zeros(1).Cos_(), "[1]"},
		{"Zero_", f().Zero_(), "[0 0 0]"},
		{"Fill_", i().Fill_(2.7), "[2 2 2]"},
		{"Copy_", i().Copy_(tensor.New([]float64{1.9})), "[1 1 1]"},
		{"IntAdd_", i().Add_(i()), "[-2 4 6]"},
		{"IntMul_Float64Scalar", i().Mul_(int64(3)), "[-3 6 9]"},
		{"Gt_", f().Gt_(0), "[0 1 1]"},
		{"Eq_", i().Eq_(2), "[0 1 0]"},
		{"Ne_", i().Ne_(2), "[1 0 1]"},
		{"Lt_", i().Lt_(2), "[1 0 0]"},
		{"Le_", i().Le_(2), "[1 1 0]"},
		{"Ge_", i().Ge_(2), "[0 1 1]"},
		{"F32Add_F64", f().Add_(tensor.New([]float64{1, 1, 1})), "[0 1.25 5]"},
		{"BoolAdd_", tensor.New([]bool{false, true}).Add_(true), "[true true]"},
	}
	for _, tt := range tests {
		if vals(tt.x) != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, vals(tt.x), tt.want)
		}
	}
}

func TestInplaceErrors(t *testing.T) {
	leaf := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	tests := []struct {
		want string
		f    func()
	}{
		{"a leaf Variable that requires grad is being used in an in-place operation.", func() { leaf.Add_(1) }},
		{"a leaf Variable that requires grad is being used in an in-place operation.", func() { leaf.Zero_() }},
		{"a view of a leaf Variable that requires grad is being used in an in-place operation.", func() { leaf.Select(0, 0).Mul_(2) }},
		{"result type Float32 can't be cast to the desired output type Int64", func() { tensor.Arange(2).Add_(2.5) }},
		{"result type Float32 can't be cast to the desired output type Int64", func() { tensor.Arange(2).Div_(2) }},
		{"result type Float32 can't be cast to the desired output type Int64", func() { tensor.Arange(2).Exp_() }},
		{"result type Int64 can't be cast to the desired output type Bool", func() { tensor.New([]bool{true}).Add_(2) }},
		{"output with shape [3] doesn't match the broadcast shape [2, 3]", func() { tensor.Ones(3).Add_(tensor.Ones(2, 3)) }},
		{"The size of tensor a (3) must match the size of tensor b (2)", func() { tensor.Ones(3).Copy_(tensor.Ones(2)) }},
	}
	for _, tt := range tests {
		panics(t, tt.want, tt.f)
	}
	// Under NoGrad a leaf may be updated in place: the optimizer's step.
	tensor.NoGrad(func() { leaf.Sub_(leaf.Mul(0.5)) })
	if vals(leaf.Detach()) != "[0.5 1]" {
		t.Errorf("NoGrad update = %s", vals(leaf.Detach()))
	}
}
