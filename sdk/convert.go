package sdk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	smithydocument "github.com/aws/smithy-go/document"
)

// ParamValidationError reports a request that does not fit its operation.
// It is returned before anything is sent.
type ParamValidationError struct {
	Operation string
	// Problems has one sentence for each member that is wrong.
	Problems []string
}

func (e *ParamValidationError) Error() string {
	return "Parameter validation failed:\n" + strings.Join(e.Problems, "\n")
}

// ErrorCode returns "ParamValidationError", as boto3 names this error.
func (e *ParamValidationError) ErrorCode() string { return "ParamValidationError" }

// encoder turns dynamic values into typed SDK values, collecting every
// problem instead of stopping at the first, as boto3's validator does.
type encoder struct{ problems []string }

func (e *encoder) fail(format string, args ...any) {
	e.problems = append(e.problems, fmt.Sprintf(format, args...))
}

// Encode converts a dynamic input (a map of member names to values, or a
// pointer to the typed input itself) into a new *T for the input type t.
func Encode(t reflect.Type, input any) (any, error) {
	if input != nil && reflect.TypeOf(input) == reflect.PointerTo(t) {
		return input, nil
	}
	ptr := reflect.New(t)
	if input == nil {
		return ptr.Interface(), nil
	}
	var e encoder
	e.structure(ptr.Elem(), ShapeOf(t), input, "")
	if len(e.problems) > 0 {
		return nil, &ParamValidationError{Problems: e.problems}
	}
	return ptr.Interface(), nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// stringMap calls f for each entry of a map with string keys, in key order
// so that problems are reported in a stable order.
func stringMap(v any, f func(k string, v any)) bool {
	if m, ok := v.(map[string]any); ok {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f(k, m[k])
		}
		return true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return false
	}
	keys := rv.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	for _, k := range keys {
		f(k.String(), rv.MapIndex(k).Interface())
	}
	return true
}

func (e *encoder) structure(dst reflect.Value, s *Shape, v any, path string) {
	where := path
	if where == "" {
		where = "input"
	}
	ok := stringMap(v, func(k string, mv any) {
		m, ok := s.Member(k)
		if !ok {
			e.fail("Unknown parameter in %s: %q, must be one of: %s", where, k, s.MemberNames())
			return
		}
		if mv != nil {
			e.set(dst.Field(m.index), m.Shape, mv, join(path, m.Name))
		}
	})
	if !ok {
		e.typeError(path, v, "map")
	}
}

func (e *encoder) typeError(path string, v any, want string) {
	if path == "" {
		path = "input"
	}
	e.fail("Invalid type for parameter %s, value: %s, type: %s, valid types: %s", path, show(v), typeName(v), want)
}

// set stores dynamic value v into dst, whose type is s.Type or a pointer to it.
func (e *encoder) set(dst reflect.Value, s *Shape, v any, path string) {
	if rv := reflect.ValueOf(v); rv.Type().AssignableTo(dst.Type()) {
		dst.Set(rv) // already a typed SDK value
		return
	}
	val := reflect.New(s.Type).Elem()
	if !e.value(val, s, v, path) {
		return
	}
	if s.Pointer {
		p := reflect.New(s.Type)
		p.Elem().Set(val)
		dst.Set(p)
		return
	}
	dst.Set(val)
}

