//go:build ignore

// gen writes vec_amd64.s, the SIMD loops, and asm_amd64.go, their Go
// declarations. They are generated because the 40 of them differ only in
// the instruction, the register width and the element size: written by
// hand, one wrong offset among them would hide in a loop that the tests
// exercise only at some lengths.
//
// Run it with `go generate` in this directory.
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"strings"
)

// isa is one instruction set: its register prefix and width in bytes.
type isa struct {
	name  string // "AVX2" or "AVX512"
	reg   string // "Y" or "Z"
	bytes int
}

// elem is one element type: its Go name, size and instruction suffix.
type elem struct {
	name, goType, sfx string
	size              int
}

var (
	isas  = []isa{{"AVX2", "Y", 32}, {"AVX512", "Z", 64}}
	elems = []elem{{"F32", "float32", "PS", 4}, {"F64", "float64", "PD", 8}}
	ops   = []string{"ADD", "SUB", "MUL", "DIV"}
)

// unroll is how many vectors one trip of a main loop handles: enough
// independent loads and adds in flight to keep both load ports busy.
const unroll = 4

// sumAccs is how many vector sums a sum keeps: floating-point adds take a
// few cycles and two can start per cycle, so fewer sums would leave the
// adders waiting on each other.
const sumAccs = 8

// writer collects the assembly and, in decl, the Go declarations.
type writer struct {
	bytes.Buffer
	decl bytes.Buffer
}

func (w *writer) p(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }

// declare writes the Go declaration of an assembly function, and the
// same as a comment above its TEXT line.
func (w *writer) declare(name, params, result string) {
	w.p("// func %s(%s)%s", name, params, result)
	fmt.Fprintf(&w.decl, "\n//go:noescape\nfunc %s(%s)%s\n", name, params, result)
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }

// stream writes the loop of an elementwise function over the first
// n &^ (lanes-1) elements, n in CX: body(k) handles k vectors at offsets
// 0, x.bytes, … from the pointers in ptrs, unroll of them a trip while
// that many are left, then one at a time.
func (w *writer) stream(x isa, lanes int, ptrs []string, body func(k int)) {
	advance := func(vecs int) {
		for _, r := range ptrs {
			w.p("\tADDQ $%d, %s", vecs*x.bytes, r)
		}
		w.p("\tSUBQ $%d, CX", vecs*lanes)
	}
	w.p("\tCMPQ CX, $%d", unroll*lanes)
	w.p("\tJLT single")
	w.p("loop:")
	body(unroll)
	advance(unroll)
	w.p("\tCMPQ CX, $%d", unroll*lanes)
	w.p("\tJGE loop")
	w.p("single:")
	w.p("\tCMPQ CX, $%d", lanes)
	w.p("\tJLT done")
	body(1)
	advance(1)
	w.p("\tJMP single")
	w.p("done:")
	w.p("\tVZEROUPPER")
	w.p("\tRET")
	w.p("")
}

// binary writes d[i] = a[i] op b[i] (vv) or d[i] = a[i] op s (vs) for the
// first n &^ (lanes-1) elements; the caller does the rest.
func (w *writer) binary(op string, e elem, x isa, scalar bool) {
	form, sig, frame := "VV", fmt.Sprintf("d, a, b *%s, n int", e.goType), 32
	if scalar {
		form, sig = "VS", fmt.Sprintf("d, a *%s, s %s, n int", e.goType, e.goType)
	}
	name := lower(op) + form + e.name + x.name
	w.declare(name, sig, "")
	w.p("TEXT ·%s(SB), NOSPLIT, $0-%d", name, frame)
	w.p("\tMOVQ d+0(FP), DI")
	w.p("\tMOVQ a+8(FP), SI")
	ptrs := []string{"SI", "DX", "DI"}
	if scalar {
		bcast := "VBROADCASTSS"
		if e.size == 8 {
			bcast = "VBROADCASTSD"
		}
		w.p("\t%s s+16(FP), %s15", bcast, x.reg)
		ptrs = []string{"SI", "DI"}
	} else {
		w.p("\tMOVQ b+16(FP), DX")
	}
	w.p("\tMOVQ n+24(FP), CX")
	// rhs names the right operand of vector v at the current position.
	rhs := func(v int) string {
		if scalar {
			return x.reg + "15"
		}
		return fmt.Sprintf("%d(DX)", v*x.bytes)
	}
	w.stream(x, x.bytes/e.size, ptrs, func(k int) {
		for v := range k {
			w.p("\tVMOVUP%s %d(SI), %s", e.sfx[1:], v*x.bytes, x.r(v))
		}
		for v := range k {
			w.p("\tV%s%s %s, %s, %s", op, e.sfx, rhs(v), x.r(v), x.r(v))
		}
		for v := range k {
			w.p("\tVMOVUP%s %s, %d(DI)", e.sfx[1:], x.r(v), v*x.bytes)
		}
	})
}

