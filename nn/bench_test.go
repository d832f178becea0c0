package nn_test

import (
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/gorch/gorch/nn"
	"github.com/gorch/gorch/tensor"
)

// The benchmarks of autograd/BENCHMARKS.md; testdata/bench_torch.py
// measures the same steps in PyTorch and prints them in this format.
//
// Besides wall time each reports "cpu-ns/op", the CPU time of the whole
// process (every thread, the garbage collector's included) per operation:
// on a shared machine it depends far less on what else runs than wall time
// does, and PyTorch's side measures the same.

// loop runs f as the benchmark's body and reports its CPU time per call.
func loop(b *testing.B, f func()) {
	start := cpuTime()
	for b.Loop() {
		f()
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// cpuTime returns the user and system time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPowSum2 times (a**2).sum() on two elements: its forward alone,
// forward and backward, and backward alone through a retained graph.
func BenchmarkPowSum2(b *testing.B) {
	a := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	b.Run("forward", func(b *testing.B) { loop(b, func() { a.Pow(2).Sum() }) })
	b.Run("forward+backward", func(b *testing.B) { loop(b, func() { a.Pow(2).Sum().Backward() }) })
	b.Run("backward", func(b *testing.B) {
		y := a.Pow(2).Sum()
		loop(b, func() { y.BackwardRetainGraph() })
	})
}

// mlp returns the 784-256-10 network and a batch of 128 inputs and labels.
func mlp() (*nn.Sequential, *tensor.Tensor, *tensor.Tensor) {
	tensor.ManualSeed(0)
	net := nn.NewSequential(nn.NewLinear(784, 256), nn.ReLU{}, nn.NewLinear(256, 10))
	return net, tensor.Randn(128, 784), tensor.RandInt(0, 10, 128)
}

// BenchmarkMLPStep times one training step's forward and backward
// (gradients cleared, logits, cross-entropy, Backward) of a 784-256-10
// ReLU network on a batch of 128, and reports the heap that is still
// live after the loop and a GC beyond what was live before it
// ("retained-B"), which is 0 when every graph is freed once its backward
// has run.
func BenchmarkMLPStep(b *testing.B) {
	net, x, y := mlp()
	var lossFn nn.CrossEntropyLoss
	step := func() {
		nn.ZeroGrad(net)
		lossFn.Forward(net.Forward(x), y).Backward()
	}
	step() // the gradients exist from here on, as in a training loop
	before := liveHeap()
	loop(b, step)
	b.ReportMetric(float64(max(liveHeap()-before, 0)), "retained-B")
}

// liveHeap returns the bytes of live heap objects after a full collection.
func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestTrainingStepsKeepNoMemory checks that training steps do not keep
// their graphs alive: the parameters and their gradients are all that
// survives a step, so many steps cost no more memory than one.
func TestTrainingStepsKeepNoMemory(t *testing.T) {
	net, x, y := mlp()
	var lossFn nn.CrossEntropyLoss
	var loss *tensor.Tensor
	step := func() {
		nn.ZeroGrad(net)
		loss = lossFn.Forward(net.Forward(x), y)
		loss.Backward()
	}
	step()
	before := liveHeap()
	for range 20 {
		step()
	}
	// One step's activations are ~0.3 MB (128×256 floats, twice); twenty
	// kept graphs would be several MB. The last loss stays alive, and with
	// it only its released node.
	if grew := liveHeap() - before; grew > 64<<10 {
		t.Errorf("live heap grew by %d bytes over 20 steps", grew)
	}
	runtime.KeepAlive(loss)
}
