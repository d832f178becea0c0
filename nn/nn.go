// Package nn builds neural networks from tensor operations: layers that
// hold parameters ([Linear]), activations ([ReLU], [Sigmoid], [Tanh]),
// containers ([Sequential]) and losses ([MSELoss], [CrossEntropyLoss]), as
// PyTorch's torch.nn does.
//
// A layer is a [Module]: Forward maps a batch to a batch, recording the
// graph that Backward walks, and Parameters lists the leaf tensors an
// optimizer from package optim updates. Layers are plain structs; their
// parameters are exported fields that may be read, replaced or modified
// under [tensor.NoGrad].
//
// Misuse panics with a *tensor.Error whose message reads like PyTorch's.
package nn

import (
	"fmt"
	"math"
	"strings"

	"github.com/gorch/gorch/tensor"
)

// Module is a layer or a network: PyTorch's nn.Module.
type Module interface {
	// Forward computes the module's output for a batch x.
	Forward(x *tensor.Tensor) *tensor.Tensor
	// Parameters lists the tensors that training updates, in a fixed
	// order; they are leaves that require grad.
	Parameters() []*tensor.Tensor
}

// ZeroGrad clears the gradients of m's parameters, so that the next
// Backward does not add to the last one's. Like PyTorch's default it sets
// them to nil rather than to zeros.
func ZeroGrad(m Module) {
	for _, p := range m.Parameters() {
		p.SetGrad(nil)
	}
}

// NumParameters returns the number of scalars in m's parameters.
func NumParameters(m Module) int {
	n := 0
	for _, p := range m.Parameters() {
		n += p.Numel()
	}
	return n
}

// Func adapts a function to a [Module] with no parameters, as
// http.HandlerFunc adapts a function to a Handler: nn.Func(f).Forward(x)
// is f(x).
type Func func(x *tensor.Tensor) *tensor.Tensor

// Forward returns f(x).
func (f Func) Forward(x *tensor.Tensor) *tensor.Tensor { return f(x) }

// Parameters returns nil: a function holds no parameters.
func (Func) Parameters() []*tensor.Tensor { return nil }

// String returns "Func()".
func (Func) String() string { return "Func()" }

// Linear is a fully connected layer, y = x·Wᵀ + b: PyTorch's nn.Linear.
type Linear struct {
	// Weight has shape [out, in].
	Weight *tensor.Tensor
	// Bias has shape [out]; nil for a layer without bias.
	Bias *tensor.Tensor
}

// NewLinear returns a layer from in features to out, with bias,
// initialised as PyTorch does: every weight and bias uniform in
// (-1/√in, 1/√in), which is Kaiming-uniform with a = √5. Use
// [tensor.ManualSeed] for reproducible weights. It panics unless in and
// out are positive.
func NewLinear(in, out int) *Linear {
	if in <= 0 || out <= 0 {
		panic(&tensor.Error{Msg: fmt.Sprintf("Linear: in_features and out_features must be positive, got %d and %d", in, out)})
	}
	bound := 1 / math.Sqrt(float64(in))
	return &Linear{Weight: uniform(bound, out, in), Bias: uniform(bound, out)}
}

// uniform returns a Float32 leaf requiring grad, uniform in (-bound, bound).
func uniform(bound float64, shape ...int) *tensor.Tensor {
	return tensor.Rand(shape...).Mul(2 * bound).Sub(bound).RequiresGrad_(true)
}

// Forward returns x·Wᵀ + b for x of shape [..., in], of shape [..., out].
// It panics if x's last dimension is not in.
func (l *Linear) Forward(x *tensor.Tensor) *tensor.Tensor {
	if l == nil {
		panicNil("Linear.Forward", "nn.NewLinear")
	}
	if in := l.Weight.Size(1); x.Dim() == 0 || x.Size(-1) != in {
		panic(&tensor.Error{Msg: fmt.Sprintf("mat1 and mat2 shapes cannot be multiplied (%s and %dx%d)", rowsByCols(x), in, l.Weight.Size(0))})
	}
	if l.Bias == nil {
		return x.MatMul(l.Weight.T())
	}
	// A batch of rows, the common case, takes the bias and the product in
	// one Addmm, as PyTorch's linear does; other shapes go through
	// MatMul's broadcasting.
	if x.Dim() == 2 {
		return l.Bias.Addmm(x, l.Weight.T())
	}
	return x.MatMul(l.Weight.T()).Add(l.Bias)
}

