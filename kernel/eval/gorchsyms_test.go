package eval

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorch/gorch/kernel/eval/internal/gorchsyms"
)

// TestGorchTablesCoverAPI fails when a gorch package preloaded into cells
// gained an exported name since its table was generated, which cells would
// otherwise find missing. (Removed names already break the build.)
func TestGorchTablesCoverAPI(t *testing.T) {
	for _, pkg := range []string{"display", "tensor", "nn", "optim", "plot"} {
		table := gorchsyms.Symbols["github.com/gorch/gorch/"+pkg+"/"+pkg]
		if table == nil {
			t.Errorf("no table for gorch package %s; %s", pkg, regenerate)
			continue
		}
		for _, name := range exportedNames(t, filepath.Join("..", "..", pkg)) {
			if _, ok := table[name]; !ok {
				t.Errorf("%s.%s is missing from the symbol tables; %s", pkg, name, regenerate)
			}
		}
	}
}

// exportedNames lists the exported top-level names of the package in dir
// that a symbol table can hold: everything but generic functions and types.
func exportedNames(t *testing.T, dir string) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		// Only files built for the platform the tables are generated on.
		if ok, err := build.Default.MatchFile(dir, filepath.Base(path)); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Type.TypeParams == nil && d.Name.IsExported() {
					names = append(names, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if s.TypeParams == nil && s.Name.IsExported() {
							names = append(names, s.Name.Name)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								names = append(names, n.Name)
							}
						}
					}
				}
			}
		}
	}
	return names
}
