package bindings

import (
	"bytes"
	"fmt"
	"iter"
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
)

// aws.dynamodb: the native values of DynamoDB resources, conditions, and
// what tables have beyond their model (batch_writer, query_items,
// scan_items).
//
//	string        S       a Lua string
//	number        N       a Lua number; aws.dynamodb.decimal for numbers a
//	                      Lua number cannot hold exactly
//	boolean       BOOL
//	null          NULL    aws.dynamodb.null (nil in a table is no value)
//	binary        B       aws.dynamodb.binary(s)
//	list          L       a table with the keys 1..n, or aws.dynamodb.list(t)
//	map           M       any other table; an empty table is an empty map
//	set           SS NS BS  aws.dynamodb.set{...}
//
// Lists in responses carry the aws.dynamodb.list metatable, so that an
// empty list writes back as a list.

const (
	ddbSetType       = "aws.dynamodb.set"
	ddbDecimalType   = "aws.dynamodb.decimal"
	ddbBinaryType    = "aws.dynamodb.binary"
	ddbNullType      = "aws.dynamodb.null"
	ddbListType      = "aws.dynamodb.list"
	ddbAttrType      = "aws.dynamodb.attr"
	ddbConditionType = "aws.dynamodb.condition"
	ddbBatchType     = "aws.dynamodb.batch_writer"
	ddbNullKey       = "awslua.dynamodb.null"
)

// ddbBinary is a binary value; a plain Lua string is a string (S).
type ddbBinary []byte

// ddbNull is DynamoDB's NULL; aws.dynamodb.null is its one value.
type ddbNull struct{}

func init() {
	nativeCodecs["dynamodb"] = nativeCodec{toGo: dynamoToGo, toLua: dynamoToLua}
	resourceMethods["dynamodb.Table"] = map[string]lua.LGFunction{
		"batch_writer": luaBatchWriter,
		"query_items":  func(L *lua.LState) int { return luaTableItems(L, "Query") },
		"scan_items":   func(L *lua.LState) int { return luaTableItems(L, "Scan") },
	}
}

// dynamodbModule registers the types and returns aws.dynamodb.
func dynamodbModule(L *lua.LState) *lua.LTable {
	registerDynamoValues(L)
	registerDynamoConditions(L)
	registerBatchWriter(L)
	null := object(L, ddbNull{}, ddbNullType)
	L.G.Registry.RawSetString(ddbNullKey, null)
	mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		// set{v1, v2, ...}: a set of strings, numbers or binary values.
		"set": func(L *lua.LState) int {
			t := L.OptTable(1, L.NewTable())
			var values []any
			for i := 1; i <= t.Len(); i++ {
				values = append(values, setElemToGo(L, t.RawGetInt(i)))
			}
			s, err := sdk.NewSet(values...)
			if err != nil {
				L.ArgError(1, err.Error())
			}
			L.Push(object(L, s, ddbSetType))
			return 1
		},
		// decimal(s): a number of any precision, from a string of digits
		// (or a Lua number).
		"decimal": func(L *lua.LState) int {
			var d sdk.Decimal
			var err error
			switch v := L.CheckAny(1).(type) {
			case lua.LNumber:
				d, err = sdk.ParseDecimal(numberString(float64(v)))
			case *lua.LUserData:
				if x, ok := v.Value.(sdk.Decimal); ok {
					d = x
				} else if x, ok := v.Value.(int64); ok {
					d = sdk.Decimal(strconv.FormatInt(x, 10))
				} else {
					err = fmt.Errorf("a number or a string of digits expected")
				}
			default:
				d, err = sdk.ParseDecimal(L.CheckString(1))
			}
			if err != nil {
				L.ArgError(1, err.Error())
			}
			L.Push(object(L, d, ddbDecimalType))
			return 1
		},
		// binary(s): a binary value.
		"binary": func(L *lua.LState) int {
			L.Push(object(L, ddbBinary(L.CheckString(1)), ddbBinaryType))
			return 1
		},
		// list(t): marks t as a list, so that an empty one is written as L.
		"list": func(L *lua.LState) int {
			t := L.OptTable(1, L.NewTable())
			L.SetMetatable(t, L.GetTypeMetatable(ddbListType))
			L.Push(t)
			return 1
		},
		"Key":  func(L *lua.LState) int { return pushAttr(L, sdk.DynamoKey(L.CheckString(1))) },
		"Attr": func(L *lua.LState) int { return pushAttr(L, sdk.DynamoAttr(L.CheckString(1))) },
	})
	mod.RawSetString("null", null)
	return mod
}

