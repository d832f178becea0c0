package tensor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"testing"
)

// flatOffset is the row-major position of idx in a tensor of the given shape.
func flatOffset(shape, idx []int) int {
	off := 0
	for d, i := range idx {
		off = off*shape[d] + i
	}
	return off
}

// generated describes a tensor whose element at flat position i is at(i), so that tests can
// print tensors of any size without storing them. reads, when not nil, counts element reads.
func generated(shape []int, kind elemKind, at func(i int) float64, reads *int) elements {
	get := func(idx []int) float64 {
		if reads != nil {
			*reads++
		}
		return at(flatOffset(shape, idx))
	}
	return elements{
		shape: shape,
		kind:  kind,
		float: get,
		int:   func(idx []int) int64 { return int64(get(idx)) },
	}
}

// floatsOf describes a float tensor held in a flat row-major slice.
func floatsOf(shape []int, v ...float64) elements {
	return generated(shape, kindFloat, func(i int) float64 { return v[i] }, nil)
}

// intsOf describes an integer tensor held in a flat row-major slice.
func intsOf(shape []int, v ...int64) elements {
	return elements{
		shape: shape,
		kind:  kindInt,
		int:   func(idx []int) int64 { return v[flatOffset(shape, idx)] },
	}
}

func boolsOf(shape []int, v ...bool) elements {
	return generated(shape, kindBool, func(i int) float64 {
		if v[i] {
			return 1
		}
		return 0
	}, nil)
}

func cycle(n int) func(int) float64 {
	return func(i int) float64 { return float64(i % n) }
}

