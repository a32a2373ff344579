package repl

import (
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/sdk"
)

// cursorContext is what the text before the cursor is in: a string or comment
// left open, and the brackets left open, innermost last.
type cursorContext struct {
	frames    []*frame
	inString  bool
	text      string // the open string's text so far
	inComment bool
	// atKey is true where a table constructor's next key goes: right
	// after its {, a comma or a semicolon, or in a name typed there.
	atKey bool
}

// A frame is a bracket left open.
type frame struct {
	open byte
	// owner is the call a ( or { argument list belongs to ("ddb:query",
	// "aws.Session"), "" for others.
	owner string
	// key is the member whose value is being typed in a { frame; "" at
	// a key, or for a list element.
	key  string
	args int // commas so far, in a ( frame
	// shape is the request shape of a { frame's table, when known; root
	// the client or resource that makes the request.
	shape *sdk.Shape
	root  lua.LValue
	// options are the option names a { takes instead (aws.Session{).
	options []string
	// given are the keys the table already has.
	given map[string]bool
}

func (c *cursorContext) top() *frame {
	if len(c.frames) == 0 {
		return nil
	}
	return c.frames[len(c.frames)-1]
}

type lexeme struct {
	kind byte // 'n' a name, 's' a string, '0' a number, or the punctuation itself
	text string
}

// scan reads Lua text up to the cursor, as far as completion needs it.
func (c *completer) scan(src string) *cursorContext {
	ctx := &cursorContext{}
	var toks []lexeme
	// owner returns the call before a bracket: names joined by . and :.
	owner := func() string {
		i, wantName := len(toks), true
		for i > 0 {
			t := toks[i-1]
			if wantName && (t.kind != 'n' || isKeyword(t.text)) || !wantName && t.kind != '.' && t.kind != ':' {
				break
			}
			i, wantName = i-1, !wantName
		}
		if wantName && i < len(toks) {
			return "" // a method of what a call returns: unknown here
		}
		var b strings.Builder
		for _, t := range toks[i:] {
			b.WriteString(t.text)
		}
		return b.String()
	}
	push := func(open byte) {
		f := &frame{open: open, owner: owner()}
		if parent := ctx.top(); parent != nil && parent.open == '{' {
			f.shape = step(parent.shape, parent.key)
			f.root = parent.root
		}
		if open == '{' {
			c.ownerShape(ctx, f)
		}
		ctx.frames = append(ctx.frames, f)
		ctx.atKey = open == '{'
	}
	i := 0
	for i < len(src) {
		ch := src[i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r':
			i++
		case ch == '-' && strings.HasPrefix(src[i:], "--"):
			if level, ok := longBracket(src[i+2:]); ok {
				end := strings.Index(src[i+2:], "]"+strings.Repeat("=", level)+"]")
				if end < 0 {
					ctx.inComment = true
					return ctx
				}
				i += 2 + end + level + 2
				continue
			}
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				ctx.inComment = true
				return ctx
			}
			i += end
		case ch == '"' || ch == '\'':
			j := i + 1
			for j < len(src) && src[j] != ch && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				ctx.inString, ctx.text = true, src[i+1:]
				return ctx
			}
			toks = append(toks, lexeme{'s', src[i : j+1]})
			ctx.atKey = false
			i = j + 1
		case ch == '[' && isLongString(src[i:]):
			level, _ := longBracket(src[i:])
			end := strings.Index(src[i:], "]"+strings.Repeat("=", level)+"]")
			if end < 0 {
				ctx.inString, ctx.text = true, src[i+level+2:]
				return ctx
			}
			toks = append(toks, lexeme{'s', src[i : i+end+level+2]})
			i += end + level + 2
		case isNameStart(ch):
			j := i
			for j < len(src) && (isNameStart(src[j]) || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			toks = append(toks, lexeme{'n', src[i:j]})
			i = j
		case ch >= '0' && ch <= '9':
			j := i
			for j < len(src) && (isNameStart(src[j]) || src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			toks = append(toks, lexeme{'0', src[i:j]})
			ctx.atKey = false
			i = j
		default:
			switch ch {
			case '{', '(', '[':
				push(ch)
			case '}', ')', ']':
				if len(ctx.frames) > 0 {
					ctx.frames = ctx.frames[:len(ctx.frames)-1]
				}
				ctx.atKey = false
			case ',', ';':
				if f := ctx.top(); f != nil {
					f.args++
					f.key = ""
					ctx.atKey = f.open == '{'
				}
			case '=':
				if i+1 < len(src) && src[i+1] == '=' {
					i++
					break
				}
				if f := ctx.top(); f != nil && f.open == '{' && len(toks) > 0 && toks[len(toks)-1].kind == 'n' {
					f.key = toks[len(toks)-1].text
					if f.given == nil {
						f.given = map[string]bool{}
					}
					f.given[f.key] = true
				}
				ctx.atKey = false
			default:
				ctx.atKey = false
			}
			toks = append(toks, lexeme{ch, string(ch)})
			i++
		}
	}
	return ctx
}

// ownerShape finds what a { takes: an operation's request, when it is the
// argument of client:operation{ or of client:operation({; a session's or
// client's options.
func (c *completer) ownerShape(ctx *cursorContext, f *frame) {
	call, args := f.owner, 0
	if call == "" {
		if p := ctx.top(); p != nil && p.open == '(' {
			call, args = p.owner, p.args
		}
	}
	if call == "" {
		return
	}
	obj, method := c.splitOwner(call)
	switch {
	case method == "" && args == 0 && bindings.IsSessionConstructor(c.L, obj):
		f.options = bindings.OptionNames("Session")
	case method == "" && args == 1 && bindings.IsClientConstructor(c.L, obj),
		(method == "client" || method == "resource") && args == 1 && isSession(c.L, obj):
		f.options = bindings.OptionNames("client")
	case method != "" && args == 0:
		if s := bindings.InputShape(obj, method); s != nil {
			f.shape, f.root = s, obj
		}
	}
}

func isSession(L *lua.LState, v lua.LValue) bool {
	return L.GetMetatable(v) == L.GetTypeMetatable("aws.Session")
}

// step is the shape of a table nested in one of shape s: a member's when
// the table is a member's value, the element's when it is a list's
// element or a map's value.
func step(s *sdk.Shape, key string) *sdk.Shape {
	if s == nil {
		return nil
	}
	if key != "" {
		return s.ValueShape(key)
	}
	if s.Kind == sdk.KindList {
		return s.Elem
	}
	return nil
}

func isKeyword(s string) bool {
	for _, k := range keywords {
		if k == s {
			return true
		}
	}
	return false
}

func isNameStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// longBracket reports whether s starts a long bracket [[ or [==[, and its
// level.
func longBracket(s string) (int, bool) {
	if !strings.HasPrefix(s, "[") {
		return 0, false
	}
	n := 1
	for n < len(s) && s[n] == '=' {
		n++
	}
	if n < len(s) && s[n] == '[' {
		return n - 1, true
	}
	return 0, false
}

func isLongString(s string) bool {
	_, ok := longBracket(s)
	return ok
}
