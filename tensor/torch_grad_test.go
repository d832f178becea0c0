package tensor_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gorch/gorch/tensor"
	"github.com/gorch/gorch/tensor/tensortest"
)

// A program is a random composition of differentiable operations on Float64
// inputs that require grad: operation j appends value len(Inputs)+j,
// computed from earlier values. testdata/programs_torch.py replays it in
// PyTorch, so that values and gradients of whole graphs (shared
// subexpressions, views of views, broadcasting into reductions into
// matrix products) are compared, not only single operations.
type program struct {
	Inputs []progInput `json:"inputs"`
	Ops    []progOp    `json:"ops"`
	Grad   []float64   `json:"grad"` // the gradient of the last value, row-major
}

type progInput struct {
	Values []float64 `json:"values"`
	Shape  []int     `json:"shape"`
}

// progOp is one operation; the parameters it does not use are zero.
type progOp struct {
	Op      string  `json:"op"`
	Args    []int   `json:"args"`
	Dim     int     `json:"dim"`
	Dim2    int     `json:"dim2"`
	Keepdim bool    `json:"keepdim"`
	K       float64 `json:"k"`
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
	Start   int     `json:"start"`
	Len     int     `json:"len"`
	Index   []int64 `json:"index"`
	Shape   []int   `json:"shape"`
	Perm    []int   `json:"perm"`
}

type progResult struct {
	Values []float64   `json:"values"`
	Shape  []int       `json:"shape"`
	Grads  [][]float64 `json:"grads"`
	// Defined says which inputs Backward reached: PyTorch leaves None,
	// and gorch nil, in the others.
	Defined []bool `json:"defined"`
}

// progOpNames lists the operations a program draws from, each implemented
// by apply here and by run in the Python script.
var progOpNames = []string{
	"neg", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "sum", "norm", "t", "squeeze", "clone",
	"add", "sub", "mul", "div", "maximum", "minimum", "pow", "matmul", "matmul", "matmul",
	"add_s", "mul_s", "pow_s", "clamp", "where",
	"sum_dim", "mean_dim", "prod_dim", "var_dim", "std_dim", "max_dim", "min_dim", "softmax", "log_softmax",
	"transpose", "permute", "reshape", "unsqueeze", "expand", "select", "narrow", "step2",
	"cat", "stack", "index_select", "masked_select", "split", "iadd", "imul", "isigmoid", "izero",
	"narrow_imul", "narrow_isigmoid", "fill_view", "select_iadd", "stale_view",
}

