package tensor_test

import (
	"math/rand/v2"
	"testing"

	"github.com/gorch/gorch/tensor"
)

func TestViews(t *testing.T) {
	m := func() *tensor.Tensor { return tensor.Arange(12).Reshape(3, 4) }
	tests := []struct {
		name       string
		x          *tensor.Tensor
		shape      string
		vals       string
		contiguous bool
	}{
		{"View", m().View(4, 3), "[4 3]", "[[0 1 2] [3 4 5] [6 7 8] [9 10 11]]", true},
		{"ViewInfer", m().View(-1), "[12]", "[0 1 2 3 4 5 6 7 8 9 10 11]", true},
		{"T", m().T(), "[4 3]", "[[0 4 8] [1 5 9] [2 6 10] [3 7 11]]", false},
		{"T1d", tensor.Arange(3).T(), "[3]", "[0 1 2]", true},
		{"Transpose", m().Reshape(3, 2, 2).Transpose(0, 2), "[2 2 3]", "[[[0 4 8] [2 6 10]] [[1 5 9] [3 7 11]]]", false},
		{"Permute", m().Reshape(3, 2, 2).Permute(1, 2, 0), "[2 2 3]", "[[[0 4 8] [1 5 9]] [[2 6 10] [3 7 11]]]", false},
		{"Unsqueeze", m().Unsqueeze(1), "[3 1 4]", "[[[0 1 2 3]] [[4 5 6 7]] [[8 9 10 11]]]", true},
		{"UnsqueezeEnd", m().Unsqueeze(-1), "[3 4 1]", "[[[0] [1] [2] [3]] [[4] [5] [6] [7]] [[8] [9] [10] [11]]]", true},
		{"Squeeze", m().Reshape(1, 3, 1, 4).Squeeze(), "[3 4]", "[[0 1 2 3] [4 5 6 7] [8 9 10 11]]", true},
		{"SqueezeDim", m().Reshape(1, 3, 1, 4).Squeeze(2), "[1 3 4]", "[[[0 1 2 3] [4 5 6 7] [8 9 10 11]]]", true},
		{"SqueezeNoop", m().Squeeze(0), "[3 4]", "[[0 1 2 3] [4 5 6 7] [8 9 10 11]]", true},
		{"Flatten", m().Reshape(3, 2, 2).Flatten(), "[12]", "[0 1 2 3 4 5 6 7 8 9 10 11]", true},
		{"FlattenRange", m().Reshape(3, 2, 2).Flatten(1, 2), "[3 4]", "[[0 1 2 3] [4 5 6 7] [8 9 10 11]]", true},
		{"Expand", tensor.Arange(3).Reshape(3, 1).Expand(3, 2), "[3 2]", "[[0 0] [1 1] [2 2]]", false},
		{"ExpandNew", tensor.Arange(2).Expand(2, -1), "[2 2]", "[[0 1] [0 1]]", false},
		{"Select", m().Select(0, 1), "[4]", "[4 5 6 7]", true},
		{"SelectNeg", m().Select(1, -1), "[3]", "[3 7 11]", false},
		{"Narrow", m().Narrow(1, 1, 2), "[3 2]", "[[1 2] [5 6] [9 10]]", false},
		{"Slice", m().Slice(tensor.S(0, 2), tensor.S(1, tensor.End, 2)), "[2 2]", "[[1 3] [5 7]]", false},
		{"SliceNeg", m().Slice(tensor.S(-1, tensor.End)), "[1 4]", "[[8 9 10 11]]", true},
		{"SliceClip", m().Slice(tensor.All(), tensor.S(2, 100)), "[3 2]", "[[2 3] [6 7] [10 11]]", false},
		{"SliceEmpty", m().Slice(tensor.S(2, 1)), "[0 4]", "[]", true},
		{"TransposeView", m().T().View(2, 2, 3), "[2 2 3]", "[[[0 4 8] [1 5 9]] [[2 6 10] [3 7 11]]]", false},
		{"ReshapeCopy", m().T().Reshape(12), "[12]", "[0 4 8 1 5 9 2 6 10 3 7 11]", true},
		{"Contiguous", m().T().Contiguous(), "[4 3]", "[[0 4 8] [1 5 9] [2 6 10] [3 7 11]]", true},
		{"Split", m().Split(3, 1)[1], "[3 1]", "[[3] [7] [11]]", false},
		{"Chunk", m().Chunk(2, 0)[1], "[1 4]", "[[8 9 10 11]]", true},
		{"Cat0", tensor.Cat(0, m(), m().Narrow(0, 0, 1)), "[4 4]", "[[0 1 2 3] [4 5 6 7] [8 9 10 11] [0 1 2 3]]", true},
		{"Cat1", tensor.Cat(-1, tensor.Ones(2, 1).Long(), tensor.Zeros(2, 2).Long()), "[2 3]", "[[1 0 0] [1 0 0]]", true},
		{"Stack", tensor.Stack(1, tensor.Arange(2), tensor.Arange(2, 4)), "[2 2]", "[[0 2] [1 3]]", true},
		{"IndexSelect", m().IndexSelect(1, tensor.New([]int{3, 0, 3})), "[3 3]", "[[3 0 3] [7 4 7] [11 8 11]]", true},
		{"MaskedSelect", m().MaskedSelect(m().Gt(8)), "[3]", "[9 10 11]", true},
		{"MaskedSelectBroadcast", m().MaskedSelect(tensor.New([]bool{true, false, false, true})), "[6]", "[0 3 4 7 8 11]", true},
	}
	for _, tt := range tests {
		if shapeOf(tt.x) != tt.shape || vals(tt.x) != tt.vals || tt.x.IsContiguous() != tt.contiguous {
			t.Errorf("%s = %s %s contiguous=%v, want %s %s %v", tt.name, shapeOf(tt.x), vals(tt.x), tt.x.IsContiguous(), tt.shape, tt.vals, tt.contiguous)
		}
	}
	if n := len(m().Split(3, 1)); n != 2 {
		t.Errorf("Split into %d parts, want 2", n)
	}
	if n := len(tensor.Arange(5).Chunk(3, 0)); n != 3 {
		t.Errorf("Chunk into %d parts, want 3", n)
	}
}

