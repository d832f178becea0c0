package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// cPad fills the stride padding of C so that any write to it is caught;
// the padding of A and B is NaN, so that any read of it poisons C.
const cPad = -12345

// testCase is one product; the matrices are generated from seed.
type testCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float64
	pad            int // extra elements per row beyond the stored width
	seed           uint64
}

func (tc testCase) String() string {
	return fmt.Sprintf("tA=%v tB=%v m=%d n=%d k=%d alpha=%g beta=%g pad=%d",
		tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.pad)
}

// operands builds A, B and C with row padding; C is NaN when beta is 0,
// since it must then be ignored.
func operands[T float](tc testCase) (p problem[T]) {
	rng := rand.New(rand.NewPCG(tc.seed, 7))
	fill := func(rows, cols int, pad T) ([]T, int) {
		ld := cols + tc.pad
		x := make([]T, max(0, (rows-1)*ld+cols))
		for i := range x {
			if i%ld < cols {
				x[i] = T(rng.Float64()*2 - 1)
			} else {
				x[i] = pad
			}
		}
		return x, max(1, ld)
	}
	nan := T(math.NaN())
	ar, ac := tc.m, tc.k
	if tc.transA {
		ar, ac = ac, ar
	}
	br, bc := tc.k, tc.n
	if tc.transB {
		br, bc = bc, br
	}
	p = problem[T]{transA: tc.transA, transB: tc.transB, m: tc.m, n: tc.n, k: tc.k, alpha: T(tc.alpha), beta: T(tc.beta)}
	p.a, p.lda = fill(ar, ac, nan)
	p.b, p.ldb = fill(br, bc, nan)
	p.c, p.ldc = fill(tc.m, tc.n, cPad)
	if tc.beta == 0 {
		for i := range p.c {
			if i%p.ldc < tc.n {
				p.c[i] = nan
			}
		}
	}
	return p
}

// at returns the element (i, j) of op(X) for X stored with stride ld.
func at[T float](x []T, ld int, trans bool, i, j int) T {
	if trans {
		return x[j*ld+i]
	}
	return x[i*ld+j]
}

// reference is the naive triple loop in float64, with an error bound for
// each element of C derived from the magnitudes summed.
func reference[T float](p *problem[T]) (want, bound []float64) {
	eps := 0x1p-52
	var zero T
	if _, ok := any(zero).(float32); ok {
		eps = 0x1p-23
	}
	want = make([]float64, len(p.c))
	bound = make([]float64, len(p.c))
	for i := range p.m {
		for j := range p.n {
			var s, mag float64
			for l := range p.k {
				t := float64(at(p.a, p.lda, p.transA, i, l)) * float64(at(p.b, p.ldb, p.transB, l, j))
				s += t
				mag += math.Abs(t)
			}
			ij := i*p.ldc + j
			s *= float64(p.alpha)
			mag *= math.Abs(float64(p.alpha))
			if p.beta != 0 {
				s += float64(p.beta) * float64(p.c[ij])
				mag += math.Abs(float64(p.beta) * float64(p.c[ij]))
			}
			want[ij], bound[ij] = s, 4*float64(p.k+2)*eps*mag+1e-30
		}
	}
	return want, bound
}

// verify runs do on the operands of tc and compares C with the reference,
// including that the padding of C is untouched.
func verify[T float](t *testing.T, tc testCase, do func(p *problem[T])) {
	t.Helper()
	p := operands[T](tc)
	want, bound := reference(&p)
	do(&p)
	for ij, got := range p.c {
		if ij%p.ldc >= p.n {
			if got != cPad {
				t.Fatalf("%v: padding c[%d] overwritten with %v", tc, ij, got)
			}
			continue
		}
		if d := math.Abs(float64(got) - want[ij]); !(d <= bound[ij]) {
			t.Fatalf("%v: c[%d][%d] = %v, want %v (±%.3g)", tc, ij/p.ldc, ij%p.ldc, got, want[ij], bound[ij])
		}
	}
}

// sizes mixes tile multiples with odd sizes that leave every kind of edge.
var sizes = []int{1, 2, 3, 4, 5, 6, 7, 8, 13, 14, 15, 16, 17, 29, 31, 32, 33, 47, 63, 64, 70}

