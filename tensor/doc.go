// Package tensor is gorch's n-dimensional array: PyTorch's Tensor in Go,
// with dtypes, broadcasting, views, reductions, matrix products, in-place
// operations and reverse-mode autograd. Names and error messages follow
// PyTorch so that what a notebook user knows carries over.
//
//	a := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
//	b := a.Pow(2).Sum()
//	b.Backward()
//	fmt.Println(a.Grad()) // tensor([2., 4.])
//
// # Storage, strides and aliasing
//
// A [Tensor] is a view over a storage: a flat buffer on one device, with a
// shape, one stride per dimension and an offset. Element (i, j) of a 2-D
// tensor lives at offset + i·stride[0] + j·stride[1]. The view operations
// ([Tensor.View], [Tensor.Reshape] when it can, [Tensor.T],
// [Tensor.Transpose], [Tensor.Permute], [Tensor.Squeeze],
// [Tensor.Unsqueeze], [Tensor.Expand], [Tensor.Select], [Tensor.Narrow],
// [Tensor.Slice], [Tensor.Split], [Tensor.Chunk], [Tensor.Detach]) return
// tensors over the same storage: writing through one (an in-place
// operation such as [Tensor.Add_]) changes the others. Everything else,
// including [Tensor.Clone] and [Tensor.Contiguous] of a non-contiguous
// tensor, returns a tensor with storage of its own.
//
// Go slices meet tensors in two ways. [New] copies; [FromSlice] wraps the
// slice itself, so that changes to either show in the other. The accessors
// [Tensor.Float32s], [Tensor.Float64s], [Tensor.Int64s], [Tensor.Int32s],
// [Tensor.Uint8s] and [Tensor.Bools] return the storage as a slice, shared;
// they panic for a tensor that is not contiguous (its elements are not one
// run of memory; call Contiguous, which copies), one on a GPU (call Cpu) and
// one that requires grad (call Detach: writes would bypass autograd).
// [Tensor.ToSlice] always copies, into nested slices. [FromDense] shares a
// gonum matrix's memory; [Tensor.Dense] copies.
//
// Every storage has a version counter that in-place operations bump, shared
// by all its views ([Tensor.Version]); autograd uses it to detect that a
// value saved for backward was overwritten.
//
// # Devices
//
// A storage knows its device, and every operation dispatches its kernels
// through the device's backend, so tensors on different devices never mix
// (an operation on two panics). This build has the CPU backend only:
// [CUDAAvailable] is false, [DeviceCount] 0, [Tensor.Device] "cpu", and
// [Tensor.To]("cuda") and [Tensor.Cuda] panic with "CUDA is not
// available: ...". A CUDA backend fills the same kernel table.
//
// # Dtypes and promotion
//
// The dtypes are [Float32] (the default for floats), [Float64], [Int64]
// (the default for integers), [Int32], [Uint8] and [Bool]. An operation on
// operands of different dtypes computes in the promoted dtype, by PyTorch's
// rules: the larger dtype of the same category wins (Float32 and Float64
// give Float64; Int32 and Int64 give Int64), and a float beats an integer,
// which beats a Bool. Go numbers passed as operands (a.Add(2.5)) and 0-dim
// tensors only change the result's dtype when they are of a higher
// category: a Float32 tensor plus 2.5 stays Float32, an Int64 tensor plus
// 2.5 becomes Float32 (the default float), a Uint8 tensor plus 300 stays
// Uint8 (and wraps). [Tensor.Div] is true division: integers give Float32.
// Comparisons give Bool. The transcendental functions (Exp, Log, Sqrt, ...)
// give Float32 for integer tensors. Sums and products of integers give
// Int64.
//
// # Broadcasting
//
// Elementwise operations broadcast as NumPy and PyTorch do: shapes are
// aligned at their last dimension, and two sizes match when they are equal
// or one of them is 1, which is then repeated (without copying: its stride
// is 0). Missing leading dimensions count as 1. [3, 1] and [1, 4] give
// [3, 4]; [2, 3] and [4] do not broadcast, and the panic names both sizes
// and the dimension.
//
// # Errors
//
// Misuse panics with an [*Error] whose Msg reads like PyTorch's message for
// the same mistake ("The size of tensor a (3) must match the size of tensor
// b (4) at non-singleton dimension 1", "Dimension out of range (expected to
// be in range of [-2, 1], but got 2)"). A nil *Tensor, as receiver or
// operand, panics the same way, naming the function the caller called
// ("nil tensor in Add: ..."); only String accepts it, printing "<nil>" as
// fmt does for nil pointers. No other panic escapes the package.
// [Try] turns such a panic into an error at a boundary of the caller's
// choosing.
//
// # Autograd
//
// A tensor made with [RequiresGrad] (or marked with [Tensor.RequiresGrad_])
// is a leaf that requires grad. Every differentiable operation on it
// records, right after computing its result, a node (PyTorch's grad_fn,
// [Tensor.GradFn]) holding the backward function and only the values that
// function needs. [Tensor.Backward] walks the nodes in reverse and adds the
// gradients into the leaves' [Tensor.Grad]; gradients of broadcast operands
// are summed back to the operands' shapes in one place. The graph is freed
// as backward runs unless [Tensor.BackwardRetainGraph] is used. [NoGrad]
// turns recording off, as for an optimizer's update; [Tensor.Detach] cuts
// a tensor from the graph.
//
// In-place operations on a leaf that requires grad panic (outside NoGrad),
// as do those on its views. On other tensors they are recorded: the tensor
// takes the operation's node as its grad_fn. An in-place operation through
// a view rewrites the history of the view's base, as PyTorch does: the
// base's grad_fn becomes CopySlices, which sends the gradient of the
// changed part through the operation, and the view's, and that of every
// other view of the base used afterwards, becomes AsStridedBackward0 of
// the base's new history. Values overwritten by Fill_, Zero_ or Copy_ get
// a zero gradient. If a value saved for backward is modified in place
// afterwards, Backward panics with PyTorch's "one of the variables needed
// for gradient computation has been modified by an inplace operation"
// message.
//
// # Speed
//
// Arithmetic (Add, Sub, Mul, Div and their in-place forms) and sums of
// Float32 and Float64 tensors run in AVX-512 or AVX2 assembly where the CPU
// has it (internal/vec), other kernels in generic Go loops with tight paths
// for contiguous operands. Work on more than 64Ki elements is split over
// all cores, in chunks the cores take turns on. Float32 and Float64 matrix
// products use the assembly GEMM in internal/gemm.
//
// An operation on contiguous tensors of one dtype and shape, or on such a
// tensor and a Go number, with nothing to record for autograd, takes a
// path that allocates only its result (three allocations) and costs a few
// hundred nanoseconds. Every operation on a large tensor allocates its
// result and nothing else of its size; buffers of 4 MB and more are backed
// by huge pages where Linux allows it on request, as NumPy's are, which
// makes the page faults of a fresh result cheap.
//
// Float sums are cascades, as PyTorch's are: Float32 elements are added
// eight to a float32 sum, those sums in float64, and blocks of 4096
// elements pairwise, so that a Float32 sum of many elements keeps all the
// digits Float32 can hold (summing 2**24 + 1000 ones gives exactly that).
// The result does not depend on the number of cores.
package tensor
