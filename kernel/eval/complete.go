package eval

import (
	"go/ast"
	"reflect"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gorch/gorch/kernel"
	"github.com/gorch/gorch/kernel/eval/internal/docs"
)

// A candidate is one possible completion.
type candidate struct {
	name, kind string // kind: function, method, variable, field, type, module, keyword
}

var keywords = []string{
	"break", "case", "chan", "const", "continue", "default", "defer", "else",
	"fallthrough", "for", "func", "go", "goto", "if", "import", "interface",
	"map", "package", "range", "return", "select", "struct", "switch", "type", "var",
}

var builtins = []string{
	"append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len",
	"make", "max", "min", "new", "panic", "print", "println", "real", "recover",
	"bool", "byte", "complex64", "complex128", "error", "float32", "float64",
	"int", "int8", "int16", "int32", "int64", "rune", "string",
	"uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "any", "comparable",
	"true", "false", "nil", "iota",
}

// Complete lists completions for the name before the cursor: members of a
// package or of a variable's value after a dot, otherwise names declared by
// cells, names of the code being typed, packages, keywords and built-ins.
// Exact-case prefix matches come first, then shorter names.
func (e *Evaluator) Complete(code string, cursor int) kernel.Completion {
	off := byteOffset(code, cursor)
	start := identStart(code, off)
	prefix := code[start:off]
	var cands []candidate
	if start > 0 && code[start-1] == '.' {
		cands = e.members(qualifier(code, start-1))
	} else {
		cands = e.names(code, start, off)
	}
	matches, kinds := rank(cands, prefix)
	types := make([]map[string]any, len(matches))
	// Count the end from off, not cursor, which may lie outside the code.
	startCP, endCP := utf8.RuneCountInString(code[:start]), utf8.RuneCountInString(code[:off])
	for i, m := range matches {
		types[i] = map[string]any{"start": startCP, "end": endCP, "text": m, "type": kinds[i]}
	}
	return kernel.Completion{
		Matches:     matches,
		CursorStart: startCP,
		CursorEnd:   endCP,
		Metadata:    map[string]any{"_jupyter_types_experimental": types},
	}
}

// byteOffset converts a cursor in code points to a byte offset: 0 for a
// negative cursor, len(code) for one past the end.
func byteOffset(code string, cursor int) int {
	off := 0
	for i := 0; i < cursor && off < len(code); i++ {
		_, n := utf8.DecodeRuneInString(code[off:])
		off += n
	}
	return off
}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// identStart returns where the identifier ending at off starts.
func identStart(code string, off int) int {
	for off > 0 {
		r, n := utf8.DecodeLastRuneInString(code[:off])
		if !isIdentRune(r) {
			break
		}
		off -= n
	}
	return off
}

// identEnd returns where the identifier starting at or containing off ends.
func identEnd(code string, off int) int {
	for off < len(code) {
		r, n := utf8.DecodeRuneInString(code[off:])
		if !isIdentRune(r) {
			break
		}
		off += n
	}
	return off
}

// qualifier returns the dotted name that ends just before the dot at dot,
// such as "t", "m.layer" or "t.Sum()": a part may be a call without
// arguments.
func qualifier(code string, dot int) string {
	part := func(end int) int {
		if strings.HasSuffix(code[:end], "()") {
			if s := identStart(code, end-2); s < end-2 {
				return s
			}
		}
		return identStart(code, end)
	}
	start := part(dot)
	for start > 0 && code[start-1] == '.' {
		start = part(start - 1)
	}
	return code[start:dot]
}

// rank keeps the candidates that start with prefix, exact case first, then
// case-insensitively, shorter and then alphabetically earlier names first.
func rank(cands []candidate, prefix string) ([]string, []string) {
	type scored struct {
		candidate
		score int
	}
	seen := map[string]bool{}
	var out []scored
	lower := strings.ToLower(prefix)
	for _, c := range cands {
		if seen[c.name] || strings.HasPrefix(c.name, "__gorch") || strings.HasPrefix(c.name, "_") && !strings.HasPrefix(prefix, "_") {
			continue
		}
		switch {
		case strings.HasPrefix(c.name, prefix):
			out = append(out, scored{c, 0})
		case strings.HasPrefix(strings.ToLower(c.name), lower):
			out = append(out, scored{c, 1})
		default:
			continue
		}
		seen[c.name] = true
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.score != b.score {
			return a.score < b.score
		}
		if len(a.name) != len(b.name) {
			return len(a.name) < len(b.name)
		}
		return a.name < b.name
	})
	names, kinds := make([]string, len(out)), make([]string, len(out))
	for i, s := range out {
		names[i], kinds[i] = s.name, s.kind
	}
	return names, kinds
}

// names lists what a bare identifier may complete to.
func (e *Evaluator) names(code string, start, end int) []candidate {
	var cands []candidate
	for name := range e.globals() {
		cands = append(cands, candidate{name, "variable"})
	}
	for _, d := range e.decls.all() {
		switch d.kind {
		case "func":
			cands = append(cands, candidate{strings.Replace(d.name, mainName, "main", 1), "function"})
		case "type":
			cands = append(cands, candidate{d.name, "type"})
		}
	}
	for _, id := range identifiers(code[:start] + code[end:]) {
		cands = append(cands, candidate{id, "variable"})
	}
	for _, name := range e.imports {
		cands = append(cands, candidate{name, "module"})
	}
	for name := range index().byName {
		cands = append(cands, candidate{name, "module"})
	}
	for _, k := range keywords {
		cands = append(cands, candidate{k, "keyword"})
	}
	for _, b := range builtins {
		cands = append(cands, candidate{b, "function"})
	}
	return cands
}

