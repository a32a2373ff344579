package sdk

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/jmespath-community/go-jmespath"
)

// PaginationConfig is boto3's PaginationConfig.
type PaginationConfig struct {
	// MaxItems stops after this many items of the primary result key; the
	// paginator's ResumeToken then continues where it stopped.
	MaxItems int
	// PageSize asks the service for pages of this many items.
	PageSize int
	// StartingToken is a ResumeToken of an earlier paginator.
	StartingToken string
}

// CanPaginate reports whether an operation has a paginator.
func (c *Client) CanPaginate(operation string) bool {
	op, ok := c.svc.Operation(operation)
	return ok && c.svc.pagers[op.Name] != nil
}

// PaginatorNames returns the operations that have paginators, by API name.
func (c *Client) PaginatorNames() []string {
	names := make([]string, len(c.svc.Paginators))
	for i, p := range c.svc.Paginators {
		names[i] = p.Operation
	}
	return names
}

// A Paginator pages through the results of one operation. Each iteration
// sends its requests again; a Paginator holds no pages. Iterations of one
// Paginator must not overlap: each sets its ResumeToken.
type Paginator struct {
	client     *Client
	op         *Operation
	spec       *PaginatorSpec
	input      reflect.Value  // *Input, with the starting tokens set
	dyn        map[string]any // the input of a model-driven operation
	cfg        PaginationConfig
	skip       int // items of the first page that an earlier run returned
	resultKeys []string
	resume     string
}

// Paginator returns a paginator of an operation for an input, which is
// checked now, as is cfg.StartingToken.
func (c *Client) Paginator(operation string, input any, cfg PaginationConfig) (*Paginator, error) {
	op, err := c.Operation(operation)
	if err != nil {
		return nil, err
	}
	spec := c.svc.pagers[op.Name]
	if spec == nil {
		return nil, fmt.Errorf("%s operation %s cannot be paginated", c.svc.Name, op.SnakeName)
	}
	if op.model != nil {
		return c.modelPaginator(op, spec, input, cfg)
	}
	in, err := Encode(op.Input, input)
	if err != nil {
		if pv, ok := err.(*ParamValidationError); ok {
			pv.Operation = op.Name
		}
		return nil, err
	}
	// Work on a copy: the caller's typed input stays as it was.
	cp := reflect.New(op.Input)
	cp.Elem().Set(reflect.ValueOf(in).Elem())
	p := &Paginator{client: c, op: op, spec: spec, input: cp, cfg: cfg, resultKeys: resultKeys(op.Output, spec)}
	if cfg.StartingToken != "" {
		if err := p.decodeToken(cfg.StartingToken); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Paginate is shorthand for Paginator(...).PageMaps(ctx).
func (c *Client) Paginate(ctx context.Context, operation string, input any, cfg PaginationConfig) iter.Seq2[map[string]any, error] {
	p, err := c.Paginator(operation, input, cfg)
	if err != nil {
		return func(yield func(map[string]any, error) bool) { yield(nil, err) }
	}
	return p.PageMaps(ctx)
}

// resultKeys finds the lists that hold a page's items: the list members
// beside the (first) output token, as dotted paths. S3's CommonPrefixes and
// DeleteMarkers come after the objects and versions, so the primary key,
// which MaxItems counts, is the one boto3 counts.
func resultKeys(out reflect.Type, spec *PaginatorSpec) []string {
	s := ShapeOf(out)
	prefix := ""
	if tok := spec.OutputTokens[0]; strings.Contains(tok, ".") {
		parent := tok[:strings.LastIndex(tok, ".")]
		for _, name := range strings.Split(parent, ".") {
			m, ok := s.Member(name)
			if !ok || m.Shape.Kind != KindStructure {
				return nil
			}
			s = m.Shape
			prefix += m.Field + "."
		}
	}
	var keys, late []string
	for _, m := range s.Members {
		if m.Shape.Kind != KindList {
			continue
		}
		if m.Field == "CommonPrefixes" || m.Field == "DeleteMarkers" {
			late = append(late, prefix+m.Field)
		} else {
			keys = append(keys, prefix+m.Field)
		}
	}
	return append(keys, late...)
}

// ResultKeys returns the output members, as dotted paths of Go field names,
// that hold each page's items; the first is the one MaxItems counts.
func (p *Paginator) ResultKeys() []string { return p.resultKeys }

// ResumeToken returns, after an iteration that MaxItems stopped, the
// StartingToken that continues from there; "" when all was read.
func (p *Paginator) ResumeToken() string { return p.resume }

// field follows a dotted path of Go field names through pointers; it returns
// the zero Value where a pointer on the way is nil.
func field(v reflect.Value, path string) reflect.Value {
	for _, name := range strings.Split(path, ".") {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}
			}
			v = v.Elem()
		}
		v = v.FieldByName(name)
	}
	return v
}

