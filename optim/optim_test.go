package optim_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gorch/gorch/optim"
	"github.com/gorch/gorch/tensor"
)

// withGrad returns a leaf holding values whose gradient is grad.
func withGrad(values, grad []float64) *tensor.Tensor {
	p := tensor.New(values, tensor.RequiresGrad())
	p.SetGrad(tensor.New(grad))
	return p
}

func TestFirstStep(t *testing.T) {
	// One step from p = [1, -2] with gradient [0.5, -4]; the expected
	// values follow from each optimizer's definition by hand.
	tests := []struct {
		name string
		opt  func(ps []*tensor.Tensor) optim.Optimizer
		want []float64
	}{
		{"sgd", func(ps []*tensor.Tensor) optim.Optimizer { return &optim.SGD{Params: ps, LR: 0.1} }, []float64{0.95, -1.6}},
		{"sgd weight decay", func(ps []*tensor.Tensor) optim.Optimizer { return &optim.SGD{Params: ps, LR: 0.1, WeightDecay: 0.5} },
			[]float64{1 - 0.1*(0.5+0.5), -2 - 0.1*(-4-1)}},
		// The first momentum step uses the gradient itself.
		{"sgd momentum", func(ps []*tensor.Tensor) optim.Optimizer { return &optim.SGD{Params: ps, LR: 0.1, Momentum: 0.9} }, []float64{0.95, -1.6}},
		{"sgd nesterov", func(ps []*tensor.Tensor) optim.Optimizer {
			return &optim.SGD{Params: ps, LR: 0.1, Momentum: 0.5, Nesterov: true}
		}, []float64{1 - 0.1*1.5*0.5, -2 + 0.1*1.5*4}},
		// Adam's first step moves each element by about LR against the
		// sign of its gradient, whatever its size.
		{"adam defaults", func(ps []*tensor.Tensor) optim.Optimizer { return &optim.Adam{Params: ps} }, []float64{1 - 0.001, -2 + 0.001}},
		{"adam lr", func(ps []*tensor.Tensor) optim.Optimizer { return &optim.Adam{Params: ps, LR: 0.1} }, []float64{0.9, -1.9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := withGrad([]float64{1, -2}, []float64{0.5, -4})
			frozen := tensor.New([]float64{3}, tensor.RequiresGrad())
			opt := tt.opt([]*tensor.Tensor{p, frozen})
			opt.Step()
			if want := tensor.New(tt.want); !p.Detach().AllClose(want, 1e-6, 1e-7) {
				t.Errorf("after Step: %v, want %v", p, want)
			}
			if frozen.Item() != 3 {
				t.Errorf("a parameter without gradient moved to %v", frozen.Item())
			}
			if !p.IsLeaf() || p.GradFn() != nil {
				t.Errorf("Step recorded a graph: grad_fn %v", p.GradFn())
			}
			opt.ZeroGrad()
			if p.Grad() != nil {
				t.Errorf("ZeroGrad left %v", p.Grad())
			}
		})
	}
}

func TestNesterovNeedsMomentum(t *testing.T) {
	opt := &optim.SGD{Params: []*tensor.Tensor{withGrad([]float64{1}, []float64{1})}, LR: 0.1, Nesterov: true}
	err := tensor.Try(opt.Step)
	if err == nil || !strings.Contains(err.Error(), "Nesterov momentum requires a momentum and zero dampening") {
		t.Errorf("error = %v", err)
	}
}

// Minimising (p - 3)² drives p to 3.
func ExampleAdam() {
	p := tensor.New([]float32{0}, tensor.RequiresGrad())
	opt := &optim.Adam{Params: []*tensor.Tensor{p}, LR: 0.1}
	for range 300 {
		opt.ZeroGrad()
		p.Sub(3).Pow(2).Sum().Backward()
		opt.Step()
	}
	fmt.Printf("%.3f\n", p.Item())
	// Output: 3.000
}

func TestNilOptimizersPanicWithTensorErrors(t *testing.T) {
	var sgd *optim.SGD
	var adam *optim.Adam
	for _, tc := range []struct {
		name string
		call func()
	}{
		{"SGD.Step", sgd.Step},
		{"SGD.ZeroGrad", sgd.ZeroGrad},
		{"Adam.Step", adam.Step},
		{"Adam.ZeroGrad", adam.ZeroGrad},
	} {
		err := tensor.Try(tc.call)
		if err == nil || !strings.Contains(err.Error(), tc.name+" called on a nil optimizer") {
			t.Errorf("%s on nil: error %v", tc.name, err)
		}
	}
}
