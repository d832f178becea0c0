package tensor_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"strconv"
	"testing"

	"github.com/gorch/gorch/tensor"
)

// torchInput is one input of a cross-check case as the Python side reads it.
type torchInput struct {
	Values []float64 `json:"values"`
	Shape  []int     `json:"shape"`
	Dtype  string    `json:"dtype"`
	Grad   bool      `json:"grad"`
}

type torchCase struct {
	Inputs []torchInput `json:"inputs"`
	Expr   string       `json:"expr"`
}

// torchResult holds PyTorch's answer; values may be "nan" or "inf" strings.
type torchResult struct {
	Values []any   `json:"values"`
	Shape  []int   `json:"shape"`
	Dtype  string  `json:"dtype"`
	Grads  [][]any `json:"grads"`
	Error  string  `json:"error"`
}

// crossCase is an operation written twice: in Go, and as the Python
// expression PyTorch evaluates on the same inputs.
type crossCase struct {
	expr string
	f    func(x ...*tensor.Tensor) *tensor.Tensor
}

func crossCases() []crossCase {
	return []crossCase{
		{"a + b", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Add(x[1]) }},
		{"a - b * 2.5", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Sub(x[1].Mul(2.5)) }},
		{"a * b", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Mul(x[1]) }},
		{"a / (b.abs() + 1)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Div(x[1].Abs().Add(1)) }},
		{"a.abs().pow(b)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Abs().Pow(x[1]) }},
		{"a ** 3", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Pow(3) }},
		{"torch.maximum(a, b)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Maximum(x[1]) }},
		{"torch.minimum(a, b)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Minimum(x[1]) }},
		{"-a", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Neg() }},
		{"a.exp()", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Exp() }},
		{"a.abs().log()", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Abs().Log() }},
		{"a.abs().sqrt()", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Abs().Sqrt() }},
		{"a.sin() + a.cos()", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Sin().Add(x[0].Cos()) }},
		{"a.tanh()", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Tanh() }},
		{"a.sigmoid()", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Sigmoid() }},
		{"a.relu()", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].ReLU() }},
		{"a.clamp(-0.5, 0.5)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Clamp(-0.5, 0.5) }},
		{"a.clamp(b - 1, b + 0.5)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Clamp(x[1].Sub(1), x[1].Add(0.5)) }},
		{"a.clamp(b * 0.5, b)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Clamp(x[1].Mul(0.5), x[1]) }},
		{"a.clamp(min=b)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Clamp(x[1], nil) }},
		{"a.detach().clamp(max=b)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Detach().Clamp(nil, x[1]) }},
		{"(a * 1.0).gt_(b)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Mul(1.0).Gt_(x[1]) }},
		{"(a * 1).le_(0.1)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Mul(1).Le_(0.1) }},
		{"torch.where(a > b, a, b * 2)", func(x ...*tensor.Tensor) *tensor.Tensor { return tensor.Where(x[0].Gt(x[1]), x[0], x[1].Mul(2)) }},
		{"(a > b).to(torch.int64) + (a <= 0.1)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Gt(x[1]).Long().Add(x[0].Le(0.1)) }},
		{"a.sum()", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Sum() }},
		{"a.sum(-1)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Sum(-1) }},
		{"a.sum(0, keepdim=True)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].SumDim(0, true) }},
		{"a.mean(0)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Mean(0) }},
		{"a.prod(-1)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].ProdDim(-1, false) }},
		{"a.max()", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Max() }},
		{"a.min(0)[0]", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Min(0) }},
		{"a.max(-1, keepdim=True)[1]", func(x ...*tensor.Tensor) *tensor.Tensor { _, i := x[0].MaxDim(-1, true); return i }},
		{"a.argmax()", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Argmax() }},
		{"a.argmin(0)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Argmin(0) }},
		{"a.var()", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Var() }},
		{"a.std(-1, keepdim=True)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].StdDim(-1, true) }},
		{"a.norm()", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Norm() }},
		{"a.norm(0)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Norm(0) }},
		{"(a * (a > 0)).norm(0, 1)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Mul(x[0].Gt(0)).NormDim(0, 1, false) }},
		{"a.var(1, correction=0)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].VarCorrection(0, false, 1) }},
		{"a.var(1, unbiased=False, keepdim=True)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].VarCorrection(0, true, 1) }},
		{"a.var(None, correction=0)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].VarCorrection(0, false) }},
		{"a.var((0, 1), correction=2)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].VarCorrection(2, false, 0, 1) }},
		{"a.var(0, correction=3)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].VarCorrection(3, false, 0) }},
		{"a.std(0, correction=0, keepdim=True)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].StdCorrection(0, true, 0) }},
		{"a.std(-1, correction=2)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].StdCorrection(2, false, -1) }},
		{"a.norm(2, 1)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].NormDim(2, 1, false) }},
		{"a.norm(2, 0, keepdim=True)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].NormDim(2, 0, true) }},
		{"a.norm(1, -1, keepdim=True)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].NormDim(1, -1, true) }},
		{"a.norm(1, 0)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].NormDim(1, 0, false) }},
		{"torch.linalg.vector_norm(a, 3, -1)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].NormDim(3, -1, false) }},
		{"a.norm(float('inf'), 1)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].NormDim(math.Inf(1), 1, false) }},
		{"a.softmax(-1)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Softmax(-1) }},
		{"a.log_softmax(0)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].LogSoftmax(0) }},
		{"a.transpose(0, -1) @ b", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Transpose(0, -1).MatMul(x[1]) }},
		{"a @ b.transpose(0, -1)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].MatMul(x[1].Transpose(0, -1)) }},
		{"torch.addmm(b[:, 0], a, b.t())", func(x ...*tensor.Tensor) *tensor.Tensor { return tensor.Addmm(x[1].Select(1, 0), x[0], x[1].T()) }},
		{"torch.addmm(b.t() @ a, a.t(), b)", func(x ...*tensor.Tensor) *tensor.Tensor { return tensor.Addmm(x[1].T().MatMul(x[0]), x[0].T(), x[1]) }},
		{"a.reshape(-1) @ b.reshape(-1)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Reshape(-1).MatMul(x[1].Reshape(-1)) }},
		{"torch.outer(a.reshape(-1), b.reshape(-1))", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Reshape(-1).Outer(x[1].Reshape(-1)) }},
		{"a.permute(1, 0)[:, 1:]", func(x ...*tensor.Tensor) *tensor.Tensor {
			return x[0].Permute(1, 0).Slice(tensor.All(), tensor.S(1, tensor.End))
		}},
		{"a[..., ::2] * 3", func(x ...*tensor.Tensor) *tensor.Tensor {
			return x[0].Slice(tensor.All(), tensor.S(0, tensor.End, 2)).Mul(3)
		}},
		{"a[1]", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Select(0, 1) }},
		{"a.index_select(1, torch.tensor([2, 0, 2]))", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].IndexSelect(1, tensor.New([]int{2, 0, 2})) }},
		{"a.masked_select(a > 0)", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].MaskedSelect(x[0].Gt(0)) }},
		{"torch.cat([a, b], 1)", func(x ...*tensor.Tensor) *tensor.Tensor { return tensor.Cat(1, x[0], x[1]) }},
		{"torch.stack([a, b], 0)", func(x ...*tensor.Tensor) *tensor.Tensor { return tensor.Stack(0, x[0], x[1]) }},
		{"a.unsqueeze(1).expand(2, 4, 3) * b", func(x ...*tensor.Tensor) *tensor.Tensor { return x[0].Unsqueeze(1).Expand(2, 4, 3).Mul(x[1]) }},
	}
}

// crossInputs are the input sets each case runs on: Float32 and Float64
// leaves requiring grad, integer tensors, and mixed dtypes that exercise
// promotion. All have shape [2, 3] so that every case applies.
func crossInputs() [][]*tensor.Tensor {
	tensor.ManualSeed(7)
	f32 := func() *tensor.Tensor { return tensor.Randn(2, 3).RequiresGrad_(true) }
	f64 := func() *tensor.Tensor { return tensor.Randn(2, 3).Double().RequiresGrad_(true) }
	i64 := func() *tensor.Tensor { return tensor.RandInt(-4, 5, 2, 3) }
	return [][]*tensor.Tensor{
		{f32(), f32()},
		{f64(), f64()},
		{f32(), f64()},
		{i64(), i64()},
		{i64(), f32()},
		{i64().To(tensor.Int32), i64()},
	}
}

func inputJSON(t *tensor.Tensor) torchInput {
	return torchInput{
		Values: flatFloats(t),
		Shape:  t.Shape(),
		Dtype:  t.Dtype().String(),
		Grad:   t.RequiresGrad(),
	}
}

// TestAgainstPyTorch runs a broad set of operations on the same inputs
// here and in PyTorch and compares values, shapes, dtypes and gradients.
// Where PyTorch refuses an operation (the mean of integers, say) this
// package must panic too.
func TestAgainstPyTorch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PyTorch")
	}
	type run struct {
		c      crossCase
		inputs []*tensor.Tensor
	}
	var runs []run
	var cases []torchCase
	for _, c := range crossCases() {
		for _, in := range crossInputs() {
			tc := torchCase{Expr: c.expr}
			for _, x := range in {
				tc.Inputs = append(tc.Inputs, inputJSON(x))
			}
			cases = append(cases, tc)
			runs = append(runs, run{c, in})
		}
	}
	results := runTorch(t, cases)
	for i, r := range runs {
		want := results[i]
		name := r.c.expr + " on " + r.inputs[0].Dtype().String() + "," + r.inputs[1].Dtype().String()
		var got *tensor.Tensor
		err := tensor.Try(func() { got = r.c.f(r.inputs...) })
		if want.Error != "" {
			if err == nil {
				t.Errorf("%s: PyTorch fails (%s) but this package returns %v", name, want.Error, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		compareTorch(t, name, got, r.inputs, want)
	}
}

func compareTorch(t *testing.T, name string, got *tensor.Tensor, inputs []*tensor.Tensor, want torchResult) {
	t.Helper()
	if got.Dtype().String() != want.Dtype || fmt.Sprint(got.Shape()) != fmt.Sprint(want.Shape) {
		t.Errorf("%s: %s %v, PyTorch %s %v", name, got.Dtype(), got.Shape(), want.Dtype, want.Shape)
		return
	}
	tol := 1e-10
	if got.Dtype() == tensor.Float32 {
		tol = 2e-5
	}
	if !closeTo(flatFloats(got), want.Values, tol) {
		t.Errorf("%s: values %v, PyTorch %v", name, got, want.Values)
		return
	}
	if !got.RequiresGrad() {
		return
	}
	for _, x := range inputs {
		x.SetGrad(nil)
	}
	got.Backward(tensor.Arange(got.Numel()).Double().Add(1).Mul(0.1).Reshape(got.Shape()...).To(got.Dtype()))
	for i, x := range inputs {
		if !x.RequiresGrad() {
			continue
		}
		if i >= len(want.Grads) || want.Grads[i] == nil {
			if x.Grad() != nil {
				t.Errorf("%s: input %d has a gradient, PyTorch none", name, i)
			}
			continue
		}
		gtol := 1e-9
		if x.Dtype() == tensor.Float32 {
			gtol = 1e-4
		}
		if x.Grad() == nil || !closeTo(flatFloats(x.Grad()), want.Grads[i], gtol) {
			t.Errorf("%s: gradient of input %d = %v, PyTorch %v", name, i, x.Grad(), want.Grads[i])
		}
	}
}

func flatFloats(x *tensor.Tensor) []float64 {
	return x.Detach().Double().Reshape(-1).Contiguous().Float64s()
}

// closeTo compares values with PyTorch's, which may be "nan"/"inf" strings.
func closeTo(got []float64, want []any, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i, w := range want {
		var wf float64
		switch v := w.(type) {
		case float64:
			wf = v
		case string:
			wf, _ = strconv.ParseFloat(v, 64)
		default:
			return false
		}
		g := got[i]
		if math.IsNaN(wf) != math.IsNaN(g) || (!math.IsNaN(wf) && math.Abs(g-wf) > tol*(1+math.Abs(wf)) && g != wf) {
			return false
		}
	}
	return true
}

// runTorch runs testdata/ops_torch.py on the cases, skipping the test when
// PyTorch cannot be imported.
func runTorch(t *testing.T, cases []torchCase) []torchResult {
	t.Helper()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("/usr/bin/python3", "testdata/ops_torch.py")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(in), &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 3 {
			t.Skipf("no PyTorch to compare with: %s", stderr.String())
		}
		t.Fatalf("ops_torch.py: %v\n%s", err, stderr.String())
	}
	var out []torchResult
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || len(out) != len(cases) {
		t.Fatalf("ops_torch.py output: %v (%d results for %d cases)", err, len(out), len(cases))
	}
	return out
}
