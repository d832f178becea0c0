package tensor_test

import (
	"testing"

	"github.com/gorch/gorch/tensor"
)

const big = 10_000_000

func BenchmarkAdd10M(b *testing.B) {
	x, y := tensor.Rand(big), tensor.Rand(big)
	b.SetBytes(3 * 4 * big)
	for b.Loop() {
		x.Add(y)
	}
}

func BenchmarkAddInplace10M(b *testing.B) {
	x, y := tensor.Rand(big), tensor.Rand(big)
	b.SetBytes(3 * 4 * big)
	for b.Loop() {
		x.Add_(y)
	}
}

func BenchmarkSum10M(b *testing.B) {
	x := tensor.Rand(big)
	b.SetBytes(4 * big)
	for b.Loop() {
		x.Sum()
	}
}

// BenchmarkAddSmall measures the fixed cost of one operation.
func BenchmarkAddSmall(b *testing.B) {
	x, y := tensor.New([]float32{1, 2}), tensor.New([]float32{3, 4})
	b.ReportAllocs()
	for b.Loop() {
		x.Add(y)
	}
}

func BenchmarkAddScalarSmall(b *testing.B) {
	x := tensor.New([]float32{1, 2})
	b.ReportAllocs()
	for b.Loop() {
		x.Add(2.5)
	}
}

// BenchmarkBackwardSmall is PyTorch's 9.7 µs anchor: (a**2).sum() on two
// elements, forward and backward.
func BenchmarkBackwardSmall(b *testing.B) {
	a := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	b.ReportAllocs()
	for b.Loop() {
		a.Pow(2).Sum().Backward()
	}
}

func BenchmarkMatMul1024(b *testing.B) {
	x, y := tensor.Randn(1024, 1024), tensor.Randn(1024, 1024)
	for b.Loop() {
		x.MatMul(y)
	}
	b.ReportMetric(2*1024*1024*1024*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkSumDim0(b *testing.B) {
	x := tensor.Rand(1000, 1000)
	for b.Loop() {
		x.Sum(0)
	}
}

func BenchmarkTransposeCopy(b *testing.B) {
	x := tensor.Rand(1000, 1000)
	for b.Loop() {
		x.T().Contiguous()
	}
}

// BenchmarkSmallOps measures the fixed cost of the other common operations
// on a few elements, which take the general paths.
func BenchmarkSmallOps(b *testing.B) {
	x, row := tensor.New([][]float32{{1, 2, 3}, {4, 5, 6}}), tensor.New([]float32{1, 2, 3})
	ops := []struct {
		name string
		f    func() *tensor.Tensor
	}{
		{"AddBroadcast", func() *tensor.Tensor { return x.Add(row) }},
		{"Exp", func() *tensor.Tensor { return x.Exp() }},
		{"Sum", func() *tensor.Tensor { return x.Sum() }},
		{"SumDim", func() *tensor.Tensor { return x.Sum(1) }},
		{"MatMul", func() *tensor.Tensor { return x.MatMul(x.T()) }},
	}
	for _, op := range ops {
		b.Run(op.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				op.f()
			}
		})
	}
}
