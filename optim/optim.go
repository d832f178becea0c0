// Package optim updates parameters from their gradients: [SGD] and [Adam],
// as PyTorch's torch.optim. An optimizer holds the parameters it was given
// (leaf tensors that require grad, usually nn.Module.Parameters()) and, on
// Step, changes them in place under tensor.NoGrad, so the update is not
// recorded and no graph is kept.
//
// Optimizers check their parameters and hyperparameters on every Step and
// ZeroGrad and panic with a *tensor.Error carrying PyTorch's message, such
// as "Invalid learning rate: -0.1", where PyTorch's constructors would
// raise.
//
// A training step reads:
//
//	opt.ZeroGrad()
//	loss := lossFn.Forward(net.Forward(x), y)
//	loss.Backward()
//	opt.Step()
package optim

import (
	"fmt"
	"math"

	"github.com/gorch/gorch/tensor"
)

// Optimizer is what SGD and Adam have in common.
type Optimizer interface {
	// Step updates every parameter that has a gradient.
	Step()
	// ZeroGrad clears the parameters' gradients.
	ZeroGrad()
}

var (
	_ Optimizer = (*SGD)(nil)
	_ Optimizer = (*Adam)(nil)
)

// zeroGrad sets each parameter's gradient to nil, as PyTorch's
// zero_grad(set_to_none=True), its default.
func zeroGrad(params []*tensor.Tensor) {
	for _, p := range params {
		p.SetGrad(nil)
	}
}

// checkParams panics with PyTorch's messages unless params is a non-empty
// list of leaf tensors.
func checkParams(params []*tensor.Tensor) {
	if len(params) == 0 {
		panicf("optimizer got an empty parameter list")
	}
	for i, p := range params {
		if p == nil {
			panicf("optimizer can only optimize Tensors, but parameter %d is nil", i)
		}
		if !p.IsLeaf() {
			panicf("can't optimize a non-leaf Tensor (parameter %d); optimize the leaf it was computed from", i)
		}
	}
}

// checkAtLeast panics with PyTorch's "Invalid <what>: <v>" unless v ≥ lo;
// NaN fails too.
func checkAtLeast(what string, v, lo float64) {
	if !(v >= lo) {
		panicf("Invalid %s: %v", what, v)
	}
}

// SGD is stochastic gradient descent with optional momentum, Nesterov
// momentum and weight decay: PyTorch's torch.optim.SGD. Fields left zero
// turn their feature off, except LR, which must be set (with LR 0 Step
// changes nothing). Params may grow or be reordered between steps: the
// momentum of each parameter follows the tensor, not its position; a
// tensor listed twice is updated once. Make it as a literal:
//
//	opt := &optim.SGD{Params: net.Parameters(), LR: 0.1, Momentum: 0.9}
type SGD struct {
	Params      []*tensor.Tensor
	LR          float64
	Momentum    float64
	Dampening   float64 // scales down each new gradient's share of the momentum
	WeightDecay float64 // L2 penalty: WeightDecay·p is added to p's gradient
	Nesterov    bool    // needs Momentum > 0 and Dampening 0

	momentum map[*tensor.Tensor]*tensor.Tensor // per parameter, from its first step
}

// Step moves every parameter that has a gradient against it:
//
//	d = grad + WeightDecay·p
//	buf = Momentum·buf + (1-Dampening)·d    (buf = d on the first step)
//	d = d + Momentum·buf if Nesterov, else buf   (when Momentum ≠ 0)
//	p = p - LR·d
//
// It panics if o is nil, and with PyTorch's message if Params is empty or
// holds a nil or non-leaf tensor, if LR, Momentum or WeightDecay is
// negative or NaN, or if Nesterov is set without momentum or with
// dampening.
func (o *SGD) Step() {
	o.check("SGD.Step")
	if o.momentum == nil {
		o.momentum = map[*tensor.Tensor]*tensor.Tensor{}
	}
	eachGradient(o.Params, o.WeightDecay, func(p, g *tensor.Tensor) {
		if o.Momentum != 0 {
			buf := o.momentum[p]
			if buf == nil {
				buf = g.Clone()
				o.momentum[p] = buf
			} else {
				buf.Mul_(o.Momentum).Add_(g.Mul(1 - o.Dampening))
			}
			if o.Nesterov {
				g = g.Add(buf.Mul(o.Momentum))
			} else {
				g = buf
			}
		}
		p.Sub_(g.Mul(o.LR))
	})
}

// ZeroGrad sets the parameters' gradients to nil. It panics in the cases
// [SGD.Step] does, so that a mistake shows at the top of a training loop.
func (o *SGD) ZeroGrad() {
	o.check("SGD.ZeroGrad")
	zeroGrad(o.Params)
}

// check panics, in method, in the cases the doc of [SGD.Step] lists.
func (o *SGD) check(method string) {
	if o == nil {
		panicNil(method, "&optim.SGD{Params: ...}")
	}
	checkParams(o.Params)
	checkAtLeast("learning rate", o.LR, 0)
	checkAtLeast("momentum value", o.Momentum, 0)
	checkAtLeast("weight_decay value", o.WeightDecay, 0)
	if o.Nesterov && (o.Momentum <= 0 || o.Dampening != 0) {
		panicf("Nesterov momentum requires a momentum and zero dampening")
	}
}

