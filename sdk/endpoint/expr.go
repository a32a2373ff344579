package endpoint

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Values during evaluation are JSON-like: nil (unset), string, bool,
// float64 or int (literals), []any, and map[string]any (the results of
// aws.partition, aws.parseArn and parseURL).

// state is one resolution's variables, indexed by the slots the compiler
// gave each parameter and each assigned name.
type state struct {
	vals  []any
	parts *Partitions
	// args is a stack for function arguments: a call pushes its
	// arguments, which nested calls have finished with by then, and pops
	// them after, so that calls do not allocate.
	args []any
}

type expr interface {
	eval(s *state) any
}

type literal struct{ v any }

func (e literal) eval(*state) any { return e.v }

type ref struct{ slot int }

func (e ref) eval(s *state) any { return s.vals[e.slot] }

// call is a library function applied to its arguments.
type call struct {
	name string // as the rule set calls it, for AppendBinary
	fn   func(s *state, args []any) any
	args []expr
}

func (e *call) eval(s *state) any {
	base := len(s.args)
	for _, a := range e.args {
		v := a.eval(s)
		s.args = append(s.args, v)
	}
	v := e.fn(s, s.args[base:])
	clear(s.args[base:])
	s.args = s.args[:base]
	return v
}

// getAttr is getAttr(target, path) with the path split at compile time.
type getAttr struct {
	target expr
	path   []step
}

// A step of a getAttr path: a key, an index, or a key then an index
// ("resourceId[2]").
type step struct {
	key   string // "" for none
	index int    // -1 for none
}

func (e *getAttr) eval(s *state) any {
	v := e.target.eval(s)
	for _, st := range e.path {
		if st.key != "" {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[st.key]
		}
		if st.index >= 0 {
			list, ok := v.([]any)
			if !ok || st.index >= len(list) {
				return nil
			}
			v = list[st.index]
		}
	}
	return v
}

func parsePath(path string) ([]step, error) {
	if path == "" {
		return nil, errors.New("empty getAttr path")
	}
	var steps []step
	for part := range strings.SplitSeq(path, ".") {
		st := step{key: part, index: -1}
		if i := strings.IndexByte(part, '['); i >= 0 {
			n, err := strconv.Atoi(strings.TrimSuffix(part[i+1:], "]"))
			if !strings.HasSuffix(part, "]") || err != nil || n < 0 {
				return nil, fmt.Errorf("bad getAttr path %q", path)
			}
			st.key, st.index = part[:i], n
		}
		if st.key == "" && st.index < 0 {
			return nil, fmt.Errorf("bad getAttr path %q", path)
		}
		steps = append(steps, st)
	}
	return steps, nil
}

// template is a string with "{name}" or "{name#path}" holes; "{{" and "}}"
// stand for braces.
type template struct{ parts []expr }

func (e *template) eval(s *state) any {
	var b strings.Builder
	for _, p := range e.parts {
		b.WriteString(toString(p.eval(s)))
	}
	return b.String()
}

// toString renders a value in a template or message; only strings appear
// there in practice.
func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return ""
}

// objectExpr and listExpr build endpoint properties, whose strings are
// templates.
type objectExpr struct {
	keys []string
	vals []expr
}

func (e *objectExpr) eval(s *state) any {
	m := make(map[string]any, len(e.keys))
	for i, k := range e.keys {
		m[k] = e.vals[i].eval(s)
	}
	return m
}

type listExpr struct{ items []expr }

func (e *listExpr) eval(s *state) any {
	out := make([]any, len(e.items))
	for i, item := range e.items {
		out[i] = item.eval(s)
	}
	return out
}

// compiler turns the JSON rules into rule and expr trees. It tracks which
// names are in scope so that every reference is known to be bound when it
// is evaluated, which lets one flat slot array serve as every rule's scope.
type compiler struct {
	slots map[string]int  // every name ever bound, to its slot
	scope map[string]bool // the names bound where compilation is
	parts *Partitions
}

