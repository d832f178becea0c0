package tensor

import "fmt"

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
