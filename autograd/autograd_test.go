package autograd

import (
	"fmt"
	"strings"
	"testing"
)

// scalar graphs over float64 exercise the engine without tensors: each
// helper records its backward beside its forward, as the tensor package does.
type value struct {
	v    float64
	node *Node
	grad float64
}

func leaf(v float64) *value {
	x := &value{v: v}
	x.node = NewAccumulator(func(g any) { x.grad += g.(float64) })
	return x
}

func mul(a, b *value) *value {
	return &value{v: a.v * b.v, node: NewNode("MulBackward0", []*Node{a.node, b.node}, func(g any) []any {
		return []any{g.(float64) * b.v, g.(float64) * a.v}
	})}
}

func add(a, b *value) *value {
	return &value{v: a.v + b.v, node: NewNode("AddBackward0", []*Node{a.node, b.node}, func(g any) []any {
		return []any{g, g}
	})}
}

// uses returns y + x + x + ... with n terms x, each its own node.
func uses(x, y *value, n int) *value {
	out := y
	for range n {
		out = add(out, mul(x, &value{v: 1}))
	}
	return out
}

func sum(a, b any) any { return a.(float64) + b.(float64) }

func TestBackward(t *testing.T) {
	tests := []struct {
		name         string
		build        func(x, y *value) *value
		wantX, wantY float64
	}{
		{"product", mul, 3, 2},
		{"sum", add, 1, 1},
		{"reused value accumulates", func(x, y *value) *value { return add(mul(x, x), x) }, 2*2 + 1, 0},
		{"diamond", func(x, y *value) *value { s := add(x, y); return mul(s, s) }, 2 * 5, 2 * 5},
		// Graphs of up to smallGraph nodes are walked with slices, bigger
		// ones with maps.
		{"x used 10 times", func(x, y *value) *value { return uses(x, y, 10) }, 10, 1},
		{"x used 40 times", func(x, y *value) *value { return uses(x, y, 40) }, 40, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, y := leaf(2), leaf(3)
			out := tt.build(x, y)
			if err := Backward(out.node, 1.0, sum, false); err != nil {
				t.Fatal(err)
			}
			if x.grad != tt.wantX || y.grad != tt.wantY {
				t.Errorf("grads = %v, %v; want %v, %v", x.grad, y.grad, tt.wantX, tt.wantY)
			}
		})
	}
}

func TestNilInputsGetNoGradient(t *testing.T) {
	x := leaf(2)
	constant := &value{v: 5}
	out := mul(x, constant)
	if err := Backward(out.node, 1.0, sum, false); err != nil {
		t.Fatal(err)
	}
	if x.grad != 5 {
		t.Errorf("grad = %v, want 5", x.grad)
	}
}

func TestSecondBackwardFailsUnlessRetained(t *testing.T) {
	x := leaf(2)
	out := mul(x, x)
	if err := Backward(out.node, 1.0, sum, true); err != nil {
		t.Fatal(err)
	}
	if err := Backward(out.node, 1.0, sum, false); err != nil {
		t.Fatalf("backward after a retained pass: %v", err)
	}
	if x.grad != 8 {
		t.Errorf("grad after two passes = %v, want 8 (accumulated)", x.grad)
	}
	err := Backward(out.node, 1.0, sum, false)
	if err == nil || !strings.Contains(err.Error(), "backward through the graph a second time") {
		t.Fatalf("third backward: err = %v", err)
	}
	if x.grad != 8 {
		t.Errorf("a failed backward changed the gradient to %v", x.grad)
	}
}

func TestModifiedSavedValueIsDetected(t *testing.T) {
	x := leaf(2)
	var version Version
	out := mul(x, x)
	out.node.SaveVersion(&version, func(now, want uint64) string {
		return fmt.Sprintf("modified: is at version %d; expected version %d", now, want)
	})
	version.Bump()
	err := Backward(out.node, 1.0, sum, false)
	if err == nil || err.Error() != "modified: is at version 1; expected version 0" {
		t.Fatalf("err = %v", err)
	}
	if x.grad != 0 {
		t.Errorf("gradient flowed despite the error: %v", x.grad)
	}
}

func TestLongChainDoesNotOverflowTheStack(t *testing.T) {
	x := leaf(1)
	out := x
	for range 200000 {
		out = add(out, &value{v: 0})
	}
	if err := Backward(out.node, 1.0, sum, false); err != nil {
		t.Fatal(err)
	}
	if x.grad != 1 {
		t.Errorf("grad = %v, want 1", x.grad)
	}
}

func TestNoGrad(t *testing.T) {
	if !Enabled() {
		t.Fatal("recording is off at start")
	}
	func() {
		defer func() { _ = recover() }()
		NoGrad(func() {
			if Enabled() {
				t.Error("recording is on inside NoGrad")
			}
			NoGrad(func() {})
			if Enabled() {
				t.Error("a nested NoGrad turned recording back on")
			}
			panic("cell failed")
		})
	}()
	if !Enabled() {
		t.Error("a panic inside NoGrad left recording off")
	}
}

func TestNodeNames(t *testing.T) {
	x := leaf(1)
	out := mul(x, x)
	if got := out.node.String(); got != "<MulBackward0>" {
		t.Errorf("String() = %q", got)
	}
	if got := out.node.Next()[0].Name(); got != "AccumulateGrad" {
		t.Errorf("leaf node name = %q", got)
	}
}
