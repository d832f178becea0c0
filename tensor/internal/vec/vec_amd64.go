package vec

import "golang.org/x/sys/cpu"

//go:generate go run gen.go

var (
	hasAVX2   = cpu.X86.HasAVX2
	hasAVX512 = cpu.X86.HasAVX512F
)

// kernels32 lists the float32 loops this CPU runs, slowest first.
func kernels32() []*kernels[float32] {
	ks := []*kernels[float32]{goKernels[float32]()}
	if hasAVX2 {
		ks = append(ks, &kernels[float32]{
			name: "avx2", lanes: 8, sumLanes: 4, colLanes: 4, columns: columnsF32AVX2,
			vv:  [4]func(d, a, b *float32, n int){addVVF32AVX2, subVVF32AVX2, mulVVF32AVX2, divVVF32AVX2},
			vs:  [4]func(d, a *float32, s float32, n int){addVSF32AVX2, subVSF32AVX2, mulVSF32AVX2, divVSF32AVX2},
			sum: sumF32AVX2, relu: reluF32AVX2, reluGrad: reluGradF32AVX2,
		})
	}
	if hasAVX512 {
		ks = append(ks, &kernels[float32]{
			name: "avx512", lanes: 16, sumLanes: 8, colLanes: 8, columns: columnsF32AVX512,
			vv:  [4]func(d, a, b *float32, n int){addVVF32AVX512, subVVF32AVX512, mulVVF32AVX512, divVVF32AVX512},
			vs:  [4]func(d, a *float32, s float32, n int){addVSF32AVX512, subVSF32AVX512, mulVSF32AVX512, divVSF32AVX512},
			sum: sumF32AVX512, relu: reluF32AVX512, reluGrad: reluGradF32AVX512,
		})
	}
	return ks
}

// kernels64 lists the float64 loops this CPU runs, slowest first.
func kernels64() []*kernels[float64] {
	ks := []*kernels[float64]{goKernels[float64]()}
	if hasAVX2 {
		ks = append(ks, &kernels[float64]{
			name: "avx2", lanes: 4, sumLanes: 4, colLanes: 4, columns: columnsF64AVX2,
			vv:  [4]func(d, a, b *float64, n int){addVVF64AVX2, subVVF64AVX2, mulVVF64AVX2, divVVF64AVX2},
			vs:  [4]func(d, a *float64, s float64, n int){addVSF64AVX2, subVSF64AVX2, mulVSF64AVX2, divVSF64AVX2},
			sum: sumF64AVX2, relu: reluF64AVX2, reluGrad: reluGradF64AVX2,
		})
	}
	if hasAVX512 {
		ks = append(ks, &kernels[float64]{
			name: "avx512", lanes: 8, sumLanes: 8, colLanes: 8, columns: columnsF64AVX512,
			vv:  [4]func(d, a, b *float64, n int){addVVF64AVX512, subVVF64AVX512, mulVVF64AVX512, divVVF64AVX512},
			vs:  [4]func(d, a *float64, s float64, n int){addVSF64AVX512, subVSF64AVX512, mulVSF64AVX512, divVSF64AVX512},
			sum: sumF64AVX512, relu: reluF64AVX512, reluGrad: reluGradF64AVX512,
		})
	}
	return ks
}
