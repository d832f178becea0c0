package tensor_test

import (
	"math"
	"testing"

	"github.com/gorch/gorch/gpu"
	"github.com/gorch/gorch/tensor"
	"gonum.org/v1/gonum/mat"
)

func TestSharedSlices(t *testing.T) {
	tests := []struct {
		name string
		x    *tensor.Tensor
		get  func(*tensor.Tensor) any
	}{
		{"Float32s", tensor.Zeros(3), func(x *tensor.Tensor) any { s := x.Float32s(); s[0] = 1; return s }},
		{"Float64s", tensor.Zeros(3).Double(), func(x *tensor.Tensor) any { s := x.Float64s(); s[0] = 1; return s }},
		{"Int64s", tensor.Zeros(3).Long(), func(x *tensor.Tensor) any { s := x.Int64s(); s[0] = 1; return s }},
		{"Int32s", tensor.Zeros(3).To(tensor.Int32), func(x *tensor.Tensor) any { s := x.Int32s(); s[0] = 1; return s }},
		{"Uint8s", tensor.Zeros(3).To(tensor.Uint8), func(x *tensor.Tensor) any { s := x.Uint8s(); s[0] = 1; return s }},
		{"Bools", tensor.Zeros(3).To(tensor.Bool), func(x *tensor.Tensor) any { s := x.Bools(); s[0] = true; return s }},
	}
	for _, tt := range tests {
		tt.get(tt.x)
		if tt.x.Sum().Item() != 1 {
			t.Errorf("%s does not share memory: %v", tt.name, tt.x)
		}
		// A contiguous view shares the part it covers.
		row := tt.x.Narrow(0, 1, 2)
		tt.get(row)
		if tt.x.Sum().Item() != 2 {
			t.Errorf("%s of a view does not share memory: %v", tt.name, tt.x)
		}
	}
	panics(t, "Float32s: the tensor is not contiguous", func() { tensor.Zeros(2, 2).T().Float32s() })
	panics(t, "Float32s: can't share the memory of a tensor that requires grad; use Detach() first", func() {
		tensor.Zeros(2).RequiresGrad_(true).Float32s()
	})
	panics(t, "Int64s: the tensor is Float32, not Int64; convert it with To(tensor.Int64) first", func() { tensor.Zeros(2).Int64s() })
	if s := tensor.Zeros(2).RequiresGrad_(true).Detach().Cpu().Float32s(); len(s) != 2 {
		t.Error("the DESIGN's safe chain fails")
	}
}

func TestItemToSlice(t *testing.T) {
	if v := tensor.New([]float32{2.5}).Item(); v != 2.5 {
		t.Errorf("Item = %v", v)
	}
	if v := tensor.New(true).Item(); v != 1 {
		t.Errorf("Item(true) = %v", v)
	}
	if v := tensor.New(int64(math.MaxInt64)).ItemInt(); v != math.MaxInt64 {
		t.Errorf("ItemInt = %v", v)
	}
	if v := tensor.Arange(6).Reshape(2, 3).T().Select(0, 2).Select(0, 1).Item(); v != 5 {
		t.Errorf("Item of a view = %v", v)
	}
	panics(t, "a Tensor with 2 elements cannot be converted to Scalar", func() { tensor.Zeros(2).Item() })
	s := tensor.Arange(6).Reshape(2, 3).T().ToSlice().([][]int64)
	if len(s) != 3 || s[2][1] != 5 {
		t.Errorf("ToSlice = %v", s)
	}
	if v := tensor.New(float32(1.5)).ToSlice().(float32); v != 1.5 {
		t.Errorf("ToSlice of 0-dim = %v", v)
	}
}

