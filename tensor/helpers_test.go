package tensor_test

import (
	"fmt"

	"github.com/gorch/gorch/tensor"
	"github.com/gorch/gorch/tensor/tensortest"
)

// panics is tensortest.Panics, which the tables here call often.
var panics = tensortest.Panics

// vals returns t's elements as fmt prints nested slices: "[[1 2] [3 4]]".
func vals(t *tensor.Tensor) string { return fmt.Sprint(t.ToSlice()) }

func shapeOf(t *tensor.Tensor) string { return fmt.Sprint(t.Shape()) }
