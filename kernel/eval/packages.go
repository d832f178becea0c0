package eval

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"reflect"
	"sort"
	"sync"

	"github.com/gorch/gorch/kernel/eval/internal/gorchsyms"
	"github.com/gorch/gorch/kernel/eval/internal/stdsyms"
)

// pkgIndex maps between the import paths and names of the packages cells
// can import.
type pkgIndex struct {
	byName map[string][]string // name -> paths, preferred first
	byPath map[string]string   // path -> name
	syms   map[string]map[string]reflect.Value
}

// preferred breaks ties between packages of the same name when a cell uses
// one without importing it.
var preferred = map[string]string{
	"rand": "math/rand", "template": "text/template", "scanner": "text/scanner",
	"pprof": "runtime/pprof", "big": "math/big", "constraint": "go/build/constraint",
}

var index = sync.OnceValue(func() *pkgIndex {
	ix := &pkgIndex{byName: map[string][]string{}, byPath: map[string]string{}, syms: map[string]map[string]reflect.Value{}}
	for _, table := range []map[string]map[string]reflect.Value{stdsyms.Symbols, gorchsyms.Symbols} {
		for key, syms := range table {
			p, name := path.Dir(key), path.Base(key)
			ix.byPath[p] = name
			ix.byName[name] = append(ix.byName[name], p)
			ix.syms[p] = syms
		}
	}
	for name, paths := range ix.byName {
		sort.Slice(paths, func(i, j int) bool {
			pi, pj := preferred[name] == paths[i], preferred[name] == paths[j]
			if pi != pj {
				return pi
			}
			// Shorter paths first: "math/rand" before "math/rand/v2".
			return len(paths[i]) < len(paths[j]) || len(paths[i]) == len(paths[j]) && paths[i] < paths[j]
		})
	}
	return ix
})

// packageName returns the name of the package at import path p.
func packageName(p string) string {
	if n, ok := index().byPath[p]; ok {
		return n
	}
	return path.Base(p)
}

// importedPath returns the path of the package a cell refers to as name.
func (e *Evaluator) importedPath(name string) (string, bool) {
	for p, n := range e.imports {
		if n == name {
			return p, true
		}
	}
	return "", false
}

// symbol returns the compiled symbol pkg.name, where pkg is the name of an
// imported package or, failing that, of a package the cell could import.
func (e *Evaluator) symbol(pkg, name string) (reflect.Value, bool) {
	p, ok := e.importedPath(pkg)
	if !ok {
		paths := index().byName[pkg]
		if len(paths) == 0 {
			return reflect.Value{}, false
		}
		p = paths[0]
	}
	v, ok := index().syms[p][name]
	return v, ok
}

// parseDeclText parses the text of one top-level declaration.
func parseDeclText(src string) (ast.Decl, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package main\n"+src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	if len(f.Decls) == 0 {
		return nil, errNoDecl
	}
	return f.Decls[0], nil
}

var errNoDecl = errors.New("eval: no declaration")
