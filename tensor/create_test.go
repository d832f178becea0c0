package tensor_test

import (
	"testing"

	"github.com/gorch/gorch/tensor"
)

func TestNew(t *testing.T) {
	tests := []struct {
		data  any
		dtype tensor.Dtype
		shape string
		vals  string
	}{
		{[]int{1, 2, 3}, tensor.Int64, "[3]", "[1 2 3]"},
		{[][]float32{{1, 2}, {3, 4}}, tensor.Float32, "[2 2]", "[[1 2] [3 4]]"},
		{[]float64{0.5}, tensor.Float64, "[1]", "[0.5]"},
		{[]bool{true, false}, tensor.Bool, "[2]", "[true false]"},
		{[]int32{7}, tensor.Int32, "[1]", "[7]"},
		{[]uint8{255}, tensor.Uint8, "[1]", "[255]"},
		{[]int64{-1}, tensor.Int64, "[1]", "[-1]"},
		{[2][3]int{{1, 2, 3}, {4, 5, 6}}, tensor.Int64, "[2 3]", "[[1 2 3] [4 5 6]]"},
		{[][][]int8{{{1}, {2}}}, tensor.Int64, "[1 2 1]", "[[[1] [2]]]"},
		{3.5, tensor.Float64, "[]", "3.5"},
		{7, tensor.Int64, "[]", "7"},
		{true, tensor.Bool, "[]", "true"},
		{[]float32{}, tensor.Float32, "[0]", "[]"},
		{[][]float32{}, tensor.Float32, "[0]", "[]"},
	}
	for _, tt := range tests {
		x := tensor.New(tt.data)
		if x.Dtype() != tt.dtype || shapeOf(x) != tt.shape || vals(x) != tt.vals {
			t.Errorf("New(%#v) = %s %s %s, want %s %s %s", tt.data, x.Dtype(), shapeOf(x), vals(x), tt.dtype, tt.shape, tt.vals)
		}
	}
}

func TestNewCopies(t *testing.T) {
	s := []int64{1, 2, 3}
	x := tensor.New(s)
	s[0] = 99
	if got := x.Select(0, 0).ItemInt(); got != 1 {
		t.Errorf("New shares memory: x[0] = %d", got)
	}
}

func TestNewOptions(t *testing.T) {
	x := tensor.New([]int{1, 2}, tensor.WithDtype(tensor.Float64), tensor.RequiresGrad())
	if x.Dtype() != tensor.Float64 || !x.RequiresGrad() || !x.IsLeaf() {
		t.Errorf("got %s requiresGrad=%v leaf=%v", x.Dtype(), x.RequiresGrad(), x.IsLeaf())
	}
	panics(t, "only Tensors of floating point dtype can require gradients", func() { tensor.New([]int{1}, tensor.RequiresGrad()) })
	panics(t, "CUDA is not available", func() { tensor.New([]int{1}, tensor.WithDevice("cuda")) })
}

func TestNewErrors(t *testing.T) {
	panics(t, "expected sequence of length 2 at dim 1 (got 1)", func() { tensor.New([][]int{{1, 2}, {3}}) })
	panics(t, "unsupported element type string", func() { tensor.New([]string{"a"}) })
	panics(t, "unsupported element type", func() { tensor.New(nil) })
}

func TestFromSliceShares(t *testing.T) {
	arr := []int64{1, 2, 3}
	t1 := tensor.FromSlice(arr)
	arr[0] = 99
	if vals(t1) != "[99 2 3]" {
		t.Errorf("FromSlice does not share: %s", vals(t1))
	}
	s := t1.Int64s()
	s[1] = 7
	if arr[1] != 7 {
		t.Errorf("Int64s does not share: %v", arr)
	}
	m := tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, -1)
	if shapeOf(m) != "[2 3]" {
		t.Errorf("FromSlice shape %s", shapeOf(m))
	}
	panics(t, "shape '[4, 2]' is invalid for input of size 6", func() { tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 4, 2) })
	panics(t, "use tensor.New to copy it", func() { tensor.FromSlice([]int{1}) })
	panics(t, "FromSlice needs", func() { tensor.FromSlice("x") })
}

