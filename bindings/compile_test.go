package bindings_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/bindings"
)

// genericForChecks are Lua 5.1's rules for the generic for (manual §2.4.5),
// each a chunk that raises when the rule is broken. gopher-lua v1.1.2 broke
// the first five.
var genericForChecks = map[string]string{
	// for o in s3:Bucket("b").objects:all() do, without AWS.
	"an expression that indexes a call's result": `
		local s3 = {Bucket = function(self, name)
			return {objects = {all = function(self)
				local i = 0
				return function() i = i + 1; if i <= 2 then return name .. i end end
			end}}
		end}
		local got = {}
		for o in s3:Bucket("b").objects:all() do got[#got + 1] = o end
		assert(table.concat(got, ",") == "b1,b2", table.concat(got, ","))`,

	"the control variable starts afresh after break": `
		local t = {"a", "b", "c"}
		local firsts = {}
		for round = 1, 3 do
			for i, v in next, t do firsts[#firsts + 1] = i; break end
		end
		assert(table.concat(firsts, ",") == "1,1,1", table.concat(firsts, ","))`,

	"break out of a nested iterator loop, entered again": `
		local function it() local i = 0; return function(_, c) i = i + 1; if i <= 3 then return i end end end
		local n = 0
		for k = 1, 2 do for v in it() do n = n + v; break end end
		assert(n == 2, n)`,

	"one expression that is not a call: state and control are nil": `
		local seen = {}
		for round = 1, 2 do
			local n = 0
			local function f(s, c) n = n + 1; seen[#seen + 1] = tostring(s) .. "/" .. tostring(c); if n < 3 then return n end end
			for x in f do end
		end
		assert(table.concat(seen, ",") == "nil/nil,nil/1,nil/2,nil/nil,nil/1,nil/2", table.concat(seen, ","))`,

	"two expressions: the control starts nil": `
		local got = {}
		for round = 1, 2 do
			for k, v in next, {x = 1} do got[#got + 1] = k .. v end
		end
		assert(table.concat(got, ",") == "x1,x1", table.concat(got, ","))`,

	"three values, evaluated once": `
		local calls = 0
		local function three()
			calls = calls + 1
			return function(s, c) if c < s then return c + 1, c * 10 end end, 3, 0
		end
		local sum, tens = 0, 0
		for i, t in three() do sum = sum + i; tens = tens + t end
		assert(calls == 1 and sum == 6 and tens == 30, calls .. " " .. sum .. " " .. tens)
		local n = 0
		for i in function(s, c) if c < s then return c + 1 end end, 4, 1 do n = n + i end
		assert(n == 2 + 3 + 4, n)`,

	"extra values are dropped, missing names are nil": `
		local n = 0
		for a, b, c, d in ipairs({"x", "y"}) do
			assert(c == nil and d == nil); n = n + a
		end
		assert(n == 3)
		for k in pairs({q = 1}), {}, nil, "ignored" do end`,

	"assigning the loop variable does not steer the loop": `
		local got = {}
		for i, v in ipairs({"a", "b", "c"}) do got[#got + 1] = i; i = 10 end
		assert(table.concat(got, ",") == "1,2,3", table.concat(got, ","))`,

	"closures capture a fresh copy each iteration": `
		local fs = {}
		for i, v in ipairs({"a", "b", "c"}) do fs[#fs + 1] = function() return i .. v end end
		assert(fs[1]() .. fs[2]() .. fs[3]() == "1a2b3c")
		local gs = {}
		for _, v in ipairs({1, 2}) do
			for _, w in ipairs({10, 20}) do gs[#gs + 1] = function() return v + w end end
		end
		assert(gs[1]() == 11 and gs[2]() == 21 and gs[3]() == 12 and gs[4]() == 22)`,

	"nested loops over the same table, with break and return": `
		local t = {1, 2, 3}
		local pairs_ = 0
		for _, a in ipairs(t) do
			for _, b in ipairs(t) do
				if b > a then break end
				pairs_ = pairs_ + 1
			end
		end
		assert(pairs_ == 6, pairs_)
		local function find(x)
			for i, v in ipairs(t) do for j, w in ipairs(t) do if v * w == x then return i, j end end end
		end
		local i, j = find(6)
		assert(i == 2 and j == 3, tostring(i) .. tostring(j))`,

	"loop variables are local to the loop, and locals in the body too": `
		local v = "outer"
		for _, v in ipairs({"inner"}) do local w = v end
		assert(v == "outer" and w == nil)`,

	"an iterator that errors names the for's line": `
		local ok, err = pcall(function()
			for x in nil do end
		end)
		assert(not ok and tostring(err):find(":3:"), tostring(err))`,

	"coroutine.wrap as the iterator": `
		local got = {}
		for v in coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) do got[#got + 1] = v end
		assert(#got == 3)`,

	"a loop in a function in a table constructor": `
		local t = {f = function(xs) local n = 0; for _, x in ipairs(xs) do n = n + x end return n end}
		assert(t.f({1, 2, 3}) == 6)`,
}

