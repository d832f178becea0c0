package tensor

import (
	"math"
	"reflect"
)

// Option adjusts a tensor made by [New] or [FromSlice].
type Option func(*options)

type options struct {
	requiresGrad bool
	dtype        Dtype
	hasDtype     bool
	device       string
}

// RequiresGrad makes the new tensor a leaf that requires grad, so that
// Backward computes its gradient. Only floating-point tensors may. The
// constructors that take sizes (Zeros, Ones, Rand, Randn, …) take no
// options: call RequiresGrad_(true) on their result instead, as in
// tensor.Randn(3, 3).RequiresGrad_(true).
func RequiresGrad() Option { return func(o *options) { o.requiresGrad = true } }

// WithDtype converts the new tensor's elements to dt.
func WithDtype(dt Dtype) Option { return func(o *options) { o.dtype, o.hasDtype = dt, true } }

// WithDevice puts the new tensor on a device, such as "cuda".
func WithDevice(device string) Option { return func(o *options) { o.device = device } }

// apply finishes a new CPU tensor as the options ask.
func (t *Tensor) apply(opts []Option) *Tensor {
	if len(opts) == 0 {
		return t
	}
	var o options
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	if o.hasDtype {
		o.dtype.check()
		t = t.cast(o.dtype)
	}
	if o.device != "" {
		be, idx := parseDevice(o.device)
		t = t.toDevice(be, idx)
	}
	if o.requiresGrad {
		t.RequiresGrad_(true)
	}
	return t
}

// New returns a tensor holding a copy of data: a Go number or bool (a 0-dim
// tensor), or a slice, array or nested slices of any depth of them. The
// dtype follows the Go type: int and int64 give Int64, float32 Float32,
// float64 Float64, int32 Int32, uint8 Uint8, bool Bool; other integer types
// give Int64. nil options are ignored. It panics for ragged nesting and
// other element types.
func New(data any, opts ...Option) *Tensor {
	var t *Tensor
	switch s := data.(type) {
	case []float32:
		t = fromCopy(cloneBig(s), len(s))
	case []float64:
		t = fromCopy(cloneBig(s), len(s))
	case []int64:
		t = fromCopy(cloneBig(s), len(s))
	case []int:
		c := allocBig[int64](len(s))
		for i, v := range s {
			c[i] = int64(v)
		}
		t = fromCopy(c, len(s))
	default:
		t = newReflect(data)
	}
	return t.apply(opts)
}

func fromCopy(buf any, n int) *Tensor { return fromBuf(buf, []int{n}) }

// fromBuf returns a CPU tensor of the given shape over buf, which holds
// exactly its elements; shape is copied.
func fromBuf(buf any, shape []int) *Tensor {
	return newTensor(&storage{be: cpu, dtype: bufDtype(buf), buf: buf}, append([]int{}, shape...))
}

// bufDtype returns the dtype of a CPU buffer.
func bufDtype(buf any) Dtype {
	switch buf.(type) {
	case []float32:
		return Float32
	case []float64:
		return Float64
	case []int64:
		return Int64
	case []int32:
		return Int32
	case []uint8:
		return Uint8
	}
	return Bool
}

// newReflect is New for nested slices and arrays: one pass finds the shape
// and checks that it is not ragged, a second copies the leaves.
func newReflect(data any) *Tensor {
	v := reflect.ValueOf(data)
	var shape []int
	et := reflect.TypeOf(data)
	for v.IsValid() && (v.Kind() == reflect.Slice || v.Kind() == reflect.Array) {
		shape = append(shape, v.Len())
		et = et.Elem()
		if v.Len() == 0 {
			break
		}
		v = v.Index(0)
	}
	for et != nil && (et.Kind() == reflect.Slice || et.Kind() == reflect.Array) {
		et = et.Elem()
	}
	dt, ok := goDtype(et)
	if !ok {
		panicf("tensor.New: unsupported element type %v (want numbers or bools in nested slices)", et)
	}
	out := newTensor(newStorage(cpu, 0, dt, numel(shape)), shape)
	pos := 0
	var walk func(v reflect.Value, dim int)
	walk = func(v reflect.Value, dim int) {
		if dim == len(shape) {
			for v.Kind() == reflect.Interface {
				v = v.Elem()
			}
			setFromValue(out.st.buf, pos, v)
			pos++
			return
		}
		if (v.Kind() != reflect.Slice && v.Kind() != reflect.Array) || v.Len() != shape[dim] {
			got := 0
			if v.Kind() == reflect.Slice || v.Kind() == reflect.Array {
				got = v.Len()
			}
			panicf("expected sequence of length %d at dim %d (got %d)", shape[dim], dim, got)
		}
		for i := range v.Len() {
			walk(v.Index(i), dim+1)
		}
	}
	walk(reflect.ValueOf(data), 0)
	return out
}