// Comparison predicates of VCMPPS and VCMPPD.
const (
	notLessEqualUnordered = 0x16 // !(x <= y): true where either is NaN
	greaterOrdered        = 0x1E // x > y: false where either is NaN
)

// relu writes d[i] = a[i] where !(a[i] <= 0), so NaN passes, and +0
// elsewhere (grad false), or d[i] = dy[i] where y[i] > 0 and +0 elsewhere
// (grad true: ReLU's backward, dy in DX and y in SI), for the
// first n &^ (lanes-1) elements. The comparison makes a mask that keeps or
// zeroes whole lanes: a vector register ANDed in AVX2, a K register for a
// zeroing move in AVX-512.
func (w *writer) relu(e elem, x isa, grad bool) {
	name, sig := "relu"+e.name+x.name, fmt.Sprintf("d, a *%s, n int", e.goType)
	if grad {
		name, sig = "reluGrad"+e.name+x.name, fmt.Sprintf("d, dy, y *%s, n int", e.goType)
	}
	w.declare(name, sig, "")
	w.p("TEXT ·%s(SB), NOSPLIT, $0-%d", name, 8*(strings.Count(sig, ",")+1))
	w.p("\tMOVQ d+0(FP), DI")
	ptrs := []string{"SI", "DI"}
	pred, keep := notLessEqualUnordered, "SI"
	if grad {
		w.p("\tMOVQ dy+8(FP), DX")
		w.p("\tMOVQ y+16(FP), SI")
		w.p("\tMOVQ n+24(FP), CX")
		ptrs = []string{"SI", "DX", "DI"}
		pred, keep = greaterOrdered, "DX"
	} else {
		w.p("\tMOVQ a+8(FP), SI")
		w.p("\tMOVQ n+16(FP), CX")
	}
	mov := "VMOVUP" + e.sfx[1:]
	zero := x.r(15)
	w.p("\tVXORP%s %s, %s, %s", e.sfx[1:], zero, zero, zero)
	w.stream(x, x.bytes/e.size, ptrs, func(k int) {
		for v := range k {
			w.p("\t%s %d(SI), %s", mov, v*x.bytes, x.r(v))
		}
		for v := range k {
			// The kept values: the vector just loaded, or dy's.
			src := x.r(v)
			if keep == "DX" {
				src = fmt.Sprintf("%d(DX)", v*x.bytes)
			}
			if x.reg == "Z" {
				w.p("\tVCMP%s $0x%X, %s, %s, K%d", e.sfx, pred, zero, x.r(v), v+1)
				w.p("\t%s.Z %s, K%d, %s", mov, src, v+1, x.r(v))
				continue
			}
			w.p("\tVCMP%s $0x%X, %s, %s, %s", e.sfx, pred, zero, x.r(v), x.r(v+unroll))
			w.p("\tVANDP%s %s, %s, %s", e.sfx[1:], src, x.r(v+unroll), x.r(v))
		}
		for v := range k {
			w.p("\t%s %s, %d(DI)", mov, x.r(v), v*x.bytes)
		}
	})
}

