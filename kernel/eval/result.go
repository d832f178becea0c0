package eval

import (
	"fmt"
	"go/ast"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/gorch/gorch/display"
	"github.com/gorch/gorch/kernel"
)

// silentFuncs are calls whose results a notebook should not show: printing
// functions return byte counts nobody asked for.
var silentFuncs = map[string]bool{
	"fmt.Print": true, "fmt.Printf": true, "fmt.Println": true,
	"fmt.Fprint": true, "fmt.Fprintf": true, "fmt.Fprintln": true,
	"print": true, "println": true, "panic": true,
	rtName + ".Printf": true, rtName + ".Fprintf": true,
}

// captureLast returns body with its last statement, if an expression that
// may have a value, passed to the result helper, and the body unchanged for
// when that expression has no value after all. Both are nil-safe: body
// comes back alone when there is nothing to capture.
func (r *rewriter) captureLast(body *ast.BlockStmt) (withCapture, plain *ast.BlockStmt) {
	if len(body.List) == 0 {
		return body, nil
	}
	es, ok := body.List[len(body.List)-1].(*ast.ExprStmt)
	if !ok {
		return body, nil
	}
	if call, ok := es.X.(*ast.CallExpr); ok {
		if silentFuncs[callName(call)] || r.isVoid(call) {
			return body, nil
		}
	}
	list := append([]ast.Stmt(nil), body.List[:len(body.List)-1]...)
	// The call takes the expression's position, so that a panic in it
	// points to the cell's line.
	pos := es.X.Pos()
	list = append(list, &ast.ExprStmt{X: &ast.CallExpr{
		Fun:    &ast.SelectorExpr{X: &ast.Ident{NamePos: pos, Name: rtName}, Sel: &ast.Ident{NamePos: pos, Name: "Show"}},
		Lparen: pos,
		Args:   []ast.Expr{es.X},
		Rparen: es.X.End(),
	}})
	if _, ok := es.X.(*ast.CallExpr); !ok {
		return &ast.BlockStmt{Lbrace: body.Lbrace, List: list, Rbrace: body.Rbrace}, nil
	}
	return &ast.BlockStmt{Lbrace: body.Lbrace, List: list, Rbrace: body.Rbrace}, body
}

// callName returns "pkg.F" or "F" for a call of a package function or a
// plain function.
func callName(call *ast.CallExpr) string {
	switch f := callee(call).(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
	}
	return ""
}

// isVoid reports whether call is known to return nothing, which spares
// compiling the cell twice.
func (r *rewriter) isVoid(call *ast.CallExpr) bool {
	switch f := callee(call).(type) {
	case *ast.Ident:
		if f.Obj != nil {
			return false
		}
		if fd := r.funcDecl(f.Name); fd != nil {
			return fd.Type.Results == nil || len(fd.Type.Results.List) == 0
		}
	case *ast.SelectorExpr:
		if pkg, ok := f.X.(*ast.Ident); ok && pkg.Obj == nil {
			if sym, ok := r.e.symbol(pkg.Name, f.Sel.Name); ok && sym.Kind() == reflect.Func {
				return sym.Type().NumOut() == 0
			}
		}
	}
	return false
}

// resultBundle is the MIME bundle of a cell's value: text/plain always,
// plus what the value offers through display.Renderer; nothing for a value
// that is already in the notebook (display.Displayed).
func resultBundle(vals []reflect.Value) kernel.Bundle {
	if len(vals) == 1 {
		// A value of a cell type comes wrapped, and only the wrapper has
		// the methods; a compiled value comes as it is.
		for _, v := range []reflect.Value{vals[0], unwrap(vals[0])} {
			for v.IsValid() && v.Kind() == reflect.Interface {
				v = v.Elem()
			}
			if !v.IsValid() || !v.CanInterface() {
				continue
			}
			if d, ok := v.Interface().(display.Displayed); ok && d.DisplayID() != "" {
				return nil
			}
			if r, ok := v.Interface().(display.Renderer); ok {
				b := kernel.Bundle{}
				for k, val := range r.MIMEBundle() {
					b[k] = val
				}
				if _, ok := b["text/plain"]; !ok {
					b["text/plain"] = formatValue(vals[0])
				}
				return b
			}
		}
		return kernel.Bundle{"text/plain": formatValue(vals[0])}
	}
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = formatValue(v)
	}
	return kernel.Bundle{"text/plain": "(" + strings.Join(parts, ", ") + ")"}
}

