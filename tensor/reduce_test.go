package tensor_test

import (
	"math"
	"runtime"
	"testing"

	"github.com/gorch/gorch/tensor"
)

func TestReductions(t *testing.T) {
	m := tensor.New([][]float64{{1, 5, 3}, {4, 2, 6}})
	tests := []struct {
		name  string
		x     *tensor.Tensor
		shape string
		want  []float64
	}{
		{"Sum", m.Sum(), "[]", []float64{21}},
		{"Sum0", m.Sum(0), "[3]", []float64{5, 7, 9}},
		{"Sum1", m.Sum(1), "[2]", []float64{9, 12}},
		{"SumBoth", m.Sum(0, 1), "[]", []float64{21}},
		{"SumNeg", m.Sum(-1), "[2]", []float64{9, 12}},
		{"SumDimKeep", m.SumDim(1, true), "[2 1]", []float64{9, 12}},
		{"SumDimKeep0", m.SumDim(0, true), "[1 3]", []float64{5, 7, 9}},
		{"Mean", m.Mean(), "[]", []float64{3.5}},
		{"Mean0", m.Mean(0), "[3]", []float64{2.5, 3.5, 4.5}},
		{"MeanDimKeep", m.MeanDim(1, true), "[2 1]", []float64{3, 4}},
		{"Prod", m.Prod(), "[]", []float64{720}},
		{"ProdDim", m.ProdDim(0, false), "[3]", []float64{4, 10, 18}},
		{"Max", m.Max(), "[]", []float64{6}},
		{"Max1", m.Max(1), "[2]", []float64{5, 6}},
		{"Min", m.Min(), "[]", []float64{1}},
		{"Min0", m.Min(0), "[3]", []float64{1, 2, 3}},
		{"Var", m.Var(), "[]", []float64{3.5}},
		{"Var1", m.Var(1), "[2]", []float64{4, 4}},
		{"Std0", m.Std(0), "[3]", []float64{math.Sqrt(4.5), math.Sqrt(4.5), math.Sqrt(4.5)}},
		{"StdDimKeep", m.StdDim(1, true), "[2 1]", []float64{2, 2}},
		{"VarDim", m.VarDim(0, false), "[3]", []float64{4.5, 4.5, 4.5}},
		{"VarPopulation", m.VarCorrection(0, false, 1), "[2]", []float64{8.0 / 3, 8.0 / 3}},
		{"VarCorrectionKeep", m.VarCorrection(1, true, 0), "[1 3]", []float64{4.5, 4.5, 4.5}},
		{"VarCorrectionTooBig", m.VarCorrection(2, false, 0), "[3]", []float64{math.Inf(1), math.Inf(1), math.Inf(1)}},
		{"StdPopulation", m.StdCorrection(0, true), "[1 1]", []float64{math.Sqrt(17.5 / 6)}},
		{"Norm", m.Norm(), "[]", []float64{math.Sqrt(91)}},
		{"Norm1", m.Norm(1), "[]", []float64{21}},
		{"NormInf", m.Norm(math.Inf(1)), "[]", []float64{6}},
		{"Norm3", m.Norm(3), "[]", []float64{math.Cbrt(441)}},
		{"NormDim", m.NormDim(2, 1, false), "[2]", []float64{math.Sqrt(35), math.Sqrt(56)}},
		{"NormDim1Keep", m.NormDim(1, 0, true), "[1 3]", []float64{5, 7, 9}},
		{"NormDimInf", m.NormDim(math.Inf(1), -1, false), "[2]", []float64{5, 6}},
		{"Softmax", tensor.New([]float64{0, math.Log(3)}).Softmax(0), "[2]", []float64{0.25, 0.75}},
		{"LogSoftmax", tensor.New([]float64{0, math.Log(3)}).LogSoftmax(-1), "[2]", []float64{math.Log(0.25), math.Log(0.75)}},
		{"SoftmaxDim0", m.Softmax(0).Sum(0), "[3]", []float64{1, 1, 1}},
		{"SoftmaxHuge", tensor.New([]float32{1000, 1000}).Softmax(0).Double(), "[2]", []float64{0.5, 0.5}},
		{"LogSoftmaxHuge", tensor.New([]float32{0, 1000}).LogSoftmax(0).Double(), "[2]", []float64{-1000, 0}},
		{"SumEmpty", tensor.Zeros(0).Sum().Double(), "[]", []float64{0}},
		{"ProdEmpty", tensor.Zeros(0).Prod().Double(), "[]", []float64{1}},
		{"Sum3d", tensor.Arange(24).Reshape(2, 3, 4).Sum(0, 2).Double(), "[3]", []float64{60, 92, 124}},
		{"SumTransposed", tensor.Arange(6).Reshape(2, 3).T().Sum(1).Double(), "[3]", []float64{3, 5, 7}},
		// Views that start past their storage's first element.
		{"SumNarrowed", tensor.Arange(10).Narrow(0, 5, 5).Sum().Double(), "[]", []float64{35}},
		{"SumNarrowedFloat", tensor.Arange(10).Double().Narrow(0, 5, 5).Sum(), "[]", []float64{35}},
		{"SumRowsNarrowed", tensor.Arange(12).Float().Reshape(4, 3).Narrow(0, 2, 2).Sum(1).Double(), "[2]", []float64{21, 30}},
		{"MaxNarrowed", tensor.Arange(10).Narrow(0, 5, 5).Max().Double(), "[]", []float64{9}},
		{"SumTransposedAll", tensor.Arange(6).Float().Reshape(2, 3).T().Sum().Double(), "[]", []float64{15}},
		{"MaxPermuted", tensor.Arange(24).Reshape(2, 3, 4).Permute(2, 0, 1).Max().Double(), "[]", []float64{23}},
		{"SumStrided", tensor.Arange(12).Reshape(3, 4).Slice(tensor.All(), tensor.S(0, tensor.End, 2)).Sum().Double(), "[]", []float64{30}},
		{"SoftmaxNarrowed", tensor.New([]float64{5, 0, math.Log(3)}).Narrow(0, 1, 2).Softmax(0), "[2]", []float64{0.25, 0.75}},
	}
	for _, tt := range tests {
		if shapeOf(tt.x) != tt.shape || !tt.x.Reshape(-1).AllClose(tensor.New(tt.want)) {
			t.Errorf("%s = %s %v, want %s %v", tt.name, shapeOf(tt.x), tt.x.ToSlice(), tt.shape, tt.want)
		}
	}
}

