package repl

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/chzyer/readline"
	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/sdk"
)

// completer completes what stands before the cursor: a request member, an
// enum value or a resource name inside an operation's table argument; a
// session or client option; a service, paginator or waiter name; a field
// or method after . or :, of a value or of the response shape it has; or a
// global. Tab inserts what all the candidates share; when they share no
// more, it lists them with what each is. It runs while the REPL waits for
// a line, so it never uses the state at the same time as an evaluation.
type completer struct {
	L  *lua.LState
	rl *readline.Instance
	// pending holds the lines of the entry before the one being edited,
	// ended by a newline: completion on a continuation line sees them.
	pending string
	// names caches the resource names listed for completion, for the
	// session: one request per kind of name, sent when Tab is first
	// pressed where such a name goes.
	names map[string][]string
}

// listTimeout bounds the request that lists resource names.
const listTimeout = 5 * time.Second

// call is a call whose arguments are string literals, the only calls a
// path may hold: aws.client("s3"), resource:Bucket("b").
const call = `\(\s*(?:(?:"[^"]*"|'[^']*')(?:\s*,\s*(?:"[^"]*"|'[^']*'))*)?\s*\)`

var (
	fieldPath = regexp.MustCompile(`([A-Za-z_]\w*(?:\s*(?:[.:]\s*[A-Za-z_]\w*|\[\s*\d+\s*\]|\[\s*"[^"]*"\s*\]|` + call + `))*)\s*([.:])\s*(\w*)$`)
	pathPart  = regexp.MustCompile(`[.:]\s*([A-Za-z_]\w*)|\[\s*(\d+)\s*\]|\[\s*"([^"]*)"\s*\]|^([A-Za-z_]\w*)|(` + call + `)`)
	stringArg = regexp.MustCompile(`"([^"]*)"|'([^']*)'`)
	word      = regexp.MustCompile(`[A-Za-z_]\w*$`)
)

var keywords = []string{"and", "break", "do", "else", "elseif", "end", "false", "for", "function",
	"if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"}

// Do implements readline.AutoCompleter: it returns the endings of the
// candidates and the length of the word they complete.
func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	partial, all := c.candidates(c.pending + string(line[:pos]))
	var cands []bindings.Candidate
	seen := map[string]bool{}
	for _, cand := range all {
		if strings.HasPrefix(cand.Name, partial) && !seen[cand.Name] {
			seen[cand.Name] = true
			cands = append(cands, cand)
		}
	}
	switch len(cands) {
	case 0:
		return nil, 0
	case 1:
		return [][]rune{[]rune(cands[0].Name[len(partial):])}, len([]rune(partial))
	}
	common := cands[0].Name
	for _, cand := range cands[1:] {
		for !strings.HasPrefix(cand.Name, common) {
			common = common[:len(common)-1]
		}
	}
	if len(common) > len(partial) {
		return [][]rune{[]rune(common[len(partial):])}, len([]rune(partial))
	}
	if c.rl != nil {
		c.rl.Write([]byte(listing(cands, c.rl.Config.FuncGetWidth())))
	}
	return nil, 0
}

// listing lays candidates out in columns, each with its kind, in lines
// ended as a terminal in raw mode needs them.
func listing(cands []bindings.Candidate, width int) string {
	const most = 200
	more := 0
	if len(cands) > most {
		cands, more = cands[:most], len(cands)-most
	}
	cells := make([]string, len(cands))
	w := 0
	for i, c := range cands {
		cells[i] = strings.TrimSuffix(c.Name, " = ")
		if c.Kind != "" {
			cells[i] += "  (" + c.Kind + ")"
		}
		w = max(w, len([]rune(cells[i])))
	}
	w += 3
	per := max(1, (width-1)/w)
	var b strings.Builder
	for i, cell := range cells {
		b.WriteString(cell)
		if i%per == per-1 || i == len(cells)-1 {
			b.WriteString("\r\n")
		} else {
			b.WriteString(strings.Repeat(" ", w-len([]rune(cell))))
		}
	}
	if more > 0 {
		fmt.Fprintf(&b, "... and %d more\r\n", more)
	}
	return b.String()
}

