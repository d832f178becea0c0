package tensor

// powGrad returns the gradient of a**e for a number exponent e, given the
// gradient g of the result: g·(e·a**(e-1)), with e kept as a Go number
// rather than a tensor, as PyTorch's pow_backward. Squares, the common
// case, need no power at all, and e = 0 gives zeros (not the NaN of
// 0·0**-1 at a = 0).
func powGrad(g, a *Tensor, e float64) *Tensor {
	switch e {
	case 0:
		return ZerosLike(g)
	case 1:
		return g
	case 2:
		return g.Mul(a.Mul(2))
	}
	return g.Mul(a.Pow(e - 1).Mul(e))
}

// numberOf returns the value of a wrapped Go number operand.
func numberOf(y *Tensor) float64 {
	switch b := y.st.buf.(type) {
	case []float64:
		return b[0]
	case []int64:
		return float64(b[0])
	}
	return y.Item()
}
