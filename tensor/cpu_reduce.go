package tensor

import (
	"math"

	"github.com/gorch/gorch/tensor/internal/vec"
)

func (cpuBackend) reduce(op reduceOp, vals, idx any, src view, outer, k, inner int) {
	var ix []int64
	if idx != nil {
		ix = idx.([]int64)
	}
	n := outer * k * inner
	switch x := asNumbers(src.buf).(type) {
	case []float32:
		reduceFloat(op, vals.([]float32), ix, x[src.off:src.off+n], outer, k, inner)
	case []float64:
		reduceFloat(op, vals.([]float64), ix, x[src.off:src.off+n], outer, k, inner)
	case []int64:
		reduceT(op, vals.([]int64), ix, x[src.off:src.off+n], outer, k, inner)
	case []int32:
		reduceT(op, vals.([]int32), ix, x[src.off:src.off+n], outer, k, inner)
	case []uint8:
		reduceT(op, asNumbers(vals).([]uint8), ix, x[src.off:src.off+n], outer, k, inner)
	}
}

// reduceFloat is reduceT with float sums added as cascades into float64
// (see vec.Sum), so that a Float32 sum keeps the digits Float32 holds
// however many elements it adds.
func reduceFloat[T vec.Float](op reduceOp, vals []T, ix []int64, x []T, outer, k, inner int) {
	switch {
	case op != redSum:
		reduceT(op, vals, ix, x, outer, k, inner)
	case inner == 1:
		sumRows(vals, x, outer, k)
	default:
		sumColumns(vals, x, outer, k, inner)
	}
}

// sumColumns sets vals[o*inner+j] to the sum of x[o][r][j] over r, x seen
// as of shape [outer, k, inner]: the sums along a dim that is not the
// last, added by vec.AddColumns into float64 sums, a tile of columns at a
// time.
func sumColumns[T vec.Float](vals, x []T, outer, k, inner int) {
	const tile = 256
	tiles := (inner + tile - 1) / tile
	parallelFor(outer*tiles, k*tile, func(lo, hi int) {
		var acc [tile]float64
		for job := lo; job < hi; job++ {
			o, j0 := job/tiles, job%tiles*tile
			sums := acc[:min(tile, inner-j0)]
			clear(sums)
			vec.AddColumns(sums, x[o*k*inner+j0:], k, inner)
			out := vals[o*inner+j0:][:len(sums)]
			for j, s := range sums {
				out[j] = T(s)
			}
		}
	})
}

// sumRows sets vals[o] to the sum of row o of x, outer rows of k elements,
// added as vec.Sum adds: as a cascade, in float64.
func sumRows[T vec.Float](vals, x []T, outer, k int) {
	if outer == 1 {
		vals[0] = T(parallelSum(x))
		return
	}
	parallelFor(outer, k, func(lo, hi int) {
		for o := lo; o < hi; o++ {
			vals[o] = T(vec.Sum(x[o*k : (o+1)*k]))
		}
	})
}

// sumChunk is the length of the pieces a long sum is split into; a
// multiple of vec.Block, so that each piece is a subtree of the cascade.
const sumChunk = 1 << 16

// parallelSum sums a long x on all cores: vec.Sum of each piece of
// sumChunk elements, the pieces taken in turns by the cores, and the
// pieces' sums added pairwise. The pieces depend on len(x) alone, so the
// result is the same, to the bit, on any number of cores.
func parallelSum[T vec.Float](x []T) float64 {
	if len(x) < 2*sumChunk {
		return vec.Sum(x)
	}
	sums := make([]float64, (len(x)+sumChunk-1)/sumChunk)
	parallelFor(len(sums), sumChunk, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			sums[c] = vec.Sum(x[c*sumChunk : min((c+1)*sumChunk, len(x))])
		}
	})
	return pairwise(sums)
}

