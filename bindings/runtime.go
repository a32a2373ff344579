package bindings

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
)

// Libs selects the Lua standard libraries a runtime opens.
type Libs uint

// The libraries. SafeLibs leaves out everything that reaches the machine:
// files, processes, the environment and the debug library.
const (
	LibBase Libs = 1 << iota // without dofile and loadfile unless LibIO is open too
	LibTable
	LibString
	LibMath
	LibCoroutine
	LibPackage // require of Lua files on package.path
	LibOS
	LibIO
	LibDebug

	SafeLibs = LibBase | LibTable | LibString | LibMath | LibCoroutine
	AllLibs  = SafeLibs | LibPackage | LibOS | LibIO | LibDebug
)

// Options configure a Runtime. The zero value runs scripts with the safe
// libraries against the standard AWS chain, printing to os.Stdout.
type Options struct {
	// Session is the default session; nil loads one from the standard chain
	// when a script first needs it.
	Session *sdk.Session
	// SessionOptions apply to every session a script makes with
	// aws.Session{...}, before the script's own.
	SessionOptions []sdk.Option
	// ReadOnly refuses every operation that can change anything, in every
	// session the script uses. The sdk enforces it, below Lua.
	ReadOnly bool
	// Services, when not empty, are the only services scripts may use.
	Services []string
	// Operations, when not empty, are the only operations scripts may
	// call, as "service:Operation" ("s3:ListObjectsV2"); paginators,
	// waiters, resources and presigned URLs go through them too.
	Operations []string
	// Libs are the standard libraries to open; zero means SafeLibs.
	Libs Libs
	// Stdout receives print, io.write and io.stdout; nil means os.Stdout.
	Stdout io.Writer
	// Globals are Go values handed to scripts, through gopher-luar. A Go
	// function or method whose last result is an error returns the results
	// before it to Lua, and raises the error when it is not nil, with the
	// error's message; pcall catches it, and a script that does not ends
	// with a ScriptError that unwraps to it.
	Globals map[string]any
	// TransferMeter, when set, makes a Meter for each S3 transfer, such as
	// a progress bar.
	TransferMeter func(label string) Meter
}

// A Runtime runs Lua scripts with the aws module. Like the *lua.LState it
// wraps, it belongs to one goroutine at a time: make one per goroutine.
type Runtime struct {
	L *lua.LState
	// exit is set by os.exit, and stop ends the script it runs in.
	exit *ExitError
	stop context.CancelFunc
	// requests counts the requests of the sessions the runtime made.
	requests atomic.Int64
}

// Requests returns how many requests the sessions the runtime made have
// sent, retries included; Options.Session's are not counted.
func (r *Runtime) Requests() int64 { return r.requests.Load() }

// New makes a runtime.
func New(opts Options) (*Runtime, error) {
	if opts.Libs == 0 {
		opts.Libs = SafeLibs
	}
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	openLibs(L, opts.Libs)
	out := opts.Stdout
	if out == nil {
		out = os.Stdout
	}
	L.SetGlobal("print", L.NewFunction(func(L *lua.LState) int {
		var b bytes.Buffer
		for i := 1; i <= L.GetTop(); i++ {
			if i > 1 {
				b.WriteByte('\t')
			}
			b.WriteString(tostring(L, L.Get(i)))
		}
		b.WriteByte('\n')
		out.Write(b.Bytes())
		return 0
	}))
	restrict := func(s *sdk.Session) *sdk.Session {
		if opts.ReadOnly {
			s = s.ReadOnly()
		}
		if len(opts.Services) > 0 {
			s = s.AllowServices(opts.Services...)
		}
		if len(opts.Operations) > 0 {
			s = s.AllowOperations(opts.Operations...)
		}
		return s
	}
	r := &Runtime{L: L}
	sessionOptions := append(slices.Clip(opts.SessionOptions), sdk.WithRequestCounter(&r.requests))
	open(L, &module{base: opts.Session, sessionOptions: sessionOptions, restrict: restrict, noFiles: opts.Libs&LibIO == 0, meter: opts.TransferMeter})
	bridge := newGoBridge() // embed.go
	for name, v := range opts.Globals {
		L.SetGlobal(name, bridge.value(L, v))
	}
	if opts.Stdout != nil && opts.Stdout != io.Writer(os.Stdout) && opts.Libs&LibIO != 0 {
		redirectOutput(L, out)
	}
	if osmod, ok := L.GetGlobal("os").(*lua.LTable); ok {
		// gopher-lua's os.exit ends the process, the embedding program's,
		// from under it. This one ends the script: an error that a pcall
		// may catch, and a cancelled context that then stops the script at
		// its next instruction all the same.
		osmod.RawSetString("exit", L.NewFunction(func(L *lua.LState) int {
			code := 0
			switch v := L.Get(1).(type) {
			case lua.LBool:
				if !v {
					code = 1
				}
			case *lua.LNilType:
			default:
				code = L.CheckInt(1)
			}
			r.exit = &ExitError{Code: code}
			if r.stop != nil {
				r.stop()
			}
			raise(L, r.exit)
			return 0
		}))
	}
	return r, nil
}

// start runs before a chunk: it makes the context os.exit cancels, and
// returns the function that ends it.
func (r *Runtime) start(ctx context.Context) (context.Context, func()) {
	ctx, stop := context.WithCancel(ctx)
	r.exit, r.stop = nil, stop
	return ctx, func() {
		stop()
		r.stop = nil
	}
}

// exited returns the ExitError of a script that called os.exit, once.
func (r *Runtime) exited() error {
	if e := r.exit; e != nil {
		r.exit = nil
		return e
	}
	return nil
}

