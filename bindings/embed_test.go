package bindings_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/sdk"
)

// TestErrorsUnwrap: the error a script ends with unwraps, in Go, to the
// error that caused it, through a Runtime and through Open and a plain
// L.DoString, also after the script caught it and raised it again.
func TestErrorsUnwrap(t *testing.T) {
	sess, stop := localSession()
	defer stop()
	ctx := context.Background()

	wantSDK := func(t *testing.T, err error, code string) {
		t.Helper()
		var se *sdk.Error
		if !errors.As(err, &se) || se.Code != code {
			t.Fatalf("errors.As(%v) to *sdk.Error: %v, want code %s", err, se, code)
		}
	}

	t.Run("a service error through DoString", func(t *testing.T) {
		rt, _ := bindings.New(bindings.Options{Session: sess})
		defer rt.Close()
		err := rt.DoString(ctx, `aws.client("s3"):list_objects_v2{Bucket = "missing"}`, "job.lua")
		wantSDK(t, err, "NoSuchBucket")
		var script *bindings.ScriptError
		if !errors.As(err, &script) || script.Where != "job.lua:1:" {
			t.Errorf("not a *ScriptError at job.lua:1: %#v", err)
		}
	})
	t.Run("caught and raised again", func(t *testing.T) {
		rt, _ := bindings.New(bindings.Options{Session: sess})
		defer rt.Close()
		err := rt.DoString(ctx, `
			local ok, err = pcall(function() aws.client("s3"):head_bucket{Bucket = "missing"} end)
			assert(not ok)
			error(err)`, "job.lua")
		wantSDK(t, err, "404") // boto3's code for a HEAD without a body
	})
	t.Run("a refused call through DoString", func(t *testing.T) {
		rt, _ := bindings.New(bindings.Options{Session: sess, ReadOnly: true})
		defer rt.Close()
		err := rt.DoString(ctx, `aws.client("s3"):create_bucket{Bucket = "b"}`, "job.lua")
		if !errors.Is(err, sdk.ErrRefused) {
			t.Fatalf("errors.Is(%v, sdk.ErrRefused) is false", err)
		}
	})
	t.Run("a script's own error has no Go cause", func(t *testing.T) {
		rt, _ := bindings.New(bindings.Options{Session: sess})
		defer rt.Close()
		err := rt.DoString(ctx, `error({code = "mine"})`, "job.lua")
		if err == nil || bindings.Unwrap(err) != nil {
			t.Fatalf("err %v unwraps to %v", err, bindings.Unwrap(err))
		}
	})
	t.Run("Open and L.DoString", func(t *testing.T) {
		L := lua.NewState()
		defer L.Close()
		bindings.Open(L, sess)
		err := L.DoString(`aws.client("s3"):list_objects_v2{Bucket = "missing"}`)
		wantSDK(t, bindings.Unwrap(err), "NoSuchBucket")
		err = L.DoString(`local ok, e = pcall(aws.client("s3").get_object, aws.client("s3"), {Bucket = "missing", Key = "k"}); error(e)`)
		wantSDK(t, bindings.Unwrap(err), "NoSuchBucket")
	})
	t.Run("a request in flight when the context ends", func(t *testing.T) {
		// An endpoint that accepts connections and never answers.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
			}
		}()
		silent := sdk.FromConfig(aws.Config{Region: "us-east-1", RetryMaxAttempts: 1,
			BaseEndpoint: aws.String("http://" + ln.Addr().String())})
		rt, _ := bindings.New(bindings.Options{Session: silent})
		defer rt.Close()
		ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		err = rt.DoString(ctx, `aws.client("s3"):list_buckets{}`, "job.lua")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("errors.Is(%v, context.DeadlineExceeded) is false", err)
		}

		L := lua.NewState()
		defer L.Close()
		bindings.Open(L, silent)
		ctx2, cancel2 := context.WithCancel(context.Background())
		L.SetContext(ctx2)
		time.AfterFunc(200*time.Millisecond, cancel2)
		err = L.DoString(`aws.client("s3"):list_buckets{}`)
		if !errors.Is(bindings.Unwrap(err), context.Canceled) {
			t.Fatalf("errors.Is(Unwrap(%v), context.Canceled) is false", err)
		}

		// Ended between instructions, by gopher-lua itself.
		ctx3, cancel3 := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel3()
		L.SetContext(ctx3)
		err = L.DoString(`while true do end`)
		if !errors.Is(bindings.Unwrap(err), context.DeadlineExceeded) {
			t.Fatalf("errors.Is(Unwrap(%v), context.DeadlineExceeded) is false", err)
		}
	})
}

