package main

import "fmt"

type Point struct{ X, Y int }

func main() {
	p := Point{1, 2}
	fmt.Printf("%v %+v\n", p, p)
	fmt.Printf("%#v\n", p)
	fmt.Printf("%T %T\n", p, &p)
	fmt.Println([]Point{{1, 2}, {3, 4}})
}