func ddbNullValue(L *lua.LState) lua.LValue { return L.G.Registry.RawGetString(ddbNullKey) }

// numberString writes a Lua number as a decimal: integers without a
// fraction.
func numberString(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// luaNumber is a Lua number as a native Go number: int64 when whole.
func luaNumber(v lua.LNumber) any {
	f := float64(v)
	if f == math.Trunc(f) && math.Abs(f) < maxExact {
		return int64(f)
	}
	return f
}

// dynamoToGo converts a Lua value into a native DynamoDB value.
func dynamoToGo(L *lua.LState, v lua.LValue) any {
	switch v := v.(type) {
	case lua.LString:
		return string(v)
	case lua.LNumber:
		return luaNumber(v)
	case lua.LBool:
		return bool(v)
	case *lua.LNilType:
		return nil
	case *lua.LUserData:
		switch x := v.Value.(type) {
		case *sdk.Set, sdk.Decimal, int64:
			return x
		case ddbBinary:
			return []byte(x)
		case ddbNull, jsonNull: // JSON's null read by aws.json.decode is NULL too
			return nil
		}
		L.RaiseError("a %s is not a DynamoDB value: use strings, numbers, booleans, tables, aws.dynamodb.set{...}, .binary(s), .decimal(s) or .null", tostring(L, v))
	case *lua.LTable:
		defer nest(L)() // a table that contains itself: see nest
		n := v.Len()
		if L.GetMetatable(v) == L.GetTypeMetatable(ddbListType) || n > 0 && countKeys(v) == n {
			list := make([]any, n)
			for i := range n {
				list[i] = dynamoToGo(L, v.RawGetInt(i+1))
			}
			return list
		}
		m := map[string]any{}
		v.ForEach(func(k, e lua.LValue) { m[lua.LVAsString(k)] = dynamoToGo(L, e) })
		return m
	}
	L.RaiseError("a %s is not a DynamoDB value", v.Type())
	return nil
}

// setElemToGo converts an element of a set.
func setElemToGo(L *lua.LState, v lua.LValue) any {
	switch x := dynamoToGo(L, v).(type) {
	case string, []byte, int64, float64, sdk.Decimal:
		return x
	}
	L.RaiseError("a set holds strings, numbers or binary values, not %s", v.Type())
	return nil
}

// dynamoToLua converts a native DynamoDB value into a Lua value.
func dynamoToLua(L *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case nil:
		return ddbNullValue(L)
	case int64:
		if x > -maxExact && x < maxExact {
			return lua.LNumber(x)
		}
		return object(L, sdk.Decimal(strconv.FormatInt(x, 10)), ddbDecimalType)
	case sdk.Decimal:
		return object(L, x, ddbDecimalType)
	case []byte:
		return object(L, ddbBinary(x), ddbBinaryType)
	case *sdk.Set:
		return object(L, x, ddbSetType)
	case []any:
		t := L.CreateTable(len(x), 0)
		for _, e := range x {
			t.Append(dynamoToLua(L, e))
		}
		L.SetMetatable(t, L.GetTypeMetatable(ddbListType))
		return t
	case map[string]any:
		t := L.CreateTable(0, len(x))
		for k, e := range x {
			t.RawSetString(k, dynamoToLua(L, e))
		}
		return t
	}
	return toLua(L, v)
}

