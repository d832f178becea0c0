// Package display shows rich content in the notebook a cell runs in: HTML,
// Markdown, images, SVG, JSON and any MIME bundle, in displays that can be
// updated in place.
//
// Each function shows its content at once, as its own output of the running
// cell, and returns a [*Handle] whose [Handle.Update] replaces that output
// later, even from another goroutine or a later cell:
//
//	h := display.Markdown("starting…")
//	for i := range 10 {
//		h.Update(display.Bundle{"text/markdown": fmt.Sprintf("step %d", i)})
//	}
//
// Inside the gorch kernel the evaluator connects the package to the notebook
// with [SetPublisher]. Elsewhere, in a Go program that uses gorch as a
// library, the functions print a text form of the content to standard output.
//
// All functions are safe for concurrent use. Misuse, such as an empty
// bundle or bytes that are not the image they claim to be, panics with a
// string starting "display: " that names the mistake.
package display

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
)

// Bundle maps MIME types to content, as Jupyter's display messages carry it:
// "text/plain", "text/html", "text/markdown" and "image/svg+xml" to strings,
// "image/png" and "image/jpeg" to base64 text, "application/json" to any
// JSON-encodable value. It is a plain map so that map literals and the
// bundles of [Renderer] values can be passed as they are.
type Bundle = map[string]any

// Renderer is implemented by values that can show themselves richly, such
// as tensors. The kernel shows a cell's last value through MIMEBundle when
// the value implements it; the bundle should include "text/plain".
type Renderer interface {
	MIMEBundle() map[string]any
}

// Displayed is implemented by values that put themselves in the notebook
// when they are made and keep that display up to date, as [Handle] and
// [Progress] do. The kernel does not show such a value again when a cell
// leaves it as its last value.
type Displayed interface {
	// DisplayID returns the id of the value's display, or "" when it has
	// none because the package prints text (no notebook is connected).
	DisplayID() string
}

var (
	_ Displayed = (*Handle)(nil)
	_ Displayed = (*Progress)(nil)
)

// Publisher receives everything the package shows. The kernel's evaluator
// installs one that forwards to the notebook; id names the display for later
// updates, and update is true when the content replaces an earlier display.
type Publisher interface {
	Publish(data, metadata map[string]any, id string, update bool)
	Clear(wait bool)
}

var (
	mu  sync.Mutex
	pub Publisher
)

// SetPublisher routes all later output of the package to p. A nil p restores
// the text fallback that prints to standard output.
func SetPublisher(p Publisher) {
	mu.Lock()
	pub = p
	mu.Unlock()
}

func publisher() Publisher {
	mu.Lock()
	defer mu.Unlock()
	return pub
}

// Handle names one display. Its zero value is not usable; get one from
// [Data] or the functions built on it.
type Handle struct {
	id string
}

// DisplayID returns the display id, unique within the process, that update
// messages for this display carry; "" for a nil or zero h, which names no
// display.
func (h *Handle) DisplayID() string {
	if h == nil {
		return ""
	}
	return h.id
}

// Update replaces the content of the display with b. Only the output that h
// names changes; other outputs of the cell stay as they are. It panics if h
// is nil or zero, and for a bundle that [Data] would refuse.
func (h *Handle) Update(b Bundle) {
	if h.DisplayID() == "" {
		panicf("Handle.Update called on a nil or zero Handle; get one from display.Data or the functions built on it")
	}
	checkBundle("Handle.Update", b)
	publish(b, h.id, true)
}

// String returns a short description, so that printing a handle does not
// repeat its content; "<nil>" for a nil h.
func (h *Handle) String() string {
	if h == nil {
		return "<nil>"
	}
	return "display " + h.id
}

// Data shows the MIME bundle b and returns a handle to update it. It panics
// if b is empty, if a key is not a MIME type of the form type/subtype, or
// if a value cannot be encoded as JSON, which the notebook's messages are.
func Data(b Bundle) *Handle {
	checkBundle("Data", b)
	h := &Handle{id: newID()}
	publish(b, h.id, false)
	return h
}

// checkBundle panics, naming fn, unless b can be shown: it has an entry,
// its keys are MIME types and its values encode as JSON. Strings, the
// common case, always encode.
func checkBundle(fn string, b Bundle) {
	if len(b) == 0 {
		panicf("%s: the bundle is empty; give at least one MIME type, such as \"text/plain\"", fn)
	}
	for _, k := range slices.Sorted(maps.Keys(b)) {
		typ, sub, ok := strings.Cut(k, "/")
		if !ok || typ == "" || sub == "" || strings.ContainsAny(k, " \t\n;") {
			panicf("%s: %q is not a MIME type; keys are of the form type/subtype, such as \"text/html\"", fn, k)
		}
		if _, isString := b[k].(string); isString {
			continue
		}
		if _, err := json.Marshal(b[k]); err != nil {
			panicf("%s: the %s value, a %T, cannot be encoded as JSON: %v", fn, k, b[k], err)
		}
	}
}

