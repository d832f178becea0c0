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
// The tables of compiled packages the interpreter can call are generated
// with the Go that builds gorch:
//
//	go generate ./kernel/eval/...
package eval

//go:generate go run ./internal/gen