func registerDynamoValues(L *lua.LState) {
	// __name lets GoValue, which has no LState, tell a marked list.
	L.SetField(L.NewTypeMetatable(ddbListType), "__name", lua.LString(ddbListType))

	null := L.NewTypeMetatable(ddbNullType)
	L.SetField(null, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("aws.dynamodb.null"))
		return 1
	}))

	set := L.NewTypeMetatable(ddbSetType)
	checkSet := func(L *lua.LState) *sdk.Set {
		if s, ok := L.CheckUserData(1).Value.(*sdk.Set); ok {
			return s
		}
		L.ArgError(1, "aws.dynamodb.set expected")
		return nil
	}
	L.SetField(set, "__len", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LNumber(checkSet(L).Len()))
		return 1
	}))
	L.SetField(set, "__tostring", L.NewFunction(func(L *lua.LState) int {
		s := checkSet(L)
		var b bytes.Buffer
		b.WriteString("aws.dynamodb.set{")
		for i, v := range s.Values() {
			if i > 0 {
				b.WriteString(", ")
			}
			if str, ok := v.(string); ok {
				b.WriteString(strconv.Quote(str))
			} else {
				b.WriteString(tostring(L, dynamoToLua(L, v)))
			}
		}
		b.WriteString("}")
		L.Push(lua.LString(b.String()))
		return 1
	}))
	L.SetField(set, "__eq", L.NewFunction(func(L *lua.LState) int {
		a, ok1 := L.CheckUserData(1).Value.(*sdk.Set)
		b, ok2 := L.CheckUserData(2).Value.(*sdk.Set)
		eq := ok1 && ok2 && a.Len() == b.Len() && (a.Kind() == b.Kind() || a.Len() == 0)
		if eq {
			for _, v := range a.Values() {
				eq = eq && b.Contains(v)
			}
		}
		L.Push(lua.LBool(eq))
		return 1
	}))
	L.SetField(set, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		// values() returns the values as an array.
		"values": func(L *lua.LState) int {
			s := checkSet(L)
			t := L.CreateTable(s.Len(), 0)
			for _, v := range s.Values() {
				t.Append(dynamoToLua(L, v))
			}
			L.Push(t)
			return 1
		},
		// contains(v) reports whether the set holds v.
		"contains": func(L *lua.LState) int {
			s := checkSet(L)
			v := dynamoToGo(L, L.CheckAny(2))
			L.Push(lua.LBool(s.Contains(v)))
			return 1
		},
		// kind() is "SS", "NS" or "BS".
		"kind": func(L *lua.LState) int {
			L.Push(lua.LString(checkSet(L).Kind()))
			return 1
		},
	}))

	dec := L.NewTypeMetatable(ddbDecimalType)
	decArg := func(L *lua.LState, n int) (sdk.Decimal, bool) {
		switch v := L.Get(n).(type) {
		case *lua.LUserData:
			switch x := v.Value.(type) {
			case sdk.Decimal:
				return x, true
			case int64:
				return sdk.Decimal(strconv.FormatInt(x, 10)), true
			}
		case lua.LNumber:
			return sdk.Decimal(numberString(float64(v))), true
		}
		return "", false
	}
	compare := func(f func(c int) bool) *lua.LFunction {
		return L.NewFunction(func(L *lua.LState) int {
			a, ok1 := decArg(L, 1)
			b, ok2 := decArg(L, 2)
			c, ok := a.Cmp(b)
			L.Push(lua.LBool(ok1 && ok2 && ok && f(c)))
			return 1
		})
	}
	L.SetField(dec, "__tostring", L.NewFunction(func(L *lua.LState) int {
		d, _ := decArg(L, 1)
		L.Push(lua.LString(d))
		return 1
	}))
	L.SetField(dec, "__eq", compare(func(c int) bool { return c == 0 }))
	L.SetField(dec, "__lt", compare(func(c int) bool { return c < 0 }))
	L.SetField(dec, "__le", compare(func(c int) bool { return c <= 0 }))
	L.SetField(dec, "__concat", L.NewFunction(concatToString))
	L.SetField(dec, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		// tonumber converts on purpose, accepting the loss of digits.
		"tonumber": func(L *lua.LState) int {
			d, _ := decArg(L, 1)
			L.Push(lua.LNumber(d.Float64()))
			return 1
		},
	}))

	bin := L.NewTypeMetatable(ddbBinaryType)
	checkBin := func(L *lua.LState, n int) ddbBinary {
		b, _ := L.CheckUserData(n).Value.(ddbBinary)
		return b
	}
	L.SetField(bin, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(checkBin(L, 1)))
		return 1
	}))
	L.SetField(bin, "__len", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LNumber(len(checkBin(L, 1))))
		return 1
	}))
	L.SetField(bin, "__eq", L.NewFunction(func(L *lua.LState) int {
		a, ok1 := L.CheckUserData(1).Value.(ddbBinary)
		b, ok2 := L.CheckUserData(2).Value.(ddbBinary)
		L.Push(lua.LBool(ok1 && ok2 && bytes.Equal(a, b)))
		return 1
	}))
	L.SetField(bin, "__concat", L.NewFunction(concatToString))
	// b.value is the bytes as a Lua string, as boto3's Binary.value.
	L.SetField(bin, "__index", L.NewFunction(func(L *lua.LState) int {
		b := checkBin(L, 1)
		if L.CheckString(2) == "value" {
			L.Push(lua.LString(b))
			return 1
		}
		L.Push(lua.LNil)
		return 1
	}))
}

