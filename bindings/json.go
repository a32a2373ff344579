package bindings

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
)

// jsonModule is aws.json: encode(v), decode(s) and null. Objects are
// written with sorted keys; a table with only the keys 1..n is an array, an
// empty table is {} unless it carries the list mark; timestamps become
// RFC 3339 strings. decode round-trips through encode: arrays carry the
// list mark of aws.dynamodb.list (an empty one stays []), null is
// aws.json.null, and an integer a Lua number cannot hold exactly keeps
// every digit, as the big integer (aws.int64) or, beyond 64 bits, the
// decimal (aws.dynamodb.decimal) that responses use.
func jsonModule(L *lua.LState) *lua.LTable {
	null := L.NewTypeMetatable(jsonNullType)
	L.SetField(null, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(jsonNullType))
		return 1
	}))
	nullValue := object(L, jsonNull{}, jsonNullType)
	mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"encode": func(L *lua.LState) int {
			var b bytes.Buffer
			if err := encodeJSON(L, &b, L.CheckAny(1), map[*lua.LTable]bool{}); err != "" {
				L.ArgError(1, err)
			}
			L.Push(lua.LString(b.String()))
			return 1
		},
		"decode": func(L *lua.LState) int {
			d := json.NewDecoder(bytes.NewReader([]byte(L.CheckString(1))))
			d.UseNumber()
			var v any
			if err := d.Decode(&v); err != nil {
				L.RaiseError("aws.json.decode: %v", err)
			}
			if d.More() {
				L.RaiseError("aws.json.decode: text after the JSON value")
			}
			L.Push(jsonToLua(L, v, nullValue))
			return 1
		},
	})
	mod.RawSetString("null", nullValue)
	return mod
}

// jsonNull is JSON's null; aws.json.null is its one value, since nil in a
// table is no value at all.
type jsonNull struct{}

const jsonNullType = "aws.json.null"

func jsonToLua(L *lua.LState, v any, null lua.LValue) lua.LValue {
	switch v := v.(type) {
	case nil:
		return null
	case json.Number:
		return jsonNumber(L, v)
	case []any:
		t := L.CreateTable(len(v), 0)
		for _, e := range v {
			t.Append(jsonToLua(L, e, null))
		}
		L.SetMetatable(t, L.GetTypeMetatable(ddbListType))
		return t
	case map[string]any:
		t := L.CreateTable(0, len(v))
		for k, e := range v {
			t.RawSetString(k, jsonToLua(L, e, null))
		}
		return t
	}
	return toLua(L, v)
}

// jsonNumber is a Lua number when one holds n exactly, a big integer when
// int64 does, and a decimal with every digit of an integer beyond that.
// Fractions and exponents read as Lua numbers do, rounded (a decimal only
// when a float64 overflows); reading them exactly would make an exponent
// of a billion a billion digits long.
func jsonNumber(L *lua.LState, n json.Number) lua.LValue {
	if i, err := n.Int64(); err == nil {
		return toLua(L, i) // a big integer beyond 2^53
	}
	if !strings.ContainsAny(string(n), ".eE") {
		return object(L, sdk.Decimal(n), ddbDecimalType)
	}
	if f, err := strconv.ParseFloat(string(n), 64); err == nil {
		return lua.LNumber(f)
	}
	return object(L, sdk.Decimal(n), ddbDecimalType)
}

func encodeJSON(L *lua.LState, b *bytes.Buffer, v lua.LValue, seen map[*lua.LTable]bool) string {
	switch v := v.(type) {
	case *lua.LNilType:
		b.WriteString("null")
	case lua.LBool:
		b.WriteString(strconv.FormatBool(bool(v)))
	case lua.LNumber:
		f := float64(v)
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return "cannot encode " + v.String() + " as JSON"
		}
		b.WriteString(v.String())
	case lua.LString:
		s, _ := json.Marshal(string(v))
		b.Write(s)
	case *lua.LUserData:
		switch x := v.Value.(type) {
		case time.Time:
			s, _ := json.Marshal(x.UTC().Format(time.RFC3339Nano))
			b.Write(s)
		case int64:
			b.WriteString(strconv.FormatInt(x, 10))
		case sdk.Decimal:
			b.WriteString(string(x))
		case jsonNull, ddbNull:
			b.WriteString("null")
		default:
			s, _ := json.Marshal(tostring(L, v))
			b.Write(s)
		}
	case *lua.LTable:
		if seen[v] {
			return "cannot encode a table that contains itself"
		}
		seen[v] = true
		defer delete(seen, v)
		keys := sortedKeys(v)
		if n := v.Len(); n > 0 && n == len(keys) || isListMarked(v) {
			b.WriteByte('[')
			for i := 1; i <= n; i++ {
				if i > 1 {
					b.WriteByte(',')
				}
				if err := encodeJSON(L, b, v.RawGetInt(i), seen); err != "" {
					return err
				}
			}
			b.WriteByte(']')
			return ""
		}
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			s, _ := json.Marshal(lua.LVAsString(k))
			b.Write(s)
			b.WriteByte(':')
			if err := encodeJSON(L, b, v.RawGet(k), seen); err != "" {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return "cannot encode a " + v.Type().String() + " as JSON"
	}
	return ""
}

// base64Module is aws.base64: encode(s) and decode(s), standard alphabet
// with padding, for binary values in JSON.
func base64Module(L *lua.LState) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"encode": func(L *lua.LState) int {
			L.Push(lua.LString(base64.StdEncoding.EncodeToString([]byte(L.CheckString(1)))))
			return 1
		},
		"decode": func(L *lua.LState) int {
			b, err := base64.StdEncoding.DecodeString(L.CheckString(1))
			if err != nil {
				L.RaiseError("aws.base64.decode: %v", err)
			}
			L.Push(lua.LString(b))
			return 1
		},
	})
}
