package frontends

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestConsole types into jupyter console --kernel gorch in a pseudo-terminal
// (ptyrelay.py), as a person would. The console asks the kernel whether the
// input is complete each time Enter is pressed, so a function typed over
// three lines must get continuation prompts and run only after its closing
// brace.
func TestConsole(t *testing.T) {
	requirePython(t, "jupyter_console", "jupyter-console")
	j := newJupyter(t)
	term := startTerminal(t, j, python, "-m", "jupyter_console", "--kernel", "gorch",
		"--no-confirm-exit")

	term.expect(t, `In \[1\]: `)
	term.typeLine(t, "func add(a, b int) int {")
	term.expect(t, `\.\.\.: `)
	term.typeLine(t, "return a + b")
	term.expect(t, `\.\.\.: `)
	term.typeLine(t, "}")
	term.expect(t, `In \[2\]: `)
	term.typeLine(t, "add(40, 2)")
	term.expect(t, `Out\[2\]: 42`)
	term.typeLine(t, `fmt.Println("printed", add(1, 2))`)
	term.expect(t, `printed 3`)
	// Ctrl-D must reach the prompt, not the terminal's line discipline
	// while the console is busy.
	term.expect(t, `In \[4\]: `)
	term.close(t)

	screen := term.screen()
	for _, bad := range []string{"did not respond", "Error", "error:"} {
		if strings.Contains(screen, bad) {
			t.Errorf("console shows %q:\n%s", bad, screen)
		}
	}
}

// terminal is a program running in a pseudo-terminal, with everything it
// has written so far.
type terminal struct {
	stdin io.WriteCloser
	done  chan error

	mu     sync.Mutex
	out    bytes.Buffer
	seen   int // bytes of the screen text consumed by expect
	notify chan struct{}
}

// ansi matches the terminal control sequences prompt_toolkit draws with.
var ansi = regexp.MustCompile(`\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>])`)

func startTerminal(t *testing.T, j *jupyter, name string, args ...string) *terminal {
	t.Helper()
	cmd := j.command(context.Background(), python, append([]string{"ptyrelay.py", name}, args...)...)
	cmd.Dir = "."
	// prompt_toolkit would wait for answers to cursor position requests
	// that a relay never gives; pydevd's warnings are noise.
	cmd.Env = append(cmd.Env, "TERM=xterm", "PROMPT_TOOLKIT_NO_CPR=1", "PYDEVD_DISABLE_FILE_VALIDATION=1")
	term := &terminal{done: make(chan error, 1), notify: make(chan struct{}, 1)}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	term.stdin = stdin
	cmd.Stdout = term
	cmd.Stderr = term
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { term.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		if t.Failed() {
			t.Logf("terminal:\n%s", term.screen())
		}
	})
	return term
}

func (tm *terminal) Write(p []byte) (int, error) {
	tm.mu.Lock()
	tm.out.Write(p)
	tm.mu.Unlock()
	select {
	case tm.notify <- struct{}{}:
	default:
	}
	return len(p), nil
}

// screen returns everything written so far with control sequences removed.
func (tm *terminal) screen() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return ansi.ReplaceAllString(tm.out.String(), "")
}

// expect waits for text matching pattern after what earlier calls matched.
func (tm *terminal) expect(t *testing.T, pattern string) {
	t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.After(60 * time.Second)
	for {
		s := tm.screen()
		if loc := re.FindStringIndex(s[tm.seen:]); loc != nil {
			tm.seen += loc[1]
			return
		}
		select {
		case <-tm.notify:
		case err := <-tm.done:
			t.Fatalf("console exited (%v) while waiting for %q", err, pattern)
		case <-deadline:
			t.Fatalf("no %q on the terminal within a minute", pattern)
		}
	}
}

// typeLine types line, waits for the terminal to echo it, then presses
// Enter. Enter must come on its own: prompt_toolkit fails when a key
// arrives while the Enter handler is asking the kernel about the input.
func (tm *terminal) typeLine(t *testing.T, line string) {
	t.Helper()
	if _, err := io.WriteString(tm.stdin, line); err != nil {
		t.Fatal(err)
	}
	tm.expect(t, regexp.QuoteMeta(lastWord(line)))
	if _, err := io.WriteString(tm.stdin, "\r"); err != nil {
		t.Fatal(err)
	}
}

// lastWord is the end of a typed line, which the echo shows in one piece
// even when highlighting splits the rest.
func lastWord(line string) string {
	fields := strings.Fields(line)
	return fields[len(fields)-1]
}

// close ends the input (Ctrl-D) and waits for the console to exit.
func (tm *terminal) close(t *testing.T) {
	t.Helper()
	tm.stdin.Close()
	select {
	case err := <-tm.done:
		if err != nil {
			t.Errorf("console exited with %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Errorf("console did not exit within a minute of Ctrl-D")
	}
}
