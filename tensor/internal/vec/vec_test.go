package vec

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// lengths covers empty, shorter than a vector, every remainder around the
// unrolled loops, and a length past one sum block.
var lengths = []int{0, 1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200, 1000, Block + 37, 3*Block + 5}

var opNames = [...]string{Add: "add", Sub: "sub", Mul: "mul", Div: "div"}

func randSlice[T Float](r *rand.Rand, n int) []T {
	x := make([]T, n)
	for i := range x {
		x[i] = T(r.NormFloat64() * 100)
	}
	if n > 3 {
		x[1] = 0 // 0/0 and x/0 must match too
	}
	return x
}

func same[T Float](x, y T) bool { return x == y || (x != x && y != y) }

// testBinary checks every instruction set's loops against the Go loops,
// at offsets that leave the slices unaligned and with d aliasing a.
func testBinary[T Float](t *testing.T, ks []*kernels[T]) {
	ref := ks[0]
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range ks[1:] {
		for op := Add; op <= Div; op++ {
			for _, n := range lengths {
				for _, off := range []int{0, 1} {
					a, b := randSlice[T](r, n+off)[off:], randSlice[T](r, n+off)[off:]
					s := T(r.NormFloat64())
					want, got := make([]T, n), make([]T, n+off)[off:]
					binary(ref, op, want, a, b)
					binary(k, op, got, a, b)
					check(t, fmt.Sprintf("%s %s vv n=%d off=%d", k.name, opNames[op], n, off), got, want)
					scalar(ref, op, want, a, s)
					scalar(k, op, got, a, s)
					check(t, fmt.Sprintf("%s %s vs n=%d off=%d", k.name, opNames[op], n, off), got, want)
					inplace := append([]T(nil), a...)
					binary(k, op, inplace, inplace, b)
					binary(ref, op, want, a, b)
					check(t, fmt.Sprintf("%s %s vv in place n=%d", k.name, opNames[op], n), inplace, want)
				}
			}
		}
	}
}

func check[T Float](t *testing.T, what string, got, want []T) {
	t.Helper()
	for i := range want {
		if !same(got[i], want[i]) {
			t.Fatalf("%s: element %d is %v, want %v", what, i, got[i], want[i])
		}
	}
}

func TestBinaryFloat32(t *testing.T) { testBinary(t, kernels32()) }
func TestBinaryFloat64(t *testing.T) { testBinary(t, kernels64()) }

// testColumns checks every instruction set's column sums against the Go
// loop's, which adds each element in float64, for widths around every tile
// size, rows that do not start at a vector boundary, and row counts around
// a float32 block. The bound, relative to each column's sum of magnitudes,
// is 0 where the loops add in the same order (float64) and the float32
// blocks' few units of float32 rounding otherwise.
func testColumns[T Float](t *testing.T, ks []*kernels[T], bound float64) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, k := range ks[1:] {
		for _, cols := range lengths[:19] {
			for _, rows := range []int{0, 1, 5, 8, 9, 17} {
				stride := cols + 3
				x := randSlice[T](r, rows*stride+1)[1:]
				want := make([]float64, cols)
				for j := range want {
					want[j] = r.NormFloat64()
				}
				got := append([]float64(nil), want...)
				abs := make([]float64, cols)
				for j := range abs {
					abs[j] = math.Abs(want[j])
					for i := range rows {
						abs[j] += math.Abs(float64(x[i*stride+j]))
					}
				}
				addColumns(ks[0], want, x, rows, stride)
				addColumns(k, got, x, rows, stride)
				for j := range want {
					if math.Abs(got[j]-want[j]) > bound*abs[j] {
						t.Fatalf("%s columns cols=%d rows=%d: column %d is %v, want %v", k.name, cols, rows, j, got[j], want[j])
					}
				}
			}
		}
	}
}

func TestColumnsFloat32(t *testing.T) { testColumns(t, kernels32(), 16*0x1p-24) }
func TestColumnsFloat64(t *testing.T) { testColumns(t, kernels64(), 0) }

// exactSum is the sum of x rounded once, to float64.
func exactSum[T Float](x []T) float64 {
	s := new(big.Float).SetPrec(4096)
	for _, v := range x {
		s.Add(s, big.NewFloat(float64(v)))
	}
	f, _ := s.Float64()
	return f
}

// testSum checks every instruction set's sum against the exact sum. The
// error bound, relative to the sum of magnitudes, is that of the cascade:
// for float64, a unit of float64 rounding per term of a block's sums; for
// float32, the first levels' few units of float32 rounding.
func testSum[T Float](t *testing.T, ks []*kernels[T], bound float64) {
	r := rand.New(rand.NewPCG(3, 4))
	// Terms of one sign are where adding one by one goes wrong: a million
	// tenths summed in float32 come to 105891.84.
	tenths := make([]T, 1<<20)
	for i := range tenths {
		tenths[i] = 0.1
	}
	for _, k := range ks {
		for _, n := range append(lengths, 100_003, -1) {
			x := tenths
			if n >= 0 {
				x = randSlice[T](r, n)
			}
			abs := 0.0
			for _, v := range x {
				abs += math.Abs(float64(v))
			}
			got, want := sum(k, x), exactSum(x)
			if err := math.Abs(got - want); err > bound*abs {
				t.Errorf("%s sum of %d: got %v, want %v (error %g, bound %g)", k.name, n, got, want, err, bound*abs)
			}
		}
	}
}

