package main

import (
	"fmt"
	"iter"
	"maps"
	"slices"
)

func Countdown(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := n; i > 0; i-- {
			if !yield(i) {
				return
			}
		}
	}
}

func Enumerate(xs []string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for i, x := range xs {
			if !yield(i, x) {
				return
			}
		}
	}
}

func main() {
	for v := range Countdown(5) {
		if v == 2 {
			break
		}
		fmt.Print(v, " ")
	}
	fmt.Println()
	for i, s := range Enumerate([]string{"a", "b"}) {
		fmt.Println(i, s)
	}
	m := map[string]int{"z": 1, "a": 2, "m": 3}
	fmt.Println(slices.Sorted(maps.Keys(m)))
	fmt.Println(slices.Collect(Countdown(3)))
}