// members lists the members of what q names: a package, or a variable and
// the fields and methods of its value.
func (e *Evaluator) members(q string) []candidate {
	var cands []candidate
	if !strings.Contains(q, ".") {
		if v, ok := e.globals()[q]; ok {
			return e.valueMembers(v)
		}
		if path, ok := e.packagePath(q); ok {
			for name, v := range index().syms[path] {
				cands = append(cands, candidate{name, symbolKind(v)})
			}
			// Generic functions, which only the documentation lists.
			for name := range docs.Names(path) {
				if name != "" && !strings.Contains(name, ".") && ast.IsExported(name) {
					cands = append(cands, candidate{name, "function"})
				}
			}
			return cands
		}
		return nil
	}
	if strings.Contains(q, "(") {
		t, ok := e.resolveType(q)
		if !ok {
			return nil
		}
		return e.typeMembers(t)
	}
	v, ok := e.resolve(q)
	if !ok {
		return nil
	}
	return e.valueMembers(v)
}

// resolveType follows a dotted name whose parts after the first may be
// calls without arguments, such as "t.Sum()", through types alone: a
// call's type is the first result of the method, as reflection knows it,
// so nothing runs. Methods declared by cells are not known to reflection.
func (e *Evaluator) resolveType(q string) (reflect.Type, bool) {
	parts := strings.Split(q, ".")
	v := unwrap(e.globals()[parts[0]])
	if !v.IsValid() {
		return nil, false
	}
	t := v.Type()
	for _, p := range parts[1:] {
		if name, call := strings.CutSuffix(p, "()"); call {
			m, ok := t.MethodByName(name)
			if !ok {
				m, ok = reflect.PointerTo(t).MethodByName(name)
			}
			if !ok || m.Type.NumOut() == 0 {
				return nil, false
			}
			t = m.Type.Out(0)
			continue
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil, false
		}
		f, ok := t.FieldByName(p)
		if !ok {
			return nil, false
		}
		t = f.Type
	}
	return t, true
}

// packagePath returns the import path of the package a cell calls name:
// imported, or one it could use without importing.
func (e *Evaluator) packagePath(name string) (string, bool) {
	if p, ok := e.importedPath(name); ok {
		return p, true
	}
	if paths := index().byName[name]; len(paths) > 0 {
		return paths[0], true
	}
	return "", false
}

// resolve evaluates a dotted name of fields, such as "m.layer", without
// running code: it follows struct fields through reflection.
func (e *Evaluator) resolve(q string) (reflect.Value, bool) {
	parts := strings.Split(q, ".")
	v, ok := e.globals()[parts[0]]
	if !ok {
		return reflect.Value{}, false
	}
	for _, p := range parts[1:] {
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, false
		}
		v = v.FieldByName(p)
		if !v.IsValid() {
			return reflect.Value{}, false
		}
	}
	return v, true
}

// valueMembers lists the fields and methods of v: those reflection sees,
// and the methods that cells declared on its type.
func (e *Evaluator) valueMembers(v reflect.Value) []candidate {
	if v = unwrap(v); !v.IsValid() {
		return nil
	}
	return e.typeMembers(v.Type())
}

// typeMembers lists the fields and methods of values of type t.
func (e *Evaluator) typeMembers(t reflect.Type) []candidate {
	var cands []candidate
	for _, tt := range []reflect.Type{t, reflect.PointerTo(t)} {
		for i := 0; i < tt.NumMethod(); i++ {
			cands = append(cands, candidate{tt.Method(i).Name, "method"})
		}
	}
	st := t
	for st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	name := e.typeName(st)
	if st.Kind() == reflect.Struct {
		for _, f := range e.fieldNames(st, name) {
			cands = append(cands, candidate{f, "field"})
		}
	}
	if name == "" {
		return cands
	}
	for _, d := range e.decls.all() {
		if d.kind == "method" && d.recv == name {
			cands = append(cands, candidate{d.name, "method"})
		}
	}
	return cands
}

// typeName finds the cell-declared struct type that t, built by yaegi
// without a name, stands for: the type whose fields have the same names,
// as yaegi names them (see yaegiFieldName).
func (e *Evaluator) typeName(t reflect.Type) string {
	if t.Kind() != reflect.Struct {
		return ""
	}
	for _, d := range e.decls.all() {
		if d.fields == nil || len(d.fields) != t.NumField() {
			continue
		}
		same := true
		for i, f := range d.fields {
			same = same && yaegiFieldName(f) == t.Field(i).Name
		}
		if same {
			return d.name
		}
	}
	return ""
}

// fieldNames lists the names of the fields of the struct type t, whose
// cell type is name (from typeName): as the cell declared them, for yaegi
// builds its reflect type with names of its own, or as reflect has them
// for other types (name "").
func (e *Evaluator) fieldNames(t reflect.Type, name string) []string {
	if name != "" {
		return e.decls.get("type " + name).fields
	}
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = t.Field(i).Name
	}
	return names
}

// yaegiFieldName is the name yaegi gives a cell struct type's field name
// in the reflect type it builds, where every field must be exported: an
// unexported n becomes Xn.
func yaegiFieldName(name string) string {
	if r, _ := utf8.DecodeRuneInString(name); unicode.IsUpper(r) {
		return name
	}
	return "X" + name
}

func symbolKind(v reflect.Value) string {
	switch {
	case v.Kind() == reflect.Func:
		return "function"
	case v.Kind() == reflect.Pointer && v.IsNil():
		return "type"
	}
	return "variable"
}