// pairwise adds s as a balanced tree.
func pairwise(s []float64) float64 {
	if len(s) == 1 {
		return s[0]
	}
	h := len(s) / 2
	return pairwise(s[:h]) + pairwise(s[h:])
}

// partial is a reduction's running value and, for the arg reductions, the
// position it came from.
type partial[T number] struct {
	v T
	i int64
}

// reduceT reduces x, of shape [outer, k, inner], along k. Rows (inner == 1)
// are reduced one by one, and split over the cores when there are few long
// ones; otherwise whole k×inner planes are folded into the output a row at
// a time, which reads x in order.
func reduceT[T number](op reduceOp, vals []T, idx []int64, x []T, outer, k, inner int) {
	if k == 0 {
		// An empty sum is 0 and an empty product 1; the tensor layer
		// refuses empty maxima.
		var identity T
		if op == redProd {
			identity = 1
		}
		for i := range vals {
			vals[i] = identity
		}
		return
	}
	if inner == 1 {
		if outer == 1 {
			p := reduceRowParallel(op, x[:k])
			vals[0] = p.v
			if idx != nil {
				idx[0] = p.i
			}
			return
		}
		parallelFor(outer, k, func(lo, hi int) {
			for o := lo; o < hi; o++ {
				p := reduceRow(op, x[o*k:(o+1)*k], 0)
				vals[o] = p.v
				if idx != nil {
					idx[o] = p.i
				}
			}
		})
		return
	}
	plane := func(o, lo, hi int) {
		v := vals[o*inner+lo : o*inner+hi]
		var ix []int64
		if idx != nil {
			ix = idx[o*inner+lo : o*inner+hi]
		}
		foldPlane(op, v, ix, x[o*k*inner:], k, inner, lo)
	}
	if outer == 1 {
		parallelFor(inner, k, func(lo, hi int) { plane(0, lo, hi) })
		return
	}
	parallelFor(outer, k*inner, func(lo, hi int) {
		for o := lo; o < hi; o++ {
			plane(o, 0, inner)
		}
	})
}

// reduceRowParallel reduces one long row in chunks over the cores, then
// combines the chunks in order so that ties keep the first position.
func reduceRowParallel[T number](op reduceOp, x []T) partial[T] {
	const chunk = parallelThreshold
	parts := make([]partial[T], (len(x)+chunk-1)/chunk)
	if len(parts) <= 1 {
		return reduceRow(op, x, 0)
	}
	parallelFor(len(parts), chunk, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			parts[c] = reduceRow(op, x[c*chunk:min((c+1)*chunk, len(x))], c*chunk)
		}
	})
	acc := parts[0]
	for _, p := range parts[1:] {
		acc = combine(op, acc, p)
	}
	return acc
}

// combine merges the partial results of two consecutive chunks.
func combine[T number](op reduceOp, a, b partial[T]) partial[T] {
	switch op {
	case redSum:
		a.v += b.v
	case redProd:
		a.v *= b.v
	case redMax:
		if b.v > a.v || (b.v != b.v && a.v == a.v) {
			a = b
		}
	case redMin:
		if b.v < a.v || (b.v != b.v && a.v == a.v) {
			a = b
		}
	}
	return a
}

// reduceRow reduces one contiguous row; base is its first position, for
// the arg reductions. Float products accumulate in float64.
func reduceRow[T number](op reduceOp, x []T, base int) partial[T] {
	switch op {
	case redSum:
		// Float rows are summed by sumRows; this is the integer sum.
		var s T
		for _, v := range x {
			s += v
		}
		return partial[T]{v: s}
	case redProd:
		if isFloat[T]() {
			p := 1.0
			for _, v := range x {
				p *= float64(v)
			}
			return partial[T]{v: T(p)}
		}
		p := T(1)
		for _, v := range x {
			p *= v
		}
		return partial[T]{v: p}
	}
	best := partial[T]{v: x[0], i: int64(base)}
	for j, v := range x {
		if best.v != best.v {
			break // NaN wins, as in PyTorch
		}
		if (op == redMax && v > best.v) || (op == redMin && v < best.v) || v != v {
			best = partial[T]{v: v, i: int64(base + j)}
		}
	}
	return best
}