// value fills val (of type s.Type) from v and reports whether it could.
func (e *encoder) value(val reflect.Value, s *Shape, v any, path string) bool {
	switch s.Kind {
	case KindString:
		str, ok := v.(string)
		if !ok {
			e.typeError(path, v, "string")
			return false
		}
		val.SetString(str)
	case KindBool:
		b, ok := v.(bool)
		if !ok {
			e.typeError(path, v, "boolean")
			return false
		}
		val.SetBool(b)
	case KindInteger:
		n, ok := toInt64(v)
		if !ok {
			e.typeError(path, v, "integer")
			return false
		}
		if val.CanInt() && val.OverflowInt(n) || val.CanUint() && (n < 0 || val.OverflowUint(uint64(n))) {
			e.fail("Invalid value for parameter %s, value: %d, out of range for %s", path, n, val.Kind())
			return false
		}
		if val.CanInt() {
			val.SetInt(n)
		} else {
			val.SetUint(uint64(n))
		}
	case KindFloat:
		f, ok := toFloat64(v)
		if !ok {
			e.typeError(path, v, "number")
			return false
		}
		val.SetFloat(f)
	case KindTimestamp:
		t, ok := toTime(v)
		if !ok {
			e.typeError(path, v, "timestamp (time.Time, RFC 3339 string or epoch seconds)")
			return false
		}
		val.Set(reflect.ValueOf(t))
	case KindBlob:
		switch b := v.(type) {
		case []byte:
			val.SetBytes(b)
		case string:
			val.SetBytes([]byte(b))
		default:
			e.typeError(path, v, "blob (string or bytes)")
			return false
		}
	case KindStream:
		var r io.Reader
		switch b := v.(type) {
		case string:
			r = strings.NewReader(b)
		case []byte:
			r = bytes.NewReader(b)
		case io.Reader:
			r = b
		default:
			e.typeError(path, v, "stream (string, bytes or reader)")
			return false
		}
		val.Set(reflect.ValueOf(r))
	case KindList:
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array || rv.Type() == typeBytes {
			e.typeError(path, v, "list")
			return false
		}
		list := reflect.MakeSlice(s.Type, rv.Len(), rv.Len())
		for i := range rv.Len() {
			if ev := rv.Index(i).Interface(); ev != nil {
				e.set(list.Index(i), s.Elem, ev, fmt.Sprintf("%s[%d]", path, i))
			}
		}
		val.Set(list)
	case KindMap:
		m := reflect.MakeMap(s.Type)
		ok := stringMap(v, func(k string, mv any) {
			if mv == nil {
				return
			}
			ev := reflect.New(s.Type.Elem()).Elem()
			e.set(ev, s.Elem, mv, join(path, k))
			m.SetMapIndex(reflect.ValueOf(k).Convert(s.Type.Key()), ev)
		})
		if !ok {
			e.typeError(path, v, "map")
			return false
		}
		val.Set(m)
	case KindStructure:
		e.structure(val, s, v, path)
	case KindUnion:
		return e.union(val, s, v, path)
	case KindDocument:
		if s.newDoc == nil {
			e.fail("Invalid type for parameter %s: this build cannot make a %s from a dynamic value", path, s.Type)
			return false
		}
		val.Set(reflect.ValueOf(s.newDoc(v)))
	}
	return true
}

func (e *encoder) union(val reflect.Value, s *Shape, v any, path string) bool {
	n, set := 0, false
	ok := stringMap(v, func(k string, mv any) {
		n++
		m, ok := s.Variants[k]
		if !ok || n > 1 || mv == nil {
			return
		}
		variant := reflect.New(m.variant)
		e.set(variant.Elem().Field(0), m.Shape, mv, join(path, k))
		val.Set(variant)
		set = true
	})
	if !ok {
		e.typeError(path, v, "map")
		return false
	}
	if n != 1 || !set {
		names := make([]string, 0, len(s.Variants))
		for k := range s.Variants {
			names = append(names, k)
		}
		sort.Strings(names)
		e.fail("Invalid value for parameter %s: a union must set exactly one of: %s", nonEmpty(path), strings.Join(names, ", "))
		return false
	}
	return true
}

func nonEmpty(path string) string {
	if path == "" {
		return "input"
	}
	return path
}

func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case int16:
		return int64(n), true
	case int8:
		return int64(n), true
	case uint8:
		return int64(n), true
	case uint16:
		return int64(n), true
	case uint32:
		return int64(n), true
	case uint64:
		if n > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case uint:
		if uint64(n) > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case float64:
		if n != math.Trunc(n) || n < math.MinInt64 || n >= math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case float32:
		return toInt64(float64(n))
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

func toFloat64(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	if i, ok := toInt64(v); ok {
		return float64(i), true
	}
	return 0, false
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05Z0700", "2006-01-02"}

func toTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, true
	case *time.Time:
		return *t, t != nil
	case string:
		for _, layout := range timeLayouts {
			if p, err := time.Parse(layout, t); err == nil {
				return p, true
			}
		}
		return time.Time{}, false
	}
	if f, ok := toFloat64(v); ok {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
	}
	return time.Time{}, false
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, json.Number:
		return "number"
	case []byte:
		return "bytes"
	case time.Time:
		return "timestamp"
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Map:
		return "map"
	case reflect.Slice, reflect.Array:
		return "list"
	}
	return fmt.Sprintf("%T", v)
}

