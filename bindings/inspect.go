package bindings

import (
	"regexp"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// InspectOptions control the pretty printer.
type InspectOptions struct {
	// MaxItems cuts lists and tables longer than this, saying how many
	// were left out (default 50).
	MaxItems int
	// MaxString cuts strings longer than this (default 200).
	MaxString int
	// Color uses ANSI colours, for terminals.
	Color bool
}

// Inspect renders a Lua value readably: sorted keys, nesting, long lists
// and strings cut with a count of what was left out. It backs aws.inspect
// and the REPL's printing.
func Inspect(L *lua.LState, v lua.LValue, opts InspectOptions) string {
	if opts.MaxItems <= 0 {
		opts.MaxItems = 50
	}
	if opts.MaxString <= 0 {
		opts.MaxString = 200
	}
	p := &printer{L: L, opts: opts, seen: map[*lua.LTable]bool{}}
	p.value(v, 0)
	return p.b.String()
}

type printer struct {
	L    *lua.LState
	opts InspectOptions
	b    strings.Builder
	seen map[*lua.LTable]bool
}

const (
	colorString = "\x1b[32m"
	colorNumber = "\x1b[36m"
	colorOther  = "\x1b[35m"
	colorReset  = "\x1b[0m"
)

func (p *printer) colored(color, s string) {
	if p.opts.Color {
		p.b.WriteString(color + s + colorReset)
		return
	}
	p.b.WriteString(s)
}

func (p *printer) value(v lua.LValue, depth int) {
	switch v := v.(type) {
	case lua.LString:
		s := string(v)
		cut := ""
		if len(s) > p.opts.MaxString {
			cut = " ... (" + strconv.Itoa(len(s)-p.opts.MaxString) + " more bytes)"
			s = s[:p.opts.MaxString]
		}
		p.colored(colorString, strconv.Quote(s))
		p.b.WriteString(cut)
	case lua.LNumber:
		p.colored(colorNumber, v.String())
	case *lua.LTable:
		p.table(v, depth)
	case *lua.LNilType, lua.LBool:
		p.colored(colorOther, v.String())
	default:
		p.colored(colorOther, tostring(p.L, v))
	}
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// maxInspectDepth is the nesting beyond which tables print as {...}: a
// table nested a million deep printed a million levels of indentation, a
// terabyte that neither --timeout nor Ctrl-C could stop, the printer being
// Go.
const maxInspectDepth = 100

func (p *printer) table(t *lua.LTable, depth int) {
	if p.seen[t] {
		p.b.WriteString("<cycle>")
		return
	}
	if depth >= maxInspectDepth {
		p.b.WriteString("{...}")
		return
	}
	if mt, ok := p.L.GetMetatable(t).(*lua.LTable); ok && mt.RawGetString("__tostring") != lua.LNil {
		p.colored(colorOther, tostring(p.L, t))
		return
	}
	keys := sortedKeys(t)
	if len(keys) == 0 {
		p.b.WriteString("{}")
		return
	}
	if line, ok := p.inline(t, keys); ok {
		p.b.WriteString(line)
		return
	}
	p.seen[t] = true
	defer delete(p.seen, t)
	n := t.Len()
	indent := strings.Repeat("  ", depth+1)
	p.b.WriteString("{\n")
	for i, k := range keys {
		if i == p.opts.MaxItems {
			p.b.WriteString(indent + "... " + strconv.Itoa(len(keys)-i) + " more\n")
			break
		}
		p.b.WriteString(indent)
		if num, isNum := k.(lua.LNumber); !isNum || int(num) < 1 || int(num) > n || float64(num) != float64(int(num)) {
			p.key(k)
			p.b.WriteString(" = ")
		}
		p.value(t.RawGet(k), depth+1)
		p.b.WriteString(",\n")
	}
	p.b.WriteString(strings.Repeat("  ", depth) + "}")
}

func (p *printer) key(k lua.LValue) {
	if s, ok := k.(lua.LString); ok && identifier.MatchString(string(s)) {
		p.b.WriteString(string(s))
		return
	}
	p.b.WriteString("[")
	p.value(k, 0)
	p.b.WriteString("]")
}

// inline renders a small table of scalars on one line.
func (p *printer) inline(t *lua.LTable, keys []lua.LValue) (string, bool) {
	if len(keys) > 8 || len(keys) > p.opts.MaxItems {
		// Too long for one line, or to be shown whole (max_items).
		return "", false
	}
	sub := &printer{L: p.L, opts: p.opts, seen: p.seen}
	n := t.Len()
	sub.b.WriteString("{ ")
	for i, k := range keys {
		v := t.RawGet(k)
		if _, nested := v.(*lua.LTable); nested {
			return "", false
		}
		if i > 0 {
			sub.b.WriteString(", ")
		}
		if num, isNum := k.(lua.LNumber); !isNum || int(num) < 1 || int(num) > n {
			sub.key(k)
			sub.b.WriteString(" = ")
		}
		sub.value(v, 0)
	}
	sub.b.WriteString(" }")
	s := sub.b.String()
	return s, len(s) <= 72 || p.opts.Color && len(s) <= 72+len(keys)*len(colorString+colorReset)
}

func luaInspect(L *lua.LState) int {
	opts := InspectOptions{}
	if t := L.OptTable(2, nil); t != nil {
		f := fields(L, t, "aws.inspect", "max_items", "max_string", "color")
		opts.MaxItems = int(lua.LVAsNumber(f["max_items"]))
		opts.MaxString = int(lua.LVAsNumber(f["max_string"]))
		opts.Color = lua.LVAsBool(f["color"])
	}
	L.Push(lua.LString(Inspect(L, L.Get(1), opts)))
	return 1
}
