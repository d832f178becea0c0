package eval

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
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
func (e *Evaluator) addOverrides(syms map[string]reflect.Value, mapTypes map[reflect.Value][]reflect.Type) {
	printing := []reflect.Type{reflect.TypeFor[fmt.Formatter](), reflect.TypeFor[fmt.Stringer](), reflect.TypeFor[error]()}
	fix := func(format string, a []any) (string, []any) {
		return e.goSyntax(format, unwrapArgs(a))
	}
	for name, f := range map[string]any{
		"Printf": func(format string, a ...any) (int, error) {
			format, a = fix(format, a)
			return fmt.Fprintf(os.Stdout, format, a...)
		},
		"Sprintf": func(format string, a ...any) string {
			format, a = fix(format, a)
			return fmt.Sprintf(format, a...)
		},
		"Fprintf": func(w io.Writer, format string, a ...any) (int, error) {
			format, a = fix(format, a)
			return fmt.Fprintf(w, format, a...)
		},
		"Errorf": func(format string, a ...any) error {
			format, a = fix(format, a)
			return fmt.Errorf(format, a...)
		},
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

// goSyntax makes %T and %#v name the types that cells declare, as go run
// prints them (main.Point{X:1, Y:2}); yaegi builds those types without
// names. Formats with explicit argument indexes are left alone.
func (e *Evaluator) goSyntax(format string, a []any) (string, []any) {
	if !strings.Contains(format, "%T") && !strings.Contains(format, "%#v") || strings.Contains(format, "[") {
		return format, a
	}
	var out strings.Builder
	arg := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		out.WriteByte(c)
		if c != '%' {
			continue
		}
		j := i + 1
		sharp := false
		for j < len(format) && strings.IndexByte("+-# 0", format[j]) >= 0 {
			sharp = sharp || format[j] == '#'
			j++
		}
		for j < len(format) && (format[j] >= '0' && format[j] <= '9' || format[j] == '.' || format[j] == '*') {
			if format[j] == '*' {
				arg++
			}
			j++
		}
		if j >= len(format) {
			out.WriteString(format[i+1:])
			break
		}
		verb := format[j]
		spec := format[i+1 : j]
		i = j
		if verb == '%' {
			out.WriteString(spec + "%")
			continue
		}
		if arg < len(a) {
			v := reflect.ValueOf(a[arg])
			if fv, ok := a[arg].(fmtValue); ok {
				v = reflect.ValueOf(fv.inner)
			}
			switch {
			case verb == 'T' && v.IsValid() && e.typeString(v.Type()) != v.Type().String():
				a = replaceArg(a, arg, e.typeString(v.Type()))
				verb = 's'
			case verb == 'v' && sharp && v.IsValid() && e.typeString(v.Type()) != v.Type().String():
				a = replaceArg(a, arg, e.goValue(v))
				verb, spec = 's', strings.ReplaceAll(spec, "#", "")
			}
		}
		out.WriteString(spec)
		out.WriteByte(verb)
		arg++
	}
	return out.String(), a
}

func replaceArg(a []any, i int, v any) []any {
	out := append([]any(nil), a...)
	out[i] = v
	return out
}

// typeString is t.String() with the names of cell-declared struct types.
func (e *Evaluator) typeString(t reflect.Type) string {
	if name := e.typeName(t); name != "" {
		return "main." + name
	}
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + e.typeString(t.Elem())
	case reflect.Slice:
		return "[]" + e.typeString(t.Elem())
	case reflect.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), e.typeString(t.Elem()))
	case reflect.Map:
		return "map[" + e.typeString(t.Key()) + "]" + e.typeString(t.Elem())
	}
	return t.String()
}

// goValue is the Go syntax of v, as %#v prints it, with the names of
// cell-declared types.
func (e *Evaluator) goValue(v reflect.Value) string {
	v = unwrap(v)
	if !v.IsValid() {
		return "<nil>"
	}
	t := v.Type()
	if e.typeString(t) == t.String() || !v.CanInterface() {
		if v.CanInterface() {
			return fmt.Sprintf("%#v", v.Interface())
		}
		return fmt.Sprintf("%#v", v)
	}
	var b strings.Builder
	switch t.Kind() {
	case reflect.Struct:
		b.WriteString(e.typeString(t) + "{")
		for i := 0; i < v.NumField(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(t.Field(i).Name + ":" + e.goValue(v.Field(i)))
		}
		b.WriteString("}")
	case reflect.Pointer:
		if v.IsNil() {
			return "(" + e.typeString(t) + ")(nil)"
		}
		return "&" + e.goValue(v.Elem())
	case reflect.Slice, reflect.Array:
		b.WriteString(e.typeString(t) + "{")
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(e.goValue(v.Index(i)))
		}
		b.WriteString("}")
	default:
		return fmt.Sprintf("%#v", v.Interface())
	}
	return b.String()
}
