package kernel

import "testing"

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
