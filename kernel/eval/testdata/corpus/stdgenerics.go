package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Values that compiled functions return, kept in variables, passed to the
// generic functions of slices and maps.

type counter struct {
	words []string
	n     int
}

func (c *counter) Len() int { return c.n }

func (c *counter) Words() []string { return c.words }

func main() {
	words := strings.Fields("pear apple fig apple kiwi")
	slices.Sort(words)
	fmt.Println(words, slices.Max(words), slices.Min(words))
	fmt.Println(slices.Compact(slices.Clone(words)))
	fmt.Println(slices.Equal(words, strings.Fields("apple apple fig kiwi pear")))
	fmt.Println(slices.Compare(words, []string{"apple", "b"}), slices.Compare([]int{1}, []int{1, 2}))
	fmt.Println(slices.Insert(slices.Clone(words), 1, "banana", "cherry"))
	fmt.Println(slices.Delete(slices.Clone(words), 1, 3))
	fmt.Println(slices.DeleteFunc(slices.Clone(words), func(w string) bool { return len(w) < 4 }))
	fmt.Println(slices.Replace(slices.Clone(words), 0, 2, "grape"))
	fmt.Println(slices.Concat(words[:1], words[3:], []string{"lime"}))
	fmt.Println(slices.CompactFunc([]string{"a", "A", "b"}, strings.EqualFold))
	fmt.Println(slices.Index(words, "fig"), slices.Contains(words, "plum"), len(slices.Clip(words)))
	fmt.Println(cap(slices.Grow([]int{1}, 10)) >= 11)

	nums := strings.Split("3,1,2", ",")
	parsed := make([]int, 0, len(nums))
	for _, s := range nums {
		n, _ := strconv.Atoi(s)
		parsed = append(parsed, n)
	}
	fmt.Println(slices.Sorted(slices.Values(parsed)), slices.SortedStableFunc(slices.Values(nums), strings.Compare))

	counts := map[string]int{}
	for _, w := range words {
		counts[w]++
	}
	keys := slices.Sorted(maps.Keys(counts))
	fmt.Println(keys, maps.Equal(counts, maps.Clone(counts)))
	fmt.Println(maps.EqualFunc(counts, map[string]int{"apple": 2}, func(a, b int) bool { return a == b }))

	c := &counter{words: words, n: 3}
	for i := range c.Len() {
		fmt.Print(i, " ")
	}
	for i, w := range c.Words() {
		if i < 2 {
			fmt.Print(w, " ")
		}
	}
	for i := range c.n {
		fmt.Print(i)
	}
	fmt.Println()
}
