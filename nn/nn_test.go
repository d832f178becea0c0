package nn_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gorch/gorch/nn"
	"github.com/gorch/gorch/tensor"
)

func TestLinearInit(t *testing.T) {
	tensor.ManualSeed(3)
	l := nn.NewLinear(400, 30)
	bound := 1 / math.Sqrt(400)
	for _, p := range []struct {
		name  string
		t     *tensor.Tensor
		shape []int
		reach float64 // how close to ±bound the extremes of so many draws come
	}{{"weight", l.Weight, []int{30, 400}, 0.99}, {"bias", l.Bias, []int{30}, 0.5}} {
		if !p.t.RequiresGrad() || !p.t.IsLeaf() || p.t.Dtype() != tensor.Float32 {
			t.Errorf("%s: requires grad %v, leaf %v, dtype %v; want a Float32 leaf requiring grad", p.name, p.t.RequiresGrad(), p.t.IsLeaf(), p.t.Dtype())
		}
		if got := p.t.Shape(); len(got) != len(p.shape) || got[0] != p.shape[0] {
			t.Errorf("%s shape %v, want %v", p.name, got, p.shape)
		}
		lo, hi := p.t.Min().Item(), p.t.Max().Item()
		if lo < -bound || hi > bound || lo > -p.reach*bound || hi < p.reach*bound {
			t.Errorf("%s spans [%v, %v], want most of (-%v, %v)", p.name, lo, hi, bound, bound)
		}
	}
}

