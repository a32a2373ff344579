package bindings

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"time"
	"unicode"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
	luar "layeh.com/gopher-luar"

	"github.com/awslua/awslua/sdk"
)

// What a runtime does for the program that embeds it: Go values handed to
// scripts, their output, os.exit, and the values scripts return.

// ExitError is how a script that called os.exit ends in an embedded
// runtime: the script stops, and the program goes on. The awslua command
// exits with Code.
type ExitError struct {
	Code int
}

func (e *ExitError) Error() string { return fmt.Sprintf("the script exited with status %d", e.Code) }

var errorInterface = reflect.TypeFor[error]()

// goBridge hands Go values to scripts through gopher-luar, so that a Go
// function or method whose last result is an error returns the results
// before it, and raises it in Lua when it is not nil, as an error value that pcall catches and whose message is the
// error's, instead of handing the script the error as one more result that
// it would have to know to look at. gopher-luar builds the methods of a
// type once, in a "methods" table of the type's metatable, and looks them
// up there through the value's own metatable: a value handed to a script
// gets a copy of that metatable whose methods check for errors.
type goBridge struct {
	// metatables are the copies, by gopher-luar's metatable; copies are
	// the copies themselves.
	metatables map[*lua.LTable]*lua.LTable
	copies     map[*lua.LTable]bool
}

func newGoBridge() *goBridge {
	return &goBridge{metatables: map[*lua.LTable]*lua.LTable{}, copies: map[*lua.LTable]bool{}}
}

// value converts v for a script.
func (b *goBridge) value(L *lua.LState, v any) lua.LValue {
	if v == nil {
		return lua.LNil
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Func && !rv.IsNil() {
		if fn, ok := luar.New(L, v).(*lua.LFunction); ok {
			return b.checked(L, fn, rv.Type())
		}
	}
	return b.adopt(L, luar.New(L, v))
}

// adopt gives a value of gopher-luar's the metatable whose methods raise
// their errors; other values stay as they are.
func (b *goBridge) adopt(L *lua.LState, v lua.LValue) lua.LValue {
	ud, ok := v.(*lua.LUserData)
	if !ok || ud.Value == nil {
		return v
	}
	mt, ok := ud.Metatable.(*lua.LTable)
	if !ok || mt.RawGetString("__metatable") != lua.LString("gopher-luar") {
		return v
	}
	if b.copies[mt] {
		return v
	}
	ud.Metatable = b.metatable(L, mt, reflect.TypeOf(ud.Value))
	return v
}

func (b *goBridge) metatable(L *lua.LState, mt *lua.LTable, typ reflect.Type) *lua.LTable {
	if c, ok := b.metatables[mt]; ok {
		return c
	}
	c := L.NewTable()
	mt.ForEach(func(k, v lua.LValue) { c.RawSet(k, v) })
	b.metatables[mt] = c
	b.copies[c] = true
	if methods, ok := mt.RawGetString("methods").(*lua.LTable); ok {
		checked := L.NewTable()
		methods.ForEach(func(k, v lua.LValue) {
			fn, isFn := v.(*lua.LFunction)
			m, found := methodOf(typ, lua.LVAsString(k))
			if isFn && found {
				checked.RawSet(k, b.checked(L, fn, m.Type))
			} else {
				checked.RawSet(k, v)
			}
		})
		c.RawSetString("methods", checked)
	}
	// Fields and elements that hold Go values with methods get the same
	// treatment when the script reads them.
	if index, ok := mt.RawGetString("__index").(*lua.LFunction); ok {
		c.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
			L.Push(index)
			L.Push(L.Get(1))
			L.Push(L.Get(2))
			L.Call(2, 1)
			L.Push(b.adopt(L, L.Get(-1)))
			return 1
		}))
	}
	return c
}

// methodOf finds the method gopher-luar names name: the method's own name
// or the name with a lower-case first letter.
func methodOf(typ reflect.Type, name string) (reflect.Method, bool) {
	if m, ok := typ.MethodByName(name); ok {
		return m, true
	}
	first, n := utf8.DecodeRuneInString(name)
	if n == 0 {
		return reflect.Method{}, false
	}
	return typ.MethodByName(string(unicode.ToUpper(first)) + name[n:])
}

// checked wraps a function that gopher-luar made for a Go function of type
// typ (a method's, with its receiver): when typ's last result is an error
// and the call returns one, it is raised; the other results are adopted.
func (b *goBridge) checked(L *lua.LState, fn *lua.LFunction, typ reflect.Type) *lua.LFunction {
	out := typ.NumOut()
	returnsError := out > 0 && typ.Out(out-1) == errorInterface
	return L.NewFunction(func(L *lua.LState) int {
		n := L.GetTop()
		base := n
		L.Push(fn)
		for i := 1; i <= n; i++ {
			L.Push(L.Get(i))
		}
		L.Call(n, lua.MultRet)
		got := L.GetTop() - base
		if returnsError && got > 0 {
			if last := L.Get(-1); last != lua.LNil {
				raise(L, goErrorResult(L, last))
			}
			// A nil error says nothing a script needs: v, not v, nil.
			L.Pop(1)
			got--
		}
		for i := base + 1; i <= L.GetTop(); i++ {
			L.Replace(i, b.adopt(L, L.Get(i)))
		}
		return got
	})
}

