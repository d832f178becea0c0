package tensor

// maxOperands is the most operands one kernel walks together (Where's
// output, condition and two inputs).
const maxOperands = 4

// iterSpace is the row-major walk over a shape shared by up to maxOperands
// strided operands, with dimensions coalesced so that contiguous operands
// are walked as one long run.
type iterSpace struct {
	numel   int
	shape   []int
	strides [maxOperands][]int
	off     [maxOperands]int
}

// newIter prepares the walk of shape over ops, which all have that shape.
// Dimensions of size 1 are dropped, and a dimension is merged into the one
// before it when every operand steps through both as through one.
func newIter(shape []int, ops ...view) iterSpace {
	var it iterSpace
	it.numel = numel(shape)
	nd := 0
	for _, s := range shape {
		if s != 1 {
			nd++
		}
	}
	buf := make([]int, nd*(1+len(ops)))
	it.shape = buf[:0:nd]
	for k := range ops {
		it.strides[k] = buf[nd*(k+1) : nd*(k+1) : nd*(k+2)]
		it.off[k] = ops[k].off
	}
	for d, s := range shape {
		if s == 1 {
			continue
		}
		last := len(it.shape) - 1
		merge := last >= 0
		for k := 0; merge && k < len(ops); k++ {
			merge = it.strides[k][last] == ops[k].strides[d]*s
		}
		if merge {
			it.shape[last] *= s
			for k := range ops {
				it.strides[k][last] = ops[k].strides[d]
			}
			continue
		}
		it.shape = append(it.shape, s)
		for k := range ops {
			it.strides[k] = append(it.strides[k], ops[k].strides[d])
		}
	}
	return it
}

// inner returns operand k's stride along the innermost dimension, the step
// between the elements of one run.
func (it *iterSpace) inner(k int) int {
	if len(it.shape) == 0 {
		return 0
	}
	return it.strides[k][len(it.shape)-1]
}

// runner is a kernel's work on the runs of a walk: one call per run along
// the innermost dimension, with each operand's offset at the run's start
// and the run's length.
type runner interface {
	run(off [maxOperands]int, n int)
}

// each runs k over every run of the walk, splitting the positions over the
// cores when there are many. k is a value, not a closure, and is copied to
// other goroutines only when there are some, so that a small operation
// allocates nothing here.
func each[K runner](it *iterSpace, k K) {
	if it.numel < parallelThreshold {
		walk(it, 0, it.numel, k)
		return
	}
	shared := *it
	parallelFor(it.numel, 1, func(lo, hi int) { walk(&shared, lo, hi, k) })
}

// walk calls k for every run that lies within the row-major positions
// [lo, hi).
func walk[K runner](it *iterSpace, lo, hi int, k K) {
	nd := len(it.shape)
	if lo >= hi {
		return
	}
	if nd == 0 {
		k.run(it.off, 1)
		return
	}
	// A fixed buffer keeps the common case off the heap.
	var idxBuf [8]int
	var idx []int
	if nd > len(idxBuf) {
		idx = make([]int, nd)
	} else {
		idx = idxBuf[:nd]
	}
	off := it.off
	rem := lo
	for d := nd - 1; d >= 0; d-- {
		idx[d] = rem % it.shape[d]
		rem /= it.shape[d]
		for k := range off {
			if it.strides[k] != nil {
				off[k] += idx[d] * it.strides[k][d]
			}
		}
	}
	last := nd - 1
	inner := it.shape[last]
	for pos := lo; pos < hi; {
		n := min(inner-idx[last], hi-pos)
		k.run(off, n)
		pos += n
		idx[last] += n
		for k := range off {
			if it.strides[k] != nil {
				off[k] += n * it.strides[k][last]
			}
		}
		if idx[last] < inner {
			continue
		}
		idx[last] = 0
		for k := range off {
			if it.strides[k] != nil {
				off[k] -= inner * it.strides[k][last]
			}
		}
		for d := last - 1; d >= 0; d-- {
			idx[d]++
			for k := range off {
				if it.strides[k] != nil {
					off[k] += it.strides[k][d]
				}
			}
			if idx[d] < it.shape[d] {
				break
			}
			for k := range off {
				if it.strides[k] != nil {
					off[k] -= it.shape[d] * it.strides[k][d]
				}
			}
			idx[d] = 0
		}
	}
}