// foldPlane reduces columns [lo, lo+len(v)) of the k×inner plane x into v
// (and ix), one row of the plane at a time.
func foldPlane[T number](op reduceOp, v []T, ix []int64, x []T, k, inner, lo int) {
	n := len(v)
	copy(v, x[lo:lo+n])
	for j := range ix {
		ix[j] = 0
	}
	for r := 1; r < k; r++ {
		row := x[r*inner+lo : r*inner+lo+n]
		switch op {
		case redSum:
			for j, a := range row {
				v[j] += a
			}
		case redProd:
			for j, a := range row {
				v[j] *= a
			}
		case redMax, redMin:
			for j, a := range row {
				b := v[j]
				if b != b {
					continue
				}
				if (op == redMax && a > b) || (op == redMin && a < b) || a != a {
					v[j] = a
					if ix != nil {
						ix[j] = int64(r)
					}
				}
			}
		}
	}
}

func isFloat[T number]() bool {
	var z T
	switch any(z).(type) {
	case float32, float64:
		return true
	}
	return false
}

func (cpuBackend) softmax(log bool, dst any, src view, outer, k, inner int) {
	n := outer * k * inner
	switch x := src.buf.(type) {
	case []float32:
		softmaxT(log, dst.([]float32), x[src.off:src.off+n], outer, k, inner)
	case []float64:
		softmaxT(log, dst.([]float64), x[src.off:src.off+n], outer, k, inner)
	}
}

// softmaxT subtracts each line's maximum before exponentiating, so that
// exp cannot overflow, and computes log-softmax as x - max - log(sum), so
// that it stays finite where softmax underflows to 0.
func softmaxT[T floating](log bool, d, x []T, outer, k, inner int) {
	parallelFor(outer, k*inner, func(lo, hi int) {
		for o := lo; o < hi; o++ {
			for i := range inner {
				base := o*k*inner + i
				m := math.Inf(-1)
				for r := range k {
					m = max(m, float64(x[base+r*inner]))
				}
				s := 0.0
				for r := range k {
					e := math.Exp(float64(x[base+r*inner]) - m)
					if !log {
						d[base+r*inner] = T(e)
					}
					s += e
				}
				if log {
					ls := m + math.Log(s)
					for r := range k {
						d[base+r*inner] = T(float64(x[base+r*inner]) - ls)
					}
					continue
				}
				for r := range k {
					d[base+r*inner] = T(float64(d[base+r*inner]) / s)
				}
			}
		}
	})
}

func (cpuBackend) gemm(transA, transB, acc bool, m, n, k int, a any, aoff, lda int, b any, boff, ldb int, c any, coff, ldc int) {
	beta := 0
	if acc {
		beta = 1
	}
	switch aa := a.(type) {
	case []float32:
		gemmF32(transA, transB, m, n, k, 1, aa[aoff:], lda, b.([]float32)[boff:], ldb, float32(beta), c.([]float32)[coff:], ldc)
	case []float64:
		gemmF64(transA, transB, m, n, k, 1, aa[aoff:], lda, b.([]float64)[boff:], ldb, float64(beta), c.([]float64)[coff:], ldc)
	case []int64:
		gemmGo(transA, transB, m, n, k, 1, aa[aoff:], lda, b.([]int64)[boff:], ldb, int64(beta), c.([]int64)[coff:], ldc)
	case []int32:
		gemmGo(transA, transB, m, n, k, 1, aa[aoff:], lda, b.([]int32)[boff:], ldb, int32(beta), c.([]int32)[coff:], ldc)
	case []uint8:
		gemmGo(transA, transB, m, n, k, 1, aa[aoff:], lda, b.([]uint8)[boff:], ldb, uint8(beta), c.([]uint8)[coff:], ldc)
	}
}