// depths is shorter: the depth only changes loop trip counts, not edges.
var depths = []int{1, 3, 16, 37, 70}

// scalars are (alpha, beta) pairs covering beta = 0 with NaN in C, beta = 1
// (accumulate) and general values.
var scalars = [][2]float64{{1, 0}, {1, 1}, {-0.5, 2}, {2, -1}}

// cases enumerates the shape table; scalars and padding rotate through the
// shapes rather than multiplying their number.
func cases() []testCase {
	var out []testCase
	i := 0
	for _, trans := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
		for _, m := range sizes {
			for _, n := range sizes {
				k := depths[i%len(depths)]
				s := scalars[i%len(scalars)]
				out = append(out, testCase{trans[0], trans[1], m, n, k, s[0], s[1], i % 3, uint64(i)})
				i++
			}
		}
	}
	return out
}

// tiny returns a copy of kn whose blocks are a few tiles, so that small
// matrices cross every mc, kc and nc boundary.
func tiny[T float](kn *kernel[T]) *kernel[T] {
	t := *kn
	t.mc, t.kc, t.nc = 2*kn.mr, 5, 2*kn.nr
	return &t
}

// eachKernel runs f once per kernel this machine supports, with that
// kernel installed as the one Sgemm/Dgemm use.
func eachKernel[T float](t *testing.T, all []*kernel[T], installed **kernel[T], f func(t *testing.T, kn *kernel[T])) {
	for _, kn := range all {
		t.Run(kn.name, func(t *testing.T) {
			saved := *installed
			*installed = kn
			defer func() { *installed = saved }()
			f(t, kn)
		})
	}
}

func testKernels[T float](t *testing.T, all []*kernel[T], installed **kernel[T], public func(p *problem[T])) {
	eachKernel(t, all, installed, func(t *testing.T, kn *kernel[T]) {
		small := tiny(kn)
		for _, tc := range cases() {
			verify(t, tc, public)
			verify(t, tc, func(p *problem[T]) { kn.blocked(p, 1) })
			verify(t, tc, func(p *problem[T]) { small.blocked(p, 3) })
		}
	})
}

func sgemmProblem(p *problem[float32]) {
	Sgemm(p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, p.c, p.ldc)
}

func dgemmProblem(p *problem[float64]) {
	Dgemm(p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, p.c, p.ldc)
}

func TestSgemmKernels(t *testing.T) { testKernels(t, kernels32(), &sgemmKernel, sgemmProblem) }

func TestDgemmKernels(t *testing.T) { testKernels(t, kernels64(), &dgemmKernel, dgemmProblem) }

// TestLarge crosses the real block sizes and splits across goroutines.
func TestLarge(t *testing.T) {
	large := []testCase{
		{false, false, 401, 517, 829, 1, 0, 3, 1},
		{true, false, 517, 401, 400, 0.5, 1, 0, 2},
		{false, true, 33, 1300, 70, 1, -2, 1, 3},
		{true, true, 1100, 20, 390, -1, 0, 0, 4},
		{false, false, 1, 1, 5000, 1, 0, 0, 5}, // a dot product
		{true, false, 3, 2, 999, 2, 1, 1, 6},
	}
	t.Run("float32", func(t *testing.T) {
		eachKernel(t, kernels32(), &sgemmKernel, func(t *testing.T, _ *kernel[float32]) {
			for _, tc := range large {
				verify(t, tc, sgemmProblem)
			}
		})
	})
	t.Run("float64", func(t *testing.T) {
		eachKernel(t, kernels64(), &dgemmKernel, func(t *testing.T, _ *kernel[float64]) {
			for _, tc := range large {
				verify(t, tc, dgemmProblem)
			}
		})
	})
}

// TestDegenerate covers the shapes that never reach a kernel.
func TestDegenerate(t *testing.T) {
	for _, tc := range []testCase{
		{m: 0, n: 5, k: 3, alpha: 1, beta: 0},
		{m: 5, n: 0, k: 3, alpha: 1, beta: 0},
		{m: 4, n: 5, k: 0, alpha: 1, beta: 0},
		{m: 4, n: 5, k: 0, alpha: 1, beta: 3},
		{m: 40, n: 50, k: 60, alpha: 0, beta: 0},
		{m: 40, n: 50, k: 60, alpha: 0, beta: -1, pad: 2},
	} {
		verify(t, tc, sgemmProblem)
		verify(t, tc, dgemmProblem)
	}
}