func TestConstructors(t *testing.T) {
	tests := []struct {
		name  string
		x     *tensor.Tensor
		dtype tensor.Dtype
		vals  string
	}{
		{"Zeros", tensor.Zeros(2, 2), tensor.Float32, "[[0 0] [0 0]]"},
		{"Ones", tensor.Ones(3), tensor.Float32, "[1 1 1]"},
		{"Ones0d", tensor.Ones(), tensor.Float32, "1"},
		{"Empty", tensor.Empty(0, 2), tensor.Float32, "[]"},
		{"FullFloat", tensor.Full([]int{2, 2}, 7.0), tensor.Float32, "[[7 7] [7 7]]"},
		{"FullInt", tensor.Full([]int{2}, 7), tensor.Int64, "[7 7]"},
		{"FullBool", tensor.Full([]int{1}, true), tensor.Bool, "[true]"},
		{"Arange", tensor.Arange(5), tensor.Int64, "[0 1 2 3 4]"},
		{"ArangeStartStep", tensor.Arange(1, 10, 3), tensor.Int64, "[1 4 7]"},
		{"ArangeNeg", tensor.Arange(5, 0, -2), tensor.Int64, "[5 3 1]"},
		{"ArangeFloat", tensor.Arange(0, 1, 0.25), tensor.Float32, "[0 0.25 0.5 0.75]"},
		{"ArangeEmpty", tensor.Arange(0), tensor.Int64, "[]"},
		{"Linspace", tensor.Linspace(0, 1, 5), tensor.Float32, "[0 0.25 0.5 0.75 1]"},
		{"Linspace1", tensor.Linspace(3, 4, 1), tensor.Float32, "[3]"},
		{"Eye", tensor.Eye(2), tensor.Float32, "[[1 0] [0 1]]"},
		{"EyeRect", tensor.Eye(2, 3), tensor.Float32, "[[1 0 0] [0 1 0]]"},
		{"ZerosLike", tensor.ZerosLike(tensor.Arange(3)), tensor.Int64, "[0 0 0]"},
		{"OnesLike", tensor.OnesLike(tensor.New([]float64{5})), tensor.Float64, "[1]"},
		{"FullLike", tensor.FullLike(tensor.Arange(2), 2.7), tensor.Int64, "[2 2]"},
		{"EmptyLike", tensor.EmptyLike(tensor.Ones(1)), tensor.Float32, "[0]"},
	}
	for _, tt := range tests {
		if tt.x.Dtype() != tt.dtype || vals(tt.x) != tt.vals {
			t.Errorf("%s = %s %s, want %s %s", tt.name, tt.x.Dtype(), vals(tt.x), tt.dtype, tt.vals)
		}
	}
	panics(t, "step must be nonzero", func() { tensor.Arange(0, 1, 0) })
	panics(t, "upper bound and larger bound inconsistent with step sign", func() { tensor.Arange(0, 5, -1) })
	panics(t, "Trying to create tensor with negative dimension -1", func() { tensor.Zeros(2, -1) })
	panics(t, "Arange takes", func() { tensor.Arange() })
}

func TestRandom(t *testing.T) {
	tensor.ManualSeed(1)
	a := tensor.Rand(1000)
	tensor.ManualSeed(1)
	if b := tensor.Rand(1000); !a.Equal(b) {
		t.Error("ManualSeed does not repeat Rand")
	}
	if lo, hi := a.Min().Item(), a.Max().Item(); lo < 0 || hi >= 1 {
		t.Errorf("Rand outside [0, 1): %v %v", lo, hi)
	}
	n := tensor.Randn(10000)
	if m, s := n.Mean().Item(), n.Std().Item(); m < -0.05 || m > 0.05 || s < 0.95 || s > 1.05 {
		t.Errorf("Randn mean %v std %v", m, s)
	}
	r := tensor.RandInt(3, 6, 1000)
	if r.Dtype() != tensor.Int64 || r.Min().ItemInt() != 3 || r.Max().ItemInt() != 5 {
		t.Errorf("RandInt: %s %v..%v", r.Dtype(), r.Min().ItemInt(), r.Max().ItemInt())
	}
	if like := tensor.RandnLike(tensor.Zeros(2, 3).Double()); like.Dtype() != tensor.Float64 || shapeOf(like) != "[2 3]" {
		t.Errorf("RandnLike: %s %s", like.Dtype(), shapeOf(like))
	}
	if like := tensor.RandLike(tensor.Zeros(4)); shapeOf(like) != "[4]" {
		t.Errorf("RandLike: %s", shapeOf(like))
	}
	panics(t, "from=3 >= to=3", func() { tensor.RandInt(3, 3, 1) })
}
