package gemm

// The kernels in use, chosen once at start-up from the CPU's features
// (see kernel_amd64.go); tests swap them to cover every path.
var (
	sgemmKernel = goKernel[float32]()
	dgemmKernel = goKernel[float64]()
)

// goKernel is the portable kernel: it is the fallback on CPUs without
// AVX2+FMA and on other architectures, and the reference the SIMD kernels
// are tested against.
func goKernel[T float]() *kernel[T] {
	return &kernel[T]{name: "go", mr: 4, nr: 4, kc: 256, nc: 1024, mc: 4096, run: kernelGo4x4[T]}
}

// kernelGo4x4 keeps its 4×4 tile in sixteen locals so that the compiler
// can hold them in registers across the depth loop.
func kernelGo4x4[T float](k int, a, b, c []T, ldc int, alpha, beta T) {
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 T
	a, b = a[:4*k], b[:4*k]
	for l := 0; l < len(a); l += 4 {
		av, bv := a[l:l+4:l+4], b[l:l+4:l+4]
		a0, a1, a2, a3 := av[0], av[1], av[2], av[3]
		b0, b1, b2, b3 := bv[0], bv[1], bv[2], bv[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	tile := [4][4]T{
		{c00, c01, c02, c03},
		{c10, c11, c12, c13},
		{c20, c21, c22, c23},
		{c30, c31, c32, c33},
	}
	for i := range tile {
		row := c[i*ldc : i*ldc+4]
		for j, v := range tile[i] {
			if beta == 0 {
				row[j] = alpha * v
			} else {
				row[j] = alpha*v + beta*row[j]
			}
		}
	}
}