// sumF64 writes the sum of the first n &^ (lanes-1) float64 elements,
// added in sumAccs vectors of float64 sums.
func (w *writer) sumF64(x isa) {
	name := "sumF64" + x.name
	lanes := x.bytes / 8
	w.declare(name, "x *float64, n int", " float64")
	w.p("TEXT ·%s(SB), NOSPLIT, $0-24", name)
	w.p("\tMOVQ x+0(FP), SI")
	w.p("\tMOVQ n+8(FP), CX")
	for v := range sumAccs {
		w.p("\tVXORPD %s, %s, %s", x.r(v), x.r(v), x.r(v))
	}
	w.p("\tCMPQ CX, $%d", sumAccs*lanes)
	w.p("\tJLT single")
	w.p("loop:")
	for v := range sumAccs {
		w.p("\tVADDPD %d(SI), %s, %s", v*x.bytes, x.r(v), x.r(v))
	}
	w.p("\tADDQ $%d, SI", sumAccs*x.bytes)
	w.p("\tSUBQ $%d, CX", sumAccs*lanes)
	w.p("\tCMPQ CX, $%d", sumAccs*lanes)
	w.p("\tJGE loop")
	w.p("single:")
	w.p("\tCMPQ CX, $%d", lanes)
	w.p("\tJLT done")
	w.p("\tVADDPD (SI), %s, %s", x.r(0), x.r(0))
	w.p("\tADDQ $%d, SI", x.bytes)
	w.p("\tSUBQ $%d, CX", lanes)
	w.p("\tJMP single")
	w.p("done:")
	w.tree("VADDPD", x)
	w.ret(x)
}

// blockTrips is how many vectors each float32 sum adds in float32 before
// its total moves to float64: the first levels of a cascade, which lose
// at most a few units of float32 rounding and run at the speed of a plain
// float32 sum, where widening every element first would halve it.
const blockTrips = 8

// sumF32 writes the sum of the first n &^ (lanes/2-1) float32 elements:
// sumAccs vectors of float32 sums each add blockTrips vectors of x, then
// fold into two float64 vectors, block after block; what is left after
// the last block is widened half a vector at a time.
func (w *writer) sumF32(x isa) {
	name := "sumF32" + x.name
	lanes := x.bytes / 4
	step := sumAccs * lanes
	half := "X"
	if x.reg == "Z" {
		half = "Y"
	}
	w.declare(name, "x *float32, n int", " float64")
	w.p("TEXT ·%s(SB), NOSPLIT, $0-24", name)
	w.p("\tMOVQ x+0(FP), SI")
	w.p("\tMOVQ n+8(FP), CX")
	lo, hi, t0, t1 := x.r(sumAccs), x.r(sumAccs+1), x.r(sumAccs+2), x.r(sumAccs+3)
	w.p("\tVXORPD %s, %s, %s", lo, lo, lo)
	w.p("\tVXORPD %s, %s, %s", hi, hi, hi)
	w.p("block:")
	w.p("\tCMPQ CX, $%d", step)
	w.p("\tJLT single")
	for v := range sumAccs {
		w.p("\tVXORPS %s, %s, %s", x.r(v), x.r(v), x.r(v))
	}
	w.p("\tMOVQ $%d, DX", blockTrips)
	w.p("loop:")
	for v := range sumAccs {
		w.p("\tVADDPS %d(SI), %s, %s", v*x.bytes, x.r(v), x.r(v))
	}
	w.p("\tADDQ $%d, SI", sumAccs*x.bytes)
	w.p("\tSUBQ $%d, CX", step)
	w.p("\tDECQ DX")
	w.p("\tJZ fold")
	w.p("\tCMPQ CX, $%d", step)
	w.p("\tJGE loop")
	w.p("fold:")
	w.tree("VADDPS", x)
	// Widen the low and the high half of the float32 vector.
	w.p("\tVCVTPS2PD %s0, %s", half, t0)
	if x.reg == "Z" {
		w.p("\tVEXTRACTF64X4 $1, Z0, Y%d", sumAccs+3)
	} else {
		w.p("\tVEXTRACTF128 $1, Y0, X%d", sumAccs+3)
	}
	w.p("\tVCVTPS2PD %s%d, %s", half, sumAccs+3, t1)
	w.p("\tVADDPD %s, %s, %s", t0, lo, lo)
	w.p("\tVADDPD %s, %s, %s", t1, hi, hi)
	w.p("\tJMP block")
	w.p("single:")
	w.p("\tCMPQ CX, $%d", lanes/2)
	w.p("\tJLT done")
	w.p("\tVCVTPS2PD (SI), %s", t0)
	w.p("\tVADDPD %s, %s, %s", t0, lo, lo)
	w.p("\tADDQ $%d, SI", x.bytes/2)
	w.p("\tSUBQ $%d, CX", lanes/2)
	w.p("\tJMP single")
	w.p("done:")
	w.p("\tVADDPD %s, %s, %s", hi, lo, x.r(0))
	w.ret(x)
}

