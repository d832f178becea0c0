package eval

import (
	"errors"
	"strings"
	"testing"

	"github.com/gorch/gorch/kernel"
)

func TestParseMagic(t *testing.T) {
	for _, tc := range []struct {
		line string
		want magic
		err  string // a part of the UsageError; empty for success
	}{
		{line: "%help", want: magic{name: "help"}},
		{line: "%reset", want: magic{name: "reset"}},
		{line: "%env", want: magic{name: "env"}},
		{line: "%env HOME", want: magic{name: "env", arg: "HOME", env: envArgs{name: "HOME"}}},
		{line: "%env A=1=2", want: magic{name: "env", arg: "A=1=2", env: envArgs{"A", "1=2", true}}},
		{line: "%env A = 1", want: magic{name: "env", arg: "A = 1", env: envArgs{"A", "1", true}}},
		{line: "%env A 1", want: magic{name: "env", arg: "A 1", env: envArgs{"A", "1", true}}},
		{line: "%env A=", want: magic{name: "env", arg: "A=", env: envArgs{"A", "", true}}},
		{line: "%env\tA", want: magic{name: "env", arg: "A", env: envArgs{name: "A"}}},
		{line: "%env =1", err: "needs a variable name"},
		{line: "%env A B=1", err: `"A B" is not a variable name`},
		{line: "%env A\x00=1", err: "is not a variable name"},
		{line: "%env A=1\x00", err: "contains a NUL byte"},
		{line: "%time 6 * 7", want: magic{name: "time", arg: "6 * 7"}},
		{line: "%time\tx", want: magic{name: "time", arg: "x"}},
		{line: "%%time", want: magic{name: "%time"}},
		{line: "%%time x := 1", err: "put the statement on the next line"},
		{line: "%timeit x", err: "unknown magic %timeit"},
		{line: "%%timeit", err: "unknown magic %%timeit"},
		{line: "%", err: "unknown magic %;"},
		{line: "%ls -l", err: "unknown magic %ls"},
		{line: "!ls -l", want: magic{name: "!", arg: "ls -l"}},
		{line: "! echo hi", want: magic{name: "!", arg: "echo hi"}},
		{line: "!", want: magic{name: "!"}},
	} {
		m, err := parseMagic(tc.line)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("parseMagic(%q): %v", tc.line, err)
		case tc.err == "" && m != tc.want:
			t.Errorf("parseMagic(%q) = %+v, want %+v", tc.line, m, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("parseMagic(%q): error %v, want one containing %q", tc.line, err, tc.err)
		}
	}
}

// FuzzParseMagic checks that any magic or shell line parses into a magic
// the runner knows, with an argument the operating system accepts, or
// fails with a UsageError. It runs nothing.
func FuzzParseMagic(f *testing.F) {
	for _, s := range []string{
		"%help", "%help me", "%reset", "%reset -f", "%env", "%env HOME", "%env A=1", "%env A = 1 = 2", "%env A 1 2",
		"%env =", "%env ==", "%env A\x00", "%env A=\x00", "%env é=😀", "%env\u00a0A=1", "%env\tA\tB",
		"%time", "%time x", "%time\tfmt.Println(1)", "%time %time x", "%%time", "%%time x", "%%timeit", "%%%time",
		"%timeit", "%", "%%", "%\x00", "%\xff", "!", "!ls", "! ls -l | wc", "!rm -rf /nonexistent", "!!", "!%env",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "%") && !strings.HasPrefix(line, "!") {
			return
		}
		m, err := parseMagic(line)
		if err != nil {
			var ee *kernel.EvalError
			if !errors.As(err, &ee) || ee.Name != "UsageError" || ee.Value == "" || len(ee.Traceback) == 0 {
				t.Fatalf("parseMagic(%q): error %#v, want a UsageError", line, err)
			}
			if m != (magic{}) {
				t.Fatalf("parseMagic(%q): both %+v and %v", line, m, err)
			}
			return
		}
		if m.arg != strings.TrimSpace(m.arg) {
			t.Fatalf("parseMagic(%q): argument %q has surrounding space", line, m.arg)
		}
		switch m.name {
		case "!":
			if m.arg != strings.TrimSpace(line[1:]) {
				t.Fatalf("parseMagic(%q): shell command %q", line, m.arg)
			}
		case "help", "reset", "time":
		case "%time":
			if m.arg != "" {
				t.Fatalf("parseMagic(%q): %%%%time with argument %q", line, m.arg)
			}
		case "env":
			a := m.env
			if a.name == "" && (a.set || a.value != "" || m.arg != "") {
				t.Fatalf("parseMagic(%q): env %+v", line, a)
			}
			if strings.ContainsAny(a.name, "=\x00") || strings.Contains(a.value, "\x00") {
				t.Fatalf("parseMagic(%q): the OS refuses env %+v", line, a)
			}
			if a.set {
				again, err := parseEnv(a.name + "=" + a.value)
				if err != nil || again != a {
					t.Fatalf("parseMagic(%q): env %+v reads back as %+v, %v", line, a, again, err)
				}
			}
		default:
			t.Fatalf("parseMagic(%q): unknown magic %q", line, m.name)
		}
	})
}
