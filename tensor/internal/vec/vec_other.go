//go:build !amd64

package vec

func kernels32() []*kernels[float32] { return []*kernels[float32]{goKernels[float32]()} }

func kernels64() []*kernels[float64] { return []*kernels[float64]{goKernels[float64]()} }
