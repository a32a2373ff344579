package bindings

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
)

// maxExact is the largest integer a Lua number (a float64) holds exactly.
const maxExact = 1 << 53

// toGo converts a Lua value into a dynamic value for the sdk, guided by the
// shape of the member it is for, so that a table becomes a list or a map
// because of what the API expects, not because of what the table holds.
// A nil shape (an unknown member) makes the best guess; the sdk then names
// the member in its validation error.
func toGo(L *lua.LState, v lua.LValue, s *sdk.Shape) any {
	switch v := v.(type) {
	case lua.LString:
		if s != nil && s.Kind == sdk.KindInteger {
			// Integers beyond 2^53 can be written as strings of digits.
			if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
				return n
			}
		}
		return string(v)
	case lua.LNumber:
		return numberToGo(v)
	case lua.LBool:
		return bool(v)
	case *lua.LUserData:
		return userDataToGo(v)
	case *lua.LTable:
		return tableToGo(L, v, s)
	case *lua.LNilType:
		return nil
	}
	return v // functions and threads: the sdk reports the type
}

// numberToGo makes a whole Lua number an int64 where it is exact, so that
// integer members and Go callers see integers.
func numberToGo(v lua.LNumber) any {
	f := float64(v)
	if f == math.Trunc(f) && math.Abs(f) < maxExact {
		return int64(f)
	}
	return f
}

func userDataToGo(ud *lua.LUserData) any {
	switch x := ud.Value.(type) {
	case time.Time, int64:
		return x
	case *stream:
		return x.br // a body read elsewhere can be sent on, e.g. to put_object
	case jsonNull:
		return nil // what aws.json.decode read as null is no value, as nil is
	}
	if f := luaFile(ud); f != nil {
		return f
	}
	return ud.Value
}

// luaFile returns the *os.File behind a file handle of gopher-lua's io
// library, which keeps it in an unexported field. Reading it lets io.open
// handles stream as request bodies instead of being read into memory.
func luaFile(ud *lua.LUserData) *os.File {
	v := reflect.ValueOf(ud.Value)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("fp")
	if !f.IsValid() || f.Type() != reflect.TypeFor[*os.File]() {
		return nil
	}
	return *(**os.File)(unsafe.Pointer(f.UnsafeAddr()))
}

func tableToGo(L *lua.LState, t *lua.LTable, s *sdk.Shape) any {
	defer nest(L)()
	kind := sdk.Kind(0)
	if s != nil {
		kind = s.Kind
	}
	switch kind {
	case sdk.KindList:
		n := t.Len()
		list := make([]any, n)
		for i := range n {
			list[i] = toGo(L, t.RawGetInt(i+1), s.Elem)
		}
		return list
	case sdk.KindStructure, sdk.KindMap, sdk.KindUnion:
		m := map[string]any{}
		t.ForEach(func(k, v lua.LValue) {
			key := lua.LVAsString(k)
			m[key] = toGo(L, v, s.ValueShape(key))
		})
		return m
	case 0, sdk.KindDocument:
		// No shape to go by: a table with only 1..n keys is a list, and
		// so is one with the list mark (an empty array aws.json.decode
		// read).
		if n := t.Len(); n > 0 && countKeys(t) == n || isListMarked(t) {
			list := make([]any, n)
			for i := range n {
				list[i] = toGo(L, t.RawGetInt(i+1), nil)
			}
			return list
		}
		m := map[string]any{}
		t.ForEach(func(k, v lua.LValue) { m[lua.LVAsString(k)] = toGo(L, v, nil) })
		return m
	}
	// A table where a scalar belongs: converted by guess, so that the sdk
	// can accept it (S3's CopySource table) or name the member and type.
	return tableToGo(L, t, nil)
}

// maxNesting is how deeply the tables of a value may nest to be converted
// for a request; DynamoDB allows 32 levels, and nothing AWS takes comes
// near this.
const maxNesting = 256

