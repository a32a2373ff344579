package bindings_test

import (
	"context"
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/local"
	"github.com/awslua/awslua/sdk"
	_ "github.com/awslua/awslua/sdk/services/s3"
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
