package tensor

import "strconv"

// Dtype is the type of a tensor's elements.
type Dtype uint8

// The dtypes, ordered so that promotion within a category picks the larger.
const (
	Bool    Dtype = iota // Go bool
	Uint8                // Go uint8
	Int32                // Go int32
	Int64                // Go int64, the default integer dtype
	Float32              // Go float32, the default floating-point dtype
	Float64              // Go float64
)

// undefinedDtype marks "no operand of this kind yet" while promoting.
const undefinedDtype Dtype = 255

var dtypeInfo = [...]struct {
	name, torchName, tensorType string
	size                        int
}{
	Bool:    {"Bool", "Bool", "BoolTensor", 1},
	Uint8:   {"Uint8", "Byte", "ByteTensor", 1},
	Int32:   {"Int32", "Int", "IntTensor", 4},
	Int64:   {"Int64", "Long", "LongTensor", 8},
	Float32: {"Float32", "Float", "FloatTensor", 4},
	Float64: {"Float64", "Double", "DoubleTensor", 8},
}

// String returns the dtype's Go name, such as "Float32".
func (d Dtype) String() string {
	if int(d) < len(dtypeInfo) {
		return dtypeInfo[d].name
	}
	return "Dtype(" + strconv.Itoa(int(d)) + ")"
}

// IsFloatingPoint reports whether d is Float32 or Float64.
func (d Dtype) IsFloatingPoint() bool { return d == Float32 || d == Float64 }

// ItemSize returns the size of one element in bytes.
func (d Dtype) ItemSize() int {
	d.check()
	return dtypeInfo[d].size
}

// check panics unless d is one of the dtypes.
func (d Dtype) check() {
	if int(d) >= len(dtypeInfo) {
		panicf("unknown dtype %s", d)
	}
}

// category orders the kinds of dtype: PyTorch never lets a Go number or a
// 0-dim tensor of a lower or equal category change a tensor's dtype.
func (d Dtype) category() int {
	switch {
	case d == Bool:
		return 0
	case d.IsFloatingPoint():
		return 2
	}
	return 1
}

// promoteTypes is PyTorch's torch.promote_types for the dtypes here: the
// smallest dtype that holds both. undefinedDtype is the identity.
func promoteTypes(a, b Dtype) Dtype {
	switch {
	case a == undefinedDtype:
		return b
	case b == undefinedDtype:
		return a
	}
	return max(a, b)
}

// combineCategories is PyTorch's rule for folding a weaker class of operands
// (0-dim tensors, then Go numbers) into a stronger one: the weaker class only
// matters when it is of a higher category.
func combineCategories(higher, lower Dtype) Dtype {
	if higher != undefinedDtype && higher.IsFloatingPoint() {
		return higher
	}
	if higher == Bool || (lower != undefinedDtype && lower.IsFloatingPoint()) {
		return promoteTypes(higher, lower)
	}
	if higher != undefinedDtype {
		return higher
	}
	return lower
}

// resultType is torch.result_type for the operands of one operation.
// Tensors with dimensions dominate 0-dim tensors, which dominate Go numbers,
// unless the weaker operand is of a higher category: Float32 tensor + 2.5 is
// Float32, Int64 tensor + 2.5 is Float32 (the default float dtype).
func resultType(ts ...*Tensor) Dtype {
	dim, zero, wrapped := undefinedDtype, undefinedDtype, undefinedDtype
	for _, t := range ts {
		switch {
		case t.wrapped:
			// A Go float is held as Float64 so no digits are lost, but it
			// promotes as the default float dtype, as in PyTorch.
			dt := t.dtype()
			if dt == Float64 {
				dt = Float32
			}
			wrapped = promoteTypes(wrapped, dt)
		case len(t.shape) == 0:
			zero = promoteTypes(zero, t.dtype())
		default:
			dim = promoteTypes(dim, t.dtype())
		}
	}
	return combineCategories(dim, combineCategories(zero, wrapped))
}

// canCast is PyTorch's can_cast: an in-place result may not drop to a lower
// category (a float into an integer tensor, an integer into a Bool one).
func canCast(from, to Dtype) bool { return from.category() <= to.category() }
