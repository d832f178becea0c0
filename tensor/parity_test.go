package tensor_test

import (
	"math"
	"testing"

	"github.com/gorch/gorch/tensor"
	"gonum.org/v1/gonum/mat"
)

// TestErrorsLikePyTorch checks misuse that PyTorch refuses: each panics
// with a *tensor.Error carrying PyTorch's message, never with a Go runtime
// error nor by computing something else.
func TestErrorsLikePyTorch(t *testing.T) {
	tests := []struct {
		name, want string
		f          func()
	}{
		// nil arguments
		{"FromDense nil", "FromDense: the *mat.Dense is nil", func() { tensor.FromDense(nil) }},
		{"RandLike nil", "nil tensor in RandLike", func() { tensor.RandLike(nil) }},
		{"RandnLike nil", "nil tensor in RandnLike", func() { tensor.RandnLike(nil) }},

		// sizes and ranges
		{"Arange NaN", "unsupported range: 0 -> NaN", func() { tensor.Arange(math.NaN()) }},
		{"Arange +Inf", "unsupported range: 0 -> +Inf", func() { tensor.Arange(math.Inf(1)) }},
		{"Arange -Inf start", "unsupported range: -Inf -> 0", func() { tensor.Arange(math.Inf(-1), 0) }},
		{"Arange NaN step", "unsupported range", func() { tensor.Arange(0, 1, math.NaN()) }},
		{"Arange 1e30", "invalid size, possible overflow?", func() { tensor.Arange(1e30) }},
		{"Arange past memory", "DefaultCPUAllocator: can't allocate memory: you tried to allocate 4000000000000000000 bytes.", func() { tensor.Arange(1e18) }},
		{"Ones 1<<62", "you tried to allocate 18446744073709551616 bytes", func() { tensor.Ones(1 << 62) }},
		{"Empty 2^31 x 2^31", "you tried to allocate 18446744073709551616 bytes", func() { tensor.Empty(1<<31, 1<<31) }},
		{"Zeros past memory", "you tried to allocate 4398046511104 bytes", func() { tensor.Zeros(1 << 40) }},
		{"Rand past memory", "can't allocate memory", func() { tensor.Rand(1<<30, 1<<30) }},
		{"RandInt past memory", "can't allocate memory", func() { tensor.RandInt(0, 2, 1<<30, 1<<30) }},
		{"Linspace past memory", "can't allocate memory", func() { tensor.Linspace(0, 1, 1<<60) }},
		{"Eye 1<<40", "Storage size calculation overflowed with sizes=[1099511627776, 1099511627776]", func() { tensor.Eye(1 << 40) }},
		{"Zeros count overflow", "Storage size calculation overflowed", func() { tensor.Zeros(1<<40, 1<<40) }},
		{"Full count overflow", "Storage size calculation overflowed", func() { tensor.Full([]int{1 << 40, 1 << 40}, 1) }},
		{"Randn count overflow", "Storage size calculation overflowed", func() { tensor.Randn(1<<32, 1<<32) }},
		{"Reshape count overflow", "Storage size calculation overflowed", func() { tensor.Zeros(0).Reshape(1<<40, 1<<40, 0, -1) }},
		{"Expand count overflow", "Storage size calculation overflowed", func() { tensor.Zeros(1).Expand(1<<40, 1<<40) }},
		{"negative size", "Trying to create tensor with negative dimension -1: [2, -1]", func() { tensor.Zeros(2, -1) }},

		// dtypes
		{"integer to negative power", "Integers to negative integer powers are not allowed.", func() { tensor.Arange(3).Pow(-1) }},
		{"integer to negative power in place", "Integers to negative integer powers are not allowed.", func() { tensor.Arange(3).Pow_(-2) }},
		{"RandLike Int64", `"check_uniform_bounds" not implemented for 'Long'`, func() { tensor.RandLike(tensor.Arange(3)) }},
		{"RandLike Bool", `"check_uniform_bounds" not implemented for 'Bool'`, func() { tensor.RandLike(tensor.New([]bool{true})) }},
		{"RandnLike Int32", `"normal_kernel_cpu" not implemented for 'Int'`, func() { tensor.RandnLike(tensor.Arange(3).To(tensor.Int32)) }},
		{"Abs Bool", `"abs_cpu" not implemented for 'Bool'`, func() { tensor.New([]bool{true}).Abs() }},
		{"Abs_ Bool", `"abs_cpu" not implemented for 'Bool'`, func() { tensor.New([]bool{true}).Abs_() }},
		{"ReLU Bool", "Boolean inputs not supported for relu", func() { tensor.New([]bool{true}).ReLU() }},
		{"Bool minus a number", "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.", func() { tensor.New([]bool{true}).Sub(1) }},
		{"Int64 minus a Bool", "with a bool tensor is not supported", func() { tensor.Arange(2).Sub(tensor.New([]bool{true, false})) }},
		{"Bool minus a Bool", "with two bool tensors is not supported", func() { tensor.New([]bool{true}).Sub(tensor.New([]bool{true})) }},
		{"Fill_ with a 1-D tensor", "fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions.", func() { tensor.Zeros(3).Fill_(tensor.New([]float32{2})) }},
		{"uint64 past Int64", "Overflow when unpacking long", func() { tensor.Arange(3).Add(uint64(1 << 63)) }},
		{"uint past Int64", "Overflow when unpacking long", func() { tensor.Zeros(3).Mul(uint(math.MaxUint)) }},

		// reductions over nothing name the function and the dim
		{"MaxDim of an empty dim", "max(): Expected reduction dim 1 to have non-zero size.", func() { tensor.Zeros(2, 0).MaxDim(1, false) }},
		{"MinDim of an empty dim", "min(): Expected reduction dim 0 to have non-zero size.", func() { tensor.Zeros(0, 2).MinDim(0, false) }},
		{"Min along an empty dim", "min(): Expected reduction dim 0 to have non-zero size.", func() { tensor.Zeros(0, 2).Min(-2) }},
		{"Min of nothing", "min(): Expected reduction dim to be specified for input.numel() == 0.", func() { tensor.Zeros(0).Min() }},
		{"Argmax of nothing", "argmax(): Expected reduction dim to be specified for input.numel() == 0.", func() { tensor.Zeros(0).Argmax() }},
		{"Argmin along an empty dim", "argmin(): Expected reduction dim 0 to have non-zero size.", func() { tensor.Zeros(0, 2).Argmin(0) }},
		{"ArgmaxDim along an empty dim", "argmax(): Expected reduction dim 1 to have non-zero size.", func() { tensor.Zeros(2, 0).ArgmaxDim(-1, true) }},

		// extra variadic arguments
		{"Flatten with three dims", "Flatten takes at most start_dim and end_dim, got 3 dims", func() { tensor.Zeros(2, 2, 2).Flatten(0, 1, 2) }},
		{"Norm with two orders", "Norm takes at most one order p, got 2 values", func() { tensor.Zeros(2).Norm(1, 2) }},
		{"S with two steps", "S takes start, stop and at most one step, got 2 steps", func() { tensor.S(0, 2, 1, 2) }},
		{"Eye with three sizes", "Eye takes n and at most one more size m, got 3 sizes", func() { tensor.Eye(2, 2, 2) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { panics(t, tt.want, tt.f) })
	}
}

// TestEdgeArgumentsAccepted checks arguments at the edges that PyTorch
// accepts and this package once refused with a runtime panic (RandInt's
// also left the generator locked, hanging every later random tensor).
func TestEdgeArgumentsAccepted(t *testing.T) {
	tests := []struct {
		name, want string
		f          func() string
	}{
		{"New with a nil option", "[1 2] Int64", func() string {
			x := tensor.New([]int{1, 2}, nil)
			return vals(x) + " " + x.Dtype().String()
		}},
		{"New with a nil option among others", "[1 2] Float64", func() string {
			x := tensor.New([]int{1, 2}, nil, tensor.WithDtype(tensor.Float64))
			return vals(x) + " " + x.Dtype().String()
		}},
		{"RandInt over the whole Int64 range", "[1000] then [2]", func() string {
			x := tensor.RandInt(math.MinInt64, math.MaxInt64, 1000)
			if x.Min().ItemInt() >= 0 || x.Max().ItemInt() < 0 {
				return "all of one sign: " + x.String()
			}
			return shapeOf(x) + " then " + shapeOf(tensor.Rand(2))
		}},
		{"zero-size dims never overflow", "[0 1099511627776 1099511627776]", func() string {
			return shapeOf(tensor.Zeros(0, 1<<40, 1<<40))
		}},
		{"empty FromDense", "[0 0]", func() string { return shapeOf(tensor.FromDense(&mat.Dense{})) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			if err := tensor.Try(func() { got = tt.f() }); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestNonFloatResultsDoNotRequireGrad checks that a conversion or copy to
// an integer or Bool dtype leaves the graph, as in PyTorch: no gradient
// can be held in such a tensor.
func TestNonFloatResultsDoNotRequireGrad(t *testing.T) {
	a := func() *tensor.Tensor { return tensor.New([]float32{1, 2, 3}, tensor.RequiresGrad()) }
	tests := []struct {
		name     string
		f        func() *tensor.Tensor
		requires bool
	}{
		{"To Int64", func() *tensor.Tensor { return a().To(tensor.Int64) }, false},
		{"To Bool", func() *tensor.Tensor { return a().To(tensor.Bool) }, false},
		{"Long", func() *tensor.Tensor { return a().Long() }, false},
		{"To Float64", func() *tensor.Tensor { return a().To(tensor.Float64) }, true},
		{"Copy_ into Int64", func() *tensor.Tensor { return tensor.Zeros(3).To(tensor.Int64).Copy_(a()) }, false},
		{"Copy_ into Float64", func() *tensor.Tensor { return tensor.Zeros(3).Double().Copy_(a()) }, true},
		{"Fill_ an Int32 with a tensor", func() *tensor.Tensor { return tensor.Zeros(3).To(tensor.Int32).Fill_(a().Sum()) }, false},
		{"Gt_ on an Int64 by a tensor", func() *tensor.Tensor { return tensor.Arange(3).Gt_(a()) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := tt.f()
			if x.RequiresGrad() != tt.requires || (x.GradFn() != nil) != tt.requires {
				t.Errorf("%v: requires grad %v, want %v", x, x.RequiresGrad(), tt.requires)
			}
		})
	}
}

// TestInplaceComparisonHistory checks PyTorch's example: an in-place
// comparison on a tensor in a graph replaces its history by one whose
// gradient is zero.
func TestInplaceComparisonHistory(t *testing.T) {
	tests := []struct {
		name, gradFn, values, grad string
		f                          func(a *tensor.Tensor) *tensor.Tensor
	}{
		{"Gt_ by a number", "GtBackward0", "[0 1 1]", "[0 0 0]", func(a *tensor.Tensor) *tensor.Tensor { return a.Mul(1).Gt_(1.5) }},
		{"Eq_ by a tensor", "EqBackward1", "[0 1 0]", "[0 0 0]", func(a *tensor.Tensor) *tensor.Tensor { return a.Mul(1).Eq_(tensor.New([]float32{0, 2, 0})) }},
		{"Ne_", "NeBackward0", "[1 0 1]", "[0 0 0]", func(a *tensor.Tensor) *tensor.Tensor { return a.Mul(1).Ne_(2) }},
		{"Lt_", "LtBackward0", "[1 0 0]", "[0 0 0]", func(a *tensor.Tensor) *tensor.Tensor { return a.Mul(1).Lt_(2) }},
		{"Le_", "LeBackward0", "[1 1 0]", "[0 0 0]", func(a *tensor.Tensor) *tensor.Tensor { return a.Mul(1).Le_(2) }},
		{"Ge_ through Narrow", "CopySlices", "[0 1 3]", "[0 0 1]", func(a *tensor.Tensor) *tensor.Tensor {
			b := a.Mul(1)
			b.Narrow(0, 0, 2).Ge_(1.5)
			return b
		}},
		{"Gt_ of a constant by a tensor in a graph", "GtBackward1", "[0 0 1]", "[0 0 0]", func(a *tensor.Tensor) *tensor.Tensor {
			return tensor.New([]float32{0, 0, 9}).Gt_(a)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tensor.New([]float32{1, 2, 3}, tensor.RequiresGrad())
			b := tt.f(a)
			if fn := b.GradFn(); fn == nil || fn.Name() != tt.gradFn {
				t.Errorf("grad_fn %v, want %s", fn, tt.gradFn)
			}
			if vals(b.Detach()) != tt.values {
				t.Errorf("values %s, want %s", vals(b.Detach()), tt.values)
			}
			b.Sum().Backward()
			if a.Grad() == nil || vals(a.Grad()) != tt.grad {
				t.Errorf("gradient %v, want %s", a.Grad(), tt.grad)
			}
		})
	}
}

// TestGradFnNames checks the names of the operations that are compositions
// here but single operations in PyTorch.
func TestGradFnNames(t *testing.T) {
	x := func(shape ...int) *tensor.Tensor { return tensor.Randn(shape...).RequiresGrad_(true) }
	tests := []struct {
		want string
		f    func() *tensor.Tensor
	}{
		{"MvBackward0", func() *tensor.Tensor { return x(2, 3).MatMul(tensor.Randn(3)) }},
		{"SplitBackward0", func() *tensor.Tensor { return x(4).Split(2, 0)[1] }},
		{"SplitBackward0", func() *tensor.Tensor { return x(2, 5).Chunk(2, 1)[0] }},
		{"MaskedSelectBackward0", func() *tensor.Tensor { a := x(4); return a.MaskedSelect(a.Gt(0)) }},
		{"ClampBackward1", func() *tensor.Tensor { return x(3).Clamp(-1, 1) }},
		{"ClampBackward0", func() *tensor.Tensor { return x(3).Clamp(tensor.Zeros(3), nil) }},
		{"ClampBackward0", func() *tensor.Tensor { return tensor.Randn(3).Clamp(nil, x(3)) }},
		{"SliceBackward0", func() *tensor.Tensor { return x(4).Narrow(0, 1, 2) }},
		{"IndexSelectBackward0", func() *tensor.Tensor { return x(4).IndexSelect(0, tensor.New([]int{1})) }},
		{"SqueezeBackward1", func() *tensor.Tensor { return x(1, 3).Squeeze(0) }},
	}
	for _, tt := range tests {
		if fn := tt.f().GradFn(); fn == nil || fn.Name() != tt.want {
			t.Errorf("grad_fn %v, want %s", fn, tt.want)
		}
	}
}

// TestNormZero checks the 0-"norm", the number of nonzero elements, whose
// gradient PyTorch leaves undefined.
func TestNormZero(t *testing.T) {
	a := tensor.New([]float64{1, 0, -3, 0.5}, tensor.RequiresGrad())
	tests := []struct {
		name, want string
		f          func() *tensor.Tensor
	}{
		{"all", "3", func() *tensor.Tensor { return a.Norm(0) }},
		{"along a dim", "[1 2]", func() *tensor.Tensor { return a.Reshape(2, 2).NormDim(0, 1, false) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a.SetGrad(nil)
			y := tt.f()
			if vals(y.Detach()) != tt.want || y.Dtype() != tensor.Float64 {
				t.Errorf("got %v, want %s", y, tt.want)
			}
			y.Sum().Backward()
			if a.Grad() != nil {
				t.Errorf("gradient %v, want none, as PyTorch", a.Grad())
			}
		})
	}
}
