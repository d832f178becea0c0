package kernel

import (
	"encoding/json"
	"fmt"
	"os"
)

// ConnectionInfo is the content of the connection file a Jupyter client
// writes before it starts the kernel: where to bind the five sockets and how
// to sign messages.
type ConnectionInfo struct {
	Transport       string `json:"transport"` // "tcp" or "ipc"; empty means "tcp"
	IP              string `json:"ip"`        // for ipc, the path prefix of the socket files
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	StdinPort       int    `json:"stdin_port"`
	IOPubPort       int    `json:"iopub_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`              // empty means unsigned messages
	SignatureScheme string `json:"signature_scheme"` // empty means "hmac-sha256"
	KernelName      string `json:"kernel_name"`
}

// ReadConnectionFile reads and checks a connection file.
func ReadConnectionFile(path string) (*ConnectionInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("kernel: reading connection file: %w", err)
	}
	return parseConnectionInfo(path, data)
}

// parseConnectionInfo decodes and checks data, the content of the
// connection file name: the transport is tcp or ipc, there is an ip, the
// five ports are distinct numbers from 1 to 65535, and a non-empty key comes
// with a known signature scheme.
func parseConnectionInfo(name string, data []byte) (*ConnectionInfo, error) {
	var ci ConnectionInfo
	if err := json.Unmarshal(data, &ci); err != nil {
		return nil, fmt.Errorf("kernel: connection file %s: %w", name, err)
	}
	if ci.Transport == "" {
		ci.Transport = "tcp"
	}
	if ci.Transport != "tcp" && ci.Transport != "ipc" {
		return nil, fmt.Errorf("kernel: connection file %s: unsupported transport %q", name, ci.Transport)
	}
	if ci.IP == "" {
		return nil, fmt.Errorf("kernel: connection file %s: no ip", name)
	}
	seen := map[int]string{}
	for _, p := range []struct {
		name string
		port int
	}{{"shell_port", ci.ShellPort}, {"control_port", ci.ControlPort},
		{"stdin_port", ci.StdinPort}, {"iopub_port", ci.IOPubPort}, {"hb_port", ci.HBPort}} {
		if p.port <= 0 || p.port > 65535 {
			return nil, fmt.Errorf("kernel: connection file %s: %s %d is not a port", name, p.name, p.port)
		}
		if other, dup := seen[p.port]; dup {
			return nil, fmt.Errorf("kernel: connection file %s: %s and %s are both %d", name, other, p.name, p.port)
		}
		seen[p.port] = p.name
	}
	if _, err := newSigner(ci.SignatureScheme, []byte(ci.Key)); err != nil {
		return nil, err
	}
	return &ci, nil
}

// endpoint is the ZeroMQ address of port, in the kernel's buffered
// transports (see transport.go): jupyter_client names ipc sockets
// "IP-PORT", where IP is a path.
func (ci *ConnectionInfo) endpoint(port int) string {
	if ci.Transport == "ipc" {
		return fmt.Sprintf("gorch-ipc://%s-%d", ci.IP, port)
	}
	return fmt.Sprintf("gorch-tcp://%s:%d", ci.IP, port)
}
