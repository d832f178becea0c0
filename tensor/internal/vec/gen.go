//go:build ignore

// gen writes vec_amd64.s, the SIMD loops, and asm_amd64.go, their Go
// declarations. They are generated because the
// 36 of them differ only in the instruction, the register width and the
// element size: written by hand, one wrong offset among them would hide in
// a loop that the tests exercise only at some lengths.
//
// Run it with `go generate` in this directory.
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
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

// binary writes d[i] = a[i] op b[i] (vv) or d[i] = a[i] op s (vs) for the
// first n &^ (lanes-1) elements; the caller does the rest.
func (w *writer) binary(op string, e elem, x isa, scalar bool) {
	form, sig, frame := "VV", fmt.Sprintf("d, a, b *%s, n int", e.goType), 32
	if scalar {
		form, sig = "VS", fmt.Sprintf("d, a *%s, s %s, n int", e.goType, e.goType)
	}
	name := lower(op) + form + e.name + x.name
	lanes := x.bytes / e.size
	w.declare(name, sig, "")
	w.p("TEXT ·%s(SB), NOSPLIT, $0-%d", name, frame)
	w.p("\tMOVQ d+0(FP), DI")
	w.p("\tMOVQ a+8(FP), SI")
	if scalar {
		bcast := "VBROADCASTSS"
		if e.size == 8 {
			bcast = "VBROADCASTSD"
		}
		w.p("\t%s s+16(FP), %s15", bcast, x.reg)
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
	advance := func(vecs int) {
		w.p("\tADDQ $%d, SI", vecs*x.bytes)
		if !scalar {
			w.p("\tADDQ $%d, DX", vecs*x.bytes)
		}
		w.p("\tADDQ $%d, DI", vecs*x.bytes)
		w.p("\tSUBQ $%d, CX", vecs*lanes)
	}
	w.p("\tCMPQ CX, $%d", unroll*lanes)
	w.p("\tJLT single")
	w.p("loop:")
	for v := range unroll {
		w.p("\tVMOVUP%s %d(SI), %s%d", e.sfx[1:], v*x.bytes, x.reg, v)
	}
	for v := range unroll {
		w.p("\tV%s%s %s, %s%d, %s%d", op, e.sfx, rhs(v), x.reg, v, x.reg, v)
	}
	for v := range unroll {
		w.p("\tVMOVUP%s %s%d, %d(DI)", e.sfx[1:], x.reg, v, v*x.bytes)
	}
	advance(unroll)
	w.p("\tCMPQ CX, $%d", unroll*lanes)
	w.p("\tJGE loop")
	w.p("single:")
	w.p("\tCMPQ CX, $%d", lanes)
	w.p("\tJLT done")
	w.p("\tVMOVUP%s (SI), %s0", e.sfx[1:], x.reg)
	w.p("\tV%s%s %s, %s0, %s0", op, e.sfx, rhs(0), x.reg, x.reg)
	w.p("\tVMOVUP%s %s0, (DI)", e.sfx[1:], x.reg)
	advance(1)
	w.p("\tJMP single")
	w.p("done:")
	w.p("\tVZEROUPPER")
	w.p("\tRET")
	w.p("")
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
		w.sumF32(x)
		w.sumF64(x)
	}
	if err := os.WriteFile("vec_amd64.s", w.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	decl := "// Code generated by gen.go; DO NOT EDIT.\n\n//go:build amd64\n\npackage vec\n" + w.decl.String()
	if err := os.WriteFile("asm_amd64.go", []byte(decl), 0o644); err != nil {
		log.Fatal(err)
	}
}
