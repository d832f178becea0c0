package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests build the gorch binary and drive it through real Jupyter
// clients: jupyter_client (testdata/protocol.py), `jupyter kernelspec` and
// `jupyter console`, all from Debian's Python at /usr/bin/python3. Jupyter
// sees only the kernelspecs of a temporary prefix, so the tests do not
// depend on, or change, the user's Jupyter setup.

const python = "/usr/bin/python3"

var (
	gorchBin  string // the binary under test
	jupyter   env    // a hermetic Jupyter environment with gorch installed
	setupErr  error  // building or installing failed
	clientErr error  // the Python client is missing
)

// env is a set of Jupyter directories under one temporary root.
type env struct{ root string }

func (e env) vars() []string {
	return append(os.Environ(),
		"JUPYTER_PATH="+filepath.Join(e.root, "share", "jupyter"),
		"JUPYTER_DATA_DIR="+filepath.Join(e.root, "data"),
		"JUPYTER_CONFIG_DIR="+filepath.Join(e.root, "config"),
		"JUPYTER_RUNTIME_DIR="+filepath.Join(e.root, "runtime"),
		"JUPYTER_PLATFORM_DIRS=1",
		"IPYTHONDIR="+filepath.Join(e.root, "ipython"),
		"HOME="+e.root,
		"PYDEVD_DISABLE_FILE_VALIDATION=1", // quiets a debugger warning of Debian's Python
	)
}

func (e env) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = e.vars()
	return cmd
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gorch-test")
	if err != nil {
		panic(err)
	}
	gorchBin = filepath.Join(dir, "gorch")
	jupyter = env{root: filepath.Join(dir, "jupyter")}
	setupErr = setup()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// setup builds the binary and installs its kernelspec into the temporary
