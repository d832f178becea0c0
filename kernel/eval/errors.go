package eval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/scanner"
	"go/token"
	"io"
	"path"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/traefik/yaegi/interp"

	"github.com/gorch/gorch/kernel"
	"github.com/gorch/gorch/kernel/eval/internal/stdsyms"
)

// panicTrap is the interpreter's standard error. yaegi writes there one
// line per interpreted frame that a panic unwinds ("cell3:4:2: panic:
// main.f(...)"); the trap keeps those lines for the cell's traceback and
// passes everything else on.
type panicTrap struct {
	out   io.Writer
	mu    sync.Mutex
	trace []string
}

var panicLine = regexp.MustCompile(`^(?:([\w.-]+)/cell:(\d+):(\d+)|-): panic: (.*)\n?$`)

func newPanicTrap(out io.Writer) *panicTrap { return &panicTrap{out: out} }

func (t *panicTrap) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(": panic: ")) && panicLine.Match(p) {
		t.mu.Lock()
		t.trace = append(t.trace, string(bytes.TrimSpace(p)))
		t.mu.Unlock()
		return len(p), nil
	}
	return t.out.Write(p)
}

func (t *panicTrap) reset() {
	t.mu.Lock()
	t.trace = nil
	t.mu.Unlock()
}

func (t *panicTrap) lines() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.trace...)
}

// goroutinePanic is a panic recovered in a goroutine that a cell started.
type goroutinePanic struct {
	value any
	trace []string
	goPos token.Pos // of the go statement that started the goroutine, or NoPos
}

func (g *goroutinePanic) Error() string { return fmt.Sprint(g.value) }

// syntaxError converts a parse error of the cell.
func (e *Evaluator) syntaxError(err error) *kernel.EvalError {
	var list scanner.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return &kernel.EvalError{Name: "SyntaxError", Value: err.Error(), Traceback: []string{"SyntaxError: " + err.Error()}}
	}
	first := list[0]
	file := path.Dir(first.Pos.Filename)
	// Errors past the cell's last line are about the text that wraps the
	// cell's statements (a closing brace), which the first error explains.
	last := strings.Count(e.sources[file], "\n") + 1
	ee := &kernel.EvalError{Name: "SyntaxError", Value: first.Msg}
	ee.Traceback = append(ee.Traceback, "SyntaxError: "+first.Msg)
	ee.Traceback = append(ee.Traceback, e.sourceLines(file, min(first.Pos.Line, last), first.Pos.Column)...)
	for _, more := range list[1:min(len(list), 5)] {
		if more.Pos.Line <= last {
			ee.Traceback = append(ee.Traceback, fmt.Sprintf("line %d: %s", more.Pos.Line, more.Msg))
		}
	}
	return ee
}

// compilePos matches the position yaegi puts before compile errors.
var compilePos = regexp.MustCompile(`^(cell\d+)/cell:(\d+):(\d+): (.*)$`)

// evalError converts an error of the interpreter into the cell's error.
func (e *Evaluator) evalError(ctx context.Context, err error) *kernel.EvalError {
	var ee *kernel.EvalError
	if errors.As(err, &ee) {
		return ee
	}
	if cause := context.Cause(ctx); cause != nil {
		var gp *goroutinePanic
		if errors.As(cause, &gp) {
			ee := e.panicError(gp.value, gp.trace, "in a goroutine")
			if gp.goPos.IsValid() {
				p := e.in.FileSet().Position(gp.goPos)
				showSource(ee, e.sourceLines(path.Dir(p.Filename), p.Line, p.Column))
			}
			return ee
		}
		if errors.Is(cause, errStackOverflow) {
			msg := "stack overflow: the cell's calls nested too deep, as unbounded recursion does; gorch stopped it before the Go runtime would end the kernel"
			return &kernel.EvalError{Name: "RuntimeError", Value: msg, Traceback: []string{"RuntimeError: " + msg}}
		}
		if errors.Is(cause, context.Canceled) || errors.Is(cause, context.DeadlineExceeded) {
			return &kernel.EvalError{Name: "Interrupted", Value: "execution was interrupted",
				Traceback: []string{"Interrupted: execution was interrupted"}}
		}
	}
	var p interp.Panic
	if errors.As(err, &p) {
		ee := e.panicError(p.Value, e.trap.lines(), "")
		if line := int(e.line.Load()); line > 0 {
			showSource(ee, e.sourceLines("cell"+strconv.Itoa(e.cells), line, 1))
		}
		return ee
	}
	var ce *compileError
	if errors.As(err, &ce) {
		err = ce.err
	}
	var list scanner.ErrorList
	if errors.As(err, &list) {
		return e.syntaxError(err)
	}
	msg := err.Error()
	ee = &kernel.EvalError{Name: "CompileError", Value: msg}
	if m := compilePos.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		ee.Value = cleanMessage(m[4])
		ee.Traceback = append([]string{"CompileError: " + ee.Value}, e.sourceLines(m[1], line, col)...)
		return ee
	}
	ee.Value = cleanMessage(msg)
	ee.Traceback = []string{"CompileError: " + ee.Value}
	return ee
}

