package nn_test

import (
	"fmt"

	"github.com/gorch/gorch/nn"
	"github.com/gorch/gorch/optim"
	"github.com/gorch/gorch/tensor"
)

// A linear layer learns y = 2x + 1 from eight points.
func Example() {
	tensor.ManualSeed(0)
	x := tensor.Linspace(-1, 1, 8).Reshape(8, 1)
	y := x.Mul(2).Add(1)
	model := nn.NewLinear(1, 1)
	opt := &optim.SGD{Params: model.Parameters(), LR: 0.1, Momentum: 0.9}
	var mse nn.MSELoss
	for range 200 {
		opt.ZeroGrad()
		loss := mse.Forward(model.Forward(x), y)
		loss.Backward()
		opt.Step()
	}
	fmt.Println(model)
	fmt.Printf("weight %.3f, bias %.3f\n", model.Weight.Item(), model.Bias.Item())
	// Output:
	// Linear(in_features=1, out_features=1, bias=True)
	// weight 2.000, bias 1.000
}

func ExampleSequential() {
	net := nn.NewSequential(nn.NewLinear(784, 256), nn.ReLU{}, nn.NewLinear(256, 10))
	fmt.Println(net)
	fmt.Println(nn.NumParameters(net), "parameters")
	// Output:
	// Sequential(
	//   (0): Linear(in_features=784, out_features=256, bias=True)
	//   (1): ReLU()
	//   (2): Linear(in_features=256, out_features=10, bias=True)
	// )
	// 203530 parameters
}

func ExampleCrossEntropyLoss() {
	logits := tensor.New([][]float32{{2, 0, 0}, {0, 0, 3}}, tensor.RequiresGrad())
	target := tensor.New([]int64{0, 2})
	loss := nn.CrossEntropyLoss{}.Forward(logits, target)
	loss.Backward()
	fmt.Printf("%.4f\n", loss.Item())
	fmt.Println(logits.Grad())
	// Output:
	// 0.1672
	// tensor([[-0.1065,  0.0533,  0.0533],
	//         [ 0.0226,  0.0226, -0.0453]])
}
