package main

import "fmt"

type Temp struct{ A int }

func (t Temp) String() string { return fmt.Sprintf("T(%d)", t.A) }

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type Enum int

type Ints []int

type Counts map[string]int

type Plain struct{ X, Y int }

func main() {
	t := Temp{1}
	fmt.Printf("%#v|%T|%v|%T\n", t, t, t, &t)
	c := Celsius(21.5)
	fmt.Printf("%#v|%T|%v\n", c, c, c)
	e := Enum(3)
	fmt.Printf("%#v|%T|%v|%d\n", e, e, e, e)
	s := Ints{1, 2}
	fmt.Printf("%#v %T %v\n", s, s, s)
	var m Counts = Counts{"a": 1}
	fmt.Printf("%#v %T %v\n", m, m, m)
	p := &Plain{1, 2}
	fmt.Printf("%#v %T %+v\n", p, p, *p)
	fmt.Println(fmt.Sprintf("%T %T %T", Enum(1), []Plain{}, Celsius(0)))
}