// Views share memory: writing through one changes the base.
func TestViewsShare(t *testing.T) {
	base := tensor.Zeros(3, 4)
	base.Select(0, 1).Fill_(1)
	base.Slice(tensor.All(), tensor.S(0, tensor.End, 3)).Add_(10)
	base.T().Narrow(0, 2, 1).Mul_(2)
	if got := vals(base); got != "[[10 0 0 10] [11 1 2 11] [10 0 0 10]]" {
		t.Errorf("base after writes through views = %s", got)
	}
	if base.Version() != 3 {
		t.Errorf("version %d, want 3", base.Version())
	}
	c := base.Clone()
	c.Zero_()
	if base.Sum().Item() == 0 {
		t.Error("Clone shares memory")
	}
	v := base.View(12)
	if base.Strides()[0] != 4 || v.StorageOffset() != 0 || base.Select(0, 2).StorageOffset() != 8 || base.T().Stride(0) != 1 {
		t.Errorf("strides %v", base.Strides())
	}
	if base.Size(-1) != 4 || base.Dim() != 2 || base.Numel() != 12 {
		t.Error("Size/Dim/Numel")
	}
}

func TestViewErrors(t *testing.T) {
	m := tensor.Arange(6).Reshape(2, 3)
	tests := []struct {
		want string
		f    func()
	}{
		{"shape '[3, 3]' is invalid for input of size 6", func() { m.View(3, 3) }},
		{"shape '[4, -1]' is invalid for input of size 6", func() { m.Reshape(4, -1) }},
		{"only one dimension can be inferred", func() { m.Reshape(-1, -1) }},
		{"view size is not compatible with input tensor's size and stride", func() { m.T().View(6) }},
		{"Dimension out of range (expected to be in range of [-2, 1], but got 2)", func() { m.Sum(2) }},
		{"Dimension out of range (expected to be in range of [-2, 1], but got -3)", func() { m.Transpose(0, -3) }},
		{"Dimension out of range (expected to be in range of [-3, 2], but got 3)", func() { m.Unsqueeze(3) }},
		{"index 3 is out of bounds for dimension 0 with size 2", func() { m.Select(0, 3) }},
		{"start (1) + length (3) exceeds dimension size (3).", func() { m.Narrow(1, 1, 3) }},
		{"slice step must be positive", func() { m.Slice(tensor.S(0, 1, 0)) }},
		{"too many indices for tensor of dimension 2", func() { m.Slice(tensor.All(), tensor.All(), tensor.All()) }},
		{"t() expects a tensor with <= 2 dimensions, but self is 3D", func() { m.Reshape(1, 2, 3).T() }},
		{"permute(): duplicate dims are not allowed.", func() { m.Permute(0, 0) }},
		{"does not match the length of the desired ordering", func() { m.Permute(0) }},
		{"The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1", func() { m.Expand(2, 4) }},
		{"the number of sizes provided (1) must be greater or equal", func() { m.Expand(6) }},
		{"Sizes of tensors must match except in dimension 0. Expected size 3 but got size 2 for tensor number 1 in the list.", func() { tensor.Cat(0, m, tensor.Ones(2, 2)) }},
		{"Tensors must have same number of dimensions", func() { tensor.Cat(0, m, tensor.Ones(2)) }},
		{"expected a non-empty list of Tensors", func() { tensor.Cat(0) }},
		{"stack expects each tensor to be equal size", func() { tensor.Stack(0, m, m.T()) }},
		{"index out of range in self", func() { m.IndexSelect(0, tensor.New([]int{2})) }},
		{"Expected dtype int32 or int64 for index", func() { m.IndexSelect(0, tensor.New([]float32{0})) }},
		{"expected BoolTensor for mask", func() { m.MaskedSelect(m) }},
		{"select() cannot be applied to a 0-dim tensor.", func() { tensor.New(1.0).Select(0, 0) }},
		{"start_dim cannot come after end_dim", func() { m.Flatten(1, 0) }},
	}
	for _, tt := range tests {
		panics(t, tt.want, tt.f)
	}
}

