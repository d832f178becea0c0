package tensor_test

import (
	"math"
	"testing"

	"github.com/gorch/gorch/tensor"
)

func TestPromotion(t *testing.T) {
	f32, f64 := tensor.Ones(2), tensor.Ones(2).Double()
	i64, i32, u8, b := tensor.Arange(2), tensor.Arange(2).To(tensor.Int32), tensor.Arange(2).To(tensor.Uint8), tensor.Ones(2).To(tensor.Bool)
	tests := []struct {
		name string
		x    *tensor.Tensor
		want tensor.Dtype
	}{
		{"f32+f64", f32.Add(f64), tensor.Float64},
		{"i64+f32", i64.Add(f32), tensor.Float32},
		{"f32+2.5", f32.Add(2.5), tensor.Float32},
		{"f64+2", f64.Add(2), tensor.Float64},
		{"i64+2.5", i64.Add(2.5), tensor.Float32},
		{"i32+i64", i32.Add(i64), tensor.Int64},
		{"u8+i32", u8.Add(i32), tensor.Int32},
		{"u8+300", u8.Add(300), tensor.Uint8},
		{"bool+bool", b.Add(b), tensor.Bool},
		{"bool+1", b.Add(1), tensor.Int64},
		{"bool*1.5", b.Mul(1.5), tensor.Float32},
		{"i32+0d i64", i32.Add(tensor.New(int64(5))), tensor.Int32},
		{"f32+0d f64", f32.Add(tensor.New(5.0)), tensor.Float32},
		{"i32+0d f64", i32.Add(tensor.New(5.0)), tensor.Float64},
		{"i64/i64", i64.Div(i64), tensor.Float32},
		{"i64/2", i64.Div(2), tensor.Float32},
		{"f64/2", f64.Div(2), tensor.Float64},
		{"i64 pow 2", i64.Pow(2), tensor.Int64},
		{"i64 pow 0.5", i64.Pow(0.5), tensor.Float32},
		{"i64<f32", i64.Lt(f32), tensor.Bool},
		{"exp(i64)", i64.Exp(), tensor.Float32},
		{"abs(i32)", i32.Abs(), tensor.Int32},
		{"neg(u8)", u8.Neg(), tensor.Uint8},
		{"relu(i64)", i64.ReLU(), tensor.Int64},
		{"where", tensor.Where(b, i32, 1.5), tensor.Float32},
		{"sum(i32)", i32.Sum(), tensor.Int64},
		{"sum(bool)", b.Sum(), tensor.Int64},
		{"max(u8)", u8.Max(), tensor.Uint8},
		{"clamp(i64, 0.5)", i64.Clamp(0.5, nil), tensor.Float32},
		{"cat", tensor.Cat(0, i32, f64), tensor.Float64},
	}
	for _, tt := range tests {
		if got := tt.x.Dtype(); got != tt.want {
			t.Errorf("%s: dtype %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestElementwise(t *testing.T) {
	a := tensor.New([]float64{-2, -0.5, 0, 1.5})
	b := tensor.New([]float64{1, 2, 3, 4})
	tests := []struct {
		name string
		x    *tensor.Tensor
		want []float64
	}{
		{"Add", a.Add(b), []float64{-1, 1.5, 3, 5.5}},
		{"AddScalar", a.Add(1), []float64{-1, 0.5, 1, 2.5}},
		{"Sub", a.Sub(b), []float64{-3, -2.5, -3, -2.5}},
		{"Mul", a.Mul(b), []float64{-2, -1, 0, 6}},
		{"Div", a.Div(b), []float64{-2, -0.25, 0, 0.375}},
		{"Pow", b.Pow(2), []float64{1, 4, 9, 16}},
		{"PowTensor", b.Pow(a), []float64{1, math.Pow(2, -0.5), 1, math.Pow(4, 1.5)}},
		{"Neg", a.Neg(), []float64{2, 0.5, 0, -1.5}},
		{"Abs", a.Abs(), []float64{2, 0.5, 0, 1.5}},
		{"Sign", a.Sign(), []float64{-1, -1, 0, 1}},
		{"Exp", b.Exp(), []float64{math.E, math.Exp(2), math.Exp(3), math.Exp(4)}},
		{"Log", b.Log(), []float64{0, math.Ln2, math.Log(3), math.Log(4)}},
		{"Sqrt", b.Sqrt(), []float64{1, math.Sqrt2, math.Sqrt(3), 2}},
		{"Sin", a.Sin(), []float64{math.Sin(-2), math.Sin(-0.5), 0, math.Sin(1.5)}},
		{"Cos", a.Cos(), []float64{math.Cos(-2), math.Cos(-0.5), 1, math.Cos(1.5)}},
		{"Tanh", a.Tanh(), []float64{math.Tanh(-2), math.Tanh(-0.5), 0, math.Tanh(1.5)}},
		{"Sigmoid", a.Sigmoid(), []float64{1 / (1 + math.Exp(2)), 1 / (1 + math.Exp(0.5)), 0.5, 1 / (1 + math.Exp(-1.5))}},
		{"ReLU", a.ReLU(), []float64{0, 0, 0, 1.5}},
		{"Clamp", a.Clamp(-1, 1), []float64{-1, -0.5, 0, 1}},
		{"ClampMin", a.Clamp(0, nil), []float64{0, 0, 0, 1.5}},
		{"ClampMax", a.Clamp(nil, 0), []float64{-2, -0.5, 0, 0}},
		{"Maximum", a.Maximum(b.Sub(2)), []float64{-1, 0, 1, 2}},
		{"Minimum", a.Minimum(0), []float64{-2, -0.5, 0, 0}},
		{"Where", tensor.Where(a.Gt(0), a, b), []float64{1, 2, 3, 1.5}},
	}
	for _, tt := range tests {
		if !tt.x.AllClose(tensor.New(tt.want)) {
			t.Errorf("%s = %v, want %v", tt.name, tt.x.ToSlice(), tt.want)
		}
	}
}

func TestComparisons(t *testing.T) {
	a := tensor.New([]int{1, 2, 3})
	tests := []struct {
		name string
		x    *tensor.Tensor
		want string
	}{
		{"Eq", a.Eq(2), "[false true false]"},
		{"Ne", a.Ne(2), "[true false true]"},
		{"Lt", a.Lt(2), "[true false false]"},
		{"Le", a.Le(2), "[true true false]"},
		{"Gt", a.Gt(2.5), "[false false true]"},
		{"Ge", a.Ge(tensor.New([]float32{1, 3, 3})), "[true false true]"},
		{"BoolEq", a.Gt(1).Eq(true), "[false true true]"},
		{"NaN", tensor.New([]float64{math.NaN()}).Eq(math.NaN()), "[false]"},
	}
	for _, tt := range tests {
		if tt.x.Dtype() != tensor.Bool || vals(tt.x) != tt.want {
			t.Errorf("%s = %s %s, want Bool %s", tt.name, tt.x.Dtype(), vals(tt.x), tt.want)
		}
	}
}

func TestIntegerArithmetic(t *testing.T) {
	a := tensor.New([]int{-3, 2, 5})
	tests := []struct {
		name string
		x    *tensor.Tensor
		want string
	}{
		{"Add", a.Add(1), "[-2 3 6]"},
		{"Mul", a.Mul(a), "[9 4 25]"},
		{"Pow", a.Pow(3), "[-27 8 125]"},
		{"PowNeg", tensor.New([]int{1, -1, 2}).Pow(tensor.New([]int{-2, -3, -1})), "[1 -1 0]"},
		{"Abs", a.Abs(), "[3 2 5]"},
		{"Neg", a.Neg(), "[3 -2 -5]"},
		{"Max", a.Maximum(0), "[0 2 5]"},
		{"U8Wrap", tensor.New([]uint8{250}).Add(10), "[4]"},
		{"BoolOr", tensor.New([]bool{true, false, false}).Add(tensor.New([]bool{false, false, true})), "[true false true]"},
		{"BoolAnd", tensor.New([]bool{true, true}).Mul(tensor.New([]bool{false, true})), "[false true]"},
	}
	for _, tt := range tests {
		if vals(tt.x) != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, vals(tt.x), tt.want)
		}
	}
	panics(t, "Subtraction, the `-` operator, with two bool tensors is not supported", func() { a.Gt(0).Sub(a.Gt(0)) })
	panics(t, "Negation, the `-` operator, on a bool tensor is not supported", func() { a.Gt(0).Neg() })
}

func TestBroadcasting(t *testing.T) {
	tests := []struct {
		a, b []int
		want string
	}{
		{[]int{3, 1}, []int{1, 4}, "[3 4]"},
		{[]int{2, 3}, []int{3}, "[2 3]"},
		{[]int{5, 1, 4}, []int{3, 1}, "[5 3 4]"},
		{[]int{}, []int{2, 2}, "[2 2]"},
		{[]int{0, 3}, []int{1, 3}, "[0 3]"},
		{[]int{2, 1, 1}, []int{1, 1}, "[2 1 1]"},
	}
	for _, tt := range tests {
		x, y := tensor.Ones(tt.a...), tensor.Ones(tt.b...)
		if got := shapeOf(x.Add(y)); got != tt.want {
			t.Errorf("%v + %v: shape %s, want %s", tt.a, tt.b, got, tt.want)
		}
	}
	col := tensor.New([][]int{{1}, {2}, {3}})
	row := tensor.New([]int{10, 20})
	if got := vals(col.Add(row)); got != "[[11 21] [12 22] [13 23]]" {
		t.Errorf("column + row = %s", got)
	}
	// A transposed operand walks memory out of order.
	m := tensor.Arange(6).Reshape(2, 3)
	if got := vals(m.T().Add(m.T())); got != "[[0 6] [2 8] [4 10]]" {
		t.Errorf("transposed add = %s", got)
	}
	panics(t, "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1", func() {
		tensor.Ones(2, 3).Add(tensor.Ones(4))
	})
	panics(t, "expected a *tensor.Tensor or a Go number, got string", func() { tensor.Ones(1).Add("x") })
	panics(t, "nil tensor in Add: the *Tensor is nil", func() { tensor.Ones(1).Add((*tensor.Tensor)(nil)) })
}

// TestParallel runs tensors past the size where work is split over cores,
// with shapes that make the chunks start mid-row.
func TestParallel(t *testing.T) {
	const n = 300_001
	a := tensor.Arange(n).Double()
	b := a.Reshape(-1, 1).Expand(n, 2).Sum(1)
	if want := float64(n) * float64(n-1); b.Sum().Item() != want {
		t.Errorf("sum of 2·arange = %v, want %v", b.Sum().Item(), want)
	}
	m := tensor.Arange(3*n).Reshape(3, n)
	if got := vals(m.Max(1)); got != "[300000 600001 900002]" {
		t.Errorf("Max(1) = %s", got)
	}
	if got := m.T().Contiguous().Select(0, n-1); vals(got) != "[300000 600001 900002]" {
		t.Errorf("transposed copy row = %s", vals(got))
	}
	if got := m.Argmax().ItemInt(); got != 3*n-1 {
		t.Errorf("Argmax = %d", got)
	}
	// The fast paths for contiguous floats, on every dtype they serve,
	// out of place and in place, with tensors and numbers.
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		x := tensor.Arange(n).To(dt)
		if d := x.Add(x).Sub(x.Mul(2)).Abs().Max().Item(); d != 0 {
			t.Errorf("%s: x+x differs from x*2 by up to %v", dt, d)
		}
		z := x.Clone().Add_(1).Sub_(x).Mul_(x.Add(1)).Div_(x.Add(1))
		if got := z.Sum().Item(); got != n {
			t.Errorf("%s: in-place chain sums to %v, want %d", dt, got, n)
		}
		if got := vals(tensor.Ones(n, 3).To(dt).Sum(0)); got != "[300001 300001 300001]" {
			t.Errorf("%s: column sums %s", dt, got)
		}
		// A broadcast number along rows takes the general path's vector runs.
		bias := x.Reshape(-1, 1).Add(tensor.Ones(3).To(dt)).Sub(x.Reshape(-1, 1))
		if got := bias.Sum().Item(); got != 3*n {
			t.Errorf("%s: broadcast bias sums to %v, want %d", dt, got, 3*n)
		}
	}
}