func empty(v reflect.Value) bool {
	if !v.IsValid() || v.IsZero() {
		return true
	}
	switch v.Kind() {
	case reflect.Pointer:
		return v.Elem().Kind() == reflect.String && v.Elem().Len() == 0
	case reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	}
	return false
}

// Pages yields the typed pages, cut to MaxItems.
func (p *Paginator) Pages(ctx context.Context) iter.Seq2[*Result, error] {
	if p.op.model != nil {
		return p.modelPages(ctx)
	}
	return func(yield func(*Result, error) bool) {
		p.resume = ""
		in := reflect.New(p.op.Input)
		in.Elem().Set(p.input.Elem())
		if p.cfg.PageSize > 0 && p.spec.LimitKey != "" {
			limit := in.Elem().FieldByName(p.spec.LimitKey)
			size := reflect.New(limit.Type()).Elem()
			if size.Kind() == reflect.Pointer {
				size.Set(reflect.New(limit.Type().Elem()))
				size.Elem().SetInt(int64(p.cfg.PageSize))
			} else {
				size.SetInt(int64(p.cfg.PageSize))
			}
			limit.Set(size)
		}
		skip, count := p.skip, 0
		for {
			r, err := p.client.invoke(ctx, p.op, in.Interface())
			if err != nil {
				yield(nil, err)
				return
			}
			out := reflect.ValueOf(r.Output)
			more, same := p.spec.MoreResults == "" || truthy(field(out, p.spec.MoreResults)), true
			next := make([]reflect.Value, len(p.spec.OutputTokens))
			for i, tok := range p.spec.OutputTokens {
				next[i] = field(out, tok)
				if !empty(next[i]) {
					same = same && reflect.DeepEqual(next[i].Interface(), in.Elem().FieldByName(p.spec.InputTokens[i]).Interface())
				} else if i == 0 {
					more = false
				}
			}
			// A service that hands back the token it was given has no more
			// pages (CloudWatch Logs' GetLogEvents ends that way).
			more = more && !same
			started := skip
			if skip > 0 {
				p.truncateStart(out, skip)
				skip = 0
			}
			n := 0
			if len(p.resultKeys) > 0 {
				n = field(out, p.resultKeys[0]).Len()
			}
			if p.cfg.MaxItems > 0 && count+n >= p.cfg.MaxItems {
				keep := p.cfg.MaxItems - count
				if keep < n {
					field(out, p.resultKeys[0]).SetLen(keep)
					p.resume = p.encodeToken(in.Elem(), keep+started)
				} else if more {
					p.setTokens(in.Elem(), next)
					p.resume = p.encodeToken(in.Elem(), 0)
				}
				yield(r, nil)
				return
			}
			count += n
			if !yield(r, nil) || !more {
				return
			}
			p.setTokens(in.Elem(), next)
		}
	}
}

func truthy(v reflect.Value) bool {
	for v.IsValid() && v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	return v.IsValid() && v.Kind() == reflect.Bool && v.Bool()
}

// truncateStart drops the items an earlier, truncated run already returned:
// the first skip items of the primary key, and all the other result keys.
func (p *Paginator) truncateStart(out reflect.Value, skip int) {
	for i, key := range p.resultKeys {
		list := field(out, key)
		if !list.IsValid() {
			continue
		}
		if i == 0 && skip < list.Len() {
			list.Set(list.Slice(skip, list.Len()))
		} else {
			list.SetLen(0)
		}
	}
}

func (p *Paginator) setTokens(in reflect.Value, next []reflect.Value) {
	for i, name := range p.spec.InputTokens {
		f := in.FieldByName(name)
		if !next[i].IsValid() {
			f.Set(reflect.Zero(f.Type()))
			continue
		}
		f.Set(next[i])
	}
}

