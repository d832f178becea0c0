package tensor

// matLayout returns how a gemm kernel reads the matrix at the last two
// dims of t (rows×cols, with strides rs and cs): upright with leading
// dimension ld, transposed, or not at all (ok false: copy it first). A
// dimension of size 1 can take any stride, so it never forces a copy.
func matLayout(rows, cols, rs, cs int) (trans bool, ld int, ok bool) {
	if cols == 1 {
		cs = 1
	}
	if rows == 1 {
		rs = max(cols, 1)
	}
	switch {
	case cs == 1 && rs >= max(cols, 1):
		return false, rs, true
	case rows == 1 && cols == 1:
		return false, 1, true
	case rs == 1 && cs >= max(rows, 1):
		return true, cs, true
	}
	return false, 0, false
}

// gemmOperand returns t, or a contiguous copy of it if the kernel cannot
// read its matrices in place, with the layout of its last two dims.
func gemmOperand(t *Tensor) (*Tensor, bool, int) {
	n := len(t.shape)
	if trans, ld, ok := matLayout(t.shape[n-2], t.shape[n-1], t.strides[n-2], t.strides[n-1]); ok {
		return t, trans, ld
	}
	t = t.copyContiguous()
	return t, false, t.shape[n-1]
}

// batchedGemm computes out[i] = c + a[i]·b[i] for a of shape [B, m, k] and
// b of [B, k, n] into a new [B, m, n] tensor (or [m, n] when a and b are
// 2-D), where c is nil (zeros) or of out's shape; the product is
// accumulated onto the copy of c, not added after it in a second pass.
func batchedGemm(a, b, c *Tensor) *Tensor {
	if a.dtype() != b.dtype() {
		panicf("expected m1 and m2 to have the same dtype, but got: %s != %s", a.dtype(), b.dtype())
	}
	if a.dtype() == Bool {
		panicf("matrix multiplication is not implemented for Bool tensors")
	}
	nd := len(a.shape)
	m, k, n := a.shape[nd-2], a.shape[nd-1], b.shape[nd-1]
	shape := append(append([]int{}, a.shape[:nd-2]...), m, n)
	out := a.alloc(a.dtype(), shape)
	if c != nil {
		a.st.be.copy(out.view(), c.view())
	}
	if out.Numel() == 0 {
		return out
	}
	x, ta, lda := gemmOperand(a)
	y, tb, ldb := gemmOperand(b)
	batch, sa, sb := 1, 0, 0
	if nd == 3 {
		batch, sa, sb = a.shape[0], x.strides[0], y.strides[0]
	}
	if k == 0 {
		return out
	}
	for i := range batch {
		a.st.be.gemm(ta, tb, c != nil, m, n, k, x.st.buf, x.offset+i*sa, lda, y.st.buf, y.offset+i*sb, ldb, out.st.buf, i*m*n, n)
	}
	return out
}

// checkMm panics unless a and b are matrices that can be multiplied.
func checkMm(a, b *Tensor) {
	if len(a.shape) != 2 || len(b.shape) != 2 {
		panicf("mm: expected 2-D tensors, got %d-D and %d-D", len(a.shape), len(b.shape))
	}
	if a.shape[1] != b.shape[0] {
		panicf("mat1 and mat2 shapes cannot be multiplied (%dx%d and %dx%d)", a.shape[0], a.shape[1], b.shape[0], b.shape[1])
	}
}

// Mm returns the matrix product of a (m×k) and b (k×n). It panics unless
// both are 2-D with matching inner sizes and the same dtype.
func (a *Tensor) Mm(b *Tensor) *Tensor {
	b = operand(b, a)
	checkMm(a, b)
	out := batchedGemm(a, b, nil)
	if needsGrad(a, b) {
		n := record(out, "MmBackward0", []*Tensor{a, b}, func(g *Tensor) []*Tensor {
			ga, gb := mmGrads(a, b, g)
			return []*Tensor{ga, gb}
		})
		save(n, a, b)
	}
	return out
}

