package eval

import (
	"context"
	"go/parser"
)

// preludeFiles are interpreted into every fresh interpreter. yaegi's
// compiled tables cannot hold generic functions and types, and its own
// generic sources stop at Go 1.22 without sorting, so these supply what
// cells expect of Go 1.23+: iter's sequence types, the iterator and sorting
// functions of slices and maps, and the helpers that rewritten cells call
// for min, max and range over functions. They are written for what yaegi's
// generics can infer: type parameters appear directly in parameter types.
// Those of package main's helpers have hidden names: yaegi v0.16.1 takes a
// cell's type named like one of them (type T int) for the type parameter.
var preludeFiles = []string{`package iter

// Seq is an iterator over single values.
type Seq[V any] func(yield func(V) bool)

// Seq2 is an iterator over pairs of values.
type Seq2[K, V any] func(yield func(K, V) bool)
`, `package slices

import (
	"cmp"
	"sort"
)

func Sort[E cmp.Ordered](x []E) { sort.Slice(x, func(i, j int) bool { return cmp.Less(x[i], x[j]) }) }

func SortFunc[E any](x []E, c func(a, b E) int) { sort.Slice(x, func(i, j int) bool { return c(x[i], x[j]) < 0 }) }

func SortStableFunc[E any](x []E, c func(a, b E) int) {
	sort.SliceStable(x, func(i, j int) bool { return c(x[i], x[j]) < 0 })
}

func IsSorted[E cmp.Ordered](x []E) bool {
	for i := 1; i < len(x); i++ {
		if cmp.Less(x[i], x[i-1]) {
			return false
		}
	}
	return true
}

func IsSortedFunc[E any](x []E, c func(a, b E) int) bool {
	for i := 1; i < len(x); i++ {
		if c(x[i], x[i-1]) < 0 {
			return false
		}
	}
	return true
}

func BinarySearch[E cmp.Ordered](x []E, target E) (int, bool) {
	i := sort.Search(len(x), func(i int) bool { return cmp.Compare(x[i], target) >= 0 })
	return i, i < len(x) && cmp.Compare(x[i], target) == 0
}

func BinarySearchFunc[E, T any](x []E, target T, c func(E, T) int) (int, bool) {
	i := sort.Search(len(x), func(i int) bool { return c(x[i], target) >= 0 })
	return i, i < len(x) && c(x[i], target) == 0
}

func Max[E cmp.Ordered](x []E) E {
	if len(x) < 1 {
		panic("slices.Max: empty list")
	}
	m := x[0]
	for _, v := range x[1:] {
		if v > m {
			m = v
		}
	}
	return m
}

func Min[E cmp.Ordered](x []E) E {
	if len(x) < 1 {
		panic("slices.Min: empty list")
	}
	m := x[0]
	for _, v := range x[1:] {
		if v < m {
			m = v
		}
	}
	return m
}

func MaxFunc[E any](x []E, c func(a, b E) int) E {
	if len(x) < 1 {
		panic("slices.MaxFunc: empty list")
	}
	m := x[0]
	for _, v := range x[1:] {
		if c(v, m) > 0 {
			m = v
		}
	}
	return m
}

func MinFunc[E any](x []E, c func(a, b E) int) E {
	if len(x) < 1 {
		panic("slices.MinFunc: empty list")
	}
	m := x[0]
	for _, v := range x[1:] {
		if c(v, m) < 0 {
			m = v
		}
	}
	return m
}

func Reverse[E any](s []E) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

func Clone[E any](s []E) []E {
	if s == nil {
		return nil
	}
	return append([]E{}, s...)
}

func All[E any](s []E) func(yield func(int, E) bool) {
	return func(yield func(int, E) bool) {
		for i, v := range s {
			if !yield(i, v) {
				return
			}
		}
	}
}

func Backward[E any](s []E) func(yield func(int, E) bool) {
	return func(yield func(int, E) bool) {
		for i := len(s) - 1; i >= 0; i-- {
			if !yield(i, s[i]) {
				return
			}
		}
	}
}

func Values[E any](s []E) func(yield func(E) bool) {
	return func(yield func(E) bool) {
		for _, v := range s {
			if !yield(v) {
				return
			}
		}
	}
}

func AppendSeq[E any](s []E, seq func(yield func(E) bool)) []E {
	seq(func(v E) bool {
		s = append(s, v)
		return true
	})
	return s
}

func Collect[E any](seq func(yield func(E) bool)) []E { return AppendSeq([]E(nil), seq) }

func Sorted[E cmp.Ordered](seq func(yield func(E) bool)) []E {
	s := Collect(seq)
	Sort(s)
	return s
}

func SortedFunc[E any](seq func(yield func(E) bool), c func(E, E) int) []E {
	s := Collect(seq)
	SortFunc(s, c)
	return s
}

func Chunk[E any](s []E, n int) func(yield func([]E) bool) {
	if n < 1 {
		panic("cannot be less than 1")
	}
	return func(yield func([]E) bool) {
		for i := 0; i < len(s); i += n {
			end := i + n
			if end > len(s) {
				end = len(s)
			}
			if !yield(s[i:end:end]) {
				return
			}
		}
	}
}

func Repeat[E any](x []E, count int) []E {
	if count < 0 {
		panic("cannot be negative")
	}
	out := make([]E, 0, len(x)*count)
	for i := 0; i < count; i++ {
		out = append(out, x...)
	}
	return out
}

func SortedStableFunc[E any](seq func(yield func(E) bool), c func(E, E) int) []E {
	s := Collect(seq)
	SortStableFunc(s, c)
	return s
}

func Equal[E comparable](s1, s2 []E) bool {
	if len(s1) != len(s2) {
		return false
	}
	for i := 0; i < len(s1); i++ {
		if s1[i] != s2[i] {
			return false
		}
	}
	return true
}

func Compare[E cmp.Ordered](s1, s2 []E) int {
	for i := 0; i < len(s1) && i < len(s2); i++ {
		if c := compareOrdered(s1[i], s2[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(s1) < len(s2):
		return -1
	case len(s1) > len(s2):
		return 1
	}
	return 0
}

// compareOrdered is cmp.Compare, which yaegi cannot call from here: it
// recurses into Compare instead.
func compareOrdered[E cmp.Ordered](a, b E) int {
	aNaN, bNaN := a != a, b != b
	if aNaN || bNaN {
		if aNaN && bNaN {
			return 0
		}
		if aNaN {
			return -1
		}
		return 1
	}
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}

// zeroTail sets s[from:] to zero values, as Go's slices does with the
// elements that Delete and Compact leave behind.
func zeroTail[E any](s []E, from int) {
	var zero E
	for i := from; i < len(s); i++ {
		s[i] = zero
	}
}

func CompactFunc[E any](s []E, eq func(E, E) bool) []E {
	if len(s) < 2 {
		return s
	}
	n := 1
	for k := 1; k < len(s); k++ {
		if !eq(s[k], s[n-1]) {
			s[n] = s[k]
			n++
		}
	}
	zeroTail(s, n)
	return s[:n]
}

func Compact[E comparable](s []E) []E {
	return CompactFunc(s, func(a, b E) bool { return a == b })
}

func DeleteFunc[E any](s []E, del func(E) bool) []E {
	n := 0
	for k := 0; k < len(s); k++ {
		if !del(s[k]) {
			s[n] = s[k]
			n++
		}
	}
	zeroTail(s, n)
	return s[:n]
}

func Delete[E any](s []E, i, j int) []E {
	_ = s[i:j:len(s)] // bounds check
	if i == j {
		return s
	}
	n := len(s) - (j - i)
	copy(s[i:], s[j:])
	zeroTail(s, n)
	return s[:n]
}

func Replace[E any](s []E, i, j int, v ...E) []E {
	_ = s[i:j] // bounds check
	out := make([]E, 0, len(s)-(j-i)+len(v))
	out = append(out, s[:i]...)
	out = append(out, v...)
	return append(out, s[j:]...)
}

func Insert[E any](s []E, i int, v ...E) []E {
	return Replace(s, i, i, v...)
}

func Concat[E any](ss ...[]E) []E {
	n := 0
	for _, s := range ss {
		n += len(s)
	}
	out := make([]E, 0, n)
	for _, s := range ss {
		out = append(out, s...)
	}
	return out
}

func Clip[E any](s []E) []E { return s[:len(s):len(s)] }

func Grow[E any](s []E, n int) []E {
	if n < 0 {
		panic("cannot be negative")
	}
	if n > cap(s)-len(s) {
		s = append(make([]E, 0, len(s)+n), s...)
	}
	return s
}
`, `package maps

func Clone[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	c := make(map[K]V, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func Copy[K comparable, V any](dst, src map[K]V) {
	for k, v := range src {
		dst[k] = v
	}
}

func Equal[K, V comparable](m1, m2 map[K]V) bool {
	if len(m1) != len(m2) {
		return false
	}
	for k, v1 := range m1 {
		if v2, ok := m2[k]; !ok || v1 != v2 {
			return false
		}
	}
	return true
}

func EqualFunc[K comparable, V1, V2 any](m1 map[K]V1, m2 map[K]V2, eq func(V1, V2) bool) bool {
	if len(m1) != len(m2) {
		return false
	}
	for k, v1 := range m1 {
		if v2, ok := m2[k]; !ok || !eq(v1, v2) {
			return false
		}
	}
	return true
}

func DeleteFunc[K comparable, V any](m map[K]V, del func(K, V) bool) {
	for k, v := range m {
		if del(k, v) {
			delete(m, k)
		}
	}
}

func Keys[K comparable, V any](m map[K]V) func(yield func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func Values[K comparable, V any](m map[K]V) func(yield func(V) bool) {
	return func(yield func(V) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

func All[K comparable, V any](m map[K]V) func(yield func(K, V) bool) {
	return func(yield func(K, V) bool) {
		for k, v := range m {
			if !yield(k, v) {
				return
			}
		}
	}
}

func Insert[K comparable, V any](m map[K]V, seq func(yield func(K, V) bool)) {
	seq(func(k K, v V) bool {
		m[k] = v
		return true
	})
}

func Collect[K comparable, V any](seq func(yield func(K, V) bool)) map[K]V {
	m := map[K]V{}
	Insert(m, seq)
	return m
}
`, `package main

func __gorchMin[__gorchT ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string](x __gorchT, ys ...__gorchT) __gorchT {
	for _, y := range ys {
		if y < x {
			x = y
		}
	}
	return x
}

func __gorchMax[__gorchT ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string](x __gorchT, ys ...__gorchT) __gorchT {
	for _, y := range ys {
		if y > x {
			x = y
		}
	}
	return x
}

// __gorchIter runs seq in a goroutine that sends its values on the
// returned channel; range over a function becomes range over that channel,
// so that the loop body keeps its own break, continue and return. Closing
// stop makes yield return false (see IterStop).
func __gorchIter[__gorchE any](seq func(yield func(__gorchE) bool), stop chan bool) chan __gorchE {
	ch := make(chan __gorchE)
	stopped := __gorch.IterStop(stop, ch)
	go func() {
		defer close(ch)
		defer func() { __gorch.GoPanic(recover(), 0) }()
		seq(func(v __gorchE) bool {
			if stopped() {
				return false
			}
			ch <- v
			return !stopped()
		})
	}()
	return ch
}

// __gorchIter2 is __gorchIter for pairs, sent as a key on keys followed by
// its value on vals. The channels come from __gorchKeys and __gorchVals:
// yaegi cannot define two variables from one generic call.
func __gorchIter2[__gorchK, __gorchV any](seq func(yield func(__gorchK, __gorchV) bool), keys chan __gorchK, vals chan __gorchV, stop chan bool) chan __gorchK {
	stopped := __gorch.IterStop(stop, keys, vals)
	go func() {
		defer close(keys)
		defer func() { __gorch.GoPanic(recover(), 0) }()
		seq(func(k __gorchK, v __gorchV) bool {
			if stopped() {
				return false
			}
			keys <- k
			vals <- v
			return !stopped()
		})
	}()
	return keys
}

func __gorchKeys[__gorchK, __gorchV any](seq func(yield func(__gorchK, __gorchV) bool)) chan __gorchK { return make(chan __gorchK) }

func __gorchVals[__gorchK, __gorchV any](seq func(yield func(__gorchK, __gorchV) bool)) chan __gorchV { return make(chan __gorchV) }
`}

func (e *Evaluator) loadPrelude() error {
	for _, src := range preludeFiles {
		f, err := parser.ParseFile(e.in.FileSet(), "prelude/"+fileName, src, 0)
		if err != nil {
			return err
		}
		if _, err := e.run(context.Background(), f); err != nil {
			return err
		}
	}
	return nil
}
