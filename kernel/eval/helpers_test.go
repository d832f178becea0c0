package eval

import (
	"context"
	"io"
	"os"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gorch/gorch/kernel"
)

// fakeFrontend records what a cell displays and answers input requests
// from a queue of lines.
type fakeFrontend struct {
	mu       sync.Mutex
	displays []displayCall
	clears   int
	inputs   []string
}

type displayCall struct {
	data   kernel.Bundle
	id     string
	update bool
}

func (f *fakeFrontend) Display(data, metadata kernel.Bundle, id string, update bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.displays = append(f.displays, displayCall{data, id, update})
}

func (f *fakeFrontend) ClearOutput(wait bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clears++
}

func (f *fakeFrontend) Input(prompt string, password bool) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.inputs) == 0 {
		return "", kernel.ErrStdinNotAllowed
	}
	line := f.inputs[0]
	f.inputs = f.inputs[1:]
	return line, nil
}

// captureStdout runs f with file descriptor 1 redirected to a pipe, as the
// kernel does, and returns what was written to it.
func captureStdout(t testing.TB, f func()) string { return captureFD(t, 1, f) }

// captureStderr is captureStdout for file descriptor 2.
func captureStderr(t testing.TB, f func()) string { return captureFD(t, 2, f) }

func captureFD(t testing.TB, fd int, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved, err := unix.Dup(fd)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Dup2(int(w.Fd()), fd); err != nil {
		t.Fatal(err)
	}
	var out []byte
	done := make(chan struct{})
	go func() {
		out, _ = io.ReadAll(r)
		close(done)
	}()
	func() {
		defer func() {
			unix.Dup2(saved, fd)
			unix.Close(saved)
			w.Close()
		}()
		f()
	}()
	<-done
	r.Close()
	return string(out)
}

// runCell executes code and returns its result, error and printed output.
func runCell(t testing.TB, e *Evaluator, fe kernel.Frontend, code string) (kernel.Bundle, string, error) {
	t.Helper()
	var b kernel.Bundle
	var err error
	out := captureStdout(t, func() {
		b, err = e.Execute(context.Background(), code, fe)
	})
	return b, out, err
}

func newEvaluator(t testing.TB) *Evaluator {
	t.Helper()
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return e
}