// Conditions.

func pushAttr(L *lua.LState, a sdk.CondAttr) int {
	L.Push(object(L, a, ddbAttrType))
	return 1
}

func checkAttr(L *lua.LState) sdk.CondAttr {
	if a, ok := L.CheckUserData(1).Value.(sdk.CondAttr); ok {
		return a
	}
	L.ArgError(1, "aws.dynamodb.Key or Attr expected; call its methods with a colon: Key('pk'):eq(1)")
	return sdk.CondAttr{}
}

func checkCondition(L *lua.LState, n int) *sdk.Condition {
	if c, ok := L.CheckUserData(n).Value.(*sdk.Condition); ok {
		return c
	}
	L.ArgError(n, "a condition expected, such as Key('pk'):eq(1)")
	return nil
}

// operand converts a condition's operand: another attribute or a value.
func operand(L *lua.LState, n int) any {
	if ud, ok := L.Get(n).(*lua.LUserData); ok {
		if a, ok := ud.Value.(sdk.CondAttr); ok {
			return a
		}
	}
	return dynamoToGo(L, L.CheckAny(n))
}

func pushCondition(L *lua.LState, c *sdk.Condition) int {
	L.Push(object(L, c, ddbConditionType))
	return 1
}

func registerDynamoConditions(L *lua.LState) {
	one := func(f func(a sdk.CondAttr, v any) *sdk.Condition) lua.LGFunction {
		return func(L *lua.LState) int { return pushCondition(L, f(checkAttr(L), operand(L, 2))) }
	}
	attr := L.NewTypeMetatable(ddbAttrType)
	L.SetField(attr, "__tostring", L.NewFunction(func(L *lua.LState) int {
		a := checkAttr(L)
		kind := "Attr"
		if a.IsKey() {
			kind = "Key"
		}
		L.Push(lua.LString(fmt.Sprintf("aws.dynamodb.%s(%q)", kind, a.Name())))
		return 1
	}))
	L.SetField(attr, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"eq":             one(sdk.CondAttr.Eq),
		"ne":             one(sdk.CondAttr.Ne),
		"lt":             one(sdk.CondAttr.Lt),
		"lte":            one(sdk.CondAttr.Lte),
		"gt":             one(sdk.CondAttr.Gt),
		"gte":            one(sdk.CondAttr.Gte),
		"begins_with":    one(sdk.CondAttr.BeginsWith),
		"contains":       one(sdk.CondAttr.Contains),
		"attribute_type": one(sdk.CondAttr.AttributeType),
		"between": func(L *lua.LState) int {
			return pushCondition(L, checkAttr(L).Between(operand(L, 2), operand(L, 3)))
		},
		// is_in{v1, v2} or is_in(v1, v2).
		"is_in": func(L *lua.LState) int {
			a := checkAttr(L)
			var values []any
			if t, ok := L.Get(2).(*lua.LTable); ok && L.GetTop() == 2 {
				for i := 1; i <= t.Len(); i++ {
					values = append(values, dynamoToGo(L, t.RawGetInt(i)))
				}
			} else {
				for i := 2; i <= L.GetTop(); i++ {
					values = append(values, operand(L, i))
				}
			}
			return pushCondition(L, a.IsIn(values...))
		},
		"exists":     func(L *lua.LState) int { return pushCondition(L, checkAttr(L).Exists()) },
		"not_exists": func(L *lua.LState) int { return pushCondition(L, checkAttr(L).NotExists()) },
		// size() is size(attr), which compares as an attribute does.
		"size": func(L *lua.LState) int { return pushAttr(L, checkAttr(L).Size()) },
	}))

	cond := L.NewTypeMetatable(ddbConditionType)
	L.SetField(cond, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(checkCondition(L, 1).String()))
		return 1
	}))
	L.SetField(cond, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"And": func(L *lua.LState) int {
			return pushCondition(L, checkCondition(L, 1).And(checkCondition(L, 2)))
		},
		"Or": func(L *lua.LState) int {
			return pushCondition(L, checkCondition(L, 1).Or(checkCondition(L, 2)))
		},
		"Not": func(L *lua.LState) int { return pushCondition(L, checkCondition(L, 1).Not()) },
	}))
}

