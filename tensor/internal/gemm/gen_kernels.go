//go:build ignore

// gen_kernels writes kernel_amd64.s, the SIMD micro-kernels and the
// transposing copy that packs operands for them. The kernels are generated
// because they are fully unrolled register tiles: writing fourteen rows of
// FMAs by hand for four kernels invites exactly the typo that the tests
// would have to find.
//
// Run it with `go generate` in this directory.
package main

import (
	"bytes"
	"fmt"
	"log"
	"math/bits"
	"os"
)

// spec describes one micro-kernel: an mr×(nv·lanes) tile of C kept in
// registers, fed per k step by nv vector loads of packed B and mr broadcasts
// of packed A.
type spec struct {
	name  string
	elem  int    // bytes per element
	reg   string // "Y" (AVX2) or "Z" (AVX-512)
	lanes int    // elements per vector register
	mr    int    // rows of the tile
	nv    int    // vectors per row of the tile
	sfx   string // "PS" or "PD"
	zero  string // instruction that clears a register
}

// unroll is how many k steps one trip of the main loop does; four keeps
// the loop-carried counter and branch off the FMA ports without bloating
// the code past the µop cache.
const unroll = 4

func (s spec) bcast() string {
	if s.elem == 4 {
		return "VBROADCASTSS"
	}
	return "VBROADCASTSD"
}

func (s spec) acc(i, v int) string { return fmt.Sprintf("%s%d", s.reg, i*s.nv+v) }
func (s spec) breg(v int) string   { return fmt.Sprintf("%s%d", s.reg, s.mr*s.nv+v) }

// areg alternates two broadcast registers so that consecutive rows do not
// wait on one register's reuse.
func (s spec) areg(i int) string { return fmt.Sprintf("%s%d", s.reg, s.mr*s.nv+s.nv+i%2) }

func (s spec) emit(w *bytes.Buffer) {
	nr := s.nv * s.lanes
	argAlpha, argBeta, frame := 40, 44, 48
	if s.elem == 8 {
		argBeta, frame = 48, 56
	}
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	typ := "float32"
	if s.elem == 8 {
		typ = "float64"
	}
	p("// func %s(k int, a, b, c *%s, ldc int, alpha, beta %s)", s.name, typ, typ)
	p("TEXT ·%s(SB), NOSPLIT, $0-%d", s.name, frame)
	p("\tMOVQ k+0(FP), CX")
	p("\tMOVQ a+8(FP), AX")
	p("\tMOVQ b+16(FP), BX")
	p("\tMOVQ c+24(FP), DI")
	p("\tMOVQ ldc+32(FP), DX")
	p("\tSHLQ $%d, DX", bits.TrailingZeros(uint(s.elem)))
	for i := 0; i < s.mr; i++ {
		for v := 0; v < s.nv; v++ {
			r := s.acc(i, v)
			p("\t%s %s, %s, %s", s.zero, r, r, r)
		}
	}
	step := func(kOff int) {
		for v := 0; v < s.nv; v++ {
			p("\tVMOVUP%s %d(BX), %s", s.sfx[1:], (kOff*nr+v*s.lanes)*s.elem, s.breg(v))
		}
		for i := 0; i < s.mr; i++ {
			p("\t%s %d(AX), %s", s.bcast(), (kOff*s.mr+i)*s.elem, s.areg(i))
			for v := 0; v < s.nv; v++ {
				p("\tVFMADD231%s %s, %s, %s", s.sfx, s.breg(v), s.areg(i), s.acc(i, v))
			}
		}
	}
	p("\tMOVQ CX, R9")
	p("\tSHRQ $%d, R9", bits.TrailingZeros(unroll))
	p("\tJZ %s_tail", s.name)
	p("%s_main:", s.name)
	for u := 0; u < unroll; u++ {
		step(u)
	}
	p("\tADDQ $%d, AX", unroll*s.mr*s.elem)
	p("\tADDQ $%d, BX", unroll*nr*s.elem)
	p("\tDECQ R9")
	p("\tJNZ %s_main", s.name)
	p("%s_tail:", s.name)
	p("\tANDQ $%d, CX", unroll-1)
	p("\tJZ %s_store", s.name)
	p("%s_tailloop:", s.name)
	step(0)
	p("\tADDQ $%d, AX", s.mr*s.elem)
	p("\tADDQ $%d, BX", nr*s.elem)
	p("\tDECQ CX")
	p("\tJNZ %s_tailloop", s.name)
	p("%s_store:", s.name)
	alpha, beta := s.breg(0), s.breg(1)
	p("\t%s alpha+%d(FP), %s", s.bcast(), argAlpha, alpha)
	for i := 0; i < s.mr; i++ {
		for v := 0; v < s.nv; v++ {
			p("\tVMUL%s %s, %s, %s", s.sfx, alpha, s.acc(i, v), s.acc(i, v))
		}
	}
	// beta == 0 must not read C (it may hold NaN); ±0 both qualify, so the
	// sign bit is shifted out before the test.
	if s.elem == 4 {
		p("\tMOVL beta+%d(FP), R8", argBeta)
		p("\tSHLL $1, R8")
	} else {
		p("\tMOVQ beta+%d(FP), R8", argBeta)
		p("\tSHLQ $1, R8")
	}
	p("\tJZ %s_overwrite", s.name)
	p("\t%s beta+%d(FP), %s", s.bcast(), argBeta, beta)
	for i := 0; i < s.mr; i++ {
		for v := 0; v < s.nv; v++ {
			p("\tVFMADD231%s %d(DI), %s, %s", s.sfx, v*s.lanes*s.elem, beta, s.acc(i, v))
			p("\tVMOVUP%s %s, %d(DI)", s.sfx[1:], s.acc(i, v), v*s.lanes*s.elem)
		}
		if i < s.mr-1 {
			p("\tADDQ DX, DI")
		}
	}
	p("\tVZEROUPPER")
	p("\tRET")
	p("%s_overwrite:", s.name)
	for i := 0; i < s.mr; i++ {
		for v := 0; v < s.nv; v++ {
			p("\tVMOVUP%s %s, %d(DI)", s.sfx[1:], s.acc(i, v), v*s.lanes*s.elem)
		}
		if i < s.mr-1 {
			p("\tADDQ DX, DI")
		}
	}
	p("\tVZEROUPPER")
	p("\tRET")
	p("")
}

