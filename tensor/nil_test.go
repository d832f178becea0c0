package tensor_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/gorch/gorch/tensor"
)

// argFor returns a valid argument of type t for calling a method whose
// receiver is under test, or with nilTensor, a nil *Tensor wherever a
// *Tensor is expected.
func argFor(t reflect.Type, nilTensor bool) reflect.Value {
	tensorType := reflect.TypeFor[*tensor.Tensor]()
	switch {
	case t == tensorType && nilTensor:
		return reflect.Zero(t)
	case t == tensorType:
		return reflect.ValueOf(tensor.Ones(2, 2))
	case t.Kind() == reflect.Interface && nilTensor:
		return reflect.ValueOf((*tensor.Tensor)(nil))
	case t.Kind() == reflect.Interface:
		return reflect.ValueOf(1.0)
	case t.Kind() == reflect.Slice && t.Elem() == tensorType:
		v := reflect.MakeSlice(t, 1, 1)
		v.Index(0).Set(argFor(tensorType, nilTensor))
		return v
	}
	return reflect.Zero(t) // 0, false, "", nil slices
}

// recovered runs f and returns what it panicked with, nil if nothing.
func recovered(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// call calls method m of recv with args (variadic methods get none) and
// returns what it panicked with, nil if it returned.
func call(m reflect.Method, recv *tensor.Tensor, nilArgs bool) any {
	in := []reflect.Value{reflect.ValueOf(recv)}
	n := m.Type.NumIn()
	if m.Type.IsVariadic() {
		n--
	}
	for i := 1; i < n; i++ {
		in = append(in, argFor(m.Type.In(i), nilArgs))
	}
	return recovered(func() { m.Func.Call(in) })
}

// TestNilReceiver calls every method on a nil *Tensor: each must panic
// with a *tensor.Error that says so and names the method, never with a nil
// dereference. String alone prints "<nil>", as fmt does for nil pointers.
func TestNilReceiver(t *testing.T) {
	var nilT *tensor.Tensor
	if s := nilT.String(); s != "<nil>" {
		t.Errorf("String of a nil tensor = %q, want <nil>", s)
	}
	typ := reflect.TypeFor[*tensor.Tensor]()
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		if m.Name == "String" {
			continue
		}
		r := call(m, nil, false)
		e, ok := r.(*tensor.Error)
		switch {
		case r == nil:
			t.Errorf("%s on a nil tensor did not panic", m.Name)
		case !ok:
			t.Errorf("%s on a nil tensor panicked with %T: %v", m.Name, r, r)
		case !strings.HasPrefix(e.Error(), "tensor: nil tensor") || !strings.Contains(e.Msg, m.Name):
			t.Errorf("%s on a nil tensor: %q does not start with \"tensor: nil tensor\" or does not name the method", m.Name, e.Error())
		}
	}
}

// TestNilArguments calls every method with nil tensors wherever a *Tensor
// or an operand is expected: methods may accept them (SetGrad(nil) clears
// the gradient) or panic with a *tensor.Error, and nothing else.
func TestNilArguments(t *testing.T) {
	typ := reflect.TypeFor[*tensor.Tensor]()
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		if r := call(m, tensor.Ones(2, 2), true); r != nil {
			if _, ok := r.(*tensor.Error); !ok {
				t.Errorf("%s with nil arguments panicked with %T: %v", m.Name, r, r)
			}
		}
	}
}

// TestNilFunctionArguments passes nil tensors to the package's functions.
func TestNilFunctionArguments(t *testing.T) {
	var nilT *tensor.Tensor
	a := tensor.Ones(2)
	tests := []struct {
		name string
		f    func()
	}{
		{"Add", func() { tensor.Add(nilT, a) }},
		{"Cat", func() { tensor.Cat(0, a, nilT) }},
		{"Stack", func() { tensor.Stack(0, nilT, a) }},
		{"Where", func() { tensor.Where(nilT, a, a) }},
		{"WhereOperand", func() { tensor.Where(a.Gt(0), nilT, a) }},
		{"MatMul", func() { tensor.MatMul(a, nilT) }},
		{"Sum", func() { tensor.Sum(nilT) }},
		{"Mean", func() { tensor.Mean(nilT) }},
	}
	for _, tt := range tests {
		err := tensor.Try(tt.f)
		var e *tensor.Error
		if !errors.As(err, &e) {
			t.Errorf("%s with a nil tensor: got %v, want a *tensor.Error", tt.name, err)
		}
	}
}

// TestViewFuzz applies the view and indexing operations to random shapes
// with random, often invalid, arguments: each must return or panic with a
// *tensor.Error, and a returned view must agree with its own shape.
func TestViewFuzz(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	ops := []struct {
		name string
		f    func(x *tensor.Tensor, n func() int) *tensor.Tensor
	}{
		{"View", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.View(n(), n()) }},
		{"Reshape", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.Reshape(n(), -1) }},
		{"Transpose", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.Transpose(n(), n()) }},
		{"Permute", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.Permute(n(), n(), n()) }},
		{"Squeeze", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.Squeeze(n()) }},
		{"Unsqueeze", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.Unsqueeze(n()) }},
		{"Expand", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.Expand(n(), n(), n()) }},
		{"Select", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.Select(n(), n()) }},
		{"Narrow", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.Narrow(n(), n(), n()) }},
		{"Slice", func(x *tensor.Tensor, n func() int) *tensor.Tensor {
			return x.Slice(tensor.Range{Start: n(), Stop: n(), Step: n()})
		}},
		{"Split", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.Split(n(), n())[0] }},
		{"Chunk", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.Chunk(n(), n())[0] }},
		{"Flatten", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.Flatten(n(), n()) }},
		{"IndexSelect", func(x *tensor.Tensor, n func() int) *tensor.Tensor {
			return x.IndexSelect(n(), tensor.New([]int{n(), n()}))
		}},
		{"SumDim", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.SumDim(n(), true) }},
		{"MaxDim", func(x *tensor.Tensor, n func() int) *tensor.Tensor { v, _ := x.MaxDim(n(), false); return v }},
		{"Softmax", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return x.Softmax(n()) }},
		{"Cat", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return tensor.Cat(n(), x, x.Narrow(0, 0, 1)) }},
		{"Stack", func(x *tensor.Tensor, n func() int) *tensor.Tensor { return tensor.Stack(n(), x, x) }},
	}
	for range 300 {
		shape := make([]int, r.IntN(4))
		for i := range shape {
			shape[i] = r.IntN(4)
		}
		// Small numbers, mostly valid, some negative, some far out.
		n := func() int {
			if r.IntN(8) == 0 {
				return r.IntN(100) - 50
			}
			return r.IntN(7) - 3
		}
		x := tensor.Arange(max(1, numelOf(shape))).Narrow(0, 0, numelOf(shape)).Reshape(shape...)
		for _, op := range ops {
			var got *tensor.Tensor
			r := recovered(func() { got = op.f(x, n) })
			if r == nil && got != nil {
				// A view must be readable over its whole shape.
				r = recovered(func() { _ = fmt.Sprint(got.Contiguous().Reshape(-1).ToSlice()) })
			}
			if _, ok := r.(*tensor.Error); r != nil && !ok {
				t.Fatalf("%s on shape %v panicked with %T: %v", op.name, shape, r, r)
			}
		}
	}
}

func numelOf(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}