func (c *compiler) rules(in []jsonRule) ([]*rule, error) {
	out := make([]*rule, len(in))
	for i := range in {
		r, err := c.rule(&in[i])
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

func (c *compiler) rule(j *jsonRule) (*rule, error) {
	r := &rule{}
	var bound []string
	defer func() {
		for _, name := range bound {
			delete(c.scope, name)
		}
	}()
	for _, jc := range j.Conditions {
		fn, err := c.call(jc.Fn, jc.Argv)
		if err != nil {
			return nil, err
		}
		cond := condition{fn: fn, slot: -1}
		if jc.Assign != "" {
			// Shadowing would let an inner rule's value leak into the
			// outer rule's later siblings through the shared slot.
			if c.scope[jc.Assign] {
				return nil, fmt.Errorf("endpoint: assign %q: name already in scope", jc.Assign)
			}
			slot, ok := c.slots[jc.Assign]
			if !ok {
				slot = len(c.slots)
				c.slots[jc.Assign] = slot
			}
			c.scope[jc.Assign] = true
			bound = append(bound, jc.Assign)
			cond.slot = slot
		}
		r.conditions = append(r.conditions, cond)
	}
	var err error
	switch j.Type {
	case "tree":
		r.kind = treeRule
		r.rules, err = c.rules(j.Rules)
	case "error":
		r.kind = errorRule
		r.message, err = c.expr(j.Error)
	case "endpoint":
		r.kind = endpointRule
		err = c.endpoint(r, j.Endpoint)
	default:
		err = fmt.Errorf("endpoint: unknown rule type %q", j.Type)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (c *compiler) endpoint(r *rule, j *jsonEndpoint) error {
	if j == nil {
		return errors.New("endpoint: endpoint rule without an endpoint")
	}
	var err error
	if r.url, err = c.expr(j.URL); err != nil {
		return err
	}
	names := make([]string, 0, len(j.Headers))
	for name := range j.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		h := header{name: name}
		for _, v := range j.Headers[name] {
			e, err := c.expr(v)
			if err != nil {
				return err
			}
			h.values = append(h.values, e)
		}
		r.headers = append(r.headers, h)
	}
	if len(j.Properties) > 0 {
		e, err := c.value(map[string]any(j.Properties))
		if err != nil {
			return err
		}
		r.properties = e.(*objectExpr)
	}
	return nil
}

// expr compiles an expression: a function call, a reference, a template
// string, or a literal.
func (c *compiler) expr(v any) (expr, error) {
	switch v := v.(type) {
	case string:
		return c.template(v)
	case bool:
		return literal{v}, nil
	case float64:
		return literal{v}, nil
	case map[string]any:
		if fn, ok := v["fn"].(string); ok {
			argv, ok := v["argv"].([]any)
			if !ok {
				return nil, fmt.Errorf("endpoint: %s: argv is not a list", fn)
			}
			return c.call(fn, argv)
		}
		if name, ok := v["ref"].(string); ok {
			return c.ref(name)
		}
	}
	return nil, fmt.Errorf("endpoint: bad expression %.60v", v)
}

func (c *compiler) ref(name string) (expr, error) {
	if !c.scope[name] {
		return nil, fmt.Errorf("endpoint: reference to %q, which is not in scope", name)
	}
	return ref{c.slots[name]}, nil
}

func (c *compiler) call(name string, argv []any) (expr, error) {
	f, ok := functions[name]
	if !ok {
		return nil, fmt.Errorf("endpoint: unknown function %q", name)
	}
	if len(argv) != f.arity {
		return nil, fmt.Errorf("endpoint: %s takes %d arguments, not %d", name, f.arity, len(argv))
	}
	if name == "aws.partition" && c.parts == nil {
		return nil, errors.New("endpoint: rule set calls aws.partition, but no partitions were given")
	}
	args := make([]expr, len(argv))
	for i, a := range argv {
		e, err := c.expr(a)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	if name == "getAttr" {
		// The path is a literal in every rule set; splitting it once
		// keeps parsing strings out of resolution.
		lit, ok := args[1].(literal)
		path, isString := lit.v.(string)
		if !ok || !isString {
			return nil, errors.New("endpoint: getAttr path is not a literal string")
		}
		steps, err := parsePath(path)
		if err != nil {
			return nil, fmt.Errorf("endpoint: %w", err)
		}
		return &getAttr{target: args[0], path: steps}, nil
	}
	return &call{name: name, fn: f.fn, args: args}, nil
}

// template compiles a template string into a literal when it has no holes.
func (c *compiler) template(s string) (expr, error) {
	if !strings.ContainsAny(s, "{}") {
		return literal{s}, nil
	}
	var parts []expr
	var lit strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "{{"), strings.HasPrefix(s[i:], "}}"):
			lit.WriteByte(s[i])
			i++
		case s[i] == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("endpoint: unclosed { in template %q", s)
			}
			e, err := c.hole(s[i+1 : i+end])
			if err != nil {
				return nil, err
			}
			if lit.Len() > 0 {
				parts = append(parts, literal{lit.String()})
				lit.Reset()
			}
			parts = append(parts, e)
			i += end
		default:
			lit.WriteByte(s[i])
		}
	}
	if lit.Len() > 0 {
		parts = append(parts, literal{lit.String()})
	}
	if len(parts) == 1 {
		if l, ok := parts[0].(literal); ok {
			return l, nil
		}
	}
	return &template{parts: parts}, nil
}

// hole compiles a template's "name" or "name#path".
func (c *compiler) hole(h string) (expr, error) {
	name, path, hasPath := strings.Cut(h, "#")
	e, err := c.ref(name)
	if err != nil || !hasPath {
		return e, err
	}
	steps, err := parsePath(path)
	if err != nil {
		return nil, fmt.Errorf("endpoint: template: %w", err)
	}
	return &getAttr{target: e, path: steps}, nil
}

// value compiles an endpoint property value: objects and lists hold values,
// strings are templates, the rest are literals.
func (c *compiler) value(v any) (expr, error) {
	switch v := v.(type) {
	case string:
		return c.template(v)
	case map[string]any:
		o := &objectExpr{}
		for k := range v {
			o.keys = append(o.keys, k)
		}
		sort.Strings(o.keys)
		for _, k := range o.keys {
			e, err := c.value(v[k])
			if err != nil {
				return nil, err
			}
			o.vals = append(o.vals, e)
		}
		return o, nil
	case []any:
		l := &listExpr{items: make([]expr, len(v))}
		for i, item := range v {
			e, err := c.value(item)
			if err != nil {
				return nil, err
			}
			l.items[i] = e
		}
		return l, nil
	}
	return literal{v}, nil
}
