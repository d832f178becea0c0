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
	typed := reflect.ValueOf(func(typ string, v, raw any) any { return fmtValue{v, raw, typ} })
	syms["Typed"] = typed
	mapTypes[typed] = printing
	// Raw has no entry in mapTypes, so that yaegi passes it values as
	// they are, without a wrapper.
	syms["Raw"] = reflect.ValueOf(func(v any) any { return v })
}

// fmtValue formats the value inside a yaegi wrapper with the verb given,
// except that %v and %s (and %q) use its String method as fmt would. typ
// is the name of the value's cell-declared type, when the rewriter knows
// it (see nameTypes).
type fmtValue struct {
	wrapper, inner any
	typ            string
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
		out[i] = fmtValue{v, inner.Interface(), ""}
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
			fv, wrapped := a[arg].(fmtValue)
			if wrapped {
				v = reflect.ValueOf(fv.inner)
			}
			// A fmtValue is never left to %T, which would name it.
			named := wrapped || v.IsValid() && e.typeString(v.Type()) != v.Type().String()
			switch {
			case verb == 'T' && named:
				typ := fv.typ
				if typ == "" {
					typ = e.typeString(v.Type())
				}
				a = replaceArg(a, arg, typ)
				verb = 's'
			case verb == 'v' && sharp && named:
				a = replaceArg(a, arg, e.goValue(v, fv.typ))
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

// typeString is t.String() with the names of cell-declared struct types,
// as go run prints them: main.Point.
func (e *Evaluator) typeString(t reflect.Type) string { return e.typeText(t, "main.") }

// typeText is t.String() with the names of cell-declared struct types,
// prefixed by qual.
func (e *Evaluator) typeText(t reflect.Type, qual string) string {
	if name := e.typeName(t); name != "" {
		return qual + name
	}
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + e.typeText(t.Elem(), qual)
	case reflect.Slice:
		return "[]" + e.typeText(t.Elem(), qual)
	case reflect.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), e.typeText(t.Elem(), qual))
	case reflect.Map:
		return "map[" + e.typeText(t.Key(), qual) + "]" + e.typeText(t.Elem(), qual)
	}
	return t.String()
}

// goValue is the Go syntax of v, as %#v prints it, with the names of
// cell-declared types; typ names v's own type when it is not a struct
// (which typeString names), or is "".
func (e *Evaluator) goValue(v reflect.Value, typ string) string {
	v = unwrap(v)
	if !v.IsValid() {
		return "<nil>"
	}
	t := v.Type()
	if typ == "" {
		typ = e.typeString(t)
	}
	if !v.CanInterface() {
		return fmt.Sprintf("%#v", v)
	}
	if typ == t.String() {
		return fmt.Sprintf("%#v", v.Interface())
	}
	var b strings.Builder
	switch t.Kind() {
	case reflect.Struct:
		b.WriteString(typ + "{")
		for i, name := range e.fieldNames(t, e.typeName(t)) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(name + ":" + e.goValue(v.Field(i), ""))
		}
		b.WriteString("}")
	case reflect.Pointer:
		if v.IsNil() {
			return "(" + typ + ")(nil)"
		}
		return "&" + e.goValue(v.Elem(), strings.TrimPrefix(typ, "*"))
	case reflect.Slice, reflect.Array:
		b.WriteString(typ + "{")
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(e.goValue(v.Index(i), ""))
		}
		b.WriteString("}")
	default:
		// fmt spells the type of maps (map[K]V{...}) and of nothing
		// else it prints here (numbers, strings, ...).
		s := fmt.Sprintf("%#v", v.Interface())
		if t.Kind() == reflect.Map {
			s = typ + strings.TrimPrefix(s, t.String())
		}
		return s
	}
	return b.String()
}