// showSource puts the source lines at, where the error happened, after
// the traceback's first line.
func showSource(ee *kernel.EvalError, at []string) {
	ee.Traceback = append(ee.Traceback[:1], append(at, ee.Traceback[1:]...)...)
}

// innerPos matches the positions yaegi puts inside messages, such as a
// failed type assertion's; the traceback shows the line.
var innerPos = regexp.MustCompile(`cell\d+/cell:\d+:\d+: `)

// cleanMessage removes the interpreter's internal names from a message.
func cleanMessage(s string) string {
	s = strings.ReplaceAll(s, mainName, "main")
	if strings.Contains(s, "/cell:") {
		s = innerPos.ReplaceAllString(s, "")
	}
	return strings.ReplaceAll(s, rtName+".", "")
}

// panicError describes a panic of a cell, where is empty or "in a
// goroutine".
func (e *Evaluator) panicError(v any, trace []string, where string) *kernel.EvalError {
	name, msg := "panic", fmt.Sprint(v)
	if m, ok := reflectPanic(v); ok {
		v = nil
		name, msg = "RuntimeError", m
	}
	switch x := v.(type) {
	case stdsyms.Exit:
		name, msg = "Exit", fmt.Sprintf("os.Exit(%d) was called; the kernel keeps running", x.Code)
	case runtime.Error:
		name, msg = "RuntimeError", strings.TrimPrefix(x.Error(), "runtime error: ")
	case error:
		msg = x.Error()
		if n := exportedTypeName(reflect.TypeOf(x)); n != "" {
			name = n
		}
	}
	msg = cleanMessage(msg)
	head := name + ": " + msg
	if where != "" {
		head = name + " " + where + ": " + msg
	}
	ee := &kernel.EvalError{Name: name, Value: msg, Traceback: []string{head}}
	// yaegi locates each unwound frame by the start of its function, not
	// by the failing statement, so the traceback names the functions the
	// panic went through; the cell's own body says nothing new.
	seen := map[string]bool{}
	for _, l := range trace {
		m := panicLine.FindStringSubmatch(l)
		fn := strings.TrimSuffix(strings.TrimPrefix(m[4], "main."), "(...)")
		if fn == "main" || fn == "" || seen[l] || !strings.HasPrefix(m[1], "cell") {
			continue
		}
		seen[l] = true
		line, _ := strconv.Atoi(m[2])
		ee.Traceback = append(ee.Traceback, e.frameLine(m[1], line, cleanMessage(fn)))
	}
	return ee
}

// reflectPanic translates the panics of package reflect, through which
// yaegi indexes and dereferences, into the runtime errors Go would report.
func reflectPanic(v any) (string, bool) {
	switch x := v.(type) {
	case *reflect.ValueError:
		return "invalid memory address or nil pointer dereference", true
	case string:
		switch {
		case strings.HasPrefix(x, "reflect:") && strings.Contains(x, "index out of range"):
			return "index out of range", true
		case strings.HasPrefix(x, "reflect:") && strings.Contains(x, "nil"):
			return "invalid memory address or nil pointer dereference", true
		}
	}
	return "", false
}

// exportedTypeName names the type of an error value when it is an exported
// type, such as tensor.Error; other errors are plain panics.
func exportedTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" || !ast.IsExported(t.Name()) || t.PkgPath() == "" {
		return ""
	}
	return pathBase(t.PkgPath()) + "." + t.Name()
}

// frameLine describes a function a panic unwound through.
func (e *Evaluator) frameLine(file string, line int, fn string) string {
	where := fmt.Sprintf("line %d", line)
	if file != "cell"+strconv.Itoa(e.cells) {
		where = fmt.Sprintf("line %d of an earlier cell", line)
	}
	return fmt.Sprintf("----> in %s, declared at %s", fn, where)
}

// sourceLines shows the line of a cell that a position points to.
func (e *Evaluator) sourceLines(file string, line, col int) []string {
	src, ok := e.sources[file]
	if !ok {
		return nil
	}
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return nil
	}
	where := fmt.Sprintf("line %d", line)
	if file != "cell"+strconv.Itoa(e.cells) {
		where = fmt.Sprintf("line %d of an earlier cell", line)
	}
	return []string{fmt.Sprintf("----> %s: %s", where, strings.TrimSpace(lines[line-1]))}
}
