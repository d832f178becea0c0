package tensor_test

import (
	"fmt"

	"github.com/gorch/gorch/tensor"
)

// The autograd example of the design: the gradient of sum(a²) is 2a.
func Example() {
	a := tensor.New([]float32{1, 2}, tensor.RequiresGrad())
	b := a.Pow(2).Sum()
	b.Backward()
	fmt.Println(b)
	fmt.Println(a.Grad())
	// Output:
	// tensor(5., grad_fn=<SumBackward0>)
	// tensor([2., 4.])
}

func ExampleNew() {
	fmt.Println(tensor.New([]int{1, 2, 3}))
	fmt.Println(tensor.New([][]float32{{1, 2}, {3, 4}}))
	fmt.Println(tensor.New([]float64{0.5}))
	fmt.Println(tensor.New([]bool{true, false}))
	// Output:
	// tensor([1, 2, 3])
	// tensor([[1., 2.],
	//         [3., 4.]])
	// tensor([0.5000], dtype=tensor.Float64)
	// tensor([ True, False])
}

func ExampleZeros() {
	fmt.Println(tensor.Zeros(3, 4).Shape(), tensor.Ones(2, 3).Dtype())
	fmt.Println(tensor.Arange(10))
	fmt.Println(tensor.Arange(0, 1, 0.25))
	fmt.Println(tensor.Linspace(0, 1, 5))
	fmt.Println(tensor.Full([]int{2, 2}, 7.0))
	fmt.Println(tensor.Eye(3))
	fmt.Println(tensor.Rand(2, 3).Shape(), tensor.Randn(2, 3).Dtype())
	// Output:
	// [3 4] Float32
	// tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
	// tensor([0.0000, 0.2500, 0.5000, 0.7500])
	// tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
	// tensor([[7., 7.],
	//         [7., 7.]])
	// tensor([[1., 0., 0.],
	//         [0., 1., 0.],
	//         [0., 0., 1.]])
	// [2 3] Float32
}

func ExampleTensor_Add() {
	a := tensor.New([][]float32{{1, 2, 3}, {4, 5, 6}})
	b := tensor.New([]float32{10, 20, 30})
	fmt.Println(a.Add(b)) // b is broadcast over the rows
	fmt.Println(a.Mul(2).Sub(1).Div(2))
	fmt.Println(tensor.Arange(3).Add(2.5).Dtype()) // Int64 + Go float: Float32
	// Output:
	// tensor([[11., 22., 33.],
	//         [14., 25., 36.]])
	// tensor([[0.5000, 1.5000, 2.5000],
	//         [3.5000, 4.5000, 5.5000]])
	// Float32
}

func ExampleTensor_MatMul() {
	a := tensor.Arange(6).Reshape(2, 3).Float()
	fmt.Println(a.MatMul(a.T()))
	fmt.Println(tensor.MatMul(tensor.Ones(5, 2, 3), tensor.Ones(3, 4)).Shape())
	// Output:
	// tensor([[ 5., 14.],
	//         [14., 50.]])
	// [5 2 4]
}

func ExampleTensor_Sum() {
	a := tensor.Arange(6).Reshape(2, 3)
	fmt.Println(a.Sum(), tensor.Sum(a))
	fmt.Println(a.Sum(1))
	fmt.Println(a.SumDim(1, true))
	fmt.Println(a.Float().Mean(), tensor.Mean(a.Float(), 0))
	// Output:
	// tensor(15) tensor(15)
	// tensor([ 3, 12])
	// tensor([[ 3],
	//         [12]])
	// tensor(2.5000) tensor([1.5000, 2.5000, 3.5000])
}

func ExampleTensor_Reshape() {
	a := tensor.Arange(12)
	fmt.Println(a.Reshape(3, 4).Shape(), a.View(12).Shape(), a.Reshape(3, 4).T().Shape(), a.Reshape(2, 6).Transpose(0, 1).Shape())
	// Output:
	// [3 4] [12] [4 3] [6 2]
}

func ExampleTensor_Slice() {
	a := tensor.Arange(12).Reshape(3, 4)
	fmt.Println(a.Slice(tensor.S(0, 2), tensor.S(1, tensor.End, 2))) // a[0:2, 1::2]
	a.Slice(tensor.All(), tensor.S(0, 1)).Fill_(-1)                  // a view: writes go to a
	fmt.Println(a)
	// Output:
	// tensor([[1, 3],
	//         [5, 7]])
	// tensor([[-1,  1,  2,  3],
	//         [-1,  5,  6,  7],
	//         [-1,  9, 10, 11]])
}

func ExampleTensor_Add_inplace() {
	a := tensor.Ones(2)
	a.Add_(10)
	a.Mul_(2)
	fmt.Println(a)
	a.Zero_()
	fmt.Println(a)
	w := tensor.Ones(2).RequiresGrad_(true)
	fmt.Println(tensor.Try(func() { w.Add_(1) }))
	// Output:
	// tensor([22., 22.])
	// tensor([0., 0.])
	// tensor: a leaf Variable that requires grad is being used in an in-place operation.
}

func ExampleFromSlice() {
	arr := []int64{1, 2, 3}
	t1 := tensor.FromSlice(arr) // shares memory
	t2 := tensor.New(arr)       // copies
	arr[0] = 99
	fmt.Println(t1, t2)
	s := t1.Int64s() // shares memory too
	s[1] = 7
	fmt.Println(arr)
	// Output:
	// tensor([99,  2,  3]) tensor([1, 2, 3])
	// [99 7 3]
}

func ExampleTensor_To() {
	a := tensor.Ones(2)
	fmt.Println(a.Device(), tensor.CUDAAvailable(), tensor.DeviceCount())
	fmt.Println(a.To(tensor.Float64))
	fmt.Println(tensor.Try(func() { a.To("cuda") }) != nil)
	// Output:
	// cpu false 0
	// tensor([1., 1.], dtype=tensor.Float64)
	// true
}

func ExampleCat() {
	a, b := tensor.Zeros(1, 2), tensor.Ones(1, 2)
	fmt.Println(tensor.Cat(0, a, b))
	fmt.Println(tensor.Stack(0, a, b).Shape())
	// Output:
	// tensor([[0., 0.],
	//         [1., 1.]])
	// [2 1 2]
}

func ExampleTry() {
	err := tensor.Try(func() { tensor.Ones(2, 3).Add(tensor.Ones(4)) })
	fmt.Println(err)
	// Output:
	// tensor: The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1
}
