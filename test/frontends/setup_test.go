package frontends

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSetupScript runs the README's first command, scripts/setup.sh, for a
// user whose home is a temporary directory: it must build gorch, register
// it for that user, and start Jupyter Notebook on the tour with the kernel
// available. (The Debian packages it would install are present, as
// scripts/test.sh installed them, so apt is not run.)
func TestSetupScript(t *testing.T) {
	requirePython(t, "notebook", "jupyter-notebook")
	home := t.TempDir()
	env := userEnv(t, home)
	setup := repoPath("scripts/setup.sh")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, setup, "--no-start")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("setup.sh --no-start: %v\n%s", err, out)
	}
	checkRegistered(t, home)

	// Run again, starting Jupyter: it serves the tour with the kernel.
	port := freePort(t)
	token := "setup-test"
	server := exec.Command(setup, "--no-browser", fmt.Sprintf("--port=%d", port), "--NotebookApp.token="+token)
	server.Env = env
	proc := startProcess(t, server)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	var specs struct{ Kernelspecs map[string]any }
	getJSON(t, base+"/api/kernelspecs?token="+token, &specs, &proc.log)
	if _, ok := specs.Kernelspecs["gorch"]; !ok {
		t.Errorf("Jupyter started by setup.sh offers kernels %v; want gorch", specs.Kernelspecs)
	}
	var tour struct{ Type string }
	getJSON(t, base+"/api/contents/tour.ipynb?content=0&token="+token, &tour, &proc.log)
	if tour.Type != "notebook" {
		t.Errorf("Jupyter started by setup.sh does not serve the tour: %+v", tour)
	}
}

// getJSON decodes the JSON at url into v, retrying for a minute while the
// server starts; log is what the server has written, shown on failure.
func getJSON(t *testing.T, url string, v any, log fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(url)
		if err == nil {
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("%s", resp.Status)
			} else {
				err = json.NewDecoder(resp.Body).Decode(v)
			}
			resp.Body.Close()
			if err == nil {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: %v\n%s", url, err, log)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestSetupScriptInstallsGo runs setup.sh as on a fresh Debian machine,
// which has no Go: in a mount namespace of its own, /usr/local (where
// this machine's Go lives) is an empty directory and PATH holds only the
// system's directories, so setup.sh must install Go before it builds
// gorch. Making the namespace needs root, as CI runs the tests.
func TestSetupScriptInstallsGo(t *testing.T) {
	requirePython(t, "notebook", "jupyter-notebook")
	if os.Geteuid() != 0 {
		t.Skip("needs root to hide /usr/local/go in a mount namespace")
	}
	if out, err := exec.Command("unshare", "--mount", "true").CombinedOutput(); err != nil {
		t.Skipf("cannot make a mount namespace: %v\n%s", err, out)
	}
	home := t.TempDir()
	env := []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}
	for _, kv := range userEnv(t, home) {
		if !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "GOROOT=") && !strings.HasPrefix(kv, "GOTOOLCHAIN=") {
			env = append(env, kv)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "unshare", "--mount", "sh", "-c",
		`mount -t tmpfs tmpfs /usr/local && exec "$0" --no-start`, repoPath("scripts/setup.sh"))
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("setup.sh --no-start without Go: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "gorch: installing go1.") || !strings.Contains(string(out), "with go version go1.") {
		t.Errorf("setup.sh did not say it installed Go and built with it:\n%s", out)
	}
	checkRegistered(t, home)
}

// userEnv returns the environment of the tests for a user whose home is
// home, with gorch installed into home/bin.
func userEnv(t *testing.T, home string) []string {
	env := []string{"HOME=" + home, "GOBIN=" + filepath.Join(home, "bin")}
	// Share the caller's module and build caches: a fresh home would
	// otherwise download and compile everything again.
	for _, v := range []string{"GOMODCACHE", "GOCACHE"} {
		out, err := exec.Command(goCommand(), "env", v).Output()
		if err != nil {
			t.Fatal(err)
		}
		env = append(env, v+"="+strings.TrimSpace(string(out)))
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name != "HOME" && name != "GOBIN" && name != "GOMODCACHE" && name != "GOCACHE" && !strings.HasPrefix(name, "JUPYTER") {
			env = append(env, kv)
		}
	}
	return env
}

// checkRegistered checks that setup.sh registered, for the user whose
// home is home, a gorch built without cgo into home/bin.
func checkRegistered(t *testing.T, home string) {
	t.Helper()
	var spec struct{ Argv []string }
	data, err := os.ReadFile(filepath.Join(home, ".local/share/jupyter/kernels/gorch/kernel.json"))
	if err != nil {
		t.Fatalf("setup.sh registered no kernel for the user: %v", err)
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	if len(spec.Argv) == 0 || spec.Argv[0] != filepath.Join(home, "bin/gorch") {
		t.Errorf("kernel.json argv %q; want the gorch that setup.sh built in $GOBIN", spec.Argv)
	}
	if info, err := exec.Command(goCommand(), "version", "-m", filepath.Join(home, "bin/gorch")).Output(); err != nil || !strings.Contains(string(info), "CGO_ENABLED=0") {
		t.Errorf("setup.sh built gorch with cgo (go version -m: %v):\n%s", err, info)
	}
}
