package display

import (
	"encoding/base64"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
)

type shown struct {
	data   map[string]any
	id     string
	update bool
}

// sink is a Publisher that remembers what it was given.
type sink struct {
	mu     sync.Mutex
	got    []shown
	clears []bool
}

func (r *sink) Publish(data, metadata map[string]any, id string, update bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, shown{data, id, update})
}

func (r *sink) Clear(wait bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clears = append(r.clears, wait)
}

func withSink(t *testing.T) *sink {
	r := &sink{}
	SetPublisher(r)
	t.Cleanup(func() { SetPublisher(nil) })
	return r
}

func TestBundles(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00")
	jpeg := []byte("\xff\xd8\xff\xe0")
	tests := []struct {
		name string
		show func() *Handle
		want map[string]any
	}{
		{"HTML", func() *Handle { return HTML("<b>bold</b> &amp; more") }, map[string]any{"text/html": "<b>bold</b> &amp; more", "text/plain": "bold & more"}},
		{"Markdown", func() *Handle { return Markdown("# Title") }, map[string]any{"text/markdown": "# Title", "text/plain": "# Title"}},
		{"Text", func() *Handle { return Text("plain") }, map[string]any{"text/plain": "plain"}},
		{"SVG", func() *Handle { return SVG("<svg/>") }, map[string]any{"image/svg+xml": "<svg/>", "text/plain": "<SVG image, 6 bytes>"}},
		{"PNG", func() *Handle { return PNG(png) }, map[string]any{"image/png": base64.StdEncoding.EncodeToString(png), "text/plain": "<PNG image, 9 bytes>"}},
		{"JPEG", func() *Handle { return JPEG(jpeg) }, map[string]any{"image/jpeg": base64.StdEncoding.EncodeToString(jpeg), "text/plain": "<JPEG image, 4 bytes>"}},
		{"Data", func() *Handle { return Data(Bundle{"application/x-custom": 1}) }, map[string]any{"application/x-custom": 1}},
	}
	for _, tt := range tests {
		r := withSink(t)
		h := tt.show()
		if len(r.got) != 1 {
			t.Fatalf("%s: shown %d times", tt.name, len(r.got))
		}
		p := r.got[0]
		if p.update || p.id != h.DisplayID() || p.id == "" {
			t.Errorf("%s: update %v, id %q, handle id %q", tt.name, p.update, p.id, h.DisplayID())
		}
		for k, v := range tt.want {
			if p.data[k] != v {
				t.Errorf("%s: %s = %v, want %v", tt.name, k, p.data[k], v)
			}
		}
		if len(p.data) != len(tt.want) {
			t.Errorf("%s: bundle %v, want %v", tt.name, p.data, tt.want)
		}
	}
}

func TestJSON(t *testing.T) {
	r := withSink(t)
	JSON(map[string]int{"a": 1})
	JSON(`{"b": [true]}`)
	if m, ok := r.got[0].data["application/json"].(map[string]any); !ok || m["a"] != float64(1) {
		t.Errorf("JSON of a map: %v", r.got[0].data)
	}
	if m, ok := r.got[1].data["application/json"].(map[string]any); !ok || m["b"] == nil {
		t.Errorf("JSON of text: %v", r.got[1].data)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("JSON of invalid text did not panic")
		}
	}()
	JSON("{not json")
}

func TestUpdateAndClear(t *testing.T) {
	r := withSink(t)
	h := Markdown("0")
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.Update(Bundle{"text/plain": "n"})
		}()
	}
	wg.Wait()
	Clear(true)
	if len(r.got) != 11 {
		t.Fatalf("shown %d times, want 11", len(r.got))
	}
	for _, p := range r.got[1:] {
		if !p.update || p.id != h.DisplayID() {
			t.Errorf("update %+v, want update of %s", p, h.DisplayID())
		}
	}
	if len(r.clears) != 1 || !r.clears[0] {
		t.Errorf("clears %v", r.clears)
	}
	if other := Text("x"); other.DisplayID() == h.DisplayID() {
		t.Errorf("two displays share id %s", h.DisplayID())
	}
}

func TestFallbackPrintsText(t *testing.T) {
	SetPublisher(nil)
	read, write, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = write
	HTML("<i>hi</i>")
	Data(Bundle{"image/png": "xx", "application/json": 1})
	Clear(false)
	os.Stdout = saved
	write.Close()
	out, _ := io.ReadAll(read)
	if want := "hi\n<application/json, image/png>\n"; string(out) != want {
		t.Errorf("fallback printed %q, want %q", out, want)
	}
	if !strings.HasPrefix((&Handle{id: "x"}).String(), "display") {
		t.Errorf("String of a handle")
	}
}
