package display_test

import "github.com/gorch/gorch/display"

// Outside a notebook, display prints the text form of what it shows.
func Example() {
	h := display.Markdown("*loading*")
	h.Update(display.Bundle{"text/plain": "done"})
	display.HTML("<b>3</b> items")
	// Output:
	// *loading*
	// done
	// 3 items
}
