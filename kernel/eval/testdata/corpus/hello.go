package main

import "fmt"

func main() {
	name, n := "gopher", 3
	fmt.Println("hello,", name, n)
	fmt.Printf("%5.2f|%-4d|%q|%x\n", 3.14159, 42, "hi", 255)
	var z complex128 = complex(1, 2)
	fmt.Println(z, real(z), len("héllo"), []rune("héllo")[1] == 'é')
}
