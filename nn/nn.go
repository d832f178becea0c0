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
// them to nil rather than to zeros. It panics if m is nil.
func ZeroGrad(m Module) {
	for _, p := range parameters("ZeroGrad", m) {
		p.SetGrad(nil)
	}
}

// NumParameters returns the number of scalars in m's parameters. It panics
// if m is nil.
func NumParameters(m Module) int {
	n := 0
	for _, p := range parameters("NumParameters", m) {
		n += p.Numel()
	}
	return n
}

// parameters returns m's parameters, panicking in fn if m is nil.
func parameters(fn string, m Module) []*tensor.Tensor {
	if m == nil {
		panicf("%s: the module is nil", fn)
	}
	return m.Parameters()
}

// Func adapts a function to a [Module] with no parameters, as
// http.HandlerFunc adapts a function to a Handler: nn.Func(f).Forward(x)
// is f(x).
type Func func(x *tensor.Tensor) *tensor.Tensor

// Forward returns f(x). It panics if f is nil.
func (f Func) Forward(x *tensor.Tensor) *tensor.Tensor {
	if f == nil {
		panicf("Func.Forward called on a nil function")
	}
	return f(x)
}

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
		panicf("Linear: in_features and out_features must be positive, got %d and %d", in, out)
	}
	bound := 1 / math.Sqrt(float64(in))
	return &Linear{Weight: uniform(bound, out, in), Bias: uniform(bound, out)}
}

// uniform returns a Float32 leaf requiring grad, uniform in (-bound, bound).
func uniform(bound float64, shape ...int) *tensor.Tensor {
	return tensor.Rand(shape...).Mul(2 * bound).Sub(bound).RequiresGrad_(true)
}

// Forward returns x·Wᵀ + b for x of shape [..., in], of shape [..., out].
// It panics if l is nil or has no 2-D Weight, if x is nil, and if x's last
// dimension is not in.
func (l *Linear) Forward(x *tensor.Tensor) *tensor.Tensor {
	w := l.weight("Linear.Forward")
	notNil("Linear.Forward", "input", x)
	if in := w.Size(1); x.Dim() == 0 || x.Size(-1) != in {
		panicf("mat1 and mat2 shapes cannot be multiplied (%s and %dx%d)", rowsByCols(x), in, w.Size(0))
	}
	if l.Bias == nil {
		return x.MatMul(w.T())
	}
	// A batch of rows, the common case, takes the bias and the product in
	// one Addmm, as PyTorch's linear does; other shapes go through
	// MatMul's broadcasting.
	if x.Dim() == 2 {
		return l.Bias.Addmm(x, w.T())
	}
	return x.MatMul(w.T()).Add(l.Bias)
}

// weight returns l's Weight, panicking in method if l is nil or its Weight
// is not a 2-D tensor, as in a Linear declared but never made.
func (l *Linear) weight(method string) *tensor.Tensor {
	if l == nil {
		panicNil(method, "nn.NewLinear")
	}
	if l.Weight == nil {
		panicf("%s: Weight is nil; make the layer with nn.NewLinear", method)
	}
	if l.Weight.Dim() != 2 {
		panicf("%s: Weight must be 2-D [out_features, in_features], got shape %v", method, l.Weight.Shape())
	}
	return l.Weight
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

// Parameters returns the weight and, if there is one, the bias. It panics
// if l is nil or has no 2-D Weight.
func (l *Linear) Parameters() []*tensor.Tensor {
	w := l.weight("Linear.Parameters")
	if l.Bias == nil {
		return []*tensor.Tensor{w}
	}
	return []*tensor.Tensor{w, l.Bias}
}

// String returns PyTorch's repr: "Linear(in_features=2, out_features=3,
// bias=True)"; a feature count shows as "?" while Weight is not a 2-D
// tensor, and a nil l as "<nil>".
func (l *Linear) String() string {
	if l == nil {
		return "<nil>"
	}
	bias := "True"
	if l.Bias == nil {
		bias = "False"
	}
	in, out := "?", "?"
	if l.Weight != nil && l.Weight.Dim() == 2 {
		in, out = fmt.Sprint(l.Weight.Size(1)), fmt.Sprint(l.Weight.Size(0))
	}
	return fmt.Sprintf("Linear(in_features=%s, out_features=%s, bias=%s)", in, out, bias)
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

// Forward feeds x through every layer in turn. It panics if s or a layer
// is nil.
func (s *Sequential) Forward(x *tensor.Tensor) *tensor.Tensor {
	for _, l := range s.layers("Sequential.Forward") {
		x = l.Forward(x)
	}
	return x
}

// Parameters returns the parameters of every layer, in layer order. It
// panics if s or a layer is nil.
func (s *Sequential) Parameters() []*tensor.Tensor {
	var ps []*tensor.Tensor
	for _, l := range s.layers("Sequential.Parameters") {
		ps = append(ps, l.Parameters()...)
	}
	return ps
}

// layers returns s's layers, panicking in method if s or one of them is
// nil.
func (s *Sequential) layers(method string) []Module {
	if s == nil {
		panicNil(method, "nn.NewSequential")
	}
	for i, l := range s.Layers {
		if l == nil {
			panicf("Sequential: layer %d is nil", i)
		}
	}
	return s.Layers
}

// String lists the layers as PyTorch's repr does, one per line with its
// index; a nil s shows as "<nil>".
func (s *Sequential) String() string {
	if s == nil {
		return "<nil>"
	}
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
	panicf("%s called on a nil module; make it with %s", method, constructor)
}

// notNil panics, naming fn and the argument, if the tensor t is nil.
func notNil(fn, arg string, t *tensor.Tensor) {
	if t == nil {
		panicf("%s: %s is a nil tensor", fn, arg)
	}
}

// panicf panics with a *tensor.Error built from a format and its
// arguments: the one way this package reports misuse.
func panicf(format string, args ...any) {
	panic(&tensor.Error{Msg: fmt.Sprintf(format, args...)})
}
