package bindings

import (
	"io"
	"runtime"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
)

// An eventStream is an output's event stream (select_object_content's
// Payload) in Lua: calling it returns the next event, nil at the end, so
// that it iterates as boto3's does:
//
//	for event in r.Payload do
//	  if event.Records then io.write(event.Records.Payload) end
//	end
//
// The response body is closed at the end of the stream, on an error, by
// :close(), and — for a loop left with break — when the garbage collector
// finds the stream abandoned.
type eventStream struct {
	s *sdk.EventStream
}

const eventStreamType = "aws.EventStream"

func newEventStream(L *lua.LState, s *sdk.EventStream) lua.LValue {
	es := &eventStream{s: s}
	runtime.AddCleanup(es, func(s *sdk.EventStream) { s.Close() }, s)
	return object(L, es, eventStreamType)
}

func checkEventStream(L *lua.LState) *eventStream {
	if es, ok := L.CheckUserData(1).Value.(*eventStream); ok {
		return es
	}
	L.ArgError(1, "event stream expected")
	return nil
}

func registerEventStream(L *lua.LState) {
	mt := L.NewTypeMetatable(eventStreamType)
	L.SetField(mt, "__call", L.NewFunction(func(L *lua.LState) int {
		ev, err := checkEventStream(L).s.Next(ctxOf(L))
		if err == io.EOF {
			L.Push(lua.LNil)
			return 1
		}
		if err != nil {
			raise(L, err)
		}
		L.Push(toLua(L, ev))
		return 1
	}))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(checkEventStream(L).s.String()))
		return 1
	}))
	L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"close": func(L *lua.LState) int {
			checkEventStream(L).s.Close()
			return 0
		},
	}))
}
