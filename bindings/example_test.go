package bindings_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/local"
	"github.com/awslua/awslua/sdk"
)

// localSession returns a session on an in-memory S3, so that the examples
// run anywhere.
func localSession() (*sdk.Session, func()) {
	s3 := local.StartS3()
	sess, err := sdk.NewSession(context.Background(),
		sdk.WithRegion("us-east-1"),
		sdk.WithCredentials("example", "example-secret", ""),
		sdk.WithEndpointURL(s3.URL()))
	if err != nil {
		panic(err)
	}
	return sess, s3.Close
}

func ExampleRuntime_DoString() {
	sess, stop := localSession()
	defer stop()

	rt, err := bindings.New(bindings.Options{Session: sess})
	if err != nil {
		panic(err)
	}
	defer rt.Close()
	err = rt.DoString(context.Background(), `
		local s3 = aws.client("s3")
		s3:create_bucket{Bucket = "reports"}
		s3:put_object{Bucket = "reports", Key = "2026/11.csv", Body = "a,b\n1,2\n"}
		for page in s3:get_paginator("list_objects_v2"):paginate{Bucket = "reports"} do
			for _, o in ipairs(page.Contents) do print(o.Key, o.Size) end
		end
	`, "job.lua")
	if err != nil {
		fmt.Println(err)
	}
	// Output: 2026/11.csv	8
}

// A read-only runtime refuses writes in the Go core, whatever session the
// script uses, and the script sees an error value it can inspect.
func ExampleOptions_readOnly() {
	sess, stop := localSession()
	defer stop()

	rt, _ := bindings.New(bindings.Options{Session: sess, ReadOnly: true})
	defer rt.Close()
	rt.DoString(context.Background(), `
		local ok, err = pcall(function() aws.client("s3"):create_bucket{Bucket = "b"} end)
		print(ok, err.code)
		print(#aws.client("s3"):list_buckets{}.Buckets)
	`, "audit.lua")
	// Output:
	// false	Refused
	// 0
}

// An error that a script does not catch ends it with the file, the line
// and boto3's message.
func ExampleScriptError() {
	sess, stop := localSession()
	defer stop()

	rt, _ := bindings.New(bindings.Options{Session: sess})
	defer rt.Close()
	err := rt.DoString(context.Background(), "local s3 = aws.client('s3')\ns3:list_objects_v2{Bucket = 'missing'}", "job.lua")
	fmt.Println(err)
	// Output: job.lua:2: An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist
}

// Open adds the aws module to a state the program made itself.
func ExampleOpen() {
	sess, stop := localSession()
	defer stop()

	L := lua.NewState()
	defer L.Close()
	bindings.Open(L, sess)
	if err := L.DoString(`print(aws.client("s3").meta.service_name)`); err != nil {
		fmt.Println(err)
	}
	// Output: s3
}

// The Go error behind a script's error comes back through errors.As,
// here the *sdk.Error of the call that failed.
func ExampleScriptError_unwrap() {
	sess, stop := localSession()
	defer stop()

	rt, _ := bindings.New(bindings.Options{Session: sess})
	defer rt.Close()
	err := rt.DoString(context.Background(), `aws.client("s3"):get_object{Bucket = "missing", Key = "k"}`, "job.lua")
	var awsErr *sdk.Error
	if errors.As(err, &awsErr) {
		fmt.Println(awsErr.Code, awsErr.Operation, awsErr.StatusCode)
	}
	// Output: NoSuchBucket GetObject 404
}

// With Open and a plain L.DoString, gopher-lua returns the script's error
// value in a *lua.ApiError; Unwrap gets the Go error behind it.
func ExampleUnwrap() {
	sess, stop := localSession()
	defer stop()

	L := lua.NewState()
	defer L.Close()
	bindings.Open(L, sess)
	err := L.DoString(`aws.client("s3"):list_objects_v2{Bucket = "missing"}`)
	var awsErr *sdk.Error
	fmt.Println(errors.As(bindings.Unwrap(err), &awsErr), awsErr.Code)
	// Output: true NoSuchBucket
}

// Load compiles a chunk for a state of the program's own, as a Runtime
// compiles every chunk.
func ExampleLoad() {
	L := lua.NewState()
	defer L.Close()
	fn, err := bindings.Load(L, strings.NewReader(`
		local shelf = {Box = function(self, name)
			return {items = {all = function() return ipairs({name .. "/a", name .. "/b"}) end}}
		end}
		for _, item in shelf:Box("x").items:all() do print(item) end
	`), "shelf.lua")
	if err != nil {
		panic(err)
	}
	L.Push(fn)
	if err := L.PCall(0, 0, nil); err != nil {
		fmt.Println(err)
	}
	// Output:
	// x/a
	// x/b
}

// A Go function handed to a script raises the error it returns; the
// script can catch it with pcall, and an uncaught one unwraps to it.
func ExampleOptions_globals() {
	errMissing := errors.New("no such user")
	rt, _ := bindings.New(bindings.Options{Globals: map[string]any{
		"lookup": func(name string) (int, error) {
			if name == "ada" {
				return 1815, nil
			}
			return 0, fmt.Errorf("looking up %s: %w", name, errMissing)
		},
	}})
	defer rt.Close()
	err := rt.DoString(context.Background(), `
		print(lookup("ada"))
		print(pcall(lookup, "bob"))
		lookup("eve")`, "users.lua")
	fmt.Println(errors.Is(err, errMissing))
	// Output:
	// 1815
	// false	looking up bob: no such user
	// true
}

// os.exit ends the script, not the program.
func ExampleExitError() {
	rt, _ := bindings.New(bindings.Options{Libs: bindings.AllLibs})
	defer rt.Close()
	err := rt.DoString(context.Background(), `print("cleaning up"); os.exit(3); print("not reached")`, "job.lua")
	var exit *bindings.ExitError
	if errors.As(err, &exit) {
		fmt.Println("exit status", exit.Code)
	}
	// Output:
	// cleaning up
	// exit status 3
}

// GoValue turns what a script returns into plain Go values.
func ExampleGoValue() {
	rt, _ := bindings.New(bindings.Options{})
	defer rt.Close()
	values, err := rt.Eval(context.Background(), `{name = "report", sizes = {10, 20}, done = true, note = aws.json.null}`)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%v\n", bindings.GoValue(values[0]))
	// Output: map[done:true name:report note:<nil> sizes:[10 20]]
}

// Through Options.Stdout go print, io.write and io.stdout.
func ExampleOptions_stdout() {
	var out strings.Builder
	rt, _ := bindings.New(bindings.Options{Stdout: &out, Libs: bindings.AllLibs})
	defer rt.Close()
	rt.DoString(context.Background(), `print("one"); io.write("two", "\n"); io.stdout:write("three\n")`, "out.lua")
	fmt.Print(out.String())
	// Output:
	// one
	// two
	// three
}
