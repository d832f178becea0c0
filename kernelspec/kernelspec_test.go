package kernelspec

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestInstallUninstall(t *testing.T) {
	dir := t.TempDir()
	got, err := Install(dir, "gorch", "/opt/bin/gorch")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "gorch"); got != want {
		t.Fatalf("Install returned %s, want %s", got, want)
	}
	data, err := os.ReadFile(filepath.Join(got, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec Spec
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	if want := NewSpec("/opt/bin/gorch"); !reflect.DeepEqual(spec, want) {
		t.Errorf("kernel.json = %+v, want %+v", spec, want)
	}
	for _, size := range []int{32, 64} {
		f, err := os.Open(filepath.Join(got, "logo-"+itoa(size)+"x"+itoa(size)+".png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Errorf("logo of size %d is %v", size, b)
		}
	}
	if _, err := Install(dir, "gorch", "gorch"); err != nil { // reinstalling replaces
		t.Fatal(err)
	}
	if _, err := Uninstall(dir, "gorch"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(got); !os.IsNotExist(err) {
		t.Fatalf("Uninstall left %s", got)
	}
	if _, err := Uninstall(dir, "gorch"); err == nil {
		t.Fatal("Uninstall of a missing kernelspec succeeded")
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestInstallMakesBinaryAbsolute(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	got, err := Install(dir, "k", "bin/gorch")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(got, "kernel.json"))
	var spec Spec
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "bin", "gorch"); spec.Argv[0] != want {
		t.Fatalf("argv[0] = %s, want %s", spec.Argv[0], want)
	}
}

func TestInvalidNames(t *testing.T) {
	for _, name := range []string{"", "a/b", ".", "..", "has space", "é"} {
		if _, err := Install(t.TempDir(), name, "/bin/gorch"); err == nil {
			t.Errorf("Install accepted the name %q", name)
		}
		if _, err := Uninstall(t.TempDir(), name); err == nil {
			t.Errorf("Uninstall accepted the name %q", name)
		}
	}
}

func TestDirs(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, tc := range []struct {
		env  map[string]string
		dir  func() (string, error)
		want string
	}{
		{map[string]string{"JUPYTER_DATA_DIR": "/jd", "XDG_DATA_HOME": "/xdg"}, UserDir, "/jd/kernels"},
		{map[string]string{"JUPYTER_DATA_DIR": "", "XDG_DATA_HOME": "/xdg"}, UserDir, "/xdg/jupyter/kernels"},
		{map[string]string{"JUPYTER_DATA_DIR": "", "XDG_DATA_HOME": ""}, UserDir, filepath.Join(home, ".local/share/jupyter/kernels")},
		{map[string]string{"VIRTUAL_ENV": "/venv", "CONDA_PREFIX": "/conda"}, SysPrefixDir, "/venv/share/jupyter/kernels"},
		{map[string]string{"VIRTUAL_ENV": "", "CONDA_PREFIX": "/conda"}, SysPrefixDir, "/conda/share/jupyter/kernels"},
		{map[string]string{"VIRTUAL_ENV": "", "CONDA_PREFIX": "", "PATH": "/usr/bin"}, SysPrefixDir, "/usr/share/jupyter/kernels"},
	} {
		for k, v := range tc.env {
			t.Setenv(k, v)
		}
		if got, err := tc.dir(); err != nil || got != tc.want {
			t.Errorf("with %v: %s, %v; want %s", tc.env, got, err, tc.want)
		}
	}
	if got := PrefixDir("/p"); got != "/p/share/jupyter/kernels" {
		t.Errorf("PrefixDir = %s", got)
	}
}
