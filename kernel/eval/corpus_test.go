package eval

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// corpusGaps are corpus programs whose interpreted output is known to
// differ from go run, with the reason. The test fails when one of them
// starts to pass, so that the list stays true.
var corpusGaps = map[string]string{}

// TestCorpus runs each program of testdata/corpus with go run and, pasted
// as a cell followed by a cell calling main(), through the evaluator, and
// compares what they print.
// yaegiRaces lists the corpus programs, correct Go that go run -race
// accepts, whose interpretation races inside yaegi v0.16.1 itself.
var yaegiRaces = map[string]string{
	"mutex.go": "yaegi's wrapper for interpreted closures called from goroutines reads frame data without synchronisation (interp/run.go:1006)",
}

func TestCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/corpus/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	passed := 0
	for _, file := range files {
		name := filepath.Base(file)
		ok := t.Run(name, func(t *testing.T) {
			if why, racy := yaegiRaces[name]; racy && raceDetector {
				t.Skip("skipped under -race: " + why)
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			want, err := exec.CommandContext(ctx, "go", "run", file).CombinedOutput()
			if err != nil {
				t.Fatalf("go run %s: %v\n%s", file, err, want)
			}
			e := newEvaluator(t)
			var got string
			var evalErr error
			got = captureStdout(t, func() {
				if _, evalErr = e.Execute(ctx, string(src), &fakeFrontend{}); evalErr == nil {
					_, evalErr = e.Execute(ctx, "main()", &fakeFrontend{})
				}
			})
			gap, known := corpusGaps[name]
			same := evalErr == nil && got == string(want)
			switch {
			case same && known:
				t.Errorf("%s now matches go run; remove it from corpusGaps (%s)", name, gap)
			case !same && known:
				t.Skipf("known gap: %s", gap)
			case evalErr != nil:
				t.Errorf("evaluator: %v\nprinted: %q", evalErr, got)
			case !same:
				t.Errorf("output differs\ngo run:    %q\nevaluator: %q", want, got)
			}
		})
		if ok {
			if _, known := corpusGaps[name]; !known {
				passed++
			}
		}
	}
	t.Logf("corpus score: %d/%d programs print what go run prints", passed, len(files))
}
