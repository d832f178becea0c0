package tensor

import (
	"reflect"

	"gonum.org/v1/gonum/mat"
)

// toDevice returns t on the given device: t itself if it is there already.
// It records nothing.
func (t *Tensor) toDevice(be backend, index int) *Tensor {
	if t.st.be == be && t.st.index == index {
		return t
	}
	// Only the CPU backend exists in this build, and a CUDA one moves data
	// through its own copy; reaching here means a backend was half added.
	panicf("moving tensors from %s to %s is not supported", t.Device(), be.kind())
	return nil
}

// To returns t converted to a dtype and/or moved to a device, each argument
// a Dtype or a device string ("cpu", "cuda", "cuda:1"). It returns t itself
// when nothing changes and a copy otherwise; gradients flow back through
// a floating-point copy, while one of another dtype does not require grad.
// It panics for an unknown device and, with PyTorch's message,
// when CUDA is not available.
func (t *Tensor) To(args ...any) *Tensor {
	dt, be, index := t.dtype(), t.st.be, t.st.index
	for _, a := range args {
		switch v := a.(type) {
		case Dtype:
			v.check()
			dt = v
		case string:
			be, index = parseDevice(v)
		default:
			panicf("To takes dtypes and device strings, got %T", a)
		}
	}
	if dt == t.dtype() && be == t.st.be && index == t.st.index {
		return t
	}
	out := t.cast(dt).toDevice(be, index)
	if out == t {
		out = t.copyContiguous()
	}
	if dt.IsFloatingPoint() && needsGrad(t) {
		src := t.dtype()
		srcBe, srcIndex := t.st.be, t.st.index
		record(out, "ToCopyBackward0", []*Tensor{t}, func(g *Tensor) []*Tensor {
			return []*Tensor{g.cast(src).toDevice(srcBe, srcIndex)}
		})
	}
	return out
}

// Cuda returns t on the first GPU (a copy, or t if it is there already). It
// panics when CUDA is not available.
func (t *Tensor) Cuda() *Tensor { return t.To("cuda") }

// Cpu returns t in main memory: t itself for a CPU tensor, a copy
// otherwise.
func (t *Tensor) Cpu() *Tensor { return t.To("cpu") }

// Float returns t as Float32, PyTorch's t.float(); t itself if it is one.
func (t *Tensor) Float() *Tensor { return t.To(Float32) }

// Double returns t as Float64; t itself if it is one.
func (t *Tensor) Double() *Tensor { return t.To(Float64) }

// Long returns t as Int64; t itself if it is one.
func (t *Tensor) Long() *Tensor { return t.To(Int64) }

// Item returns the value of a one-element tensor as a float64 (true and
// false as 1 and 0). It panics unless t has exactly one element.
func (t *Tensor) Item() float64 {
	return t.scalar(Float64).st.buf.([]float64)[0]
}

// ItemInt returns the value of a one-element tensor as an int64, exact for
// Int64 tensors beyond float64's 2**53; floats are truncated.
func (t *Tensor) ItemInt() int64 {
	return t.scalar(Int64).st.buf.([]int64)[0]
}

// scalar returns t's single element as a CPU 0-dim tensor of dtype dt.
func (t *Tensor) scalar(dt Dtype) *Tensor {
	t.notNil()
	if n := t.Numel(); n != 1 {
		panicf("a Tensor with %d elements cannot be converted to Scalar", n)
	}
	out := scalarTensor(Int64, int64(0)).cast(dt)
	one := view{buf: t.st.buf, off: t.offset}
	cpuOf(t).copy(out.view(), one)
	return out
}

// cpuOf returns the backend that moves t's data into main memory.
func cpuOf(t *Tensor) backend {
	if t.st.be != cpu {
		panicf("can't convert %s device type tensor to Go values; use Cpu() to copy the tensor to host memory first", t.Device())
	}
	return cpu
}

