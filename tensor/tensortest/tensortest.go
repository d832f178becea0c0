// Package tensortest checks the gradients of tensor operations, as
// PyTorch's torch.autograd.gradcheck does: the gradients Backward computes
// are compared, element by element, with central finite differences
// computed in Float64.
package tensortest

import (
	"fmt"
	"math"
	"slices"

	"github.com/gorch/gorch/tensor"
)

// The tolerances of torch.autograd.gradcheck: a step of eps, and agreement
// when |autograd - numerical| <= atol + rtol·|numerical|.
const (
	eps  = 1e-6
	atol = 1e-5
	rtol = 1e-3
)

// GradCheck reports whether the gradients that Backward computes for f
// agree with finite differences. f is called with Float64 copies of inputs;
// the inputs that require grad are the ones checked, the others (integer
// indices, Bool masks, constants) are passed through as they are.
//
// For every element of f's output and every element of every checked input,
// the gradient from Backward (one pass per output element, with a one-hot
// output gradient) is compared with the central difference
// (f(x+eps) - f(x-eps)) / 2eps, eps = 1e-6, and must agree within
// atol = 1e-5 plus rtol = 1e-3 of the numerical value, gradcheck's
// defaults. Choose inputs away from the kinks of non-smooth operations
// (Abs at 0, ReLU at 0, ties of Max), where no derivative exists.
//
// The error names the input, the input and output elements and both values.
// GradCheck returns an error, rather than panicking, when f panics with a
// *tensor.Error, when no input requires grad, and when a gradient's shape
// or dtype differs from its input's.
func GradCheck(f func(inputs ...*tensor.Tensor) *tensor.Tensor, inputs ...*tensor.Tensor) (err error) {
	xs, checked := float64Inputs(inputs)
	if len(checked) == 0 {
		return fmt.Errorf("tensortest: GradCheck: no input requires grad")
	}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*tensor.Error)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("tensortest: GradCheck: %w", e)
		}
	}()
	analytical, outShape, err := jacobian(f, xs, checked)
	if err != nil {
		return err
	}
	for _, i := range checked {
		numerical := finiteDifferences(f, xs, i)
		for j := range numerical {
			for k, n := range numerical[j] {
				a := analytical[i][j][k]
				if math.Abs(a-n) > atol+rtol*math.Abs(n) || math.IsNaN(a) != math.IsNaN(n) {
					return fmt.Errorf("tensortest: gradient of output element %v with respect to input %d element %v: "+
						"autograd gives %.8g, finite differences give %.8g (atol %g, rtol %g)",
						unravel(k, outShape), i, unravel(j, xs[i].Shape()), a, n, atol, rtol)
				}
			}
		}
	}
	return nil
}

// float64Inputs returns the inputs as they are handed to f: each
// floating-point input a contiguous Float64 copy, a leaf requiring grad if
// the original did, and the positions of those leaves.
func float64Inputs(inputs []*tensor.Tensor) (xs []*tensor.Tensor, checked []int) {
	xs = make([]*tensor.Tensor, len(inputs))
	for i, x := range inputs {
		xs[i] = x
		if !x.IsFloatingPoint() {
			continue
		}
		xs[i] = x.Detach().Double().Clone()
		if x.RequiresGrad() {
			xs[i].RequiresGrad_(true)
			checked = append(checked, i)
		}
	}
	return xs, checked
}

// jacobian returns, for each checked input i, J[i][j][k]: the derivative of
// output element k with respect to element j of input i, as Backward
// computes it, together with the output's shape.
func jacobian(f func(...*tensor.Tensor) *tensor.Tensor, xs []*tensor.Tensor, checked []int) ([][][]float64, []int, error) {
	out := f(xs...)
	n := out.Numel()
	jac := make([][][]float64, len(xs))
	for _, i := range checked {
		jac[i] = make([][]float64, xs[i].Numel())
		for j := range jac[i] {
			jac[i][j] = make([]float64, n)
		}
	}
	if !out.RequiresGrad() {
		return jac, out.Shape(), nil
	}
	for k := range n {
		oneHot := tensor.Zeros(out.Shape()...).Double()
		oneHot.Float64s()[k] = 1
		for _, i := range checked {
			xs[i].SetGrad(nil)
		}
		out.BackwardRetainGraph(oneHot.To(out.Dtype()))
		for _, i := range checked {
			g := xs[i].Grad()
			if g == nil {
				continue
			}
			if !slices.Equal(g.Shape(), xs[i].Shape()) || g.Dtype() != xs[i].Dtype() {
				return nil, nil, fmt.Errorf("tensortest: gradient of input %d is %v %v, want %v %v", i, g.Dtype(), g.Shape(), xs[i].Dtype(), xs[i].Shape())
			}
			for j, v := range values(g) {
				jac[i][j][k] = v
			}
		}
	}
	for _, i := range checked {
		xs[i].SetGrad(nil)
	}
	return jac, out.Shape(), nil
}

// finiteDifferences returns D[j][k], the central difference of output
// element k for a step in element j of input i. It perturbs the input's
// memory in place and restores it.
func finiteDifferences(f func(...*tensor.Tensor) *tensor.Tensor, xs []*tensor.Tensor, i int) [][]float64 {
	data := xs[i].Detach().Float64s()
	d := make([][]float64, len(data))
	for j, v := range data {
		var plus, minus []float64
		tensor.NoGrad(func() {
			data[j] = v + eps
			plus = values(f(xs...))
			data[j] = v - eps
			minus = values(f(xs...))
		})
		data[j] = v
		d[j] = make([]float64, len(plus))
		for k := range plus {
			d[j][k] = (plus[k] - minus[k]) / (2 * eps)
		}
	}
	return d
}

// values returns a copy of t's elements as float64s in row-major order.
func values(t *tensor.Tensor) []float64 {
	return append([]float64{}, t.Detach().Double().Contiguous().Float64s()...)
}

// unravel turns a row-major flat index into a multi-index of shape.
func unravel(flat int, shape []int) []int {
	idx := make([]int, len(shape))
	for d := len(shape) - 1; d >= 0; d-- {
		idx[d] = flat % shape[d]
		flat /= shape[d]
	}
	return idx
}
