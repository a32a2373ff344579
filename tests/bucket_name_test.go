package tests

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/sdk"
)

// TestBucketNameValidation: an S3 request whose Bucket is neither a bucket
// name nor an access point ARN is refused before anything is sent, by every
// route to a request, as boto3's validate_bucket_name handler refuses it.
func TestBucketNameValidation(t *testing.T) {
	url, requests := luaFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
	})
	l := newLua(t, "", bindings.Options{Session: luaSession(t, url)})
	l.expect(t, `
		local s3 = aws.client("s3")
		local calls = {
			function() return s3:list_objects_v2{Bucket = ""} end,
			function() return s3:head_bucket{Bucket = ""} end,
			function() return s3:delete_bucket{Bucket = ""} end,
			function() return s3:get_object{Bucket = "a/b", Key = "k"} end,
			function() return s3:put_object{Bucket = "has space", Key = "k", Body = "x"} end,
			function() for p in s3:get_paginator("list_objects_v2"):paginate{Bucket = ""} do end end,
			function() return s3:get_waiter("bucket_exists"):wait{Bucket = "", WaiterConfig = {Delay = 1, MaxAttempts = 1}} end,
			function() return s3:generate_presigned_url("get_object", {Params = {Bucket = "", Key = "k"}}) end,
			function() return aws.resource("s3"):Bucket("a b"):delete() end,
		}
		for i, call in ipairs(calls) do
			local ok, err = pcall(call)
			local e = err.last_error or err
			print(i, ok, e.code, (tostring(e):match('Invalid bucket name "[^"]*"')))
		end
	`, `1	false	ParamValidationError	Invalid bucket name ""
2	false	ParamValidationError	Invalid bucket name ""
3	false	ParamValidationError	Invalid bucket name ""
4	false	ParamValidationError	Invalid bucket name "a/b"
5	false	ParamValidationError	Invalid bucket name "has space"
6	false	ParamValidationError	Invalid bucket name ""
7	false	ParamValidationError	Invalid bucket name ""
8	false	ParamValidationError	Invalid bucket name ""
9	false	ParamValidationError	Invalid bucket name "a b"
`)
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}

	// boto3's whole message, and the operation, from Go.
	c, err := luaSession(t, url).Client("s3")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Call(context.Background(), "ListObjectsV2", map[string]any{"Bucket": ""})
	var pv *sdk.ParamValidationError
	if !errors.As(err, &pv) || pv.Operation != "ListObjectsV2" {
		t.Fatalf("got %T %v, want a *sdk.ParamValidationError of ListObjectsV2", err, err)
	}
	want := `Parameter validation failed:
Invalid bucket name "": Bucket name must match the regex "^[a-zA-Z0-9.\-_]{1,255}$" or be an ARN matching the regex "^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-.]{1,63}$|^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\-]{1,63}$"`
	if err.Error() != want {
		t.Errorf("message:\n%s\nwant boto3's:\n%s", err, want)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// TestBucketNameValidationAllows: a valid name reaches the server and
// works (sdk's TestValidateBucketName checks names and access point ARNs).
func TestBucketNameValidationAllows(t *testing.T) {
	bucket := luaBucket(t, 1)
	l := newLua(t, "minio", bindings.Options{})
	out := l.must(t, `print(aws.client("s3"):list_objects_v2{Bucket = ...}.KeyCount)`, bucket)
	if strings.TrimSpace(out) != "1" {
		t.Errorf("printed %q", out)
	}
}
