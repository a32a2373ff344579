package bindings_test

import (
	"context"
	"errors"
	"testing"

	"github.com/awslua/awslua/bindings"
)

func TestEvalIncompleteOrError(t *testing.T) {
	rt, err := bindings.New(bindings.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := context.Background()
	// Unfinished: an open block, bracket, string or long comment.
	for _, src := range []string{"function f()", "for i = 1, 2 do", "while true", "if x then", "repeat", "do",
		"t = {", "f(1,", "x = (1 +", "t[", `s = "abc`, "s = [[a", "--[[ a", "f(function()\nreturn 1"} {
		if _, err := rt.Eval(ctx, src); !errors.Is(err, bindings.ErrIncomplete) {
			t.Errorf("%q: %v, want ErrIncomplete", src, err)
		}
	}
	// Wrong whatever follows: an error now, with a hint when one is likely.
	for _, c := range []struct{ src, msg, hint string }{
		{"s3:list_buckets", "syntax error at the end of the input", "s3:list_buckets()"},
		{"x = 1; x", "syntax error at the end of the input", "x = 1; return x"},
		{"x = = 1", "syntax error near '=' (line 1, column 5)", ""},
		{"end", "syntax error near 'end' (line 1, column 3)", ""},
		{"t = {}}", "syntax error near '}' (line 1, column 7)", ""},
		{"x =", "syntax error at the end of the input", ""},
		{"function f() end end", "syntax error near 'end' (line 1, column 20)", ""},
	} {
		_, err := rt.Eval(ctx, c.src)
		var se *bindings.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: %v, want a SyntaxError", c.src, err)
			continue
		}
		if se.Message != c.msg || se.Hint != c.hint {
			t.Errorf("%q: %q with hint %q, want %q with %q", c.src, se.Message, se.Hint, c.msg, c.hint)
		}
	}
}

func TestEvalLocalsLast(t *testing.T) {
	rt, err := bindings.New(bindings.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := context.Background()
	for _, src := range []string{"local a, b = 1", "local c", "local function sq(x) return x * x end",
		"local function fact(n) if n < 2 then return 1 end return n * fact(n - 1) end",
		"do local hidden = 1 end"} {
		if _, err := rt.Eval(ctx, src); err != nil {
			t.Fatalf("%q: %v", src, err)
		}
	}
	values, err := rt.Eval(ctx, "a, b, c, sq(3), fact(5), hidden")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1", "nil", "nil", "9", "120", "nil"}
	for i, v := range values {
		if v.String() != want[i] {
			t.Errorf("value %d is %s, want %s", i+1, v, want[i])
		}
	}
}
