package tensor

import "github.com/gorch/gorch/autograd"

// Tensor is an n-dimensional array of one dtype on one device: a strided
// view (shape, strides, offset) over a storage that other tensors may share.
// A Tensor may record the operation that produced it, for [Tensor.Backward].
//
// The zero value and nil are not valid tensors; make them with [New],
// [FromSlice], [Zeros] and the other constructors.
type Tensor struct {
	st      *storage
	shape   []int
	strides []int
	offset  int

	// wrapped marks a tensor made from a Go number operand, which promotes
	// more weakly than any tensor (PyTorch's "wrapped number").
	wrapped bool

	requiresGrad bool
	gradFn       *autograd.Node // the operation that made it; nil for a leaf
	acc          *autograd.Node // a leaf's gradient accumulator, made on first use
	grad         *Tensor

	// A view remembers the tensor whose storage it presents (its base, never
	// itself a view) and the storage version its history was last made at:
	// an in-place change of the storage since then gives the view a history
	// through the base's (see copyslices.go). noGradView marks a view made
	// under NoGrad, which may not be modified in place while recording.
	base        *Tensor
	viewVersion uint64
	noGradView  bool
}

// Dtype returns the type of t's elements.
func (t *Tensor) Dtype() Dtype { return t.dtype() }

func (t *Tensor) dtype() Dtype {
	t.notNil()
	return t.st.dtype
}

// notNil panics with the error for a nil tensor if t is nil. The helpers
// that every operation starts with (dtype, view, Dim, needsGrad, operand,
// planReduce) call it, and so do the methods that read t's fields before
// calling any of them.
func (t *Tensor) notNil() {
	if t == nil {
		panicNil()
	}
}

// Shape returns a copy of t's sizes, one per dimension; a 0-dim tensor has
// an empty shape.
func (t *Tensor) Shape() []int {
	t.notNil()
	return append([]int{}, t.shape...)
}

// Size returns the size of dimension dim; negative dims count from the end.
// It panics if dim is out of range.
func (t *Tensor) Size(dim int) int { return t.shape[t.dimIndex(dim)] }

// Strides returns a copy of t's strides: how many storage elements one step
// along each dimension moves.
func (t *Tensor) Strides() []int {
	t.notNil()
	return append([]int{}, t.strides...)
}

// Stride returns the stride of dimension dim. It panics if dim is out of
// range.
func (t *Tensor) Stride(dim int) int { return t.strides[t.dimIndex(dim)] }

// dimIndex is normDim for the operations that need an actual dimension,
// which a 0-dim tensor does not have.
func (t *Tensor) dimIndex(dim int) int {
	if t.Dim() == 0 {
		panicf("dimension specified as %d but tensor has no dimensions", dim)
	}
	return normDim(dim, len(t.shape))
}

// StorageOffset returns the position of t's first element in its storage.
func (t *Tensor) StorageOffset() int {
	t.notNil()
	return t.offset
}

// Dim returns the number of dimensions.
func (t *Tensor) Dim() int {
	t.notNil()
	return len(t.shape)
}

// Numel returns the number of elements.
func (t *Tensor) Numel() int {
	t.notNil()
	return numel(t.shape)
}

// Device returns where t's storage lives: "cpu" or "cuda:N".
func (t *Tensor) Device() string {
	t.notNil()
	return t.st.deviceName()
}

// IsCuda reports whether t lives on a GPU.
func (t *Tensor) IsCuda() bool {
	t.notNil()
	return t.st.be.kind() == "cuda"
}

// IsContiguous reports whether t's elements are laid out in row-major
// order without gaps, so that its memory can be used as a flat slice.
func (t *Tensor) IsContiguous() bool {
	t.notNil()
	return isContiguous(t.shape, t.strides)
}

// IsFloatingPoint reports whether t's dtype is Float32 or Float64.
func (t *Tensor) IsFloatingPoint() bool { return t.dtype().IsFloatingPoint() }

// Version returns the number of in-place modifications of t's storage,
// shared by all its views (PyTorch's t._version).
func (t *Tensor) Version() uint64 {
	t.notNil()
	return t.st.version.Load()
}

// view returns the kernel's picture of t.
func (t *Tensor) view() view {
	t.notNil()
	return view{buf: t.st.buf, shape: t.shape, strides: t.strides, off: t.offset}
}

// viewAs returns the kernel's picture of t broadcast to shape, which must
// be a broadcast of t's shape.
func (t *Tensor) viewAs(shape []int) view {
	if sameShape(t.shape, shape) {
		return t.view()
	}
	return view{buf: t.st.buf, shape: shape, strides: expandStrides(t.shape, t.strides, shape), off: t.offset}
}

// alloc returns a new contiguous tensor of the given shape and dtype on t's
// device, zeroed. shape is kept, not copied.
func (t *Tensor) alloc(dt Dtype, shape []int) *Tensor {
	// One allocation holds the tensor, its storage and, up to 4-D, its
	// strides: small operations are dominated by allocations. The fields
	// are set one by one because copying whole structs into the new object
	// costs a write barrier over all of it while the GC runs.
	ts := new(struct {
		t       Tensor
		s       storage
		strides [4]int
	})
	ts.s.be, ts.s.index, ts.s.dtype = t.st.be, t.st.index, dt
	ts.s.buf = t.st.be.alloc(dt, numel(shape))
	ts.t.st, ts.t.shape = &ts.s, shape
	switch {
	case len(shape) == 1:
		ts.t.strides = unitStride
	case len(shape) <= len(ts.strides):
		ts.t.strides = rowMajorStrides(ts.strides[:len(shape)], shape)
	default:
		ts.t.strides = contiguousStrides(shape)
	}
	return &ts.t
}

// newTensor returns a contiguous tensor over all of st. shape is kept, not
// copied.
func newTensor(st *storage, shape []int) *Tensor {
	return &Tensor{st: st, shape: shape, strides: contiguousStrides(shape)}
}

// withLayout returns a tensor sharing t's storage with another layout: the
// result of every view operation. It inherits nothing of t's autograd
// state but its base; the caller records the view.
func (t *Tensor) withLayout(shape, strides []int, offset int) *Tensor {
	base := t.base
	if base == nil {
		base = t
	}
	return &Tensor{st: t.st, shape: shape, strides: strides, offset: offset,
		base: base, viewVersion: t.st.version.Load(), noGradView: t.noGradView || !IsGradEnabled()}
}