// Addmm returns t + mat1·mat2 for mat1 of shape [m, k], mat2 of [k, n]
// and t broadcastable to [m, n]: PyTorch's addmm with beta and alpha 1,
// which is what a linear layer computes with its bias as t. The product
// is accumulated onto the broadcast t in one pass, where Mm and Add would
// make and read one more m×n result. It panics unless mat1 and mat2 are
// 2-D with matching inner sizes, t broadcasts to [m, n], and all three
// have one dtype.
func (t *Tensor) Addmm(mat1, mat2 *Tensor) *Tensor {
	mat1, mat2 = operand(mat1, t), operand(mat2, t)
	checkMm(mat1, mat2)
	if t.dtype() != mat2.dtype() {
		panicf("self and mat2 must have the same dtype, but got %s and %s", t.dtype(), mat2.dtype())
	}
	out := batchedGemm(mat1, mat2, t.Detach().Expand(mat1.shape[0], mat2.shape[1]))
	if needsGrad(t, mat1, mat2) {
		n := record(out, "AddmmBackward0", []*Tensor{t, mat1, mat2}, func(g *Tensor) []*Tensor {
			ga, gb := mmGrads(mat1, mat2, g)
			return []*Tensor{g, ga, gb}
		})
		save(n, mat1, mat2)
	}
	return out
}

// mmGrads returns the gradients of a and b in the product a·b whose
// gradient is g, nil for an operand that does not require grad.
func mmGrads(a, b, g *Tensor) (ga, gb *Tensor) {
	return maybe(a, func() *Tensor { return productLike(a, g, b.T()) }),
		maybe(b, func() *Tensor { return productLike(b, a.T(), g) })
}

// productLike returns the matrix product x·y laid out as like, an operand
// of Mm whose gradient it is: when like is a transposed matrix (such as
// the weight of a linear layer, used as W.T()), as the transpose of yᵀ·xᵀ,
// so that the gradient reaches W contiguous instead of as a transpose to
// be copied element by element, as PyTorch's mm backward does. The
// product is fresh memory that a leaf may take over as its gradient.
func productLike(like, x, y *Tensor) *Tensor {
	var p *Tensor
	if like.shape[0] > 1 && like.shape[1] > 1 && like.strides[0] == 1 && like.strides[1] == like.shape[0] {
		p = y.T().Mm(x.T()).T()
	} else {
		p = x.Mm(y)
	}
	p.st.gradOnly = true
	return p
}

// Bmm returns the batch of matrix products a[i]·b[i] for a of shape
// [B, m, k] and b of [B, k, n]. It panics for other shapes.
func (a *Tensor) Bmm(b *Tensor) *Tensor {
	b = operand(b, a)
	if len(a.shape) != 3 || len(b.shape) != 3 {
		panicf("batch1 and batch2 must be 3D tensors, got %d-D and %d-D", len(a.shape), len(b.shape))
	}
	if a.shape[0] != b.shape[0] || a.shape[2] != b.shape[1] {
		panicf("Expected size for first two dimensions of batch2 tensor to be: [%d, %d] but got: [%d, %d].", a.shape[0], a.shape[2], b.shape[0], b.shape[1])
	}
	out := batchedGemm(a, b, nil)
	if needsGrad(a, b) {
		n := record(out, "BmmBackward0", []*Tensor{a, b}, func(g *Tensor) []*Tensor {
			return []*Tensor{
				maybe(a, func() *Tensor { return g.Bmm(b.Transpose(1, 2)) }),
				maybe(b, func() *Tensor { return a.Transpose(1, 2).Bmm(g) }),
			}
		})
		save(n, a, b)
	}
	return out
}

// Dot returns the inner product of two 1-D tensors of the same length as a
// 0-dim tensor.
func (a *Tensor) Dot(b *Tensor) *Tensor {
	b = operand(b, a)
	if len(a.shape) != 1 || len(b.shape) != 1 {
		panicf("1D tensors expected, but got %dD and %dD tensors", len(a.shape), len(b.shape))
	}
	if a.shape[0] != b.shape[0] {
		panicf("inconsistent tensor size, expected tensor [%d] and src [%d] to have the same number of elements, but got %d and %d elements respectively",
			a.shape[0], b.shape[0], a.shape[0], b.shape[0])
	}
	out := batchedGemm(a.Detach().Unsqueeze(0), b.Detach().Unsqueeze(1), nil).Reshape()
	if needsGrad(a, b) {
		n := record(out, "DotBackward0", []*Tensor{a, b}, func(g *Tensor) []*Tensor {
			return []*Tensor{maybe(a, func() *Tensor { return g.Mul(b) }), maybe(b, func() *Tensor { return g.Mul(a) })}
		})
		save(n, a, b)
	}
	return out
}

