package tensortest

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"sync"
	"testing"
)

// python is the interpreter with Debian's python3-torch; the python3 first
// on PATH may be another one.
const python = "/usr/bin/python3"

var torchMissing = sync.OnceValue(func() string {
	out, err := exec.Command(python, "-c", "import torch").CombinedOutput()
	if err != nil {
		return python + ` cannot import torch (install Debian's python3-torch): ` + string(out)
	}
	return ""
})

// RunTorch runs a Python script that uses PyTorch, writing in as JSON to
// its standard input and decoding the JSON it prints into out. It skips
// t when torch cannot be imported, so that cross-checks against PyTorch
// are optional, and fails t when the script fails.
func RunTorch(t testing.TB, script string, in, out any) {
	t.Helper()
	if why := torchMissing(); why != "" {
		t.Skip(why)
	}
	input, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("RunTorch: encoding the input: %v", err)
	}
	cmd := exec.Command(python, script)
	cmd.Stdin = bytes.NewReader(input)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("RunTorch: %s: %v\n%s", script, err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("RunTorch: %s printed something other than JSON: %v\n%s", script, err, stdout.String())
	}
}
