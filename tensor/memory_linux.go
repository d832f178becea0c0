package tensor

import (
	"sync"

	"golang.org/x/sys/unix"
)

// maxBuffer returns the most bytes one buffer may take: the machine's
// memory and swap, beyond which Linux refuses the memory and the Go
// runtime, unable to get it, kills the process. If the kernel cannot say,
// the limit is Go's own for one allocation.
var maxBuffer = sync.OnceValue(func() uint64 {
	var info unix.Sysinfo_t
	if unix.Sysinfo(&info) != nil {
		return goMaxAlloc
	}
	return min((uint64(info.Totalram)+uint64(info.Totalswap))*uint64(info.Unit), goMaxAlloc)
})
