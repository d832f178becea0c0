package kernel

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCompleteUTF8(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"é", 2},
		{"a\xc3", 1},         // first byte of é
		{"a\xe2\x82", 1},     // two bytes of €
		{"a\xe2\x82\xac", 4}, // all of €
		{"\xf0\x9f\x98", 0},  // three bytes of an emoji
		{"a\x80", 2},         // a stray continuation byte is not held back forever
	} {
		if got := completeUTF8([]byte(tc.in)); got != tc.want {
			t.Errorf("completeUTF8(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// recorder collects published stream text per stream name.
type recorder struct {
	mu   sync.Mutex
	text map[string]*strings.Builder
}

func (r *recorder) publish(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.text[name] == nil {
		r.text[name] = &strings.Builder{}
	}
	r.text[name].WriteString(text)
}

func (r *recorder) get(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.text[name] == nil {
		return ""
	}
	return r.text[name].String()
}

func TestOutputFlushAndSplitRunes(t *testing.T) {
	stdout, stderr := pipe(t), pipe(t)
	o, err := newOutput(stdout[0], stderr[0])
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{text: map[string]*strings.Builder{}}
	o.start(r.publish)

	// Flush sends what was written before it, on both streams.
	stdout[1].WriteString("out 1\n")
	stderr[1].WriteString("err 1\n")
	o.Flush()
	if r.get("stdout") != "out 1\n" || r.get("stderr") != "err 1\n" {
		t.Fatalf("after Flush: stdout %q, stderr %q", r.get("stdout"), r.get("stderr"))
	}

	// A rune split across writes reaches the notebook whole: the pump
	// holds back an incomplete sequence until the rest arrives.
	stdout[1].WriteString("caf\xc3")
	for deadline := time.Now().Add(recvTimeout); r.get("stdout") != "out 1\ncaf" && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	stdout[1].WriteString("\xa9\n")
	o.Flush()
	if got := r.get("stdout"); got != "out 1\ncafé\n" {
		t.Fatalf("stdout %q", got)
	}

	// When the write end closes, the pump sends the rest and stops.
	stdout[1].WriteString("last\xc3")
	stdout[1].Close()
	for deadline := time.Now().Add(recvTimeout); !strings.HasSuffix(r.get("stdout"), "last\xc3") && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if got := r.get("stdout"); got != "out 1\ncafé\nlast\xc3" {
		t.Fatalf("stdout after close %q", got)
	}
}