func openLibs(L *lua.LState, libs Libs) {
	for _, lib := range []struct {
		bit  Libs
		name string
		fn   lua.LGFunction
	}{
		{LibPackage, lua.LoadLibName, lua.OpenPackage},
		{LibBase, lua.BaseLibName, lua.OpenBase},
		{LibTable, lua.TabLibName, lua.OpenTable},
		{LibString, lua.StringLibName, lua.OpenString},
		{LibMath, lua.MathLibName, lua.OpenMath},
		{LibCoroutine, lua.CoroutineLibName, lua.OpenCoroutine},
		{LibOS, lua.OsLibName, lua.OpenOs},
		{LibIO, lua.IoLibName, lua.OpenIo},
		{LibDebug, lua.DebugLibName, lua.OpenDebug},
	} {
		if libs&lib.bit != 0 {
			L.Push(L.NewFunction(lib.fn))
			L.Push(lua.LString(lib.name))
			L.Call(1, 0)
		}
	}
	if libs&LibIO == 0 {
		// Without io, scripts get no file access through base either.
		L.SetGlobal("dofile", lua.LNil)
		L.SetGlobal("loadfile", lua.LNil)
	}
	if libs&LibPackage == 0 {
		// require still serves the modules the runtime provides.
		loaded := L.NewTable()
		L.SetGlobal("package", L.SetFuncs(L.NewTable(), nil))
		L.SetField(L.GetGlobal("package"), "loaded", loaded)
		L.SetGlobal("require", L.NewFunction(func(L *lua.LState) int {
			name := L.CheckString(1)
			if mod := loaded.RawGetString(name); mod != lua.LNil {
				L.Push(mod)
				return 1
			}
			L.RaiseError("module %q not found: this runtime does not load modules from files", name)
			return 0
		}))
	}
}

// Close releases the runtime.
func (r *Runtime) Close() { r.L.Close() }

// ScriptError is a Lua error that ended a script: where it happened, what
// it said, and the Lua traceback.
type ScriptError struct {
	Where     string // "job.lua:12:"; may be empty
	Message   string
	Traceback string
	// Value is the Lua error value, such as an AWS error table.
	Value lua.LValue
	// Err is the Go error behind it: the *sdk.Error of a call that failed,
	// an error wrapping sdk.ErrRefused, context.Canceled or
	// context.DeadlineExceeded, or what a Go function returned; nil when
	// the script raised the error itself. errors.As and errors.Is see it
	// through the ScriptError.
	Err error
}

func (e *ScriptError) Error() string {
	if e.Where != "" && !strings.HasPrefix(e.Message, e.Where) {
		return e.Where + " " + e.Message
	}
	return e.Message
}

func (e *ScriptError) Unwrap() error { return e.Err }

// DoReader runs a whole script read from rd, named name in errors, as
// DoFile runs a file: a first line that starts with # is skipped.
func (r *Runtime) DoReader(ctx context.Context, rd io.Reader, name string, args ...string) error {
	src, err := io.ReadAll(rd)
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	return r.run(ctx, skipShebang(src), name, name, args)
}

// DoFile runs a Lua file with args as its arg table and its "...". A first
// line that starts with # (a shebang) is skipped, and require looks for
// modules next to the script first. ctx cancels the script and the
// request it has in flight.
func (r *Runtime) DoFile(ctx context.Context, path string, args ...string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	src = skipShebang(src)
	if pkg, ok := r.L.GetGlobal("package").(*lua.LTable); ok {
		if p, ok := r.L.GetField(pkg, "path").(lua.LString); ok {
			dir := filepath.Dir(path)
			r.L.SetField(pkg, "path", lua.LString(filepath.Join(dir, "?.lua")+";"+filepath.Join(dir, "?", "init.lua")+";"+string(p)))
		}
	}
	return r.run(ctx, src, path, path, args)
}

// DoString runs a chunk of Lua; name is how errors refer to it.
func (r *Runtime) DoString(ctx context.Context, src, name string, args ...string) error {
	return r.run(ctx, []byte(src), name, name, args)
}

func (r *Runtime) run(ctx context.Context, src []byte, chunk, script string, args []string) error {
	L := r.L
	fn, err := Load(L, bytes.NewReader(src), chunk)
	if err != nil {
		return &ScriptError{Message: err.Error(), Err: err}
	}
	argt := L.NewTable()
	argt.RawSetInt(0, lua.LString(script))
	for i, a := range args {
		argt.RawSetInt(i+1, lua.LString(a))
	}
	L.SetGlobal("arg", argt)

	ctx, done := r.start(ctx)
	defer done()
	L.SetContext(ctx)
	defer L.RemoveContext()
	L.Push(fn)
	for _, a := range args {
		L.Push(lua.LString(a))
	}
	err = L.PCall(len(args), lua.MultRet, nil)
	if exit := r.exited(); exit != nil {
		L.SetTop(0)
		return exit
	}
	if err != nil {
		return scriptError(L, ctx, err)
	}
	L.SetTop(0)
	return nil
}

func scriptError(L *lua.LState, ctx context.Context, err error) error {
	se := &ScriptError{Message: err.Error(), Err: err}
	var api *lua.ApiError
	if errors.As(err, &api) {
		se.Value = api.Object
		se.Traceback = api.StackTrace
		se.Message = tostring(L, api.Object)
		se.Err = api.Cause
		if cause := goError(api.Object); cause != nil {
			se.Err = cause
		}
		if t, ok := api.Object.(*lua.LTable); ok {
			se.Where = str(t.RawGetString("where"))
		}
	}
	if ctx.Err() != nil {
		if !errors.Is(se.Err, ctx.Err()) {
			se.Err = ctx.Err()
		}
		if !strings.Contains(se.Message, ctx.Err().Error()) {
			se.Message = fmt.Sprintf("%s (%v)", se.Message, ctx.Err())
		}
	}
	return se
}