// nesting counts, per LState, the tables that the conversions of a value
// have entered and not left.
var nesting sync.Map // *lua.LState → *int

// nest enters one more level of a table being converted to Go, and returns
// the function that leaves it. Past maxNesting it raises an error: a table
// that contains itself (t.a = t) recursed until the Go stack overflowed, a
// fatal error that no recover catches, which ended the process with a
// trace of every goroutine.
func nest(L *lua.LState) (leave func()) {
	v, _ := nesting.LoadOrStore(L, new(int))
	depth := v.(*int)
	if *depth >= maxNesting {
		// The levels below unwind, and each leaves its own.
		L.RaiseError("a table nested more than %d levels deep cannot be sent (does it contain itself?)", maxNesting)
	}
	*depth++
	return func() {
		if *depth--; *depth == 0 {
			nesting.Delete(L)
		}
	}
}

func countKeys(t *lua.LTable) int {
	n := 0
	t.ForEach(func(lua.LValue, lua.LValue) { n++ })
	return n
}

// toLua converts a dynamic value from the sdk into a Lua value.
func toLua(L *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case nil:
		return lua.LNil
	case string:
		return lua.LString(v)
	case bool:
		return lua.LBool(v)
	case int64:
		if v > -maxExact && v < maxExact {
			return lua.LNumber(v)
		}
		return newInt64(L, v)
	case int:
		return toLua(L, int64(v))
	case float64:
		return lua.LNumber(v)
	case *big.Int:
		// BigInteger members: exact as an int64 where one holds it, else
		// as a decimal value that keeps every digit.
		if v.IsInt64() {
			return toLua(L, v.Int64())
		}
		return object(L, sdk.Decimal(v.String()), ddbDecimalType)
	case *big.Float:
		// BigDecimal members keep every digit as a decimal value.
		return object(L, sdk.Decimal(v.Text('g', -1)), ddbDecimalType)
	case []byte:
		return lua.LString(v)
	case time.Time:
		return newTimestamp(L, v)
	case io.ReadCloser:
		return newStream(L, v)
	case *sdk.EventStream:
		return newEventStream(L, v)
	case []any:
		t := L.CreateTable(len(v), 0)
		for _, e := range v {
			t.Append(toLua(L, e))
		}
		return t
	case map[string]any:
		t := L.CreateTable(0, len(v))
		for k, e := range v {
			t.RawSetString(k, toLua(L, e))
		}
		return t
	case lua.LValue:
		return v
	}
	return lua.LString(fmt.Sprint(v))
}

// object wraps a Go value as userdata of one of the module's types.
func object(L *lua.LState, v any, typ string) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = v
	L.SetMetatable(ud, L.GetTypeMetatable(typ))
	return ud
}

// Timestamps are userdata whose tostring is RFC 3339 in UTC, that compare
// with each other with <, <=, > , >= and ==, and have :unix(). Lua 5.1
// calls no metamethod to compare values of two types, so a timestamp and
// a number (os.time()) cannot be compared directly: < raises "attempt to
// compare", == is false. Arithmetic does cross types, so ts - os.time()
// is the seconds between them, ts + 3600 an hour later, and
// aws.timestamp(os.time()) a timestamp to compare with.
const timestampType = "aws.timestamp"

// luaTimestamp is aws.timestamp(x): a timestamp from an RFC 3339 string,
// epoch seconds (fractions too) or a timestamp.
func luaTimestamp(L *lua.LState) int {
	switch v := L.CheckAny(1).(type) {
	case lua.LNumber:
		L.Push(newTimestamp(L, epochTime(float64(v))))
		return 1
	case lua.LString:
		t, err := time.Parse(time.RFC3339Nano, string(v))
		if err != nil {
			L.ArgError(1, fmt.Sprintf("%q is not an RFC 3339 time, such as 2026-01-02T15:04:05Z", string(v)))
		}
		L.Push(newTimestamp(L, t))
		return 1
	case *lua.LUserData:
		if t, ok := v.Value.(time.Time); ok {
			L.Push(newTimestamp(L, t))
			return 1
		}
	}
	L.ArgError(1, "an RFC 3339 string, epoch seconds or a timestamp expected, got "+L.Get(1).Type().String())
	return 0
}

