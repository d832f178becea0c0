package tensortest_test

import (
	"fmt"

	"github.com/gorch/gorch/tensor"
	"github.com/gorch/gorch/tensor/tensortest"
)

func ExampleGradCheck() {
	x := tensor.New([][]float32{{0.5, -1}, {2, 0.25}}, tensor.RequiresGrad())
	w := tensor.New([]float32{1, 3})
	softmaxOfProduct := func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Mul(in[1]).Softmax(1) }
	fmt.Println(tensortest.GradCheck(softmaxOfProduct, x, w))

	// Detaching one factor hides half of the derivative from autograd.
	square := func(in ...*tensor.Tensor) *tensor.Tensor { return in[0].Mul(in[0].Detach()).Sum() }
	fmt.Println(tensortest.GradCheck(square, x))
	// Output:
	// <nil>
	// tensortest: gradient of output element [] with respect to input 0 element [0 0]: autograd gives 0.5, finite differences give 1 (atol 1e-05, rtol 0.001)
}
