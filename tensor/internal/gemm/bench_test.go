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
