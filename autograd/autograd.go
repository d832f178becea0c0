// Package autograd is gorch's reverse-mode differentiation engine.
//
// It knows nothing of tensors. A differentiable operation records a [Node]
// (PyTorch's grad_fn) that maps the gradient of its output to gradients of
// its inputs; leaves that want gradients get an accumulator node. [Backward]
// walks the graph from a root in reverse topological order, sums the
// gradients that reach each node with a caller-supplied add function, and
// hands each node's total to its backward function exactly once.
//
// Gradients are opaque values of type any: the tensor package passes
// tensors, and a nil gradient means "zero, nothing flows here".
//
// # Memory
//
// A node holds its inputs' nodes and whatever its backward closure captured.
// Backward releases each node's closure after running it unless asked to
// retain the graph, so the saved values of a pass are freed when it ends.
// Leaves hold only their accumulator, which points nowhere, so a leaf never
// keeps a graph alive.
package autograd

import (
	"fmt"
	"sync/atomic"
)

// Node is one recorded operation in the graph. Its zero value is not useful;
// make nodes with [NewNode] and [NewAccumulator].
type Node struct {
	name     string
	next     []*Node
	backward func(grad any) []any
	saved    []saved
	released bool
}

// saved pins the version a value had when an operation saved it for
// backward, so that an in-place change made afterwards is detected.
type saved struct {
	v       *Version
	at      uint64
	explain func(now, want uint64) string
}

// NewNode records an operation named name (such as "MulBackward0"). next
// holds, for each input of the operation, that input's node, or nil where
// the input needs no gradient. backward receives the gradient of the output
// and returns one gradient per input, in the order of next; entries for nil
// inputs are ignored and may be nil.
func NewNode(name string, next []*Node, backward func(grad any) []any) *Node {
	return &Node{name: name, next: next, backward: backward}
}

// NewAccumulator returns the node of a leaf that requires grad, PyTorch's
// AccumulateGrad: it passes each gradient that reaches it to accumulate.
func NewAccumulator(accumulate func(grad any)) *Node {
	return &Node{name: "AccumulateGrad", backward: func(g any) []any {
		accumulate(g)
		return nil
	}}
}

// Name returns the operation's name, such as "PowBackward0".
func (n *Node) Name() string { return n.name }

// Next returns the nodes of the operation's inputs, nil where an input needs
// no gradient. The slice is shared; do not modify it.
func (n *Node) Next() []*Node { return n.next }

// SaveVersion records that n's backward uses a value whose version counter
// is v, at v's current version. If the value is modified in place before
// backward runs, Backward fails with an error whose text explain builds from
// the current and the saved version.
func (n *Node) SaveVersion(v *Version, explain func(now, want uint64) string) {
	n.saved = append(n.saved, saved{v: v, at: v.Load(), explain: explain})
}

// Version counts the in-place modifications of a value's storage; every
// view of the storage shares one counter.
type Version struct{ n atomic.Uint64 }

// Bump records one in-place modification.
func (v *Version) Bump() { v.n.Add(1) }

// Load returns the number of in-place modifications so far.
func (v *Version) Load() uint64 { return v.n.Load() }

// Error is the error Backward returns; its message reads like PyTorch's.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// errFreed is PyTorch's message for a second backward through a released graph.
const errFreed = "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
	"Saved intermediate values of the graph are freed when you call Backward(). " +
	"Specify RetainGraph if you need to backward through the graph a second time or if you need to access saved tensors after calling backward."

// Backward propagates grad, the gradient of the value root was recorded
// for, through the graph. add sums two gradients reaching the same node.
// Unless retainGraph is set, each node's saved state is released after use
// and a second Backward through it fails.
func Backward(root *Node, grad any, add func(a, b any) any, retainGraph bool) error {
	order := topoOrder(root)
	for _, n := range order {
		if n.released {
			return &Error{Msg: errFreed}
		}
		for _, s := range n.saved {
			if now := s.v.Load(); now != s.at {
				return &Error{Msg: s.explain(now, s.at)}
			}
		}
	}
	// pending[i] is the sum so far of the gradients reaching order[i].
	pending := make([]any, len(order))
	pending[0] = grad
	var at nodeIndex
	for i, n := range order {
		at.put(n, i)
	}
	for i, n := range order {
		g := pending[i]
		pending[i] = nil
		if g == nil {
			continue
		}
		grads := n.backward(g)
		if !retainGraph && n.name != "AccumulateGrad" {
			n.backward, n.saved, n.released = nil, nil, true
		}
		for k, next := range n.next {
			if next == nil || k >= len(grads) || grads[k] == nil {
				continue
			}
			j, _ := at.get(next)
			if pending[j] != nil {
				pending[j] = add(pending[j], grads[k])
			} else {
				pending[j] = grads[k]
			}
		}
	}
	return nil
}

// topoOrder lists the nodes reachable from root so that every node comes
// before the nodes of its inputs. It is iterative so that long chains (an
// RNN unrolled over many steps) cannot overflow the stack.
func topoOrder(root *Node) []*Node {
	var post []*Node
	var visited nodeIndex
	visited.put(root, 0)
	type frame struct {
		n *Node
		i int
	}
	stack := []frame{{n: root}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.i < len(top.n.next) {
			child := top.n.next[top.i]
			top.i++
			if child == nil {
				continue
			}
			if _, seen := visited.get(child); !seen {
				visited.put(child, 0)
				stack = append(stack, frame{n: child})
			}
			continue
		}
		post = append(post, top.n)
		stack = stack[:len(stack)-1]
	}
	for i, j := 0, len(post)-1; i < j; i, j = i+1, j-1 {
		post[i], post[j] = post[j], post[i]
	}
	return post
}

// smallGraph is the number of nodes up to which finding a node by scanning
// a slice beats hashing it: most graphs of notebook cells and layers are
// this small.
const smallGraph = 32

// nodeIndex maps nodes to ints: a slice while it is small, a map beyond.
type nodeIndex struct {
	nodes []*Node
	ints  []int
	big   map[*Node]int
}

// get returns n's int and whether n is in the index.
func (x *nodeIndex) get(n *Node) (int, bool) {
	if x.big != nil {
		i, ok := x.big[n]
		return i, ok
	}
	for k, m := range x.nodes {
		if m == n {
			return x.ints[k], true
		}
	}
	return 0, false
}

// put adds n, which must not be in the index yet, with int i.
func (x *nodeIndex) put(n *Node, i int) {
	if x.big != nil {
		x.big[n] = i
		return
	}
	x.nodes, x.ints = append(x.nodes, n), append(x.ints, i)
	if len(x.nodes) > smallGraph {
		x.big = make(map[*Node]int, 2*len(x.nodes))
		for k, m := range x.nodes {
			x.big[m] = x.ints[k]
		}
		x.nodes, x.ints = nil, nil
	}
}

// gradDisabled counts the NoGrad scopes in force; recording is on at zero.
// It is process-wide rather than per goroutine (Go has no goroutine-local
// state), which matches how notebook cells use it.
var gradDisabled atomic.Int64

// Enabled reports whether operations should record nodes, that is, whether
// no [NoGrad] scope is active.
func Enabled() bool { return gradDisabled.Load() == 0 }

// NoGrad runs f with recording turned off, as PyTorch's torch.no_grad(), and
// turns it back on even if f panics.
func NoGrad(f func()) {
	gradDisabled.Add(1)
	defer gradDisabled.Add(-1)
	f()
}

// String returns the node's name in PyTorch's grad_fn form.
func (n *Node) String() string { return fmt.Sprintf("<%s>", n.name) }
