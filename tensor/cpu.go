package tensor

import (
	"math"
	"math/big"
	"unsafe"

	"github.com/gorch/gorch/tensor/internal/vec"
)

// cpuBackend runs kernels as Go loops over Go slices: generic over the
// element type, with tight loops for the contiguous cases, split over the
// cores for big tensors.
type cpuBackend struct{}

var cpu backend = cpuBackend{}

func (cpuBackend) kind() string { return "cpu" }

func (cpuBackend) alloc(dt Dtype, n int) any {
	switch dt {
	case Float32:
		return allocBig[float32](n)
	case Float64:
		return allocBig[float64](n)
	case Int64:
		return allocBig[int64](n)
	case Int32:
		return allocBig[int32](n)
	case Uint8:
		return allocBig[uint8](n)
	}
	return allocBig[bool](n)
}

// bigBuffer is the size from which a buffer is worth backing with huge
// pages: NumPy's threshold for the same advice.
const bigBuffer = 2 * hugePage

// cloneBig returns a copy of s in a buffer from allocBig.
func cloneBig[T any](s []T) []T {
	b := allocBig[T](len(s))
	copy(b, s)
	return b
}

// goMaxAlloc is the size of the heap's address space on 64-bit systems,
// past which make panics with a runtime error rather than a *Error.
const goMaxAlloc = 1 << 48

// allocBig returns a zeroed buffer of n elements, advising the kernel to
// back a big one with huge pages. Every buffer a tensor owns comes from it.
// It panics, as PyTorch's allocator fails, for a buffer bigger than
// maxBuffer: the Go runtime cannot recover from failing to get the memory,
// so a notebook's kernel would die instead of reporting the cell's error.
func allocBig[T any](n int) []T {
	var zero T
	if size := uint64(unsafe.Sizeof(zero)); n > 0 && uint64(n) > maxBuffer()/size {
		bytes := new(big.Int).Mul(big.NewInt(int64(n)), new(big.Int).SetUint64(size))
		panicf("DefaultCPUAllocator: can't allocate memory: you tried to allocate %v bytes.", bytes)
	}
	b := make([]T, n)
	if size := n * int(unsafe.Sizeof(b[0])); n > 0 && size >= bigBuffer {
		adviseHugePages(unsafe.Pointer(&b[0]), size)
	}
	return b
}

// number is the element types the arithmetic kernels are generic over.
type number interface {
	~float32 | ~float64 | ~int64 | ~int32 | ~uint8
}

type floating interface{ ~float32 | ~float64 }

// bytesOf reinterprets a Bool buffer as bytes, 0 or 1, so that the uint8
// kernels serve Bool too: maximum is "or", minimum is "and".
func bytesOf(b []bool) []uint8 {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*uint8)(unsafe.Pointer(&b[0])), len(b))
}

// asNumbers returns buf with a Bool buffer seen as bytes.
func asNumbers(buf any) any {
	if b, ok := buf.([]bool); ok {
		return bytesOf(b)
	}
	return buf
}

func (cpuBackend) binary(op binaryOp, d, a, b view) {
	it := newIter(d.shape, d, a, b)
	if op.isComparison() {
		dd := d.buf.([]bool)
		switch aa := asNumbers(a.buf).(type) {
		case []float32:
			compare(op, dd, aa, b.buf.([]float32), &it)
		case []float64:
			compare(op, dd, aa, b.buf.([]float64), &it)
		case []int64:
			compare(op, dd, aa, b.buf.([]int64), &it)
		case []int32:
			compare(op, dd, aa, b.buf.([]int32), &it)
		case []uint8:
			compare(op, dd, aa, asNumbers(b.buf).([]uint8), &it)
		}
		return
	}
	switch dd := asNumbers(d.buf).(type) {
	case []float32:
		arith(op, floatRun(&vecRuns32, op), dd, a.buf.([]float32), b.buf.([]float32), &it)
	case []float64:
		arith(op, floatRun(&vecRuns64, op), dd, a.buf.([]float64), b.buf.([]float64), &it)
	case []int64:
		arith(op, nil, dd, a.buf.([]int64), b.buf.([]int64), &it)
	case []int32:
		arith(op, nil, dd, a.buf.([]int32), b.buf.([]int32), &it)
	case []uint8:
		arith(op, nil, dd, asNumbers(a.buf).([]uint8), asNumbers(b.buf).([]uint8), &it)
	}
}

// floatRun returns the run kernel for op from runs, vec's for floats, and
// nil for the operations vec does not run.
func floatRun[T vec.Float](runs *[4]runKernel[T], op binaryOp) runKernel[T] {
	if !op.isArith() {
		return nil
	}
	return runs[op]
}

