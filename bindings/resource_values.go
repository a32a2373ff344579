package bindings

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
)

// Native values of resources (sdk.ValueTransform): where a service's
// resources take and return native values in place of a union of its API
// (DynamoDB's AttributeValue), a nativeCodec converts those values between
// Lua and the sdk's native Go values; everything else converts as usual.

type nativeCodec struct {
	toGo  func(L *lua.LState, v lua.LValue) any
	toLua func(L *lua.LState, v any) lua.LValue
}

// nativeCodecs are the codecs by service; dynamodb.go adds DynamoDB's.
var nativeCodecs = map[string]nativeCodec{}

// resourceMethods are methods that some resources have beyond their model,
// where boto3's have code too (table:batch_writer), by "service.Type" and
// Lua name.
var resourceMethods = map[string]map[string]lua.LGFunction{}

// nativeOf returns the value transform and codec of a resource's service,
// nil when its resources take the API's own values.
func nativeOf(r *sdk.Resource) (*sdk.ValueTransform, *nativeCodec) {
	t := r.ValueTransform()
	if t == nil {
		return nil, nil
	}
	c, ok := nativeCodecs[r.Client().ServiceName()]
	if !ok {
		return nil, nil
	}
	return t, &c
}

// nativeInput is toGo with native values at the union's positions.
func nativeInput(L *lua.LState, v lua.LValue, s *sdk.Shape, t *sdk.ValueTransform, c *nativeCodec) any {
	if t.Matches(s) {
		return c.toGo(L, v)
	}
	tbl, ok := v.(*lua.LTable)
	if !ok || !t.Holds(s) {
		return toGo(L, v, s)
	}
	switch s.Kind {
	case sdk.KindList:
		n := tbl.Len()
		list := make([]any, n)
		for i := range n {
			list[i] = nativeInput(L, tbl.RawGetInt(i+1), s.Elem, t, c)
		}
		return list
	case sdk.KindStructure, sdk.KindMap:
		m := map[string]any{}
		tbl.ForEach(func(k, e lua.LValue) {
			key := lua.LVAsString(k)
			if ms := s.ValueShape(key); ms != nil {
				m[key] = nativeInput(L, e, ms, t, c)
			} else {
				m[key] = toGo(L, e, nil)
			}
		})
		return m
	}
	return toGo(L, v, s)
}

// nativeOutput is toLua with native values at the union's positions.
func nativeOutput(L *lua.LState, v any, s *sdk.Shape, t *sdk.ValueTransform, c *nativeCodec) lua.LValue {
	if t.Matches(s) {
		return c.toLua(L, v)
	}
	if v == nil || !t.Holds(s) {
		return toLua(L, v)
	}
	switch s.Kind {
	case sdk.KindList:
		list, ok := v.([]any)
		if !ok {
			break
		}
		tbl := L.CreateTable(len(list), 0)
		for _, e := range list {
			tbl.Append(nativeOutput(L, e, s.Elem, t, c))
		}
		return tbl
	case sdk.KindStructure, sdk.KindMap:
		m, ok := v.(map[string]any)
		if !ok {
			break
		}
		tbl := L.CreateTable(0, len(m))
		for k, e := range m {
			if ms := s.ValueShape(k); ms != nil {
				tbl.RawSetString(k, nativeOutput(L, e, ms, t, c))
			} else {
				tbl.RawSetString(k, toLua(L, e))
			}
		}
		return tbl
	}
	return toLua(L, v)
}

// operationShapes returns the input and output shapes of an action's
// operation, nil when it has none.
func operationShapes(r *sdk.Resource, operation string) (in, out *sdk.Shape) {
	op, err := r.Client().Operation(operation)
	if err != nil {
		return nil, nil
	}
	return op.InputShape(), op.OutputShape()
}

// actionOutput converts what an action returns: a response of a service
// with native values converts by the operation's output shape.
func (m *module) actionOutput(L *lua.LState, r *resource, action string, out any) lua.LValue {
	resp, isMap := out.(map[string]any)
	def, ok := r.Def().Actions[action]
	if t, c := nativeOf(r.Resource); t != nil && isMap && ok && def.Path == "" && def.Resource == nil {
		_, shape := operationShapes(r.Resource, def.Request.Operation)
		return nativeOutput(L, resp, shape, t, c)
	}
	return m.resourceValue(L, out)
}
