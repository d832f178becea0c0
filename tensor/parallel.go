package tensor

import (
	"runtime"

	"github.com/gorch/gorch/tensor/internal/par"
)

// parallelThreshold is the number of elements of work below which splitting
// it over goroutines costs more than it saves.
const parallelThreshold = 1 << 16

// parallelGrain is the work in one of the chunks the cores take turns on:
// small enough that a core the OS gives to another process for a while
// holds the others up by little (on a busy machine a fixed half each would
// wait for the slowest), big enough that taking a chunk costs nothing next
// to doing it.
const parallelGrain = 1 << 15

// parallelFor calls f on consecutive chunks of [0, n), concurrently on all
// cores when the work, n items of cost elements each, is large enough to pay
// for it. f must not panic.
func parallelFor(n, cost int, f func(lo, hi int)) {
	cost = max(cost, 1)
	work := n * cost
	workers := min(runtime.GOMAXPROCS(0), n, work/(parallelThreshold/2))
	if work < parallelThreshold || workers < 2 {
		f(0, n)
		return
	}
	grain := max(1, parallelGrain/cost)
	par.Run(workers, (n+grain-1)/grain, func(_, c int) {
		lo := c * grain
		f(lo, min(lo+grain, n))
	})
}
