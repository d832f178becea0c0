// Package kernelspec writes and removes the Jupyter kernelspec of gorch: a
// directory holding kernel.json, which tells Jupyter how to start the
// kernel, and the logos front ends show for it.
//
// Jupyter finds kernelspecs in the kernels folder of each of its data
// directories; UserDir, SysPrefixDir and PrefixDir name the three places
// that ipykernel's install command offers.
package kernelspec

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
)

//go:generate go run genlogos.go

//go:embed logo-32x32.png logo-64x64.png
var logos embed.FS

// DefaultName is the kernel name used when none is given: the name that
// `jupyter console --kernel` and notebook metadata refer to.
const DefaultName = "gorch"

// DisplayName is the name front ends show in their kernel menus.
const DisplayName = "Go (gorch)"

// Spec is the content of kernel.json.
type Spec struct {
	Argv          []string       `json:"argv"`
	DisplayName   string         `json:"display_name"`
	Language      string         `json:"language"`
	InterruptMode string         `json:"interrupt_mode"`
	Metadata      map[string]any `json:"metadata"`
}

// NewSpec returns the kernelspec that starts binary, an absolute path, as
// `binary kernel -f CONNECTION_FILE`. Interrupts are sent as messages, so
// they work where signals do not reach the kernel.
func NewSpec(binary string) Spec {
	return Spec{
		Argv:          []string{binary, "kernel", "-f", "{connection_file}"},
		DisplayName:   DisplayName,
		Language:      "go",
		InterruptMode: "message",
		Metadata:      map[string]any{"debugger": false},
	}
}

// validName is what jupyter_client accepts as a kernel name, less "." and
// "..", which would name the kernels directory or its parent.
var validName = regexp.MustCompile(`^(?:[a-zA-Z0-9._-]*[a-zA-Z0-9_-][a-zA-Z0-9._-]*)$`)

// Install writes the kernelspec for binary into kernelsDir/name, replacing
// one already there, and returns that directory. binary is made absolute.
func Install(kernelsDir, name, binary string) (string, error) {
	if !validName.MatchString(name) {
		return "", fmt.Errorf("kernelspec: invalid kernel name %q: use letters, digits, '.', '_' and '-'", name)
	}
	bin, err := filepath.Abs(binary)
	if err != nil {
		return "", fmt.Errorf("kernelspec: %w", err)
	}
	dir := filepath.Join(kernelsDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("kernelspec: %w", err)
	}
	js, err := json.MarshalIndent(NewSpec(bin), "", "  ")
	if err != nil {
		return "", fmt.Errorf("kernelspec: %w", err)
	}
	files := map[string][]byte{"kernel.json": append(js, '\n')}
	for _, logo := range []string{"logo-32x32.png", "logo-64x64.png"} {
		if files[logo], err = logos.ReadFile(logo); err != nil {
			return "", fmt.Errorf("kernelspec: %w", err)
		}
	}
	for file, data := range files {
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
			return "", fmt.Errorf("kernelspec: %w", err)
		}
	}
	return dir, nil
}

// Uninstall removes kernelsDir/name and returns its path. It fails if there
// is no kernelspec there.
func Uninstall(kernelsDir, name string) (string, error) {
	if !validName.MatchString(name) {
		return "", fmt.Errorf("kernelspec: invalid kernel name %q", name)
	}
	dir := filepath.Join(kernelsDir, name)
	if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
		return "", fmt.Errorf("kernelspec: no kernelspec %q in %s", name, kernelsDir)
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("kernelspec: %w", err)
	}
	return dir, nil
}

// PrefixDir is the kernels directory under an installation prefix,
// PREFIX/share/jupyter/kernels, as for `ipykernel install --prefix`.
func PrefixDir(prefix string) string {
	return filepath.Join(prefix, "share", "jupyter", "kernels")
}

// UserDir is the kernels directory of the user's Jupyter data directory,
// as for `ipykernel install --user`: $JUPYTER_DATA_DIR when set, else the
// platform's default (~/.local/share/jupyter on Linux, honouring
// $XDG_DATA_HOME).
func UserDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Join(d, "kernels"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("kernelspec: %w", err)
	}
	var data string
	switch runtime.GOOS {
	case "darwin":
		data = filepath.Join(home, "Library", "Jupyter")
	case "windows":
		data = filepath.Join(os.Getenv("APPDATA"), "jupyter")
	default:
		if x := os.Getenv("XDG_DATA_HOME"); x != "" {
			data = filepath.Join(x, "jupyter")
		} else {
			data = filepath.Join(home, ".local", "share", "jupyter")
		}
	}
	return filepath.Join(data, "kernels"), nil
}

// SysPrefixDir is the kernels directory of the Python environment that runs
// Jupyter, as for `ipykernel install --sys-prefix`: the active virtual or
// conda environment, else the prefix of the jupyter command on PATH.
func SysPrefixDir() (string, error) {
	for _, env := range []string{"VIRTUAL_ENV", "CONDA_PREFIX"} {
		if p := os.Getenv(env); p != "" {
			return PrefixDir(p), nil
		}
	}
	jupyter, err := exec.LookPath("jupyter")
	if err != nil {
		return "", errors.New("kernelspec: --sys-prefix: no active environment and no jupyter on PATH")
	}
	// PREFIX/bin/jupyter
	return PrefixDir(filepath.Dir(filepath.Dir(jupyter))), nil
}
