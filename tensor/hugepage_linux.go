package tensor

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the size of a transparent huge page on x86-64 and on arm64
// with 4 KB pages; where huge pages are bigger, advice on 2 MB-aligned
// ranges is merely less effective.
const hugePage = 2 << 20

// adviseHugePages asks the kernel to back the whole huge pages within the n
// bytes at p with huge pages when they are first touched. A 40 MB result
// then costs 20 page faults instead of 10,000, the difference between NumPy
// (which gives the same advice for its big arrays) and PyTorch (which does
// not) on out-of-place operations. Where the system allows huge pages only
// on request (transparent_hugepage set to madvise, the common default),
// this is that request; elsewhere it changes nothing. Failure is harmless
// and ignored.
func adviseHugePages(p unsafe.Pointer, n int) {
	lo := (uintptr(p) + hugePage - 1) &^ (hugePage - 1)
	hi := (uintptr(p) + uintptr(n)) &^ (hugePage - 1)
	if hi > lo {
		start := unsafe.Add(p, lo-uintptr(p))
		_ = unix.Madvise(unsafe.Slice((*byte)(start), hi-lo), unix.MADV_HUGEPAGE)
	}
}
