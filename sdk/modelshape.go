package sdk

import (
	"bytes"
	"fmt"
	"io"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/awslua/awslua/sdk/model"
)

// modelShapes builds the Shapes of a model-driven service from its model,
// once per shape, so that the Lua conversion, help and completion see the
// same Shape whichever way a service is called.
type modelShapes struct {
	svc  *model.Service
	mu   sync.Mutex
	done map[string]*Shape
}

func newModelShapes(svc *model.Service) *modelShapes {
	return &modelShapes{svc: svc, done: map[string]*Shape{}}
}

// shape returns the Shape of a named model shape; nil for a name the model
// lacks (a corrupt model), which callers treat as "anything goes".
func (ms *modelShapes) shape(name string) *Shape {
	if ms == nil || name == "" {
		return nil
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.build(name)
}

func (ms *modelShapes) build(name string) *Shape {
	if s, ok := ms.done[name]; ok {
		return s
	}
	m := ms.svc.Shape(name)
	if m == nil {
		return nil
	}
	// Published before its members are built: recursive shapes (a
	// DynamoDB AttributeValue holds AttributeValues) tie back to it.
	s := &Shape{model: m, name: name}
	ms.done[name] = s
	switch m.Type {
	case "string":
		s.Kind = KindString
	case "boolean":
		s.Kind = KindBool
	case "integer", "long", "short", "byte", "biginteger":
		s.Kind = KindInteger
	case "float", "double", "bigdecimal":
		s.Kind = KindFloat
	case "timestamp":
		s.Kind = KindTimestamp
	case "blob":
		s.Kind = KindBlob
		if m.Streaming {
			s.Kind = KindStream
		}
	case "list":
		s.Kind = KindList
		if m.Member != nil {
			s.Elem = ms.build(m.Member.Shape)
		}
	case "map":
		s.Kind = KindMap
		if m.Value != nil {
			s.Elem = ms.build(m.Value.Shape)
		}
	case "structure":
		if m.Document {
			s.Kind = KindDocument
			break
		}
		s.Kind = KindStructure
		s.byName = map[string]*Member{}
		s.byFold = map[string]*Member{}
		names := make([]string, 0, len(m.MemberOrder))
		for _, name := range m.MemberOrder {
			ref := m.Members[name]
			if ref == nil {
				continue
			}
			member := &Member{Name: name, Shape: ms.build(ref.Shape), ref: ref}
			if member.Shape != nil && ref.Streaming && member.Shape.Kind == KindBlob {
				member.Shape = &Shape{Kind: KindStream, model: member.Shape.model, name: member.Shape.name}
			}
			s.Members = append(s.Members, member)
			s.byName[name] = member
			s.byFold[strings.ToLower(name)] = member
			names = append(names, name)
		}
		sort.Strings(names)
		s.memberSet = strings.Join(names, ", ")
		if m.Union {
			s.Kind = KindUnion
			s.Variants = s.byName
		}
	default:
		s.Kind = KindDocument
	}
	return s
}

// Name returns the shape's name in the API ("ListObjectsV2Output").
func (s *Shape) Name() string { return s.name }

// Required returns the names of a model shape's required members.
func (s *Shape) Required() []string {
	if s == nil || s.model == nil {
		return nil
	}
	return s.model.Required
}

// Enum returns the values a model string shape allows, nil when any goes.
func (s *Shape) Enum() []string {
	if s == nil || s.model == nil {
		return nil
	}
	return s.model.Enum
}

// normalize checks a dynamic input against a model shape, as boto3's
// validator does, collecting every problem, and returns the value with the
// types the protocol layer takes: int64, float64, time.Time, []byte,
// io.Reader, []any and map[string]any.
func (e *encoder) normalize(s *Shape, v any, path string) any {
	if _, ok := v.(unknown); s == nil || ok {
		return v
	}
	switch s.Kind {
	case KindString:
		if str, ok := v.(string); ok {
			e.minLength(s, utf8.RuneCountInString(str), path)
			e.notInEnum(s, str, path)
			return str
		}
		e.typeError(path, v, "string")
	case KindBool:
		if b, ok := v.(bool); ok {
			return b
		}
		e.typeError(path, v, "boolean")
	case KindInteger:
		if b, ok := v.(*big.Int); ok {
			return b
		}
		if n, ok := toInt64(v); ok {
			if min := s.min(); min != nil && float64(n) < *min {
				e.fail(path, "Invalid value for parameter %s, value: %d, valid min value: %s", nonEmpty(path), n, strconv.FormatFloat(*min, 'f', -1, 64))
			}
			return n
		}
		e.typeError(path, v, "integer")
	case KindFloat:
		if f, ok := toFloat64(v); ok {
			return f
		}
		e.typeError(path, v, "number")
	case KindTimestamp:
		if t, ok := toTime(v); ok {
			return t
		}
		e.typeError(path, v, "timestamp (time.Time, RFC 3339 string or epoch seconds)")
	case KindBlob:
		switch b := v.(type) {
		case []byte:
			e.minLength(s, len(b), path)
			return b
		case string:
			e.minLength(s, len(b), path)
			return []byte(b)
		}
		e.typeError(path, v, "blob (string or bytes)")
	case KindStream:
		switch b := v.(type) {
		case string:
			return strings.NewReader(b)
		case []byte:
			return bytes.NewReader(b)
		case io.Reader:
			return b
		}
		e.typeError(path, v, "stream (string, bytes or reader)")
	case KindList:
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array || rv.Type() == reflect.TypeFor[[]byte]() {
			e.typeError(path, v, "list")
			return nil
		}
		e.minLength(s, rv.Len(), path)
		list := make([]any, 0, rv.Len())
		for i := range rv.Len() {
			if ev := rv.Index(i).Interface(); ev != nil {
				list = append(list, e.normalize(s.Elem, ev, fmt.Sprintf("%s[%d]", path, i)))
			}
		}
		return list
	case KindMap:
		out := map[string]any{}
		if !stringMap(v, func(k string, mv any) {
			if mv != nil {
				out[k] = e.normalize(s.Elem, mv, join(path, k))
			}
		}) {
			e.typeError(path, v, "map")
		}
		return out
	case KindStructure, KindUnion:
		return e.modelStructure(s, v, path)
	default:
		return v
	}
	return nil
}

func (s *Shape) min() *float64 {
	if s.model == nil {
		return nil
	}
	return s.model.Min
}

// minLength reports a string, list or blob shorter than the model's
// minimum, as boto3 does; boto3 checks no maximum, and neither do we.
func (e *encoder) minLength(s *Shape, n int, path string) {
	if min := s.min(); min != nil && float64(n) < *min {
		e.fail(path, "Invalid length for parameter %s, value: %d, valid min length: %s", nonEmpty(path), n, strconv.FormatFloat(*min, 'f', -1, 64))
	}
}

func (e *encoder) modelStructure(s *Shape, v any, path string) map[string]any {
	where := nonEmpty(path)
	out := map[string]any{}
	if !stringMap(v, func(k string, mv any) {
		m, ok := s.byName[k]
		if !ok {
			e.fail(join(path, k), "Unknown parameter in %s: %q, must be one of: %s", where, k, s.MemberNames())
			return
		}
		if mv != nil {
			out[k] = e.normalize(m.Shape, mv, join(path, k))
		}
	}) {
		e.typeError(path, v, "map")
		return nil
	}
	if s.Kind == KindUnion && len(out) != 1 {
		e.fail(path, "Invalid value for parameter %s: a union must set exactly one of: %s", where, s.MemberNames())
	}
	_, open := v.(Partial)
	for _, name := range s.Required() {
		if _, ok := out[name]; !ok && !open && !(e.partial && path == "") {
			e.fail(path, "Missing required parameter in %s: %q", where, name)
		}
	}
	return out
}
