package eval

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log"
	"os"
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/traefik/yaegi/interp"

	"github.com/gorch/gorch/display"
	"github.com/gorch/gorch/kernel"
	"github.com/gorch/gorch/kernel/eval/internal/gorchsyms"
	"github.com/gorch/gorch/kernel/eval/internal/stdsyms"
)

var _ kernel.Evaluator = (*Evaluator)(nil)

// rtPath is the import path, and rtName the name, under which cells reach
// the evaluator's own helpers; rewritten cells call them, users never do.
const (
	rtPath = "gorch.internal/rt"
	rtName = "__gorch"
)

// preloaded are imported into every fresh interpreter, so that cells can use
// them without an import.
var preloaded = []string{"github.com/gorch/gorch/display", "github.com/gorch/gorch/tensor"}

// Evaluator runs cells in a yaegi interpreter. Create it with [New]. Its
// methods follow the [kernel.Evaluator] contract: one call at a time, except
// that Execute's context may be cancelled from another goroutine.
type Evaluator struct {
	in      *interp.Interpreter
	imports map[string]string // import path -> name, of imports done
	decls   *declStore
	sources map[string]string // cell file name -> source, for tracebacks
	cells   int

	trap    *panicTrap
	fe      atomic.Pointer[frontendBox]
	running atomic.Pointer[runState]
	stdin   *inputReader

	// line is the line of the cell's body statement running now.
	line atomic.Int64

	// result receives the values of a cell's last expression from the
	// rewritten cell.
	result   []reflect.Value
	resultOK bool
	// deferred holds the calls that the running cell's top-level defer
	// statements deferred (see runBody).
	deferred []func()
}

type frontendBox struct{ fe kernel.Frontend }

// runState is the cell being executed; goroutines started by cells report
// their panics to it.
type runState struct {
	cancel context.CancelCauseFunc
}

// New returns an evaluator with a fresh interpreter, with the standard
// library and gorch's packages available and display and tensor imported.
// It connects package display to the notebook of the running cell.
func New() (*Evaluator, error) {
	e := &Evaluator{trap: newPanicTrap(os.Stderr)}
	e.stdin = &inputReader{e: e}
	if err := e.reset(); err != nil {
		return nil, err
	}
	display.SetPublisher(publisher{e})
	return e, nil
}

// reset replaces the interpreter by a fresh one and forgets all state.
func (e *Evaluator) reset() error {
	in := interp.New(interp.Options{
		Stdout:       os.Stdout,
		Stderr:       e.trap,
		Stdin:        e.stdin,
		Unrestricted: true,
		Args:         []string{"gorch"},
	})
	for _, syms := range []interp.Exports{stdsyms.Symbols, gorchsyms.Symbols, e.rtSymbols()} {
		if err := in.Use(syms); err != nil {
			return fmt.Errorf("eval: loading symbols: %w", err)
		}
	}
	// os.Stdin reads lines from the notebook, as fmt.Scan does; it is an
	// io.Reader rather than an *os.File so that it can ask for input.
	var stdin io.Reader = e.stdin
	if err := in.Use(interp.Exports{"os/os": {"Stdin": reflect.ValueOf(&stdin).Elem()}}); err != nil {
		return err
	}
	e.in = in
	e.imports = map[string]string{}
	e.decls = newDeclStore()
	e.sources = map[string]string{}
	var specs []*ast.ImportSpec
	specs = append(specs, importSpec(rtName, rtPath))
	for _, p := range preloaded {
		if _, ok := gorchsyms.Symbols[p+"/"+pathBase(p)]; ok {
			specs = append(specs, importSpec("", p))
		}
	}
	if err := e.evalImports(context.Background(), specs); err != nil {
		return fmt.Errorf("eval: preloading packages: %w", err)
	}
	return e.loadPrelude()
}

// setFrontend makes fe the notebook that display, stdin and goroutines of
// the running cell talk to.
func (e *Evaluator) setFrontend(fe kernel.Frontend) {
	if fe != nil {
		e.fe.Store(&frontendBox{fe})
	}
}

func (e *Evaluator) frontend() kernel.Frontend {
	if b := e.fe.Load(); b != nil {
		return b.fe
	}
	return nil
}

