package frontends

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestJupyterLabServices drives the kernel with @jupyterlab/services,
// JupyterLab's own kernel client, through Debian's jupyter_server: start a
// gorch kernel, run cells that print, return a tensor (HTML), update a
// display, clear output and fail, interrupt a cell that sleeps, and restart
// the kernel.
func TestJupyterLabServices(t *testing.T) {
	requirePython(t, "jupyter_server", "python3-jupyter-server")
	requireNodeModules(t, "@jupyterlab/services", "ws")
	j := newJupyter(t)
	base, token := j.startServer(t, "jupyter_server")

	scenario, _ := json.Marshal(map[string]string{
		"stream":     `fmt.Println("hello from lab")`,
		"streamText": "hello from lab",
		"html":       "tensor.Ones(2, 3)",
		"display": `h := display.Text("first")
h.Update(display.Bundle{"text/plain": "second"})
display.Clear(true)
fmt.Println("after clearing")`,
		"updatedText": "second",
		"error":       "tensor.Ones(2, 3).MatMul(tensor.Ones(2, 3))",
		"errorText":   "shapes cannot be multiplied",
		"define":      "x := 41",
		"long":        "time.Sleep(time.Hour)",
		"useDefined":  "x + 1",
		"definedText": "42",
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := j.command(ctx, "node", "lab.js", base, token, "gorch")
	cmd.Dir = "."
	cmd.Stdin = strings.NewReader(string(scenario))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("lab.js: %v\n%s", err, stderrOf(err))
	}
	var report struct {
		Results []struct {
			Name   string
			OK     bool
			Detail any
		}
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("lab.js printed %q: %v", out, err)
	}
	checks := map[string]bool{}
	for _, r := range report.Results {
		checks[r.Name] = true
		if !r.OK {
			t.Errorf("%s: %v", r.Name, r.Detail)
		}
	}
	for _, name := range []string{"kernel_info", "stream", "execute_result html", "update_display_data", "clear_output", "error", "define",
		"interrupt", "state kept after interrupt", "state gone after restart", "runs after restart"} {
		if !checks[name] {
			t.Errorf("lab.js did not report %q", name)
		}
	}
}

// stderrOf returns what a failed command wrote on stderr.
func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(ee.Stderr)
	}
	return ""
}