func TestAllCloseEqual(t *testing.T) {
	a := tensor.New([]float32{1, 2})
	if !a.AllClose(tensor.New([]float32{1, 2.000001})) || a.AllClose(tensor.New([]float32{1, 2.1})) {
		t.Error("AllClose")
	}
	if !a.AllClose(tensor.New([]float32{1.05, 2}), 0.1) {
		t.Error("AllClose with rtol")
	}
	if !a.Equal(tensor.New([]float32{1, 2})) || a.Equal(tensor.New([]float32{1, 3})) || a.Equal(tensor.New([]float32{1, 2, 3})) {
		t.Error("Equal")
	}
	nan := tensor.New([]float64{math.NaN()})
	if nan.Equal(nan) || nan.AllClose(nan) {
		t.Error("NaN compares equal")
	}
}

func TestPackageForms(t *testing.T) {
	a, b := tensor.New([]float32{1, 2}), tensor.New([]float32{3, 4})
	tests := []struct {
		name     string
		got, exp *tensor.Tensor
	}{
		{"Add", tensor.Add(a, b), a.Add(b)},
		{"Sub", tensor.Sub(a, 1), a.Sub(1)},
		{"Mul", tensor.Mul(a, b), a.Mul(b)},
		{"Div", tensor.Div(a, b), a.Div(b)},
		{"Pow", tensor.Pow(a, 2), a.Pow(2)},
		{"Maximum", tensor.Maximum(a, b), b},
		{"Minimum", tensor.Minimum(a, b), a},
		{"Sum", tensor.Sum(a), a.Sum()},
		{"Mean", tensor.Mean(a), a.Mean()},
		{"MatMul", tensor.MatMul(a, b), a.Dot(b)},
		{"Dot", tensor.Dot(a, b), tensor.New(float32(11))},
		{"Outer", tensor.Outer(a, b), a.Outer(b)},
		{"Mm", tensor.Mm(a.Reshape(1, 2), b.Reshape(2, 1)), tensor.New([][]float32{{11}})},
		{"Bmm", tensor.Bmm(a.Reshape(1, 1, 2), b.Reshape(1, 2, 1)), tensor.New([][][]float32{{{11}}})},
	}
	for _, tt := range tests {
		if !tt.got.Equal(tt.exp) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.exp)
		}
	}
}
