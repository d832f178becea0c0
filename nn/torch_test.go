package nn_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/gorch/gorch/nn"
	"github.com/gorch/gorch/optim"
	"github.com/gorch/gorch/tensor"
	"github.com/gorch/gorch/tensor/tensortest"
)

// torchCase is what nn_torch.py reads: a two-layer network's weights, a
// batch and the optimizers to step with.
type torchCase struct {
	W1         any              `json:"w1"`
	B1         any              `json:"b1"`
	W2         any              `json:"w2"`
	B2         any              `json:"b2"`
	X          any              `json:"x"`
	Y          []int64          `json:"y"`
	Optimizers []torchOptimizer `json:"optimizers"`
	Steps      int              `json:"steps"`
}

type torchOptimizer struct {
	Name        string     `json:"name"`
	LR          float64    `json:"lr"`
	Momentum    float64    `json:"momentum"`
	Dampening   float64    `json:"dampening"`
	Eps         float64    `json:"eps"`
	WeightDecay float64    `json:"weight_decay"`
	Nesterov    bool       `json:"nesterov"`
	Betas       [2]float64 `json:"betas"`
}

type torchResult struct {
	Loss  float64
	Grads []any
	After [][]any
}

// network builds Linear -> ReLU -> Linear in Float64 with the case's weights.
func network(c torchCase) *nn.Sequential {
	leaf := func(v any) *tensor.Tensor { return tensor.New(toFloats(v), tensor.RequiresGrad()) }
	return nn.NewSequential(
		&nn.Linear{Weight: leaf(c.W1), Bias: leaf(c.B1)}, nn.ReLU{},
		&nn.Linear{Weight: leaf(c.W2), Bias: leaf(c.B2)})
}

// toFloats turns decoded JSON arrays back into [][]float64 or []float64.
func toFloats(v any) any {
	switch x := v.(type) {
	case [][]float64, []float64:
		return x
	case []any:
		if len(x) > 0 {
			if _, nested := x[0].([]any); nested {
				rows := make([][]float64, len(x))
				for i, r := range x {
					rows[i] = toFloats(r).([]float64)
				}
				return rows
			}
		}
		flat := make([]float64, len(x))
		for i, e := range x {
			flat[i] = e.(float64)
		}
		return flat
	}
	panic(fmt.Sprintf("unexpected JSON value %T", v))
}

func assertClose(t *testing.T, what string, got *tensor.Tensor, want any) {
	t.Helper()
	w := tensor.New(toFloats(want))
	if !got.Detach().AllClose(w, 1e-9, 1e-12) {
		t.Errorf("%s:\n got %v\nwant %v", what, got, w)
	}
}

func TestAgainstPyTorch(t *testing.T) {
	tensor.ManualSeed(7)
	values := func(shape ...int) any { return tensor.Randn(shape...).Double().Contiguous().ToSlice() }
	c := torchCase{
		W1: values(8, 5), B1: values(8), W2: values(3, 8), B2: values(3),
		X: values(6, 5), Y: []int64{0, 2, 1, 1, 0, 2}, Steps: 3,
		Optimizers: []torchOptimizer{
			{Name: "sgd", LR: 0.1},
			{Name: "sgd", LR: 0.05, Momentum: 0.9, Dampening: 0.1, WeightDecay: 0.01},
			{Name: "sgd", LR: 0.05, Momentum: 0.8, Nesterov: true},
			{Name: "adam", LR: 0.01, Betas: [2]float64{0.9, 0.999}, Eps: 1e-8},
			{Name: "adam", LR: 0.02, Betas: [2]float64{0.8, 0.99}, Eps: 1e-6, WeightDecay: 0.1},
		},
	}
	var want torchResult
	tensortest.RunTorch(t, "testdata/nn_torch.py", c, &want)

	var lossFn nn.CrossEntropyLoss
	x, y := tensor.New(toFloats(c.X)), tensor.New(c.Y)
	net := network(c)
	loss := lossFn.Forward(net.Forward(x), y)
	loss.Backward()
	if math.Abs(loss.Item()-want.Loss) > 1e-12 {
		t.Errorf("loss = %v, PyTorch %v", loss.Item(), want.Loss)
	}
	for i, p := range net.Parameters() {
		assertClose(t, fmt.Sprintf("gradient of parameter %d", i), p.Grad(), want.Grads[i])
	}

	for k, o := range c.Optimizers {
		net := network(c)
		var opt optim.Optimizer
		switch o.Name {
		case "sgd":
			opt = &optim.SGD{Params: net.Parameters(), LR: o.LR, Momentum: o.Momentum, Dampening: o.Dampening, WeightDecay: o.WeightDecay, Nesterov: o.Nesterov}
		case "adam":
			opt = &optim.Adam{Params: net.Parameters(), LR: o.LR, Betas: o.Betas, Eps: o.Eps, WeightDecay: o.WeightDecay}
		}
		for range c.Steps {
			opt.ZeroGrad()
			lossFn.Forward(net.Forward(x), y).Backward()
			opt.Step()
		}
		for i, p := range net.Parameters() {
			assertClose(t, fmt.Sprintf("%s %+v: parameter %d after %d steps", o.Name, o, i, c.Steps), p, want.After[k][i])
		}
	}
}
