package tensor_test

import (
	"math/rand/v2"
	"testing"

	"github.com/gorch/gorch/tensor"
)

// naiveMatMul multiplies the matrices at the last two dims of a and b
// (already of the same batch shape, flattened to [B, m, k] and [B, k, n]).
func naiveMatMul(a, b [][][]float64) [][][]float64 {
	out := make([][][]float64, len(a))
	for i := range a {
		m, k, n := len(a[i]), len(b[i]), len(b[i][0])
		out[i] = make([][]float64, m)
		for r := range m {
			out[i][r] = make([]float64, n)
			for c := range n {
				for p := range k {
					out[i][r][c] += a[i][r][p] * b[i][p][c]
				}
			}
		}
	}
	return out
}

// TestMatMulNaive compares MatMul of random shapes, including transposed
// and broadcast operands, with a triple loop.
func TestMatMulNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, dtype := range []tensor.Dtype{tensor.Float32, tensor.Float64, tensor.Int64} {
		for range 50 {
			m, k, n, batch := 1+r.IntN(9), 1+r.IntN(9), 1+r.IntN(9), 1+r.IntN(3)
			a := tensor.RandInt(-5, 5, batch, m, k).To(dtype)
			b := tensor.RandInt(-5, 5, batch, k, n).To(dtype)
			if r.IntN(2) == 0 {
				a = a.Transpose(1, 2).Contiguous().Transpose(1, 2)
			}
			if r.IntN(2) == 0 {
				b = b.Transpose(1, 2).Contiguous().Transpose(1, 2)
			}
			want := tensor.New(naiveMatMul(toFloats3(a), toFloats3(b))).To(dtype)
			if got := a.MatMul(b); !got.AllClose(want, 1e-5, 1e-4) {
				t.Fatalf("%s %v·%v: got %v want %v", dtype, a.Shape(), b.Shape(), got, want)
			}
			if got := a.Select(0, 0).MatMul(b.Select(0, 0)); !got.AllClose(want.Select(0, 0), 1e-5, 1e-4) {
				t.Fatalf("%s 2-D %v·%v", dtype, a.Shape(), b.Shape())
			}
			// One matrix broadcast against a batch.
			if got := a.MatMul(b.Select(0, 0)).Select(0, 0); !got.AllClose(want.Select(0, 0), 1e-5, 1e-4) {
				t.Fatalf("%s batch·matrix %v·%v", dtype, a.Shape(), b.Shape())
			}
			if got := a.Select(0, 0).MatMul(b).Select(0, 0); !got.AllClose(want.Select(0, 0), 1e-5, 1e-4) {
				t.Fatalf("%s matrix·batch %v·%v", dtype, a.Shape(), b.Shape())
			}
		}
	}
}

func toFloats3(x *tensor.Tensor) [][][]float64 {
	return x.Double().ToSlice().([][][]float64)
}

func TestMatMulShapes(t *testing.T) {
	tests := []struct {
		a, b []int
		want string
	}{
		{[]int{3}, []int{3}, "[]"},
		{[]int{2, 3}, []int{3}, "[2]"},
		{[]int{3}, []int{3, 4}, "[4]"},
		{[]int{2, 3}, []int{3, 4}, "[2 4]"},
		{[]int{5, 2, 3}, []int{3, 4}, "[5 2 4]"},
		{[]int{5, 2, 3}, []int{3}, "[5 2]"},
		{[]int{3}, []int{5, 3, 4}, "[5 4]"},
		{[]int{2, 1, 2, 3}, []int{5, 3, 4}, "[2 5 2 4]"},
		{[]int{0, 3}, []int{3, 4}, "[0 4]"},
		{[]int{2, 0}, []int{0, 4}, "[2 4]"},
	}
	for _, tt := range tests {
		got := tensor.Ones(tt.a...).MatMul(tensor.Ones(tt.b...))
		if shapeOf(got) != tt.want {
			t.Errorf("%v @ %v: shape %s, want %s", tt.a, tt.b, shapeOf(got), tt.want)
		}
		if k := tt.a[len(tt.a)-1]; got.Numel() > 0 && got.Max().Item() != float64(k) {
			t.Errorf("%v @ %v: values %v, want %d", tt.a, tt.b, got, k)
		}
	}
	v := tensor.New([]float32{1, 2})
	if got := vals(v.Dot(v)); got != "5" {
		t.Errorf("Dot = %s", got)
	}
	if got := vals(v.Outer(tensor.New([]float32{1, 10, 100}))); got != "[[1 10 100] [2 20 200]]" {
		t.Errorf("Outer = %s", got)
	}
	panics(t, "mat1 and mat2 shapes cannot be multiplied (3x2 and 3x2)", func() { tensor.Ones(3, 2).Mm(tensor.Ones(3, 2)) })
	panics(t, "size mismatch, got 3, 3x2,3", func() { tensor.Ones(3, 2).MatMul(tensor.Ones(3)) })
	panics(t, "both arguments to matmul need to be at least 1D", func() { tensor.Ones().MatMul(tensor.Ones(2)) })
	panics(t, "inconsistent tensor size", func() { tensor.Ones(2).Dot(tensor.Ones(3)) })
	panics(t, "expected m1 and m2 to have the same dtype, but got: Float32 != Float64", func() { tensor.Ones(2, 2).Mm(tensor.Ones(2, 2).Double()) })
	panics(t, "batch1 and batch2 must be 3D tensors", func() { tensor.Ones(2, 2).Bmm(tensor.Ones(2, 2)) })
	panics(t, "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 2].", func() { tensor.Ones(2, 2, 3).Bmm(tensor.Ones(2, 2, 3)) })
	panics(t, "matrix multiplication is not implemented for Bool", func() { tensor.Ones(2, 2).Gt(0).Mm(tensor.Ones(2, 2).Gt(0)) })
}