func (c *completer) candidates(before string) (partial string, cands []bindings.Candidate) {
	ctx := c.scan(before)
	switch {
	case ctx.inComment:
		return "", nil
	case ctx.inString:
		return ctx.text, c.stringCandidates(ctx)
	}
	if f := ctx.top(); f != nil && f.open == '{' && f.key == "" && ctx.atKey {
		partial = word.FindString(before)
		switch {
		case f.options != nil:
			for _, o := range f.options {
				if !f.given[o] {
					cands = append(cands, bindings.Candidate{Name: o + " = ", Kind: "option"})
				}
			}
			return partial, cands
		case f.shape != nil:
			for _, m := range bindings.ShapeMembers(f.shape) {
				if !f.given[m.Name] {
					cands = append(cands, bindings.Candidate{Name: m.Name + " = ", Kind: m.Kind})
				}
			}
			return partial, cands
		}
	}
	if m := fieldPath.FindStringSubmatch(before); m != nil {
		v, shape := c.resolvePath(m[1])
		if m[2] == ":" {
			return m[3], methods(c.L, v, bindings.Fields(c.L, v))
		}
		if v != lua.LNil {
			cands = bindings.Fields(c.L, v)
		}
		if v == lua.LNil && shape != nil {
			cands = bindings.ShapeMembers(shape)
		}
		return m[3], cands
	}
	partial = word.FindString(before)
	if g, ok := c.L.Get(lua.GlobalsIndex).(*lua.LTable); ok {
		g.ForEach(func(k, v lua.LValue) {
			if s, ok := k.(lua.LString); ok {
				cands = append(cands, bindings.Candidate{Name: string(s), Kind: "global " + v.Type().String()})
			}
		})
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].Name < cands[j].Name })
	for _, k := range keywords {
		cands = append(cands, bindings.Candidate{Name: k, Kind: "keyword"})
	}
	return partial, cands
}

// stringCandidates are what may go in the string being typed: nothing but
// where the string is a member's value (an enum value or a resource name)
// or the first argument of a method that takes a name.
func (c *completer) stringCandidates(ctx *cursorContext) []bindings.Candidate {
	f := ctx.top()
	if f == nil {
		return nil
	}
	var out []bindings.Candidate
	switch {
	case f.open == '{' && f.key != "" && !ctx.atKey:
		member := f.shape.ValueShape(f.key)
		if member != nil && len(member.Enum()) > 0 {
			for _, e := range member.Enum() {
				out = append(out, bindings.Candidate{Name: e, Kind: "enum value"})
			}
			return out
		}
		if member != nil && member.Kind == sdk.KindString {
			return c.resourceNames(f.root, f.key)
		}
	case f.open == '(' && f.args == 0 && f.owner != "":
		obj, method := c.splitOwner(f.owner)
		if method == "" {
			if bindings.IsClientConstructor(c.L, c.resolve(f.owner)) {
				for _, s := range sdk.Services() {
					out = append(out, bindings.Candidate{Name: s, Kind: "service"})
				}
			}
			return out
		}
		if names, kind, ok := bindings.MethodArgNames(obj, method); ok {
			for _, n := range names {
				out = append(out, bindings.Candidate{Name: n, Kind: kind})
			}
			return out
		}
		if member, ok := subResourceMembers[method]; ok {
			return c.resourceNames(obj, member)
		}
	}
	return nil
}

// subResourceMembers are a service resource's constructors whose argument
// is a name an API lists, and the request member that takes such names.
var subResourceMembers = map[string]string{"Bucket": "Bucket", "Table": "TableName", "Queue": "QueueUrl"}

// resourceNames lists the values of a member (bucket names for Bucket),
// once per session for each service, region and endpoint.
func (c *completer) resourceNames(obj lua.LValue, member string) []bindings.Candidate {
	key, ok := bindings.ListableMember(obj, member)
	if !ok {
		return nil
	}
	names, cached := c.names[key]
	if !cached {
		ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
		names, _ = bindings.ListNames(ctx, obj, member)
		cancel()
		if c.names == nil {
			c.names = map[string][]string{}
		}
		c.names[key] = names // an error lists nothing, and is not retried
	}
	out := make([]bindings.Candidate, len(names))
	for i, n := range names {
		out[i] = bindings.Candidate{Name: n, Kind: member}
	}
	return out
}

// splitOwner splits "a.b:m" into the value of a.b and "m"; a path without
// a method has none.
func (c *completer) splitOwner(owner string) (lua.LValue, string) {
	i := strings.LastIndexAny(owner, ":")
	if i < 0 {
		return c.resolve(owner), ""
	}
	return c.resolve(owner[:i]), strings.TrimSpace(owner[i+1:])
}

// resolve looks a dotted path up without calling anything but the
// module's own __index, so that completing never sends a request.
func (c *completer) resolve(path string) lua.LValue {
	v, _ := c.resolvePath(path)
	return v
}

