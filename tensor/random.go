package tensor

import (
	"math/rand/v2"
	"sync"
)

// rng is the generator behind Rand, Randn and RandInt, one for the process
// as PyTorch's default generator; the mutex lets goroutines share it.
var rng = struct {
	sync.Mutex
	r *rand.Rand
}{r: rand.New(rand.NewPCG(0x9e3779b97f4a7c15, 0))}

// ManualSeed reseeds the generator, so that the random tensors that follow
// repeat from run to run. (The sequence differs from PyTorch's for the
// same seed.)
func ManualSeed(seed uint64) {
	rng.Lock()
	rng.r = rand.New(rand.NewPCG(seed, 0))
	rng.Unlock()
}

// randomFloat32s returns n values drawn by f under the generator's lock.
func randomFloat32s(n int, f func(r *rand.Rand) float32) []float32 {
	out := allocBig[float32](n)
	rng.Lock()
	for i := range out {
		out[i] = f(rng.r)
	}
	rng.Unlock()
	return out
}

// Rand returns a Float32 tensor of the given shape, uniform on [0, 1).
func Rand(shape ...int) *Tensor {
	return fromBuf(randomFloat32s(checkShape(shape), (*rand.Rand).Float32), shape)
}

// Randn returns a Float32 tensor of the given shape, normally distributed
// with mean 0 and variance 1.
func Randn(shape ...int) *Tensor {
	return fromBuf(randomFloat32s(checkShape(shape), func(r *rand.Rand) float32 { return float32(r.NormFloat64()) }), shape)
}

// RandInt returns an Int64 tensor of the given shape, uniform on the
// integers in [low, high). It panics unless low < high.
func RandInt(low, high int, shape ...int) *Tensor {
	n := checkShape(shape)
	if low >= high {
		panicf("random_ expects 'from' to be less than 'to', but got from=%d >= to=%d", low, high)
	}
	out := allocBig[int64](n)
	// The width is taken as unsigned: high-low overflows an int when the
	// range spans more than half of them.
	width := uint64(high) - uint64(low)
	rng.Lock()
	for i := range out {
		out[i] = int64(low) + int64(rng.r.Uint64N(width))
	}
	rng.Unlock()
	return fromBuf(out, shape)
}

// RandLike returns Rand with t's shape, dtype and device. It panics, as
// PyTorch does, unless t is floating point: cast to an integer dtype,
// uniform values in [0, 1) would all be 0.
func RandLike(t *Tensor) *Tensor {
	t.checkRandomDtype("check_uniform_bounds")
	return Rand(t.shape...).cast(t.dtype()).toDevice(t.st.be, t.st.index)
}

// RandnLike returns Randn with t's shape, dtype and device. It panics, as
// PyTorch does, unless t is floating point.
func RandnLike(t *Tensor) *Tensor {
	t.checkRandomDtype("normal_kernel_cpu")
	return Randn(t.shape...).cast(t.dtype()).toDevice(t.st.be, t.st.index)
}

// checkRandomDtype panics with the message of kernel, PyTorch's name for
// the sampler, unless t is floating point.
func (t *Tensor) checkRandomDtype(kernel string) {
	t.notNil()
	if !t.IsFloatingPoint() {
		panicf("%q not implemented for '%s'", kernel, dtypeInfo[t.dtype()].torchName)
	}
}