// rowsByCols describes x as PyTorch's matmul errors do: its leading
// dimensions folded into rows.
func rowsByCols(x *tensor.Tensor) string {
	if x.Dim() == 0 {
		return "a 0-dim tensor"
	}
	cols := x.Size(-1)
	rows := 1
	if cols > 0 {
		rows = x.Numel() / cols
	}
	return fmt.Sprintf("%dx%d", rows, cols)
}

// Parameters returns the weight and, if there is one, the bias.
func (l *Linear) Parameters() []*tensor.Tensor {
	if l == nil {
		panicNil("Linear.Parameters", "nn.NewLinear")
	}
	if l.Bias == nil {
		return []*tensor.Tensor{l.Weight}
	}
	return []*tensor.Tensor{l.Weight, l.Bias}
}

// String returns PyTorch's repr: "Linear(in_features=2, out_features=3, bias=True)".
func (l *Linear) String() string {
	bias := "True"
	if l.Bias == nil {
		bias = "False"
	}
	return fmt.Sprintf("Linear(in_features=%d, out_features=%d, bias=%s)", l.Weight.Size(1), l.Weight.Size(0), bias)
}

// ReLU is the activation max(x, 0), applied elementwise.
type ReLU struct{}

// Forward returns max(x, 0).
func (ReLU) Forward(x *tensor.Tensor) *tensor.Tensor { return x.ReLU() }

// Parameters returns nil.
func (ReLU) Parameters() []*tensor.Tensor { return nil }

// String returns "ReLU()".
func (ReLU) String() string { return "ReLU()" }

// Sigmoid is the activation 1 / (1 + e**-x), applied elementwise.
type Sigmoid struct{}

// Forward returns 1 / (1 + e**-x).
func (Sigmoid) Forward(x *tensor.Tensor) *tensor.Tensor { return x.Sigmoid() }

// Parameters returns nil.
func (Sigmoid) Parameters() []*tensor.Tensor { return nil }

// String returns "Sigmoid()".
func (Sigmoid) String() string { return "Sigmoid()" }

// Tanh is the activation tanh(x), applied elementwise.
type Tanh struct{}

// Forward returns tanh(x).
func (Tanh) Forward(x *tensor.Tensor) *tensor.Tensor { return x.Tanh() }

// Parameters returns nil.
func (Tanh) Parameters() []*tensor.Tensor { return nil }

// String returns "Tanh()".
func (Tanh) String() string { return "Tanh()" }

// Sequential chains modules: the output of each is the input of the next.
type Sequential struct {
	Layers []Module
}

// NewSequential returns the chain of layers, in order.
func NewSequential(layers ...Module) *Sequential { return &Sequential{Layers: layers} }

// Forward feeds x through every layer in turn. It panics if a layer is
// nil.
func (s *Sequential) Forward(x *tensor.Tensor) *tensor.Tensor {
	if s == nil {
		panicNil("Sequential.Forward", "nn.NewSequential")
	}
	for i, l := range s.Layers {
		if l == nil {
			panic(&tensor.Error{Msg: fmt.Sprintf("Sequential: layer %d is nil", i)})
		}
		x = l.Forward(x)
	}
	return x
}

// Parameters returns the parameters of every layer, in layer order.
func (s *Sequential) Parameters() []*tensor.Tensor {
	if s == nil {
		panicNil("Sequential.Parameters", "nn.NewSequential")
	}
	var ps []*tensor.Tensor
	for _, l := range s.Layers {
		ps = append(ps, l.Parameters()...)
	}
	return ps
}

// String lists the layers as PyTorch's repr does, one per line with its
// index.
func (s *Sequential) String() string {
	var b strings.Builder
	b.WriteString("Sequential(\n")
	for i, l := range s.Layers {
		inner := strings.ReplaceAll(fmt.Sprint(l), "\n", "\n  ")
		fmt.Fprintf(&b, "  (%d): %s\n", i, inner)
	}
	b.WriteString(")")
	return b.String()
}

// panicNil reports a method called on a nil module, as on a layer declared
// but never made, with a *tensor.Error rather than a nil dereference.
func panicNil(method, constructor string) {
	panic(&tensor.Error{Msg: fmt.Sprintf("%s called on a nil module; make it with %s", method, constructor)})
}