// epochTime is the time secs seconds after the epoch, to the nanosecond.
func epochTime(secs float64) time.Time {
	whole, frac := math.Modf(secs)
	return time.Unix(int64(whole), int64(math.Round(frac*1e9)))
}

func newTimestamp(L *lua.LState, t time.Time) lua.LValue {
	return object(L, t.UTC(), timestampType)
}

func checkTime(L *lua.LState, n int) time.Time {
	if t, ok := L.CheckUserData(n).Value.(time.Time); ok {
		return t
	}
	L.ArgError(n, "timestamp expected")
	return time.Time{}
}

func registerTimestamp(L *lua.LState) {
	mt := L.NewTypeMetatable(timestampType)
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(checkTime(L, 1).Format(time.RFC3339Nano)))
		return 1
	}))
	L.SetField(mt, "__eq", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LBool(checkTime(L, 1).Equal(checkTime(L, 2))))
		return 1
	}))
	L.SetField(mt, "__lt", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LBool(checkTime(L, 1).Before(checkTime(L, 2))))
		return 1
	}))
	L.SetField(mt, "__le", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LBool(!checkTime(L, 2).Before(checkTime(L, 1))))
		return 1
	}))
	L.SetField(mt, "__concat", L.NewFunction(concatToString))
	// ts + n and n + ts: n seconds later.
	L.SetField(mt, "__add", L.NewFunction(func(L *lua.LState) int {
		t, n := L.Get(1), L.Get(2)
		if _, ok := t.(lua.LNumber); ok {
			t, n = n, t
		}
		secs, ok := n.(lua.LNumber)
		ts, isTime := t.(*lua.LUserData)
		if !ok || !isTime {
			L.RaiseError("a timestamp adds only a number of seconds, not a %s", n.Type())
		}
		base, _ := ts.Value.(time.Time)
		L.Push(newTimestamp(L, base.Add(time.Duration(float64(secs)*float64(time.Second)))))
		return 1
	}))
	// ts - ts, ts - n and n - ts, where n is epoch seconds (os.time()): the
	// seconds between them, a number. To go back n seconds, add -n.
	L.SetField(mt, "__sub", L.NewFunction(func(L *lua.LState) int {
		seconds := func(v lua.LValue) (float64, bool) {
			switch v := v.(type) {
			case lua.LNumber:
				return float64(v), true
			case *lua.LUserData:
				if t, ok := v.Value.(time.Time); ok {
					return float64(t.UnixNano()) / 1e9, true
				}
			}
			return 0, false
		}
		a, ok1 := seconds(L.Get(1))
		b, ok2 := seconds(L.Get(2))
		if !ok1 || !ok2 {
			L.RaiseError("a timestamp subtracts only timestamps and numbers of seconds")
		}
		L.Push(lua.LNumber(a - b))
		return 1
	}))
	L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"unix": func(L *lua.LState) int {
			t := checkTime(L, 1)
			L.Push(lua.LNumber(float64(t.UnixNano()) / 1e9))
			return 1
		},
	}))
}

// concatToString lets timestamps and big integers join strings with "..".
func concatToString(L *lua.LState) int {
	a, b := L.Get(1), L.Get(2)
	L.Push(lua.LString(tostring(L, a) + tostring(L, b)))
	return 1
}