// Outer returns the outer product of two 1-D tensors: out[i][j] = a[i]·b[j].
func (a *Tensor) Outer(b *Tensor) *Tensor {
	b = operand(b, a)
	if len(a.shape) != 1 || len(b.shape) != 1 {
		panicf("outer: expected 1-D tensors, got %d-D and %d-D", len(a.shape), len(b.shape))
	}
	return a.Unsqueeze(1).Mul(b.Unsqueeze(0))
}

// MatMul returns the matrix product with torch.matmul's rules: two 1-D
// tensors give their dot product; a 1-D operand is taken as a row (first)
// or column (second) vector and that dimension is removed from the result;
// two matrices give their product; beyond 2-D the leading dims are batch
// dims, broadcast against each other. It panics when the inner sizes do
// not match.
func (a *Tensor) MatMul(b *Tensor) *Tensor {
	b = operand(b, a)
	da, db := len(a.shape), len(b.shape)
	switch {
	case da == 0 || db == 0:
		panicf("both arguments to matmul need to be at least 1D, but they are %dD and %dD", da, db)
	case da == 1 && db == 1:
		return a.Dot(b)
	case da == 2 && db == 2:
		return a.Mm(b)
	case da == 1:
		return a.Unsqueeze(0).MatMul(b).Squeeze(-2)
	case db == 1:
		if a.shape[da-1] != b.shape[0] {
			panicf("size mismatch, got %d, %dx%d,%d", a.shape[da-2], a.shape[da-2], a.shape[da-1], b.shape[0])
		}
		name := "SqueezeBackward1"
		if da == 2 {
			name = "MvBackward0" // PyTorch's matrix-vector product
		}
		return a.MatMul(b.Unsqueeze(1)).squeeze(name, []int{-1})
	case db == 2:
		// A stack of matrices times one matrix: fold the stack into rows.
		m, k := a.shape[da-2], a.shape[da-1]
		if k != b.shape[0] {
			panicf("mat1 and mat2 shapes cannot be multiplied (%dx%d and %dx%d)", numel(a.shape[:da-1]), k, b.shape[0], b.shape[1])
		}
		lead := append([]int{}, a.shape[:da-2]...)
		return a.Reshape(-1, k).Mm(b).Reshape(append(lead, m, b.shape[1])...)
	}
	m, k, k2, n := a.shape[da-2], a.shape[da-1], b.shape[db-2], b.shape[db-1]
	if k != k2 {
		panicf("Expected size for first two dimensions of batch2 tensor to be: [%d, %d] but got: [%d, %d].", numel(a.shape[:da-2]), k, numel(b.shape[:db-2]), k2)
	}
	batch := broadcastShapes(a.shape[:da-2], b.shape[:db-2])
	B := numel(batch)
	x := a.Expand(append(append([]int{}, batch...), m, k)...).Reshape(B, m, k)
	y := b.Expand(append(append([]int{}, batch...), k, n)...).Reshape(B, k, n)
	return x.Bmm(y).Reshape(append(append([]int{}, batch...), m, n)...)
}

// MatMul returns a.MatMul(b); see [Tensor.MatMul].
func MatMul(a, b *Tensor) *Tensor { return a.MatMul(b) }

// Mm returns a.Mm(b).
func Mm(a, b *Tensor) *Tensor { return a.Mm(b) }

// Addmm returns input.Addmm(mat1, mat2); see [Tensor.Addmm].
func Addmm(input, mat1, mat2 *Tensor) *Tensor { return input.Addmm(mat1, mat2) }

// Bmm returns a.Bmm(b).
func Bmm(a, b *Tensor) *Tensor { return a.Bmm(b) }

// Dot returns a.Dot(b).
func Dot(a, b *Tensor) *Tensor { return a.Dot(b) }

// Outer returns a.Outer(b).
func Outer(a, b *Tensor) *Tensor { return a.Outer(b) }
