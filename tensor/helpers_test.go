package tensor_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gorch/gorch/tensor"
)

// panics checks that f panics with a *tensor.Error whose message contains
// want. Any other panic escapes Try and fails the test run, which is what
// a raw runtime panic from the package deserves.
func panics(t *testing.T, want string, f func()) {
	t.Helper()
	err := tensor.Try(f)
	if err == nil {
		t.Fatalf("no panic; want one containing %q", want)
	}
	var e *tensor.Error
	if !errors.As(err, &e) {
		t.Fatalf("panic %v is not a *tensor.Error", err)
	}
	if !strings.Contains(e.Msg, want) {
		t.Fatalf("panic %q does not contain %q", e.Msg, want)
	}
}

// vals returns t's elements as fmt prints nested slices: "[[1 2] [3 4]]".
func vals(t *tensor.Tensor) string { return fmt.Sprint(t.ToSlice()) }

func shapeOf(t *tensor.Tensor) string { return fmt.Sprint(t.Shape()) }
