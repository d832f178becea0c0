// Package vec is the tensor package's arithmetic on contiguous float32 and
// float64 slices: the four binary operations between two slices or a slice
// and a number, ReLU and its gradient, the sum of a slice, and the sums of
// the columns of rows laid out at a stride. On amd64 the loops run in AVX-512 or AVX2
// assembly when the CPU has it; elsewhere, and for the few elements left
// over past the last full vector, in Go. The Go loops are the reference the
// assembly is tested against: both round every operation the same way, so
// their results are identical, bit for bit.
//
// The functions work on one goroutine; the caller splits big slices over
// the cores.
package vec

// Op is an elementwise arithmetic operation.
type Op uint8

// The operations.
const (
	Add Op = iota
	Sub
	Mul
	Div
)

// Float is the element types of this package.
type Float interface{ float32 | float64 }

// kernels is one instruction set's loops for one element type. Each loop
// handles the longest prefix that is a multiple of lanes elements (of
// sumLanes for sum, of colLanes columns for columns).
type kernels[T Float] struct {
	name                      string
	lanes, sumLanes, colLanes int
	vv                        [4]func(d, a, b *T, n int)
	vs                        [4]func(d, a *T, s T, n int)
	relu                      func(d, a *T, n int)
	reluGrad                  func(d, dy, y *T, n int)
	sum                       func(x *T, n int) float64
	columns                   func(x *T, stride, rows int, acc *float64, cols int)
}

// goKernels is the reference: no assembly, everything done by the tails.
func goKernels[T Float]() *kernels[T] { return &kernels[T]{name: "go"} }

// The loops in use: the best this CPU runs.
var (
	f32 = best(kernels32())
	f64 = best(kernels64())
)

func best[T Float](ks []*kernels[T]) *kernels[T] { return ks[len(ks)-1] }

// Binary sets d[i] = a[i] op b[i] for every i < len(d). a and b must be at
// least as long as d; they may be d itself.
func Binary[T Float](op Op, d, a, b []T) { binary(kernelsOf[T](), op, d, a, b) }

// Scalar sets d[i] = a[i] op s for every i < len(d). a must be at least as
// long as d and may be d itself.
func Scalar[T Float](op Op, d, a []T, s T) { scalar(kernelsOf[T](), op, d, a, s) }

// ReLU sets d[i] = max(a[i], 0) for every i < len(d), as PyTorch's relu
// does: NaN stays NaN and -0 becomes 0. a must be at least as long as d
// and may be d itself.
func ReLU[T Float](d, a []T) { relu(kernelsOf[T](), d, a) }

// ReLUGrad sets d[i] = dy[i] where y[i] > 0 and 0 elsewhere, for every
// i < len(d): the gradient through y = ReLU(x) given the gradient dy of y.
// dy and y must be at least as long as d; either may be d itself.
func ReLUGrad[T Float](d, dy, y []T) { reluGrad(kernelsOf[T](), d, dy, y) }

// Block is the length up to which Sum adds in one pass; longer slices are
// summed as two halves, the first a multiple of Block elements long, so
// that a caller summing pieces that are multiples of Block gets the sums of
// subtrees of Sum's cascade.
const Block = 4096

// Sum returns the sum of x in float64, added as a cascade: each block of up
// to Block elements is summed in several vectors of sums, and the blocks'
// sums are added as a balanced tree, so that the rounding error grows with
// the logarithm of len(x), not with len(x). Float64 elements are added in
// float64 throughout. Float32 elements are added eight to a float32 sum
// (the first levels of the cascade, in which a float32 sum runs at twice
// the speed of one that widens every element first) and those sums in
// float64: the result is within a few units of float32 rounding of the
// exact sum of magnitudes, as good as PyTorch's cascade sum and far better
// than adding in float32 one by one, which stops growing at 2**24 ones.
func Sum[T Float](x []T) float64 { return sum(kernelsOf[T](), x) }

// AddColumns adds rows rows of x, stride elements apart, into acc:
// acc[j] += x[r·stride + j] for every r < rows and j < len(acc). These are
// sums along a dimension that is not the last; a tile of them stays in
// registers while the loop walks down the rows. Float64 elements are added
// in float64, float32 ones eight rows to a float32 sum first, as Sum adds
// them. x must hold (rows-1)·stride + len(acc) elements.
func AddColumns[T Float](acc []float64, x []T, rows, stride int) {
	addColumns(kernelsOf[T](), acc, x, rows, stride)
}