// Execute runs one cell; see [kernel.Evaluator].
func (e *Evaluator) Execute(ctx context.Context, code string, fe kernel.Frontend) (kernel.Bundle, error) {
	e.setFrontend(fe)
	return e.runCell(ctx, code)
}

func (e *Evaluator) execute(ctx context.Context, code string) (kernel.Bundle, error) {
	e.cells++
	name := "cell" + strconv.Itoa(e.cells)
	e.sources[name] = code

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	defer watchStack(cancel)()
	e.running.Store(&runState{cancel: cancel})
	defer e.running.Store(nil)
	e.trap.reset()
	e.stdin.told.Store(false)
	e.line.Store(0)

	// A range over a method's result is left to yaegi, which handles
	// slices, maps and channels. Its compiler panics on an iterator and on
	// an integer, before anything runs: the cell is then tried again with
	// such ranges taken for ranges over iterators, and if that does not
	// compile either, over integers (t.Size(0)). (Native first is the safe
	// order: yaegi compiles a slice passed as an iterator and fails only
	// when it runs.) Should neither retry compile, the iterator attempt's
	// error is the one shown.
	b, err, methodRanges := e.attempt(ctx, name, code, rangeNative)
	var ce *compileError
	if methodRanges && errors.As(err, &ce) && strings.Contains(ce.Error(), "nil type") {
		b, err, _ = e.attempt(ctx, name, code, rangeFunc)
		if errors.As(err, &ce) {
			if bi, errInt, _ := e.attempt(ctx, name, code, rangeInt); !errors.As(errInt, &ce) {
				b, err = bi, errInt
			}
		}
	}
	if err != nil {
		var ee *kernel.EvalError
		if errors.As(err, &ee) {
			return nil, ee
		}
		return nil, e.evalError(ctx, err)
	}
	return b, nil
}

// attempt parses, rewrites and runs a cell, taking ranges over the results
// of method calls for ranges over methodRange; methodRanges reports that
// the cell has such ranges.
func (e *Evaluator) attempt(ctx context.Context, name, code string, methodRange rangeKind) (_ kernel.Bundle, _ error, methodRanges bool) {
	c, err := parseCell(e.in.FileSet(), name, code)
	if err != nil {
		return nil, e.syntaxError(err), false
	}
	p, err := e.plan(c, methodRange)
	if err != nil {
		return nil, err, false
	}
	if err := e.evalImports(ctx, p.imports); err != nil {
		return nil, err, p.methodRanges
	}
	if p.decls != nil {
		if _, err := e.run(ctx, p.decls); err != nil {
			return nil, err, p.methodRanges
		}
		e.decls.commit(p.newDecls)
	}
	if p.body == nil {
		return nil, nil, false
	}
	e.result, e.resultOK, e.deferred = nil, false, nil
	if err := e.runBody(ctx, p); err != nil {
		return nil, err, p.methodRanges
	}
	if err := context.Cause(ctx); err != nil {
		return nil, err, false
	}
	if !e.resultOK {
		return nil, nil, false
	}
	return resultBundle(e.result), nil, false
}

// runBody runs the cell's statements, then the calls its top-level defer
// statements deferred, last first, as a program's main function returns,
// panicking or not; like a program, os.Exit skips them.
func (e *Evaluator) runBody(ctx context.Context, p *plan) error {
	_, err := e.run(ctx, p.body)
	var ce *compileError
	if err != nil && p.plainBody != nil && errors.As(err, &ce) {
		// The last expression may be a call without results: nothing ran,
		// so run the body as written, and report its own error if it has
		// one.
		_, err = e.run(ctx, p.plainBody)
	}
	var panicked interp.Panic
	if errors.As(err, &panicked) {
		if exit, ok := panicked.Value.(stdsyms.Exit); ok {
			e.deferred = nil
			// os.Exit(0) ends a cell the way it ends a program:
			// successfully.
			if exit.Code == 0 {
				return nil
			}
			return err
		}
	}
	for len(e.deferred) > 0 {
		f := e.deferred[len(e.deferred)-1]
		e.deferred = e.deferred[:len(e.deferred)-1]
		if derr := callDeferred(f); err == nil {
			err = derr
		}
	}
	return err
}

