package nn_test

import (
	"fmt"
	"testing"

	"github.com/gorch/gorch/nn"
	"github.com/gorch/gorch/tensor"
	"github.com/gorch/gorch/tensor/tensortest"
)

// TestMisuseIsReported calls each exported function and method the way a
// notebook user might get wrong: each must panic with a *tensor.Error whose
// message names the mistake, never with a Go runtime error.
func TestMisuseIsReported(t *testing.T) {
	x := tensor.Ones(2, 3)
	var nilT *tensor.Tensor
	var zero nn.Linear
	weightless := &nn.Linear{Bias: tensor.Zeros(2)}
	flat := &nn.Linear{Weight: tensor.Ones(6)}
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"ZeroGrad of nil", func() { nn.ZeroGrad(nil) }, "ZeroGrad: the module is nil"},
		{"NumParameters of nil", func() { nn.NumParameters(nil) }, "NumParameters: the module is nil"},
		{"ZeroGrad of nil Linear", func() { nn.ZeroGrad((*nn.Linear)(nil)) }, "Linear.Parameters called on a nil module"},
		{"nil Func", func() { nn.Func(nil).Forward(x) }, "Func.Forward called on a nil function"},
		{"negative in", func() { nn.NewLinear(-1, 3) }, "in_features and out_features must be positive, got -1 and 3"},
		{"negative out", func() { nn.NewLinear(3, -1) }, "in_features and out_features must be positive, got 3 and -1"},
		{"zero Linear Forward", func() { zero.Forward(x) }, "Linear.Forward: Weight is nil; make the layer with nn.NewLinear"},
		{"zero Linear Parameters", func() { zero.Parameters() }, "Linear.Parameters: Weight is nil"},
		{"zero Linear ZeroGrad", func() { nn.ZeroGrad(&zero) }, "Linear.Parameters: Weight is nil"},
		{"Linear without weight", func() { weightless.Forward(x) }, "Linear.Forward: Weight is nil"},
		{"1-D weight", func() { flat.Forward(x) }, "Linear.Forward: Weight must be 2-D [out_features, in_features], got shape [6]"},
		{"Linear nil input", func() { nn.NewLinear(3, 2).Forward(nil) }, "Linear.Forward: input is a nil tensor"},
		{"Linear 0-dim input", func() { nn.NewLinear(3, 2).Forward(tensor.New(1.0)) }, "mat1 and mat2 shapes cannot be multiplied (a 0-dim tensor and 3x2)"},
		{"Linear wrong width", func() { nn.NewLinear(3, 2).Forward(tensor.Ones(4, 2)) }, "mat1 and mat2 shapes cannot be multiplied (4x2 and 3x2)"},
		{"Linear 1-D wrong width", func() { nn.NewLinear(3, 2).Forward(tensor.Ones(2)) }, "mat1 and mat2 shapes cannot be multiplied (1x2 and 3x2)"},
		{"Linear 3-D wrong width", func() { nn.NewLinear(3, 2).Forward(tensor.Ones(5, 4, 2)) }, "mat1 and mat2 shapes cannot be multiplied (20x2 and 3x2)"},
		{"Linear int input", func() { nn.NewLinear(3, 2).Forward(tensor.New([][]int{{1, 2, 3}})) }, "expected m1 and m2 to have the same dtype, but got: Int64 != Float32"},
		{"ReLU nil", func() { nn.ReLU{}.Forward(nil) }, "nil tensor in ReLU"},
		{"Sigmoid nil", func() { nn.Sigmoid{}.Forward(nil) }, "nil tensor in Sigmoid"},
		{"Tanh nil", func() { nn.Tanh{}.Forward(nil) }, "nil tensor in Tanh"},
		{"Sequential nil layer Parameters", func() { nn.NewSequential(nn.NewLinear(1, 1), nil).Parameters() }, "Sequential: layer 1 is nil"},
		{"Sequential nil layer NumParameters", func() { nn.NumParameters(nn.NewSequential(nil)) }, "Sequential: layer 0 is nil"},
		{"Sequential nil input", func() { nn.NewSequential(nn.NewLinear(3, 2)).Forward(nil) }, "Linear.Forward: input is a nil tensor"},
		{"MSE nil input", func() { nn.MSELoss{}.Forward(nil, x) }, "MSELoss: input is a nil tensor"},
		{"MSE nil target", func() { nn.MSELoss{}.Forward(x, nilT) }, "MSELoss: target is a nil tensor"},
		{"MSE shapes", func() { nn.MSELoss{}.Forward(tensor.Ones(4, 1), tensor.Ones(4)) }, "using a target size ([4]) that is different to the input size ([4 1])"},
		{"CE nil input", func() { nn.CrossEntropyLoss{}.Forward(nil, tensor.New([]int64{0})) }, "CrossEntropyLoss: input is a nil tensor"},
		{"CE nil target", func() { nn.CrossEntropyLoss{}.Forward(x, nil) }, "CrossEntropyLoss: target is a nil tensor"},
		{"CE 3-D input", func() { nn.CrossEntropyLoss{}.Forward(tensor.Ones(2, 3, 4), tensor.New([]int64{0, 1})) }, "expected input of shape [N, C], got [2 3 4]"},
		{"CE int logits", func() { nn.CrossEntropyLoss{}.Forward(tensor.New([][]int64{{1, 2}}), tensor.New([]int64{0})) }, "softmax is not implemented for Int64 tensors"},
		{"CE float target", func() { nn.CrossEntropyLoss{}.Forward(x, tensor.Ones(2)) }, "expected scalar type Long but found Float32"},
		{"CE int32 target", func() { nn.CrossEntropyLoss{}.Forward(x, tensor.New([]int32{0, 1})) }, "expected scalar type Long but found Int32"},
		{"CE 2-D target", func() { nn.CrossEntropyLoss{}.Forward(x, tensor.New([][]int64{{0}, {1}})) }, "Expected input batch_size (2) to match target batch_size ([2 1])."},
		{"CE 0-dim target", func() { nn.CrossEntropyLoss{}.Forward(x, tensor.New(int64(1))) }, "Expected input batch_size (2) to match target batch_size ([])."},
		{"CE class too big", func() { nn.CrossEntropyLoss{}.Forward(x, tensor.New([]int64{0, 3})) }, "Target 3 is out of bounds."},
		{"CE negative class", func() { nn.CrossEntropyLoss{}.Forward(x, tensor.New([]int64{-1, 0})) }, "Target -1 is out of bounds."},
		{"CE no classes", func() { nn.CrossEntropyLoss{}.Forward(tensor.Ones(2, 0), tensor.New([]int64{0, 0})) }, "Target 0 is out of bounds."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tensortest.Panics(t, tt.want, tt.f)
		})
	}
}

