package kernel

import (
	"bytes"
	"encoding/binary"
	"net"
	"slices"
	"strings"
	"testing"
)

// recordingConn records each write that reaches the network.
type recordingConn struct {
	net.Conn
	writes [][]byte
}

func (c *recordingConn) Write(p []byte) (int, error) {
	c.writes = append(c.writes, append([]byte(nil), p...))
	return len(p), nil
}

func longHeader(flags byte, size int) []byte {
	h := make([]byte, 9)
	h[0] = flags | 0x02
	binary.BigEndian.PutUint64(h[1:], uint64(size))
	return h
}

func TestBufferedConnWritesWholeMessages(t *testing.T) {
	greeting := bytes.Repeat([]byte{'g'}, zmtpGreetingLen)
	long := []byte(strings.Repeat("x", 300))
	for _, tc := range []struct {
		name   string
		writes [][]byte
		sent   []int // sizes of the writes that reach the network
	}{
		{"greeting", [][]byte{greeting}, []int{64}},
		{"greeting in parts", [][]byte{greeting[:10], greeting[10:]}, []int{64}},
		{"one-frame message", [][]byte{greeting, {0x00, 3}, []byte("abc")}, []int{64, 5}},
		{"three frames, written as zmq4 does", [][]byte{greeting, {0x01, 1}, []byte("a"), {0x01, 2}, []byte("bc"), {0x00, 0}, {}}, []int{64, 9}},
		{"command", [][]byte{greeting, {0x04, 5}, []byte("READY")}, []int{64, 7}},
		{"long frame", [][]byte{greeting, longHeader(0x00, 300), long}, []int{64, 309}},
		{"long frame in more frames", [][]byte{greeting, longHeader(0x01, 300), long, {0x00, 1}, []byte("z")}, []int{64, 312}},
		{"a whole message in one write", [][]byte{greeting, {0x01, 1, 'a', 0x00, 1, 'b'}}, []int{64, 6}},
		{"incomplete message stays", [][]byte{greeting, {0x01, 1}, []byte("a")}, []int{64}},
		{"two messages", [][]byte{greeting, {0x00, 1}, []byte("a"), {0x00, 1}, []byte("b")}, []int{64, 3, 3}},
	} {
		rc := &recordingConn{}
		c := newBufferedConn(rc)
		for _, w := range tc.writes {
			if n, err := c.Write(w); n != len(w) || err != nil {
				t.Fatalf("%s: Write = %d, %v", tc.name, n, err)
			}
		}
		var sizes []int
		var all []byte
		for _, w := range rc.writes {
			sizes = append(sizes, len(w))
			all = append(all, w...)
		}
		if !slices.Equal(sizes, tc.sent) {
			t.Errorf("%s: network writes of %v bytes, want %v", tc.name, sizes, tc.sent)
		}
		if want := bytes.Join(tc.writes, nil); !bytes.HasPrefix(want, all) {
			t.Errorf("%s: the bytes sent are not the bytes written", tc.name)
		}
	}
}