func (op progOp) apply(v []*tensor.Tensor) *tensor.Tensor {
	a := make([]*tensor.Tensor, len(op.Args))
	for i, j := range op.Args {
		a[i] = v[j]
	}
	x := a[0]
	switch op.Op {
	case "neg":
		return x.Neg()
	case "exp":
		return x.Exp()
	case "log":
		return x.Log()
	case "sqrt":
		return x.Sqrt()
	case "sin":
		return x.Sin()
	case "cos":
		return x.Cos()
	case "tanh":
		return x.Tanh()
	case "sigmoid":
		return x.Sigmoid()
	case "relu":
		return x.ReLU()
	case "abs":
		return x.Abs()
	case "sum":
		return x.Sum()
	case "norm":
		return x.Norm()
	case "t":
		return x.T()
	case "squeeze":
		return x.Squeeze()
	case "clone":
		return x.Clone()
	case "add":
		return x.Add(a[1])
	case "sub":
		return x.Sub(a[1])
	case "mul":
		return x.Mul(a[1])
	case "div":
		return x.Div(a[1])
	case "maximum":
		return x.Maximum(a[1])
	case "minimum":
		return x.Minimum(a[1])
	case "pow":
		return x.Pow(a[1])
	case "matmul":
		return x.MatMul(a[1])
	case "add_s":
		return x.Add(op.K)
	case "mul_s":
		return x.Mul(op.K)
	case "pow_s":
		return x.Pow(op.K)
	case "clamp":
		return x.Clamp(op.Lo, op.Hi)
	case "where":
		return tensor.Where(x.Gt(0), a[1], a[2])
	case "sum_dim":
		return x.SumDim(op.Dim, op.Keepdim)
	case "mean_dim":
		return x.MeanDim(op.Dim, op.Keepdim)
	case "prod_dim":
		return x.ProdDim(op.Dim, op.Keepdim)
	case "var_dim":
		return x.VarDim(op.Dim, op.Keepdim)
	case "std_dim":
		return x.StdDim(op.Dim, op.Keepdim)
	case "max_dim":
		m, _ := x.MaxDim(op.Dim, op.Keepdim)
		return m
	case "min_dim":
		m, _ := x.MinDim(op.Dim, op.Keepdim)
		return m
	case "softmax":
		return x.Softmax(op.Dim)
	case "log_softmax":
		return x.LogSoftmax(op.Dim)
	case "transpose":
		return x.Transpose(op.Dim, op.Dim2)
	case "permute":
		return x.Permute(op.Perm...)
	case "reshape":
		return x.Reshape(op.Shape...)
	case "unsqueeze":
		return x.Unsqueeze(op.Dim)
	case "expand":
		return x.Expand(op.Shape...)
	case "select":
		return x.Select(op.Dim, op.Start)
	case "narrow":
		return x.Narrow(op.Dim, op.Start, op.Len)
	case "step2":
		r := make([]tensor.Range, op.Dim+1)
		for i := range r {
			r[i] = tensor.All()
		}
		r[op.Dim] = tensor.S(0, tensor.End, 2)
		return x.Slice(r...)
	case "cat":
		return tensor.Cat(op.Dim, a...)
	case "stack":
		return tensor.Stack(op.Dim, a...)
	case "index_select":
		return x.IndexSelect(op.Dim, tensor.New(op.Index))
	case "masked_select":
		return a[1].MaskedSelect(x.Gt(0))
	case "split":
		return x.Split(op.Len, op.Dim)[op.Start]
	case "iadd":
		return x.Clone().Add_(a[1])
	case "imul":
		return x.Clone().Mul_(a[1])
	case "isigmoid":
		return x.Clone().Sigmoid_()
	case "izero":
		return x.Clone().Zero_()
	}
	return op.applyThroughView(x.Clone(), a)
}

// applyThroughView runs the operations that change y, a copy of their
// input, in place through a view of it.
func (op progOp) applyThroughView(y *tensor.Tensor, a []*tensor.Tensor) *tensor.Tensor {
	switch op.Op {
	case "narrow_imul":
		y.Narrow(op.Dim, op.Start, op.Len).Mul_(op.K)
	case "narrow_isigmoid":
		y.Narrow(op.Dim, op.Start, op.Len).Sigmoid_()
	case "fill_view":
		y.Narrow(op.Dim, op.Start, op.Len).Fill_(op.K)
	case "select_iadd":
		y.Select(op.Dim, op.Start).Add_(a[1].Sum())
	case "stale_view":
		v := y.Narrow(op.Dim, op.Start, op.Len)
		y.Mul_(op.K)
		return v
	default:
		panic("unknown program operation " + op.Op)
	}
	return y
}

// arity is how many values an operation takes.
func arity(name string) int {
	switch name {
	case "add", "sub", "mul", "div", "maximum", "minimum", "pow", "matmul", "cat", "stack", "masked_select", "iadd", "imul", "select_iadd":
		return 2
	case "where":
		return 3
	}
	return 1
}

// progGen builds a program by drawing operations and keeping those that
// apply to the values at hand and stay where both libraries must agree:
// finite, moderate, and away from kinks, ties and domain edges.
type progGen struct {
	r *rand.Rand
	v []*tensor.Tensor
	p program
}

// pick returns the index of an existing value, favouring recent ones so
// that programs grow deep rather than wide.
func (g *progGen) pick() int {
	n := len(g.v)
	back := int(g.r.ExpFloat64() * 1.5)
	return max(n-1-back, 0)
}

