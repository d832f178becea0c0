package gemm

import (
	"fmt"
	"os"
	"testing"
)

func packA2[T float](dst []T, p *problem[T], ic, mc, pc, kc, mr int) {
	var rows [16][]T
	for r := 0; r < mc; r += mr {
		panel := dst[r*kc : (r+mr)*kc]
		nrows := min(mr, mc-r)
		if nrows < mr {
			clear(panel)
		}
		for i := range nrows {
			rows[i] = p.a[(ic+r+i)*p.lda+pc:][:kc]
		}
		for l := range kc {
			out := panel[l*mr : l*mr+nrows]
			for i := range out {
				out[i] = rows[i][l]
			}
		}
	}
}

func packA3[T float](dst []T, p *problem[T], ic, mc, pc, kc, mr int) {
	for r := 0; r < mc; r += mr {
		panel := dst[r*kc : (r+mr)*kc]
		rows := min(mr, mc-r)
		if rows < mr {
			clear(panel)
		}
		i := 0
		for ; i+2 <= rows; i += 2 {
			r0 := p.a[(ic+r+i)*p.lda+pc:][:kc]
			r1 := p.a[(ic+r+i+1)*p.lda+pc:][:kc]
			for l := range r0 {
				d := panel[l*mr+i : l*mr+i+2 : l*mr+i+2]
				d[0], d[1] = r0[l], r1[l]
			}
		}
		for ; i < rows; i++ {
			src := p.a[(ic+r+i)*p.lda+pc:][:kc]
			for l, v := range src {
				panel[l*mr+i] = v
			}
		}
	}
}

func TestTunePack(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	p := operands[float32](testCase{m: 1024, n: 1024, k: 1024, alpha: 1, beta: 0})
	dst := make([]float32, 1036*384)
	g := best(1024*384, 200, func() { packA(dst, &p, 0, 1024, 0, 384, 14) })
	g2 := best(1024*384, 200, func() { packA2(dst, &p, 0, 1024, 0, 384, 14) })
	g4 := best(1024*384, 200, func() { packA3(dst, &p, 0, 1024, 0, 384, 14) })
	fmt.Println("packA3", g4)
	g3 := best(1024*384, 200, func() { packB(dst, &p, 0, 384, 0, 1024, 32) })
	fmt.Printf("packA %.2f packA2 %.2f packB %.2f Gelem/s\n", g, g2, g3)
}
