package frontends

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// python is Debian's interpreter, the one that has Jupyter; another python3
// may come first on PATH.
const python = "/usr/bin/python3"

// gorchBin is the kernel binary built from this checkout by TestMain.
var gorchBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gorch-frontends-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	gorchBin, err = buildGorch(dir)
	code := 0
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// goCommand returns the go command that runs the tests.
func goCommand() string {
	if root := os.Getenv("GOROOT"); root != "" {
		return filepath.Join(root, "bin", "go")
	}
	return "go"
}

// buildGorch builds cmd/gorch into dir.
func buildGorch(dir string) (string, error) {
	bin := filepath.Join(dir, "gorch")
	out, err := exec.Command(goCommand(), "build", "-o", bin, "github.com/gorch/gorch/cmd/gorch").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("building gorch: %v\n%s", err, out)
	}
	return bin, nil
}

// repoPath returns the path of a file of the checkout given relative to its
// root.
func repoPath(rel string) string {
	return filepath.Join("..", "..", filepath.FromSlash(rel))
}

// requireTool fails the test when an external program the test needs is
// missing, naming what provides it.
func requireTool(t *testing.T, path, provider string) {
	t.Helper()
	if _, err := exec.LookPath(path); err != nil {
		t.Fatalf("%s is missing (install %s; scripts/test.sh does): %v", path, provider, err)
	}
}

// requirePython fails the test when Debian's python3 cannot import module.
func requirePython(t *testing.T, module, provider string) {
	t.Helper()
	requireTool(t, python, "python3")
	if out, err := exec.Command(python, "-c", "import "+module).CombinedOutput(); err != nil {
		t.Fatalf("%s cannot import %s (install %s; scripts/test.sh does): %v\n%s", python, module, provider, err, out)
	}
}

// requireNodeModules fails the test when npm ci has not been run here.
func requireNodeModules(t *testing.T, modules ...string) {
	t.Helper()
	requireTool(t, "node", "nodejs")
	for _, m := range modules {
		if _, err := os.Stat(filepath.Join("node_modules", m, "package.json")); err != nil {
			t.Fatalf("node module %s is missing: run npm ci in test/frontends (scripts/test.sh does)", m)
		}
	}
}

// jupyter is a private Jupyter installation: the gorch kernelspec written by
// gorch install --prefix, and data, config and runtime directories of its
// own, so the test neither sees nor changes the user's Jupyter set-up.
type jupyter struct {
	dir string
	env []string
}

func newJupyter(t *testing.T) *jupyter {
	t.Helper()
	dir := t.TempDir()
	prefix := filepath.Join(dir, "prefix")
	if out, err := exec.Command(gorchBin, "install", "--prefix", prefix).CombinedOutput(); err != nil {
		t.Fatalf("gorch install --prefix: %v\n%s", err, out)
	}
	kernels := findKernelsDir(t, prefix)
	env := []string{
		"HOME=" + filepath.Join(dir, "home"),
		"JUPYTER_PATH=" + filepath.Dir(kernels),
		"JUPYTER_DATA_DIR=" + filepath.Join(dir, "data"),
		"JUPYTER_CONFIG_DIR=" + filepath.Join(dir, "config"),
		"JUPYTER_RUNTIME_DIR=" + filepath.Join(dir, "runtime"),
		"IPYTHONDIR=" + filepath.Join(dir, "ipython"),
		"PYTHONNOUSERSITE=1",
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name != "HOME" && !strings.HasPrefix(name, "JUPYTER") && name != "IPYTHONDIR" {
			env = append(env, kv)
		}
	}
	for _, d := range []string{"home", "data", "config", "runtime", "ipython", "work"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// Runs before t.TempDir removes dir: cleanups run last-in first-out.
	t.Cleanup(func() { killStrays(t, dir) })
	return &jupyter{dir: dir, env: env}
}

// killStrays kills the processes whose command line names dir, such as
// kernels whose front end died before shutting them down: they run in
// sessions of their own and are not children of the test.
func killStrays(t *testing.T, dir string) {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		cmdline, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(cmdline, []byte(dir)) {
			continue
		}
		var pid int
		if _, err := fmt.Sscanf(p, "/proc/%d/cmdline", &pid); err == nil && pid != os.Getpid() {
			t.Logf("killing stray process %d: %s", pid, bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}))
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// findKernelsDir returns the kernels directory under prefix that holds the
// gorch kernelspec.
func findKernelsDir(t *testing.T, prefix string) string {
	t.Helper()
	var found string
	filepath.WalkDir(prefix, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "kernel.json" && filepath.Base(filepath.Dir(path)) == "gorch" {
			found = filepath.Dir(filepath.Dir(path))
		}
		return err
	})
	if found == "" || filepath.Base(found) != "kernels" {
		t.Fatalf("gorch install --prefix %s wrote no kernels/gorch/kernel.json", prefix)
	}
	return found
}

// workDir is where servers started by the test serve notebooks from.
func (j *jupyter) workDir() string { return filepath.Join(j.dir, "work") }

// command returns a command that runs in the private installation, in its
// work directory.
func (j *jupyter) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = slices.Clone(j.env) // callers append to it
	cmd.Dir = j.workDir()
	return cmd
}

// copyNotebook copies a notebook of the checkout into the work directory.
func (j *jupyter) copyNotebook(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(repoPath(rel))
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(j.workDir(), filepath.Base(rel))
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// startServer starts a Jupyter server application (module is "notebook" or
// "jupyter_server") on a free port with a fresh token, waits until it
// answers, and stops it when the test ends. It returns the base URL and the
// token.
func (j *jupyter) startServer(t *testing.T, module string) (baseURL, token string) {
	t.Helper()
	port := freePort(t)
	token = fmt.Sprintf("gorch%d", time.Now().UnixNano())
	app := map[string]string{"notebook": "NotebookApp", "jupyter_server": "ServerApp"}[module]
	args := []string{"-m", module, "--no-browser", "--ip=127.0.0.1", fmt.Sprintf("--port=%d", port),
		"--" + app + ".token=" + token, "--" + app + ".port_retries=0"}
	if os.Geteuid() == 0 {
		args = append(args, "--allow-root")
	}
	cmd := exec.Command(python, args...)
	cmd.Env = j.env
	cmd.Dir = j.workDir()
	proc := startProcess(t, cmd)
	baseURL = fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(baseURL + "/api/status?token=" + token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return baseURL, token
			}
		}
		select {
		case err := <-proc.done:
			t.Fatalf("%s exited before serving: %v\n%s", module, err, proc.log.String())
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer on %s within a minute\n%s", module, baseURL, proc.log.String())
		}
	}
}

// process is a program started by a test, with its output.
type process struct {
	log  bytes.Buffer // stdout and stderr together
	done chan error   // receives the result of Wait
}

// startProcess starts cmd with its output collected, and when the test
// ends interrupts it (killing it after 10 seconds) and shows its output if
// the test failed.
func startProcess(t *testing.T, cmd *exec.Cmd) *process {
	t.Helper()
	p := &process{done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = &p.log, &p.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", cmd.Path, err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", cmd.Path, p.log.String())
		}
	})
	return p
}

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
