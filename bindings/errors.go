package bindings

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"weak"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
)

// Errors reach Lua as tables with the fields code, message, operation,
// status_code, request_id and retry_attempts, a method :is(), and a
// tostring that reads as boto3's. pcall returns them as they are.
const errorType = "aws.error"

func registerErrors(L *lua.LState) {
	mt := L.NewTypeMetatable(errorType)
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(L.GetField(L.CheckTable(1), "text"))
		return 1
	}))
	L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		// is(x) matches an exception of client.exceptions, an error or a
		// code, by the code sent or the modeled one (SQS sends legacy codes).
		"is": func(L *lua.LState) int {
			self := L.CheckTable(1)
			other := L.Get(2)
			if t, ok := other.(*lua.LTable); ok {
				other = L.GetField(t, "code")
			}
			want := lua.LVAsString(other)
			match := false
			for _, k := range []string{"code", "modeled_code"} {
				code := lua.LVAsString(self.RawGetString(k))
				match = match || code != "" && code == want
			}
			L.Push(lua.LBool(match))
			return 1
		},
	}))
}

// raise raises err in Lua as an error value, with the place in the script
// that made the call.
func raise(L *lua.LState, err error) {
	L.Error(errorValue(L, err), 1)
}

// goErrors remembers the Go error behind each error value, so that the
// program that runs the script can get it back (Unwrap, ScriptError.Err)
// after the value went through Lua, pcall and error() included. A table
// is the value's type, to keep its fields readable as ever, and a table
// has no room that pairs and aws.inspect would not show: the map is on
// the side, keyed weakly so that it holds no error value alive.
var goErrors sync.Map // weak.Pointer[lua.LTable] → error

func rememberError(t *lua.LTable, err error) {
	key := weak.Make(t)
	goErrors.Store(key, err)
	runtime.AddCleanup(t, func(key weak.Pointer[lua.LTable]) { goErrors.Delete(key) }, key)
}

// goError returns the Go error behind a Lua error value, or nil.
func goError(v lua.LValue) error {
	t, ok := v.(*lua.LTable)
	if !ok {
		return nil
	}
	if err, ok := goErrors.Load(weak.Make(t)); ok {
		return err.(error)
	}
	return nil
}

// Unwrap returns the Go error that caused err, an error from running Lua
// in a state with the aws module: from L.DoString, L.PCall or
// L.CallByParam with Protect in a state opened with Open, where err is a
// *lua.ApiError whose Object is the script's error value, or from a
// Runtime, whose *ScriptError unwraps by itself. The cause is the
// *sdk.Error of a failed call, an error wrapping sdk.ErrRefused for a
// refused one, a context error for a cancelled one, or what a Go function
// handed to the script returned. Unwrap returns nil when the script raised
// the error itself, with error("...").
func Unwrap(err error) error {
	var se *ScriptError
	if errors.As(err, &se) {
		return se.Err
	}
	var api *lua.ApiError
	if !errors.As(err, &api) {
		return nil
	}
	if cause := goError(api.Object); cause != nil {
		return cause
	}
	if api.Cause != nil {
		return api.Cause
	}
	// gopher-lua stops a script whose context ended between instructions
	// with a string error of the context's message, and no cause.
	if msg, ok := api.Object.(lua.LString); ok {
		for _, ctxErr := range []error{context.Canceled, context.DeadlineExceeded} {
			if strings.HasSuffix(string(msg), ctxErr.Error()) {
				return ctxErr
			}
		}
	}
	return nil
}

func errorValue(L *lua.LState, err error) *lua.LTable {
	t := L.NewTable()
	L.SetMetatable(t, L.GetTypeMetatable(errorType))
	rememberError(t, err)
	set := func(k string, v lua.LValue) { t.RawSetString(k, v) }
	set("where", lua.LString(L.Where(1)))
	set("text", lua.LString(err.Error()))
	set("message", lua.LString(err.Error()))
	var se *sdk.Error
	var pv *sdk.ParamValidationError
	var we *sdk.WaiterError
	var ce *sdk.ClientSideError
	switch {
	case errors.As(err, &we):
		// First: a WaiterError wraps the *sdk.Error of its last attempt,
		// which errors.As would find and report as the waiter's error.
		set("code", lua.LString("WaiterError"))
		set("waiter", lua.LString(we.Name))
		set("reason", lua.LString(we.Reason))
		if we.Err != nil {
			set("last_error", errorValue(L, we.Err))
		}
	case errors.As(err, &se):
		set("code", lua.LString(se.Code))
		set("message", lua.LString(se.Message))
		set("operation", lua.LString(se.Operation))
		set("status_code", lua.LNumber(se.StatusCode))
		set("request_id", lua.LString(se.RequestID))
		set("retry_attempts", lua.LNumber(se.RetryAttempts))
		if se.HostID != "" {
			set("host_id", lua.LString(se.HostID))
		}
		if se.ModeledCode != "" {
			set("modeled_code", lua.LString(se.ModeledCode))
		}
	case errors.As(err, &ce):
		// No response to take a status from: status_code stays nil.
		set("code", lua.LString(ce.Code))
		set("operation", lua.LString(ce.Operation))
		set("retry_attempts", lua.LNumber(ce.RetryAttempts))
		if ce.URL != "" {
			set("url", lua.LString(ce.URL))
		}
	case errors.As(err, &pv):
		set("code", lua.LString(pv.ErrorCode()))
		set("operation", lua.LString(pv.Operation))
	case errors.Is(err, sdk.ErrRefused):
		set("code", lua.LString("Refused"))
	default:
		set("code", lua.LString("Error"))
		// A request that never got an answer (a reset connection, a
		// timeout) has no *sdk.Error, but its retries ran out all the same:
		// err.retry_attempts says how many were made, as for the others.
		var exhausted *retry.MaxAttemptsError
		if errors.As(err, &exhausted) {
			set("retry_attempts", lua.LNumber(max(exhausted.Attempt-1, 0)))
		}
	}
	return t
}

// exceptions builds client.exceptions: one value per modeled error code,
// each matching errors of that code through err:is().
func exceptions(L *lua.LState, codes []string) *lua.LTable {
	t := L.CreateTable(0, len(codes)+1)
	for _, code := range append(codes, "ParamValidationError") {
		e := L.CreateTable(0, 1)
		e.RawSetString("code", lua.LString(code))
		L.SetMetatable(e, L.GetTypeMetatable(exceptionType))
		t.RawSetString(code, e)
	}
	return t
}

const exceptionType = "aws.exception"

func registerExceptions(L *lua.LState) {
	mt := L.NewTypeMetatable(exceptionType)
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(fmt.Sprintf("<exception %s>", lua.LVAsString(L.GetField(L.CheckTable(1), "code")))))
		return 1
	}))
}