// callDeferred calls f, one of a cell's deferred calls, and returns its
// panic as the error the interpreter gives for a panic.
func callDeferred(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = interp.Panic{Value: r, Stack: debug.Stack()}
		}
	}()
	f()
	return nil
}

// compileError marks errors that happened before the code ran, so that a
// failed attempt can be retried without running anything twice.
type compileError struct{ err error }

func (c *compileError) Error() string { return c.err.Error() }
func (c *compileError) Unwrap() error { return c.err }

// run compiles and runs one node: a file of declarations or a block of
// statements.
func (e *Evaluator) run(ctx context.Context, n ast.Node) (res reflect.Value, err error) {
	prog, err := e.compile(n)
	if err != nil {
		return res, err
	}
	return e.in.ExecuteWithContext(ctx, prog)
}

// compile compiles n; yaegi's compiler panics on some input that Go
// rejects or that it does not support, which becomes a compile error here.
func (e *Evaluator) compile(n ast.Node) (prog *interp.Program, err error) {
	// Some of those panics come from log.Panic, which first writes the
	// message to the process's standard logger, whose output is the
	// cell's stderr; the message is in the compile error already. Cells
	// have their own logger (yaegi's log package), untouched by this.
	w := log.Writer()
	log.SetOutput(io.Discard)
	defer log.SetOutput(w)
	defer func() {
		if r := recover(); r != nil {
			err = compilePanic(r)
		}
	}()
	prog, err = e.in.CompileAST(n)
	if err != nil {
		return nil, &compileError{err}
	}
	return prog, nil
}

// compilePanic is the error of a panic r of yaegi's compiler, with the
// position first, where evalError looks for it, when r names one.
func compilePanic(r any) *compileError {
	msg := fmt.Sprint(r)
	if m := compilePos.FindStringSubmatch(msg); m != nil {
		msg = strings.TrimPrefix(m[4], "CFG post-order panic: ")
		return &compileError{fmt.Errorf("%s/cell:%s:%s: the interpreter cannot compile this code (%s)", m[1], m[2], m[3], msg)}
	}
	return &compileError{fmt.Errorf("the interpreter cannot compile this code (%s)", msg)}
}

// evalImports imports specs, skipping those already done under the same
// name.
func (e *Evaluator) evalImports(ctx context.Context, specs []*ast.ImportSpec) error {
	if len(specs) == 0 {
		return nil
	}
	var src strings.Builder
	src.WriteString("package main\nimport (\n")
	for _, s := range specs {
		if s.Name != nil {
			src.WriteString(s.Name.Name + " ")
		}
		src.WriteString(s.Path.Value + "\n")
	}
	src.WriteString(")\n")
	f, err := parser.ParseFile(e.in.FileSet(), fileName, src.String(), 0)
	if err != nil {
		return err
	}
	if _, err := e.run(ctx, f); err != nil {
		return err
	}
	for _, s := range specs {
		p, _ := strconv.Unquote(s.Path.Value)
		e.imports[p] = importName(s)
	}
	return nil
}

func importSpec(name, path string) *ast.ImportSpec {
	s := &ast.ImportSpec{Path: &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(path)}}
	if name != "" {
		s.Name = ast.NewIdent(name)
	}
	return s
}

// importName is the name an import spec binds.
func importName(s *ast.ImportSpec) string {
	if s.Name != nil {
		return s.Name.Name
	}
	p, _ := strconv.Unquote(s.Path.Value)
	return packageName(p)
}

