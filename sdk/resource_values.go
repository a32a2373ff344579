package sdk

import (
	"context"
	"fmt"
	"iter"
	"reflect"
	"sort"
	"sync"
)

// A ValueTransform lets a service's resources take and return native values
// where its API has one union type, as boto3's DynamoDB resources do with
// AttributeValue: "x" for {S = "x"}, 5 for {N = "5"}. The resource engine
// applies it to every value whose shape is that union, in the requests and
// responses of the resources' loads, actions, collections and batch
// actions; the service's clients are left as they are. A service registers
// its transform with RegisterValueTransform (DynamoDB's is in dynamodb.go).
type ValueTransform struct {
	// Union is the Go type name of the union ("AttributeValue").
	Union string
	// Wrap turns a native value into the union's dynamic form ({"S": "x"}).
	Wrap func(native any) (any, error)
	// Unwrap turns the union's dynamic form into a native value.
	Unwrap func(wrapped any) (any, error)
	// Prepare, when set, rewrites a request of native values before Wrap
	// runs over it (DynamoDB builds expressions from conditions there).
	Prepare func(op *Operation, params map[string]any) error

	hasUnion sync.Map // *Shape -> bool: whether a shape holds the union
}

var valueTransforms = struct {
	sync.RWMutex
	m map[string]*ValueTransform
}{m: map[string]*ValueTransform{}}

// RegisterValueTransform sets the value transform of a service's resources.
func RegisterValueTransform(service string, t *ValueTransform) {
	valueTransforms.Lock()
	defer valueTransforms.Unlock()
	valueTransforms.m[service] = t
}

// LookupValueTransform returns the value transform of a service's
// resources, nil when they take the API's own values.
func LookupValueTransform(service string) *ValueTransform {
	valueTransforms.RLock()
	defer valueTransforms.RUnlock()
	return valueTransforms.m[service]
}

// ValueTransform returns the transform the resource applies to its values,
// nil for none.
func (r *Resource) ValueTransform() *ValueTransform {
	return LookupValueTransform(r.client.ServiceName())
}

// Matches reports whether values of shape s are native values.
func (t *ValueTransform) Matches(s *Shape) bool {
	// botocore's DynamoDB model has no union trait on AttributeValue: it
	// is a structure there.
	return s != nil && (s.Kind == KindUnion || s.Kind == KindStructure) && s.Name() == t.Union
}

// Holds reports whether shape s holds the union anywhere inside, so that
// walks skip what cannot change.
func (t *ValueTransform) Holds(s *Shape) bool {
	if s == nil {
		return false
	}
	if v, ok := t.hasUnion.Load(s); ok {
		return v.(bool)
	}
	var visit func(s *Shape, seen map[*Shape]bool) bool
	visit = func(s *Shape, seen map[*Shape]bool) bool {
		if s == nil || seen[s] {
			return false
		}
		seen[s] = true
		if t.Matches(s) {
			return true
		}
		switch s.Kind {
		case KindList, KindMap:
			return visit(s.Elem, seen)
		case KindStructure:
			for _, m := range s.Members {
				if visit(m.Shape, seen) {
					return true
				}
			}
		case KindUnion:
			for _, m := range s.Variants {
				if visit(m.Shape, seen) {
					return true
				}
			}
		}
		return false
	}
	holds := visit(s, map[*Shape]bool{})
	t.hasUnion.Store(s, holds)
	return holds
}

// Request turns a request of native values into the API's values: Prepare,
// then Wrap at every position of the union. The caller's maps are not
// changed.
func (t *ValueTransform) Request(op *Operation, params map[string]any) (map[string]any, error) {
	if t.Prepare != nil {
		cp := make(map[string]any, len(params))
		for k, v := range params {
			cp[k] = v
		}
		if err := t.Prepare(op, cp); err != nil {
			return nil, &ParamValidationError{Operation: op.Name, Problems: []string{err.Error()}}
		}
		params = cp
	}
	out, err := t.walk(op.InputShape(), params, t.Wrap, "")
	if err != nil {
		return nil, &ParamValidationError{Operation: op.Name, Problems: []string{err.Error()}}
	}
	m, _ := out.(map[string]any)
	return m, nil
}