// runKernel computes one run of a binary operation: n elements at strides
// ds, as and bs.
type runKernel[T any] func(d []T, ds int, a []T, as int, b []T, bs int, n int)

// arith computes op over the walk it, with the run kernel k if not nil.
func arith[T number](op binaryOp, k runKernel[T], d, a, b []T, it *iterSpace) {
	switch {
	case k != nil:
	case op == opAdd:
		k = addRun[T]
	case op == opSub:
		k = subRun[T]
	case op == opMul:
		k = mulRun[T]
	case op == opDiv:
		k = divRun[T]
	case op == opPow:
		k = mapRun(powFunc[T]())
	case op == opMaximum:
		k = mapRun(func(x, y T) T {
			if x > y || x != x {
				return x
			}
			return y
		})
	case op == opMinimum:
		k = mapRun(func(x, y T) T {
			if x < y || x != x {
				return x
			}
			return y
		})
	}
	each(it, binaryRunner[T]{k, d, a, b, it.inner(0), it.inner(1), it.inner(2)})
}

// binaryRunner runs a binary kernel over the runs of a walk.
type binaryRunner[T any] struct {
	k          runKernel[T]
	d, a, b    []T
	ds, as, bs int
}

func (r binaryRunner[T]) run(off [maxOperands]int, n int) {
	r.k(r.d[off[0]:], r.ds, r.a[off[1]:], r.as, r.b[off[2]:], r.bs, n)
}

// mapRun makes a run kernel of a function of two elements, for the
// operations whose cost is not in the loop.
func mapRun[T any](f func(x, y T) T) runKernel[T] {
	return func(d []T, ds int, a []T, as int, b []T, bs int, n int) {
		if ds == 1 && as == 1 && bs == 1 {
			d, a, b = d[:n], a[:n], b[:n]
			for i := range d {
				d[i] = f(a[i], b[i])
			}
			return
		}
		for i := range n {
			d[i*ds] = f(a[i*as], b[i*bs])
		}
	}
}

// powFunc returns x**y for T: math.Pow for floats, repeated squaring for
// integers, where a negative exponent gives 0 unless the base is ±1.
func powFunc[T number]() func(x, y T) T {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return func(x, y T) T { return T(math.Pow(float64(x), float64(y))) }
	}
	if _, ok := any(zero).(float64); ok {
		return func(x, y T) T { return T(math.Pow(float64(x), float64(y))) }
	}
	return func(x, y T) T {
		if y < 0 {
			switch {
			case x == 1:
				return 1
			case x+1 == 0 && int64(y)%2 == 0:
				return 1
			case x+1 == 0:
				return x
			}
			return 0
		}
		r := T(1)
		for e := int64(y); e > 0; e >>= 1 {
			if e&1 == 1 {
				r *= x
			}
			x *= x
		}
		return r
	}
}

func compare[T number](op binaryOp, d []bool, a, b []T, it *iterSpace) {
	each(it, compareRunner[T]{op, d, a, b, it.inner(0), it.inner(1), it.inner(2)})
}

// compareRunner compares over the runs of a walk, with a loop per
// comparison rather than a function value, which would cost an
// allocation per operation and a call per element.
type compareRunner[T number] struct {
	op         binaryOp
	d          []bool
	a, b       []T
	ds, as, bs int
}

func (r compareRunner[T]) run(off [maxOperands]int, n int) {
	d, a, b := r.d[off[0]:], r.a[off[1]:], r.b[off[2]:]
	ds, as, bs := r.ds, r.as, r.bs
	switch r.op {
	case opEq:
		for i := range n {
			d[i*ds] = a[i*as] == b[i*bs]
		}
	case opNe:
		for i := range n {
			d[i*ds] = a[i*as] != b[i*bs]
		}
	case opLt:
		for i := range n {
			d[i*ds] = a[i*as] < b[i*bs]
		}
	case opLe:
		for i := range n {
			d[i*ds] = a[i*as] <= b[i*bs]
		}
	case opGt:
		for i := range n {
			d[i*ds] = a[i*as] > b[i*bs]
		}
	case opGe:
		for i := range n {
			d[i*ds] = a[i*as] >= b[i*bs]
		}
	}
}

func (cpuBackend) unary(op unaryOp, d, a view) {
	if unaryFast(op, d, a) {
		return
	}
	it := newIter(d.shape, d, a)
	switch dd := asNumbers(d.buf).(type) {
	case []float32:
		unaryT(op, dd, a.buf.([]float32), &it)
	case []float64:
		unaryT(op, dd, a.buf.([]float64), &it)
	case []int64:
		unaryT(op, dd, a.buf.([]int64), &it)
	case []int32:
		unaryT(op, dd, a.buf.([]int32), &it)
	case []uint8:
		unaryT(op, dd, asNumbers(a.buf).([]uint8), &it)
	}
}

