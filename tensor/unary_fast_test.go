package tensor

import (
	"math"
	"testing"
)

// unaryOps lists every unary operation with its name, for the tests.
var unaryOps = []struct {
	name string
	op   unaryOp
}{
	{"neg", opNeg}, {"abs", opAbs}, {"sign", opSign}, {"relu", opReLU}, {"exp", opExp}, {"log", opLog},
	{"sqrt", opSqrt}, {"sin", opSin}, {"cos", opCos}, {"tanh", opTanh}, {"sigmoid", opSigmoid},
}

// specials are the inputs where element functions most often disagree.
var specials = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -2.5, 30, -30, 1e-30, math.Inf(1), math.Inf(-1), math.NaN()}

// TestUnaryFastPathMatchesTheGenericKernel runs every unary operation on a
// contiguous tensor (the fast loops) and on a transposed one (the generic
// kernel, unaryT) and requires identical bits, for both float dtypes.
func TestUnaryFastPathMatchesTheGenericKernel(t *testing.T) {
	vals := append(append([]float64{}, specials...), specials...) // 24 values: a 4×6 matrix
	for _, dt := range []Dtype{Float32, Float64} {
		x := New(vals).To(dt).Reshape(4, 6)
		xt := x.T().Contiguous().T() // same values, column-major
		for _, u := range unaryOps {
			if !unaryFast(u.op, ZerosLike(x).view(), x.view()) {
				t.Errorf("%s %s: no fast path for a contiguous tensor", dt, u.name)
			}
			if unaryFast(u.op, ZerosLike(x).view(), xt.view()) {
				t.Errorf("%s %s: the fast path took a transposed tensor", dt, u.name)
			}
			fast, generic := unary(u.op, x), unary(u.op, xt)
			for i, v := range vals {
				f, g := fast.Reshape(-1).Select(0, i).Item(), generic.Contiguous().Reshape(-1).Select(0, i).Item()
				if math.Float64bits(f) != math.Float64bits(g) && !(math.IsNaN(f) && math.IsNaN(g)) {
					t.Errorf("%s %s(%v): fast path %v, generic kernel %v", dt, u.name, v, f, g)
				}
			}
		}
	}
}

// TestReluBackward checks the fused ReLU gradient against its definition,
// g where y > 0 and 0 elsewhere (NaN in y counts as not positive), on the
// fused path and the fallback.
func TestReluBackward(t *testing.T) {
	y := New([]float64{2, 0, -1, math.NaN(), 3, 1e-30})
	g := New([]float64{1, 2, 3, 4, math.NaN(), 6})
	want := []float64{1, 0, 0, 0, math.NaN(), 6}
	for _, tc := range []struct {
		name string
		g, y *Tensor
	}{
		{"contiguous", g, y},
		{"strided", Stack(1, g, g).Select(1, 0), y},
		{"Float32", g.To(Float32), y.To(Float32)},
	} {
		got := reluBackward(tc.g, tc.y).To(Float64).Float64s()
		for i := range want {
			if got[i] != want[i] && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
				t.Errorf("%s: gradient %v, want %v", tc.name, got, want)
				break
			}
		}
	}
}