// Response turns a response's values of the union into native values.
func (t *ValueTransform) Response(op *Operation, out map[string]any) (map[string]any, error) {
	v, err := t.walk(op.OutputShape(), out, t.Unwrap, "")
	if err != nil {
		return nil, fmt.Errorf("%s response: %w", op.Name, err)
	}
	m, _ := v.(map[string]any)
	return m, nil
}

// walk returns v with f applied at every position of the union, copying
// the containers on the way; what the shape does not know is left as it is
// for the encoder to report.
func (t *ValueTransform) walk(s *Shape, v any, f func(any) (any, error), path string) (any, error) {
	if v == nil && !t.Matches(s) || !t.Holds(s) {
		return v, nil
	}
	if t.Matches(s) {
		out, err := f(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", nonEmpty(path), err)
		}
		return out, nil
	}
	switch s.Kind {
	case KindStructure, KindMap:
		m, ok := asStringMap(v)
		if !ok {
			return v, nil
		}
		out := make(map[string]any, len(m))
		for _, k := range sortedMapKeys(m) {
			es := s.Elem
			if s.Kind == KindStructure {
				mem, ok := s.Member(k)
				if !ok {
					out[k] = m[k]
					continue
				}
				es = mem.Shape
			}
			w, err := t.walk(es, m[k], f, join(path, k))
			if err != nil {
				return nil, err
			}
			out[k] = w
		}
		return out, nil
	case KindList:
		list, ok := asList(v)
		if !ok {
			return v, nil
		}
		out := make([]any, len(list))
		for i, e := range list {
			w, err := t.walk(s.Elem, e, f, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out[i] = w
		}
		return out, nil
	}
	return v, nil
}

// asStringMap reads a map with string keys of any value type.
func asStringMap(v any) (map[string]any, bool) {
	if m, ok := v.(map[string]any); ok {
		return m, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	m := make(map[string]any, rv.Len())
	for it := rv.MapRange(); it.Next(); {
		m[it.Key().String()] = it.Value().Interface()
	}
	return m, true
}

// asList reads a slice or array of any element type, but not bytes.
func asList(v any) ([]any, bool) {
	if l, ok := v.([]any); ok {
		return l, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array || rv.Type() == reflect.TypeFor[[]byte]() {
		return nil, false
	}
	l := make([]any, rv.Len())
	for i := range l {
		l[i] = rv.Index(i).Interface()
	}
	return l, true
}

func sortedMapKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// call sends a request of the resource's service through the service's
// value transform, if it has one: every resource request goes through it.
func (r *Resource) call(ctx context.Context, operation string, params map[string]any) (map[string]any, error) {
	t := r.ValueTransform()
	if t == nil {
		return r.client.Call(ctx, operation, params)
	}
	op, err := r.client.Operation(operation)
	if err != nil {
		return nil, err
	}
	wire, err := t.Request(op, params)
	if err != nil {
		return nil, err
	}
	out, err := r.client.Call(ctx, operation, wire)
	if err != nil {
		return nil, err
	}
	return t.Response(op, out)
}

// pages pages through an operation of the resource's service, through the
// service's value transform, if it has one.
func (r *Resource) pages(ctx context.Context, operation string, params map[string]any, cfg PaginationConfig) iter.Seq2[map[string]any, error] {
	t := r.ValueTransform()
	if t == nil {
		return r.client.Paginate(ctx, operation, params, cfg)
	}
	return func(yield func(map[string]any, error) bool) {
		op, err := r.client.Operation(operation)
		if err != nil {
			yield(nil, err)
			return
		}
		wire, err := t.Request(op, params)
		if err != nil {
			yield(nil, err)
			return
		}
		for page, err := range r.client.Paginate(ctx, operation, wire, cfg) {
			if err == nil {
				page, err = t.Response(op, page)
			}
			if !yield(page, err) || err != nil {
				return
			}
		}
	}
}
