package gpu

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// driverInstalled asks the dynamic loader's cache, independently of this
// package, whether libcuda.so.1 exists here.
func driverInstalled(t *testing.T) bool {
	out, err := exec.Command("/sbin/ldconfig", "-p").Output()
	if err != nil {
		t.Fatalf("ldconfig -p: %v", err)
	}
	return strings.Contains(string(out), "libcuda.so.1")
}

func TestDevices(t *testing.T) {
	devices, err := Devices()
	if !driverInstalled(t) {
		if !errors.Is(err, ErrNoDriver) {
			t.Fatalf("without libcuda.so.1: Devices() = %v, %v; want an error wrapping ErrNoDriver", devices, err)
		}
		if !strings.Contains(err.Error(), "libcuda.so.1") {
			t.Errorf("error %q does not name the missing library", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("with libcuda.so.1 installed: %v", err)
	}
	for i, d := range devices {
		if d.Ordinal != i || d.Name == "" || d.TotalMemory == 0 || d.Major == 0 {
			t.Errorf("device %d = %+v: missing properties", i, d)
		}
	}
}

func TestGoString(t *testing.T) {
	for _, s := range []string{"", "a", "NVIDIA H100 80GB HBM3"} {
		b := append([]byte(s), 0, 'x')
		if got := goString(&b[0]); got != s {
			t.Errorf("goString(%q) = %q", s, got)
		}
	}
	if got := goString(nil); got != "" {
		t.Errorf("goString(nil) = %q", got)
	}
}
