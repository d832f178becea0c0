package gemm

import (
	"sync"

	"github.com/gorch/gorch/tensor/internal/par"
)

// kernel is a micro-kernel and the block sizes tuned for it.
//
// run computes the full mr×nr tile C = alpha·Ã·B̃ + beta·C, where Ã is a
// packed A micro-panel (k steps of mr values) and B̃ a packed B micro-panel
// (k steps of nr values); with beta == 0 it must not read C.
type kernel[T float] struct {
	name   string
	mr, nr int
	// kc is the depth of a packed panel: kc·mr elements of A stay in L1
	// while the B micro-panels stream past them.
	kc int
	// nc is the widest slab of packed B one task covers, kc·nc elements
	// sized to stay in L2 while A micro-panels sweep over it.
	nc int
	// mc is the height of the packed block of A, kept in L3.
	mc  int
	run func(k int, a, b, c []T, ldc int, alpha, beta T)
}

// blockCols bounds the columns of B packed at once, so that the shared
// packed block (kc·blockCols elements) stays within L3 for any n.
const blockCols = 4096

// buffers hold the packed blocks of A and B for one product; they are
// pooled so that repeated products do not allocate.
type buffers[T float] struct {
	a, b []T
	// scratch holds each worker's edge tile.
	scratch [][]T
}

var (
	pool32 sync.Pool
	pool64 sync.Pool
)

func poolOf[T float]() *sync.Pool {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return &pool32
	}
	return &pool64
}