// tostring is Lua's tostring, metamethods included.
func tostring(L *lua.LState, v lua.LValue) string {
	switch v := v.(type) {
	case lua.LString:
		return string(v)
	case lua.LNumber:
		return v.String()
	}
	if fn := L.GetMetaField(v, "__tostring"); fn != lua.LNil {
		// Protected: a __tostring that raises must not panic the runtime
		// while it reports another error.
		if err := L.CallByParam(lua.P{Fn: fn, NRet: 1, Protect: true}, v); err != nil {
			return v.String()
		}
		s := lua.LVAsString(L.Get(-1))
		L.Pop(1)
		return s
	}
	return v.String()
}

// Integers beyond 2^53 are userdata that keep every digit.
const int64Type = "aws.int64"

func newInt64(L *lua.LState, n int64) lua.LValue {
	return object(L, n, int64Type)
}

// int64Arg reads an integer operand: a big integer or a whole Lua number.
func int64Arg(L *lua.LState, n int) (int64, bool) {
	switch v := L.Get(n).(type) {
	case *lua.LUserData:
		i, ok := v.Value.(int64)
		return i, ok
	case lua.LNumber:
		return int64(v), float64(v) == math.Trunc(float64(v))
	}
	return 0, false
}

func registerInt64(L *lua.LState) {
	mt := L.NewTypeMetatable(int64Type)
	compare := func(f func(a, b int64) bool) *lua.LFunction {
		return L.NewFunction(func(L *lua.LState) int {
			a, ok1 := int64Arg(L, 1)
			b, ok2 := int64Arg(L, 2)
			L.Push(lua.LBool(ok1 && ok2 && f(a, b)))
			return 1
		})
	}
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		n, _ := int64Arg(L, 1)
		L.Push(lua.LString(strconv.FormatInt(n, 10)))
		return 1
	}))
	L.SetField(mt, "__eq", compare(func(a, b int64) bool { return a == b }))
	L.SetField(mt, "__lt", compare(func(a, b int64) bool { return a < b }))
	L.SetField(mt, "__le", compare(func(a, b int64) bool { return a <= b }))
	L.SetField(mt, "__concat", L.NewFunction(concatToString))
	L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		// tonumber converts on purpose, accepting the loss of digits.
		"tonumber": func(L *lua.LState) int {
			n, _ := int64Arg(L, 1)
			L.Push(lua.LNumber(n))
			return 1
		},
	}))
}

// A stream is a streaming response body, such as get_object's Body.
type stream struct {
	r      io.ReadCloser
	br     *bufio.Reader
	closed bool
}

const streamType = "aws.stream"

func newStream(L *lua.LState, r io.ReadCloser) lua.LValue {
	return object(L, &stream{r: r, br: bufio.NewReaderSize(r, 64<<10)}, streamType)
}

func checkStream(L *lua.LState) *stream {
	st, ok := L.CheckUserData(1).Value.(*stream)
	if !ok {
		L.ArgError(1, "stream expected")
	}
	if st.closed {
		L.RaiseError("read from a closed stream")
	}
	return st
}

// read returns up to n bytes, or everything left when n < 0; "" and false
// at the end of the stream.
func (st *stream) read(L *lua.LState, n int) (string, bool) {
	var b []byte
	var err error
	if n < 0 {
		b, err = io.ReadAll(st.br)
	} else {
		b = make([]byte, n)
		var m int
		m, err = io.ReadFull(st.br, b)
		b = b[:m]
		if err == io.ErrUnexpectedEOF {
			err = nil
		}
	}
	if err != nil && err != io.EOF {
		L.RaiseError("reading the stream: %v", err)
	}
	return string(b), len(b) > 0 || (n < 0 && err == nil)
}

