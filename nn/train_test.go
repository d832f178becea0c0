package nn_test

import (
	"math"
	"testing"

	"github.com/gorch/gorch/nn"
	"github.com/gorch/gorch/optim"
	"github.com/gorch/gorch/tensor"
)

// spirals returns n points on each of two interleaved spiral arms, with
// a little noise, and their class (0 or 1). Separating them needs a
// non-linear boundary that winds around the origin.
func spirals(n int) (x, y *tensor.Tensor) {
	pos := tensor.Rand(2 * n).Float32s()
	noise := tensor.Randn(2*n, 2).Mul(0.03).Float32s()
	xs := make([]float32, 0, 4*n)
	ys := make([]int64, 0, 2*n)
	for i, t := range pos {
		class := i % 2
		r := 0.1 + float64(t)
		theta := 3*math.Pi*float64(t) + math.Pi*float64(class)
		xs = append(xs, float32(r*math.Cos(theta))+noise[2*i], float32(r*math.Sin(theta))+noise[2*i+1])
		ys = append(ys, int64(class))
	}
	return tensor.FromSlice(xs, 2*n, 2), tensor.FromSlice(ys)
}

func accuracy(logits, y *tensor.Tensor) float64 {
	return logits.Argmax(1).Eq(y).Double().Mean().Item()
}

func TestMLPLearnsSpirals(t *testing.T) {
	tensor.ManualSeed(1)
	x, y := spirals(200)
	net := nn.NewSequential(nn.NewLinear(2, 64), nn.Tanh{}, nn.NewLinear(64, 64), nn.Tanh{}, nn.NewLinear(64, 2))
	opt := &optim.Adam{Params: net.Parameters(), LR: 0.01}
	var lossFn nn.CrossEntropyLoss
	var first, last float64
	for step := range 300 {
		opt.ZeroGrad()
		loss := lossFn.Forward(net.Forward(x), y)
		loss.Backward()
		opt.Step()
		if step == 0 {
			first = loss.Item()
		}
		last = loss.Item()
	}
	var acc float64
	tensor.NoGrad(func() { acc = accuracy(net.Forward(x), y) })
	t.Logf("loss %.4f -> %.4f, accuracy %.3f", first, last, acc)
	if last > first/20 {
		t.Errorf("loss fell from %.4f to %.4f only, want a factor of 20", first, last)
	}
	if acc < 0.9 {
		t.Errorf("accuracy %.3f, want > 0.9", acc)
	}
}
