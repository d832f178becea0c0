package frontends

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestImageScript runs scripts/image.sh, every step of the Docker image,
// into a temporary prefix: it must build gorch, register it as a kernel in
// the prefix, copy the notebooks and write a launcher that serves them with
// that kernel.
func TestImageScript(t *testing.T) {
	requirePython(t, "notebook", "jupyter-notebook")
	requirePython(t, "nbconvert", "jupyter-nbconvert")
	prefix := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, repoPath("scripts/image.sh"), prefix).CombinedOutput(); err != nil {
		t.Fatalf("image.sh %s: %v\n%s", prefix, err, out)
	}

	var spec struct{ Argv []string }
	data, err := os.ReadFile(filepath.Join(prefix, "share/jupyter/kernels/gorch/kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	if len(spec.Argv) == 0 || spec.Argv[0] != filepath.Join(prefix, "bin/gorch") {
		t.Errorf("kernel.json argv %q; want it to run %s/bin/gorch", spec.Argv, prefix)
	}
	for _, nb := range []string{"tour.ipynb", "training.ipynb", "tests/outputs.ipynb"} {
		if _, err := os.Stat(filepath.Join(prefix, "share/gorch/notebooks", nb)); err != nil {
			t.Errorf("notebook not installed: %v", err)
		}
	}

	// The launcher serves the notebooks with the prefix's kernel, and the
	// kernel runs a notebook.
	j := newJupyter(t)
	env := slices.DeleteFunc(slices.Clone(j.env), func(kv string) bool { return strings.HasPrefix(kv, "JUPYTER_PATH=") })
	port := freePort(t)
	token := "image-test"
	launcher := exec.Command(filepath.Join(prefix, "bin/gorch-notebook"), fmt.Sprintf("--port=%d", port), "--NotebookApp.token="+token)
	launcher.Env = env
	proc := startProcess(t, launcher)
	var specs struct{ Kernelspecs map[string]any }
	getJSON(t, fmt.Sprintf("http://127.0.0.1:%d/api/kernelspecs?token=%s", port, token), &specs, &proc.log)
	if _, ok := specs.Kernelspecs["gorch"]; !ok {
		t.Errorf("gorch-notebook offers kernels %v; want gorch", specs.Kernelspecs)
	}

	j.env = append(env, "JUPYTER_PATH="+filepath.Join(prefix, "share/jupyter"))
	nb := j.execute(t, "notebooks/tests/outputs.ipynb")
	if c := nb.cell(t, "stdout"); len(c.Outputs) == 0 {
		t.Errorf("the installed kernel printed nothing")
	}
}
