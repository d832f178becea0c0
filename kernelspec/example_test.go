package kernelspec_test

import (
	"encoding/json"
	"fmt"

	"github.com/gorch/gorch/kernelspec"
)

// The kernel.json that `gorch install` writes for a binary in /usr/local/bin.
func ExampleNewSpec() {
	spec, _ := json.MarshalIndent(kernelspec.NewSpec("/usr/local/bin/gorch"), "", "  ")
	fmt.Println(string(spec))
	// Output:
	// {
	//   "argv": [
	//     "/usr/local/bin/gorch",
	//     "kernel",
	//     "-f",
	//     "{connection_file}"
	//   ],
	//   "display_name": "Go (gorch)",
	//   "language": "go",
	//   "interrupt_mode": "message",
	//   "metadata": {
	//     "debugger": false
	//   }
	// }
}
