package display

import (
	"math"
	"runtime"
	"strings"
	"testing"
	"time"
)

// panicOf runs f and returns what it panicked with, nil if nothing.
func panicOf(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// TestMisuseIsReported calls the package the ways a notebook user might get
// wrong: each must panic with a string starting "display: " that names the
// mistake, never with a Go runtime error, and show nothing.
func TestMisuseIsReported(t *testing.T) {
	var nilHandle *Handle
	var nilBar *Progress
	var zeroBar Progress
	pngSig := "\x89PNG\r\n\x1a\n"
	made := &Handle{id: newID()} // as Data makes it, without showing anything
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"nil bundle", func() { Data(nil) }, `display: Data: the bundle is empty; give at least one MIME type, such as "text/plain"`},
		{"empty bundle", func() { Data(Bundle{}) }, "display: Data: the bundle is empty"},
		{"key without slash", func() { Data(Bundle{"html": "<b>x</b>"}) }, `display: Data: "html" is not a MIME type; keys are of the form type/subtype, such as "text/html"`},
		{"empty key", func() { Data(Bundle{"": "x"}) }, `display: Data: "" is not a MIME type`},
		{"key with parameters", func() { Data(Bundle{"text/html; charset=utf-8": "x"}) }, `display: Data: "text/html; charset=utf-8" is not a MIME type`},
		{"channel value", func() { Data(Bundle{"application/json": make(chan int)}) }, "display: Data: the application/json value, a chan int, cannot be encoded as JSON: json: unsupported type: chan int"},
		{"NaN value", func() { Data(Bundle{"application/json": math.NaN()}) }, "display: Data: the application/json value, a float64, cannot be encoded as JSON: json: unsupported value: NaN"},
		{"func value", func() { Data(Bundle{"text/plain": "x", "application/json": map[string]any{"f": func() {}}}) }, "display: Data: the application/json value, a map[string]interface {}, cannot be encoded as JSON"},
		{"nil handle Update", func() { nilHandle.Update(Bundle{"text/plain": "x"}) }, "display: Handle.Update called on a nil or zero Handle; get one from display.Data"},
		{"zero handle Update", func() { (&Handle{}).Update(Bundle{"text/plain": "x"}) }, "display: Handle.Update called on a nil or zero Handle"},
		{"empty Update", func() { made.Update(nil) }, "display: Handle.Update: the bundle is empty"},
		{"bad Update key", func() { made.Update(Bundle{"plain": "y"}) }, `display: Handle.Update: "plain" is not a MIME type`},
		{"PNG of nothing", func() { PNG(nil) }, "display: PNG: no image data (0 bytes)"},
		{"PNG of text", func() { PNG([]byte("plot.png")) }, `display: PNG: the bytes are not a PNG image: they start "plot.png", not "\x89PNG\r\n\x1a\n"`},
		{"PNG of a JPEG", func() { PNG([]byte("\xff\xd8\xff\xe0\x00\x10JFIF")) }, `display: PNG: the bytes are not a PNG image: they start "\xff\xd8\xff\xe0\x00\x10JF"`},
		{"PNG cut short", func() { PNG([]byte(pngSig[:4])) }, "display: PNG: the bytes are not a PNG image"},
		{"JPEG of a PNG", func() { JPEG([]byte(pngSig)) }, `display: JPEG: the bytes are not a JPEG image: they start "\x89PNG\r\n\x1a\n", not "\xff\xd8\xff"`},
		{"JPEG of nothing", func() { JPEG([]byte{}) }, "display: JPEG: no image data (0 bytes)"},
		{"SVG of nothing", func() { SVG("") }, `display: SVG: the text is not an SVG document: it has no <svg> element (it starts "")`},
		{"SVG of a file name", func() { SVG("chart.svg") }, `display: SVG: the text is not an SVG document: it has no <svg> element (it starts "chart.sv")`},
		{"JSON of a channel", func() { JSON(make(chan int)) }, "display: JSON: a chan int cannot be encoded as JSON: json: unsupported type: chan int"},
		{"JSON of a func", func() { JSON(func() {}) }, "display: JSON: a func() cannot be encoded as JSON"},
		{"JSON of NaN", func() { JSON(math.NaN()) }, "display: JSON: a float64 cannot be encoded as JSON: json: unsupported value: NaN"},
		{"JSON of +Inf in a map", func() { JSON(map[string]float64{"x": math.Inf(1)}) }, "display: JSON: a map[string]float64 cannot be encoded as JSON: json: unsupported value: +Inf"},
		{"JSON of invalid text", func() { JSON("{not json") }, "display: JSON: invalid JSON text"},
		{"JSON of empty text", func() { JSON("") }, "display: JSON: invalid JSON text: unexpected end of JSON input"},
		{"JSON of nil bytes", func() { JSON([]byte(nil)) }, "display: JSON: invalid JSON text"},
		{"nil bar Add", func() { nilBar.Add(1) }, "display: Progress.Add called on a nil or zero Progress; make one with display.NewProgress"},
		{"nil bar Set", func() { nilBar.Set(1) }, "display: Progress.Set called on a nil or zero Progress"},
		{"nil bar Describe", func() { nilBar.Describe("x") }, "display: Progress.Describe called on a nil or zero Progress"},
		{"nil bar Done", func() { nilBar.Done() }, "display: Progress.Done called on a nil or zero Progress"},
		{"zero bar Add", func() { zeroBar.Add(1) }, "display: Progress.Add called on a nil or zero Progress"},
		{"zero bar Done", func() { zeroBar.Done() }, "display: Progress.Done called on a nil or zero Progress"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := withSink(t)
			got := panicOf(tt.f)
			if _, ok := got.(runtime.Error); ok {
				t.Fatalf("raw runtime panic: %v", got)
			}
			if s, ok := got.(string); !ok || !strings.HasPrefix(s, tt.want) {
				t.Errorf("panic %#v, want a string starting %q", got, tt.want)
			}
			if len(r.got) != 0 {
				t.Errorf("published %v; the mistake must show nothing", r.got)
			}
		})
	}
}