// TestStringOfIncompleteModules checks that printing a module never
// panics, whatever state it is in: fmt would hide such a panic in
// %!v(PANIC=…) text.
func TestStringOfIncompleteModules(t *testing.T) {
	tests := []struct {
		name string
		m    fmt.Stringer
		want string
	}{
		{"nil Linear", (*nn.Linear)(nil), "<nil>"},
		{"zero Linear", &nn.Linear{}, "Linear(in_features=?, out_features=?, bias=False)"},
		{"nil Sequential", (*nn.Sequential)(nil), "<nil>"},
		{"nil layer", nn.NewSequential(nil), "Sequential(\n  (0): <nil>\n)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestEmptyBatches checks that a batch of no rows goes through, as in
// PyTorch, rather than tripping over a division by zero.
func TestEmptyBatches(t *testing.T) {
	out := nn.NewLinear(3, 2).Forward(tensor.Zeros(0, 3))
	if got := out.Shape(); len(got) != 2 || got[0] != 0 || got[1] != 2 {
		t.Errorf("Linear of a [0 3] batch has shape %v, want [0 2]", got)
	}
	// Neither may panic.
	nn.CrossEntropyLoss{}.Forward(tensor.Zeros(0, 3), tensor.New([]int64{}))
	nn.MSELoss{}.Forward(tensor.Zeros(0), tensor.Zeros(0))
}
