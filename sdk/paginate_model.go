package sdk

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"reflect"
	"strconv"
	"strings"

	"github.com/jmespath-community/go-jmespath"
)

// The paginators of model-driven services work on dynamic values, with
// botocore's paginator definitions: the same tokens, limit key,
// more-results flag and result keys boto3 pages with.

func (c *Client) modelPaginator(op *Operation, spec *PaginatorSpec, input any, cfg PaginationConfig) (*Paginator, error) {
	cl, err := op.prepare(input)
	if err != nil {
		return nil, err
	}
	p := &Paginator{client: c, op: op, spec: spec, call: cl, dyn: cl.params, cfg: cfg, resultKeys: spec.resultKeys}
	if cfg.StartingToken != "" {
		if err := p.decodeToken(cfg.StartingToken); err != nil {
			return nil, err
		}
	}
	return p, nil
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

func (p *Paginator) modelPages(ctx context.Context) iter.Seq2[*Result, error] {
	return func(yield func(*Result, error) bool) {
		p.resume = ""
		in := maps.Clone(p.dyn)
		if p.cfg.PageSize > 0 && p.spec.LimitKey != "" {
			in[p.spec.LimitKey] = int64(p.cfg.PageSize)
			if m, ok := p.op.InputShape().byName[p.spec.LimitKey]; ok && m.Shape.Kind == KindString {
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
				p.truncateModelStart(out, skip)
				skip = 0
			}
			items := p.PageItems(r)
			n := len(items)
			if p.cfg.MaxItems > 0 && count+n >= p.cfg.MaxItems {
				keep := p.cfg.MaxItems - count
				if keep < n {
					store(out, p.resultKeys[0], items[:keep])
					p.resume = p.encodeModelToken(in, keep+started)
				} else if more {
					p.setModelInputTokens(in, next)
					p.resume = p.encodeModelToken(in, 0)
				}
				yield(r, nil)
				return
			}
			count += n
			if !yield(r, nil) || !more {
				return
			}
			p.setModelInputTokens(in, next)
		}
	}
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

func (p *Paginator) setModelInputTokens(in map[string]any, next []any) {
	for i, name := range p.spec.InputTokens {
		if emptyValue(next[i]) {
			delete(in, name)
		} else {
			in[name] = next[i]
		}
	}
}

// truncateModelStart drops the items an earlier, truncated run already
// returned: the first skip items of the primary key, and all the others.
func (p *Paginator) truncateModelStart(out map[string]any, skip int) {
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

func (p *Paginator) encodeModelToken(in map[string]any, skip int) string {
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

// setModelTokens puts a decoded resume token's values into the input.
func (p *Paginator) setModelTokens(tok map[string]any, bad func(string) error) error {
	shape := p.op.InputShape()
	var e encoder
	for name, v := range tok {
		m, ok := shape.byName[name]
		if !ok || !p.isInputToken(name) {
			return bad(fmt.Sprintf("%q is not a token of %s", name, p.op.SnakeName))
		}
		if v != nil {
			p.dyn[name] = e.normalize(m.Shape, jsonValue(v), name)
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
