package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
)

// schema is what sdk/model's Go types can hold, read from model.go's
// source: the generator keeps exactly the keys those types decode and drops
// the rest (documentation and other prose), so the bundle and the types
// cannot drift apart. Reading the source rather than importing the package
// keeps the generator buildable when the bundle it writes is missing.
type schema struct {
	types   map[string]*ast.StructType
	dropped map[string]int // "Type.key" → times dropped, for the summary
}

func loadSchema(path string) (*schema, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	s := &schema{types: map[string]*ast.StructType{}, dropped: map[string]int{}}
	ast.Inspect(f, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok {
			if st, ok := ts.Type.(*ast.StructType); ok {
				s.types[ts.Name.Name] = st
			}
		}
		return true
	})
	if s.types["Service"] == nil {
		return nil, fmt.Errorf("%s: no Service type", path)
	}
	return s, nil
}

// jsonKey is a field's key in botocore's JSON, or "" when the field is not
// decoded from JSON.
func jsonKey(f *ast.Field) string {
	if f.Tag == nil || len(f.Names) != 1 {
		return ""
	}
	tags := reflect.StructTag(strings.Trim(f.Tag.Value, "`"))
	if key := tags.Get("bundle"); key != "" {
		// an unexported field the bundle fills, which encoding/json
		// must not see: a service's shapes
		return key
	}
	name, _, _ := strings.Cut(tags.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// filter returns v with every key that type t cannot hold removed.
func (s *schema) filter(v any, t ast.Expr, where string) (any, error) {
	switch t := t.(type) {
	case *ast.StarExpr:
		return s.filter(v, t.X, where)
	case *ast.Ident:
		if t.Name == "shapeTable" {
			// sdk/model's shapes, decoded one by one on first use: a map
			// of Shape, stored with an index.
			o, err := s.filter(v, &ast.MapType{Key: ast.NewIdent("string"), Value: &ast.StarExpr{X: ast.NewIdent("Shape")}}, where)
			if err != nil {
				return nil, err
			}
			return index{o.(*object)}, nil
		}
		if st, ok := s.types[t.Name]; ok {
			return s.filterStruct(v, st, t.Name)
		}
		switch t.Name {
		case "string", "bool", "int", "int64", "float64", "any":
			return stripProse(v), nil
		}
		return nil, fmt.Errorf("%s: unsupported type %s", where, t.Name)
	case *ast.StructType:
		return s.filterStruct(v, t, where)
	case *ast.ArrayType:
		if b, ok := v.([]byte); ok {
			if elt, _ := t.Elt.(*ast.Ident); elt == nil || elt.Name != "byte" {
				return nil, fmt.Errorf("%s: bytes for a list", where)
			}
			return b, nil
		}
		l, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%s: want a list, have %T", where, v)
		}
		out := make([]any, len(l))
		for i, e := range l {
			fe, err := s.filter(e, t.Elt, where)
			if err != nil {
				return nil, err
			}
			out[i] = fe
		}
		return out, nil
	case *ast.MapType:
		o, ok := v.(*object)
		if !ok {
			return nil, fmt.Errorf("%s: want an object, have %T", where, v)
		}
		out := newObject()
		for _, k := range o.keys {
			fv, err := s.filter(o.vals[k], t.Value, where)
			if err != nil {
				return nil, err
			}
			out.set(k, fv)
		}
		return out, nil
	case *ast.SelectorExpr: // json.RawMessage: kept whole, less its prose
		return rawJSON{stripProse(v)}, nil
	case *ast.InterfaceType:
		return stripProse(v), nil
	}
	return nil, fmt.Errorf("%s: unsupported type expression %T", where, t)
}

func (s *schema) filterStruct(v any, st *ast.StructType, where string) (any, error) {
	o, ok := v.(*object)
	if !ok {
		// XMLNamespace may be a bare URI string; its UnmarshalJSON takes it.
		if str, ok := v.(string); ok {
			return str, nil
		}
		return nil, fmt.Errorf("%s: want an object, have %T", where, v)
	}
	fields := map[string]ast.Expr{}
	for _, f := range st.Fields.List {
		if k := jsonKey(f); k != "" {
			fields[k] = f.Type
		}
	}
	out := newObject()
	for _, k := range o.keys {
		ft, ok := fields[k]
		if !ok {
			s.dropped[where+"."+k]++
			continue
		}
		fv, err := s.filter(o.vals[k], ft, where+"."+k)
		if err != nil {
			return nil, err
		}
		out.set(k, fv)
	}
	return out, nil
}

// rawJSON marks a value its Go field keeps as JSON text (json.RawMessage):
// the bundle stores it as text rather than as a tree.
type rawJSON struct{ v any }

// proseKeys are the keys that carry AWS's prose inside data kept whole
// (rule sets, client context parameters): none of it is needed to call an
// API, and none of it belongs in the binary.
var proseKeys = map[string]bool{
	"documentation":     true,
	"documentationUrl":  true,
	"deprecatedMessage": true,
	"description":       true,
}

func stripProse(v any) any {
	switch t := v.(type) {
	case *object:
		out := newObject()
		for _, k := range t.keys {
			if proseKeys[k] {
				continue
			}
			out.set(k, stripProse(t.vals[k]))
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = stripProse(e)
		}
		return out
	}
	return v
}
