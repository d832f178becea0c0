package main

import (
	"fmt"
	"sort"
	"strings"
)

func wordCount(s string) map[string]int {
	m := map[string]int{}
	for _, w := range strings.Fields(s) {
		m[w]++
	}
	return m
}

func main() {
	m := wordCount("the quick fox jumps over the lazy dog the end")
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Println(k, m[k])
	}
	delete(m, "the")
	_, ok := m["the"]
	fmt.Println(len(m), ok)
	nested := map[string][]int{"a": {1, 2}}
	nested["b"] = append(nested["b"], 3)
	fmt.Println(nested)
}