func unaryT[T number](op unaryOp, d, a []T, it *iterSpace) {
	each(it, mapRunner[T, T]{unaryFunc[T](op), d, a, it.inner(0), it.inner(1)})
}

// mapRunner writes f of each element of s into d over the runs of a walk.
type mapRunner[D, S any] struct {
	f      func(S) D
	d      []D
	s      []S
	ds, ss int
}

func (r mapRunner[D, S]) run(off [maxOperands]int, n int) {
	d, s, f := r.d[off[0]:], r.s[off[1]:], r.f
	if r.ds == 1 && r.ss == 1 {
		d, s = d[:n], s[:n]
		for i := range d {
			d[i] = f(s[i])
		}
		return
	}
	for i := range n {
		d[i*r.ds] = f(s[i*r.ss])
	}
}

// unaryFunc returns the element function of op. The transcendental ones
// compute in float64; the tensor layer only sends them floats.
func unaryFunc[T number](op unaryOp) func(T) T {
	switch op {
	case opNeg:
		return func(x T) T { return -x }
	case opAbs:
		return func(x T) T {
			if x < 0 {
				return -x
			}
			return x
		}
	case opSign:
		return func(x T) T {
			switch {
			case x > 0:
				return 1
			case x < 0:
				var m1 T
				return m1 - 1
			}
			return x
		}
	case opReLU:
		return func(x T) T {
			if x > 0 || x != x {
				return x
			}
			return 0
		}
	case opExp:
		return func(x T) T { return T(math.Exp(float64(x))) }
	case opLog:
		return func(x T) T { return T(math.Log(float64(x))) }
	case opSqrt:
		return func(x T) T { return T(math.Sqrt(float64(x))) }
	case opSin:
		return func(x T) T { return T(math.Sin(float64(x))) }
	case opCos:
		return func(x T) T { return T(math.Cos(float64(x))) }
	case opTanh:
		return func(x T) T { return T(math.Tanh(float64(x))) }
	case opSigmoid:
		return func(x T) T { return T(1 / (1 + math.Exp(-float64(x)))) }
	}
	return nil
}

func (cpuBackend) where(d, c, a, b view) {
	it := newIter(d.shape, d, c, a, b)
	cond := c.buf.([]bool)
	switch dd := asNumbers(d.buf).(type) {
	case []float32:
		whereT(dd, cond, a.buf.([]float32), b.buf.([]float32), &it)
	case []float64:
		whereT(dd, cond, a.buf.([]float64), b.buf.([]float64), &it)
	case []int64:
		whereT(dd, cond, a.buf.([]int64), b.buf.([]int64), &it)
	case []int32:
		whereT(dd, cond, a.buf.([]int32), b.buf.([]int32), &it)
	case []uint8:
		whereT(dd, cond, asNumbers(a.buf).([]uint8), asNumbers(b.buf).([]uint8), &it)
	}
}

func whereT[T any](d []T, c []bool, a, b []T, it *iterSpace) {
	each(it, whereRunner[T]{d, a, b, c, it.inner(0), it.inner(1), it.inner(2), it.inner(3)})
}

// whereRunner picks from a where c holds and from b elsewhere over the runs
// of a walk.
type whereRunner[T any] struct {
	d, a, b        []T
	c              []bool
	ds, cs, as, bs int
}

func (r whereRunner[T]) run(off [maxOperands]int, n int) {
	d, c, a, b := r.d[off[0]:], r.c[off[1]:], r.a[off[2]:], r.b[off[3]:]
	for i := range n {
		if c[i*r.cs] {
			d[i*r.ds] = a[i*r.as]
		} else {
			d[i*r.ds] = b[i*r.bs]
		}
	}
}

// copy converts between every pair of dtypes with a generic loop per pair;
// a Bool destination gets x != 0, a Bool source 0 or 1.
func (cpuBackend) copy(d, s view) {
	it := newIter(d.shape, d, s)
	if dd, ok := d.buf.([]bool); ok {
		if sb, ok := s.buf.([]bool); ok {
			copyRuns(dd, sb, &it)
			return
		}
		copyTo(bytesOf(dd), s.buf, &it, true)
		return
	}
	switch dd := d.buf.(type) {
	case []float32:
		copyTo(dd, s.buf, &it, false)
	case []float64:
		copyTo(dd, s.buf, &it, false)
	case []int64:
		copyTo(dd, s.buf, &it, false)
	case []int32:
		copyTo(dd, s.buf, &it, false)
	case []uint8:
		copyTo(dd, s.buf, &it, false)
	}
}

