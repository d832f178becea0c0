package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const (
	testHeader = `{"msg_id":"1","msg_type":"kernel_info_request"}`
	// testSig is Python's hmac.new(b"secret", digestmod=hashlib.sha256)
	// over testHeader, {}, {}, {}: the signature jupyter_client sends.
	testSig = "0fca6e189cdcc0095e523565e0900c86cd24e5e0bfab2105ab98d33a07a29a4e"
)

func frames(parts ...string) [][]byte {
	out := make([][]byte, len(parts))
	for i, p := range parts {
		out[i] = []byte(p)
	}
	return out
}

func mustSigner(t testing.TB, scheme, key string) *signer {
	t.Helper()
	s, err := newSigner(scheme, []byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignMatchesPython(t *testing.T) {
	s := mustSigner(t, "hmac-sha256", "secret")
	got := s.sign([4][]byte{[]byte(testHeader), []byte("{}"), []byte("{}"), []byte("{}")})
	if string(got) != testSig {
		t.Fatalf("sign = %s, want %s", got, testSig)
	}
}

func TestNewSignerSchemes(t *testing.T) {
	for _, tc := range []struct {
		scheme, key string
		sigLen      int
		fails       bool
	}{
		{"hmac-sha256", "k", 64, false},
		{"", "k", 64, false},
		{"hmac-sha512", "k", 128, false},
		{"hmac-sha1", "k", 40, false},
		{"hmac-md5", "k", 0, true},
		{"hmac-md5", "", 0, false}, // an empty key signs nothing, whatever the scheme
	} {
		s, err := newSigner(tc.scheme, []byte(tc.key))
		if (err != nil) != tc.fails {
			t.Errorf("newSigner(%q, %q) error = %v, want failure %v", tc.scheme, tc.key, err, tc.fails)
			continue
		}
		if err == nil {
			if n := len(s.sign([4][]byte{})); n != tc.sigLen {
				t.Errorf("newSigner(%q, %q): signature length %d, want %d", tc.scheme, tc.key, n, tc.sigLen)
			}
		}
	}
}

func TestDecode(t *testing.T) {
	signed := mustSigner(t, "hmac-sha256", "secret")
	unsigned := mustSigner(t, "hmac-sha256", "")
	for _, tc := range []struct {
		name    string
		s       *signer
		frames  [][]byte
		err     error // nil: decodes; errAny: some error
		ids     int
		buffers int
	}{
		{"signed", signed, frames("id", "<IDS|MSG>", testSig, testHeader, "{}", "{}", "{}"), nil, 1, 0},
		{"upper-case signature", signed, frames("<IDS|MSG>", strings.ToUpper(testSig), testHeader, "{}", "{}", "{}"), nil, 0, 0},
		{"two identities and buffers", signed, frames("a", "b", "<IDS|MSG>", testSig, testHeader, "{}", "{}", "{}", "buf1", "buf2"), nil, 2, 2},
		{"forged", signed, frames("<IDS|MSG>", strings.Repeat("0", 64), testHeader, "{}", "{}", "{}"), errBadSignature, 0, 0},
		{"tampered content", signed, frames("<IDS|MSG>", testSig, testHeader, "{}", "{}", `{"code":"rm"}`), errBadSignature, 0, 0},
		{"missing signature", signed, frames("<IDS|MSG>", "", testHeader, "{}", "{}", "{}"), errBadSignature, 0, 0},
		{"unsigned key accepts any", unsigned, frames("<IDS|MSG>", "whatever", testHeader, "{}", "{}", "{}"), nil, 0, 0},
		{"no delimiter", signed, frames("id", testSig, testHeader, "{}", "{}", "{}"), errNoDelimiter, 0, 0},
		{"short", signed, frames("<IDS|MSG>", testSig, testHeader, "{}", "{}"), errShortMessage, 0, 0},
		{"bad header", unsigned, frames("<IDS|MSG>", "", "[", "{}", "{}", "{}"), errAny, 0, 0},
		{"no msg_type", unsigned, frames("<IDS|MSG>", "", `{"msg_id":"1"}`, "{}", "{}", "{}"), errAny, 0, 0},
		{"content not JSON", unsigned, frames("<IDS|MSG>", "", testHeader, "{}", "{}", "{"), errAny, 0, 0},
	} {
		m, err := decode(tc.frames, tc.s)
		switch {
		case tc.err == errAny && err == nil, tc.err != errAny && !errors.Is(err, tc.err):
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.err)
		case err == nil:
			if m.Header.MsgType != "kernel_info_request" || len(m.Identities) != tc.ids || len(m.Buffers) != tc.buffers {
				t.Errorf("%s: decoded %+v", tc.name, m)
			}
		}
	}
}

var errAny = errors.New("any error")

func TestEncodeDecodeRoundTrip(t *testing.T) {
	s := mustSigner(t, "hmac-sha256", "secret")
	out := outgoing{
		identities: [][]byte{[]byte("client")},
		msgType:    "execute_reply",
		parent:     json.RawMessage(testHeader),
		metadata:   map[string]any{"started": "now"},
		content:    map[string]any{"status": "ok", "execution_count": 3},
	}
	fr, err := out.encode(s, "session-1")
	if err != nil {
		t.Fatal(err)
	}
	m, err := decode(fr, s)
	if err != nil {
		t.Fatal(err)
	}
	var content struct {
		Status         string `json:"status"`
		ExecutionCount int    `json:"execution_count"`
	}
	if err := json.Unmarshal(m.Content, &content); err != nil {
		t.Fatal(err)
	}
	h := m.Header
	if h.MsgType != "execute_reply" || h.Session != "session-1" || h.Version != ProtocolVersion || len(h.MsgID) != 36 ||
		!bytes.Equal(m.Parent, []byte(testHeader)) || string(m.Identities[0]) != "client" ||
		content.Status != "ok" || content.ExecutionCount != 3 {
		t.Fatalf("round trip gave header %+v parent %s content %+v", h, m.Parent, content)
	}
	if _, err := decode(fr, mustSigner(t, "hmac-sha256", "other key")); !errors.Is(err, errBadSignature) {
		t.Fatalf("decode with another key: %v, want errBadSignature", err)
	}
}

func FuzzDecode(f *testing.F) {
	sep := []byte{0xff, 0x00}
	f.Add(bytes.Join(frames("id", "<IDS|MSG>", testSig, testHeader, "{}", "{}", "{}"), sep), "secret")
	f.Add(bytes.Join(frames("<IDS|MSG>", "", testHeader, "{}", "{}", "{}", "buf"), sep), "")
	f.Add([]byte("<IDS|MSG>"), "")
	f.Fuzz(func(t *testing.T, data []byte, key string) {
		s := mustSigner(t, "hmac-sha256", key)
		fr := bytes.Split(data, sep)
		m, err := decode(fr, s)
		if err != nil {
			return
		}
		// Whatever decodes was signed with the key and re-encodes.
		if m.Header.MsgType == "" || !json.Valid(m.Content) {
			t.Fatalf("decoded an invalid message: %+v", m)
		}
		d := len(m.Identities)
		if !s.verify(fr[d+1], [4][]byte{m.RawHeader, m.Parent, m.Metadata, m.Content}) {
			t.Fatal("decoded a message whose signature does not verify")
		}
		out := outgoing{identities: m.Identities, msgType: m.Header.MsgType, parent: m.RawHeader, content: m.Content}
		if _, err := out.encode(s, "s"); err != nil {
			t.Fatalf("re-encoding: %v", err)
		}
	})
}