// The expected strings below were printed by PyTorch 1.13 for the same tensors; they keep the
// layout rules checked where PyTorch itself is not installed (TestReprMatchesPyTorch checks
// many more cases against a live PyTorch).
func TestFormatTensor(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name     string
		e        elements
		suffixes []string
		want     string
	}{
		{"0-d float", floatsOf(nil, 3), nil, "tensor(3.)"},
		{"0-d fraction", floatsOf(nil, 2.5), nil, "tensor(2.5000)"},
		{"0-d nan", floatsOf(nil, nan), nil, "tensor(nan)"},
		{"integral floats", floatsOf([]int{3}, 1, 2, 3), nil, "tensor([1., 2., 3.])"},
		{"fixed", floatsOf([]int{2}, 1, 2.5), nil, "tensor([1.0000, 2.5000])"},
		{"scientific small", floatsOf([]int{2}, 1, 2.5e-5), nil, "tensor([1.0000e+00, 2.5000e-05])"},
		{"scientific large", floatsOf([]int{2}, 1, 1e9), nil, "tensor([1.0000e+00, 1.0000e+09])"},
		{"nonfinite", floatsOf([]int{4}, nan, inf, -inf, 1), nil, "tensor([nan, inf, -inf, 1.])"},
		{"zeros", floatsOf([]int{2}, 0, 0), nil, "tensor([0., 0.])"},
		{"ints", intsOf([]int{2, 2}, 1, -20, 300, 4), nil, "tensor([[  1, -20],\n        [300,   4]])"},
		{"bools", boolsOf([]int{2}, true, false), nil, "tensor([ True, False])"},
		{"3-d blocks", floatsOf([]int{2, 1, 2}, 1, 2, 3, 4), nil, "tensor([[[1., 2.]],\n\n        [[3., 4.]]])"},
		{"empty 1-d", floatsOf([]int{0}), nil, "tensor([])"},
		{"empty 2-d", floatsOf([]int{0, 3}), nil, "tensor([], size=(0, 3))"},
		{
			"empty with device and dtype", intsOf([]int{2, 0}), []string{"device='cuda:0'", "dtype=tensor.Int64"},
			"tensor([], device='cuda:0', size=(2, 0), dtype=tensor.Int64)",
		},
		{
			"suffixes", floatsOf([]int{2}, 1, 2), []string{"dtype=tensor.Float64", "requires_grad=True"},
			"tensor([1., 2.], dtype=tensor.Float64, requires_grad=True)",
		},
		{
			"wrapped row", generated([]int{30}, kindFloat, cycle(30), nil), nil,
			"tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n" +
				"        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n" +
				"        28., 29.])",
		},
		{
			"summarised", generated([]int{1001}, kindInt, cycle(1001), nil), nil,
			"tensor([   0,    1,    2,  ...,  998,  999, 1000])",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatTensor(tt.e, tt.suffixes); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// Printing a huge tensor reads only the elements it shows, as PyTorch computes its formatter
// on the summarised data only.
func TestFormatTensorReadsOnlyShownElements(t *testing.T) {
	tests := []struct {
		shape    []int
		maxReads int
	}{
		{[]int{1_000_000}, 3 * 6},
		{[]int{1000, 1000}, 3 * 36},
		{[]int{100, 100, 100}, 3 * 216},
	}
	for _, tt := range tests {
		t.Run(shapeTuple(tt.shape), func(t *testing.T) {
			reads := 0
			formatTensor(generated(tt.shape, kindFloat, func(i int) float64 { return float64(i) / 7 }, &reads), nil)
			if reads > tt.maxReads {
				t.Errorf("read %d elements, want at most %d", reads, tt.maxReads)
			}
		})
	}
}

// reprCase is one tensor of the PyTorch cross-check, as testdata/repr_torch.py reads it.
type reprCase struct {
	Name   string   `json:"name"`
	Shape  []int    `json:"shape"`
	DType  string   `json:"dtype"`  // torch attribute name: float32, int64, ...
	Values []string `json:"values"` // row-major; Python's float() and int() parse them exactly
	Grad   string   `json:"grad"`   // "", "requires_grad" or "grad_fn"
	Device bool     `json:"device"` // print as a tensor on a device other than the default
}

// elements describes the case's tensor as the tensor package would, floats rounded through
// float32 for Float32 tensors.
func (c reprCase) elements() elements {
	kind := kindInt
	switch c.DType {
	case "float32", "float64":
		kind = kindFloat
	case "bool":
		kind = kindBool
	}
	vals := make([]float64, len(c.Values))
	ints := make([]int64, len(c.Values))
	for i, s := range c.Values {
		if kind == kindInt {
			ints[i], _ = strconv.ParseInt(s, 10, 64)
		} else {
			vals[i], _ = strconv.ParseFloat(s, 64)
		}
	}
	if kind == kindInt {
		return intsOf(c.Shape, ints...)
	}
	e := floatsOf(c.Shape, vals...)
	e.kind = kind
	return e
}

// suffixes are what the tensor package passes for the case, by PyTorch's rules. The dtype is
// spelt as PyTorch spells it ("torch.float64", not gorch's "tensor.Float64", one character
// longer), so that suffixes wrap at the same places and the texts compare exactly.
func (c reprCase) suffixes() []string {
	var s []string
	if c.Device {
		s = append(s, "device='cpu'")
	}
	implied := c.DType == "float32" || c.DType == "int64" || c.DType == "bool"
	if len(c.Values) == 0 {
		implied = c.DType == "float32"
	}
	if !implied {
		s = append(s, "dtype=torch."+c.DType)
	}
	switch c.Grad {
	case "requires_grad":
		s = append(s, "requires_grad=True")
	case "grad_fn":
		s = append(s, "grad_fn=<MulBackward0>")
	}
	return s
}

// valueFamily generates n values of one kind that exercises a formatter decision.
type valueFamily struct {
	name string
	gen  func(r *rand.Rand, n int) []float64
}

func scaled(scale float64) func(r *rand.Rand, n int) []float64 {
	return func(r *rand.Rand, n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = r.NormFloat64() * scale
		}
		return v
	}
}

var floatFamilies = []valueFamily{
	{"normal", scaled(1)},
	{"hundreds", scaled(300)},
	{"large", scaled(1e9)},
	{"small", scaled(1e-3)},
	{"tiny", scaled(1e-6)},
	{"integral", func(r *rand.Rand, n int) []float64 {
		v := scaled(50)(r, n)
		for i := range v {
			v[i] = math.Round(v[i])
		}
		return v
	}},
	{"integral huge", func(r *rand.Rand, n int) []float64 {
		v := scaled(1e10)(r, n)
		for i := range v {
			v[i] = math.Round(v[i])
		}
		return v
	}},
	{"magnitudes", func(r *rand.Rand, n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = r.NormFloat64() * math.Pow(10, float64(r.IntN(9)-4))
		}
		return v
	}},
	{"ties", func(r *rand.Rand, n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(r.IntN(4000)-2000) / 32 // fifth decimal 5: rounding ties at 4 digits
		}
		return v
	}},
	{"special", func(r *rand.Rand, n int) []float64 {
		v := scaled(10)(r, n)
		specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1e-5}
		for i := range v {
			if r.IntN(4) == 0 {
				v[i] = specials[r.IntN(len(specials))]
			}
		}
		return v
	}},
	{"nonfinite only", func(r *rand.Rand, n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0}[r.IntN(4)]
		}
		return v
	}},
}

// intRanges are the value ranges of the integer dtypes checked.
var intRanges = map[string][2]int64{
	"int64": {math.MinInt64, math.MaxInt64},
	"int32": {math.MinInt32, math.MaxInt32},
	"int16": {math.MinInt16, math.MaxInt16},
	"int8":  {math.MinInt8, math.MaxInt8},
	"uint8": {0, math.MaxUint8},
}