func show(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	s := fmt.Sprint(v)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// Decode converts a typed SDK value into dynamic values: map[string]any for
// structures, []any for lists, string, bool, int64, float64, time.Time,
// []byte, io.ReadCloser for streams, and any for documents. Absent members
// are left out.
func Decode(v any) any {
	if v == nil {
		return nil
	}
	rv := reflect.ValueOf(v)
	out, _ := decode(ShapeOf(rv.Type()), rv)
	return out
}

// DecodeValue is Decode for a value whose shape is known: a member of a
// typed output, such as a union held in an interface, which Decode would
// see only as its concrete variant struct. It reports false when the member
// is absent.
func DecodeValue(s *Shape, v reflect.Value) (any, bool) { return decode(s, v) }

// decode returns the dynamic value of v (whose type is s.Type, or a pointer
// to it when s.Pointer), and false when the member is absent.
func decode(s *Shape, v reflect.Value) (any, bool) {
	if s.Pointer || s.Kind == KindUnion || s.Kind == KindStream || s.Kind == KindDocument {
		if v.IsNil() {
			return nil, false
		}
		if s.Pointer {
			v = v.Elem()
		}
	}
	switch s.Kind {
	case KindString:
		str := v.String()
		// A non-pointer string is an enum, where "" means unset.
		return str, s.Pointer || str != ""
	case KindBool:
		return v.Bool(), true
	case KindInteger:
		if v.CanUint() {
			return int64(v.Uint()), true
		}
		return v.Int(), true
	case KindFloat:
		if v.Kind() == reflect.Float32 {
			// Go through the shortest decimal so that 0.1 stays 0.1.
			f, _ := strconv.ParseFloat(strconv.FormatFloat(v.Float(), 'g', -1, 32), 64)
			return f, true
		}
		return v.Float(), true
	case KindTimestamp:
		return v.Interface().(time.Time).UTC(), true
	case KindBlob:
		return v.Bytes(), !v.IsNil()
	case KindStream:
		return v.Interface(), true
	case KindList:
		if v.IsNil() {
			return nil, false
		}
		list := make([]any, v.Len())
		for i := range list {
			list[i], _ = decode(s.Elem, v.Index(i))
		}
		return list, true
	case KindMap:
		if v.IsNil() {
			return nil, false
		}
		m := make(map[string]any, v.Len())
		it := v.MapRange()
		for it.Next() {
			m[it.Key().String()], _ = decode(s.Elem, it.Value())
		}
		return m, true
	case KindStructure:
		m := make(map[string]any, len(s.Members))
		for _, mem := range s.Members {
			if d, ok := decode(mem.Shape, v.Field(mem.index)); ok {
				if str, isStr := d.(string); isStr && mem.Decode != nil {
					d = mem.Decode(str)
				}
				m[mem.Name] = d
			}
		}
		return m, true
	case KindUnion:
		return decodeUnion(s, v.Elem())
	case KindDocument:
		if u, ok := v.Interface().(smithydocument.Unmarshaler); ok {
			var doc any
			if err := u.UnmarshalSmithyDocument(&doc); err == nil {
				return doc, true
			}
		}
		return v.Interface(), true
	}
	return nil, false
}

func decodeUnion(s *Shape, v reflect.Value) (any, bool) {
	// v is a pointer to a variant struct.
	for name, m := range s.Variants {
		if v.Type().Elem() == m.variant {
			d, _ := decode(m.Shape, v.Elem().Field(0))
			return map[string]any{name: d}, true
		}
	}
	// An UnknownUnionMember carries a tag the SDK does not know yet.
	if st := v.Elem(); st.Kind() == reflect.Struct {
		if tag := st.FieldByName("Tag"); tag.IsValid() && tag.Kind() == reflect.String {
			return map[string]any{tag.String(): st.FieldByName("Value").Interface()}, true
		}
	}
	return nil, false
}
