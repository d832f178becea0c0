// Package eval is gorch's cell evaluator: it runs notebook cells with the
// yaegi interpreter and implements [kernel.Evaluator].
//
// A cell is Go source read as a file plus a main body: imports, types,
// functions and methods are declared first, wherever they appear, and the
// remaining statements then run in order. State persists from cell to cell.
// Before evaluation the cell is rewritten so that yaegi runs what Go 1.22 and
// later accept: range over integers and functions, per-iteration loop
// variables, the min, max and clear built-ins, goroutines whose panics are
// reported instead of killing the kernel, and imports added for packages
// used but not imported.
//
// # Errors
//
// A failed cell returns one *kernel.EvalError: SyntaxError, CompileError
// (with the cell line), RuntimeError and panic (with the line of the cell's
// statement and the functions the panic went through), Exit for os.Exit,
// Interrupted, RedefinitionError when a cell changes a type or method that
// the interpreter cannot change in place (run %reset), and UsageError for
// magics. Panics in goroutines started by a cell fail the running cell and
// show the go statement that started the goroutine. Unbounded recursion,
// which would end the process with Go's fatal stack overflow, is stopped
// as a RuntimeError first. The kernel survives them all.
//
// # Symbol tables
//
// The tables of compiled packages the interpreter can call, and their
// documentation for inspection, are generated with the Go that builds
// gorch; run this after upgrading Go or changing gorch's packages:
//
//	go generate ./kernel/eval/...
//
// # Limits
//
// A deferred call's receiver is evaluated when the call runs when it is a
// variable (mu.Unlock), as yaegi does; its arguments are evaluated at the
// defer statement, as in Go. A defer among a cell's own statements runs its
// call when the cell's statements end, as a program's main does, but recover
// in that call does not stop a panic of the cell. yaegi's generics infer
// type parameters only from arguments that mention them directly (f(xs []T),
// not f(xs S) with S ~[]E), and cannot infer a type parameter that only a
// function argument's result mentions; a call of a function declared in a
// cell gets explicit type arguments when its arguments spell their types
// out, as a func literal or typed composite literal does, so Map(xs, func(i
// int) string {...}) runs while Map(xs, strconv.Itoa) needs Map[int,
// string]. Nor do they accept named types of compiled packages as type
// arguments: slices.Max of a []time.Duration fails to compile. iter.Pull and
// iter.Pull2 are missing: yaegi fails on every generic form of them tried.
// Range over a function runs the iterator in a goroutine, one value ahead of
// the loop body. Ranges over integers and functions are recognised where the
// cells show the type (variables, fields, elements, calls of functions and
// methods); where they do not, as for a method of a map element's value, the
// cell is compiled again taking the range for one over a function, then over
// an integer. yaegi builds the reflect type of a cell's struct with every
// field exported (x becomes Xx), so encoding/json shows unexported fields
// under those names; fmt's %#v, completion and inspection use the declared
// names. os.Stdin is an io.Reader that asks the notebook for lines, not an
// *os.File. %T and %#v name cell-declared struct types in fmt's Printf
// family; other named types print as their underlying type.
package eval

//go:generate go run ./internal/gen
