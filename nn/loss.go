package nn

import (
	"slices"

	"github.com/gorch/gorch/tensor"
)

// MSELoss is the mean squared error between an input and a target of the
// same shape: PyTorch's nn.MSELoss with mean reduction.
type MSELoss struct{}

// Forward returns mean((input - target)²) as a 0-dim tensor. It panics if
// either tensor is nil. Unlike PyTorch, which only warns, it panics when the
// shapes differ: a target of shape [N] against an input of [N, 1] would
// broadcast to [N, N] and train the wrong thing silently.
func (MSELoss) Forward(input, target *tensor.Tensor) *tensor.Tensor {
	notNil("MSELoss", "input", input)
	notNil("MSELoss", "target", target)
	if !slices.Equal(input.Shape(), target.Shape()) {
		panicf("MSELoss: using a target size (%v) that is different to the input size (%v); "+
			"this would broadcast to the wrong result, so reshape one of them", target.Shape(), input.Shape())
	}
	return input.Sub(target).Pow(2).Mean()
}

// CrossEntropyLoss is the cross entropy between unnormalised scores
// (logits) and class indices: PyTorch's nn.CrossEntropyLoss with mean
// reduction. It is computed through LogSoftmax, which stays finite for
// large logits where softmax followed by log would not.
type CrossEntropyLoss struct{}

// Forward returns the mean over the batch of -log softmax(input)[i, target[i]]
// as a 0-dim tensor. input has shape [N, C]; target is an Int64 tensor of
// shape [N] holding classes in [0, C). It panics for nil tensors, other
// shapes or dtypes and a class out of range.
func (CrossEntropyLoss) Forward(input, target *tensor.Tensor) *tensor.Tensor {
	notNil("CrossEntropyLoss", "input", input)
	notNil("CrossEntropyLoss", "target", target)
	if input.Dim() != 2 {
		panicf("CrossEntropyLoss: expected input of shape [N, C], got %v", input.Shape())
	}
	if target.Dtype() != tensor.Int64 {
		panicf("expected scalar type Long but found %s", target.Dtype())
	}
	n, classes := input.Size(0), input.Size(1)
	if target.Dim() != 1 || target.Size(0) != n {
		panicf("Expected input batch_size (%d) to match target batch_size (%v).", n, target.Shape())
	}
	if n > 0 {
		if lo, hi := target.Min().ItemInt(), target.Max().ItemInt(); lo < 0 || hi >= int64(classes) {
			bad := hi
			if lo < 0 {
				bad = lo
			}
			panicf("Target %d is out of bounds.", bad)
		}
	}
	// A one-hot mask picks each row's target entry in one elementwise pass
	// over the logits. It selects rather than multiplies: a logit of -inf
	// has a log-probability of -inf, and -inf·0 would make the loss NaN.
	picked := target.Unsqueeze(1).Eq(tensor.Arange(classes))
	return tensor.Where(picked, input.LogSoftmax(1), 0).Sum().Div(-n)
}
