package display

import (
	"fmt"
	"html"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Progress is a progress bar with a count, a rate and an estimate of the time
// left. In a notebook it is one display that updates in place; elsewhere it
// redraws one line of standard error with carriage returns, as tqdm does.
//
//	p := display.NewProgress(len(batches))
//	for _, b := range batches {
//		train(b)
//		p.Add(1)
//	}
//	p.Done()
//
// Redrawing is rate-limited to ten times a second, so calling Add in a tight
// loop costs little; the first and the final state are always shown. A
// Progress is safe for concurrent use, so workers may share one. Its zero
// value is not usable: methods that change it panic on a nil or zero
// Progress; get one from [NewProgress].
type Progress struct {
	mu       sync.Mutex
	total    int
	n        int
	desc     string
	start    time.Time
	drawn    time.Time // when the bar was last redrawn
	handle   *Handle   // nil until first drawn, and always nil in text mode
	textMode bool
	width    int // length of the last text line, to blank its leftovers
	done     bool

	now func() time.Time // the clock, replaced by tests
	out io.Writer        // where text mode draws
}

// minRedraw is the shortest time between two redraws: often enough to look
// live, rarely enough that a fast loop is not slowed by display messages.
const minRedraw = 100 * time.Millisecond

// NewProgress shows a progress bar for total steps and returns it. A total of
// 0 or less means the number of steps is unknown: the bar then shows the count
// and the rate only. A count past total shows a full bar, and a negative
// count an empty one.
func NewProgress(total int) *Progress {
	return newProgress(total, time.Now, os.Stderr)
}

func newProgress(total int, now func() time.Time, out io.Writer) *Progress {
	p := &Progress{total: total, now: now, out: out, textMode: publisher() == nil}
	p.start = now()
	p.mu.Lock()
	p.draw()
	p.mu.Unlock()
	return p
}

// Describe sets the label shown before the bar, such as "epoch 3", and
// returns p. The label shows at the next redraw.
func (p *Progress) Describe(label string) *Progress {
	p.check("Describe")
	p.mu.Lock()
	p.desc = label
	p.mu.Unlock()
	return p
}

// Add advances the bar by n steps.
func (p *Progress) Add(n int) {
	p.check("Add")
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setLocked(p.n + n)
}

// Set moves the bar to step n.
func (p *Progress) Set(n int) {
	p.check("Set")
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setLocked(n)
}

func (p *Progress) setLocked(n int) {
	if p.done {
		return
	}
	p.n = n
	if p.now().Sub(p.drawn) >= minRedraw || (p.total > 0 && n >= p.total) {
		p.draw()
	}
}

// Done shows the final state and ends the bar: later calls of Add and Set
// change nothing. In text mode it ends the line. Calling Done again does
// nothing.
func (p *Progress) Done() {
	p.check("Done")
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.done = true
	p.draw()
	if p.textMode {
		fmt.Fprintln(p.out)
	}
}

// MIMEBundle returns the current state of the bar, so that a Progress left
// as a cell's last value shows as a bar; a nil or zero p has the text form
// of [Progress.String] alone.
func (p *Progress) MIMEBundle() map[string]any {
	if p.unmade() {
		return map[string]any{"text/plain": p.String()}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.bundle()
}

// DisplayID returns the id of the bar's display, or "" in text mode and for
// a nil or zero p; it makes a Progress [Displayed].
func (p *Progress) DisplayID() string {
	if p == nil {
		return ""
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.handle.DisplayID()
}

// String returns the text form of the bar: "<nil>" for a nil p, and a note
// for a zero one.
func (p *Progress) String() string {
	switch {
	case p == nil:
		return "<nil>"
	case p.unmade():
		return "<Progress: zero value; make one with display.NewProgress>"
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.text()
}

// unmade reports whether p is nil or a zero Progress, not made by
// NewProgress. The clock is set at making and never changes, so reading it
// needs no lock.
func (p *Progress) unmade() bool { return p == nil || p.now == nil }

// check panics, naming method, if p is nil or a zero Progress.
func (p *Progress) check(method string) {
	if p.unmade() {
		panicf("Progress.%s called on a nil or zero Progress; make one with display.NewProgress", method)
	}
}

// draw shows the current state. The caller holds p.mu.
func (p *Progress) draw() {
	p.drawn = p.now()
	if p.textMode {
		line := p.text()
		pad := max(p.width-len(line), 0)
		p.width = len(line)
		fmt.Fprint(p.out, "\r"+line+strings.Repeat(" ", pad))
		return
	}
	if p.handle == nil {
		p.handle = Data(p.bundle())
		return
	}
	p.handle.Update(p.bundle())
}

func (p *Progress) bundle() map[string]any {
	return Bundle{"text/plain": p.text(), "text/html": p.html()}
}

// barWidth is the number of characters of the text bar.
const barWidth = 20

// text renders the bar as one line: "label  45%|█████     | 45/100 [00:03<00:04, 12.3 it/s]".
func (p *Progress) text() string {
	var b strings.Builder
	if p.desc != "" {
		b.WriteString(p.desc + ": ")
	}
	if p.total > 0 {
		full := p.share(barWidth)
		fmt.Fprintf(&b, "%3d%%|%s%s| ", p.percent(), strings.Repeat("█", full), strings.Repeat(" ", barWidth-full))
	}
	b.WriteString(p.stats())
	return b.String()
}

// html renders the bar with the browser's own progress element, which both
// light and dark notebook themes style.
func (p *Progress) html() string {
	var b strings.Builder
	b.WriteString(`<div style="display:flex;align-items:center;gap:0.6em;font-family:monospace">`)
	if p.desc != "" {
		b.WriteString("<span>" + html.EscapeString(p.desc) + "</span>")
	}
	if p.total > 0 {
		fmt.Fprintf(&b, `<progress value="%d" max="%d" style="width:20em"></progress><span>%d%%</span>`,
			min(max(p.n, 0), p.total), p.total, p.percent())
	}
	b.WriteString("<span>" + html.EscapeString(p.stats()) + "</span></div>")
	return b.String()
}

func (p *Progress) percent() int { return p.share(100) }

// share returns scale·n/total rounded down, kept within [0, scale] for
// counts below zero or past total, and computed in floating point, where
// scale·n cannot overflow. The caller holds p.mu and has checked total > 0.
func (p *Progress) share(scale int) int {
	return int(min(max(float64(scale)*float64(p.n)/float64(p.total), 0), float64(scale)))
}

// stats renders count, elapsed time, time left and rate:
// "45/100 [00:03<00:04, 12.3 it/s]".
func (p *Progress) stats() string {
	elapsed := p.now().Sub(p.start)
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.n) / elapsed.Seconds()
	}
	if p.total <= 0 {
		return fmt.Sprintf("%d [%s, %s]", p.n, clock(elapsed), rateText(rate))
	}
	left := "?"
	switch {
	case p.n >= p.total:
		left = clock(0)
	case rate > 0:
		left = clock(time.Duration(float64(p.total-p.n) / rate * float64(time.Second)))
	}
	return fmt.Sprintf("%d/%d [%s<%s, %s]", p.n, p.total, clock(elapsed), left, rateText(rate))
}

// rateText shows slow loops as seconds per step, the way tqdm does, since
// "0.1 it/s" is harder to read than "8.0 s/it".
func rateText(rate float64) string {
	switch {
	case rate == 0:
		return "? it/s"
	case rate < 1:
		return fmt.Sprintf("%.1f s/it", 1/rate)
	default:
		return fmt.Sprintf("%.1f it/s", rate)
	}
}

// clock formats d as mm:ss, or h:mm:ss from an hour on.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}