// goDtype maps a Go element type to its dtype.
func goDtype(t reflect.Type) (Dtype, bool) {
	if t == nil {
		return 0, false
	}
	switch t.Kind() {
	case reflect.Float32:
		return Float32, true
	case reflect.Float64:
		return Float64, true
	case reflect.Int32:
		return Int32, true
	case reflect.Uint8:
		return Uint8, true
	case reflect.Bool:
		return Bool, true
	case reflect.Int, reflect.Int64, reflect.Int8, reflect.Int16, reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return Int64, true
	}
	return 0, false
}

func setFromValue(buf any, i int, v reflect.Value) {
	switch b := buf.(type) {
	case []float32:
		b[i] = float32(v.Float())
	case []float64:
		b[i] = v.Float()
	case []int32:
		b[i] = int32(v.Int())
	case []uint8:
		b[i] = uint8(v.Uint())
	case []bool:
		b[i] = v.Bool()
	case []int64:
		if v.CanUint() {
			b[i] = int64(v.Uint())
		} else {
			b[i] = v.Int()
		}
	}
}

// FromSlice returns a 1-D tensor, or one of the given shape, over s itself:
// changes to s show in the tensor and back. s is a []float32, []float64,
// []int64, []int32, []uint8 or []bool. A shape may hold one -1, inferred.
// It panics if the shape does not hold len(s) elements, and for other
// slice types ([]int cannot be shared: copy it with New).
func FromSlice(s any, shape ...int) *Tensor {
	var n int
	switch b := s.(type) {
	case []float32:
		n = len(b)
	case []float64:
		n = len(b)
	case []int64:
		n = len(b)
	case []int32:
		n = len(b)
	case []uint8:
		n = len(b)
	case []bool:
		n = len(b)
	case []int:
		panicf("FromSlice shares memory, and a []int cannot be shared as an Int64 tensor; use tensor.New to copy it, or pass an []int64")
	default:
		panicf("FromSlice needs a []float32, []float64, []int64, []int32, []uint8 or []bool, got %T", s)
	}
	if len(shape) == 0 {
		shape = []int{n}
	} else {
		shape = inferShape(shape, n)
	}
	return newTensor(&storage{be: cpu, dtype: bufDtype(s), buf: s}, shape)
}

// inferShape checks that shape holds n elements, filling in one -1.
func inferShape(shape []int, n int) []int {
	out := append([]int{}, shape...)
	infer := -1
	for i, s := range out {
		switch {
		case s == -1 && infer < 0:
			infer, out[i] = i, 1
		case s == -1:
			panicf("only one dimension can be inferred")
		case s < 0:
			panicf("invalid shape dimension %d", s)
		}
	}
	known := checkShape(out)
	if infer >= 0 && known != 0 && n%known == 0 {
		out[infer] = n / known
		return out
	}
	if infer >= 0 || known != n {
		panicf("shape '%s' is invalid for input of size %d", shapeString(shape), n)
	}
	return out
}

// filled returns a new CPU tensor of dtype dt and the given shape with
// every element v.
func filled(dt Dtype, shape []int, v any) *Tensor {
	t := newTensor(newStorage(cpu, 0, dt, checkShape(shape)), append([]int{}, shape...))
	if v != nil {
		cpu.copy(t.view(), operand(v, t).viewAs(t.shape))
	}
	return t
}

// Zeros returns a Float32 tensor of the given shape filled with 0. It
// panics for a negative size and when the tensor would not fit in memory;
// so do the other constructors that take sizes.
func Zeros(shape ...int) *Tensor { return filled(Float32, shape, nil) }

// Ones returns a Float32 tensor of the given shape filled with 1.
func Ones(shape ...int) *Tensor { return filled(Float32, shape, 1) }

// Empty returns a Float32 tensor of the given shape. Unlike PyTorch's, its
// elements are 0: Go hands out zeroed memory.
func Empty(shape ...int) *Tensor { return filled(Float32, shape, nil) }