func TestSumFloat32(t *testing.T) { testSum(t, kernels32(), 16*0x1p-24) }
func TestSumFloat64(t *testing.T) { testSum(t, kernels64(), 1e-12) }

// TestSumOfManyOnes is the failure float32 accumulation has: past 2**24 a
// float32 sum of ones stops growing.
func TestSumOfManyOnes(t *testing.T) {
	const n = 1<<24 + 1000
	x := make([]float32, n)
	for i := range x {
		x[i] = 1
	}
	if got := Sum(x); got != n {
		t.Errorf("Sum of %d ones = %v", n, got)
	}
}

// filled returns n ones: memory never written would all be the one zero
// page, which is always in the cache.
func filled(n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = 1
	}
	return x
}

func BenchmarkSum(b *testing.B) {
	for _, k := range kernels32() {
		for _, n := range []int{1000, 100_000, 10_000_000} {
			x := filled(n)
			b.Run(fmt.Sprintf("%s/%d", k.name, n), func(b *testing.B) {
				b.SetBytes(int64(4 * n))
				for b.Loop() {
					sum(k, x)
				}
			})
		}
	}
}

func BenchmarkAdd(b *testing.B) {
	for _, k := range kernels32() {
		for _, n := range []int{1000, 100_000, 10_000_000} {
			x, y := filled(n), filled(n)
			b.Run(fmt.Sprintf("%s/%d", k.name, n), func(b *testing.B) {
				b.SetBytes(int64(12 * n))
				for b.Loop() {
					binary(k, Add, x, x, y)
				}
			})
		}
	}
}

// testReLU checks every instruction set's ReLU and ReLU gradient against
// the Go loops, bit for bit: NaN passes through ReLU, -0 becomes +0, and
// the gradient is +0 where y is not positive (NaN included).
func testReLU[T Float](t *testing.T, ks []*kernels[T]) {
	ref := ks[0]
	r := rand.New(rand.NewPCG(3, 4))
	special := []T{T(math.NaN()), T(math.Copysign(0, -1)), 0, T(math.Inf(1)), T(math.Inf(-1)), -1}
	for _, k := range ks[1:] {
		for _, n := range lengths {
			for _, off := range []int{0, 1} {
				a, dy := randSlice[T](r, n+off)[off:], randSlice[T](r, n+off)[off:]
				for i := range min(n, 64) {
					if i%3 == 0 {
						a[i] = special[i/3%len(special)]
					}
				}
				want, got := make([]T, n), make([]T, n+off)[off:]
				relu(ref, want, a)
				relu(k, got, a)
				checkBits(t, fmt.Sprintf("%s relu n=%d off=%d", k.name, n, off), got, want)
				reluGrad(ref, want, dy, a)
				reluGrad(k, got, dy, a)
				checkBits(t, fmt.Sprintf("%s relu grad n=%d off=%d", k.name, n, off), got, want)
				inplace := append([]T(nil), a...)
				relu(k, inplace, inplace)
				relu(ref, want, a)
				checkBits(t, fmt.Sprintf("%s relu in place n=%d", k.name, n), inplace, want)
			}
		}
	}
}

// checkBits is check with the bits compared, so that -0 and +0 differ.
func checkBits[T Float](t *testing.T, what string, got, want []T) {
	t.Helper()
	for i := range want {
		if math.Float64bits(float64(got[i])) != math.Float64bits(float64(want[i])) {
			t.Fatalf("%s: element %d is %v, want %v", what, i, got[i], want[i])
		}
	}
}

func TestReLUFloat32(t *testing.T) { testReLU(t, kernels32()) }
func TestReLUFloat64(t *testing.T) { testReLU(t, kernels64()) }

// TestReLUValues pins the Go loops' results, which the instruction sets'
// loops are checked against, to PyTorch's relu and its gradient.
func TestReLUValues(t *testing.T) {
	nan, negZero := math.NaN(), math.Copysign(0, -1)
	a := []float64{-2, negZero, 0, 3, nan, math.Inf(-1)}
	d := make([]float64, len(a))
	ReLU(d, a)
	want := []float64{0, 0, 0, 3, nan, 0}
	checkBits(t, "relu", d, want)
	ReLUGrad(d, []float64{1, 1, 1, 1, 1, 1}, a)
	checkBits(t, "relu grad", d, []float64{0, 0, 0, 1, 0, 0})
}
