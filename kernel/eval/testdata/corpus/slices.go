package main

import (
	"fmt"
	"slices"
)

func main() {
	var s []int
	for i := 0; i < 10; i++ {
		s = append(s, i*i)
	}
	fmt.Println(s[2:5], len(s), s[len(s)-1])
	c := make([]int, 3)
	n := copy(c, s)
	fmt.Println(n, c)
	grid := make([][]string, 3)
	for i := range grid {
		grid[i] = []string{"_", "_", "_"}
	}
	grid[1][1] = "X"
	for _, row := range grid {
		fmt.Println(row)
	}
	xs := []int{5, 2, 8, 1}
	slices.Sort(xs)
	fmt.Println(xs, slices.Contains(xs, 8), slices.Index(xs, 5), slices.Max(xs))
	ys := slices.Clone(xs)
	slices.Reverse(ys)
	fmt.Println(ys, xs)
}
