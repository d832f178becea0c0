// Package gemm multiplies dense row-major matrices: C = alpha·op(A)·op(B) + beta·C.
//
// It follows the GotoBLAS/BLIS structure. Blocks of A and B are packed into
// contiguous, zero-padded panels so that a register-blocked micro-kernel can
// stream them with unit stride; block sizes keep one A micro-panel in L1 and
// one packed block of B in L2 while it is reused. The micro-kernels are Go
// assembly (AVX2+FMA, AVX-512) picked at run time from the CPU's features,
// with a portable Go kernel elsewhere. Large products are split across
// runtime.GOMAXPROCS goroutines; tiny ones skip packing altogether.
//
// # Aliasing
//
// C must not overlap A or B; A and B may overlap each other.
package gemm

import (
	"fmt"
	"runtime"
)

// float is the element type of the generic driver.
type float interface{ ~float32 | ~float64 }

// Sgemm computes C = alpha·op(A)·op(B) + beta·C for float32 row-major
// matrices, where op(X) is X, or Xᵀ when the matching trans flag is set.
// op(A) is m×k, op(B) is k×n and C is m×n; lda, ldb and ldc are the row
// strides of A, B and C as stored (A is stored k×m when transA is set,
// B n×k when transB is set). When beta is zero C is only written, so it
// may hold garbage such as NaN; when alpha is zero or k is zero, A and B
// are not read.
//
// Sgemm panics with a message starting "gemm: " when a dimension is
// negative, a stride is smaller than its matrix's stored row length (or
// than 1), or a slice is too short for the dimensions and stride it is
// given.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(sgemmKernel, &problem[float32]{transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc})
}

// Dgemm computes C = alpha·op(A)·op(B) + beta·C for float64 row-major
// matrices; it is [Sgemm] in double precision, with the same arguments,
// the same treatment of zero alpha and beta, and the same panics.
func Dgemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm(dgemmKernel, &problem[float64]{transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc})
}

// problem is one call's arguments; the parallel driver hands each worker
// a sub-problem that is a column or row slab of the same product.
type problem[T float] struct {
	transA, transB bool
	m, n, k        int
	alpha          T
	a              []T
	lda            int
	b              []T
	ldb            int
	beta           T
	c              []T
	ldc            int
}

// check panics unless the slices and strides can hold the matrices.
func (p *problem[T]) check() {
	if p.m < 0 || p.n < 0 || p.k < 0 {
		panic(fmt.Sprintf("gemm: negative dimension m=%d n=%d k=%d", p.m, p.n, p.k))
	}
	ar, ac := p.m, p.k
	if p.transA {
		ar, ac = ac, ar
	}
	br, bc := p.k, p.n
	if p.transB {
		br, bc = bc, br
	}
	checkMatrix("a", ar, ac, len(p.a), p.lda)
	checkMatrix("b", br, bc, len(p.b), p.ldb)
	checkMatrix("c", p.m, p.n, len(p.c), p.ldc)
}

func checkMatrix(name string, rows, cols, length, ld int) {
	if ld < max(1, cols) {
		panic(fmt.Sprintf("gemm: ld%s=%d is less than max(1, %d), the row length of %s", name, ld, cols, name))
	}
	if rows > 0 && cols > 0 && length < (rows-1)*ld+cols {
		panic(fmt.Sprintf("gemm: len(%s)=%d is too short for a %d×%d matrix with stride %d (need %d)",
			name, length, rows, cols, ld, (rows-1)*ld+cols))
	}
}

// smallWork is the m·n·k below which the direct loop beats packing (about
// 6×6×6 here): packing costs a pass over A and B and zero-padding to whole
// micro-tiles, which only pays once each packed element feeds enough
// multiply-adds.
const smallWork = 6 * 6 * 6

// wasteLimit bounds the zero padding the blocked path may compute: with
// C smaller than 1/wasteLimit of one micro-tile (a dot product, say, where
// m = n = 1 and k is large), the SIMD kernel would spend nearly all its
// multiply-adds on padding, and the direct loop, some 64 times slower per
// useful multiply-add, wins.
const wasteLimit = 64

// parallelWork is the m·n·k below which waking a second goroutine for each
// depth block costs more than the second core saves.
const parallelWork = 128 * 128 * 128

func gemm[T float](kn *kernel[T], p *problem[T]) {
	p.check()
	if p.m == 0 || p.n == 0 {
		return
	}
	if p.k == 0 || p.alpha == 0 {
		scale(p.c, p.m, p.n, p.ldc, p.beta)
		return
	}
	work := p.m * p.n * p.k
	if work < smallWork || p.m*p.n*wasteLimit < ceilDiv(p.m, kn.mr)*kn.mr*ceilDiv(p.n, kn.nr)*kn.nr {
		direct(p)
		return
	}
	workers := runtime.GOMAXPROCS(0)
	if work < parallelWork {
		workers = 1
	}
	kn.blocked(p, workers)
}

// scale sets C = beta·C, writing zeros rather than reading C when beta is 0.
func scale[T float](c []T, m, n, ldc int, beta T) {
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// direct is the unpacked path for tiny products, where the whole problem
// fits in L1 and packing would be pure overhead.
func direct[T float](p *problem[T]) {
	// (ars, acs) and (brs, bcs) step along the rows and columns of op(A)
	// and op(B) in their storage.
	ars, acs := p.lda, 1
	if p.transA {
		ars, acs = 1, p.lda
	}
	brs, bcs := p.ldb, 1
	if p.transB {
		brs, bcs = 1, p.ldb
	}
	for i := range p.m {
		crow := p.c[i*p.ldc : i*p.ldc+p.n]
		for j := range crow {
			var s T
			ai, bj := i*ars, j*bcs
			for l := range p.k {
				s += p.a[ai+l*acs] * p.b[bj+l*brs]
			}
			if p.beta == 0 {
				crow[j] = p.alpha * s
			} else {
				crow[j] = p.alpha*s + p.beta*crow[j]
			}
		}
	}
}
