package main

import (
	"fmt"
	"sync"
)

func main() {
	var prints []func()
	for i := 0; i < 3; i++ {
		prints = append(prints, func() { fmt.Print(i, " ") })
	}
	for _, p := range prints {
		p()
	}
	fmt.Println()
	var wg sync.WaitGroup
	results := make([]int, 3)
	for i, v := range []int{10, 20, 30} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = v * 2
		}()
	}
	wg.Wait()
	fmt.Println(results)
}
