package tensor

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"unicode"
)

// Error is the panic value of every misuse of this package: a shape that
// does not broadcast, a dimension out of range, a dtype an operation does not
// accept. Msg reads like PyTorch's message for the same mistake, so that
// what a notebook user searches for finds answers.
type Error struct {
	Msg string
}

// Error returns the message with the package prefix.
func (e *Error) Error() string { return "tensor: " + e.Msg }

// panicf panics with an *Error built from a format and its arguments.
func panicf(format string, args ...any) {
	panic(&Error{Msg: fmt.Sprintf(format, args...)})
}

// Try runs f and returns the *Error it panicked with, or nil if it returned
// normally. Only this package's panics are converted: any other panic (a
// bug in f itself, say) keeps unwinding, as gonum's mat.Maybe does, so that
// its stack is not lost.
func Try(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			err = e
		}
	}()
	f()
	return nil
}

// panicNil panics with the *Error for a nil *Tensor, naming the exported
// function or method of this package the user called. Methods reach it
// through [Tensor.notNil], so that a nil receiver or operand is reported as
// such instead of as a nil dereference somewhere inside.
func panicNil() {
	name := "a tensor operation"
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	for {
		f, more := frames.Next()
		fn, ok := strings.CutPrefix(f.Function, pkgPath+".")
		if !ok {
			break
		}
		// The outermost frame in this package is the caller's entry point.
		fn = strings.TrimPrefix(fn, "(*Tensor).")
		if !strings.ContainsAny(fn, ".[") && fn != "" && unicode.IsUpper(rune(fn[0])) {
			name = fn
		}
		if !more {
			break
		}
	}
	panicf("nil tensor in %s: the *Tensor is nil (declared but never assigned?); make tensors with New, Zeros, FromSlice or another constructor", name)
}

// pkgPath is this package's import path, as function names in stack
// frames begin.
var pkgPath = reflect.TypeFor[Tensor]().PkgPath()