// Adam is the Adam optimizer (Kingma and Ba, 2014) with optional L2 weight
// decay: PyTorch's torch.optim.Adam. Its zero fields take PyTorch's
// defaults, so
//
//	opt := &optim.Adam{Params: net.Parameters()}
//
// is lr 0.001, betas (0.9, 0.999), eps 1e-8, no weight decay. Params may
// grow or be reordered between steps: the state of each parameter follows
// the tensor, not its position; a tensor listed twice is updated once.
type Adam struct {
	Params      []*tensor.Tensor
	LR          float64    // 0 means 0.001
	Betas       [2]float64 // decay of the first and second moment estimates, each in [0, 1); zeros mean 0.9, 0.999
	Eps         float64    // added to the denominator for stability; 0 means 1e-8
	WeightDecay float64    // L2 penalty: WeightDecay·p is added to p's gradient

	state map[*tensor.Tensor]*adamState // per parameter, from its first step
}

// adamState is what Adam keeps for one parameter: its step count and the
// running means of its gradient and squared gradient.
type adamState struct {
	steps      int
	exp, expSq *tensor.Tensor
}

// hyper returns the hyperparameters with the defaults filled in.
func (o *Adam) hyper() (lr, beta1, beta2, eps float64) {
	lr, beta1, beta2, eps = o.LR, o.Betas[0], o.Betas[1], o.Eps
	if lr == 0 {
		lr = 0.001
	}
	if beta1 == 0 && beta2 == 0 {
		beta1, beta2 = 0.9, 0.999
	}
	if eps == 0 {
		eps = 1e-8
	}
	return lr, beta1, beta2, eps
}

// Step updates every parameter that has a gradient, keeping per parameter
// the running means m and v of its gradient and squared gradient:
//
//	g = grad + WeightDecay·p
//	m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²
//	p = p - LR/(1-β1ᵗ) · m / (√v/√(1-β2ᵗ) + Eps)
//
// where t counts the parameter's steps. It panics if o is nil, and with
// PyTorch's message if Params is empty or holds a nil or non-leaf tensor,
// if LR, Eps or WeightDecay is negative or NaN, or if a beta is outside
// [0, 1).
func (o *Adam) Step() {
	o.check("Adam.Step")
	lr, beta1, beta2, eps := o.hyper()
	if o.state == nil {
		o.state = map[*tensor.Tensor]*adamState{}
	}
	eachGradient(o.Params, o.WeightDecay, func(p, g *tensor.Tensor) {
		s := o.state[p]
		if s == nil {
			s = &adamState{exp: tensor.ZerosLike(p), expSq: tensor.ZerosLike(p)}
			o.state[p] = s
		}
		s.steps++
		t := float64(s.steps)
		m, v := s.exp, s.expSq
		m.Mul_(beta1).Add_(g.Mul(1 - beta1))
		v.Mul_(beta2).Add_(g.Mul(g).Mul(1 - beta2))
		denom := v.Sqrt().Div(math.Sqrt(1 - math.Pow(beta2, t))).Add(eps)
		p.Sub_(m.Div(denom).Mul(lr / (1 - math.Pow(beta1, t))))
	})
}

// eachGradient calls update, with recording off, once for each distinct
// parameter that has a gradient, passing the gradient with the L2 penalty
// weightDecay·p added as PyTorch's optimizers do.
func eachGradient(params []*tensor.Tensor, weightDecay float64, update func(p, g *tensor.Tensor)) {
	seen := make(map[*tensor.Tensor]bool, len(params))
	tensor.NoGrad(func() {
		for _, p := range params {
			g := p.Grad()
			if g == nil || seen[p] {
				continue
			}
			seen[p] = true
			if weightDecay != 0 {
				g = g.Add(p.Mul(weightDecay))
			}
			update(p, g)
		}
	})
}

// ZeroGrad sets the parameters' gradients to nil. It panics in the cases
// [Adam.Step] does, so that a mistake shows at the top of a training loop.
func (o *Adam) ZeroGrad() {
	o.check("Adam.ZeroGrad")
	zeroGrad(o.Params)
}

// check panics, in method, in the cases the doc of [Adam.Step] lists.
func (o *Adam) check(method string) {
	if o == nil {
		panicNil(method, "&optim.Adam{Params: ...}")
	}
	checkParams(o.Params)
	checkAtLeast("learning rate", o.LR, 0)
	checkAtLeast("epsilon value", o.Eps, 0)
	for i, b := range o.Betas {
		if !(b >= 0 && b < 1) {
			panicf("Invalid beta parameter at index %d: %v", i, b)
		}
	}
	checkAtLeast("weight_decay value", o.WeightDecay, 0)
}

// panicNil reports a method called on a nil optimizer with a *tensor.Error
// rather than a nil dereference.
func panicNil(method, literal string) {
	panicf("%s called on a nil optimizer; make it with %s", method, literal)
}

// panicf panics with a *tensor.Error built from a format and its
// arguments: the one way this package reports misuse.
func panicf(format string, args ...any) {
	panic(&tensor.Error{Msg: fmt.Sprintf(format, args...)})
}
