package frontends

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestClassicNotebook opens the tour in classic Jupyter Notebook in headless
// Chromium, runs all cells and checks the page: every cell ran, none failed,
// and tensors are rendered as HTML tables. The screenshots are kept as test
// artifacts in $GORCH_ARTIFACTS (default: the test's temporary directory);
// GORCH_ARTIFACTS=$PWD/docs refreshes the README's.
func TestClassicNotebook(t *testing.T) {
	requirePython(t, "notebook", "jupyter-notebook")
	requireTool(t, "/usr/bin/chromium", "chromium")
	requireNodeModules(t, "playwright-core")
	j := newJupyter(t)
	j.copyNotebook(t, "notebooks/tour.ipynb")
	base, token := j.startServer(t, "notebook")

	artifacts := os.Getenv("GORCH_ARTIFACTS")
	if artifacts == "" {
		artifacts = t.TempDir()
	}
	shot := filepath.Join(artifacts, "tour-screenshot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := j.command(ctx, "node", "notebook.js", base+"/notebooks/tour.ipynb?token="+token, shot)
	cmd.Dir = "."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("notebook.js: %v\n%s", err, stderrOf(err))
	}
	var page struct {
		Cells, Executed, HTMLTables int
		Errors                      []string
		OutputTypes                 []string
	}
	if err := json.Unmarshal(out, &page); err != nil {
		t.Fatalf("notebook.js printed %q: %v", out, err)
	}
	t.Logf("page: %+v; screenshot: %s", page, shot)
	if page.Cells == 0 || page.Executed != page.Cells {
		t.Errorf("%d of %d code cells ran", page.Executed, page.Cells)
	}
	if len(page.Errors) > 0 {
		t.Errorf("cells failed in the browser: %q", page.Errors)
	}
	if page.HTMLTables == 0 {
		t.Errorf("no tensor rendered as an HTML <table>; output types: %v", page.OutputTypes)
	}
	if fi, err := os.Stat(shot); err != nil || fi.Size() == 0 {
		t.Errorf("no screenshot at %s: %v", shot, err)
	}
}
