package eval

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
)

// overridden maps the compiled functions that misbehave with values of
// cell types to their replacements among the rt helpers; the rewriter
// redirects calls. yaegi passes such a value to compiled code wrapped in a
// struct that carries one interface's methods: fmt then formats the
// wrapper with verbs like %d, and errors.As cannot see through it.
var overridden = map[string]string{
	"fmt.Printf": "Printf", "fmt.Sprintf": "Sprintf", "fmt.Fprintf": "Fprintf", "fmt.Errorf": "Errorf",
	"errors.As": "ErrorsAs",
}

// addOverrides adds the replacements to the rt helpers syms, and the
// interfaces their arguments keep to mapTypes.
func addOverrides(syms map[string]reflect.Value, mapTypes map[reflect.Value][]reflect.Type) {
	printing := []reflect.Type{reflect.TypeFor[fmt.Formatter](), reflect.TypeFor[fmt.Stringer](), reflect.TypeFor[error]()}
	for name, f := range map[string]any{
		"Printf":  func(format string, a ...any) (int, error) { return fmt.Fprintf(os.Stdout, format, unwrapArgs(a)...) },
		"Sprintf": func(format string, a ...any) string { return fmt.Sprintf(format, unwrapArgs(a)...) },
		"Fprintf": func(w io.Writer, format string, a ...any) (int, error) {
			return fmt.Fprintf(w, format, unwrapArgs(a)...)
		},
		"Errorf": func(format string, a ...any) error { return fmt.Errorf(format, unwrapArgs(a)...) },
	} {
		v := reflect.ValueOf(f)
		syms[name] = v
		mapTypes[v] = printing
	}
	syms["ErrorsAs"] = reflect.ValueOf(errorsAs)
}

// fmtValue formats the value inside a yaegi wrapper with the verb given,
// except that %v and %s (and %q) use its String method as fmt would.
type fmtValue struct {
	wrapper, inner any
}

func (x fmtValue) Format(f fmt.State, verb rune) {
	if (verb == 'v' && !f.Flag('#')) || verb == 's' || verb == 'q' {
		fmt.Fprintf(f, fmt.FormatString(f, verb), x.wrapper)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), x.inner)
}

// unwrapArgs replaces wrapped values of cell types, other than errors and
// formatters, by fmtValues.
func unwrapArgs(a []any) []any {
	out := a
	for i, v := range a {
		switch v.(type) {
		case error, fmt.Formatter:
			continue
		}
		rv := reflect.ValueOf(v)
		inner := unwrap(rv)
		if inner == rv || !inner.IsValid() || !inner.CanInterface() {
			continue
		}
		if &out[0] == &a[0] {
			out = append([]any(nil), a...)
		}
		out[i] = fmtValue{v, inner.Interface()}
	}
	return out
}

// errorsAs is errors.As that also finds errors of cell types, which reach
// compiled code wrapped.
func errorsAs(err error, target any) bool {
	tv := unwrap(reflect.ValueOf(target))
	if tv.Kind() != reflect.Pointer || tv.IsNil() {
		panic("errors: target must be a non-nil pointer")
	}
	want := tv.Type().Elem()
	for err != nil {
		for _, v := range []reflect.Value{unwrap(reflect.ValueOf(err)), reflect.ValueOf(err)} {
			if v.IsValid() && v.Type().AssignableTo(want) {
				tv.Elem().Set(v)
				return true
			}
		}
		if x, ok := err.(interface{ As(any) bool }); ok && x.As(target) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if errorsAs(e, target) {
					return true
				}
			}
			return false
		default:
			return errors.As(err, target)
		}
	}
	return false
}
