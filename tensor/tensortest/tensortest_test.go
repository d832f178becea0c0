package tensortest_test

import (
	"strings"
	"testing"

	"github.com/gorch/gorch/tensor"
	"github.com/gorch/gorch/tensor/tensortest"
)

func TestGradCheck(t *testing.T) {
	x := func() *tensor.Tensor { return tensor.New([]float32{0.5, -1.5, 2}, tensor.RequiresGrad()) }
	tests := []struct {
		name    string
		f       func(in ...*tensor.Tensor) *tensor.Tensor
		inputs  []*tensor.Tensor
		wantErr string // "" when the check must pass
	}{
		{"square", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Mul(in[0]) }, []*tensor.Tensor{x()}, ""},
		{"constant input passes through", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Mul(in[1]).Sum() },
			[]*tensor.Tensor{x(), tensor.New([]float32{1, 2, 3})}, ""},
		{"output independent of the input", func(in ...*tensor.Tensor) *tensor.Tensor { return tensor.Ones(2) }, []*tensor.Tensor{x()}, ""},
		// Detaching one factor hides half of the derivative from autograd,
		// which finite differences see.
		{"wrong gradient", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Mul(in[0].Detach()) }, []*tensor.Tensor{x()},
			"gradient of output element [0] with respect to input 0 element [0]: autograd gives 0.5, finite differences give 1"},
		{"missing gradient", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Detach().Sum() }, []*tensor.Tensor{x()},
			"autograd gives 0, finite differences give 1"},
		{"no input requires grad", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0] }, []*tensor.Tensor{tensor.Ones(2)},
			"no input requires grad"},
		{"f panics", func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Add(tensor.Ones(4)) }, []*tensor.Tensor{x()},
			"tensortest: GradCheck: tensor: The size of tensor a (3) must match the size of tensor b (4)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tensortest.GradCheck(tt.f, tt.inputs...)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("GradCheck: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("GradCheck error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestGradCheckLeavesInputsUntouched(t *testing.T) {
	a := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	if err := tensortest.GradCheck(func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Pow(3).Sum() }, a); err != nil {
		t.Fatal(err)
	}
	if a.Grad() != nil {
		t.Errorf("GradCheck left a gradient on its input: %v", a.Grad())
	}
	if got := a.Detach().Float32s(); got[0] != 1 || got[1] != 2 {
		t.Errorf("input changed to %v", got)
	}
}