// resolvePath follows a path of names and indexes (r.Reservations[1].
// Instances) through values, and through the response shape of a result
// where the value is not there: it returns the value, or nil and the shape
// the value would have.
func (c *completer) resolvePath(path string) (lua.LValue, *sdk.Shape) {
	var v lua.LValue = c.L.Get(lua.GlobalsIndex)
	var shape *sdk.Shape
	// recv and method are the object and name of the last :method, for a
	// call that follows.
	var recv lua.LValue
	var method string
	for _, p := range pathPart.FindAllStringSubmatch(path, -1) {
		if p[5] != "" {
			v, shape, recv = c.call(v, recv, method, p[5]), nil, nil
			if v == lua.LNil {
				return lua.LNil, nil
			}
			continue
		}
		name := p[1] + p[3] + p[4]
		recv, method = nil, name
		if strings.HasPrefix(p[0], ":") {
			recv = v
		}
		if t, ok := v.(*lua.LTable); ok {
			if s := bindings.ResultShape(c.L, t); s != nil {
				shape = s
			}
		}
		if p[2] != "" { // an index
			var n int
			fmt.Sscan(p[2], &n)
			if t, ok := v.(*lua.LTable); ok {
				v = t.RawGetInt(n)
			} else {
				v = lua.LNil
			}
			if shape != nil && shape.Kind == sdk.KindList {
				shape = shape.Elem
			} else {
				shape = nil
			}
			continue
		}
		if v != lua.LNil {
			v = c.field(v, name)
		}
		shape = shape.ValueShape(name)
		if v == lua.LNil && shape == nil {
			return lua.LNil, nil
		}
	}
	return v, shape
}

// noRequestMethods make an object and send nothing.
var noRequestMethods = map[string]bool{"client": true, "resource": true, "get_paginator": true, "get_waiter": true}

// call returns what fn returns for the string arguments of args (the text
// of a call), with recv first when fn is its method, or nil. It calls only
// what makes an object without sending a request: aws.client and
// aws.resource, a session's client and resource, a client's get_paginator
// and get_waiter, a resource's sub-resources (Bucket("b")).
func (c *completer) call(fn, recv lua.LValue, method, args string) lua.LValue {
	f, ok := fn.(*lua.LFunction)
	if !ok {
		return lua.LNil
	}
	safe := recv == nil && bindings.IsClientConstructor(c.L, f)
	if recv != nil {
		for _, field := range bindings.Fields(c.L, recv) {
			if field.Name == method {
				safe = field.Kind == "sub-resource" || field.Kind == "method" && noRequestMethods[method]
			}
		}
	}
	if !safe {
		return lua.LNil
	}
	var in []lua.LValue
	if recv != nil {
		in = append(in, recv)
	}
	for _, a := range stringArg.FindAllStringSubmatch(args, -1) {
		in = append(in, lua.LString(a[1]+a[2]))
	}
	if err := c.L.CallByParam(lua.P{Fn: f, NRet: 1, Protect: true}, in...); err != nil {
		return lua.LNil
	}
	v := c.L.Get(-1)
	c.L.Pop(1)
	return v
}

func (c *completer) field(v lua.LValue, name string) lua.LValue {
	if t, ok := v.(*lua.LTable); ok {
		if f := t.RawGetString(name); f != lua.LNil {
			return f
		}
	}
	mt, ok := c.L.GetMetatable(v).(*lua.LTable)
	if !ok {
		return lua.LNil
	}
	switch idx := mt.RawGetString("__index").(type) {
	case *lua.LTable:
		return idx.RawGetString(name)
	case *lua.LFunction:
		if _, ok := v.(*lua.LUserData); !ok {
			return lua.LNil // a script's own __index may do anything
		}
		if !isPlainName(v, name, c.L) {
			return lua.LNil // attributes that load send requests
		}
		if err := c.L.CallByParam(lua.P{Fn: idx, NRet: 1, Protect: true}, v, lua.LString(name)); err != nil {
			return lua.LNil
		}
		r := c.L.Get(-1)
		c.L.Pop(1)
		return r
	}
	return lua.LNil
}

// isPlainName reports whether reading name from a userdata sends nothing:
// every field but a resource's attributes and references, which load it.
func isPlainName(v lua.LValue, name string, L *lua.LState) bool {
	for _, f := range bindings.Fields(L, v) {
		if f.Name == name {
			return f.Kind != "attribute" && f.Kind != "reference" && f.Kind != "identifier" || !isResource(L, v)
		}
	}
	return true
}

func isResource(L *lua.LState, v lua.LValue) bool {
	return L.GetMetatable(v) == L.GetTypeMetatable("aws.Resource")
}

// methods keeps the candidates whose values are functions, as what follows
// a colon must be.
func methods(L *lua.LState, obj lua.LValue, cands []bindings.Candidate) []bindings.Candidate {
	if _, isUD := obj.(*lua.LUserData); isUD {
		out := cands[:0]
		for _, c := range cands {
			switch c.Kind {
			case "attribute", "identifier", "reference", "collection":
			default:
				out = append(out, c)
			}
		}
		return out
	}
	out := cands[:0]
	for _, c := range cands {
		if c.Kind == "a function" {
			out = append(out, c)
		}
	}
	return out
}
