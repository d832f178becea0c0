package tensor

import "github.com/gorch/gorch/tensor/internal/gemm"

// gemmF32 and gemmF64 are the one place MatMul reaches a floating-point
// matrix multiply kernel: c = alpha·op(a)·op(b) + beta·c, row-major, op
// transposing when asked.
func gemmF32(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func gemmF64(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm.Dgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmGo is the portable kernel for the integer dtypes. Each row
// of c is built as a sum of rows of op(b) (the "axpy" order), so the inner
// loop runs over contiguous memory; a transposed b is copied upright first
// for that reason. Rows of c are split over the cores.
func gemmGo[T number](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if transB {
		bt := make([]T, k*n)
		for j := range n {
			for p := range k {
				bt[p*n+j] = b[j*ldb+p]
			}
		}
		b, ldb = bt, n
	}
	parallelFor(m, n*k, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			crow := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(crow)
			} else {
				for j := range crow {
					crow[j] *= beta
				}
			}
			for p := range k {
				var aip T
				if transA {
					aip = a[p*lda+i]
				} else {
					aip = a[i*lda+p]
				}
				aip *= alpha
				brow := b[p*ldb : p*ldb+n]
				for j, bv := range brow {
					crow[j] += aip * bv
				}
			}
		}
	})
}