// shared returns t's memory as a slice of its dtype, for Float32s and its
// siblings, panicking unless sharing is safe and possible.
func (t *Tensor) shared(want Dtype, method string) any {
	t.notNil()
	switch {
	case t.st.be != cpu:
		panicf("%s: can't share the memory of a %s tensor; use Cpu() to copy it to host memory first", method, t.Device())
	case t.requiresGrad:
		panicf("%s: can't share the memory of a tensor that requires grad; use Detach() first", method)
	case t.dtype() != want:
		panicf("%s: the tensor is %s, not %s; convert it with To(tensor.%s) first", method, t.dtype(), want, want)
	case !t.IsContiguous():
		panicf("%s: the tensor is not contiguous, so its elements are not one slice of memory; use Contiguous() first (which copies)", method)
	}
	n := t.Numel()
	return reflect.ValueOf(t.st.buf).Slice(t.offset, t.offset+n).Interface()
}

// Float32s returns the elements of a contiguous Float32 CPU tensor as a
// slice sharing its memory: writes show in the tensor and back. It panics
// for another dtype, a non-contiguous tensor (call Contiguous), a GPU
// tensor (call Cpu) or one that requires grad (call Detach).
func (t *Tensor) Float32s() []float32 { return t.shared(Float32, "Float32s").([]float32) }

// Float64s is Float32s for Float64 tensors.
func (t *Tensor) Float64s() []float64 { return t.shared(Float64, "Float64s").([]float64) }

// Int64s is Float32s for Int64 tensors.
func (t *Tensor) Int64s() []int64 { return t.shared(Int64, "Int64s").([]int64) }

// Int32s is Float32s for Int32 tensors.
func (t *Tensor) Int32s() []int32 { return t.shared(Int32, "Int32s").([]int32) }

// Uint8s is Float32s for Uint8 tensors.
func (t *Tensor) Uint8s() []uint8 { return t.shared(Uint8, "Uint8s").([]uint8) }

// Bools is Float32s for Bool tensors.
func (t *Tensor) Bools() []bool { return t.shared(Bool, "Bools").([]bool) }

// ToSlice returns a copy of t's elements as nested Go slices of its
// dtype's Go type: [][]float32 for a 2-D Float32 tensor, a bare float32 for
// a 0-dim one. It panics for a GPU tensor.
func (t *Tensor) ToSlice() any {
	x := t.Detach()
	if len(x.shape) == 0 {
		return reflect.ValueOf(x.copyContiguous().st.buf).Index(0).Interface()
	}
	flat := reflect.ValueOf(x.copyContiguous().st.buf)
	cpuOf(t)
	var build func(dim, off int, typ reflect.Type) reflect.Value
	build = func(dim, off int, typ reflect.Type) reflect.Value {
		n := x.shape[dim]
		if dim == len(x.shape)-1 {
			return flat.Slice(off, off+n)
		}
		step := numel(x.shape[dim+1:])
		out := reflect.MakeSlice(typ, n, n)
		for i := range n {
			out.Index(i).Set(build(dim+1, off+i*step, typ.Elem()))
		}
		return out
	}
	typ := flat.Type()
	for range len(x.shape) - 1 {
		typ = reflect.SliceOf(typ)
	}
	return build(0, 0, typ).Interface()
}

// FromDense returns a 2-D Float64 tensor over the matrix's memory: changes
// show in both. It panics for a nil matrix.
func FromDense(m *mat.Dense) *Tensor {
	if m == nil {
		panicf("FromDense: the *mat.Dense is nil")
	}
	raw := m.RawMatrix()
	t := FromSlice(raw.Data)
	return t.withLayout([]int{raw.Rows, raw.Cols}, []int{raw.Stride, 1}, 0)
}

// Dense returns a copy of a 2-D (or 1-D, as a column) tensor as a gonum
// matrix of float64. It panics for other dimensions, a GPU tensor, or an
// empty tensor, which gonum cannot hold.
func (t *Tensor) Dense() *mat.Dense {
	x := t.Detach()
	switch len(x.shape) {
	case 1:
		x = x.Unsqueeze(1)
	case 2:
	default:
		panicf("Dense needs a 1-D or 2-D tensor, got %d dimensions", len(x.shape))
	}
	if x.Numel() == 0 {
		panicf("Dense: gonum matrices cannot be empty, got shape %s", shapeString(x.shape))
	}
	cpuOf(x)
	data := x.cast(Float64).copyContiguous().st.buf.([]float64)
	return mat.NewDense(x.shape[0], x.shape[1], data)
}
