// Command gen writes the symbol tables that let the interpreter call compiled
// packages: the standard library of the Go that runs it, and gorch's own
// packages. yaegi ships tables only up to Go 1.22, so gorch generates its own
// with the Go that builds it. Run it through go generate from kernel/eval:
//
//	go generate ./kernel/eval/...
//
// It writes internal/stdsyms (all importable standard packages),
// internal/gorchsyms (gorch packages that compile at the time it runs) and
// internal/docs (their documentation). After changing only gorch's
// packages, "go run ./internal/gen -gorch-only" from kernel/eval is faster.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/traefik/yaegi/extract"
)

// skipStd lists standard packages the interpreter cannot use: they need cgo,
// the race or sanitizer runtimes, or are per-architecture system call tables.
var skipStd = map[string]bool{
	"unsafe": true, "syscall": true, "plugin": true, "runtime/cgo": true,
	"runtime/race": true, "runtime/msan": true, "runtime/asan": true,
	"syscall/js": true, "testing/synctest": true, "time/tzdata": true,
}

// gorchPkgs are gorch's packages offered to cells when they compile.
var gorchPkgs = []string{"display", "tensor", "nn", "optim", "plot"}

const module = "github.com/gorch/gorch"

func main() {
	std := flag.String("std", "internal/stdsyms", "output directory of the standard library tables")
	own := flag.String("gorch", "internal/gorchsyms", "output directory of gorch's tables")
	docs := flag.String("docs", "internal/docs", "output directory of the documentation index")
	gorchOnly := flag.Bool("gorch-only", false, "regenerate only gorch's tables, after its packages changed")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gen: ")

	if !*gorchOnly {
		stdPkgs, err := listStd()
		if err != nil {
			log.Fatal(err)
		}
		done := extractAll("stdsyms", *std, stdPkgs)
		writeVersion(*std, done, stdPkgs)
		// builtin documents the predeclared names: len, append, min, error...
		if err := writeDocs(filepath.Join(*docs, "std.json.gz"), append(done, "builtin")); err != nil {
			log.Fatal(err)
		}
	}

	var ownPkgs []string
	for _, p := range gorchPkgs {
		if compiles(module + "/" + p) {
			ownPkgs = append(ownPkgs, module+"/"+p)
		} else {
			log.Printf("skipping %s: it does not build", p)
		}
	}
	ownDone := extractAll("gorchsyms", *own, ownPkgs)
	if err := writeDocs(filepath.Join(*docs, "gorch.json.gz"), ownDone); err != nil {
		log.Fatal(err)
	}
}