// colAccs is how many float64 vectors of column sums a columns loop keeps
// in registers, with as many registers again for the widened elements.
func (x isa) colAccs() int {
	if x.reg == "Z" {
		return 16
	}
	return 8
}

// columns writes the loop that adds rows rows of x, stride elements
// apart, into the first cols &^ (lanes-1) float64 sums of acc, where lanes
// is the float64s one vector holds. It keeps a tile of columns' sums in
// registers while it walks down the rows, then moves to the next tile.
func (w *writer) columns(e elem, x isa) {
	name := "columns" + e.name + x.name
	lanes := x.bytes / 8 // float64 sums per vector, and elements per load
	w.declare(name, "x *"+e.goType+", stride, rows int, acc *float64, cols int", "")
	w.p("TEXT ·%s(SB), NOSPLIT, $0-40", name)
	w.p("\tMOVQ x+0(FP), SI")
	w.p("\tMOVQ stride+8(FP), BX")
	w.p("\tSHLQ $%d, BX", map[int]int{4: 2, 8: 3}[e.size])
	w.p("\tMOVQ rows+16(FP), R8")
	w.p("\tMOVQ acc+24(FP), DI")
	w.p("\tMOVQ cols+32(FP), CX")
	// tile writes the loop over one tile of accs vectors of columns.
	tile := func(label string, accs int, next string) {
		w.p("%s:", label)
		w.p("\tCMPQ CX, $%d", accs*lanes)
		w.p("\tJLT %s", next)
		for v := range accs {
			w.p("\tVMOVUPD %d(DI), %s", v*x.bytes, x.r(v))
		}
		w.p("\tMOVQ SI, AX")
		w.p("\tMOVQ R8, DX")
		w.p("\tTESTQ DX, DX")
		w.p("\tJZ %s_store", label)
		w.p("%s_row:", label)
		for v := range accs {
			off := v * lanes * e.size
			if e.size == 4 {
				w.p("\tVCVTPS2PD %d(AX), %s", off, x.r(v+x.colAccs()))
				w.p("\tVADDPD %s, %s, %s", x.r(v+x.colAccs()), x.r(v), x.r(v))
			} else {
				w.p("\tVADDPD %d(AX), %s, %s", off, x.r(v), x.r(v))
			}
		}
		w.p("\tADDQ BX, AX")
		w.p("\tDECQ DX")
		w.p("\tJNZ %s_row", label)
		w.p("%s_store:", label)
		for v := range accs {
			w.p("\tVMOVUPD %s, %d(DI)", x.r(v), v*x.bytes)
		}
		w.p("\tADDQ $%d, SI", accs*lanes*e.size)
		w.p("\tADDQ $%d, DI", accs*x.bytes)
		w.p("\tSUBQ $%d, CX", accs*lanes)
		w.p("\tJMP %s", label)
	}
	// Tiles halve in width, so that the columns left over past the widest
	// still have several sums in flight. Float32 columns are summed in
	// float32 blocks of rows, down to the last half vector of columns.
	first := x.colAccs()
	if e.size == 4 {
		for accs := x.colAccs() / 2; accs >= 1; accs /= 2 {
			next := fmt.Sprintf("block%d", accs/2)
			if accs == 1 {
				next = "tile1"
			}
			w.blockTile(x, fmt.Sprintf("block%d", accs), accs, next)
		}
		first = 1
	}
	for accs := first; accs >= 1; accs /= 2 {
		next := fmt.Sprintf("tile%d", accs/2)
		if accs == 1 {
			next = "done"
		}
		tile(fmt.Sprintf("tile%d", accs), accs, next)
	}
	w.p("done:")
	w.p("\tVZEROUPPER")
	w.p("\tRET")
	w.p("")
}