func (g *progGen) draw() progOp {
	op := progOp{Op: progOpNames[g.r.IntN(len(progOpNames))]}
	for range arity(op.Op) {
		op.Args = append(op.Args, g.pick())
	}
	x := g.v[op.Args[0]]
	nd := x.Dim()
	if nd == 0 && needsDim(op.Op) {
		op.Op = "exp"
		return op
	}
	if nd > 0 {
		op.Dim = g.r.IntN(2*nd) - nd
		op.Dim2 = g.r.IntN(nd)
		size := x.Size(op.Dim)
		op.Start = g.r.IntN(size)
		op.Len = 1 + g.r.IntN(size)
		op.Perm = g.r.Perm(nd)
	}
	op.Keepdim = g.r.IntN(2) == 0
	op.K = []float64{2, 3, 0.5, -1, 1.5, -0.7}[g.r.IntN(6)]
	op.Lo, op.Hi = -0.2-g.r.Float64()*0.5, 0.2+g.r.Float64()*0.5
	switch op.Op {
	case "add_s":
		op.K = g.r.NormFloat64()
	case "narrow", "narrow_imul", "narrow_isigmoid", "fill_view", "stale_view":
		op.Len = 1 + g.r.IntN(max(x.Size(op.Dim)-op.Start, 1))
	case "step2":
		op.Dim = g.r.IntN(max(nd, 1))
	case "stack", "unsqueeze":
		op.Dim = g.r.IntN(nd+1) - g.r.IntN(2)*(nd+1)
	case "split":
		op.Start = g.r.IntN(max((x.Size(op.Dim)+op.Len-1)/op.Len, 1))
	case "index_select":
		for range 1 + g.r.IntN(4) {
			op.Index = append(op.Index, int64(g.r.IntN(x.Size(op.Dim))))
		}
	case "reshape":
		op.Shape = []int{-1}
		switch n := x.Numel(); {
		case n%2 == 0 && g.r.IntN(2) == 0:
			op.Shape = []int{2, -1}
		case n%3 == 0 && g.r.IntN(2) == 0:
			op.Shape = []int{-1, 3}
		}
	case "expand":
		op.Shape = append([]int{2}, x.Shape()...)
		if i := slices.Index(x.Shape(), 1); i >= 0 {
			op.Shape = x.Shape()
			op.Shape[i] = 3
		}
	}
	return op
}

// needsDim reports whether an operation takes a dimension of its input.
func needsDim(name string) bool {
	switch name {
	case "sum_dim", "mean_dim", "prod_dim", "var_dim", "std_dim", "max_dim", "min_dim", "softmax", "log_softmax",
		"transpose", "permute", "select", "narrow", "step2", "cat", "index_select", "split",
		"narrow_imul", "narrow_isigmoid", "fill_view", "select_iadd", "stale_view":
		return true
	}
	return false
}

func minAbs(x *tensor.Tensor) float64 { return x.Abs().Min().Item() }

// safe reports whether op's result out, from args, is one that PyTorch
// must reproduce closely.
func safe(op progOp, args []*tensor.Tensor, out *tensor.Tensor) bool {
	if out.Numel() == 0 || out.Numel() > 200 {
		return false
	}
	if m := out.Abs().Max().Item(); math.IsNaN(m) || m > 1e4 {
		return false
	}
	x := args[0]
	switch op.Op {
	case "log", "sqrt", "pow_s":
		return x.Min().Item() > 0.1
	case "div":
		return minAbs(args[1]) > 0.1
	case "pow":
		return x.Min().Item() > 0.1 && args[1].Abs().Max().Item() < 3
	case "exp":
		return x.Max().Item() < 4
	case "abs", "relu", "norm":
		return minAbs(x) > 1e-3
	case "where", "masked_select":
		return minAbs(x) > 1e-6
	case "clamp":
		return minAbs(x.Sub(op.Lo)) > 1e-3 && minAbs(x.Sub(op.Hi)) > 1e-3
	case "maximum", "minimum":
		return minAbs(x.Sub(args[1])) > 1e-3
	case "max_dim", "min_dim":
		// The extreme must be unique along the dimension, or the two
		// libraries may send the gradient to different ties.
		ext := x.Max(op.Dim)
		if op.Op == "min_dim" {
			ext = x.Min(op.Dim)
		}
		near := x.Sub(ext.Unsqueeze(normalize(op.Dim, x.Dim()))).Abs().Lt(1e-3)
		return near.Sum().ItemInt() == int64(ext.Numel())
	}
	return true
}

func normalize(dim, n int) int {
	if dim < 0 {
		return dim + n
	}
	return dim
}