func registerStream(L *lua.LState) {
	mt := L.NewTypeMetatable(streamType)
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("<streaming body>"))
		return 1
	}))
	L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		// read([n]) returns n bytes, or all that is left; nil at the end.
		"read": func(L *lua.LState) int {
			st := checkStream(L)
			s, ok := st.read(L, L.OptInt(2, -1))
			if !ok && L.OptInt(2, -1) >= 0 {
				L.Push(lua.LNil)
				return 1
			}
			L.Push(lua.LString(s))
			return 1
		},
		// lines() iterates over the lines, without their line ends.
		"lines": func(L *lua.LState) int {
			st := checkStream(L)
			L.Push(L.NewFunction(func(L *lua.LState) int {
				line, err := st.br.ReadString('\n')
				if line == "" && err != nil {
					if err != io.EOF {
						L.RaiseError("reading the stream: %v", err)
					}
					L.Push(lua.LNil)
					return 1
				}
				if n := len(line); n > 0 && line[n-1] == '\n' {
					line = line[:n-1]
					if n > 1 && line[n-2] == '\r' {
						line = line[:n-2]
					}
				}
				L.Push(lua.LString(line))
				return 1
			}))
			return 1
		},
		// iter_chunks([size]) iterates over chunks of size bytes (1 MiB).
		"iter_chunks": func(L *lua.LState) int {
			st := checkStream(L)
			size := L.OptInt(2, 1<<20)
			if size <= 0 {
				L.ArgError(2, "chunk size must be positive")
			}
			L.Push(L.NewFunction(func(L *lua.LState) int {
				if s, ok := st.read(L, size); ok {
					L.Push(lua.LString(s))
				} else {
					L.Push(lua.LNil)
				}
				return 1
			}))
			return 1
		},
		"close": func(L *lua.LState) int {
			st, ok := L.CheckUserData(1).Value.(*stream)
			if ok && !st.closed {
				st.closed = true
				st.r.Close()
			}
			return 0
		},
	}))
}

// sortedKeys returns a table's keys in a stable order: numbers first, in
// order, then strings, sorted.
func sortedKeys(t *lua.LTable) []lua.LValue {
	var keys []lua.LValue
	t.ForEach(func(k, _ lua.LValue) { keys = append(keys, k) })
	sort.SliceStable(keys, func(i, j int) bool {
		a, aNum := keys[i].(lua.LNumber)
		b, bNum := keys[j].(lua.LNumber)
		switch {
		case aNum && bNum:
			return a < b
		case aNum != bNum:
			return aNum
		}
		return lua.LVAsString(keys[i]) < lua.LVAsString(keys[j])
	})
	return keys
}

// resultToLua converts an operation's output to a Lua table, with its
// ResponseMetadata.
func resultToLua(L *lua.LState, r *sdk.Result) lua.LValue {
	out, _ := toLua(L, r.Output).(*lua.LTable)
	if out == nil {
		out = L.NewTable()
	}
	out.RawSetString("ResponseMetadata", metadataToLua(L, &r.Metadata))
	return out
}

// headerNames caches lower-cased header names: every response carries the
// same few, and lowering them on every call showed in head_object's
// profile.
var headerNames sync.Map

// metadataToLua builds ResponseMetadata as sdk.ResponseMetadata.Map does,
// straight into a Lua table.
func metadataToLua(L *lua.LState, m *sdk.ResponseMetadata) *lua.LTable {
	headers := L.CreateTable(0, len(m.HTTPHeaders))
	for k, v := range m.HTTPHeaders {
		name, ok := headerNames.Load(k)
		if !ok {
			name, _ = headerNames.LoadOrStore(k, lua.LString(strings.ToLower(k)))
		}
		value := ""
		if len(v) == 1 {
			value = v[0]
		} else {
			value = strings.Join(v, ", ")
		}
		headers.RawSetString(string(name.(lua.LString)), lua.LString(value))
	}
	t := L.CreateTable(0, 5)
	t.RawSetString("RequestId", lua.LString(m.RequestID))
	t.RawSetString("HTTPStatusCode", lua.LNumber(m.HTTPStatusCode))
	t.RawSetString("HTTPHeaders", headers)
	t.RawSetString("RetryAttempts", lua.LNumber(m.RetryAttempts))
	if m.HostID != "" {
		t.RawSetString("HostId", lua.LString(m.HostID))
	}
	return t
}
