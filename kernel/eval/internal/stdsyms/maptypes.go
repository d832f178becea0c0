package stdsyms

import (
	"encoding"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log"
	"reflect"
)

// init tells the interpreter which interfaces a value of a cell's type
// keeps when passed to these functions as an interface value, so that fmt
// calls a cell's String, Error and Format methods, and json and xml its
// marshalers.
func init() {
	types := func(ptrs ...any) []reflect.Type {
		out := make([]reflect.Type, len(ptrs))
		for i, p := range ptrs {
			out[i] = reflect.TypeOf(p).Elem()
		}
		return out
	}
	mapTypes := map[reflect.Value][]reflect.Type{}
	printing := types((*fmt.Formatter)(nil), (*fmt.Stringer)(nil), (*error)(nil))
	for _, f := range []any{
		fmt.Errorf, fmt.Fprint, fmt.Fprintf, fmt.Fprintln, fmt.Print, fmt.Printf, fmt.Println,
		fmt.Sprint, fmt.Sprintf, fmt.Sprintln, fmt.Append, fmt.Appendf, fmt.Appendln,
		log.Fatal, log.Fatalf, log.Fatalln, log.Panic, log.Panicf, log.Panicln, log.Print, log.Printf, log.Println,
	} {
		mapTypes[reflect.ValueOf(f)] = printing
	}
	scanning := types((*fmt.Scanner)(nil))
	for _, f := range []any{fmt.Scan, fmt.Scanf, fmt.Scanln, fmt.Sscan, fmt.Sscanf, fmt.Sscanln, fmt.Fscan, fmt.Fscanf, fmt.Fscanln} {
		mapTypes[reflect.ValueOf(f)] = scanning
	}
	mapTypes[reflect.ValueOf(json.Marshal)] = types((*json.Marshaler)(nil), (*encoding.TextMarshaler)(nil))
	mapTypes[reflect.ValueOf(json.MarshalIndent)] = types((*json.Marshaler)(nil), (*encoding.TextMarshaler)(nil))
	mapTypes[reflect.ValueOf(json.Unmarshal)] = types((*json.Unmarshaler)(nil), (*encoding.TextUnmarshaler)(nil))
	mapTypes[reflect.ValueOf(xml.Marshal)] = types((*xml.Marshaler)(nil), (*encoding.TextMarshaler)(nil))
	mapTypes[reflect.ValueOf(xml.Unmarshal)] = types((*xml.Unmarshaler)(nil), (*encoding.TextUnmarshaler)(nil))
	Symbols["."] = map[string]reflect.Value{"MapTypes": reflect.ValueOf(mapTypes)}
}