// Tables beyond the model.

func checkTable(L *lua.LState) *resource {
	r := checkResource(L)
	if r.Client().ServiceName() != "dynamodb" || r.Type() != "Table" {
		L.ArgError(1, "a DynamoDB table expected")
	}
	return r
}

// itemArg converts the one member a batch request takes: Item or Key.
func itemArg(L *lua.LState, what, member string) map[string]any {
	t := L.CheckTable(2)
	var item map[string]any
	t.ForEach(func(k, v lua.LValue) {
		if lua.LVAsString(k) != member {
			L.RaiseError("batch:%s takes {%s = ...}, not %q", what, member, lua.LVAsString(k))
		}
		tbl, ok := v.(*lua.LTable)
		if !ok {
			L.RaiseError("batch:%s: %s must be a table", what, member)
		}
		item, _ = dynamoToGo(L, tbl).(map[string]any)
		if item == nil {
			item = map[string]any{}
		}
	})
	if item == nil {
		L.RaiseError("batch:%s needs {%s = ...}", what, member)
	}
	return item
}

func checkBatch(L *lua.LState) *sdk.BatchWriter {
	if w, ok := L.CheckUserData(1).Value.(*sdk.BatchWriter); ok {
		return w
	}
	L.ArgError(1, "batch writer expected; call its methods with a colon: batch:put_item{...}")
	return nil
}

func registerBatchWriter(L *lua.LState) {
	mt := L.NewTypeMetatable(ddbBatchType)
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"put_item": func(L *lua.LState) int {
			w := checkBatch(L)
			if err := w.PutItem(ctxOf(L), itemArg(L, "put_item", "Item")); err != nil {
				raise(L, err)
			}
			return 0
		},
		"delete_item": func(L *lua.LState) int {
			w := checkBatch(L)
			if err := w.DeleteItem(ctxOf(L), itemArg(L, "delete_item", "Key")); err != nil {
				raise(L, err)
			}
			return 0
		},
		"flush": func(L *lua.LState) int {
			if err := checkBatch(L).Flush(ctxOf(L)); err != nil {
				raise(L, err)
			}
			return 0
		},
	})
	L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
		w := checkBatch(L)
		switch key := L.CheckString(2); key {
		case "requests":
			L.Push(lua.LNumber(w.Requests()))
		case "pending":
			L.Push(lua.LNumber(w.Pending()))
		default:
			L.Push(methods.RawGetString(key))
		}
		return 1
	}))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		w := checkBatch(L)
		L.Push(lua.LString(fmt.Sprintf("aws.dynamodb.batch_writer(%d pending, %d requests sent)", w.Pending(), w.Requests())))
		return 1
	}))
}