// HTML shows s as HTML. Its text form, for consoles and text exports, is s
// without tags.
func HTML(s string) *Handle {
	return Data(Bundle{"text/html": s, "text/plain": stripTags(s)})
}

// Markdown shows s rendered as Markdown.
func Markdown(s string) *Handle {
	return Data(Bundle{"text/markdown": s, "text/plain": s})
}

// Text shows s as plain text.
func Text(s string) *Handle {
	return Data(Bundle{"text/plain": s})
}

// SVG shows s, the text of an SVG document. It panics if s has no <svg>
// element.
func SVG(s string) *Handle {
	if !strings.Contains(s, "<svg") {
		panicf("SVG: the text is not an SVG document: it has no <svg> element (it starts %q)", head(s))
	}
	return Data(Bundle{"image/svg+xml": s, "text/plain": fmt.Sprintf("<SVG image, %d bytes>", len(s))})
}

// PNG shows b, the bytes of a PNG image. It panics unless b starts with the
// PNG signature.
func PNG(b []byte) *Handle { return image("image/png", "PNG", "\x89PNG\r\n\x1a\n", b) }

// JPEG shows b, the bytes of a JPEG image. It panics unless b starts with
// the JPEG signature.
func JPEG(b []byte) *Handle { return image("image/jpeg", "JPEG", "\xff\xd8\xff", b) }

// image shows b as an image of the given MIME type and format name,
// checking that it starts with the format's signature: the notebook would
// show other bytes as a broken image, without saying why.
func image(mime, name, signature string, b []byte) *Handle {
	if !bytes.HasPrefix(b, []byte(signature)) {
		if len(b) == 0 {
			panicf("%s: no image data (0 bytes)", name)
		}
		panicf("%s: the bytes are not a %s image: they start %q, not %q", name, name, head(string(b)), signature)
	}
	return Data(Bundle{
		mime:         base64.StdEncoding.EncodeToString(b),
		"text/plain": fmt.Sprintf("<%s image, %d bytes>", name, len(b)),
	})
}

// JSON shows v as a JSON tree. A string or []byte is taken as JSON text;
// anything else is encoded with encoding/json. JSON panics if v is neither
// valid JSON text nor encodable.
func JSON(v any) *Handle {
	var raw []byte
	switch t := v.(type) {
	case string:
		raw = []byte(t)
	case []byte:
		raw = t
	default:
		b, err := json.Marshal(v)
		if err != nil {
			panicf("JSON: a %T cannot be encoded as JSON: %v", v, err)
		}
		raw = b
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		panicf("JSON: invalid JSON text: %v", err)
	}
	var text bytes.Buffer
	json.Indent(&text, raw, "", "  ")
	return Data(Bundle{"application/json": tree, "text/plain": text.String()})
}

// Clear clears the output of the running cell. With wait true the old
// output stays until new output arrives, which avoids flicker in loops that
// redraw.
func Clear(wait bool) {
	if p := publisher(); p != nil {
		p.Clear(wait)
	}
}

var stdoutMu sync.Mutex

func publish(b Bundle, id string, update bool) {
	if p := publisher(); p != nil {
		p.Publish(b, nil, id, update)
		return
	}
	stdoutMu.Lock()
	defer stdoutMu.Unlock()
	fmt.Fprintln(os.Stdout, fallbackText(b))
}

// fallbackText is what a bundle looks like without a notebook.
func fallbackText(b Bundle) string {
	if s, ok := b["text/plain"].(string); ok {
		return s
	}
	if s, ok := b["text/html"].(string); ok {
		return stripTags(s)
	}
	if s, ok := b["text/markdown"].(string); ok {
		return s
	}
	return "<" + strings.Join(slices.Sorted(maps.Keys(b)), ", ") + ">"
}

// stripTags returns the text of an HTML fragment, for text-only front ends.
func stripTags(s string) string {
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(html.UnescapeString(b.String()))
}

// panicf panics with a string built from a format and its arguments,
// prefixed "display: ": the one way this package reports misuse.
func panicf(format string, args ...any) {
	panic(fmt.Sprintf("display: "+format, args...))
}

// head returns the first bytes of s, to show in a message what was given.
func head(s string) string {
	if len(s) > 8 {
		return s[:8]
	}
	return s
}

func newID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
