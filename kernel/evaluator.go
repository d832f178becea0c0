package kernel

import (
	"context"
	"errors"
)

// Bundle maps MIME types to data, as the data field of an execute_result or
// display_data message: "text/plain" to a string, "application/json" to any
// JSON-encodable value, "image/png" to base64 text, and so on.
type Bundle map[string]any

// Evaluator is the language side of the kernel: everything the kernel needs
// from the interpreter. The kernel owns the wire, the sockets, counting and
// busy/idle; the evaluator owns what the code means. Methods are called from
// one goroutine at a time, except that the context passed to Execute may be
// cancelled from another.
type Evaluator interface {
	// Execute runs one cell. ctx is cancelled when the user interrupts. fe
	// lets the running cell (and goroutines it starts) display data and read
	// input. Execute returns the cell's value as a bundle when its last
	// statement is an expression with a value, nil otherwise. A failed cell
	// returns an *EvalError.
	Execute(ctx context.Context, code string, fe Frontend) (Bundle, error)

	// Complete lists completions for code with the cursor at cursor, counted
	// in Unicode code points as the messaging spec says.
	Complete(code string, cursor int) Completion

	// Inspect describes the name under or before cursor (code points):
	// signature and doc for functions, types and packages, type and value for
	// variables. found is false when there is nothing to say.
	Inspect(code string, cursor int, detailLevel int) (data Bundle, found bool)

	// IsComplete reports whether code is ready to run: status is "complete",
	// "incomplete" (indent then holds the indentation for the next line),
	// "invalid" or "unknown".
	IsComplete(code string) (status, indent string)
}

// Frontend is what a running cell may ask of the notebook it runs in. Its
// methods are safe for concurrent use, so goroutines started by a cell may
// call them; after the cell ends they address the cell that ran last.
type Frontend interface {
	// Display sends display_data, or update_display_data when update is
	// true. displayID, when not empty, names the display for later updates.
	Display(data, metadata Bundle, displayID string, update bool)

	// ClearOutput sends clear_output; wait delays the clearing until new
	// output arrives.
	ClearOutput(wait bool)

	// Input asks the user for one line (input_request) and returns it
	// without the trailing newline. It fails with ErrStdinNotAllowed when the
	// request did not allow stdin.
	Input(prompt string, password bool) (string, error)
}

// Completion is the answer to a complete_request. CursorStart and CursorEnd
// delimit, in code points, the text that a match replaces.
type Completion struct {
	Matches     []string
	CursorStart int
	CursorEnd   int
	// Metadata is sent as the reply's metadata, for example
	// "_jupyter_types_experimental" with the kind of each match.
	Metadata map[string]any
}

// EvalError is the error of a failed cell, shown as one error output.
type EvalError struct {
	Name      string   // short error name, such as "CompileError" or "panic"
	Value     string   // the message
	Traceback []string // lines shown to the user; the message with the cell line when known
}

func (e *EvalError) Error() string { return e.Name + ": " + e.Value }

// ErrStdinNotAllowed is returned by Frontend.Input when the execute_request
// that started the cell set allow_stdin to false, as headless runs do.
var ErrStdinNotAllowed = errors.New("kernel: this front end does not support input; stdin is not available")