// TestBlockSizes checks the invariants the driver relies on: blocks are
// whole micro-tiles, so only the true edges of C need the scratch tile.
func TestBlockSizes(t *testing.T) {
	check := func(name string, mr, nr, mc, nc, kc int) {
		if mc%mr != 0 || nc%nr != 0 || blockCols%nr != 0 || kc < 1 {
			t.Errorf("%s: mr=%d nr=%d mc=%d nc=%d kc=%d blockCols=%d: blocks must be whole tiles",
				name, mr, nr, mc, nc, kc, blockCols)
		}
	}
	for _, kn := range kernels32() {
		check("float32 "+kn.name, kn.mr, kn.nr, kn.mc, kn.nc, kn.kc)
	}
	for _, kn := range kernels64() {
		check("float64 "+kn.name, kn.mr, kn.nr, kn.mc, kn.nc, kn.kc)
	}
}

func TestPanics(t *testing.T) {
	ok := func() (a, b, c []float32) { return make([]float32, 6), make([]float32, 12), make([]float32, 8) }
	for _, tt := range []struct {
		name string
		call func()
		want string
	}{
		{"negative m", func() { a, b, c := ok(); Sgemm(false, false, -1, 4, 3, 1, a, 3, b, 4, 0, c, 4) }, "negative dimension"},
		{"small lda", func() { a, b, c := ok(); Sgemm(false, false, 2, 4, 3, 1, a, 2, b, 4, 0, c, 4) }, "lda=2"},
		{"small lda trans", func() { a, b, c := ok(); Sgemm(true, false, 2, 4, 3, 1, a, 1, b, 4, 0, c, 4) }, "lda=1"},
		{"short a", func() { _, b, c := ok(); Sgemm(false, false, 2, 4, 3, 1, make([]float32, 5), 3, b, 4, 0, c, 4) }, "len(a)=5"},
		{"short b", func() { a, _, c := ok(); Sgemm(false, false, 2, 4, 3, 1, a, 3, make([]float32, 11), 4, 0, c, 4) }, "len(b)=11"},
		{"short b trans", func() { a, _, c := ok(); Sgemm(false, true, 2, 4, 3, 1, a, 3, make([]float32, 11), 3, 0, c, 4) }, "len(b)=11"},
		{"small ldc", func() { a, b, c := ok(); Sgemm(false, false, 2, 4, 3, 1, a, 3, b, 4, 0, c, 3) }, "ldc=3"},
		{"zero ld on empty", func() { Sgemm(false, false, 0, 0, 0, 1, nil, 0, nil, 1, 0, nil, 1) }, "lda=0"},
		{"short c double", func() {
			Dgemm(false, false, 2, 4, 3, 1, make([]float64, 6), 3, make([]float64, 12), 4, 0, make([]float64, 7), 4)
		}, "len(c)=7"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "gemm: ") || !strings.Contains(msg, tt.want) {
					t.Fatalf("panic %q, want one starting \"gemm: \" containing %q", msg, tt.want)
				}
			}()
			tt.call()
		})
	}
}

// FuzzSgemm checks random shapes and layouts on the installed kernel, both
// through Sgemm and through the blocked driver with tiny blocks.
func FuzzSgemm(f *testing.F) {
	f.Add(uint8(17), uint8(33), uint8(5), false, true, uint8(1), uint64(1))
	f.Add(uint8(1), uint8(1), uint8(1), true, true, uint8(0), uint64(2))
	f.Add(uint8(70), uint8(3), uint8(64), true, false, uint8(2), uint64(3))
	f.Fuzz(func(t *testing.T, m, n, k uint8, transA, transB bool, pad uint8, seed uint64) {
		s := scalars[seed%uint64(len(scalars))]
		tc := testCase{transA, transB, int(m), int(n), int(k), s[0], s[1], int(pad % 4), seed}
		verify(t, tc, sgemmProblem)
		if k > 0 { // blocked leaves k == 0 to gemm
			verify(t, tc, func(p *problem[float32]) { tiny(sgemmKernel).blocked(p, 2) })
		}
	})
}
