package eval

import "github.com/gorch/gorch/kernel"

// Complete lists completions; see [kernel.Evaluator].
func (e *Evaluator) Complete(code string, cursor int) kernel.Completion {
	return kernel.Completion{CursorStart: cursor, CursorEnd: cursor}
}

// Inspect describes the name at the cursor; see [kernel.Evaluator].
func (e *Evaluator) Inspect(code string, cursor int, detailLevel int) (kernel.Bundle, bool) {
	return nil, false
}

// IsComplete reports whether code is ready to run; see [kernel.Evaluator].
func (e *Evaluator) IsComplete(code string) (string, string) { return "complete", "" }