// luaBatchWriter is table:batch_writer([{overwrite_by_pkeys = {...}},]
// [function(batch) ... end]). With a function, it runs it with the writer,
// then sends what is left, even when the function raised an error (which
// it raises again after); it returns the writer, whose requests field
// counts the BatchWriteItem requests sent. Without one, it returns the
// writer, and batch:flush() sends what is left.
func luaBatchWriter(L *lua.LState) int {
	r := checkTable(L)
	var opts *lua.LTable
	var fn *lua.LFunction
	for i := 2; i <= L.GetTop(); i++ {
		switch v := L.Get(i).(type) {
		case *lua.LTable:
			opts = v
		case *lua.LFunction:
			fn = v
		case *lua.LNilType:
		default:
			L.ArgError(i, "options table or function expected")
		}
	}
	var pkeys []string
	if f := fields(L, opts, "batch_writer", "overwrite_by_pkeys"); f["overwrite_by_pkeys"] != nil {
		t, ok := f["overwrite_by_pkeys"].(*lua.LTable)
		if !ok {
			L.RaiseError("batch_writer: overwrite_by_pkeys must be an array of attribute names")
		}
		for i := 1; i <= t.Len(); i++ {
			pkeys = append(pkeys, lua.LVAsString(t.RawGetInt(i)))
		}
	}
	w, err := r.BatchWriter(pkeys...)
	if err != nil {
		raise(L, err)
	}
	ud := object(L, w, ddbBatchType)
	if fn == nil {
		L.Push(ud)
		return 1
	}
	L.Push(fn)
	L.Push(ud)
	callErr := L.PCall(1, 0, nil)
	flushErr := w.Flush(ctxOf(L))
	if callErr != nil {
		if flushErr != nil {
			L.RaiseError("%s\n(and sending what the batch held failed too: %v)", callErr.Error(), flushErr)
		}
		if apiErr, ok := callErr.(*lua.ApiError); ok {
			L.Error(apiErr.Object, 0)
		}
		L.RaiseError("%s", callErr.Error())
	}
	if flushErr != nil {
		raise(L, flushErr)
	}
	L.Push(ud)
	return 1
}

// luaTableItems is table:query_items{...} and table:scan_items{...}: an
// iterator over every item of every page, as native values. The optional
// second argument takes page_size (Limit on each request) and max_items.
func luaTableItems(L *lua.LState, op string) int {
	r := checkTable(L)
	t, c := nativeOf(r.Resource)
	inShape, _ := operationShapes(r.Resource, op)
	var input map[string]any
	if tbl := L.OptTable(2, nil); tbl != nil {
		input, _ = nativeInput(L, tbl, inShape, t, c).(map[string]any)
	}
	f := fields(L, L.OptTable(3, nil), sdk.SnakeCase(op)+"_items", "page_size", "max_items")
	cfg := sdk.PaginationConfig{PageSize: int(lua.LVAsNumber(f["page_size"])), MaxItems: int(lua.LVAsNumber(f["max_items"]))}
	var seq iter.Seq2[map[string]any, error]
	if op == "Query" {
		seq = r.QueryItems(ctxOf(L), input, cfg)
	} else {
		seq = r.ScanItems(ctxOf(L), input, cfg)
	}
	L.Push(iteratorOf(L, seq))
	return 1
}

// iteratorOf makes a Lua iterator function over items.
func iteratorOf(L *lua.LState, seq iter.Seq2[map[string]any, error]) *lua.LFunction {
	items := &puller[map[string]any]{start: func() iter.Seq2[map[string]any, error] { return seq }}
	return L.NewFunction(func(L *lua.LState) int {
		item, err, ok := items.step()
		if err != nil {
			raise(L, err)
		}
		if !ok {
			L.Push(lua.LNil)
			return 1
		}
		L.Push(dynamoToLua(L, item))
		return 1
	})
}
