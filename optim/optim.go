// Package optim updates parameters from their gradients: [SGD] and [Adam],
// as PyTorch's torch.optim. An optimizer holds the parameters it was given
// (leaf tensors that require grad, usually nn.Module.Parameters()) and, on
// Step, changes them in place under tensor.NoGrad, so the update is not
// recorded and no graph is kept.
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

// SGD is stochastic gradient descent with optional momentum, Nesterov
// momentum and weight decay: PyTorch's torch.optim.SGD. Fields left zero
// turn their feature off, except LR, which must be set (with LR 0 Step
// changes nothing). Make it as a literal:
//
//	opt := &optim.SGD{Params: net.Parameters(), LR: 0.1, Momentum: 0.9}
type SGD struct {
	Params      []*tensor.Tensor
	LR          float64
	Momentum    float64
	Dampening   float64 // scales down each new gradient's share of the momentum
	WeightDecay float64 // L2 penalty: WeightDecay·p is added to p's gradient
	Nesterov    bool    // needs Momentum > 0 and Dampening 0

	momentum []*tensor.Tensor // per parameter; nil until its first step
}

// Step moves every parameter that has a gradient against it:
//
//	d = grad + WeightDecay·p
//	buf = Momentum·buf + (1-Dampening)·d    (buf = d on the first step)
//	d = d + Momentum·buf if Nesterov, else buf   (when Momentum ≠ 0)
//	p = p - LR·d
//
// It panics with PyTorch's message if Nesterov is set without momentum or
// with dampening.
func (o *SGD) Step() {
	if o == nil {
		panicNil("SGD.Step", "&optim.SGD{Params: ...}")
	}
	if o.Nesterov && (o.Momentum <= 0 || o.Dampening != 0) {
		panic(&tensor.Error{Msg: "Nesterov momentum requires a momentum and zero dampening"})
	}
	if o.momentum == nil {
		o.momentum = make([]*tensor.Tensor, len(o.Params))
	}
	eachGradient(o.Params, o.WeightDecay, func(i int, p, g *tensor.Tensor) {
		if o.Momentum != 0 {
			buf := o.momentum[i]
			if buf == nil {
				buf = g.Clone()
				o.momentum[i] = buf
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

// ZeroGrad sets the parameters' gradients to nil.
func (o *SGD) ZeroGrad() {
	if o == nil {
		panicNil("SGD.ZeroGrad", "&optim.SGD{Params: ...}")
	}
	zeroGrad(o.Params)
}

// Adam is the Adam optimizer (Kingma and Ba, 2014) with optional L2 weight
// decay: PyTorch's torch.optim.Adam. Its zero fields take PyTorch's
// defaults, so
//
//	opt := &optim.Adam{Params: net.Parameters()}
//
// is lr 0.001, betas (0.9, 0.999), eps 1e-8, no weight decay.
type Adam struct {
	Params      []*tensor.Tensor
	LR          float64    // 0 means 0.001
	Betas       [2]float64 // decay of the first and second moment estimates; zeros mean 0.9, 0.999
	Eps         float64    // added to the denominator for stability; 0 means 1e-8
	WeightDecay float64    // L2 penalty: WeightDecay·p is added to p's gradient

	steps      []int
	exp, expSq []*tensor.Tensor // per parameter; nil until its first step
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
// where t counts the parameter's steps.
func (o *Adam) Step() {
	if o == nil {
		panicNil("Adam.Step", "&optim.Adam{Params: ...}")
	}
	lr, beta1, beta2, eps := o.hyper()
	if o.steps == nil {
		o.steps = make([]int, len(o.Params))
		o.exp = make([]*tensor.Tensor, len(o.Params))
		o.expSq = make([]*tensor.Tensor, len(o.Params))
	}
	eachGradient(o.Params, o.WeightDecay, func(i int, p, g *tensor.Tensor) {
		if o.exp[i] == nil {
			o.exp[i], o.expSq[i] = tensor.ZerosLike(p), tensor.ZerosLike(p)
		}
		o.steps[i]++
		t := float64(o.steps[i])
		m, v := o.exp[i], o.expSq[i]
		m.Mul_(beta1).Add_(g.Mul(1 - beta1))
		v.Mul_(beta2).Add_(g.Mul(g).Mul(1 - beta2))
		denom := v.Sqrt().Div(math.Sqrt(1 - math.Pow(beta2, t))).Add(eps)
		p.Sub_(m.Div(denom).Mul(lr / (1 - math.Pow(beta1, t))))
	})
}

// eachGradient calls update, with recording off, for each parameter that
// has a gradient, passing the gradient with the L2 penalty weightDecay·p
// added as PyTorch's optimizers do.
func eachGradient(params []*tensor.Tensor, weightDecay float64, update func(i int, p, g *tensor.Tensor)) {
	tensor.NoGrad(func() {
		for i, p := range params {
			g := p.Grad()
			if g == nil {
				continue
			}
			if weightDecay != 0 {
				g = g.Add(p.Mul(weightDecay))
			}
			update(i, p, g)
		}
	})
}

// ZeroGrad sets the parameters' gradients to nil.
func (o *Adam) ZeroGrad() {
	if o == nil {
		panicNil("Adam.ZeroGrad", "&optim.Adam{Params: ...}")
	}
	zeroGrad(o.Params)
}

// panicNil reports a method called on a nil optimizer with a *tensor.Error
// rather than a nil dereference.
func panicNil(method, literal string) {
	panic(&tensor.Error{Msg: fmt.Sprintf("%s called on a nil optimizer; make it with %s", method, literal)})
}