// TestNilAndZeroValuesPrint checks the methods that a kernel calls on a
// cell's last value, and fmt on a printed one: they describe a nil or zero
// Handle or Progress instead of panicking.
func TestNilAndZeroValuesPrint(t *testing.T) {
	var nilHandle *Handle
	var nilBar *Progress
	tests := []struct {
		name string
		f    func() any
		want any
	}{
		{"nil handle DisplayID", func() any { return nilHandle.DisplayID() }, ""},
		{"nil handle String", func() any { return nilHandle.String() }, "<nil>"},
		{"zero handle DisplayID", func() any { return (&Handle{}).DisplayID() }, ""},
		{"nil bar DisplayID", func() any { return nilBar.DisplayID() }, ""},
		{"nil bar String", func() any { return nilBar.String() }, "<nil>"},
		{"nil bar MIMEBundle", func() any { return nilBar.MIMEBundle()["text/plain"] }, "<nil>"},
		{"zero bar DisplayID", func() any { return (&Progress{}).DisplayID() }, ""},
		{"zero bar String", func() any { return (&Progress{}).String() }, "<Progress: zero value; make one with display.NewProgress>"},
		{"zero bar MIMEBundle", func() any { return len((&Progress{}).MIMEBundle()) }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			if r := panicOf(func() { got = tt.f() }); r != nil {
				t.Fatalf("panicked: %v", r)
			}
			if got != tt.want {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

// TestProgressOutOfRange moves bars below zero, past their total and to
// huge counts: the bar stays between empty and full, with no panic, where
// strings.Repeat was given a negative count before.
func TestProgressOutOfRange(t *testing.T) {
	tests := []struct {
		name     string
		total, n int
		percent  string
	}{
		{"negative count", 10, -3, "  0%|" + strings.Repeat(" ", barWidth) + "|"},
		{"past total", 10, 25, "100%|" + strings.Repeat("█", barWidth) + "|"},
		{"huge count", 10, math.MaxInt, "100%|" + strings.Repeat("█", barWidth) + "|"},
		{"huge total", math.MaxInt, math.MaxInt / 2, " 50%|" + strings.Repeat("█", barWidth/2) + strings.Repeat(" ", barWidth/2) + "|"},
		{"zero total", 0, 7, "7 ["},
		{"negative total", -5, 7, "7 ["},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, notebook := range []bool{false, true} {
				if notebook {
					inNotebook(t)
				}
				clock := &fakeClock{t: time.Unix(0, 0)}
				p := newProgress(tt.total, clock.now, &strings.Builder{})
				clock.advance(time.Second)
				var text string
				if r := panicOf(func() {
					p.Set(tt.n)
					text = p.String()
					p.MIMEBundle()
					p.Add(-1)
					p.Done()
				}); r != nil {
					t.Fatalf("notebook %v: panicked: %v", notebook, r)
				}
				if !strings.HasPrefix(text, tt.percent) {
					t.Errorf("notebook %v: bar %q, want it to start %q", notebook, text, tt.percent)
				}
			}
		})
	}
}