// grow returns s resized to n elements, reallocating only when too small.
func grow[T float](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// blocked runs the packed, cache-blocked product on up to workers
// goroutines. It needs k > 0: with no depth block to apply beta, C would
// be left alone, so gemm handles k == 0 itself.
//
// Loop order (outermost first): columns of C in blocks of blockCols, rows
// in blocks of mc, depth in blocks of kc. For each such block, A and B are
// packed into shared buffers (in parallel, panel by panel), then C's tiles
// are computed in tasks of up to nc columns (a B slab that stays in L2)
// by a group of A micro-panels (each held in L1 while it sweeps the slab).
// Workers take packing jobs and tasks as they come free, so a core slowed
// by other work on the machine just takes fewer. Only the first depth
// block applies the caller's beta; later ones accumulate.
func (kn *kernel[T]) blocked(p *problem[T], workers int) {
	pool := poolOf[T]()
	buf, _ := pool.Get().(*buffers[T])
	if buf == nil {
		buf = new(buffers[T])
	}
	defer pool.Put(buf)
	for len(buf.scratch) < workers {
		buf.scratch = append(buf.scratch, nil)
	}
	for w := range workers {
		buf.scratch[w] = grow(buf.scratch[w], kn.mr*kn.nr)
	}
	// Depth blocks of equal size: 784 is two blocks of 392, not 384, 384
	// and a block of 16 that would pass over C once more for little work.
	kc := ceilDiv(p.k, ceilDiv(p.k, kn.kc))
	for jc := 0; jc < p.n; jc += blockCols {
		nc := min(blockCols, p.n-jc)
		for ic := 0; ic < p.m; ic += kn.mc {
			mc := min(kn.mc, p.m-ic)
			for pc := 0; pc < p.k; pc += kc {
				kn.block(p, buf, workers, ic, mc, jc, nc, pc, min(kc, p.k-pc))
			}
		}
	}
}

// block packs op(A)[ic:ic+mc, pc:pc+kc] and op(B)[pc:pc+kc, jc:jc+nc] and
// adds their product into C[ic:ic+mc, jc:jc+nc].
func (kn *kernel[T]) block(p *problem[T], buf *buffers[T], workers, ic, mc, jc, nc, pc, kc int) {
	mr, nr := kn.mr, kn.nr
	aPanels, bPanels := ceilDiv(mc, mr), ceilDiv(nc, nr)
	beta := p.beta
	if pc > 0 {
		beta = 1
	}
	buf.a = grow(buf.a, aPanels*mr*kc)
	buf.b = grow(buf.b, bPanels*nr*kc)
	par.Run(workers, aPanels+bPanels, func(_, job int) {
		if job < aPanels {
			packA(buf.a[job*mr*kc:(job+1)*mr*kc], p, ic+job*mr, min(mr, mc-job*mr), pc, kc, mr)
			return
		}
		q := job - aPanels
		packB(buf.b[q*nr*kc:(q+1)*nr*kc], p, pc, kc, jc+q*nr, min(nr, nc-q*nr), nr)
	})
	// Tasks are at most nc columns wide, narrower when that leaves workers
	// idle, of even widths, and as tall as keeps about four tasks per
	// worker.
	colTasks := max(ceilDiv(bPanels, kn.nc/nr), min(workers, bPanels))
	colPanels := ceilDiv(bPanels, colTasks)
	colTasks = ceilDiv(bPanels, colPanels)
	rowPanels := ceilDiv(aPanels, min(aPanels, max(1, 4*workers/colTasks)))
	rowTasks := ceilDiv(aPanels, rowPanels)
	par.Run(workers, rowTasks*colTasks, func(worker, task int) {
		r0, q0 := task%rowTasks*rowPanels, task/rowTasks*colPanels
		kn.tiles(p, buf, buf.scratch[worker], kc, beta,
			ic, r0*mr, min(mc, (r0+rowPanels)*mr),
			jc, q0*nr, min(nc, (q0+colPanels)*nr))
	})
}

func ceilDiv(x, y int) int { return (x + y - 1) / y }

// tiles multiplies packed A rows [i0, i1) of the block at row ic by packed
// B columns [j0, j1) of the block at column jc into C. Edge tiles are
// computed whole into scratch (the panels are zero-padded) and only
// their valid part is merged into C.
func (kn *kernel[T]) tiles(p *problem[T], buf *buffers[T], scratch []T, kc int, beta T, ic, i0, i1, jc, j0, j1 int) {
	mr, nr := kn.mr, kn.nr
	for ir := i0; ir < i1; ir += mr {
		ap := buf.a[ir*kc : (ir+mr)*kc]
		rows := min(mr, i1-ir)
		for jr := j0; jr < j1; jr += nr {
			bp := buf.b[jr*kc : (jr+nr)*kc]
			cols := min(nr, j1-jr)
			c := p.c[(ic+ir)*p.ldc+jc+jr:]
			if rows == mr && cols == nr {
				kn.run(kc, ap, bp, c, p.ldc, p.alpha, beta)
				continue
			}
			kn.run(kc, ap, bp, scratch, nr, p.alpha, 0)
			merge(c, p.ldc, scratch, nr, rows, cols, beta)
		}
	}
}

// merge sets C = T + beta·C on a rows×cols corner.
func merge[T float](c []T, ldc int, t []T, ldt, rows, cols int, beta T) {
	for i := range rows {
		dst := c[i*ldc : i*ldc+cols]
		src := t[i*ldt : i*ldt+cols]
		if beta == 0 {
			copy(dst, src)
			continue
		}
		for j, v := range src {
			dst[j] = v + beta*dst[j]
		}
	}
}

// packA copies op(A)[i0:i0+rows, pc:pc+kc] into one micro-panel: for each
// depth step l, the mr values op(A)[i0+i, pc+l], zero past rows.
func packA[T float](panel []T, p *problem[T], i0, rows, pc, kc, mr int) {
	if rows < mr {
		clear(panel)
	}
	if p.transA {
		// Stored A is k×m: each depth step's rows are contiguous.
		for l := range kc {
			src := p.a[(pc+l)*p.lda+i0:]
			copy(panel[l*mr:l*mr+rows], src[:rows])
		}
		return
	}
	// Stored A is m×k: each row is contiguous and lands with stride mr.
	packT(panel, mr, p.a[i0*p.lda+pc:], p.lda, rows, kc)
}

// packB copies op(B)[pc:pc+kc, j0:j0+cols] into one micro-panel: for each
// depth step l, the nr values op(B)[pc+l, j0+j], zero past cols.
func packB[T float](panel []T, p *problem[T], pc, kc, j0, cols, nr int) {
	if cols < nr {
		clear(panel)
	}
	if !p.transB {
		for l := range kc {
			src := p.b[(pc+l)*p.ldb+j0:]
			copy(panel[l*nr:l*nr+cols], src[:cols])
		}
		return
	}
	// Stored B is n×k: each column of op(B) is contiguous.
	packT(panel, nr, p.b[j0*p.ldb+pc:], p.ldb, cols, kc)
}

// packT copies rows runs of kc elements, run i starting at src[i*ld],
// across a panel of width w: panel[l*w+i] = src[i*ld+l]. This transposing
// copy is most of what packing costs for a row-major A and a transposed B
// (the weight of a linear layer). Where there is assembly, float32 rows go
// four at a time through transposeRows, which moves a 4×4 block with a
// few shuffles, about five times faster than the loop below, which stores
// each element to its own place w apart.
func packT[T float](panel []T, w int, src []T, ld, rows, kc int) {
	i := 0
	if p32, ok := any(panel).([]float32); ok {
		i = transposeRows(p32, w, any(src).([]float32), ld, rows, kc)
	}
	for ; i < rows; i++ {
		// A running offset, rather than l*w+i, runs about 1.5× faster.
		off := i
		for _, v := range src[i*ld:][:kc] {
			panel[off] = v
			off += w
		}
	}
}