// prefix. Tests report a failure; none is skipped for a missing tool.
func setup() error {
	if out, err := exec.Command("go", "build", "-o", gorchBin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	prefix := jupyter.root
	if out, err := jupyter.command(gorchBin, "install", "--prefix", prefix).CombinedOutput(); err != nil {
		return fmt.Errorf("gorch install --prefix: %v\n%s", err, out)
	}
	if out, err := exec.Command(python, "-c", "import jupyter_client, jupyter_console, zmq").CombinedOutput(); err != nil {
		clientErr = fmt.Errorf("this test needs jupyter_client, jupyter_console and pyzmq for %s (Debian: python3-jupyter-client, jupyter-console): %v\n%s", python, err, out)
	}
	return nil
}

func needSetup(t *testing.T) {
	t.Helper()
	if setupErr != nil {
		t.Fatal(setupErr)
	}
}

// needClient fails the test, without skipping it, when Jupyter's Python
// client is not installed.
func needClient(t *testing.T) {
	t.Helper()
	needSetup(t)
	if clientErr != nil {
		t.Fatal(clientErr)
	}
}

func TestVersion(t *testing.T) {
	needSetup(t)
	out, err := exec.Command(gorchBin, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "gorch ") || !strings.Contains(string(out), "go1.") {
		t.Fatalf("gorch version: %q, %v", out, err)
	}
}

func TestInstall(t *testing.T) {
	needSetup(t)
	e := env{root: t.TempDir()}
	userKernels := filepath.Join(e.root, "data", "kernels")
	for _, tc := range []struct {
		args []string
		dir  string // where kernel.json lands
	}{
		{[]string{"install"}, filepath.Join(userKernels, "gorch")},
		{[]string{"install", "--user", "--name", "go2"}, filepath.Join(userKernels, "go2")},
		{[]string{"install", "--prefix", filepath.Join(e.root, "p")}, filepath.Join(e.root, "p", "share", "jupyter", "kernels", "gorch")},
		{[]string{"install", "--sys-prefix"}, filepath.Join(e.root, "venv", "share", "jupyter", "kernels", "gorch")},
	} {
		cmd := e.command(gorchBin, tc.args...)
		cmd.Env = append(cmd.Env, "VIRTUAL_ENV="+filepath.Join(e.root, "venv"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gorch %v: %v\n%s", tc.args, err, out)
		}
		data, err := os.ReadFile(filepath.Join(tc.dir, "kernel.json"))
		if err != nil {
			t.Fatalf("gorch %v: %v", tc.args, err)
		}
		var spec struct {
			Argv          []string `json:"argv"`
			DisplayName   string   `json:"display_name"`
			Language      string   `json:"language"`
			InterruptMode string   `json:"interrupt_mode"`
		}
		if err := json.Unmarshal(data, &spec); err != nil {
			t.Fatal(err)
		}
		if len(spec.Argv) != 4 || spec.Argv[0] != gorchBin || spec.Argv[1] != "kernel" || spec.Argv[3] != "{connection_file}" ||
			spec.DisplayName != "Go (gorch)" || spec.Language != "go" || spec.InterruptMode != "message" {
			t.Errorf("gorch %v wrote %s", tc.args, data)
		}
		for _, logo := range []string{"logo-32x32.png", "logo-64x64.png"} {
			if _, err := os.Stat(filepath.Join(tc.dir, logo)); err != nil {
				t.Errorf("gorch %v: %v", tc.args, err)
			}
		}
	}
	for _, tc := range []struct {
		args  []string
		fails bool
	}{
		{[]string{"install", "--user", "--prefix", "x"}, true},
		{[]string{"install", "--name", "bad/name"}, true},
		{[]string{"install", "--uninstall", "--name", "go2"}, false},
		{[]string{"install", "--uninstall", "--name", "go2"}, true}, // already gone
	} {
		out, err := e.command(gorchBin, tc.args...).CombinedOutput()
		if (err != nil) != tc.fails {
			t.Errorf("gorch %v: error %v, want failure %v\n%s", tc.args, err, tc.fails, out)
		}
	}
	if _, err := os.Stat(filepath.Join(userKernels, "go2")); !os.IsNotExist(err) {
		t.Errorf("--uninstall left %s: %v", filepath.Join(userKernels, "go2"), err)
	}
}

func TestKernelspecList(t *testing.T) {
	needClient(t)
	// The command users type; Debian ships it in the jupyter-client package.
	out, err := jupyter.command("jupyter", "kernelspec", "list", "--json").Output()
	if err != nil {
		t.Fatalf("jupyter kernelspec list: %v", err)
	}
	var list struct {
		Kernelspecs map[string]struct {
			ResourceDir string `json:"resource_dir"`
			Spec        struct {
				DisplayName string `json:"display_name"`
			} `json:"spec"`
		} `json:"kernelspecs"`
	}
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatal(err)
	}
	ks, ok := list.Kernelspecs["gorch"]
	if !ok || ks.Spec.DisplayName != "Go (gorch)" || !strings.HasPrefix(ks.ResourceDir, jupyter.root) {
		t.Fatalf("jupyter kernelspec list does not show the gorch kernelspec of the test prefix:\n%s", out)
	}
}

// TestProtocol runs each test of testdata/protocol.py as a subtest.
func TestProtocol(t *testing.T) {
	needClient(t)
	out, err := jupyter.command(python, "testdata/protocol.py", "--list").CombinedOutput()
	if err != nil {
		t.Fatalf("listing the protocol tests: %v\n%s", err, out)
	}
	for _, name := range strings.Fields(string(out)) {
		t.Run(strings.TrimPrefix(name, "test_"), func(t *testing.T) {
			out, err := jupyter.command(python, "testdata/protocol.py", name).CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
		})
	}
}

// TestConsole feeds two cells to `jupyter console` and reads their output.
func TestConsole(t *testing.T) {
	needClient(t)
	cmd := jupyter.command("jupyter", "console", "--kernel", "gorch", "--simple-prompt")
	cmd.Stdin = strings.NewReader("x := 6\nfmt.Println(x * 7)\nexit\n")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("jupyter console: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("jupyter console: %v\n%s", err, out.String())
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("jupyter console did not exit\n%s", out.String())
	}
	if !strings.Contains(out.String(), "42") || !strings.Contains(out.String(), "In [2]") {
		t.Fatalf("jupyter console output:\n%s", out.String())
	}
}
