package optim_test

import (
	"math"
	"testing"

	"github.com/gorch/gorch/optim"
	"github.com/gorch/gorch/tensor"
	"github.com/gorch/gorch/tensor/tensortest"
)

// TestMisuseIsReported builds optimizers the way a notebook user might get
// wrong. Step and ZeroGrad must each panic with a *tensor.Error carrying
// PyTorch's message where PyTorch has one, never with a Go runtime error.
func TestMisuseIsReported(t *testing.T) {
	ps := func() []*tensor.Tensor { return []*tensor.Tensor{withGrad([]float64{1, 2}, []float64{1, 1})} }
	nonLeaf := tensor.New([]float64{1}, tensor.RequiresGrad()).Mul(2)
	tests := []struct {
		name string
		opt  optim.Optimizer
		want string
	}{
		{"SGD no params", &optim.SGD{LR: 0.1}, "optimizer got an empty parameter list"},
		{"Adam no params", &optim.Adam{}, "optimizer got an empty parameter list"},
		{"SGD nil param", &optim.SGD{Params: []*tensor.Tensor{nil}, LR: 0.1}, "optimizer can only optimize Tensors, but parameter 0 is nil"},
		{"Adam nil param", &optim.Adam{Params: append(ps(), nil)}, "optimizer can only optimize Tensors, but parameter 1 is nil"},
		{"SGD non-leaf", &optim.SGD{Params: []*tensor.Tensor{nonLeaf}, LR: 0.1}, "can't optimize a non-leaf Tensor (parameter 0)"},
		{"Adam non-leaf", &optim.Adam{Params: []*tensor.Tensor{nonLeaf}}, "can't optimize a non-leaf Tensor (parameter 0)"},
		{"SGD negative lr", &optim.SGD{Params: ps(), LR: -0.1}, "Invalid learning rate: -0.1"},
		{"SGD NaN lr", &optim.SGD{Params: ps(), LR: math.NaN()}, "Invalid learning rate: NaN"},
		{"SGD negative momentum", &optim.SGD{Params: ps(), LR: 0.1, Momentum: -0.9}, "Invalid momentum value: -0.9"},
		{"SGD negative weight decay", &optim.SGD{Params: ps(), LR: 0.1, WeightDecay: -1}, "Invalid weight_decay value: -1"},
		{"SGD nesterov without momentum", &optim.SGD{Params: ps(), LR: 0.1, Nesterov: true}, "Nesterov momentum requires a momentum and zero dampening"},
		{"SGD nesterov with dampening", &optim.SGD{Params: ps(), LR: 0.1, Momentum: 0.9, Dampening: 0.1, Nesterov: true}, "Nesterov momentum requires a momentum and zero dampening"},
		{"Adam negative lr", &optim.Adam{Params: ps(), LR: -0.001}, "Invalid learning rate: -0.001"},
		{"Adam negative eps", &optim.Adam{Params: ps(), Eps: -1e-8}, "Invalid epsilon value: -1e-08"},
		{"Adam beta1 one", &optim.Adam{Params: ps(), Betas: [2]float64{1, 0.999}}, "Invalid beta parameter at index 0: 1"},
		{"Adam beta2 over one", &optim.Adam{Params: ps(), Betas: [2]float64{0.9, 1.5}}, "Invalid beta parameter at index 1: 1.5"},
		{"Adam negative beta", &optim.Adam{Params: ps(), Betas: [2]float64{-0.1, 0.999}}, "Invalid beta parameter at index 0: -0.1"},
		{"Adam NaN beta", &optim.Adam{Params: ps(), Betas: [2]float64{0.9, math.NaN()}}, "Invalid beta parameter at index 1: NaN"},
		{"Adam negative weight decay", &optim.Adam{Params: ps(), WeightDecay: -0.01}, "Invalid weight_decay value: -0.01"},
	}
	for _, tt := range tests {
		for _, method := range []struct {
			name string
			f    func()
		}{{"Step", tt.opt.Step}, {"ZeroGrad", tt.opt.ZeroGrad}} {
			t.Run(tt.name+"/"+method.name, func(t *testing.T) {
				tensortest.Panics(t, tt.want, method.f)
			})
		}
	}
}

// TestParamsChangeBetweenSteps appends a parameter after the first step,
// as a notebook that grows its model between cells does: the new
// parameter gets fresh state and the old one keeps its own.
func TestParamsChangeBetweenSteps(t *testing.T) {
	for _, tt := range []struct {
		name string
		opt  func(ps []*tensor.Tensor) optim.Optimizer
	}{
		{"sgd momentum", func(ps []*tensor.Tensor) optim.Optimizer { return &optim.SGD{Params: ps, LR: 0.1, Momentum: 0.9} }},
		{"adam", func(ps []*tensor.Tensor) optim.Optimizer { return &optim.Adam{Params: ps, LR: 0.1} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := withGrad([]float64{1}, []float64{1})
			b := withGrad([]float64{1}, []float64{1})
			opt := tt.opt([]*tensor.Tensor{a})
			opt.Step()
			switch o := opt.(type) {
			case *optim.SGD:
				o.Params = append(o.Params, b)
			case *optim.Adam:
				o.Params = append([]*tensor.Tensor{b}, o.Params...)
			}
			opt.Step() // must not panic
			if a.Item() >= b.Item() || b.Item() >= 1 {
				t.Errorf("after two steps of a and one of b: a %v, b %v; want a < b < 1", a.Item(), b.Item())
			}
		})
	}
}

// TestSharedParameterStepsOnce lists one tensor twice, as the parameters of
// a network that uses one layer twice do: it moves once per step, as in
// PyTorch, whose Module.parameters lists a shared tensor once.
func TestSharedParameterStepsOnce(t *testing.T) {
	p := withGrad([]float64{1}, []float64{1})
	(&optim.SGD{Params: []*tensor.Tensor{p, p}, LR: 0.1}).Step()
	if got := p.Item(); math.Abs(got-0.9) > 1e-12 {
		t.Errorf("after one step: %v, want 0.9", got)
	}
}
