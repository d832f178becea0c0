package frontends

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// ipynb is the part of an nbformat 4 notebook the tests look at.
type ipynb struct {
	Cells []ipynbCell `json:"cells"`
}

type ipynbCell struct {
	ID       string `json:"id"`
	CellType string `json:"cell_type"`
	Metadata struct {
		Tags []string `json:"tags"`
	} `json:"metadata"`
	Outputs []ipynbOutput `json:"outputs"`
}

type ipynbOutput struct {
	OutputType string         `json:"output_type"`
	Name       string         `json:"name"` // stream
	Text       multiline      `json:"text"` // stream
	Data       map[string]any `json:"data"` // display_data, execute_result
	Metadata   map[string]any `json:"metadata"`
	Ename      string         `json:"ename"`  // error
	Evalue     string         `json:"evalue"` // error
}

// multiline is nbformat's text: a string, or a list of strings to join.
type multiline string

func (m *multiline) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*m = multiline(s)
		return nil
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	*m = multiline(strings.Join(parts, ""))
	return nil
}

// text returns what an output shows as text: a stream's text, an error's
// name and value, or the data of mime type.
func (o ipynbOutput) text(mime string) string {
	switch o.OutputType {
	case "stream":
		return string(o.Text)
	case "error":
		return o.Ename + ": " + o.Evalue
	}
	switch v := o.Data[mime].(type) {
	case string:
		return v
	case []any:
		var b strings.Builder
		for _, p := range v {
			s, _ := p.(string)
			b.WriteString(s)
		}
		return b.String()
	case nil:
		return ""
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

func readNotebook(t *testing.T, path string) *ipynb {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb ipynb
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &nb
}

func (nb *ipynb) cell(t *testing.T, id string) ipynbCell {
	t.Helper()
	for _, c := range nb.Cells {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no cell with id %q", id)
	return ipynbCell{}
}

// execute runs jupyter nbconvert --execute on a copy of the notebook rel
// (relative to the checkout) and returns the executed notebook.
func (j *jupyter) execute(t *testing.T, rel string) *ipynb {
	t.Helper()
	src := j.copyNotebook(t, rel)
	outDir := filepath.Join(j.dir, "executed")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := j.command(ctx, python, "-m", "nbconvert", "--to", "notebook", "--execute",
		"--ExecutePreprocessor.timeout=300", "--output-dir", outDir, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nbconvert --execute %s: %v\n%s", rel, err, out)
	}
	nb := readNotebook(t, filepath.Join(outDir, filepath.Base(rel)))
	for i, c := range nb.Cells {
		if slices.Contains(c.Metadata.Tags, "raises-exception") {
			continue
		}
		for _, o := range c.Outputs {
			if o.OutputType == "error" {
				t.Errorf("%s: cell %d (%s) failed: %s", rel, i, c.ID, o.text(""))
			}
		}
	}
	return nb
}

// want is one output a cell of an executed notebook must have.
type want struct {
	outputType string // stream, execute_result, display_data or error
	key        string // the stream name, or the mime type of the data
	contains   string // text the output holds
}

func (w want) matches(o ipynbOutput) bool {
	if o.OutputType != w.outputType {
		return false
	}
	switch o.OutputType {
	case "stream":
		if o.Name != w.key {
			return false
		}
	case "execute_result", "display_data":
		if _, ok := o.Data[w.key]; !ok {
			return false
		}
	}
	return strings.Contains(o.text(w.key), w.contains)
}

// TestNotebookOutputs executes the test notebooks with nbconvert and checks
// that each kind of output the kernel produces arrives and is recorded as
// Jupyter expects: update_display_data rewrites the output it names (shown
// by the final text), clear_output leaves only what came after it.
func TestNotebookOutputs(t *testing.T) {
	requirePython(t, "nbconvert", "jupyter-nbconvert")
	tests := []struct {
		notebook, cell string
		want           []want
		outputs        int    // the exact number of outputs, when not 0
		absent         string // text no output of the cell may hold
	}{
		{"outputs.ipynb", "stdout", []want{{"stream", "stdout", "hello from gorch"}}, 0, ""},
		{"outputs.ipynb", "stderr", []want{{"stream", "stderr", "to stderr"}}, 0, ""},
		{"outputs.ipynb", "value", []want{{"execute_result", "text/plain", "42"}}, 1, ""},
		{"outputs.ipynb", "tensor", []want{
			{"execute_result", "text/plain", "tensor("},
			{"execute_result", "text/html", "<table"},
		}, 1, ""},
		{"outputs.ipynb", "error", []want{{"error", "", "index"}}, 0, ""},
		{"outputs.ipynb", "after-error", []want{{"stream", "stdout", "still running"}}, 0, ""},
		{"display.ipynb", "html", []want{{"display_data", "text/html", "<b>bold</b>"}}, 1, ""},
		{"display.ipynb", "markdown", []want{{"display_data", "text/markdown", "# A heading"}}, 1, ""},
		{"display.ipynb", "png", []want{{"display_data", "image/png", "iVBORw0KGgo"}}, 1, ""},
		{"display.ipynb", "jpeg", []want{{"display_data", "image/jpeg", "/9j/"}}, 1, ""},
		{"display.ipynb", "data", []want{
			{"display_data", "text/latex", `$e^{i\pi} + 1 = 0$`},
			{"display_data", "text/plain", "e^(iπ) + 1 = 0"},
		}, 1, ""},
		{"display.ipynb", "svg", []want{{"display_data", "image/svg+xml", "<svg"}}, 1, ""},
		{"display.ipynb", "json", []want{{"display_data", "application/json", `"answer":42`}}, 1, ""},
		{"display.ipynb", "update", []want{{"display_data", "text/plain", "step 3 of 3"}}, 1, "step 1"},
		{"display.ipynb", "update-source", []want{{"display_data", "text/html", "updated from a later cell"}}, 1, "waiting"},
		{"display.ipynb", "clear", []want{{"stream", "stdout", "after clearing"}}, 1, "before clearing"},
		{"display.ipynb", "progress", []want{{"display_data", "text/html", "100%"}}, 1, ""},
		{"display.ipynb", "plot", []want{{"execute_result", "image/svg+xml", "<svg"}}, 1, ""},
	}
	j := newJupyter(t)
	executed := map[string]*ipynb{}
	for _, tt := range tests {
		nb, ok := executed[tt.notebook]
		if !ok {
			nb = j.execute(t, "notebooks/tests/"+tt.notebook)
			executed[tt.notebook] = nb
		}
		c := nb.cell(t, tt.cell)
		for _, w := range tt.want {
			if !slices.ContainsFunc(c.Outputs, w.matches) {
				t.Errorf("%s cell %s: no %s %s output holding %q; outputs: %+v", tt.notebook, tt.cell, w.outputType, w.key, w.contains, c.Outputs)
			}
		}
		if tt.outputs != 0 && len(c.Outputs) != tt.outputs {
			t.Errorf("%s cell %s: %d outputs, want %d: %+v", tt.notebook, tt.cell, len(c.Outputs), tt.outputs, c.Outputs)
		}
		if tt.absent != "" {
			for _, o := range c.Outputs {
				for mime := range o.Data {
					if strings.Contains(o.text(mime), tt.absent) {
						t.Errorf("%s cell %s: output still holds %q: %q", tt.notebook, tt.cell, tt.absent, o.text(mime))
					}
				}
				if o.OutputType == "stream" && strings.Contains(o.text(""), tt.absent) {
					t.Errorf("%s cell %s: output still holds %q", tt.notebook, tt.cell, tt.absent)
				}
			}
		}
	}
}

// TestTourReproduces executes the tour and checks that it shows what the
// committed copy shows, so the outputs people read on the repository are the
// outputs the code gives. Cells tagged "varies" (the GPU section, timings)
// only have to run.
func TestTourReproduces(t *testing.T) {
	requirePython(t, "nbconvert", "jupyter-nbconvert")
	committed := readNotebook(t, repoPath("notebooks/tour.ipynb"))
	got := newJupyter(t).execute(t, "notebooks/tour.ipynb")
	if len(got.Cells) != len(committed.Cells) {
		t.Fatalf("executed tour has %d cells, committed %d", len(got.Cells), len(committed.Cells))
	}
	for i, c := range committed.Cells {
		if c.CellType != "code" || slices.Contains(c.Metadata.Tags, "varies") {
			continue
		}
		if a, b := shown(c.Outputs), shown(got.Cells[i].Outputs); a != b {
			t.Errorf("tour cell %d (%s) shows\n%s\nwhen executed; the committed copy shows\n%s\n"+
				"(if the change is intended, re-execute the tour: jupyter nbconvert --to notebook --execute --inplace notebooks/tour.ipynb)", i, c.ID, b, a)
		}
	}
}

// shown renders outputs as the text a reader compares: type, stream name
// or text/plain, and content.
func shown(outputs []ipynbOutput) string {
	var b strings.Builder
	for _, o := range outputs {
		b.WriteString(o.OutputType + " " + o.Name + ": " + o.text("text/plain") + "\n")
	}
	return b.String()
}

// TestTrainingNotebook executes the training notebook: it must run without
// errors and draw its pictures.
func TestTrainingNotebook(t *testing.T) {
	requirePython(t, "nbconvert", "jupyter-nbconvert")
	nb := newJupyter(t).execute(t, "notebooks/training.ipynb")
	svgs, finishedBars := 0, 0
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			if _, ok := o.Data["image/svg+xml"]; ok {
				svgs++
			}
			// The bar is shown at 0 before the loop; nbconvert applies each
			// update_display_data to that output, so only updates can have
			// brought it to its end.
			if bar := o.text("text/plain"); o.OutputType == "display_data" && strings.Contains(bar, "100%") && strings.Contains(bar, "400/400") {
				finishedBars++
			}
		}
	}
	if svgs < 3 {
		t.Errorf("training notebook drew %d SVG pictures, want the data set, the loss curve and the heat map", svgs)
	}
	if finishedBars != 1 {
		t.Errorf("training notebook shows %d finished progress bars (400/400 at 100%%), want the training loop's one, updated in place", finishedBars)
	}
}