// A resume token is, as boto3's, base64 of a JSON object of the input
// tokens and how many items of that page were already returned.
const truncateKey = "boto_truncate_amount"

func (p *Paginator) encodeToken(in reflect.Value, skip int) string {
	tok := map[string]any{}
	for _, name := range p.spec.InputTokens {
		f := in.FieldByName(name)
		if d, ok := decode(ShapeOf(f.Type()), f); ok {
			tok[name] = d
		}
	}
	// JSON would carry bytes (a DynamoDB key of type B) as base64 text that
	// decodeToken could not tell from a string; botocore's TokenEncoder
	// lists their paths under boto_encoded_keys, and so do we.
	if _, paths := encodeBytes(tok, nil); len(paths) > 0 {
		tok[encodedKey] = paths
	}
	if skip > 0 {
		tok[truncateKey] = skip
	}
	b, _ := json.Marshal(tok)
	return base64.StdEncoding.EncodeToString(b)
}

const encodedKey = "boto_encoded_keys"

// encodeBytes replaces, in place, the []byte values in v with their base64
// text, and returns the paths (map keys and list indexes) to them.
func encodeBytes(v any, path []any) (any, [][]any) {
	var paths [][]any
	switch x := v.(type) {
	case []byte:
		return base64.StdEncoding.EncodeToString(x), [][]any{slices.Clone(path)}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			var p [][]any
			x[k], p = encodeBytes(x[k], append(path, k))
			paths = append(paths, p...)
		}
	case []any:
		for i := range x {
			var p [][]any
			x[i], p = encodeBytes(x[i], append(path, i))
			paths = append(paths, p...)
		}
	}
	return v, paths
}

// decodeBytesAt turns the base64 text at path in v back into bytes.
func decodeBytesAt(v any, path []any) (any, bool) {
	if len(path) == 0 {
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		b, err := base64.StdEncoding.DecodeString(s)
		return b, err == nil
	}
	ok := false
	switch x := v.(type) {
	case map[string]any:
		if k, isKey := path[0].(string); isKey && x[k] != nil {
			x[k], ok = decodeBytesAt(x[k], path[1:])
		}
	case []any:
		if i, isIndex := toInt64(path[0]); isIndex && i >= 0 && i < int64(len(x)) {
			x[i], ok = decodeBytesAt(x[i], path[1:])
		}
	}
	return v, ok
}

func (p *Paginator) decodeToken(token string) error {
	bad := func(why string) error {
		return &ParamValidationError{Operation: p.op.Name, Problems: []string{
			fmt.Sprintf("Invalid value for parameter PaginationConfig.StartingToken: %s", why)}}
	}
	b, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return bad("it is not a token that a paginator returned")
	}
	var tok map[string]any
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	if err := d.Decode(&tok); err != nil {
		return bad("it is not a token that a paginator returned")
	}
	if n, ok := tok[truncateKey]; ok {
		skip, ok := toInt64(n)
		if !ok || skip < 0 {
			return bad("its truncate amount is not a whole number")
		}
		p.skip = int(skip)
		delete(tok, truncateKey)
	}
	if paths, ok := tok[encodedKey]; ok {
		delete(tok, encodedKey)
		list, _ := paths.([]any)
		for _, path := range list {
			path, _ := path.([]any)
			if _, ok := decodeBytesAt(tok, path); !ok || len(path) == 0 {
				return bad("its encoded keys do not match it")
			}
		}
	}
	var e encoder
	if p.op.model != nil {
		return p.setModelTokens(tok, bad)
	}
	in := p.input.Elem()
	for name, v := range tok {
		f := in.FieldByName(name)
		if !f.IsValid() || !p.isInputToken(name) {
			return bad(fmt.Sprintf("%q is not a token of %s", name, p.op.SnakeName))
		}
		// boto3 writes a token the service did not return as null (the
		// second marker of ListObjectVersions); it leaves the input unset.
		if v != nil {
			e.set(f, ShapeOf(f.Type()), v, name)
		}
	}
	if len(e.problems) > 0 {
		return bad(strings.Join(e.problems, "; "))
	}
	return nil
}

