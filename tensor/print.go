package tensor

// elements gives the formatter read access to t's elements through its
// strides, without copying them.
func (t *Tensor) elements() elements {
	x := t.Detach()
	cpuOf(x)
	e := elements{shape: x.shape, kind: kindInt}
	at := func(idx []int) int {
		off := x.offset
		for d, i := range idx {
			off += i * x.strides[d]
		}
		return off
	}
	switch buf := x.st.buf.(type) {
	case []float32:
		e.kind = kindFloat
		e.float = func(idx []int) float64 { return float64(buf[at(idx)]) }
	case []float64:
		e.kind = kindFloat
		e.float = func(idx []int) float64 { return buf[at(idx)] }
	case []int64:
		e.int = func(idx []int) int64 { return buf[at(idx)] }
	case []int32:
		e.int = func(idx []int) int64 { return int64(buf[at(idx)]) }
	case []uint8:
		e.int = func(idx []int) int64 { return int64(buf[at(idx)]) }
	case []bool:
		e.kind = kindBool
		e.float = func(idx []int) float64 {
			if buf[at(idx)] {
				return 1
			}
			return 0
		}
	}
	return e
}

// gradState is the grad part of t's text and caption: its grad_fn, or
// requires_grad for a leaf that requires it, or "".
func (t *Tensor) gradState() string {
	t.refresh()
	switch {
	case t.gradFn != nil:
		return "grad_fn=" + t.gradFn.String()
	case t.requiresGrad:
		return "requires_grad=True"
	}
	return ""
}

// String returns t as PyTorch's repr writes it, such as
// "tensor([1., 2.], requires_grad=True)": the device unless the CPU, the
// dtype unless the digits imply it, and the grad state. Tensors of more
// than 1000 elements are summarised with "...". A nil tensor is "<nil>",
// as fmt prints other nil pointers: String is the one method that does not
// panic for it, so that printing a variable is always safe.
func (t *Tensor) String() string {
	if t == nil {
		return "<nil>"
	}
	var suffixes []string
	if t.st.be != cpu {
		suffixes = append(suffixes, "device='"+t.Device()+"'")
	}
	if dt := t.dtype(); (dt != Float32 && dt != Int64 && dt != Bool) || (t.Numel() == 0 && dt != Float32) {
		suffixes = append(suffixes, "dtype=tensor."+dt.String())
	}
	if g := t.gradState(); g != "" {
		suffixes = append(suffixes, g)
	}
	return formatTensor(t.Detach().Cpu().elements(), suffixes)
}

// MIMEBundle returns t's rich display for Jupyter: "text/plain" is String,
// "text/html" a table with row and column indices and a caption with the
// shape, dtype, device and grad state.
func (t *Tensor) MIMEBundle() map[string]any {
	caption := htmlCaption(t.shape, t.dtype().String(), t.Device(), t.gradState())
	return map[string]any{
		"text/plain": t.String(),
		"text/html":  formatHTML(t.Detach().Cpu().elements(), caption),
	}
}
