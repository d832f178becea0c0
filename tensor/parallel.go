package tensor

import (
	"runtime"
	"sync"
)

// parallelThreshold is the number of elements of work below which splitting
// it over goroutines costs more than it saves.
const parallelThreshold = 1 << 16

// parallelFor calls f on consecutive chunks of [0, n), concurrently on all
// cores when the work, n items of cost elements each, is large enough to pay
// for it. f must not panic.
func parallelFor(n, cost int, f func(lo, hi int)) {
	work := n * max(cost, 1)
	workers := min(runtime.GOMAXPROCS(0), n, work/(parallelThreshold/2))
	if work < parallelThreshold || workers < 2 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := chunk; lo < n; lo += chunk {
		wg.Go(func() { f(lo, min(lo+chunk, n)) })
	}
	f(0, min(chunk, n))
	wg.Wait()
}
