//go:build !linux

package tensor

import "unsafe"

// hugePage is the size below which buffers get no advice.
const hugePage = 2 << 20

// adviseHugePages does nothing where there are no transparent huge pages.
func adviseHugePages(p unsafe.Pointer, n int) {}
