package kernel

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGlobRegexp(t *testing.T) {
	for _, tc := range []struct {
		pattern, input string
		match          bool
	}{
		{"", "anything", true},
		{"*", "two\nlines", true},
		{"fmt*", "fmt.Println(1)", true},
		{"fmt*", "x := fmt.Sprint(1)", false},
		{"*Sprint*", "x := fmt.Sprint(1)", true},
		{"a?c", "abc", true},
		{"a?c", "abbc", false},
		{"[ab]x", "bx", true},
		{"[^ab]x", "bx", false},
		{"[^ab]x", "cx", true},
		{"a.b", "axb", false}, // only *, ? and [] are special
		{"a[", "a[", true},    // an unclosed bracket is literal
		{`[\]`, `\`, true},
		{"é*", "été", true}, // a multi-byte character is one literal
		{"*😀", "x := \"😀\"", false},
		{"*😀*", "x := \"😀\"", true},
		{"?", "é", true}, // ? is one character, not one byte
		{"[é]", "é", true},
	} {
		re, err := globRegexp(tc.pattern)
		if err != nil {
			t.Errorf("globRegexp(%q): %v", tc.pattern, err)
			continue
		}
		if got := re.MatchString(tc.input); got != tc.match {
			t.Errorf("glob %q on %q = %v, want %v", tc.pattern, tc.input, got, tc.match)
		}
	}
}

// FuzzGlobRegexp checks that any history search pattern gives a regexp or
// an error, and that a pattern without wildcards matches itself.
func FuzzGlobRegexp(f *testing.F) {
	for _, s := range []string{"", "*", "fmt*", "a?c", "[ab]x", "[^ab]x", "a[", `[\]`, "[]", "[]]", "[z-a]",
		"[[:alpha:]]", "é*", "*😀*", "été 😀", "\xff", "[\xff]", "(?i)x", `\`, "a.b+c$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pattern string) {
		re, err := globRegexp(pattern)
		if err != nil {
			return
		}
		if pattern == "" || !utf8.ValidString(pattern) || strings.ContainsAny(pattern, "*?[") { // "" means *
			return
		}
		if !re.MatchString(pattern) {
			t.Fatalf("literal pattern %q (regexp %s) does not match itself", pattern, re)
		}
		if re.MatchString(pattern + "x") {
			t.Fatalf("literal pattern %q (regexp %s) matches more than itself", pattern, re)
		}
	})
}

// FuzzHistoryQuery checks that the content of any history_request gives a
// reply: the tuples of the spec, in order, or an error for a bad pattern.
func FuzzHistoryQuery(f *testing.F) {
	for _, s := range []string{
		`{"hist_access_type": "tail", "n": 3, "output": true, "raw": true}`,
		`{"hist_access_type": "tail"}`,
		`{"hist_access_type": "tail", "n": -1}`,
		`{"hist_access_type": "tail", "n": 9223372036854775807}`,
		`{"hist_access_type": "tail", "n": -9223372036854775808}`,
		`{"hist_access_type": "range", "session": 0, "start": 2, "stop": 4}`,
		`{"hist_access_type": "range", "session": -1, "start": -5, "stop": -9223372036854775808}`,
		`{"hist_access_type": "range", "session": 1, "start": 9223372036854775807}`,
		`{"hist_access_type": "search", "pattern": "fmt*", "unique": true, "n": 2}`,
		`{"hist_access_type": "search", "pattern": "*[]*", "n": 0}`,
		`{"hist_access_type": "search", "pattern": "[z-a]"}`,
		`{"hist_access_type": "search", "pattern": "*😀*", "output": true}`,
		`{"hist_access_type": "search", "pattern": "\u00e9t\u00e9?"}`,
		`{"hist_access_type": "nope"}`,
		`{"n": null, "start": null}`,
		`{}`,
	} {
		f.Add([]byte(s))
	}
	var h history
	for i, in := range []string{"x := 1", "fmt.Println(x)", "x", "été := \"😀\"", "fmt.Println(x)", "t := tensor.Ones(2, 3)\nt.Sum()"} {
		h.add(i+1, in, Bundle{"text/plain": fmt.Sprint(i)})
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		var q historyQuery
		if json.Unmarshal(content, &q) != nil {
			return
		}
		got, err := h.query(q)
		if err != nil {
			if q.HistAccessType != "search" {
				t.Fatalf("%s: error %v", content, err)
			}
			return
		}
		if q.HistAccessType == "tail" && q.N != nil && *q.N >= 0 && len(got) != min(*q.N, len(h.entries)) {
			t.Fatalf("%s: %d entries", content, len(got))
		}
		last := 0
		for _, tuple := range got {
			if len(tuple) != 3 || tuple[0] != historySession {
				t.Fatalf("%s: tuple %v", content, tuple)
			}
			line := tuple[1].(int)
			if line <= last || line > len(h.entries) {
				t.Fatalf("%s: lines out of order in %v", content, got)
			}
			last = line
		}
		if _, err := json.Marshal(got); err != nil {
			t.Fatalf("%s: reply does not encode: %v", content, err)
		}
	})
}