// unwrap returns the value that yaegi wrapped to give it the methods of an
// interface; wrappers are structs whose first field is IValue.
func unwrap(v reflect.Value) reflect.Value {
	for v.IsValid() && v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	if v.IsValid() && v.Kind() == reflect.Struct && v.NumField() > 0 && v.Type().Field(0).Name == "IValue" && strings.HasPrefix(v.Type().Name(), "_") {
		return unwrap(v.Field(0))
	}
	return v
}

// formatValue is the text form of a value: what %v prints, with strings
// quoted so that "1" and 1 differ, and values with String or Error methods
// shown through them.
func formatValue(v reflect.Value) string {
	var b strings.Builder
	writeValue(&b, v, 0)
	return b.String()
}

func writeValue(b *strings.Builder, v reflect.Value, depth int) {
	if !v.IsValid() {
		b.WriteString("<nil>")
		return
	}
	if v.CanInterface() {
		switch x := v.Interface().(type) {
		case error:
			if v.Kind() != reflect.Pointer || !v.IsNil() {
				b.WriteString(x.Error())
				return
			}
		case fmt.Stringer:
			if v.Kind() != reflect.Pointer || !v.IsNil() {
				b.WriteString(x.String())
				return
			}
		}
	}
	inner := unwrap(v)
	if inner != v {
		writeValue(b, inner, depth)
		return
	}
	if depth > 6 {
		fmt.Fprintf(b, "%v", v)
		return
	}
	switch v.Kind() {
	case reflect.String:
		b.WriteString(strconv.Quote(v.String()))
	case reflect.Interface:
		writeValue(b, v.Elem(), depth)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() && depth == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			if i == 200 {
				fmt.Fprintf(b, "... (%d more)", v.Len()-i)
				break
			}
			writeValue(b, v.Index(i), depth+1)
		}
		b.WriteByte(']')
	case reflect.Map:
		b.WriteString("map[")
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return lessValue(keys[i], keys[j]) })
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(' ')
			}
			writeValue(b, k, depth+1)
			b.WriteByte(':')
			writeValue(b, v.MapIndex(k), depth+1)
		}
		b.WriteByte(']')
	case reflect.Struct:
		b.WriteByte('{')
		for i := 0; i < v.NumField(); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			f := v.Field(i)
			if !f.CanInterface() {
				fmt.Fprintf(b, "%v", f)
				continue
			}
			writeValue(b, f, depth+1)
		}
		b.WriteByte('}')
	case reflect.Pointer:
		if !v.IsNil() && depth == 0 {
			switch v.Elem().Kind() {
			case reflect.Struct, reflect.Slice, reflect.Array, reflect.Map:
				b.WriteByte('&')
				writeValue(b, v.Elem(), depth+1)
				return
			}
		}
		fmt.Fprintf(b, "%v", v)
	default:
		if v.CanInterface() {
			fmt.Fprintf(b, "%v", v.Interface())
		} else {
			fmt.Fprintf(b, "%v", v)
		}
	}
}

// lessValue orders map keys as fmt does for the common key kinds.
func lessValue(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.String:
		return a.String() < b.String()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() < b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() < b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() < b.Float()
	case reflect.Bool:
		return !a.Bool() && b.Bool()
	}
	return fmt.Sprint(a) < fmt.Sprint(b)
}
