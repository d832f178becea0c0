package gpu

import (
	"errors"
	"sync"
	"testing"
)

// TestDevicesNeverPanics calls Devices from several goroutines at once, as
// cells and their goroutines may: each call returns the same answer, a
// list or an error wrapping ErrNoDriver on a machine without a driver,
// and none panics.
func TestDevicesNeverPanics(t *testing.T) {
	type answer struct {
		n   int
		err error
		r   any
	}
	answers := make([]answer, 8)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { answers[i].r = recover() }()
			devices, err := Devices()
			answers[i].n, answers[i].err = len(devices), err
		}()
	}
	wg.Wait()
	for i, a := range answers {
		if a.r != nil {
			t.Fatalf("call %d panicked: %v", i, a.r)
		}
		if a.n != answers[0].n || !errors.Is(a.err, answers[0].err) {
			t.Errorf("call %d: %d devices, %v; call 0: %d devices, %v", i, a.n, a.err, answers[0].n, answers[0].err)
		}
		if a.err != nil && a.n != 0 {
			t.Errorf("call %d: an error and %d devices", i, a.n)
		}
	}
	if err := answers[0].err; err != nil && !driverInstalled(t) && !errors.Is(err, ErrNoDriver) {
		t.Errorf("without a driver: %v, want an error wrapping ErrNoDriver", err)
	}
}

// TestCString checks that a name the driver left without a terminating NUL
// is read to the end of its buffer and no further.
func TestCString(t *testing.T) {
	for _, tc := range []struct {
		buf  []byte
		want string
	}{
		{[]byte("H200\x00junk"), "H200"},
		{[]byte("\x00"), ""},
		{[]byte("no terminator"), "no terminator"},
		{nil, ""},
	} {
		if got := cString(tc.buf); got != tc.want {
			t.Errorf("cString(%q) = %q, want %q", tc.buf, got, tc.want)
		}
	}
}