// listStd returns the importable standard packages of the running Go.
func listStd() ([]string, error) {
	out, err := exec.Command("go", "list", "std").Output()
	if err != nil {
		return nil, fmt.Errorf("go list std: %w", err)
	}
	var pkgs []string
	for _, p := range strings.Fields(string(out)) {
		if strings.Contains(p, "internal") || strings.HasPrefix(p, "vendor/") || skipStd[p] {
			continue
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

func compiles(pkg string) bool {
	return exec.Command("go", "build", pkg).Run() == nil
}

// extractAll writes one file per package into dir, replacing the files of
// an earlier run only once all are extracted, and returns the packages it
// wrote.
func extractAll(dest, dir string, pkgs []string) []string {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		done  []string
		files = map[string][]byte{}
		sem   = make(chan struct{}, runtime.NumCPU())
	)
	for _, p := range pkgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			src, err := extractOne(dest, p)
			if err != nil {
				log.Printf("skipping %s: %v", p, err)
				return
			}
			name := "z_" + strings.NewReplacer("/", "_", ".", "_", "-", "_").Replace(strings.TrimPrefix(p, module+"/")) + ".go"
			mu.Lock()
			files[name] = src
			done = append(done, p)
			mu.Unlock()
		}()
	}
	wg.Wait()
	old, _ := filepath.Glob(filepath.Join(dir, "z_*.go"))
	for _, f := range old {
		if _, keep := files[filepath.Base(f)]; !keep && filepath.Base(f) != "z_version.go" {
			if err := os.Remove(f); err != nil {
				log.Fatal(err)
			}
		}
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	sort.Strings(done)
	return done
}

const lintIgnore = "//lint:file-ignore SA1019 the tables export deprecated names too, as the packages do"

func extractOne(dest, pkg string) ([]byte, error) {
	var b bytes.Buffer
	e := extract.Extractor{Dest: dest}
	if _, err := e.Extract(pkg, pkg, &b); err != nil {
		return nil, err
	}
	// The extractor adds a +build line naming the Go version; the staleness
	// test replaces it, and a lone +build line upsets go vet. Deprecated
	// names are exported on purpose: cells may use them as programs may.
	var out []string
	for i, l := range strings.Split(b.String(), "\n") {
		if !strings.HasPrefix(l, "// +build") {
			out = append(out, l)
		}
		if i == 0 {
			out = append(out, "", lintIgnore)
		}
	}
	return []byte(strings.Join(out, "\n")), nil
}

// writeVersion records the Go release, the packages extracted and those
// skipped, so that a test can tell when the tables are stale.
func writeVersion(dir string, pkgs, tried []string) {
	v := runtime.Version()
	if i := strings.Index(v, "."); i >= 0 {
		if j := strings.IndexAny(v[i+1:], ".rb"); j >= 0 {
			v = v[:i+1+j]
		}
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by kernel/eval/internal/gen. DO NOT EDIT.\n\npackage stdsyms\n\n")
	fmt.Fprintf(&b, "// GoVersion is the Go release whose standard library the tables describe.\nconst GoVersion = %q\n\n", v)
	b.WriteString("// Packages lists the import paths the tables cover.\nvar Packages = []string{\n")
	for _, p := range slices.Sorted(slices.Values(pkgs)) {
		fmt.Fprintf(&b, "\t%q,\n", p)
	}
	b.WriteString("}\n\n// Skipped lists the standard packages the interpreter cannot use.\nvar Skipped = []string{\n")
	var skipped []string
	for p := range skipStd {
		skipped = append(skipped, p)
	}
	for _, p := range tried {
		if !slices.Contains(pkgs, p) {
			skipped = append(skipped, p)
		}
	}
	slices.Sort(skipped)
	for _, p := range skipped {
		fmt.Fprintf(&b, "\t%q,\n", p)
	}
	b.WriteString("}\n")
	if err := os.WriteFile(filepath.Join(dir, "z_version.go"), b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

// docEntry is one documented name, as internal/docs stores it.
type docEntry struct {
	Sig string `json:"s"`
	Doc string `json:"d,omitempty"`
}

// stdDocLimit keeps the standard library's docs to their opening paragraphs
// so the embedded index stays small; gorch's own docs are kept whole.
const stdDocLimit = 700

// writeDocs writes to file the documentation index of pkgs, gzip-compressed JSON
// mapping import path to name ("" for the package, "T.M" for methods) to its
// signature and doc comment.
func writeDocs(file string, pkgs []string) error {
	index := map[string]map[string]docEntry{}
	for _, p := range pkgs {
		m, err := packageDocs(p)
		if err != nil {
			log.Printf("no docs for %s: %v", p, err)
			continue
		}
		index[p] = m
	}
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(index); err != nil {
		return err
	}
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write(raw.Bytes())
	if err := w.Close(); err != nil {
		return err
	}
	return os.WriteFile(file, z.Bytes(), 0o644)
}

func packageDocs(path string) (map[string]docEntry, error) {
	bp, err := build.Import(path, ".", 0)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(bp.Dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	var mode doc.Mode
	if path == "builtin" {
		mode = doc.AllDecls // its names are all lower case
	}
	pkg, err := doc.NewFromFiles(fset, files, path, mode)
	if err != nil {
		return nil, err
	}
	limit := 0
	if !strings.HasPrefix(path, module+"/") {
		limit = stdDocLimit
	}
	m := map[string]docEntry{}
	add := func(name string, decl ast.Node, text string) {
		m[name] = docEntry{Sig: signature(fset, decl), Doc: trimDoc(text, limit)}
	}
	m[""] = docEntry{Sig: "package " + pkg.Name + ` // import "` + path + `"`, Doc: trimDoc(pkg.Doc, limit)}
	values := func(vs []*doc.Value) {
		for _, v := range vs {
			for _, n := range v.Names {
				add(n, v.Decl, v.Doc)
			}
		}
	}
	funcs := func(prefix string, fs []*doc.Func) {
		for _, f := range fs {
			add(prefix+f.Name, f.Decl, f.Doc)
		}
	}
	values(pkg.Consts)
	values(pkg.Vars)
	funcs("", pkg.Funcs)
	for _, t := range pkg.Types {
		add(t.Name, t.Decl, t.Doc)
		values(t.Consts)
		values(t.Vars)
		funcs("", t.Funcs)
		funcs(t.Name+".", t.Methods)
	}
	return m, nil
}

// signature prints a declaration without bodies, as go doc shows it.
func signature(fset *token.FileSet, n ast.Node) string {
	switch d := n.(type) {
	case *ast.FuncDecl:
		c := *d
		c.Body, c.Doc = nil, nil
		n = &c
	case *ast.GenDecl:
		c := *d
		c.Doc = nil
		n = &c
	}
	var b bytes.Buffer
	(&printer.Config{Mode: printer.UseSpaces, Tabwidth: 4}).Fprint(&b, fset, n)
	s := b.String()
	if len(s) > 2000 {
		s = s[:2000] + "\n\t..."
	}
	return s
}

func trimDoc(s string, limit int) string {
	s = strings.TrimSpace(s)
	if limit == 0 || len(s) <= limit {
		return s
	}
	if i := strings.LastIndex(s[:limit], "\n\n"); i > 0 {
		return s[:i] + "\n\n…"
	}
	return s[:limit] + "…"
}