// kernelsOf returns the loops in use for T.
func kernelsOf[T Float]() *kernels[T] {
	var k any
	var zero T
	switch any(zero).(type) {
	case float32:
		k = f32
	case float64:
		k = f64
	}
	return k.(*kernels[T])
}

func binary[T Float](k *kernels[T], op Op, d, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	done := 0
	if f := k.vv[op]; f != nil && len(d) >= k.lanes {
		done = len(d) &^ (k.lanes - 1)
		f(&d[0], &a[0], &b[0], done)
	}
	d, a, b = d[done:], a[done:], b[done:]
	switch op {
	case Add:
		for i := range d {
			d[i] = a[i] + b[i]
		}
	case Sub:
		for i := range d {
			d[i] = a[i] - b[i]
		}
	case Mul:
		for i := range d {
			d[i] = a[i] * b[i]
		}
	case Div:
		for i := range d {
			d[i] = a[i] / b[i]
		}
	}
}

func scalar[T Float](k *kernels[T], op Op, d, a []T, s T) {
	a = a[:len(d)]
	done := 0
	if f := k.vs[op]; f != nil && len(d) >= k.lanes {
		done = len(d) &^ (k.lanes - 1)
		f(&d[0], &a[0], s, done)
	}
	d, a = d[done:], a[done:]
	switch op {
	case Add:
		for i := range d {
			d[i] = a[i] + s
		}
	case Sub:
		for i := range d {
			d[i] = a[i] - s
		}
	case Mul:
		for i := range d {
			d[i] = a[i] * s
		}
	case Div:
		for i := range d {
			d[i] = a[i] / s
		}
	}
}

func relu[T Float](k *kernels[T], d, a []T) {
	a = a[:len(d)]
	done := 0
	if k.relu != nil && len(d) >= k.lanes {
		done = len(d) &^ (k.lanes - 1)
		k.relu(&d[0], &a[0], done)
	}
	for i, x := range a[done:] {
		// x <= 0 is false for NaN, which passes through.
		if x <= 0 {
			x = 0
		}
		d[done+i] = x
	}
}

func reluGrad[T Float](k *kernels[T], d, dy, y []T) {
	dy, y = dy[:len(d)], y[:len(d)]
	done := 0
	if k.reluGrad != nil && len(d) >= k.lanes {
		done = len(d) &^ (k.lanes - 1)
		k.reluGrad(&d[0], &dy[0], &y[0], done)
	}
	for i, v := range y[done:] {
		var g T
		if v > 0 {
			g = dy[done+i]
		}
		d[done+i] = g
	}
}

func sum[T Float](k *kernels[T], x []T) float64 {
	if len(x) > Block {
		h := (len(x)/2 + Block - 1) / Block * Block
		return sum(k, x[:h]) + sum(k, x[h:])
	}
	s, done := 0.0, 0
	if k.sum != nil && len(x) >= k.sumLanes {
		done = len(x) &^ (k.sumLanes - 1)
		s = k.sum(&x[0], done)
	}
	// Four sums let the additions overlap where there is no assembly.
	var s0, s1, s2, s3 float64
	x = x[done:]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += float64(x[i])
		s1 += float64(x[i+1])
		s2 += float64(x[i+2])
		s3 += float64(x[i+3])
	}
	for ; i < len(x); i++ {
		s0 += float64(x[i])
	}
	return s + ((s0 + s1) + (s2 + s3))
}

func addColumns[T Float](k *kernels[T], acc []float64, x []T, rows, stride int) {
	if rows == 0 || len(acc) == 0 {
		return
	}
	_ = x[(rows-1)*stride+len(acc)-1]
	done := 0
	if k.columns != nil && len(acc) >= k.colLanes {
		done = len(acc) &^ (k.colLanes - 1)
		k.columns(&x[0], stride, rows, &acc[0], done)
	}
	for r := range rows {
		row := x[r*stride+done : r*stride+len(acc)]
		for j, v := range row {
			acc[done+j] += float64(v)
		}
	}
}
