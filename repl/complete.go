package repl

import (
	"regexp"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/sdk"
)

// completer completes what stands before the cursor: a service name inside
// aws.client(", a request member inside an operation's table argument, a
// field or method after . or :, or a global. It runs while the REPL waits
// for a line, so it never uses the state at the same time as an evaluation.
type completer struct {
	L *lua.LState
}

var (
	serviceArg = regexp.MustCompile(`(?:\bclient|\bresource)\(\s*["']([\w-]*)$`)
	tableArg   = regexp.MustCompile(`([A-Za-z_][\w.]*)\s*:\s*([A-Za-z_]\w*)\s*[{(]\s*\{?([^{}()]*)$`)
	memberKey  = regexp.MustCompile(`(?:^|,)\s*([A-Za-z_]\w*)?$`)
	fieldPath  = regexp.MustCompile(`([A-Za-z_]\w*(?:[.:][A-Za-z_]\w*)*)([.:])(\w*)$`)
	word       = regexp.MustCompile(`[A-Za-z_]\w*$`)
)

var keywords = []string{"and", "break", "do", "else", "elseif", "end", "false", "for", "function",
	"if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"}

// Do implements readline.AutoCompleter: it returns the endings of the
// candidates and the length of the word they complete.
func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	before := string(line[:pos])
	partial, candidates := c.candidates(before)
	var out [][]rune
	for _, cand := range candidates {
		if strings.HasPrefix(cand, partial) {
			out = append(out, []rune(cand[len(partial):]))
		}
	}
	return out, len([]rune(partial))
}

func (c *completer) candidates(before string) (partial string, names []string) {
	if m := serviceArg.FindStringSubmatch(before); m != nil {
		return m[1], sdk.Services()
	}
	if m := tableArg.FindStringSubmatch(before); m != nil {
		if k := memberKey.FindStringSubmatch(m[3]); k != nil {
			obj := c.resolve(m[1])
			var members []string
			for _, name := range bindings.InputMembers(obj, m[2]) {
				members = append(members, name+" = ")
			}
			return k[1], members
		}
	}
	if m := fieldPath.FindStringSubmatch(before); m != nil {
		obj := c.resolve(m[1])
		if obj == lua.LNil {
			return m[3], nil
		}
		names := bindings.Fields(c.L, obj)
		if m[2] == ":" {
			names = c.methods(obj, names)
		}
		return m[3], names
	}
	partial = word.FindString(before)
	var globals []string
	if g, ok := c.L.Get(lua.GlobalsIndex).(*lua.LTable); ok {
		g.ForEach(func(k, _ lua.LValue) {
			if s, ok := k.(lua.LString); ok {
				globals = append(globals, string(s))
			}
		})
	}
	sort.Strings(globals)
	return partial, append(globals, keywords...)
}

// resolve looks a dotted path up without calling anything but the
// module's own __index, so that completing never sends a request.
func (c *completer) resolve(path string) lua.LValue {
	parts := strings.FieldsFunc(path, func(r rune) bool { return r == '.' || r == ':' })
	var v lua.LValue = c.L.Get(lua.GlobalsIndex)
	for _, p := range parts {
		v = c.field(v, p)
		if v == lua.LNil {
			return lua.LNil
		}
	}
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
		if err := c.L.CallByParam(lua.P{Fn: idx, NRet: 1, Protect: true}, v, lua.LString(name)); err != nil {
			return lua.LNil
		}
		r := c.L.Get(-1)
		c.L.Pop(1)
		return r
	}
	return lua.LNil
}

// methods keeps the names whose values are functions.
func (c *completer) methods(obj lua.LValue, names []string) []string {
	out := names[:0]
	for _, n := range names {
		if _, ok := c.field(obj, n).(*lua.LFunction); ok {
			out = append(out, n)
		}
	}
	return out
}