// rtSymbols are the helpers that rewritten cells call.
func (e *Evaluator) rtSymbols() interp.Exports {
	show := func(vals ...any) {
		e.result = e.result[:0]
		for _, v := range vals {
			e.result = append(e.result, reflect.ValueOf(v))
		}
		e.resultOK = true
	}
	goPanic := func(r any, goPos int) {
		if r == nil {
			return
		}
		err := &goroutinePanic{value: r, trace: e.trap.lines(), goPos: token.Pos(goPos)}
		if run := e.running.Load(); run != nil {
			run.cancel(err)
			return
		}
		fmt.Fprintf(os.Stderr, "panic in a goroutine started by an earlier cell: %v\n", r)
	}
	syms := map[string]reflect.Value{
		"Show":     reflect.ValueOf(show),
		"GoPanic":  reflect.ValueOf(goPanic),
		"Clear":    reflect.ValueOf(clearBuiltin),
		"IterStop": reflect.ValueOf(iterStop),
		"Line":     reflect.ValueOf(func(n int) { e.line.Store(int64(n)) }),
		"Defer":    reflect.ValueOf(func(f func()) { e.deferred = append(e.deferred, f) }),
	}
	// Values with methods reach Show wrapped in a type that keeps the
	// methods of these interfaces, so that results can render themselves.
	mapTypes := map[reflect.Value][]reflect.Type{
		syms["Show"]: {reflect.TypeFor[display.Renderer](), reflect.TypeFor[error](), reflect.TypeFor[fmt.Stringer]()},
	}
	e.addOverrides(syms, mapTypes)
	return interp.Exports{
		rtPath + "/rt": syms,
		".":            {"MapTypes": reflect.ValueOf(mapTypes)},
	}
}

// iterStop serves the prelude's range-over-func iterators. Once stop is
// closed (the loop ended, or broke early) the returned function reports
// true, and the channels an iterator sends on are drained in turn, so that
// a yield blocked in its send returns and then reports false, as Go's yield
// does after a break. It is compiled Go because yaegi keeps a select
// statement's state in the statement, shared by every goroutine running it:
// iterators of nested loops, all in one interpreted select, would race.
func iterStop(stop chan bool, chans ...any) func() bool {
	var stopped atomic.Bool
	go func() {
		<-stop
		stopped.Store(true)
		for {
			for _, c := range chans {
				if _, ok := reflect.ValueOf(c).Recv(); !ok {
					return
				}
			}
		}
	}()
	return stopped.Load
}

// clearBuiltin is the clear built-in of Go 1.21, which yaegi lacks.
func clearBuiltin(x any) {
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Map, reflect.Slice:
		v.Clear()
	default:
		panic(fmt.Sprintf("invalid argument: clear(%v) (argument must be (or constrained by) map or slice)", v.Type()))
	}
}

// inputReader is the interpreter's standard input: each read that finds no
// buffered text asks the notebook for a line.
type inputReader struct {
	e   *Evaluator
	mu  sync.Mutex
	buf []byte
	// told is set once the running cell has been told that its notebook
	// gives no input: the failed read returns an error that the cell may
	// well ignore, as fmt.Scanln's often is.
	told atomic.Bool
}

// noStdin is what a cell's stderr shows when it reads standard input from
// a frontend that does not take input, as ipykernel's
// StdinNotImplementedError does.
const noStdin = "StdinNotImplementedError: the cell reads standard input, but this frontend does not support input requests; reads fail"

func (r *inputReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.buf) == 0 {
		fe := r.e.frontend()
		if fe == nil {
			return 0, io.EOF
		}
		line, err := fe.Input("", false)
		if err != nil {
			if errors.Is(err, kernel.ErrStdinNotAllowed) {
				if !r.told.Swap(true) {
					fmt.Fprintln(os.Stderr, noStdin)
				}
				return 0, err
			}
			return 0, io.EOF
		}
		r.buf = append(r.buf, line...)
		r.buf = append(r.buf, '\n')
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// publisher connects package display to the running cell's notebook.
type publisher struct{ e *Evaluator }

func (p publisher) Publish(data, metadata map[string]any, id string, update bool) {
	if fe := p.e.frontend(); fe != nil {
		fe.Display(data, metadata, id, update)
	}
}

func (p publisher) Clear(wait bool) {
	if fe := p.e.frontend(); fe != nil {
		fe.ClearOutput(wait)
	}
}

// globals returns the interpreter's global variables. yaegi's Globals
// panics when a failed compilation left a symbol without storage; those
// symbols are unusable anyway.
func (e *Evaluator) globals() (g map[string]reflect.Value) {
	defer func() {
		if recover() != nil {
			g = map[string]reflect.Value{}
		}
	}()
	return e.in.Globals()
}
