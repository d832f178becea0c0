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
	checkShape(shape)
	return fromBuf(randomFloat32s(numel(shape), (*rand.Rand).Float32), shape)
}

// Randn returns a Float32 tensor of the given shape, normally distributed
// with mean 0 and variance 1.
func Randn(shape ...int) *Tensor {
	checkShape(shape)
	return fromBuf(randomFloat32s(numel(shape), func(r *rand.Rand) float32 { return float32(r.NormFloat64()) }), shape)
}

// RandInt returns an Int64 tensor of the given shape, uniform on the
// integers in [low, high). It panics unless low < high.
func RandInt(low, high int, shape ...int) *Tensor {
	checkShape(shape)
	if low >= high {
		panicf("random_ expects 'from' to be less than 'to', but got from=%d >= to=%d", low, high)
	}
	out := allocBig[int64](numel(shape))
	rng.Lock()
	for i := range out {
		out[i] = int64(low) + rng.r.Int64N(int64(high-low))
	}
	rng.Unlock()
	return fromBuf(out, shape)
}

// RandLike returns Rand with t's shape, converted to t's dtype and moved
// to t's device.
func RandLike(t *Tensor) *Tensor {
	return Rand(t.shape...).cast(t.dtype()).toDevice(t.st.be, t.st.index)
}

// RandnLike returns Randn with t's shape, dtype and device.
func RandnLike(t *Tensor) *Tensor {
	return Randn(t.shape...).cast(t.dtype()).toDevice(t.st.be, t.st.index)
}
