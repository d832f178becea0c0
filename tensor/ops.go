package tensor

// binaryOp names an elementwise operation of two operands for a backend.
type binaryOp uint8

const (
	opAdd binaryOp = iota
	opSub
	opMul
	opDiv
	opPow
	opMaximum
	opMinimum
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
)

func (op binaryOp) isComparison() bool { return op >= opEq }

// unaryOp names an elementwise operation of one operand for a backend.
type unaryOp uint8

const (
	opNeg unaryOp = iota
	opAbs
	opSign
	opReLU
	opExp
	opLog
	opSqrt
	opSin
	opCos
	opTanh
	opSigmoid
)

// isFloatOnly reports whether op maps integers to floats, as the
// transcendental functions do.
func (op unaryOp) isFloatOnly() bool { return op >= opExp }

// reduceOp names a reduction for a backend.
type reduceOp uint8

const (
	redSum reduceOp = iota
	redProd
	redMax
	redMin
)