// Full returns a tensor of the given shape with every element v: a Go
// float gives Float32, an integer Int64, a bool Bool.
func Full(shape []int, v any) *Tensor {
	return filled(defaultDtype(goNumber(v).dtype()), shape, v)
}

// defaultDtype maps the dtype a Go number is held in to the dtype it makes
// as a tensor of its own: floats make Float32.
func defaultDtype(dt Dtype) Dtype {
	if dt == Float64 {
		return Float32
	}
	return dt
}

// ZerosLike returns a tensor of 0s with t's shape, dtype and device.
func ZerosLike(t *Tensor) *Tensor { return t.alloc(t.dtype(), append([]int{}, t.shape...)) }

// OnesLike returns a tensor of 1s with t's shape, dtype and device.
func OnesLike(t *Tensor) *Tensor { return FullLike(t, 1) }

// EmptyLike returns a tensor with t's shape, dtype and device; its elements
// are 0.
func EmptyLike(t *Tensor) *Tensor { return ZerosLike(t) }

// FullLike returns a tensor of v with t's shape, dtype and device.
func FullLike(t *Tensor, v any) *Tensor {
	out := ZerosLike(t)
	out.st.be.copy(out.view(), operand(v, out).viewAs(out.shape))
	return out
}

// Arange returns the 1-D tensor start, start+step, ... up to but not
// including end, called as Arange(end), Arange(start, end) or Arange(start,
// end, step) with Go numbers. All integers give Int64; any float gives
// Float32. It panics for a zero step or one pointing away from end, for
// bounds that are not finite and for too many elements.
func Arange(args ...any) *Tensor {
	if len(args) < 1 || len(args) > 3 {
		panicf("Arange takes end, or start and end, or start, end and step; got %d arguments", len(args))
	}
	vals := make([]float64, 3)
	vals[2] = 1
	isFloat := false
	for i, a := range args {
		s := goNumber(a)
		if s.dtype() == Float64 {
			isFloat = true
		}
		vals[i] = s.Item()
	}
	if len(args) == 1 {
		vals[0], vals[1] = 0, vals[0]
	}
	start, end, step := vals[0], vals[1], vals[2]
	if math.IsNaN(start+end+step) || math.IsInf(start, 0) || math.IsInf(end, 0) {
		panicf("unsupported range: %v -> %v", start, end)
	}
	if step == 0 {
		panicf("step must be nonzero")
	}
	if (step > 0 && end < start) || (step < 0 && end > start) {
		panicf("upper bound and larger bound inconsistent with step sign")
	}
	size := math.Ceil((end - start) / step)
	if size >= math.MaxInt64 {
		panicf("invalid size, possible overflow?")
	}
	n := checkShape([]int{int(size)})
	if isFloat {
		out := allocBig[float32](n)
		for i := range out {
			out[i] = float32(start + float64(i)*step)
		}
		return FromSlice(out)
	}
	out := allocBig[int64](n)
	for i := range out {
		out[i] = int64(start) + int64(i)*int64(step)
	}
	return FromSlice(out)
}

// Linspace returns steps evenly spaced Float32 values from start to end
// inclusive. It panics if steps is negative.
func Linspace(start, end float64, steps int) *Tensor {
	if steps < 0 {
		panicf("number of steps must be non-negative")
	}
	out := allocBig[float32](steps)
	if steps == 1 {
		out[0] = float32(start)
	}
	if steps > 1 {
		// Both halves are measured from their own end, as PyTorch does,
		// so that the last value is end exactly.
		step := (end - start) / float64(steps-1)
		for i := range out {
			if i < steps/2 {
				out[i] = float32(start + float64(i)*step)
			} else {
				out[i] = float32(end - float64(steps-1-i)*step)
			}
		}
	}
	return FromSlice(out)
}

// Eye returns the n×n Float32 identity matrix, or n×m with a second size.
// It panics for more than two sizes and as Zeros does.
func Eye(n int, m ...int) *Tensor {
	if len(m) > 1 {
		panicf("Eye takes n and at most one more size m, got %d sizes", 1+len(m))
	}
	cols := n
	if len(m) > 0 {
		cols = m[0]
	}
	t := Zeros(n, cols)
	buf := t.st.buf.([]float32)
	for i := range min(n, cols) {
		buf[i*cols+i] = 1
	}
	return t
}
