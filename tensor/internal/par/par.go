// Package par runs the tensor package's parallel loops on a pool of helper
// goroutines that stay awake for a moment after their last job.
//
// Starting a goroutine for each parallel region is cheap for Go, but the
// region waits for the operating system to wake an idle core, and in a
// virtual machine that takes 50 to 150 µs: longer than a whole 128×256×784
// matrix product's share of one core. OpenMP, which PyTorch and OpenBLAS
// use, keeps its threads spinning for a while for the same reason. The
// helpers here spin for spin after each job (yielding to any other
// goroutine that wants their core), then park until the next region.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// spin is how long an idle helper keeps looking for work before it parks:
// longer than a core takes to wake, shorter than anything a user would
// notice as CPU burnt after a computation.
const spin = 200 * time.Microsecond

// A region is one call of Run: its jobs, handed out in order.
type region struct {
	job     func(worker, job int)
	jobs    int64
	workers int64
	next    atomic.Int64 // the next job to hand out
	joined  atomic.Int64 // worker numbers given out, the caller's included
	left    atomic.Int64 // jobs not yet finished
	done    chan struct{}
}

// work carries regions to the helpers. It is buffered so that Run never
// blocks on it: a region no helper takes is done by its caller.
var (
	work    = make(chan *region, 64)
	mu      sync.Mutex
	helpers int
)

// Run calls job(w, j) for every j below jobs, on up to workers goroutines
// (the caller's among them), and returns when all calls have returned. w,
// below workers, names the goroutine making the call, so that a job can use
// per-worker scratch space. Jobs are handed out in order as goroutines
// come free, so a core busy with other work just takes fewer. job must not
// panic.
func Run(workers, jobs int, job func(worker, job int)) {
	workers = min(workers, jobs)
	if workers <= 1 {
		for j := range jobs {
			job(0, j)
		}
		return
	}
	r := &region{job: job, jobs: int64(jobs), workers: int64(workers), done: make(chan struct{})}
	r.joined.Store(1)
	r.left.Store(int64(jobs))
	ensureHelpers(workers - 1)
	for range workers - 1 {
		select {
		case work <- r:
		default:
		}
	}
	r.run(0)
	r.wait()
}

// run does jobs of r as worker w until none is left to take.
func (r *region) run(w int) {
	for j := r.next.Add(1) - 1; j < r.jobs; j = r.next.Add(1) - 1 {
		r.job(w, int(j))
		if r.left.Add(-1) == 0 {
			close(r.done)
		}
	}
}

// join runs jobs of r on a helper, unless r has all its workers or no job
// left to hand out.
func (r *region) join() {
	if r.next.Load() >= r.jobs {
		return
	}
	w := r.joined.Add(1) - 1
	if w >= r.workers {
		return
	}
	r.run(int(w))
}

// wait returns when every job of r has finished. The caller spins first,
// since a helper finishing a job is usually microseconds away and waking a
// parked goroutine is not.
func (r *region) wait() {
	deadline := time.Now().Add(spin)
	for r.left.Load() != 0 {
		if time.Now().After(deadline) {
			<-r.done
			return
		}
		runtime.Gosched()
	}
}

// ensureHelpers starts helpers until there are at least n.
func ensureHelpers(n int) {
	mu.Lock()
	defer mu.Unlock()
	for ; helpers < n; helpers++ {
		go helper()
	}
}

// helper takes regions from work for as long as the process lives,
// spinning for spin after each before it parks.
func helper() {
	for {
		r := <-work
		for r != nil {
			r.join()
			r = next()
		}
	}
}

// next returns the next region within spin, or nil.
func next() *region {
	deadline := time.Now().Add(spin)
	for time.Now().Before(deadline) {
		select {
		case r := <-work:
			return r
		default:
			runtime.Gosched()
		}
	}
	return nil
}
