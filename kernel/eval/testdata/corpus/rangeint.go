package main

import "fmt"

func main() {
	for i := range 3 {
		fmt.Print(i, " ")
	}
	fmt.Println()
	n := 4
	total := 0
	for i := range n {
		total += i
	}
	fmt.Println(total)
	for range 2 {
		fmt.Println("tick")
	}
	var k int64 = 2
	for j := range k {
		fmt.Printf("%T %d\n", j, j)
	}
}
