package gemm

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/cpu"
)

//go:generate go run gen_kernels.go

// The assembly micro-kernels, generated into kernel_amd64.s.

//go:noescape
func sgemm6x16AVX2(k int, a, b, c *float32, ldc int, alpha, beta float32)

//go:noescape
func dgemm6x8AVX2(k int, a, b, c *float64, ldc int, alpha, beta float64)

//go:noescape
func sgemm14x32AVX512(k int, a, b, c *float32, ldc int, alpha, beta float32)

//go:noescape
func dgemm14x16AVX512(k int, a, b, c *float64, ldc int, alpha, beta float64)

//go:noescape
func transpose4F32(kc int, src *float32, ld int, dst *float32, w int)

var (
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	hasAVX512 = cpu.X86.HasAVX512F
)

// init installs the fastest kernels, which the lists give last.
func init() {
	ks, kd := kernels32(), kernels64()
	sgemmKernel, dgemmKernel = ks[len(ks)-1], kd[len(kd)-1]
}

// Block sizes were tuned on an AMD EPYC (Zen 4: 32 KiB L1d, 1 MiB L2 per
// core): kc keeps an A micro-panel (mr·kc elements) within about 21 KiB of
// L1, nc keeps a task's B slab (kc·nc) near 512 KiB of L2, and mc is the
// largest whole number of micro-panels under 4096 rows, so that A is
// packed once per depth block for all but very tall matrices.

// kernels32 lists every float32 kernel this CPU can run, slowest first.
func kernels32() []*kernel[float32] {
	ks := []*kernel[float32]{goKernel[float32]()}
	if hasAVX2 {
		ks = append(ks, asmKernel("avx2", 6, 16, 384, 336, 4092, sgemm6x16AVX2))
	}
	if hasAVX512 {
		ks = append(ks, asmKernel("avx512", 14, 32, 384, 320, 4088, sgemm14x32AVX512))
	}
	return ks
}

// kernels64 lists every float64 kernel this CPU can run, slowest first.
func kernels64() []*kernel[float64] {
	ks := []*kernel[float64]{goKernel[float64]()}
	if hasAVX2 {
		ks = append(ks, asmKernel("avx2", 6, 8, 256, 256, 4092, dgemm6x8AVX2))
	}
	if hasAVX512 {
		ks = append(ks, asmKernel("avx512", 14, 16, 192, 320, 4088, dgemm14x16AVX512))
	}
	return ks
}

// asmKernel wraps an assembly kernel. The wrapper checks the slice lengths
// the assembly relies on, so that a driver bug panics instead of
// corrupting memory.
func asmKernel[T float](name string, mr, nr, kc, nc, mc int, f func(k int, a, b, c *T, ldc int, alpha, beta T)) *kernel[T] {
	run := func(k int, a, b, c []T, ldc int, alpha, beta T) {
		if len(a) < k*mr || len(b) < k*nr || ldc < nr || len(c) < (mr-1)*ldc+nr {
			panic(fmt.Sprintf("gemm: %s kernel given short panels (k=%d len(a)=%d len(b)=%d len(c)=%d ldc=%d)",
				name, k, len(a), len(b), len(c), ldc))
		}
		f(k, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, alpha, beta)
	}
	return &kernel[T]{name: name, mr: mr, nr: nr, kc: kc, nc: nc, mc: mc, run: run}
}

// transposeRows does packT's work for the rows in whole groups of four
// and returns how many rows that is. The slice checks stand between a
// driver bug and the assembly's unchecked stores.
func transposeRows(panel []float32, w int, src []float32, ld, rows, kc int) int {
	n := rows &^ 3
	if n == 0 || kc == 0 {
		return 0
	}
	if w < n || len(panel) < (kc-1)*w+n || len(src) < (n-1)*ld+kc {
		panic(fmt.Sprintf("gemm: transpose of %d×%d (ld %d) into width %d given short slices (len(panel)=%d len(src)=%d)",
			n, kc, ld, w, len(panel), len(src)))
	}
	for i := 0; i < n; i += 4 {
		transpose4F32(kc, &src[i*ld], ld, &panel[i], w)
	}
	return n
}