func TestGonum(t *testing.T) {
	d := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	x := tensor.FromDense(d)
	if x.Dtype() != tensor.Float64 || vals(x) != "[[1 2 3] [4 5 6]]" {
		t.Fatalf("FromDense = %s %s", x.Dtype(), vals(x))
	}
	d.Set(0, 0, 9)
	if x.Select(0, 0).Select(0, 0).Item() != 9 {
		t.Error("FromDense does not share memory")
	}
	sub := tensor.FromDense(d.Slice(0, 2, 1, 3).(*mat.Dense))
	if vals(sub) != "[[2 3] [5 6]]" {
		t.Errorf("FromDense of a gonum view = %s", vals(sub))
	}
	back := x.T().Dense()
	if r, c := back.Dims(); r != 3 || c != 2 || back.At(2, 1) != 6 {
		t.Errorf("Dense = %v", mat.Formatted(back))
	}
	if r, c := tensor.Arange(3).Dense().Dims(); r != 3 || c != 1 {
		t.Errorf("Dense of 1-D: %dx%d", r, c)
	}
	panics(t, "Dense needs a 1-D or 2-D tensor", func() { tensor.Zeros(1, 1, 1).Dense() })
	panics(t, "gonum matrices cannot be empty", func() { tensor.Zeros(0, 2).Dense() })
}

func TestDtypeConversion(t *testing.T) {
	x := tensor.New([]float64{-1.7, 0, 2.5})
	tests := []struct {
		dtype tensor.Dtype
		want  string
	}{
		{tensor.Float32, "[-1.7 0 2.5]"},
		{tensor.Int64, "[-1 0 2]"},
		{tensor.Int32, "[-1 0 2]"},
		{tensor.Bool, "[true false true]"},
		{tensor.Uint8, "[255 0 2]"},
	}
	for _, tt := range tests {
		y := x.To(tt.dtype)
		if y.Dtype() != tt.dtype || vals(y) != tt.want {
			t.Errorf("To(%s) = %s %s, want %s", tt.dtype, y.Dtype(), vals(y), tt.want)
		}
	}
	if x.To(tensor.Float64) != x || x.To("cpu") != x || x.Cpu() != x {
		t.Error("To without a change does not return the tensor itself")
	}
	if got := tensor.New([]bool{true, false}).Long(); vals(got) != "[1 0]" {
		t.Errorf("Bool to Int64 = %s", vals(got))
	}
	if tensor.Float64.String() != "Float64" || tensor.Dtype(99).String() != "Dtype(99)" || tensor.Float32.ItemSize() != 4 {
		t.Error("Dtype String/ItemSize")
	}
	panics(t, "To takes dtypes and device strings, got int", func() { x.To(3) })
}

func TestDevices(t *testing.T) {
	if tensor.CUDAAvailable() || tensor.DeviceCount() != 0 {
		t.Error("CUDA reported available in a build without a CUDA backend")
	}
	x := tensor.Ones(2)
	if x.Device() != "cpu" || x.IsCuda() {
		t.Errorf("Device = %q", x.Device())
	}
	// The error gives package gpu's reason: the missing driver here, or the
	// devices it found where the driver exists.
	reason := "this build of gorch has no CUDA backend yet"
	if _, err := gpu.Devices(); err != nil {
		reason = err.Error()
	}
	panics(t, reason, func() { x.To("cuda") })
	panics(t, "CUDA is not available: ", func() { x.Cuda() })
	panics(t, "Invalid device string: 'cuda:x'", func() { x.To("cuda:x") })
	panics(t, "Invalid device string: 'cpu:1'", func() { x.To("cpu:1") })
	panics(t, "Expected one of cpu, cuda device type at start of device string: tpu", func() { x.To("tpu") })
	if err := tensor.Try(func() { x.Cuda() }); err == nil || err.Error()[:len("tensor: CUDA")] != "tensor: CUDA" {
		t.Errorf("Error() = %v", err)
	}
}

func TestTry(t *testing.T) {
	if err := tensor.Try(func() {}); err != nil {
		t.Errorf("Try of a normal return = %v", err)
	}
	defer func() {
		if r := recover(); r != "not ours" {
			t.Errorf("Try swallowed a foreign panic: %v", r)
		}
	}()
	_ = tensor.Try(func() { panic("not ours") })
}
