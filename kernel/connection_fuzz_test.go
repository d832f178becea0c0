package kernel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// validConnection is a connection file as jupyter_client writes one.
const validConnection = `{
  "shell_port": 50160, "iopub_port": 50161, "stdin_port": 50162,
  "control_port": 50163, "hb_port": 50164, "ip": "127.0.0.1",
  "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84", "transport": "tcp",
  "signature_scheme": "hmac-sha256", "kernel_name": "gorch"
}`

func TestParseConnectionInfo(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		err        string // a part of the error; empty for success
	}{
		{"valid", validConnection, ""},
		{"ipc", `{"transport": "ipc", "ip": "/tmp/k", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}`, ""},
		{"no transport means tcp", `{"ip": "::1", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}`, ""},
		{"not json", `shell_port=1`, "invalid character"},
		{"empty", ``, "unexpected end of JSON input"},
		{"array", `[]`, "cannot unmarshal array"},
		{"udp", `{"transport": "udp", "ip": "x"}`, `unsupported transport "udp"`},
		{"no ip", `{"shell_port": 1}`, "no ip"},
		{"missing port", `{"ip": "x", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4}`, "hb_port 0 is not a port"},
		{"negative port", `{"ip": "x", "shell_port": -1}`, "shell_port -1 is not a port"},
		{"port too big", `{"ip": "x", "shell_port": 65536}`, "shell_port 65536 is not a port"},
		{"fractional port", `{"ip": "x", "shell_port": 1.5}`, "cannot unmarshal number 1.5"},
		{"string port", `{"ip": "x", "shell_port": "1"}`, "cannot unmarshal string"},
		{"huge port", `{"ip": "x", "shell_port": 99999999999999999999}`, "cannot unmarshal number"},
		{"same port twice", `{"ip": "x", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 1}`, "shell_port and hb_port are both 1"},
		{"unknown scheme", `{"ip": "x", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "key": "k", "signature_scheme": "hmac-md5"}`, `unsupported signature_scheme "hmac-md5"`},
	} {
		ci, err := parseConnectionInfo("kernel.json", []byte(tc.json))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.err == "" && ci == nil:
			t.Errorf("%s: nil info and no error", tc.name)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.err)
		}
	}
}

func TestReadConnectionFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kernel.json")
	if _, err := ReadConnectionFile(path); err == nil || !strings.Contains(err.Error(), "reading connection file") {
		t.Errorf("missing file: error %v", err)
	}
	if err := os.WriteFile(path, []byte(validConnection), 0o600); err != nil {
		t.Fatal(err)
	}
	ci, err := ReadConnectionFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if ci.ShellPort != 50160 || ci.Key != "a0436f6c-1916-498b-8eb9-e81ab9368e84" {
		t.Errorf("read %+v", ci)
	}
}

// FuzzConnectionInfo checks that any bytes in a connection file give an
// error or a valid configuration, and that a valid one survives being
// written out and read again.
func FuzzConnectionInfo(f *testing.F) {
	for _, s := range []string{
		validConnection,
		`{"transport": "ipc", "ip": "/tmp/kernel-1", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "key": ""}`,
		`{"ip": "0.0.0.0", "shell_port": 65535, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "signature_scheme": "hmac-sha512", "key": "é\u0000"}`,
		`{"ip": "x", "shell_port": 0}`,
		`{"transport": "TCP", "ip": "x"}`,
		`{"IP": "x", "Shell_Port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "hb_port": 6}`,
		`{"ip": "x", "shell_port": 1e3}`,
		`{"ip": null, "key": null}`,
		"{\"ip\": \"\xff\xfe\"}",
		`null`,
		`{`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ci, err := parseConnectionInfo("kernel.json", data)
		if err != nil {
			if ci != nil {
				t.Fatalf("both info %+v and error %v", ci, err)
			}
			if !strings.HasPrefix(err.Error(), "kernel: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			return
		}
		checkConnectionInfo(t, ci)
		out, err := json.Marshal(ci)
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseConnectionInfo("kernel.json", out)
		if err != nil {
			t.Fatalf("%s does not read back: %v", out, err)
		}
		if !reflect.DeepEqual(ci, again) {
			t.Fatalf("round trip changed %+v into %+v", ci, again)
		}
	})
}

// checkConnectionInfo fails t unless ci is a configuration the kernel can
// start with.
func checkConnectionInfo(t *testing.T, ci *ConnectionInfo) {
	t.Helper()
	if ci.Transport != "tcp" && ci.Transport != "ipc" {
		t.Fatalf("transport %q", ci.Transport)
	}
	if ci.IP == "" {
		t.Fatal("empty ip")
	}
	ports := map[int]bool{}
	for _, p := range []int{ci.ShellPort, ci.ControlPort, ci.StdinPort, ci.IOPubPort, ci.HBPort} {
		if p < 1 || p > 65535 || ports[p] {
			t.Fatalf("ports %+v", ci)
		}
		ports[p] = true
	}
	if _, err := newSigner(ci.SignatureScheme, []byte(ci.Key)); err != nil {
		t.Fatal(err)
	}
}
