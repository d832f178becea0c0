package eval

import (
	"context"
	"go/ast"
	"go/parser"
)

// prelude is interpreted into every fresh interpreter: generic helpers that
// rewritten cells call for the min and max built-ins, which yaegi lacks.
const prelude = `package main

func __gorchMin[T ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string](x T, ys ...T) T {
	for _, y := range ys {
		if y < x {
			x = y
		}
	}
	return x
}

func __gorchMax[T ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string](x T, ys ...T) T {
	for _, y := range ys {
		if y > x {
			x = y
		}
	}
	return x
}
`

func (e *Evaluator) loadPrelude() error {
	f, err := parser.ParseFile(e.in.FileSet(), fileName, prelude, 0)
	if err != nil {
		return err
	}
	_, err = e.run(context.Background(), ast.Node(f))
	return err
}