func (p *Paginator) isInputToken(name string) bool {
	for _, t := range p.spec.InputTokens {
		if t == name {
			return true
		}
	}
	return false
}

// PageMaps yields each page as dynamic values.
func (p *Paginator) PageMaps(ctx context.Context) iter.Seq2[map[string]any, error] {
	return func(yield func(map[string]any, error) bool) {
		for r, err := range p.Pages(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(r.Map(), nil) {
				return
			}
		}
	}
}

// Items yields the items of the primary result key of every page.
func (p *Paginator) Items(ctx context.Context) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		if len(p.resultKeys) == 0 {
			yield(nil, fmt.Errorf("%s has no result key to iterate", p.op.SnakeName))
			return
		}
		for r, err := range p.Pages(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			for _, item := range p.PageItems(r) {
				if !yield(item, nil) {
					return
				}
			}
		}
	}
}

// Search applies a JMESPath expression to every page and yields the
// results, each element of a list result in turn, as boto3's search does.
func (p *Paginator) Search(ctx context.Context, expression string) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		expr, err := jmespath.Compile(expression)
		if err != nil {
			yield(nil, fmt.Errorf("JMESPath expression %q: %w", expression, err))
			return
		}
		for page, err := range p.PageMaps(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			res, err := expr.Search(jsonNumbers(page))
			if err != nil {
				yield(nil, fmt.Errorf("JMESPath expression %q: %w", expression, err))
				return
			}
			if list, ok := res.([]any); ok {
				for _, v := range list {
					if !yield(v, nil) {
						return
					}
				}
			} else if !yield(res, nil) {
				return
			}
		}
	}
}

// jsonNumbers returns v with int64 numbers as float64: JMESPath compares
// numbers as JSON has them, and a filter on Size must see it as one.
func jsonNumbers(v any) any {
	switch v := v.(type) {
	case int64:
		return float64(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = jsonNumbers(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = jsonNumbers(e)
		}
		return out
	}
	return v
}

// BuildFullResult reads every page and merges the result keys into one
// result, as boto3's build_full_result does; NextToken holds the resume
// token when MaxItems stopped the paging.
func (p *Paginator) BuildFullResult(ctx context.Context) (map[string]any, error) {
	full := map[string]any{}
	for page, err := range p.PageMaps(ctx) {
		if err != nil {
			return nil, err
		}
		for _, key := range p.apiKeys() {
			v, ok := lookup(page, key)
			if !ok {
				continue
			}
			list, _ := v.([]any)
			old, _ := lookup(full, key)
			prev, _ := old.([]any)
			store(full, key, append(prev, list...))
		}
	}
	for _, key := range p.apiKeys() {
		if _, ok := lookup(full, key); !ok {
			store(full, key, []any{})
		}
	}
	if p.resume != "" {
		full["NextToken"] = p.resume
	}
	return full, nil
}

// apiKeys returns the result keys with the API's member names.
func (p *Paginator) apiKeys() []string {
	if p.op.model != nil {
		return p.resultKeys
	}
	keys := make([]string, len(p.resultKeys))
	for i, k := range p.resultKeys {
		parent, leaf := apiPath(p.op.Output, k)
		keys[i] = strings.TrimPrefix(parent+"."+leaf, ".")
	}
	return keys
}

func lookup(m map[string]any, path string) (any, bool) {
	var v any = m
	for _, name := range strings.Split(path, ".") {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = mm[name]; !ok {
			return nil, false
		}
	}
	return v, true
}

func store(m map[string]any, path string, v any) {
	names := strings.Split(path, ".")
	for _, name := range names[:len(names)-1] {
		next, ok := m[name].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[name] = next
		}
		m = next
	}
	m[names[len(names)-1]] = v
}

// PageItems returns the items of a page's primary result key as dynamic
// values, for showing a page's first items.
func (p *Paginator) PageItems(r *Result) []any {
	if len(p.resultKeys) == 0 {
		return nil
	}
	if m, ok := r.Output.(map[string]any); ok {
		items, _ := lookupPath(m, p.resultKeys[0]).([]any)
		return items
	}
	list := field(reflect.ValueOf(r.Output), p.resultKeys[0])
	if !list.IsValid() {
		return nil
	}
	items, _ := Decode(list.Interface()).([]any)
	return items
}