func TestModules(t *testing.T) {
	x := tensor.New([][]float32{{-1, 0.5}, {2, -3}})
	w := tensor.New([][]float32{{1, 2}, {3, 4}, {5, 6}})
	tests := []struct {
		name string
		m    nn.Module
		want *tensor.Tensor
	}{
		{"linear", &nn.Linear{Weight: w, Bias: tensor.New([]float32{1, 0, -1})}, tensor.New([][]float32{{1, -1, -3}, {-3, -6, -9}})},
		{"linear without bias", &nn.Linear{Weight: w}, tensor.New([][]float32{{0, -1, -2}, {-4, -6, -8}})},
		{"relu", nn.ReLU{}, tensor.New([][]float32{{0, 0.5}, {2, 0}})},
		{"sigmoid", nn.Sigmoid{}, x.Sigmoid()},
		{"tanh", nn.Tanh{}, x.Tanh()},
		{"func", nn.Func(func(x *tensor.Tensor) *tensor.Tensor { return x.Mul(2) }), x.Mul(2)},
		{"sequential", nn.NewSequential(nn.ReLU{}, nn.Func(func(x *tensor.Tensor) *tensor.Tensor { return x.Neg() })), tensor.New([][]float32{{0, -0.5}, {-2, 0}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Forward(x); !got.AllClose(tt.want) {
				t.Errorf("Forward = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParametersAndZeroGrad(t *testing.T) {
	a, b := nn.NewLinear(3, 4), nn.NewLinear(4, 2)
	a.Bias = nil
	net := nn.NewSequential(a, nn.ReLU{}, b)
	ps := net.Parameters()
	if len(ps) != 3 || ps[0] != a.Weight || ps[1] != b.Weight || ps[2] != b.Bias {
		t.Fatalf("Parameters() = %v, want a's weight, then b's weight and bias", ps)
	}
	if n := nn.NumParameters(net); n != 12+8+2 {
		t.Errorf("NumParameters = %d, want 22", n)
	}
	net.Forward(tensor.Ones(5, 3)).Sum().Backward()
	for i, p := range ps {
		if p.Grad() == nil {
			t.Fatalf("parameter %d has no gradient after Backward", i)
		}
	}
	nn.ZeroGrad(net)
	for i, p := range ps {
		if p.Grad() != nil {
			t.Errorf("parameter %d keeps its gradient after ZeroGrad", i)
		}
	}
}

func TestLossValues(t *testing.T) {
	input := tensor.New([]float32{1, 2, 4})
	target := tensor.New([]float32{1, 0, 1})
	if got := (nn.MSELoss{}).Forward(input, target).Item(); math.Abs(got-13.0/3) > 1e-6 {
		t.Errorf("MSELoss = %v, want 13/3", got)
	}
	// Uniform logits: the loss is log C whatever the targets.
	logits := tensor.Zeros(4, 5)
	if got := (nn.CrossEntropyLoss{}).Forward(logits, tensor.New([]int64{0, 4, 2, 2})).Item(); math.Abs(got-math.Log(5)) > 1e-6 {
		t.Errorf("CrossEntropyLoss = %v, want log 5", got)
	}
	// LogSoftmax keeps huge logits finite.
	huge := tensor.New([][]float32{{1000, 0}})
	if got := (nn.CrossEntropyLoss{}).Forward(huge, tensor.New([]int64{1})).Item(); math.Abs(got-1000) > 1e-3 {
		t.Errorf("CrossEntropyLoss of huge logits = %v, want 1000", got)
	}
}

// TestCrossEntropyInfiniteLogits checks logits of -inf (a masked-out
// class) against PyTorch's values: the loss stays finite, and such a class
// gets no gradient.
func TestCrossEntropyInfiniteLogits(t *testing.T) {
	inf := math.Inf(-1)
	tests := []struct {
		name   string
		logits [][]float64
		target []int64
		loss   float64
		grad   []float64
	}{
		{"non-target -inf", [][]float64{{0, inf}}, []int64{0}, 0, []float64{0, 0}},
		{"-inf in each row", [][]float64{{inf, 0, 1}, {2, inf, 0}}, []int64{2, 0}, 0.22009485960006714,
			[]float64{0, 0.13447071611881256, -0.13447070121765137, -0.05960148572921753, 0, 0.05960145592689514}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := tensor.New(tt.logits, tensor.RequiresGrad())
			loss := nn.CrossEntropyLoss{}.Forward(x, tensor.New(tt.target))
			if got := loss.Item(); math.Abs(got-tt.loss) > 1e-6 { // PyTorch computed in float32
				t.Errorf("loss %v, PyTorch %v", got, tt.loss)
			}
			loss.Backward()
			for i, g := range x.Grad().Reshape(-1).Float64s() {
				if math.Abs(g-tt.grad[i]) > 1e-6 {
					t.Errorf("gradient %v, PyTorch %v", x.Grad(), tt.grad)
					break
				}
			}
		})
	}
}

func TestMisuse(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"linear input width", func() { nn.NewLinear(3, 2).Forward(tensor.Ones(4, 5)) }, "mat1 and mat2 shapes cannot be multiplied (4x5 and 3x2)"},
		{"linear sizes", func() { nn.NewLinear(0, 2) }, "in_features and out_features must be positive"},
		{"mse shapes", func() { nn.MSELoss{}.Forward(tensor.Ones(4, 1), tensor.Ones(4)) }, "using a target size ([4]) that is different to the input size ([4 1])"},
		{"ce target dtype", func() { nn.CrossEntropyLoss{}.Forward(tensor.Ones(2, 3), tensor.Ones(2)) }, "expected scalar type Long but found Float32"},
		{"ce batch", func() { nn.CrossEntropyLoss{}.Forward(tensor.Ones(2, 3), tensor.New([]int64{0})) }, "Expected input batch_size (2) to match target batch_size ([1])."},
		{"ce class", func() { nn.CrossEntropyLoss{}.Forward(tensor.Ones(2, 3), tensor.New([]int64{0, 3})) }, "Target 3 is out of bounds."},
		{"ce negative class", func() { nn.CrossEntropyLoss{}.Forward(tensor.Ones(2, 3), tensor.New([]int64{-1, 0})) }, "Target -1 is out of bounds."},
		{"ce input dims", func() { nn.CrossEntropyLoss{}.Forward(tensor.Ones(3), tensor.New([]int64{0})) }, "expected input of shape [N, C]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tensor.Try(tt.f)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNilModulesPanicWithTensorErrors(t *testing.T) {
	var linear *nn.Linear
	var seq *nn.Sequential
	x := tensor.Ones(1, 2)
	for _, tc := range []struct {
		name string
		call func()
		want string
	}{
		{"Linear.Forward", func() { linear.Forward(x) }, "Linear.Forward called on a nil module; make it with nn.NewLinear"},
		{"Linear.Parameters", func() { linear.Parameters() }, "Linear.Parameters called on a nil module"},
		{"Sequential.Forward", func() { seq.Forward(x) }, "Sequential.Forward called on a nil module; make it with nn.NewSequential"},
		{"Sequential.Parameters", func() { seq.Parameters() }, "Sequential.Parameters called on a nil module"},
		{"nil layer", func() { nn.NewSequential(nn.ReLU{}, nil).Forward(x) }, "Sequential: layer 1 is nil"},
	} {
		err := tensor.Try(tc.call)
		var te *tensor.Error
		if !errors.As(err, &te) || !strings.Contains(te.Msg, tc.want) {
			t.Errorf("%s: error %v; want a *tensor.Error containing %q", tc.name, err, tc.want)
		}
	}
}
