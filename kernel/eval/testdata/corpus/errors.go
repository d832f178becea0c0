package main

import (
	"errors"
	"fmt"
	"strconv"
)

var ErrNotFound = errors.New("not found")

type ParseError struct {
	Line int
	Err  error
}

func (e *ParseError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Err.Error() }
func (e *ParseError) Unwrap() error { return e.Err }

func find(k string) error {
	if k != "x" {
		return fmt.Errorf("find %q: %w", k, ErrNotFound)
	}
	return nil
}

func parse(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, &ParseError{Line: 3, Err: err}
	}
	return n, nil
}

func main() {
	err := find("y")
	fmt.Println(err, errors.Is(err, ErrNotFound), find("x") == nil)
	_, err = parse("abc")
	var pe *ParseError
	if errors.As(err, &pe) {
		fmt.Println("parse error on line", pe.Line)
	}
	fmt.Println(err)
	n, err := parse("42")
	fmt.Println(n, err)
}
