package par

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// check runs Run(workers, jobs) and fails unless every job ran exactly
// once, on a worker number below workers, and had finished when Run
// returned.
func check(t *testing.T, workers, jobs int) {
	t.Helper()
	counts := make([]atomic.Int32, jobs)
	var bad atomic.Int32
	Run(workers, jobs, func(w, j int) {
		if w < 0 || w >= max(workers, 1) {
			bad.Add(1)
		}
		counts[j].Add(1)
	})
	if bad.Load() != 0 {
		t.Errorf("Run(%d, %d): %d jobs got a worker number out of range", workers, jobs, bad.Load())
	}
	for j := range counts {
		if n := counts[j].Load(); n != 1 {
			t.Fatalf("Run(%d, %d): job %d ran %d times", workers, jobs, j, n)
		}
	}
}

func TestRun(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 3, 8} {
		for _, jobs := range []int{0, 1, 2, 7, 100} {
			t.Run(fmt.Sprintf("workers=%d/jobs=%d", workers, jobs), func(t *testing.T) { check(t, workers, jobs) })
		}
	}
}

// TestConcurrentRuns runs regions from many goroutines at once, as
// goroutines of a user's program doing tensor work do.
func TestConcurrentRuns(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 50 {
				check(t, 2+g%3, 1+(g*i)%40)
			}
		})
	}
	wg.Wait()
}

// TestPerWorkerScratch uses the worker number as gemm does, to pick
// scratch space that no other goroutine of the region uses meanwhile.
func TestPerWorkerScratch(t *testing.T) {
	const workers = 4
	var busy [workers]atomic.Bool
	var clash atomic.Bool
	for range 200 {
		Run(workers, 64, func(w, _ int) {
			if !busy[w].CompareAndSwap(false, true) {
				clash.Store(true)
			}
			busy[w].Store(false)
		})
	}
	if clash.Load() {
		t.Fatal("two goroutines of one region had the same worker number at once")
	}
}
