//go:build !amd64

package gemm

// kernels32 and kernels64 list every kernel this machine can run, slowest
// first; only the portable one exists off amd64.
func kernels32() []*kernel[float32] { return []*kernel[float32]{goKernel[float32]()} }

func kernels64() []*kernel[float64] { return []*kernel[float64]{goKernel[float64]()} }

// transposeRows leaves packT's work to its portable loop: it packs no
// rows.
func transposeRows(panel []float32, w int, src []float32, ld, rows, kc int) int { return 0 }