// TestGenericFor runs each rule through every way a chunk is compiled:
// DoString, DoFile, loadstring, load, dofile, require, the REPL's Eval,
// and Load in a state opened with Open.
func TestGenericFor(t *testing.T) {
	for name, check := range genericForChecks {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join(t.TempDir(), "check.lua")
			if err := os.WriteFile(file, []byte(check), 0o600); err != nil {
				t.Fatal(err)
			}
			modDir := t.TempDir()
			if err := os.WriteFile(filepath.Join(modDir, "checkmod.lua"), []byte(check+"\nreturn 'loaded'"), 0o600); err != nil {
				t.Fatal(err)
			}
			quoted := fmt.Sprintf("%q", check)
			forms := map[string]func(rt *bindings.Runtime) error{
				"DoString": func(rt *bindings.Runtime) error {
					return rt.DoString(context.Background(), check, "check.lua")
				},
				"DoFile": func(rt *bindings.Runtime) error {
					return rt.DoFile(context.Background(), file)
				},
				"loadstring": func(rt *bindings.Runtime) error {
					return rt.DoString(context.Background(), "assert(loadstring("+quoted+"))()", "outer.lua")
				},
				"load": func(rt *bindings.Runtime) error {
					return rt.DoString(context.Background(), "local s = "+quoted+"; assert(load(function() local r = s; s = nil; return r end))()", "outer.lua")
				},
				"dofile": func(rt *bindings.Runtime) error {
					return rt.DoString(context.Background(), fmt.Sprintf("dofile(%q)", file), "outer.lua")
				},
				"require": func(rt *bindings.Runtime) error {
					return rt.DoString(context.Background(), fmt.Sprintf("package.path = %q; assert(require('checkmod') == 'loaded')", filepath.Join(modDir, "?.lua")), "outer.lua")
				},
				"Eval": func(rt *bindings.Runtime) error {
					_, err := rt.Eval(context.Background(), check)
					return err
				},
			}
			for form, run := range forms {
				rt, err := bindings.New(bindings.Options{Libs: bindings.AllLibs})
				if err != nil {
					t.Fatal(err)
				}
				if err := runProtected(func() error { return run(rt) }); err != nil {
					t.Errorf("%s: %v", form, err)
				}
				rt.Close()
			}

			L := lua.NewState()
			defer L.Close()
			bindings.Open(L, nil)
			fn, err := bindings.Load(L, strings.NewReader(check), "check.lua")
			if err != nil {
				t.Fatal(err)
			}
			L.Push(fn)
			if err := runProtected(func() error { return L.PCall(0, 0, nil) }); err != nil {
				t.Errorf("Open and Load: %v", err)
			}
		})
	}
}

// runProtected turns a Go panic (the VM's index out of range) into an
// error, so that one broken rule does not end the whole test binary.
func runProtected(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("Go panic: %v", r)
		}
	}()
	return f()
}

// TestGenericForPanic is the chunk that panicked the Go runtime (index
// out of range [14] with length 13) in the command line's runtime.
func TestGenericForPanic(t *testing.T) {
	rt, err := bindings.New(bindings.Options{Libs: bindings.AllLibs})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = runProtected(func() error {
		return rt.DoString(ctx, `local function it() local i = 0; return function(_, c) i = i + 1; if i <= 3 then return i end end end; for k = 1, 2 do for v in it() do break end end`, "panic.lua")
	})
	if err != nil {
		t.Fatal(err)
	}
}
