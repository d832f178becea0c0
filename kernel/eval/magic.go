package eval

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
	"unicode"

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
		case strings.HasPrefix(t, "%") || strings.HasPrefix(t, "!"):
			m, err := parseMagic(t)
			if err != nil {
				return nil, err
			}
			switch m.name {
			case "%time":
				return e.timed(ctx, strings.Repeat("\n", consumed+1)+rest)
			case "time":
				if strings.TrimSpace(rest) != "" {
					return nil, magicError("%time times one statement on its own line; use %%time for a whole cell")
				}
				return e.timed(ctx, strings.Repeat("\n", consumed)+m.arg)
			}
			if err := e.runMagic(ctx, m); err != nil {
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

// A magic is a parsed magic or shell line.
type magic struct {
	// name is the magic's name without its %: "help", "reset", "env",
	// "time", "%time" (the cell magic %%time), or "!" for a shell line.
	name string
	// arg is the rest of the line, without surrounding space: %time's
	// statement, %env's argument or the shell command.
	arg string
	env envArgs // what %env asks
}

// parseMagic parses line, a line without surrounding space that starts
// with % or !. It runs nothing. It fails with a UsageError for an unknown
// magic or arguments that its magic does not take.
func parseMagic(line string) (magic, error) {
	if cmd, ok := strings.CutPrefix(line, "!"); ok {
		return magic{name: "!", arg: strings.TrimSpace(cmd)}, nil
	}
	name := strings.TrimPrefix(line, "%")
	arg := ""
	// The name ends at any space, such as the tab of "%time\tx".
	if i := strings.IndexFunc(name, unicode.IsSpace); i >= 0 {
		name, arg = name[:i], name[i:]
	}
	m := magic{name: name, arg: strings.TrimSpace(arg)}
	switch name {
	case "help", "reset", "time":
	case "%time":
		if m.arg != "" {
			return magic{}, magicError("%%time times the lines below it; put the statement on the next line, or use %time")
		}
	case "env":
		env, err := parseEnv(m.arg)
		if err != nil {
			return magic{}, err
		}
		m.env = env
	default:
		return magic{}, magicError(fmt.Sprintf("unknown magic %%%s; %%help lists the magics", name))
	}
	return m, nil
}

// runMagic runs m, a line magic other than %time and %%time, or a shell
// line.
func (e *Evaluator) runMagic(ctx context.Context, m magic) error {
	switch m.name {
	case "help":
		os.Stdout.WriteString(helpText)
	case "reset":
		if err := e.reset(); err != nil {
			return &kernel.EvalError{Name: "ResetError", Value: err.Error(), Traceback: []string{"ResetError: " + err.Error()}}
		}
	case "env":
		return env(m.env)
	case "!":
		return shell(ctx, m.arg)
	}
	return nil
}

// envArgs is what %env asks, as IPython's %env: to list the variables
// (an empty name), to show one, or to set one.
type envArgs struct {
	name, value string
	set         bool
}

// parseEnv parses the argument of %env: nothing, NAME, NAME=VALUE or
// NAME VALUE. It fails when the operating system would refuse the name or
// the value.
func parseEnv(arg string) (envArgs, error) {
	if arg == "" {
		return envArgs{}, nil
	}
	name, value, set := strings.Cut(arg, "=")
	if !set {
		name, value, set = strings.Cut(arg, " ")
	}
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	switch {
	case name == "":
		return envArgs{}, magicError("%env needs a variable name before the =")
	case strings.ContainsFunc(name, func(r rune) bool { return r == '=' || r == 0 || unicode.IsSpace(r) }):
		return envArgs{}, magicError(fmt.Sprintf("%%env: %q is not a variable name", name))
	case strings.ContainsRune(value, 0):
		return envArgs{}, magicError(fmt.Sprintf("%%env: the value of %s contains a NUL byte", name))
	}
	return envArgs{name: name, value: value, set: set}, nil
}

// env lists, shows or sets environment variables.
func env(a envArgs) error {
	if a.name == "" {
		vars := os.Environ()
		sort.Strings(vars)
		for _, v := range vars {
			fmt.Println(v)
		}
		return nil
	}
	if !a.set {
		v, ok := os.LookupEnv(a.name)
		if !ok {
			return magicError(fmt.Sprintf("environment variable %s is not set", a.name))
		}
		fmt.Println(v)
		return nil
	}
	if err := os.Setenv(a.name, a.value); err != nil {
		return magicError(fmt.Sprintf("%%env: setting %s: %v", a.name, err))
	}
	fmt.Printf("env: %s=%s\n", a.name, a.value)
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
