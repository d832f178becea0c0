package kernel

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-zeromq/zmq4"
)

// historySession is the session number of the only session the kernel
// knows: history lives in memory, for the life of the process. Requests for
// session 0 (IPython's "current session") mean it too.
const historySession = 1

// history is the input (and text output) of the cells run with
// store_history, numbered by execution count as in IPython.
type history struct {
	mu      sync.Mutex
	entries []historyEntry
}

type historyEntry struct {
	line   int
	input  string
	output any // text/plain of the cell's value, or nil
}

func (h *history) add(line int, input string, value Bundle) {
	e := historyEntry{line: line, input: input}
	if s, ok := value["text/plain"].(string); ok {
		e.output = s
	}
	h.mu.Lock()
	h.entries = append(h.entries, e)
	h.mu.Unlock()
}

// historyQuery is the content of a history_request. N, Start and Stop are
// pointers because their absence means "no limit".
type historyQuery struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          *int   `json:"start"`
	Stop           *int   `json:"stop"`
	N              *int   `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

// query returns the entries q selects, in order, as the spec's tuples:
// (session, line, input) or, with output, (session, line, (input, output)).
func (h *history) query(q historyQuery) ([][]any, error) {
	h.mu.Lock()
	entries := append([]historyEntry(nil), h.entries...)
	h.mu.Unlock()

	var sel []historyEntry
	switch q.HistAccessType {
	case "tail":
		n := 10
		if q.N != nil {
			n = *q.N
		}
		sel = lastN(entries, n)
	case "range":
		if q.Session != 0 && q.Session != historySession {
			break
		}
		for _, e := range entries {
			if (q.Start == nil || e.line >= *q.Start) && (q.Stop == nil || e.line < *q.Stop) {
				sel = append(sel, e)
			}
		}
	case "search":
		re, err := globRegexp(q.Pattern)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		// Walk backwards so that unique keeps the latest of equal inputs.
		for i := len(entries) - 1; i >= 0; i-- {
			e := entries[i]
			if !re.MatchString(e.input) || (q.Unique && seen[e.input]) {
				continue
			}
			seen[e.input] = true
			sel = append(sel, e)
		}
		for i, j := 0, len(sel)-1; i < j; i, j = i+1, j-1 {
			sel[i], sel[j] = sel[j], sel[i]
		}
		if q.N != nil {
			sel = lastN(sel, *q.N)
		}
	}
	out := make([][]any, len(sel))
	for i, e := range sel {
		if q.Output {
			out[i] = []any{historySession, e.line, []any{e.input, e.output}}
		} else {
			out[i] = []any{historySession, e.line, e.input}
		}
	}
	return out, nil
}

func lastN(entries []historyEntry, n int) []historyEntry {
	if n < 0 {
		n = 0
	}
	return entries[max(0, len(entries)-n):]
}

// globRegexp translates an SQLite GLOB pattern, which IPython's history
// search uses, into an anchored regexp: * and ? are wildcards that match
// newlines too, and [...] is a character class.
func globRegexp(pattern string) (*regexp.Regexp, error) {
	if pattern == "" {
		pattern = "*"
	}
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			j := strings.IndexByte(pattern[i+1:], ']')
			if j < 0 {
				b.WriteString(`\[`)
				continue
			}
			// A leading ^ negates in both languages; only \ differs.
			b.WriteString("[" + strings.ReplaceAll(pattern[i+1:i+1+j], `\`, `\\`) + "]")
			i += j + 1
		default:
			// Copy a whole UTF-8 sequence: string(c) of one of its bytes
			// would be another character.
			_, n := utf8.DecodeRuneInString(pattern[i:])
			b.WriteString(regexp.QuoteMeta(pattern[i : i+n]))
			i += n - 1
		}
	}
	b.WriteString(`\z`)
	return regexp.Compile(b.String())
}

func (k *Kernel) historyRequest(sock zmq4.Socket, req *message) {
	var q historyQuery
	if !k.decodeContent(req, &q) {
		k.reply(sock, req, "history_reply", errorContent("ValueError", "bad history_request"), nil)
		return
	}
	hist, err := k.history.query(q)
	if err != nil {
		k.reply(sock, req, "history_reply", errorContent("ValueError", "bad history pattern: "+err.Error()), nil)
		return
	}
	k.reply(sock, req, "history_reply", map[string]any{"status": "ok", "history": hist}, nil)
}