func genValues(r *rand.Rand, dtype string, n int) (family string, vals []string) {
	vals = make([]string, n)
	switch dtype {
	case "float32", "float64":
		fam := floatFamilies[r.IntN(len(floatFamilies))]
		for i, v := range fam.gen(r, n) {
			if dtype == "float32" {
				v = float64(float32(v))
			}
			vals[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		return fam.name, vals
	case "bool":
		for i := range vals {
			vals[i] = strconv.Itoa(r.IntN(2))
		}
		return "random", vals
	}
	lim := intRanges[dtype]
	wide := r.IntN(3) == 0
	for i := range vals {
		var v int64
		switch {
		case wide && dtype == "int64":
			v = int64(r.Uint64())
		case wide:
			v = lim[0] + r.Int64N(lim[1]-lim[0]+1)
		default:
			v = max(lim[0], min(lim[1], r.Int64N(200)-50))
		}
		if r.IntN(50) == 0 {
			v = lim[r.IntN(2)] // the extremes are the widest numbers
		}
		vals[i] = strconv.FormatInt(v, 10)
	}
	return map[bool]string{true: "wide", false: "small"}[wide], vals
}

// reprCases builds the cross-check cases: every shape with every dtype, values drawn from a
// random family, and some of them with grad or device suffixes.
func reprCases() []reprCase {
	r := rand.New(rand.NewPCG(1, 2))
	shapes := [][]int{
		{}, {1}, {2}, {5}, {7}, {12}, {30}, {100}, {0}, {0, 3}, {3, 0}, {2, 0, 4},
		{2, 3}, {4, 1}, {1, 4}, {3, 4, 5}, {2, 2, 2, 2}, {1, 1, 1}, {3, 30}, {2, 3, 4, 5, 6},
		{1001}, {2000}, {40, 40}, {3, 400}, {400, 3}, {10, 10, 11}, {11, 11, 11},
		{1, 1001}, {1001, 1}, {7, 7, 7, 7}, {6, 6, 6, 6}, {2, 1000}, {1000, 2, 2}, {2, 2, 30}, {1, 100},
	}
	dtypes := []string{"float32", "float64", "int64", "int32", "int16", "int8", "uint8", "bool"}
	var cases []reprCase
	add := func(shape []int, dtype string) {
		n := 1
		for _, s := range shape {
			n *= s
		}
		fam, vals := genValues(r, dtype, n)
		c := reprCase{Shape: shape, DType: dtype, Values: vals}
		if dtype == "float32" || dtype == "float64" {
			c.Grad = []string{"", "", "requires_grad", "grad_fn"}[r.IntN(4)]
		}
		c.Device = r.IntN(5) == 0
		c.Name = fmt.Sprintf("%s %s %s grad=%q device=%v", dtype, shapeTuple(shape), fam, c.Grad, c.Device)
		cases = append(cases, c)
	}
	for _, shape := range shapes {
		for _, dtype := range dtypes {
			add(shape, dtype)
		}
	}
	// Every family in a row long enough to wrap, with suffixes long enough to wrap too.
	for range 3 {
		for n := 1; n <= 16; n++ {
			add([]int{n}, "float64")
		}
	}
	add([]int{1_000_000}, "float32")
	add([]int{1000, 1000}, "int64")
	return cases
}

// TestReprMatchesPyTorch prints many tensors both here and with PyTorch (through
// testdata/repr_torch.py) and wants the same text, dtype names aside.
func TestReprMatchesPyTorch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PyTorch")
	}
	cases := reprCases()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/usr/bin/python3", "testdata/repr_torch.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 || errors.Is(err, exec.ErrNotFound) {
		t.Skipf("no PyTorch to compare with: %v %s", err, stderr.String())
	}
	if err != nil {
		t.Fatalf("repr_torch.py: %v\n%s", err, stderr.String())
	}
	var want []string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("repr_torch.py output: %v", err)
	}
	if len(want) != len(cases) {
		t.Fatalf("repr_torch.py printed %d tensors, want %d", len(want), len(cases))
	}
	failed := 0
	for i, c := range cases {
		if got := formatTensor(c.elements(), c.suffixes()); got != want[i] {
			failed++
			if failed <= 5 {
				t.Errorf("%s:\ngot\n%s\nPyTorch\n%s", c.Name, got, want[i])
			}
		}
	}
	t.Logf("%d of %d cases print as in PyTorch", len(cases)-failed, len(cases))
}

func BenchmarkStringMillion(b *testing.B) {
	e := generated([]int{1000, 1000}, kindFloat, func(i int) float64 { return float64(i) / 7 }, nil)
	for b.Loop() {
		formatTensor(e, nil)
	}
}