var errNotFound = errors.New("not found")

type directory struct{ names map[string]int }

func (d *directory) Lookup(name string) (int, error) {
	if n, ok := d.names[name]; ok {
		return n, nil
	}
	return 0, fmt.Errorf("looking up %q: %w", name, errNotFound)
}

func (d *directory) Child() *directory { return &directory{names: map[string]int{"leaf": 7}} }

// TestGoFunctionErrors: a Go function or method handed to a script that
// returns a non-nil error raises it, catchably, with the error's message;
// uncaught, it ends the script with an error that unwraps to it.
func TestGoFunctionErrors(t *testing.T) {
	rt, err := bindings.New(bindings.Options{Globals: map[string]any{
		"fetch": func(key string) (string, error) {
			if key == "good" {
				return "value", nil
			}
			return "", fmt.Errorf("fetching %s: %w", key, errNotFound)
		},
		"dir": &directory{names: map[string]int{"a": 1}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := context.Background()
	err = rt.DoString(ctx, `
		local v, e = fetch("good")
		assert(v == "value" and e == nil, tostring(v) .. tostring(e))
		assert(select("#", fetch("good")) == 1, "the nil error came back too")
		local ok, err = pcall(fetch, "bad")
		assert(not ok, "fetch did not raise")
		assert(tostring(err) == "fetching bad: not found", tostring(err))
		assert(err.message == "fetching bad: not found", tostring(err.message))
		assert(dir:lookup("a") == 1 and dir:Lookup("a") == 1)
		ok, err = pcall(dir.lookup, dir, "b")
		assert(not ok and tostring(err) == 'looking up "b": not found', tostring(err))
		local child = dir:child()
		assert(child:lookup("leaf") == 7)
		ok, err = pcall(function() return child:lookup("x") end)
		assert(not ok and tostring(err):find("not found"), tostring(err))`, "go.lua")
	if err != nil {
		t.Fatal(err)
	}
	err = rt.DoString(ctx, `fetch("uncaught")`, "go.lua")
	if !errors.Is(err, errNotFound) || !strings.Contains(err.Error(), "fetching uncaught: not found") {
		t.Fatalf("err %v: not the Go function's", err)
	}
}

// TestEmbeddedOutput: print, io.write and io.stdout go to Options.Stdout.
func TestEmbeddedOutput(t *testing.T) {
	var out bytes.Buffer
	rt, err := bindings.New(bindings.Options{Stdout: &out, Libs: bindings.AllLibs})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	err = rt.DoString(context.Background(), `
		print("a", 1)
		io.write("b", 2, "\n")
		io.stdout:write("c"):write("d\n")
		io.output():write("e\n")`, "out.lua")
	if err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "a\t1\nb2\ncd\ne\n" {
		t.Errorf("Stdout got %q", got)
	}
}

// TestEmbeddedExit: os.exit ends the script, not the program, with an
// ExitError, even under pcall.
func TestEmbeddedExit(t *testing.T) {
	rt, err := bindings.New(bindings.Options{Libs: bindings.AllLibs})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := context.Background()
	for src, code := range map[string]int{
		"os.exit(3)": 3, "os.exit()": 0, "os.exit(true)": 0, "os.exit(false)": 1,
		"pcall(os.exit, 4); after = true":                     4,
		"for i = 1, 3 do pcall(os.exit, 5) end; after = true": 5,
	} {
		err := rt.DoString(ctx, src, "exit.lua")
		var exit *bindings.ExitError
		if !errors.As(err, &exit) || exit.Code != code {
			t.Errorf("%s: err %v, want ExitError{%d}", src, err, code)
		}
		if rt.L.GetGlobal("after") != lua.LNil {
			t.Errorf("%s: the script went on after os.exit", src)
		}
	}
	// The runtime runs the next script as usual.
	if err := rt.DoString(ctx, "x = 1", "next.lua"); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Eval(ctx, "os.exit(9)"); !errors.As(err, new(*bindings.ExitError)) {
		t.Errorf("Eval: %v", err)
	}
}
