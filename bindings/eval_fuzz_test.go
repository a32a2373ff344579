package bindings

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// FuzzInput: the REPL's reading of any input (unfinished, a syntax error
// with or without a hint, or code to run) never panics.
func FuzzInput(f *testing.F) {
	for _, seed := range []string{"x = 1; x", "s3:list_buckets", "for i = 1, 2 do", "t = {", `"a`, "--[[", "a.b:c", "local function f() return ... end"} {
		f.Add(seed)
	}
	L := lua.NewState()
	defer L.Close()
	f.Fuzz(func(t *testing.T, src string) {
		Incomplete(src)
		_, _ = compileInput(L, src) // only a panic fails
	})
}
