package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

func main() {
	var b strings.Builder
	for i := 0; i < 3; i++ {
		fmt.Fprintf(&b, "%d;", i)
	}
	fmt.Println(b.String())
	s := "Hello, World"
	fmt.Println(strings.ToUpper(s), strings.Count(s, "l"), strings.Split(s, ", "))
	fmt.Println(strings.Map(func(r rune) rune {
		if unicode.IsUpper(r) {
			return unicode.ToLower(r)
		}
		return unicode.ToUpper(r)
	}, s))
	n, err := strconv.Atoi("123")
	fmt.Println(n+1, err, strconv.Quote("a\tb"), strconv.FormatFloat(1.5, 'f', 2, 64))
	for i, r := range "héllo" {
		fmt.Print(i, ":", string(r), " ")
	}
	fmt.Println()
}
