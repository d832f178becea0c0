package gemm

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// best returns the best GFLOP/s of reps timings of f.
func best(flops float64, reps int, f func()) float64 {
	f()
	bt := time.Hour
	for range reps {
		t := time.Now()
		f()
		bt = min(bt, time.Since(t))
	}
	return flops / bt.Seconds() / 1e9
}

func TestTuneKernel(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	for _, kn := range kernels32()[1:] {
		for _, kc := range []int{128, 256, 384, 512} {
			a := make([]float32, kn.mr*kc)
			bb := make([]float32, kn.nr*kc*20)
			c := make([]float32, kn.mr*kn.nr)
			g := best(2*float64(kn.mr*kn.nr*kc*20), 2000, func() {
				for j := 0; j < 20; j++ {
					kn.run(kc, a, bb[j*kn.nr*kc:], c, kn.nr, 1, 1)
				}
			})
			fmt.Printf("kernel %s kc=%d %.1f\n", kn.name, kc, g)
		}
	}
}

func TestTune1024(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	for _, kn := range kernels32()[1:] {
		tk := *kn
		tk.kc, tk.nc, tk.mc = envInt("KC", kn.kc), envInt("NC", kn.nc), envInt("MC", kn.mc)
		n := envInt("N", 1024)
		p := operands[float32](testCase{m: n, n: n, k: n, alpha: 1, beta: 0})
		g := best(2*float64(n*n*n), envInt("REPS", 30), func() { tk.blocked(&p, envInt("W", 1)) })
		fmt.Printf("blocked %s n=%d kc=%d nc=%d mc=%d %.1f\n", kn.name, n, tk.kc, tk.nc, tk.mc, g)
	}
}

func TestTunePublic(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	for _, n := range []int{64, 128, 256, 512, 1024, 2048} {
		p := operands[float32](testCase{m: n, n: n, k: n, alpha: 1, beta: 0})
		g := best(2*float64(n*n*n), envInt("REPS", 30), func() { sgemmProblem(&p) })
		fmt.Printf("public n=%d %.1f\n", n, g)
	}
}

func TestTuneSmall(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	for _, n := range []int{envInt("S0", 2), envInt("S1", 4), envInt("S2", 6)} {
		p := operands[float32](testCase{m: n, n: n, k: n, alpha: 1, beta: 0})
		kn := sgemmKernel
		f := 2 * float64(n*n*n)
		reps := max(20, 20000*8*8*8/(n*n*n))
		d := best(f, min(reps, 200), func() { direct(&p) })
		bl := best(f, reps, func() { kn.blocked(&p, 1) })
		bl2 := best(f, reps, func() { kn.blocked(&p, 2) })
		fmt.Printf("small n=%d direct %.2f blocked %.2f blocked2 %.2f GFLOP/s\n", n, d, bl, bl2)
	}
}