// goErrorResult is the Go error gopher-luar converted to v: the error
// itself for most types, or its text when the error's type is a string or
// a number.
func goErrorResult(L *lua.LState, v lua.LValue) error {
	if ud, ok := v.(*lua.LUserData); ok {
		if err, ok := ud.Value.(error); ok {
			return err
		}
	}
	return errors.New(tostring(L, v))
}

// redirectOutput makes io.write, io.stdout and io.output() write to out,
// the runtime's Stdout, as print does; gopher-lua's io library writes to
// the process's standard output, which is not the embedding program's to
// give away. io.output(file) still sends io.write to that file.
func redirectOutput(L *lua.LState, out io.Writer) {
	iomod, ok := L.GetGlobal("io").(*lua.LTable)
	if !ok {
		return
	}
	origWrite := L.GetField(iomod, "write")
	origOutput := L.GetField(iomod, "output")
	redirected := false

	stdout := L.NewUserData()
	stdout.Value = out
	mt := L.NewTable()
	write := func(L *lua.LState, first int) {
		for i := first; i <= L.GetTop(); i++ {
			switch v := L.Get(i).(type) {
			case lua.LString:
				io.WriteString(out, string(v))
			case lua.LNumber:
				io.WriteString(out, v.String())
			default:
				L.ArgError(i-first+1, "string expected, got "+v.Type().String())
			}
		}
	}
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"write": func(L *lua.LState) int {
			write(L, 2)
			L.Push(L.Get(1))
			return 1
		},
		"flush":   func(L *lua.LState) int { L.Push(lua.LTrue); return 1 },
		"setvbuf": func(L *lua.LState) int { L.Push(lua.LTrue); return 1 },
		"close": func(L *lua.LState) int {
			L.Push(lua.LNil)
			L.Push(lua.LString("cannot close standard file"))
			return 2
		},
	})
	mt.RawSetString("__index", methods)
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("file (stdout)"))
		return 1
	}))
	stdout.Metatable = mt

	iomod.RawSetString("stdout", stdout)
	iomod.RawSetString("write", L.NewFunction(func(L *lua.LState) int {
		if redirected {
			L.Push(origWrite)
			L.Insert(origWrite, 1)
			L.Call(L.GetTop()-1, lua.MultRet)
			return L.GetTop()
		}
		write(L, 1)
		L.Push(lua.LTrue)
		return 1
	}))
	iomod.RawSetString("output", L.NewFunction(func(L *lua.LState) int {
		if L.GetTop() == 0 || L.Get(1) == lua.LNil {
			if redirected {
				L.Push(origOutput)
				L.Call(0, 1)
				return 1
			}
			L.Push(stdout)
			return 1
		}
		if L.Get(1) == stdout {
			redirected = false
			L.Push(stdout)
			return 1
		}
		top := L.GetTop()
		L.Push(origOutput)
		L.Insert(origOutput, 1)
		L.Call(top, 1)
		redirected = true
		return 1
	}))
}

// GoValue converts a value a script returned (Runtime.Eval's values, or
// what a Lua function called from Go left on the stack) into a plain Go
// value: nil, bool, string, int64 for a whole number whose magnitude is
// below 2^53 and float64 for any other number, []any for a table with the
// keys 1..n (or one marked as a list, as aws.dynamodb.list and
// aws.json.decode mark them), map[string]any for any other table (keys
// as tostring writes them; {} is an empty map), time.Time for a
// timestamp, int64 or sdk.Decimal for a big integer or a decimal, []byte
// for aws.dynamodb.binary, nil for aws.json.null and aws.dynamodb.null,
// and a userdata's Go value for other userdata. A table met again inside
// itself becomes nil; functions and coroutines stay as they are.
func GoValue(v lua.LValue) any {
	return goValue(v, map[*lua.LTable]bool{})
}

func goValue(v lua.LValue, path map[*lua.LTable]bool) any {
	switch v := v.(type) {
	case nil, *lua.LNilType:
		return nil
	case lua.LBool:
		return bool(v)
	case lua.LString:
		return string(v)
	case lua.LNumber:
		return numberToGo(v)
	case *lua.LUserData:
		switch x := v.Value.(type) {
		case time.Time, int64, sdk.Decimal, *sdk.Set:
			return x
		case ddbBinary:
			return []byte(x)
		case ddbNull, jsonNull:
			return nil
		}
		return v.Value
	case *lua.LTable:
		if path[v] {
			return nil
		}
		path[v] = true
		defer delete(path, v)
		n := v.Len()
		if isListMarked(v) || n > 0 && countKeys(v) == n {
			list := make([]any, n)
			for i := range n {
				list[i] = goValue(v.RawGetInt(i+1), path)
			}
			return list
		}
		m := map[string]any{}
		v.ForEach(func(k, e lua.LValue) {
			key := lua.LVAsString(k)
			if key == "" && k.Type() != lua.LTString {
				key = k.String()
			}
			m[key] = goValue(e, path)
		})
		return m
	}
	return v
}

// isListMarked reports whether t carries the list mark of
// aws.dynamodb.list, which aws.json.decode puts on arrays too.
func isListMarked(t *lua.LTable) bool {
	mt, ok := t.Metatable.(*lua.LTable)
	return ok && mt.RawGetString("__name") == lua.LString(ddbListType)
}
