package tensortest

import (
	"errors"
	"strings"
	"testing"

	"github.com/gorch/gorch/tensor"
)

// Panics checks that f panics with a *tensor.Error whose message contains
// want, as every misuse of gorch's tensor packages must. Any other panic,
// such as a Go runtime error, escapes [tensor.Try] and fails the test run,
// which is what a raw panic reaching a user deserves.
func Panics(t testing.TB, want string, f func()) {
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
