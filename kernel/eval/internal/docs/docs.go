// Package docs holds the signatures and doc comments of the packages cells
// can import, extracted with go/doc by kernel/eval/internal/gen, for
// inspection (Shift-Tab) in the notebook.
package docs

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"io"
	"sync"
)

// Entry documents one name.
type Entry struct {
	Sig string `json:"s"` // the declaration, without bodies
	Doc string `json:"d"` // the doc comment; the standard library's is cut to its opening paragraphs
}

var (
	//go:embed std.json.gz
	stdData []byte
	//go:embed gorch.json.gz
	gorchData []byte
)

var index = sync.OnceValue(func() map[string]map[string]Entry {
	all := map[string]map[string]Entry{}
	for _, data := range [][]byte{stdData, gorchData} {
		z, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			continue
		}
		raw, err := io.ReadAll(z)
		if err != nil {
			continue
		}
		var m map[string]map[string]Entry
		if json.Unmarshal(raw, &m) == nil {
			for k, v := range m {
				all[k] = v
			}
		}
	}
	return all
})

// Lookup returns the documentation of name in the package at import path:
// "" for the package itself, "Name" for a top-level name, "Type.Method" for
// a method.
func Lookup(path, name string) (Entry, bool) {
	e, ok := index()[path][name]
	return e, ok
}

// Names returns the documented names of the package at path.
func Names(path string) map[string]Entry { return index()[path] }