// copyTo converts src into d; toBool makes every nonzero element 1.
func copyTo[D number](d []D, src any, it *iterSpace, toBool bool) {
	switch s := asNumbers(src).(type) {
	case []float32:
		convertNum(d, s, it, toBool)
	case []float64:
		convertNum(d, s, it, toBool)
	case []int64:
		convertNum(d, s, it, toBool)
	case []int32:
		convertNum(d, s, it, toBool)
	case []uint8:
		convertNum(d, s, it, toBool)
	}
}

func convertNum[D, S number](d []D, s []S, it *iterSpace, toBool bool) {
	if toBool {
		convertRuns(d, s, it, func(x S) D {
			if x != 0 {
				return 1
			}
			return 0
		})
		return
	}
	if same, ok := any(s).([]D); ok {
		copyRuns(d, same, it)
		return
	}
	convertRuns(d, s, it, func(x S) D { return D(x) })
}

// copyRuns copies without conversion: memmove for contiguous runs.
func copyRuns[T any](d, s []T, it *iterSpace) {
	each(it, copyRunner[T]{d, s, it.inner(0), it.inner(1)})
}

// copyRunner copies s into d over the runs of a walk.
type copyRunner[T any] struct {
	d, s   []T
	ds, ss int
}

func (r copyRunner[T]) run(off [maxOperands]int, n int) {
	d, s := r.d[off[0]:], r.s[off[1]:]
	if r.ds == 1 && r.ss == 1 {
		copy(d[:n], s[:n])
		return
	}
	for i := range n {
		d[i*r.ds] = s[i*r.ss]
	}
}

func convertRuns[D, S any](d []D, s []S, it *iterSpace, f func(S) D) {
	each(it, mapRunner[D, S]{f, d, s, it.inner(0), it.inner(1)})
}

func addRun[T number](d []T, ds int, a []T, as int, b []T, bs int, n int) {
	switch {
	case ds == 1 && as == 1 && bs == 1:
		d, a, b = d[:n], a[:n], b[:n]
		for i := range d {
			d[i] = a[i] + b[i]
		}
	case ds == 1 && as == 1 && bs == 0:
		d, a, y := d[:n], a[:n], b[0]
		for i := range d {
			d[i] = a[i] + y
		}
	case ds == 1 && as == 0 && bs == 1:
		d, x, b := d[:n], a[0], b[:n]
		for i := range d {
			d[i] = x + b[i]
		}
	default:
		for i := range n {
			d[i*ds] = a[i*as] + b[i*bs]
		}
	}
}

func subRun[T number](d []T, ds int, a []T, as int, b []T, bs int, n int) {
	switch {
	case ds == 1 && as == 1 && bs == 1:
		d, a, b = d[:n], a[:n], b[:n]
		for i := range d {
			d[i] = a[i] - b[i]
		}
	case ds == 1 && as == 1 && bs == 0:
		d, a, y := d[:n], a[:n], b[0]
		for i := range d {
			d[i] = a[i] - y
		}
	case ds == 1 && as == 0 && bs == 1:
		d, x, b := d[:n], a[0], b[:n]
		for i := range d {
			d[i] = x - b[i]
		}
	default:
		for i := range n {
			d[i*ds] = a[i*as] - b[i*bs]
		}
	}
}

func mulRun[T number](d []T, ds int, a []T, as int, b []T, bs int, n int) {
	switch {
	case ds == 1 && as == 1 && bs == 1:
		d, a, b = d[:n], a[:n], b[:n]
		for i := range d {
			d[i] = a[i] * b[i]
		}
	case ds == 1 && as == 1 && bs == 0:
		d, a, y := d[:n], a[:n], b[0]
		for i := range d {
			d[i] = a[i] * y
		}
	case ds == 1 && as == 0 && bs == 1:
		d, x, b := d[:n], a[0], b[:n]
		for i := range d {
			d[i] = x * b[i]
		}
	default:
		for i := range n {
			d[i*ds] = a[i*as] * b[i*bs]
		}
	}
}

func divRun[T number](d []T, ds int, a []T, as int, b []T, bs int, n int) {
	switch {
	case ds == 1 && as == 1 && bs == 1:
		d, a, b = d[:n], a[:n], b[:n]
		for i := range d {
			d[i] = a[i] / b[i]
		}
	case ds == 1 && as == 1 && bs == 0:
		d, a, y := d[:n], a[:n], b[0]
		for i := range d {
			d[i] = a[i] / y
		}
	case ds == 1 && as == 0 && bs == 1:
		d, x, b := d[:n], a[0], b[:n]
		for i := range d {
			d[i] = x / b[i]
		}
	default:
		for i := range n {
			d[i*ds] = a[i*as] / b[i*bs]
		}
	}
}
