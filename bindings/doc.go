// Package bindings runs Lua scripts against AWS: it puts boto3's model
// (sessions, clients, paginators, waiters, resources, typed errors) into
// gopher-lua as the aws module, on the Go core in package sdk. The awslua
// command and its REPL are built on it, and a Go program embeds it to let
// its users script AWS within limits it sets:
//
//	rt, err := bindings.New(bindings.Options{
//		Session:  sess,                      // nil: the standard AWS chain
//		ReadOnly: true,                      // enforced by the sdk, below Lua
//		Stdout:   w,                         // print and io.write
//		Globals:  map[string]any{"notify": notify},
//	})
//	if err != nil { ... }
//	defer rt.Close()
//	err = rt.DoFile(ctx, "job.lua")          // ctx cancels the script and its request in flight
//	var awsErr *sdk.Error
//	if errors.As(err, &awsErr) { ... }       // the service error that ended it
//
// A Runtime opens only the safe Lua libraries unless Options.Libs says
// otherwise, and belongs to one goroutine at a time, as its *lua.LState
// does.
//
// What reaches Go from a script: a *ScriptError (where, message,
// traceback) that unwraps to the Go error behind it, the *sdk.Error of a
// failed call, an error wrapping sdk.ErrRefused, a context error, or what
// a Go function in Globals returned; an *ExitError when the script called
// os.exit, which ends the script and never the program; and the values of
// Eval, which GoValue turns into plain Go values.
//
// A program with a *lua.LState of its own adds the module with Open,
// compiles chunks with Load (which fixes gopher-lua's generic for; see
// Load), and gets the Go error behind an error of L.DoString or L.PCall
// with Unwrap.
package bindings