// emitTranspose writes transpose4F32, which packs four rows of kc float32s
// (row stride ld) into a panel of width w: dst[l*w+i] = src[i*ld+l]. It
// moves a 4×4 block per step with SSE shuffles, which every amd64 CPU has,
// so it needs no feature check; the few steps past a multiple of four are
// copied one element at a time.
func emitTranspose(w *bytes.Buffer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	rows := []string{"R8", "R9", "R10", "R11"}
	p("// func transpose4F32(kc int, src *float32, ld int, dst *float32, w int)")
	p("TEXT ·transpose4F32(SB), NOSPLIT, $0-40")
	p("\tMOVQ kc+0(FP), CX")
	p("\tMOVQ src+8(FP), R8")
	p("\tMOVQ ld+16(FP), DX")
	p("\tSHLQ $2, DX")
	p("\tMOVQ dst+24(FP), DI")
	p("\tMOVQ w+32(FP), BX")
	p("\tSHLQ $2, BX")
	for i := 1; i < len(rows); i++ {
		p("\tLEAQ (%s)(DX*1), %s", rows[i-1], rows[i])
	}
	p("\tLEAQ (BX)(BX*2), SI")
	p("\tMOVQ CX, AX")
	p("\tSHRQ $2, AX")
	p("\tJZ transpose4F32_tail")
	p("transpose4F32_main:")
	// X0..X3 = rows a, b, c, d at depths l..l+3; unpacking pairs rows, and
	// moving halves pairs the pairs, leaving depth l+q in X0, X2, X4, X5.
	for i, r := range rows {
		p("\tMOVUPS (%s), X%d", r, i)
	}
	p("\tMOVAPS X0, X4")
	p("\tUNPCKLPS X1, X0") // a0 b0 a1 b1
	p("\tUNPCKHPS X1, X4") // a2 b2 a3 b3
	p("\tMOVAPS X2, X5")
	p("\tUNPCKLPS X3, X2") // c0 d0 c1 d1
	p("\tUNPCKHPS X3, X5") // c2 d2 c3 d3
	p("\tMOVAPS X0, X6")
	p("\tMOVLHPS X2, X0") // a0 b0 c0 d0
	p("\tMOVHLPS X6, X2") // a1 b1 c1 d1
	p("\tMOVAPS X4, X7")
	p("\tMOVLHPS X5, X4") // a2 b2 c2 d2
	p("\tMOVHLPS X7, X5") // a3 b3 c3 d3
	p("\tMOVUPS X0, (DI)")
	p("\tMOVUPS X2, (DI)(BX*1)")
	p("\tMOVUPS X4, (DI)(BX*2)")
	p("\tMOVUPS X5, (DI)(SI*1)")
	for _, r := range rows {
		p("\tADDQ $16, %s", r)
	}
	p("\tLEAQ (DI)(BX*4), DI")
	p("\tDECQ AX")
	p("\tJNZ transpose4F32_main")
	p("transpose4F32_tail:")
	p("\tANDQ $3, CX")
	p("\tJZ transpose4F32_done")
	p("transpose4F32_tailloop:")
	for i, r := range rows {
		p("\tMOVSS (%s), X0", r)
		p("\tMOVSS X0, %d(DI)", 4*i)
		p("\tADDQ $4, %s", r)
	}
	p("\tADDQ BX, DI")
	p("\tDECQ CX")
	p("\tJNZ transpose4F32_tailloop")
	p("transpose4F32_done:")
	p("\tRET")
}

func main() {
	specs := []spec{
		{name: "sgemm6x16AVX2", elem: 4, reg: "Y", lanes: 8, mr: 6, nv: 2, sfx: "PS", zero: "VXORPS"},
		{name: "dgemm6x8AVX2", elem: 8, reg: "Y", lanes: 4, mr: 6, nv: 2, sfx: "PD", zero: "VXORPD"},
		{name: "sgemm14x32AVX512", elem: 4, reg: "Z", lanes: 16, mr: 14, nv: 2, sfx: "PS", zero: "VPXORD"},
		{name: "dgemm14x16AVX512", elem: 8, reg: "Z", lanes: 8, mr: 14, nv: 2, sfx: "PD", zero: "VPXORQ"},
	}
	var w bytes.Buffer
	w.WriteString("// Code generated by gen_kernels.go; DO NOT EDIT.\n\n//go:build amd64\n\n#include \"textflag.h\"\n\n")
	for _, s := range specs {
		s.emit(&w)
	}
	emitTranspose(&w)
	if err := os.WriteFile("kernel_amd64.s", w.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
