package eval

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/gorch/gorch/kernel"
	"github.com/gorch/gorch/kernel/eval/internal/docs"
)

// Inspect describes the name under or just before the cursor: the
// signature and doc comment of a function, method, type or package, or the
// type and value of a variable.
func (e *Evaluator) Inspect(code string, cursor int, detailLevel int) (kernel.Bundle, bool) {
	off := byteOffset(code, cursor)
	start, end := identStart(code, off), identEnd(code, off)
	if start == end && start > 0 && code[start-1] == '(' {
		// Just after "f(": describe f.
		end = start - 1
		start = identStart(code, end)
	}
	name := code[start:end]
	if name == "" {
		return nil, false
	}
	q := ""
	if start > 0 && code[start-1] == '.' {
		q = qualifier(code, start-1)
	}
	text, ok := e.describe(q, name)
	if !ok {
		return nil, false
	}
	return kernel.Bundle{"text/plain": text}, true
}

func (e *Evaluator) describe(q, name string) (string, bool) {
	if q == "" {
		if v, ok := e.globals()[name]; ok {
			return e.describeValue(name, v), true
		}
		for _, kind := range []string{"func", "type"} {
			if d := e.decls.get(kind + " " + name); d != nil {
				return declSignature(d.text), true
			}
		}
		if path, ok := e.packagePath(name); ok {
			return docText(docs.Lookup(path, ""))
		}
		return docText(docs.Lookup("builtin", name))
	}
	if !strings.Contains(q, ".") {
		if _, isVar := e.globals()[q]; !isVar {
			if path, ok := e.packagePath(q); ok {
				return docText(docs.Lookup(path, name))
			}
		}
	}
	v, ok := e.resolve(q)
	if !ok {
		return "", false
	}
	return e.describeMember(v, name)
}

// describeMember documents the field or method name of the value v.
func (e *Evaluator) describeMember(v reflect.Value, name string) (string, bool) {
	v = unwrap(v)
	if !v.IsValid() {
		return "", false // a nil interface has no members
	}
	t := v.Type()
	for _, tt := range []reflect.Type{t, reflect.PointerTo(t)} {
		if m, ok := tt.MethodByName(name); ok {
			nt := tt
			for nt.Kind() == reflect.Pointer {
				nt = nt.Elem()
			}
			if d, ok := docs.Lookup(nt.PkgPath(), nt.Name()+"."+name); ok {
				return docText(d, true)
			}
			return fmt.Sprintf("func (%s) %s%s", tt, name, strings.TrimPrefix(m.Type.String(), "func")), true
		}
	}
	st := t
	for st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	field := name
	if tn := e.typeName(st); tn != "" {
		if d := e.decls.get("method " + tn + "." + name); d != nil {
			return declSignature(d.text), true
		}
		field = yaegiFieldName(name)
	}
	if st.Kind() == reflect.Struct {
		if f, ok := st.FieldByName(field); ok {
			return fmt.Sprintf("field %s %s", name, f.Type), true
		}
	}
	return "", false
}

// describeValue gives the type and value of a variable, as IPython does.
func (e *Evaluator) describeValue(name string, v reflect.Value) string {
	typ := "<nil>"
	if u := unwrap(v); u.IsValid() {
		typ = e.typeText(u.Type(), "")
	}
	val := formatValue(v)
	if len(val) > 2000 {
		// Cut at the start of a character, not inside one.
		cut := 2000
		for cut > 0 && !utf8.RuneStart(val[cut]) {
			cut--
		}
		val = val[:cut] + "…"
	}
	return fmt.Sprintf("var %s %s\n\nValue: %s", name, typ, val)
}

func docText(d docs.Entry, ok bool) (string, bool) {
	if !ok {
		return "", false
	}
	if d.Doc == "" {
		return d.Sig, true
	}
	return d.Sig + "\n\n" + d.Doc, true
}

// declSignature shows a cell's declaration as go doc would: its doc
// comment and its signature, without the body.
func declSignature(src string) string {
	d, err := parseDeclText(src)
	if err != nil {
		return src
	}
	var doc string
	switch d := d.(type) {
	case *ast.FuncDecl:
		doc = d.Doc.Text()
		d.Doc, d.Body = nil, nil
	case *ast.GenDecl:
		doc = d.Doc.Text()
		d.Doc = nil
	}
	var b bytes.Buffer
	printer.Fprint(&b, token.NewFileSet(), d)
	sig := strings.ReplaceAll(b.String(), mainName, "main")
	if doc == "" {
		return sig
	}
	return sig + "\n\n" + strings.TrimSpace(doc)
}
