package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	smithy "github.com/aws/smithy-go"
	smithytime "github.com/aws/smithy-go/time"
)

// inputValue is an operation's dynamic input as a smithy.Serializable. It
// also implements smithy.StreamingInput, because the REST codecs take a
// streaming payload from the value itself rather than through the
// serializer.
type inputValue struct {
	c      *Codec
	root   *node
	v      map[string]any
	stream io.Reader
	err    error
}

var (
	_ smithy.Serializable   = (*inputValue)(nil)
	_ smithy.StreamingInput = (*inputValue)(nil)
)

// GetPayloadStream returns the streaming payload given as an io.Reader.
func (in *inputValue) GetPayloadStream() io.Reader { return in.stream }

// prepare picks the streaming payload out of the input when it is a reader;
// blobs given as bytes or strings go through the serializer as the payload.
func (in *inputValue) prepare() error {
	for name, v := range in.v {
		m := in.root.members[name]
		if m == nil {
			return fmt.Errorf("protocol: %s has no member %q", in.root.name, name)
		}
		if r, ok := v.(io.Reader); ok {
			if !m.streaming {
				return fmt.Errorf("protocol: %s.%s is not a streaming blob; got %T", in.root.name, name, v)
			}
			in.stream = r
		}
	}
	return nil
}

// Serialize walks the dynamic input with the input's schema.
func (in *inputValue) Serialize(s smithy.ShapeSerializer) {
	if in.root == nil {
		return
	}
	w := &walker{c: in.c, s: s}
	w.structure(in.root, in.root.schema, in.v, true)
	if in.err == nil {
		in.err = w.err
	}
}

// walker writes dynamic values to a ShapeSerializer, keeping the first type
// error (Serialize cannot return one).
type walker struct {
	c    *Codec
	s    smithy.ShapeSerializer
	err  error
	path []string
}

func (w *walker) fail(format string, args ...any) {
	if w.err == nil {
		w.err = fmt.Errorf("protocol: %s: %s", pathString(w.path), fmt.Sprintf(format, args...))
	}
}