// blockTile writes a tile of the float32 columns loop: accs vectors of
// float32 sums each add blockTrips rows, as sumF32's do, then are widened
// into the tile's 2·accs float64 sums, block after block of rows. It runs
// at the speed of float32 additions where widening every element would
// halve it.
func (w *writer) blockTile(x isa, label string, accs int, next string) {
	lanes := x.bytes / 4
	f := func(i int) string { return x.r(x.colAccs()/2 + i) }
	t0, t1 := x.colAccs()/2+x.colAccs(), x.colAccs()/2+x.colAccs()+1
	half := map[string]string{"Z": "Y", "Y": "X"}[x.reg]
	w.p("%s:", label)
	w.p("\tCMPQ CX, $%d", accs*lanes)
	w.p("\tJLT %s", next)
	for i := range 2 * accs {
		w.p("\tVMOVUPD %d(DI), %s", i*x.bytes, f(i))
	}
	w.p("\tMOVQ SI, AX")
	w.p("\tMOVQ R8, DX")
	w.p("%s_block:", label)
	w.p("\tTESTQ DX, DX")
	w.p("\tJZ %s_store", label)
	for v := range accs {
		w.p("\tVXORPS %s, %s, %s", x.r(v), x.r(v), x.r(v))
	}
	w.p("\tMOVQ $%d, R9", blockTrips)
	w.p("%s_row:", label)
	for v := range accs {
		w.p("\tVADDPS %d(AX), %s, %s", v*x.bytes, x.r(v), x.r(v))
	}
	w.p("\tADDQ BX, AX")
	w.p("\tDECQ DX")
	w.p("\tJZ %s_fold", label)
	w.p("\tDECQ R9")
	w.p("\tJNZ %s_row", label)
	w.p("%s_fold:", label)
	for v := range accs {
		w.p("\tVCVTPS2PD %s%d, %s", half, v, x.r(t0))
		w.p("\tVADDPD %s, %s, %s", x.r(t0), f(2*v), f(2*v))
		if x.reg == "Z" {
			w.p("\tVEXTRACTF64X4 $1, %s, Y%d", x.r(v), t1)
		} else {
			w.p("\tVEXTRACTF128 $1, %s, X%d", x.r(v), t1)
		}
		w.p("\tVCVTPS2PD %s%d, %s", half, t1, x.r(t1))
		w.p("\tVADDPD %s, %s, %s", x.r(t1), f(2*v+1), f(2*v+1))
	}
	w.p("\tJMP %s_block", label)
	w.p("%s_store:", label)
	for i := range 2 * accs {
		w.p("\tVMOVUPD %s, %d(DI)", f(i), i*x.bytes)
	}
	w.p("\tADDQ $%d, SI", accs*x.bytes)
	w.p("\tADDQ $%d, DI", 2*accs*x.bytes)
	w.p("\tSUBQ $%d, CX", accs*lanes)
	w.p("\tJMP %s", label)
}

// r names vector register i.
func (x isa) r(i int) string { return fmt.Sprintf("%s%d", x.reg, i) }

// tree adds the sumAccs accumulators into register 0 as a balanced tree.
func (w *writer) tree(add string, x isa) {
	for n := sumAccs / 2; n > 0; n /= 2 {
		for v := range n {
			w.p("\t%s %s, %s, %s", add, x.r(v+n), x.r(v), x.r(v))
		}
	}
}

// ret adds up the float64 lanes of register 0 and returns the total.
func (w *writer) ret(x isa) {
	if x.reg == "Z" {
		w.p("\tVEXTRACTF64X4 $1, Z0, Y1")
		w.p("\tVADDPD Y1, Y0, Y0")
	}
	w.p("\tVEXTRACTF128 $1, Y0, X1")
	w.p("\tVADDPD X1, X0, X0")
	w.p("\tVUNPCKHPD X0, X0, X1")
	w.p("\tVADDSD X1, X0, X0")
	w.p("\tVZEROUPPER")
	w.p("\tMOVSD X0, ret+16(FP)")
	w.p("\tRET")
	w.p("")
}

func main() {
	var w writer
	w.p("// Code generated by gen.go; DO NOT EDIT.")
	w.p("")
	w.p("//go:build amd64")
	w.p("")
	w.p("#include \"textflag.h\"")
	w.p("")
	for _, x := range isas {
		for _, e := range elems {
			for _, op := range ops {
				w.binary(op, e, x, false)
				w.binary(op, e, x, true)
			}
		}
		for _, e := range elems {
			w.relu(e, x, false)
			w.relu(e, x, true)
		}
		w.sumF32(x)
		w.sumF64(x)
		for _, e := range elems {
			w.columns(e, x)
		}
	}
	if err := os.WriteFile("vec_amd64.s", w.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	decl := "// Code generated by gen.go; DO NOT EDIT.\n\n//go:build amd64\n\npackage vec\n" + w.decl.String()
	if err := os.WriteFile("asm_amd64.go", []byte(decl), 0o644); err != nil {
		log.Fatal(err)
	}
}
