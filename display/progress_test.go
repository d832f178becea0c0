package display

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a Publisher that keeps what it is given.
type recorder struct {
	mu       sync.Mutex
	messages []published
}

type published struct {
	data   map[string]any
	id     string
	update bool
}

func (r *recorder) Publish(data, _ map[string]any, id string, update bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.messages = append(r.messages, published{data, id, update})
}

func (r *recorder) Clear(bool) {}

// fakeClock is a clock that moves only when told.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// inNotebook routes the package's output to a recorder for one test.
func inNotebook(t *testing.T) *recorder {
	r := &recorder{}
	SetPublisher(r)
	t.Cleanup(func() { SetPublisher(nil) })
	return r
}

func TestProgressNotebook(t *testing.T) {
	r := inNotebook(t)
	clock := &fakeClock{t: time.Unix(0, 0)}
	p := newProgress(10, clock.now, nil).Describe("epoch 1")
	for range 10 {
		clock.advance(50 * time.Millisecond)
		p.Add(1)
	}
	p.Done()

	if len(r.messages) == 0 {
		t.Fatal("nothing published")
	}
	first := r.messages[0]
	if first.update {
		t.Errorf("first message is an update; want a new display")
	}
	if p.DisplayID() != first.id {
		t.Errorf("DisplayID %q, want the display's id %q", p.DisplayID(), first.id)
	}
	for i, m := range r.messages[1:] {
		if !m.update || m.id != first.id {
			t.Errorf("message %d: update=%v id=%q; want an update of display %q", i+1, m.update, m.id, first.id)
		}
	}
	// Ten steps 50 ms apart are redrawn at most every 100 ms: about five
	// redraws, plus the first state, the completion and Done.
	if n := len(r.messages); n > 8 {
		t.Errorf("%d messages for 10 steps in 500 ms; redrawing is not rate-limited", n)
	}
	last := r.messages[len(r.messages)-1].data
	for mime, want := range map[string][]string{
		"text/plain": {"epoch 1: ", "100%|", "10/10", "[00:01<00:00, 20.0 it/s]"},
		"text/html":  {"<progress value=\"10\" max=\"10\"", "100%", "epoch 1", "20.0 it/s"},
	} {
		got, _ := last[mime].(string)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("final %s is %q; want it to contain %q", mime, got, w)
			}
		}
	}
}

func TestProgressDoneStops(t *testing.T) {
	r := inNotebook(t)
	clock := &fakeClock{t: time.Unix(0, 0)}
	p := newProgress(4, clock.now, nil)
	p.Set(2)
	p.Done()
	n := len(r.messages)
	clock.advance(time.Second)
	p.Add(1)
	p.Done()
	if len(r.messages) != n {
		t.Errorf("Add and Done after Done published %d more messages", len(r.messages)-n)
	}
	if got := p.String(); !strings.Contains(got, "2/4") {
		t.Errorf("after Done, String() = %q; want the count frozen at 2/4", got)
	}
}

func TestProgressText(t *testing.T) {
	tests := []struct {
		name    string
		total   int
		steps   []int // Set calls, each one second after the previous
		desc    string
		want    string
		wantNot string
	}{
		{"start", 100, nil, "", "  0%|                    | 0/100 [00:00<?, ? it/s]", ""},
		{"half", 100, []int{25, 50}, "", " 50%|██████████          | 50/100 [00:02<00:02, 25.0 it/s]", ""},
		{"label", 4, []int{1}, "load", "load:  25%|█████               | 1/4 [00:01<00:03, 1.0 it/s]", ""},
		{"slow", 10, []int{0, 0, 1}, "", "1/10 [00:03<00:27, 3.0 s/it]", ""},
		{"unknown total", 0, []int{7, 14}, "", "14 [00:02, 7.0 it/s]", "%"},
		{"past the end", 3, []int{5}, "", "100%|████████████████████| 5/3 [00:01<00:00, 5.0 it/s]", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{t: time.Unix(0, 0)}
			var out strings.Builder
			p := newProgress(tt.total, clock.now, &out).Describe(tt.desc)
			for _, n := range tt.steps {
				clock.advance(time.Second)
				p.Set(n)
			}
			if got := p.String(); got != tt.want && !strings.HasSuffix(got, tt.want) {
				t.Errorf("String() = %q; want %q", got, tt.want)
			}
			if tt.wantNot != "" && strings.Contains(p.String(), tt.wantNot) {
				t.Errorf("String() = %q; want no %q", p.String(), tt.wantNot)
			}
		})
	}
}

func TestProgressTextMode(t *testing.T) {
	SetPublisher(nil)
	clock := &fakeClock{t: time.Unix(0, 0)}
	var out strings.Builder
	p := newProgress(1000, clock.now, &out)
	if p.DisplayID() != "" {
		t.Errorf("DisplayID %q in text mode, want none", p.DisplayID())
	}
	clock.advance(time.Second)
	p.Set(999)
	clock.advance(time.Second)
	p.Set(1000)
	p.Done()
	lines := strings.Split(out.String(), "\r")
	if lines[0] != "" {
		t.Errorf("output starts with %q; want every redraw to begin with a carriage return", lines[0])
	}
	if len(lines) != 5 { // "", start, 999, 1000, Done
		t.Errorf("%d redraws, want 4: %q", len(lines)-1, out.String())
	}
	if !strings.HasSuffix(out.String(), "1000/1000 [00:02<00:00, 500.0 it/s]\n") {
		t.Errorf("text output ends %q; want the final state and a newline", out.String())
	}
	// A shorter line must blank what is left of a longer one.
	for i := 2; i < len(lines); i++ {
		if len(lines[i]) < len(strings.TrimRight(lines[i-1], " ")) {
			t.Errorf("redraw %d is shorter than the line before: %q after %q", i, lines[i], lines[i-1])
		}
	}
}

func TestClock(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "00:00"},
		{1500 * time.Millisecond, "00:02"},
		{59*time.Minute + 59*time.Second, "59:59"},
		{time.Hour + 2*time.Minute + 3*time.Second, "1:02:03"},
		{27 * time.Hour, "27:00:00"},
	}
	for _, tt := range tests {
		if got := clock(tt.d); got != tt.want {
			t.Errorf("clock(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func BenchmarkProgressAdd(b *testing.B) {
	r := &recorder{}
	SetPublisher(r)
	defer SetPublisher(nil)
	p := NewProgress(b.N)
	for range b.N {
		p.Add(1)
	}
	p.Done()
}
