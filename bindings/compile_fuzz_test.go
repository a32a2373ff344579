package bindings_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/awslua/awslua/bindings"
)

// forPrelude gives the generated loops things to iterate over: a list, a
// map, a stateful closure, a stateless iterator with its state and control,
// and an object whose method's result is indexed (the shape of
// s3:Bucket("b").objects:all()).
const forPrelude = `
local T = {10, 20, 30}
local M = {a = 1, b = 2}
local function it(n) local i = 0; return function() i = i + 1; if i <= n then return i, i * 2 end end end
local function step(s, c) c = c or 0; if c < s then return c + 1, c end end
local obj = {get = function(self, name) return {items = {all = function(self) return it(2) end}} end}
local fs, cnt = {}, 0
`

// genLoops turns fuzz input into a chunk of nested loops: every byte picks
// the next construct. Every chunk it makes is valid Lua whose loops end,
// so any error (not only a panic) is a miscompilation.
func genLoops(data []byte) string {
	var b strings.Builder
	b.WriteString(forPrelude)
	pos, vars := 0, 0
	next := func() int {
		if pos >= len(data) {
			return -1
		}
		pos++
		return int(data[pos-1])
	}
	var block func(depth int, inLoop bool, live []string)
	block = func(depth int, inLoop bool, live []string) {
		for n := 0; n < 4; n++ {
			c := next()
			if c < 0 {
				return
			}
			if depth >= 4 && c%12 < 8 {
				c = 8 + c%4 // deep enough: no more loops
			}
			a, z := fmt.Sprintf("v%d", vars), fmt.Sprintf("w%d", vars)
			vars++
			loop := func(head string, names ...string) {
				b.WriteString(head + " do cnt = cnt + 1\n")
				block(depth+1, true, append(live[:len(live):len(live)], names...))
				b.WriteString("end\n")
			}
			switch c % 12 {
			case 0:
				loop(fmt.Sprintf("for %s, %s in ipairs(T)", a, z), a, z)
			case 1:
				loop(fmt.Sprintf("for %s in pairs(M)", a), a)
			case 2:
				loop(fmt.Sprintf("for %s, %s in it(%d)", a, z, c/12%4), a, z)
			case 3:
				loop(fmt.Sprintf("for %s in step, %d, 0", a, c/12%5), a)
			case 4:
				loop(fmt.Sprintf("for %s, %s, x%d in step, 3", a, z, vars), a, z)
			case 5:
				loop(fmt.Sprintf("for %s in obj:get(\"b\").items:all()", a), a)
			case 6:
				loop(fmt.Sprintf("for %s = 1, %d", a, c/12%3+1), a)
			case 7:
				loop(fmt.Sprintf("for %s in next, M, nil", a), a)
			case 8:
				if inLoop {
					b.WriteString("if cnt % 3 == 0 then break end\n")
				}
			case 9:
				if inLoop && n == 3 {
					b.WriteString("break\n")
					return // nothing may follow a break in its block
				}
			case 10:
				if len(live) > 0 {
					v := live[c/12%len(live)]
					fmt.Fprintf(&b, "do local captured = %s; fs[#fs + 1] = function() return %s, captured end end\n", v, v)
				}
			case 11:
				if len(live) > 0 {
					v := live[c/12%len(live)]
					fmt.Fprintf(&b, "%s = nil\n", v) // must not steer the loop
				}
			}
		}
	}
	block(0, false, nil)
	b.WriteString("for _, f in ipairs(fs) do f() end\nreturn cnt\n")
	return b.String()
}

// FuzzCompile runs generated generic-for chunks, nested, broken out of and
// entered again, with closures over their variables: none may panic the
// process or fail, and each has a second and a limit to end in.
func FuzzCompile(f *testing.F) {
	for _, seed := range []string{"\x00", "\x05\x00\x09", "\x02\x00\x08\x0b", "\x00\x00\x00\x00\x0a",
		"\x07\x03\x04\x09\x05\x06\x0a\x0b", "\x06\x02\x08\x00\x09"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64 {
			data = data[:64]
		}
		src := genLoops(data)
		rt, err := bindings.New(bindings.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer rt.Close()
		// The context is gopher-lua's instruction limit: it checks it
		// between instructions.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		err = runProtected(func() error { return rt.DoString(ctx, src, "fuzz.lua") })
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%v\n--- chunk:\n%s", err, src)
		}
	})
}
