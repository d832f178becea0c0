package eval

import (
	"fmt"
	"testing"

	"github.com/gorch/gorch/kernel"
)

func TestScratch(t *testing.T) {
	e := newEvaluator(t)
	fe := &fakeFrontend{}
	for _, c := range []string{
		`t := 1`,
		`a := tensor.Ones(2, 3)`,
		`tensor.Ones(2, 3)`,
		`var b *tensor.Tensor`,
		`c := tensor.Zeros(2)`,
		`d := tensor.New([]int{1,2})`,
		`fmt.Println(tensor.Ones(2))`,
	} {
		b, err, out := runCell(t, e, fe, c)
		fmt.Printf("=== %q\n  result=%.300v\n  err=%v\n  out=%q\n", c, b, err, out)
		if ee, ok := err.(interface{ Error() string }); ok && ee != nil {
			fmt.Printf("  tb=%q\n", err.(*kernel.EvalError).Traceback)
		}
	}
}
