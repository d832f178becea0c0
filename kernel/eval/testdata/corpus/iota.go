package main

import "fmt"

type Weekday int

const (
	Sunday Weekday = iota
	Monday
	Tuesday
)

var names = [...]string{"Sun", "Mon", "Tue"}

func (d Weekday) String() string { return names[d] }

const (
	KB = 1 << (10 * (iota + 1))
	MB
	GB
)

func main() {
	fmt.Println(Sunday, Tuesday, Monday+1)
	fmt.Println(KB, MB, GB)
	fmt.Printf("%d %v\n", Tuesday, Tuesday)
}