func TestArgReductions(t *testing.T) {
	m := tensor.New([][]float32{{1, 5, 5}, {7, 2, 7}})
	vals1, idx1 := m.MaxDim(1, false)
	minv, mini := m.MinDim(0, true)
	tests := []struct {
		name string
		x    *tensor.Tensor
		want string
	}{
		{"Argmax", m.Argmax(), "3"},
		{"Argmin", m.Argmin(), "0"},
		{"Argmax1", m.Argmax(1), "[1 0]"},
		{"ArgmaxDimKeep", m.ArgmaxDim(0, true), "[[1 0 1]]"},
		{"ArgminDim", m.ArgminDim(1, false), "[0 1]"},
		{"MaxDimValues", vals1, "[5 7]"},
		{"MaxDimIndices", idx1, "[1 0]"},
		{"MinDimValues", minv, "[[1 2 5]]"},
		{"MinDimIndices", mini, "[[0 1 0]]"},
		{"NaNWins", tensor.New([]float64{1, math.NaN(), 3}).Argmax(), "1"},
		{"IntMax", tensor.New([]int{3, -1, 9}).Max(), "9"},
		{"BoolMax", tensor.New([]bool{false, true}).Max(), "true"},
	}
	for _, tt := range tests {
		if vals(tt.x) != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, vals(tt.x), tt.want)
		}
	}
	if idx1.Dtype() != tensor.Int64 {
		t.Errorf("indices dtype %s", idx1.Dtype())
	}
	if !math.IsNaN(tensor.New([]float64{1, math.NaN()}).Max().Item()) {
		t.Error("Max does not propagate NaN")
	}
}

func TestReductionErrors(t *testing.T) {
	panics(t, "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Int64", func() { tensor.Arange(3).Mean() })
	panics(t, "std and var only support floating point", func() { tensor.Arange(3).Std() })
	panics(t, "Expected reduction dim to be specified for input.numel() == 0", func() { tensor.Zeros(0).Max() })
	panics(t, "dim 0 appears multiple times in the list of dims", func() { tensor.Zeros(2, 2).Sum(0, -2) })
	panics(t, "Dimension out of range (expected to be in range of [-1, 0], but got 1)", func() { tensor.Zeros(2).Softmax(1) })
	panics(t, "Expected a floating point or complex tensor as input. Got Int64", func() { tensor.Arange(2).Norm() })
}

// TestFloat32SumAccuracy sums a million copies of 0.1 along every kind of
// dim. Adding them one by one in float32 is off by 1% (105891.84); PyTorch's
// cascade sum is within 1e-6, and so must these be.
func TestFloat32SumAccuracy(t *testing.T) {
	const n = 1 << 20
	want := float64(float32(0.1)) * n
	tests := []struct {
		name string
		sum  *tensor.Tensor
	}{
		{"all", tensor.Full([]int{n}, 0.1).Sum()},
		{"rows", tensor.Full([]int{2, n}, 0.1).Sum(1)},
		{"columns", tensor.Full([]int{n, 2}, 0.1).Sum(0)},
		{"columns of a plane", tensor.Full([]int{2, n, 3}, 0.1).Sum(1)},
		{"mean", tensor.Full([]int{n, 2}, 0.1).Mean(0).Mul(n)},
	}
	for _, tt := range tests {
		for _, got := range tt.sum.Double().Reshape(-1).Float64s() {
			if math.Abs(got-want) > 1e-6*want {
				t.Errorf("%s: sum of %d × 0.1 = %v, want %v", tt.name, n, got, want)
			}
		}
	}
}

// TestSumSameOnAnyCores checks that a sum long enough to be split over the
// cores gives the same bits on one.
func TestSumSameOnAnyCores(t *testing.T) {
	x := tensor.Randn(1<<20 + 123)
	all := x.Sum().Item()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if one := x.Sum().Item(); one != all {
		t.Errorf("sum on one core %v, on all %v", one, all)
	}
}
