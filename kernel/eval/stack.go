package eval

import (
	"context"
	"errors"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"time"
)

// A Go program whose goroutine needs more stack than the runtime's limit
// (1 GB on 64-bit systems) dies with "fatal error: stack overflow", which
// nothing can recover: in the kernel, a cell with unbounded recursion
// would end the process and lose every variable. The interpreter runs each
// interpreted call on the Go stack, about 10 KB a call, so such a cell
// reaches the limit within seconds. watchStack stops it first.

// errStackOverflow is the cause with which watchStack cancels a cell.
var errStackOverflow = errors.New("stack overflow")

const (
	// stackWatchAfter is how long a cell runs before its stack is
	// watched: trivial cells never start the watch.
	stackWatchAfter = 20 * time.Millisecond
	// stackWatchEvery is how often the stacks are measured. A recursing
	// cell's stack grows by roughly 300 MB a second here, and the runtime
	// doubles a stack when it grows, so a stack found at stackLimit has
	// about half the limit, a second or more, still to go.
	stackWatchEvery = 10 * time.Millisecond
	// stackLimit is the growth of stack memory, over all goroutines and
	// since the cell started, past which a cell is stopped, provided that
	// the goroutines' average stack is past stackAverage: a hundred
	// thousand goroutines of a few KB each are a working program, one
	// goroutine of hundreds of MB is not. Growth, because the memory of
	// an earlier cell's deep stack stays reserved until a collection.
	stackLimit   = 256 << 20
	stackAverage = 1 << 20
)

// stackBytes returns the memory reserved for goroutine stacks.
func stackBytes() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/stacks:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// watchStack watches, from stackWatchAfter on, the memory of the process's
// goroutine stacks while a cell runs, and calls cancel with
// errStackOverflow when one of them has grown too large. The returned
// function ends the watch; call it when the cell ends. After stopping a
// cell it waits, a second at most, for the interpreter's goroutine to
// unwind the deep stack (yaegi returns from a cancelled run before its
// goroutine has), and collects garbage, so that the next cell is measured
// from a clean start.
func watchStack(cancel context.CancelCauseFunc) (stop func()) {
	done := make(chan struct{})
	var fired atomic.Bool
	before := stackBytes()
	timer := time.AfterFunc(stackWatchAfter, func() {
		tick := time.NewTicker(stackWatchEvery)
		defer tick.Stop()
		for {
			stacks := stackBytes()
			if stacks > before+stackLimit && stacks/uint64(runtime.NumGoroutine()) > stackAverage {
				fired.Store(true)
				cancel(errStackOverflow)
				return
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() {
		timer.Stop()
		close(done)
		if fired.Load() {
			for deadline := time.Now().Add(time.Second); stackBytes() > before+stackLimit/2 && time.Now().Before(deadline); {
				time.Sleep(stackWatchEvery)
			}
			runtime.GC()
		}
	}
}
