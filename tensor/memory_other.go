//go:build !linux

package tensor

// maxBuffer returns the most bytes one buffer may take where the machine's
// memory is not asked for: Go's own limit for one allocation.
func maxBuffer() uint64 { return goMaxAlloc }
