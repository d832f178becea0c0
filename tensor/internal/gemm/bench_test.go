package gemm

import (
	"fmt"
	"testing"
)

// benchSizes spans the direct path, the packed single-goroutine path and
// the parallel path.
var benchSizes = []int{4, 16, 32, 64, 128, 256, 512, 1024}

// benchGemm times square products on each kernel and reports GFLOP/s, the
// figure the NumPy comparison in tensor/bench uses. Run with -cpu 1,2 to
// see single-core and parallel speed.
func benchGemm[T float](b *testing.B, all []*kernel[T], installed **kernel[T], call func(p *problem[T])) {
	for _, kn := range all {
		for _, n := range benchSizes {
			if kn.name == "go" && n > 256 {
				continue
			}
			b.Run(fmt.Sprintf("%s/%d", kn.name, n), func(b *testing.B) {
				saved := *installed
				*installed = kn
				defer func() { *installed = saved }()
				p := operands[T](testCase{m: n, n: n, k: n, alpha: 1, beta: 0})
				for b.Loop() {
					call(&p)
				}
				b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

func BenchmarkSgemm(b *testing.B) { benchGemm(b, kernels32(), &sgemmKernel, sgemmProblem) }

func BenchmarkDgemm(b *testing.B) { benchGemm(b, kernels64(), &dgemmKernel, dgemmProblem) }

// BenchmarkSgemmMLP times, on the installed kernel, the products of one
// training step of nn's benchmark network (784-256-10, batch 128), where
// k or m is small and packing weighs as much as the multiply-adds.
func BenchmarkSgemmMLP(b *testing.B) {
	for _, tc := range []struct {
		name string
		testCase
	}{
		{"x·W1ᵀ", testCase{transB: true, m: 128, n: 256, k: 784}},
		{"h·W2ᵀ", testCase{transB: true, m: 128, n: 10, k: 256}},
		{"gᵀ·h", testCase{transA: true, m: 10, n: 256, k: 128}},
		{"g·W2", testCase{m: 128, n: 256, k: 10}},
		{"gᵀ·x", testCase{transA: true, m: 256, n: 784, k: 128}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			tc.alpha = 1
			p := operands[float32](tc.testCase)
			for b.Loop() {
				sgemmProblem(&p)
			}
			b.ReportMetric(2*float64(tc.m)*float64(tc.n)*float64(tc.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