// Reshaping to a random shape and back gives the tensor it started from,
// whether the source is contiguous or a transposed view.
func TestReshapeRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		shape := randomShape(r, 4)
		x := tensor.Rand(shape...)
		if r.IntN(2) == 0 && len(shape) >= 2 {
			x = x.Transpose(0, len(shape)-1)
		}
		flat := x.Reshape(-1)
		other := randomShape(r, 4)
		if tensorNumel(other) == x.Numel() {
			flat = x.Reshape(other...).Reshape(-1)
		}
		if back := flat.Reshape(x.Shape()...); !back.Equal(x) {
			t.Fatalf("round trip of %v changed the tensor", x.Shape())
		}
	}
}

func randomShape(r *rand.Rand, maxDims int) []int {
	shape := make([]int, r.IntN(maxDims+1))
	for i := range shape {
		shape[i] = 1 + r.IntN(4)
	}
	return shape
}

func tensorNumel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// Edge cases that once reached Go runtime panics: 0-dim tensors, empty
// dimensions and invalid arguments must give a *tensor.Error or a result.
func TestEdgeCases(t *testing.T) {
	s := tensor.New(2.5)
	if got := s.Sum(0).Item(); got != 2.5 {
		t.Errorf("0-dim Sum(0) = %v", got)
	}
	if got := s.Max(0).Item(); got != 2.5 {
		t.Errorf("0-dim Max(0) = %v", got)
	}
	if got := shapeOf(s.Squeeze(0)); got != "[]" {
		t.Errorf("0-dim Squeeze(0) shape %s", got)
	}
	if got := shapeOf(tensor.Zeros(0, 3).Sum(0)); got != "[3]" || tensor.Zeros(0, 3).Sum(0).Max().Item() != 0 {
		t.Errorf("empty Sum(0) = %v", tensor.Zeros(0, 3).Sum(0))
	}
	if got := tensor.Zeros(0, 3).ProdDim(0, false); vals(got) != "[1 1 1]" {
		t.Errorf("empty ProdDim(0) = %s", vals(got))
	}
	panics(t, "dimension specified as 0 but tensor has no dimensions", func() { s.Size(0) })
	panics(t, "dimension specified as 0 but tensor has no dimensions", func() { s.Split(1, 0) })
	panics(t, "dimension specified as -1 but tensor has no dimensions", func() { s.Chunk(2, -1) })
	panics(t, "expand: invalid size -2", func() { tensor.Ones(1).Expand(-2) })
	panics(t, "unknown dtype Dtype(42)", func() { tensor.Ones(1).To(tensor.Dtype(42)) })
	panics(t, "unknown dtype Dtype(42)", func() { tensor.New([]int{1}, tensor.WithDtype(tensor.Dtype(42))) })
	panics(t, "unknown dtype Dtype(42)", func() { tensor.Dtype(42).ItemSize() })
	panics(t, "expected a *tensor.Tensor or a Go number, got <nil>", func() { tensor.Ones(1).Fill_(nil) })
}
