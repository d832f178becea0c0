package tensor

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gorch/gorch/autograd"
	"github.com/gorch/gorch/gpu"
)

// storage is the flat memory behind one or more tensors. Every view of it
// shares its buffer and its version counter.
type storage struct {
	be      backend
	index   int // device index, 0 on the CPU
	dtype   Dtype
	buf     any // on the CPU: []float32, []float64, []int64, []int32, []uint8 or []bool
	version autograd.Version
	// gradOnly marks memory that a backward pass allocated for a gradient
	// and that no leaf has taken over yet, so that a leaf's first gradient
	// may take it over instead of copying it (see accumulate).
	gradOnly bool
}

// view is what a kernel sees of one operand: a buffer and a strided layout
// over it. Kernels never see tensors, so a backend knows nothing of
// autograd or promotion.
type view struct {
	buf     any
	shape   []int
	strides []int
	off     int
}

// backend runs the kernels of one kind of device. The CPU's is built in; a
// CUDA backend fills the same table, so that every operation in this package
// dispatches on its operands' storage and none needs to know which device
// it runs on.
type backend interface {
	// kind names the device kind: "cpu" or "cuda".
	kind() string
	// alloc returns a zeroed buffer of n elements of dtype dt.
	alloc(dt Dtype, n int) any
	// copy writes src into dst, of the same shape, converting the dtype.
	copy(dst, src view)
	// binary writes op(a, b) into dst. a and b have dst's shape (broadcast
	// by zero strides) and one dtype; dst has that dtype too, or Bool for a
	// comparison.
	binary(op binaryOp, dst, a, b view)
	// unary writes op(src) into dst, of the same shape and dtype.
	unary(op unaryOp, dst, src view)
	// where writes cond ? a : b into dst; all four have dst's shape.
	where(dst, cond, a, b view)
	// reduce reduces src, contiguous from its offset on and seen as of
	// shape [outer, k, inner], along k into vals (and, for the arg
	// reductions and Max/Min along a dimension, the positions into idx, an
	// Int64 buffer), both of outer*inner contiguous elements. idx is nil
	// when not wanted.
	reduce(op reduceOp, vals, idx any, src view, outer, k, inner int)
	// softmax writes the softmax (or its logarithm) of src, contiguous from
	// its offset on and seen as of shape [outer, k, inner], along k into
	// dst, a whole buffer of that layout.
	softmax(log bool, dst any, src view, outer, k, inner int)
	// gemm computes c = a·b, or c += a·b when acc is set, for one matrix
	// of a batch (a m×k, b k×n, either given transposed); the offsets say
	// where each matrix starts.
	gemm(transA, transB, acc bool, m, n, k int, a any, aoff, lda int, b any, boff, ldb int, c any, coff, ldc int)
}

// deviceName is the name Device reports for a storage: "cpu", "cuda:0".
func (s *storage) deviceName() string {
	if s.be.kind() == "cpu" {
		return "cpu"
	}
	return s.be.kind() + ":" + strconv.Itoa(s.index)
}

// cudaBackend is nil until a CUDA backend is linked in, and cudaDevices is
// the number of devices it serves.
var (
	cudaBackend backend
	cudaDevices = 0
)

// cudaUnavailable says why tensors cannot move to a GPU, for the error
// To("cuda") panics with: no driver, no device, or no backend for the
// devices package gpu finds.
func cudaUnavailable() string {
	devices, err := gpu.Devices()
	switch {
	case err != nil:
		return err.Error()
	case len(devices) == 0:
		return "the CUDA driver found no device"
	}
	return fmt.Sprintf("gpu found %d CUDA device(s) (%s), but this build of gorch has no CUDA backend yet; tensors compute on the CPU",
		len(devices), devices[0].Name)
}

// CUDAAvailable reports whether tensors can be moved to an NVIDIA GPU.
func CUDAAvailable() bool { return cudaBackend != nil && cudaDevices > 0 }

// DeviceCount returns the number of CUDA devices, 0 when CUDA is not
// available.
func DeviceCount() int {
	if cudaBackend == nil {
		return 0
	}
	return cudaDevices
}

// parseDevice resolves a device string such as "cpu", "cuda" or "cuda:1".
// It panics with an *Error for an unknown device and for CUDA when it is
// not available.
func parseDevice(dev string) (backend, int) {
	kind, idx, hasIdx := strings.Cut(dev, ":")
	index := 0
	if hasIdx {
		n, err := strconv.Atoi(idx)
		if err != nil || n < 0 {
			panicf("Invalid device string: '%s'", dev)
		}
		index = n
	}
	switch kind {
	case "cpu":
		if index != 0 {
			panicf("Invalid device string: '%s'", dev)
		}
		return cpu, 0
	case "cuda":
		if !CUDAAvailable() {
			panicf("CUDA is not available: %s", cudaUnavailable())
		}
		if index >= cudaDevices {
			panicf("CUDA error: invalid device ordinal (device %d requested, %d available)", index, cudaDevices)
		}
		return cudaBackend, index
	}
	panicf("Expected one of cpu, cuda device type at start of device string: %s", dev)
	return nil, 0
}

// newStorage allocates a zeroed storage of n elements on a device.
func newStorage(be backend, index int, dt Dtype, n int) *storage {
	return &storage{be: be, index: index, dtype: dt, buf: be.alloc(dt, n)}
}
