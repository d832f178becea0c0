package kernel

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"sync"
	"time"
)

// The wire format of a Jupyter message (messaging spec, "The Wire Protocol"):
//
//	[identities...] <IDS|MSG> signature header parent_header metadata content [buffers...]
//
// The signature is the hex HMAC of the four JSON frames that follow it, in order.

// ProtocolVersion is the version of the Jupyter messaging protocol the kernel speaks.
const ProtocolVersion = "5.3"

var delimiter = []byte("<IDS|MSG>")

// header is the header of a Jupyter message.
type header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// message is one decoded Jupyter message. Incoming messages keep their JSON
// frames raw: handlers decode Content into the struct they expect, and a
// reply echoes the request's header bytes as its parent_header unchanged.
type message struct {
	Identities [][]byte
	Header     header
	RawHeader  json.RawMessage
	Parent     json.RawMessage
	Metadata   json.RawMessage
	Content    json.RawMessage
	Buffers    [][]byte
}

// Errors of decode.
var (
	errNoDelimiter  = errors.New("kernel: message has no <IDS|MSG> delimiter")
	errShortMessage = errors.New("kernel: message has fewer than 5 frames after the delimiter")
	errBadSignature = errors.New("kernel: message signature does not match")
)

// signer signs and verifies messages with the connection file's key. The zero
// value, and any signer with an empty key, signs with "" and accepts anything,
// as the spec says for an empty key.
type signer struct {
	key  []byte
	pool *sync.Pool // of hash.Hash, since HMAC setup costs two hash blocks per message
}

// newSigner returns a signer for scheme, such as "hmac-sha256".
func newSigner(scheme string, key []byte) (*signer, error) {
	if len(key) == 0 {
		return &signer{}, nil
	}
	var h func() hash.Hash
	switch scheme {
	case "hmac-sha256", "":
		h = sha256.New
	case "hmac-sha512":
		h = sha512.New
	case "hmac-sha1":
		h = sha1.New
	default:
		return nil, fmt.Errorf("kernel: unsupported signature_scheme %q", scheme)
	}
	s := &signer{key: key}
	s.pool = &sync.Pool{New: func() any { return hmac.New(h, s.key) }}
	return s, nil
}

// sign returns the hex signature of the four JSON frames.
func (s *signer) sign(frames [4][]byte) []byte {
	if s == nil || len(s.key) == 0 {
		return nil
	}
	mac := s.pool.Get().(hash.Hash)
	mac.Reset()
	for _, f := range frames {
		mac.Write(f)
	}
	var sum [sha512.Size]byte
	raw := mac.Sum(sum[:0])
	s.pool.Put(mac)
	out := make([]byte, hex.EncodedLen(len(raw)))
	hex.Encode(out, raw)
	return out
}

// verify reports whether sig is the signature of frames, in constant time.
func (s *signer) verify(sig []byte, frames [4][]byte) bool {
	if s == nil || len(s.key) == 0 {
		return true
	}
	// Compare lower-case hex: Python's hexdigest is lower case, and a
	// client that sends upper case is still signing the same bytes.
	return hmac.Equal(s.sign(frames), bytes.ToLower(sig))
}

// decode parses a multipart message received on a ROUTER socket and verifies
// its signature. It returns errBadSignature for a forged or corrupted message.
func decode(frames [][]byte, s *signer) (*message, error) {
	d := -1
	for i, f := range frames {
		if bytes.Equal(f, delimiter) {
			d = i
			break
		}
	}
	if d < 0 {
		return nil, errNoDelimiter
	}
	rest := frames[d+1:]
	if len(rest) < 5 {
		return nil, errShortMessage
	}
	body := [4][]byte{rest[1], rest[2], rest[3], rest[4]}
	if !s.verify(rest[0], body) {
		return nil, errBadSignature
	}
	m := &message{
		Identities: frames[:d],
		RawHeader:  rest[1],
		Parent:     rest[2],
		Metadata:   rest[3],
		Content:    rest[4],
		Buffers:    rest[5:],
	}
	if err := json.Unmarshal(rest[1], &m.Header); err != nil {
		return nil, fmt.Errorf("kernel: bad message header: %w", err)
	}
	if m.Header.MsgType == "" {
		return nil, errors.New("kernel: message header has no msg_type")
	}
	if !json.Valid(m.Content) {
		return nil, errors.New("kernel: message content is not JSON")
	}
	return m, nil
}

// outgoing is a message the kernel sends: everything but the header is
// already known, and parent is the request's raw header (or nil for none).
type outgoing struct {
	identities [][]byte
	msgType    string
	parent     json.RawMessage
	metadata   any
	content    any
}

// encode builds the frames of m with a fresh header for session, signed by s.
func (m *outgoing) encode(s *signer, session string) ([][]byte, error) {
	hdr, err := json.Marshal(header{
		MsgID:    newID(),
		Session:  session,
		Username: "kernel",
		Date:     time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"),
		MsgType:  m.msgType,
		Version:  ProtocolVersion,
	})
	if err != nil {
		return nil, err
	}
	parent := []byte(m.parent)
	if len(parent) == 0 {
		parent = []byte("{}")
	}
	meta := []byte("{}")
	if m.metadata != nil {
		if meta, err = json.Marshal(m.metadata); err != nil {
			return nil, err
		}
	}
	content, err := json.Marshal(m.content)
	if err != nil {
		return nil, err
	}
	body := [4][]byte{hdr, parent, meta, content}
	frames := make([][]byte, 0, len(m.identities)+6)
	frames = append(frames, m.identities...)
	frames = append(frames, delimiter, s.sign(body))
	return append(frames, body[:]...), nil
}

// newID returns a random UUID (version 4) as the spec suggests for msg_id.
func newID() string {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	hex.Encode(b[9:13], u[4:6])
	hex.Encode(b[14:18], u[6:8])
	hex.Encode(b[19:23], u[8:10])
	hex.Encode(b[24:], u[10:])
	b[8], b[13], b[18], b[23] = '-', '-', '-', '-'
	return string(b[:])
}