func newProgram(r *rand.Rand) (program, *tensor.Tensor, []*tensor.Tensor) {
	g := &progGen{r: r}
	shapes := [][]int{{3, 4}, {4}, {3, 1}, {2, 3, 4}, {4, 3}, {1, 4}}
	for range 2 + r.IntN(2) {
		shape := shapes[r.IntN(len(shapes))]
		n := 1
		for _, s := range shape {
			n *= s
		}
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = r.NormFloat64()
		}
		g.p.Inputs = append(g.p.Inputs, progInput{Values: vals, Shape: shape})
		g.v = append(g.v, tensor.FromSlice(slices.Clone(vals), shape...).RequiresGrad_(true))
	}
	leaves := slices.Clone(g.v)
	want := 3 + r.IntN(6)
	for tries := 0; len(g.p.Ops) < want && tries < 500; tries++ {
		op := g.draw()
		var out *tensor.Tensor
		if tensor.Try(func() { out = op.apply(g.v) }) != nil {
			continue
		}
		args := make([]*tensor.Tensor, len(op.Args))
		for i, j := range op.Args {
			args[i] = g.v[j]
		}
		ok := false
		tensor.NoGrad(func() { ok = safe(op, args, out) })
		if ok {
			g.p.Ops = append(g.p.Ops, op)
			g.v = append(g.v, out)
		}
	}
	out := g.v[len(g.v)-1]
	g.p.Grad = make([]float64, out.Numel())
	for i := range g.p.Grad {
		g.p.Grad[i] = r.NormFloat64()
	}
	return g.p, out, leaves
}

func (p program) String() string {
	var b strings.Builder
	for i, in := range p.Inputs {
		fmt.Fprintf(&b, "v%d: input %v\n", i, in.Shape)
	}
	for j, op := range p.Ops {
		fmt.Fprintf(&b, "v%d = %+v\n", len(p.Inputs)+j, op)
	}
	return b.String()
}

// progClose compares got with want, elementwise within a relative and an
// absolute tolerance a little above Float64 rounding accumulated over a
// program.
func progClose(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-9+1e-7*math.Abs(want[i]) {
			return false
		}
	}
	return true
}

func TestRandomProgramsAgainstPyTorch(t *testing.T) {
	const n = 150
	r := rand.New(rand.NewPCG(2024, 11))
	progs := make([]program, n)
	outs := make([]*tensor.Tensor, n)
	leaves := make([][]*tensor.Tensor, n)
	for i := range progs {
		progs[i], outs[i], leaves[i] = newProgram(r)
	}
	var want []progResult
	tensortest.RunTorch(t, "testdata/programs_torch.py", progs, &want)
	used := map[string]int{}
	for i, p := range progs {
		for _, op := range p.Ops {
			used[op.Op]++
		}
		out := outs[i]
		grad := tensor.FromSlice(slices.Clone(p.Grad)).Reshape(out.Shape()...)
		if err := tensor.Try(func() { out.Backward(grad) }); err != nil {
			t.Errorf("program %d: Backward: %v\n%v", i, err, p)
			continue
		}
		got := out.Detach().Contiguous().Float64s()
		if !slices.Equal(out.Shape(), want[i].Shape) || !progClose(got, want[i].Values) {
			t.Errorf("program %d: value %v %v, PyTorch %v %v\n%v", i, out.Shape(), got, want[i].Shape, want[i].Values, p)
			continue
		}
		for k, x := range leaves[i] {
			g := make([]float64, x.Numel())
			if x.Grad() != nil {
				g = x.Grad().Contiguous().Float64s()
			}
			if (x.Grad() != nil) != want[i].Defined[k] {
				t.Errorf("program %d: v%d has a gradient: %v, PyTorch: %v\n%v", i, k, x.Grad() != nil, want[i].Defined[k], p)
			}
			if !progClose(g, want[i].Grads[k]) {
				t.Errorf("program %d: gradient of v%d\n got %v\nwant %v\n%v", i, k, g, want[i].Grads[k], p)
			}
		}
	}
	for _, name := range progOpNames {
		if used[name] == 0 {
			t.Errorf("no program used %s; draw more programs", name)
		}
	}
}
