package eval

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"

	"github.com/gorch/gorch/kernel"
)

const helpText = `gorch runs Go in notebook cells.

A cell is a Go file plus a main body: imports, types, functions and methods
may appear anywhere and are declared first; the other statements then run in
order. Variables, functions and types persist from cell to cell. The last
expression of a cell is shown as its result; tensors render as tables.

Packages used without an import are imported for you; display and tensor are
always imported.

Magics (at the start of a cell):
  %help              this text
  %reset             forget all variables, functions, types and imports
  %env               list environment variables
  %env NAME          show one variable
  %env NAME=VALUE    set a variable for the kernel and the programs it starts
  %time STATEMENT    run one statement and print how long it took
  %%time             run the rest of the cell and print how long it took
  !COMMAND           run a shell command; its output is streamed
`

// runCell runs the magic and shell lines that open code, then the rest of
// it as Go. Consumed lines are replaced by empty ones so that line numbers
// in errors stay those of the cell.
func (e *Evaluator) runCell(ctx context.Context, code string) (kernel.Bundle, error) {
	consumed := 0
	for {
		line, rest, more := strings.Cut(code, "\n")
		t := strings.TrimSpace(line)
		switch {
		case t == "" && more:
			code, consumed = rest, consumed+1
			continue
		case strings.HasPrefix(t, "%%time"):
			return e.timed(ctx, strings.Repeat("\n", consumed+1)+rest)
		case strings.HasPrefix(t, "%time"):
			if strings.TrimSpace(rest) != "" {
				return nil, magicError("%time times one statement on its own line; use %%time for a whole cell")
			}
			return e.timed(ctx, strings.Repeat("\n", consumed)+strings.TrimPrefix(t, "%time"))
		case strings.HasPrefix(t, "%"):
			if err := e.lineMagic(t); err != nil {
				return nil, err
			}
		case strings.HasPrefix(t, "!"):
			if err := shell(ctx, t[1:]); err != nil {
				return nil, err
			}
		default:
			if strings.TrimSpace(code) == "" {
				return nil, nil
			}
			return e.execute(ctx, strings.Repeat("\n", consumed)+code)
		}
		code, consumed = rest, consumed+1
		if !more {
			return nil, nil
		}
	}
}

func magicError(msg string) *kernel.EvalError {
	return &kernel.EvalError{Name: "UsageError", Value: msg, Traceback: []string{"UsageError: " + msg}}
}

func (e *Evaluator) lineMagic(line string) error {
	name, arg, _ := strings.Cut(line[1:], " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case "help":
		os.Stdout.WriteString(helpText)
	case "reset":
		if err := e.reset(); err != nil {
			return &kernel.EvalError{Name: "ResetError", Value: err.Error(), Traceback: []string{"ResetError: " + err.Error()}}
		}
	case "env":
		return env(arg)
	default:
		return magicError(fmt.Sprintf("unknown magic %%%s; %%help lists the magics", name))
	}
	return nil
}

// env lists, shows or sets environment variables, as IPython's %env does.
func env(arg string) error {
	if arg == "" {
		vars := os.Environ()
		sort.Strings(vars)
		for _, v := range vars {
			fmt.Println(v)
		}
		return nil
	}
	name, value, set := strings.Cut(arg, "=")
	if !set {
		name, value, set = strings.Cut(arg, " ")
	}
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !set {
		v, ok := os.LookupEnv(name)
		if !ok {
			return magicError(fmt.Sprintf("environment variable %s is not set", name))
		}
		fmt.Println(v)
		return nil
	}
	if err := os.Setenv(name, value); err != nil {
		return magicError(err.Error())
	}
	fmt.Printf("env: %s=%s\n", name, value)
	return nil
}

// timed runs code and prints its wall time, also when it fails.
func (e *Evaluator) timed(ctx context.Context, code string) (kernel.Bundle, error) {
	start := time.Now()
	b, err := e.runCell(ctx, code)
	fmt.Printf("Wall time: %s\n", formatDuration(time.Since(start)))
	return b, err
}

func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.3f s", d.Seconds())
}

// shell runs cmd with sh, its output going to the kernel's standard output
// and error, which the kernel streams to the notebook as it comes.
func shell(ctx context.Context, cmd string) error {
	c := exec.CommandContext(ctx, "/bin/sh", "-c", cmd)
	c.Stdout, c.Stderr = os.Stdout, os.Stderr
	err := c.Run()
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return &kernel.EvalError{Name: "Interrupted", Value: "execution was interrupted", Traceback: []string{"Interrupted: execution was interrupted"}}
	}
	msg := fmt.Sprintf("command %q failed: %v", cmd, err)
	return &kernel.EvalError{Name: "ShellError", Value: msg, Traceback: []string{"ShellError: " + msg}}
}
