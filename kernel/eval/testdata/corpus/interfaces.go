package main

import (
	"fmt"
	"math"
)

type Shape interface {
	Area() float64
	Perimeter() float64
}

type Rect struct{ W, H float64 }
type Circle struct{ R float64 }

func (r Rect) Area() float64        { return r.W * r.H }
func (r Rect) Perimeter() float64   { return 2 * (r.W + r.H) }
func (c Circle) Area() float64      { return math.Pi * c.R * c.R }
func (c Circle) Perimeter() float64 { return 2 * math.Pi * c.R }
func (r Rect) String() string       { return fmt.Sprintf("Rect(%gx%g)", r.W, r.H) }

func describe(i interface{}) string {
	switch v := i.(type) {
	case int:
		return fmt.Sprintf("int %d", v)
	case string:
		return "string " + v
	case Shape:
		return fmt.Sprintf("shape with area %.2f", v.Area())
	default:
		return "unknown"
	}
}

func main() {
	shapes := []Shape{Rect{3, 4}, Circle{1}}
	total := 0.0
	for _, s := range shapes {
		total += s.Area()
	}
	fmt.Printf("%.3f\n", total)
	fmt.Println(Rect{1, 2})
	fmt.Println(describe(42), describe("hi"), describe(Circle{2}), describe(1.5))
	var s Shape = Rect{2, 2}
	if r, ok := s.(Rect); ok {
		fmt.Println("rect", r.W)
	}
}
