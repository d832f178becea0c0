package eval

import (
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gorch/gorch/kernel/eval/internal/gorchsyms"
	"github.com/gorch/gorch/kernel/eval/internal/stdsyms"
)

const regenerate = "run go generate ./kernel/eval/... to regenerate the symbol tables"

// TestSymbolTablesFresh fails when the standard library tables were made
// by another Go release than the one running, or when the standard library
// gained or lost packages since.
func TestSymbolTablesFresh(t *testing.T) {
	v := runtime.Version()
	if !strings.HasPrefix(v, stdsyms.GoVersion+".") && v != stdsyms.GoVersion {
		t.Fatalf("the tables describe %s but this is %s; %s", stdsyms.GoVersion, v, regenerate)
	}
	out, err := exec.Command("go", "list", "std").Output()
	if err != nil {
		t.Fatalf("go list std: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.Contains(p, "internal") || strings.HasPrefix(p, "vendor/") || slices.Contains(stdsyms.Skipped, p) {
			continue
		}
		if !slices.Contains(stdsyms.Packages, p) {
			t.Errorf("standard package %s has no table; %s", p, regenerate)
		}
	}
	for _, p := range stdsyms.Packages {
		if _, ok := stdsyms.Symbols[p+"/"+packageName(p)]; !ok {
			t.Errorf("table of %s is missing; %s", p, regenerate)
		}
	}
	for _, p := range []string{"display", "tensor"} {
		if _, ok := gorchsyms.Symbols["github.com/gorch/gorch/"+p+"/"+p]; !ok {
			t.Errorf("no table for gorch package %s; %s", p, regenerate)
		}
	}
}
