package main

import (
	"errors"
	"fmt"
)

func safeDiv(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return a / b, nil
}

func order() {
	for i := 0; i < 3; i++ {
		defer fmt.Print(i, " ")
	}
}

func mustPositive(n int) int {
	if n < 0 {
		panic(errors.New("negative"))
	}
	return n
}

func main() {
	fmt.Println(safeDiv(10, 2))
	_, err := safeDiv(1, 0)
	fmt.Println(err != nil)
	order()
	fmt.Println()
	func() {
		defer func() { fmt.Println("caught:", recover()) }()
		mustPositive(-1)
	}()
	fmt.Println("still running")
}