func pathString(p []string) string {
	if len(p) == 0 {
		return "input"
	}
	var b bytes.Buffer
	for i, s := range p {
		if i > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

func (w *walker) structure(n *node, sch *smithy.Schema, v any, root bool) {
	var m map[string]any
	if v != nil {
		var ok bool
		if m, ok = asMap(v); !ok {
			w.fail("want a structure (map[string]any), got %T", v)
			return
		}
	}
	var explicit map[string]bool
	if root {
		explicit = explicitQuery(n, m)
	}
	w.s.WriteStruct(sch)
	for _, name := range n.order {
		mv, ok := m[name]
		if !ok || mv == nil {
			continue
		}
		mem := n.members[name]
		if root && mem.streaming {
			if _, isReader := mv.(io.Reader); isReader {
				continue // sent by GetPayloadStream
			}
		}
		if root {
			if mv, ok = boundValue(mem, mv, explicit); !ok {
				continue
			}
		}
		w.path = append(w.path, name)
		w.value(mem, mem.schema, mv)
		w.path = w.path[:len(w.path)-1]
	}
	for name := range m {
		if _, ok := n.members[name]; !ok {
			w.fail("%s has no member %q", n.name, name)
		}
	}
	w.s.CloseStruct()
}

func (w *walker) value(m *member, sch *smithy.Schema, v any) {
	n := m.node
	switch n.kind {
	case smithy.ShapeTypeStructure:
		w.structure(n, sch, v, false)
	case smithy.ShapeTypeUnion:
		if n.event {
			w.fail("event streams are not supported as input")
			return
		}
		mv, ok := asMap(v)
		if !ok {
			w.fail("want a union (map[string]any with one member), got %T", v)
			return
		}
		var set []string
		for k, x := range mv {
			if x != nil {
				set = append(set, k)
			}
		}
		if len(set) != 1 {
			w.fail("a union takes exactly one member, got %d", len(set))
			return
		}
		variant := n.members[set[0]]
		if variant == nil {
			w.fail("%s has no member %q", n.name, set[0])
			return
		}
		w.s.WriteUnion(sch, variant.schema)
		w.path = append(w.path, set[0])
		w.value(variant, variant.schema, mv[set[0]])
		w.path = w.path[:len(w.path)-1]
		w.s.CloseUnion()
	case smithy.ShapeTypeList:
		items, ok := asList(v)
		if !ok {
			w.fail("want a list ([]any), got %T", v)
			return
		}
		w.s.WriteList(sch)
		for i, it := range items {
			w.path = append(w.path, "["+strconv.Itoa(i)+"]")
			if it == nil {
				w.s.WriteNil(n.elem.schema)
			} else {
				w.value(n.elem, n.elem.schema, it)
			}
			w.path = w.path[:len(w.path)-1]
		}
		w.s.CloseList()
	case smithy.ShapeTypeMap:
		mv, ok := asMap(v)
		if !ok {
			w.fail("want a map (map[string]any), got %T", v)
			return
		}
		keys := make([]string, 0, len(mv))
		for k := range mv {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		w.s.WriteMap(sch)
		for _, k := range keys {
			w.s.WriteKey(n.key.schema, k)
			w.path = append(w.path, k)
			if mv[k] == nil {
				w.s.WriteNil(n.elem.schema)
			} else {
				w.value(n.elem, n.elem.schema, mv[k])
			}
			w.path = w.path[:len(w.path)-1]
		}
		w.s.CloseMap()
	case smithy.ShapeTypeString, smithy.ShapeTypeEnum:
		if m.jsonValue {
			s, err := jsonText(v)
			if err != nil {
				w.fail("jsonvalue: %v", err)
				return
			}
			w.s.WriteString(sch, s)
			return
		}
		s, ok := v.(string)
		if !ok {
			w.fail("want a string, got %T", v)
			return
		}
		w.s.WriteString(sch, s)
	case smithy.ShapeTypeBoolean:
		b, ok := v.(bool)
		if !ok {
			w.fail("want a boolean, got %T", v)
			return
		}
		w.s.WriteBool(sch, b)
	case smithy.ShapeTypeByte, smithy.ShapeTypeShort, smithy.ShapeTypeInteger, smithy.ShapeTypeIntEnum, smithy.ShapeTypeLong:
		i, ok := asInt(v)
		if !ok {
			w.fail("want an integer, got %T %v", v, v)
			return
		}
		switch n.kind {
		case smithy.ShapeTypeByte:
			w.s.WriteInt8(sch, int8(i))
		case smithy.ShapeTypeShort:
			w.s.WriteInt16(sch, int16(i))
		case smithy.ShapeTypeLong:
			w.s.WriteInt64(sch, i)
		default:
			w.s.WriteInt32(sch, int32(i))
		}
	case smithy.ShapeTypeFloat, smithy.ShapeTypeDouble:
		f, ok := asFloat(v)
		if !ok {
			w.fail("want a number, got %T", v)
			return
		}
		if n.kind == smithy.ShapeTypeFloat {
			w.s.WriteFloat32(sch, float32(f))
		} else {
			w.s.WriteFloat64(sch, f)
		}
	case smithy.ShapeTypeTimestamp:
		t, ok := asTime(v)
		if !ok {
			w.fail("want a timestamp (time.Time, epoch seconds or ISO 8601), got %T %v", v, v)
			return
		}
		w.s.WriteTime(sch, t)
	case smithy.ShapeTypeBlob:
		switch b := v.(type) {
		case []byte:
			w.s.WriteBlob(sch, b)
		case string:
			w.s.WriteBlob(sch, []byte(b))
		case io.Reader:
			w.fail("a reader is only accepted for a streaming payload")
		default:
			w.fail("want a blob ([]byte or string), got %T", v)
		}
	case smithy.ShapeTypeBigInteger, smithy.ShapeTypeBigDecimal:
		s, ok := bigText(v, n.kind == smithy.ShapeTypeBigInteger)
		if !ok {
			w.fail("want a big number (*big.Int, *big.Float, string or number), got %T", v)
			return
		}
		writeBig(w, sch, s)
	case smithy.ShapeTypeDocument:
		w.writeDocument(sch, v)
	default:
		w.fail("unsupported shape type %v", n.kind)
	}
}

func asList(v any) ([]any, bool) {
	if l, ok := v.([]any); ok {
		return l, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice || rv.Type().Elem().Kind() == reflect.Uint8 {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

func asMap(v any) (map[string]any, bool) {
	if m, ok := v.(map[string]any); ok {
		return m, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	out := make(map[string]any, rv.Len())
	it := rv.MapRange()
	for it.Next() {
		out[it.Key().String()] = it.Value().Interface()
	}
	return out, true
}

// asInt accepts every Go integer type, json.Number, and floats that hold an
// integer (Lua numbers arrive as float64).
func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint:
		return int64(x), x <= math.MaxInt64
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		return int64(x), x <= math.MaxInt64
	case float32:
		return int64(x), float32(int64(x)) == x
	case float64:
		return int64(x), float64(int64(x)) == x && x >= math.MinInt64 && x < math.MaxInt64
	case json.Number:
		i, err := x.Int64()
		return i, err == nil
	case *big.Int:
		return x.Int64(), x.IsInt64()
	}
	return 0, false
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		// botocore accepts the special values as strings
		switch x {
		case "NaN":
			return math.NaN(), true
		case "Infinity":
			return math.Inf(1), true
		case "-Infinity":
			return math.Inf(-1), true
		}
		return 0, false
	}
	if i, ok := asInt(v); ok {
		return float64(i), true
	}
	return 0, false
}

// asTime accepts a time.Time, epoch seconds as a number, or a string in ISO
// 8601 or HTTP date form, as botocore does.
func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case *time.Time:
		if x != nil {
			return *x, true
		}
		return time.Time{}, false
	case string:
		if t, err := smithytime.ParseDateTime(x); err == nil {
			return t, true
		}
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t, true
		}
		if t, err := smithytime.ParseHTTPDate(x); err == nil {
			return t, true
		}
		if f, err := strconv.ParseFloat(x, 64); err == nil {
			return smithytime.ParseEpochSeconds(f), true
		}
		return time.Time{}, false
	}
	if f, ok := asFloat(v); ok {
		return smithytime.ParseEpochSeconds(f), true
	}
	return time.Time{}, false
}

// bigText renders a big number as its decimal text.
func bigText(v any, integer bool) (string, bool) {
	switch x := v.(type) {
	case *big.Int:
		if x == nil {
			return "", false
		}
		return x.String(), true
	case *big.Float:
		if x == nil {
			return "", false
		}
		if integer {
			i, _ := x.Int(nil)
			return i.String(), true
		}
		return x.Text('g', -1), true
	case *big.Rat:
		if x == nil {
			return "", false
		}
		return x.FloatString(20), true
	case string:
		if _, ok := new(big.Float).SetString(x); !ok {
			return "", false
		}
		return x, true
	case json.Number:
		return x.String(), true
	}
	if i, ok := asInt(v); ok {
		return strconv.FormatInt(i, 10), true
	}
	if f, ok := asFloat(v); ok {
		return strconv.FormatFloat(f, 'g', -1, 64), true
	}
	return "", false
}
