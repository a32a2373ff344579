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
	"strconv"
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
	input      map[string]any // the input, with the starting tokens set
	call       *call          // the call the input was prepared for
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
	cl, err := op.prepare(input)
	if err != nil {
		return nil, err
	}
	p := &Paginator{client: c, op: op, spec: spec, call: cl, input: cl.params, cfg: cfg, resultKeys: spec.resultKeys}
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

// ResultKeys returns the output members, as dotted paths of Go field names,
// that hold each page's items; the first is the one MaxItems counts.
func (p *Paginator) ResultKeys() []string { return p.resultKeys }

// ResumeToken returns, after an iteration that MaxItems stopped, the
// StartingToken that continues from there; "" when all was read.
func (p *Paginator) ResumeToken() string { return p.resume }

// Pages yields the pages, cut to MaxItems.
func (p *Paginator) Pages(ctx context.Context) iter.Seq2[*Result, error] {
	return func(yield func(*Result, error) bool) {
		p.resume = ""
		in := maps.Clone(p.input)
		if p.cfg.PageSize > 0 && p.spec.LimitKey != "" {
			in[p.spec.LimitKey] = int64(p.cfg.PageSize)
			if m, ok := p.op.InputShape().byName[p.spec.LimitKey]; ok && m.Shape != nil && m.Shape.Kind == KindString {
				in[p.spec.LimitKey] = strconv.Itoa(p.cfg.PageSize) // Glacier's limit is a string
			}
		}
		skip, count := p.skip, 0
		for {
			r, err := p.client.invoke(ctx, &call{op: p.op, params: in, autoEncoding: p.call.autoEncoding})
			if err != nil {
				yield(nil, err)
				return
			}
			out := r.Output.(map[string]any)
			more := p.spec.MoreResults == "" || lookupPath(out, p.spec.MoreResults) == true
			next := make([]any, len(p.spec.OutputTokens))
			same := true
			for i, tok := range p.spec.OutputTokens {
				next[i] = lookupPath(out, tok)
				if !emptyValue(next[i]) {
					same = same && reflect.DeepEqual(next[i], in[p.spec.InputTokens[i]])
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
			items := p.PageItems(r)
			n := len(items)
			if p.cfg.MaxItems > 0 && count+n >= p.cfg.MaxItems {
				keep := p.cfg.MaxItems - count
				if keep < n {
					store(out, p.resultKeys[0], items[:keep])
					p.resume = p.encodeToken(in, keep+started)
				} else if more {
					p.setInputTokens(in, next)
					p.resume = p.encodeToken(in, 0)
				}
				yield(r, nil)
				return
			}
			count += n
			if !yield(r, nil) || !more {
				return
			}
			p.setInputTokens(in, next)
		}
	}
}

// A resume token is, as boto3's, base64 of a JSON object of the input
// tokens and how many items of that page were already returned.
const truncateKey = "boto_truncate_amount"

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
	return p.setTokens(tok, bad)
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
		expr, err := compileJMESPath(expression)
		if err != nil {
			yield(nil, err)
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
	return p.resultKeys
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
	m, _ := r.Output.(map[string]any)
	items, _ := lookupPath(m, p.resultKeys[0]).([]any)
	return items
}

// lookupPath evaluates a paginator's path (a member name, a dotted path,
// or a JMESPath expression in a few of botocore's definitions) on an output.
func lookupPath(m map[string]any, path string) any {
	if !strings.ContainsAny(path, "[]|&(){}*@") {
		v, _ := lookup(m, path)
		return v
	}
	v, err := jmespath.Search(path, m)
	if err != nil {
		return nil
	}
	return v
}

func emptyValue(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

func (p *Paginator) setInputTokens(in map[string]any, next []any) {
	for i, name := range p.spec.InputTokens {
		if emptyValue(next[i]) {
			delete(in, name)
		} else {
			in[name] = next[i]
		}
	}
}

// truncateStart drops the items an earlier, truncated run already
// returned: the first skip items of the primary key, and all the others.
func (p *Paginator) truncateStart(out map[string]any, skip int) {
	for i, key := range p.resultKeys {
		list, ok := lookupPath(out, key).([]any)
		if !ok || strings.ContainsAny(key, "[]|") {
			continue
		}
		if i == 0 && skip < len(list) {
			store(out, key, list[skip:])
		} else {
			store(out, key, []any{})
		}
	}
}

func (p *Paginator) encodeToken(in map[string]any, skip int) string {
	tok := map[string]any{}
	for _, name := range p.spec.InputTokens {
		if v, ok := in[name]; ok {
			tok[name] = v
		}
	}
	if _, paths := encodeBytes(tok, nil); len(paths) > 0 {
		tok[encodedKey] = paths
	}
	if skip > 0 {
		tok[truncateKey] = skip
	}
	b, _ := json.Marshal(tok)
	return base64.StdEncoding.EncodeToString(b)
}

// setTokens puts a decoded resume token's values into the input.
func (p *Paginator) setTokens(tok map[string]any, bad func(string) error) error {
	shape := p.op.InputShape()
	var e encoder
	for name, v := range tok {
		m, ok := shape.byName[name]
		if !ok || !p.isInputToken(name) {
			return bad(fmt.Sprintf("%q is not a token of %s", name, p.op.SnakeName))
		}
		if v != nil {
			p.input[name] = e.normalize(m.Shape, jsonValue(v), name)
		}
	}
	if len(e.problems) > 0 {
		return bad(strings.Join(e.problems, "; "))
	}
	return nil
}

// jsonValue turns the json.Numbers of a decoded token into int64 or
// float64, as the normalizer takes them.
func jsonValue(v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n
		}
		f, _ := v.Float64()
		return f
	case []any:
		for i := range v {
			v[i] = jsonValue(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = jsonValue(v[k])
		}
	}
	return v
}
