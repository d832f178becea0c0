package main

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
)

type Person struct {
	Name string
	Age  int
}

func main() {
	people := []Person{{"Alice", 30}, {"Bob", 25}, {"Carol", 35}, {"Dan", 25}}
	sort.Slice(people, func(i, j int) bool { return people[i].Name > people[j].Name })
	fmt.Println(people)
	slices.SortStableFunc(people, func(a, b Person) int { return cmp.Compare(a.Age, b.Age) })
	for _, p := range people {
		fmt.Println(p.Name, p.Age)
	}
	words := []string{"banana", "apple", "cherry"}
	sort.Strings(words)
	i, found := slices.BinarySearch(words, "banana")
	fmt.Println(words, i, found)
}
