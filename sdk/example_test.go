package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/awslua/awslua/sdk"
)

// servers are the in-process S3 servers the examples start; TestMain
// closes them.
var servers []*httptest.Server

func startS3() string {
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	servers = append(servers, srv)
	return srv.URL
}

// TestMain starts an in-process S3 for Example and puts its URL and keys in
// the environment, where a real program's environment would hold them.
func TestMain(m *testing.M) {
	defer func() {
		for _, srv := range servers {
			srv.Close()
		}
	}()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			os.Unsetenv(k)
		}
	}
	endpoint := startS3()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            endpoint,
		"AWS_ACCESS_KEY_ID":           "AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY":       "secret",
		"AWS_REGION":                  "us-east-1",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		os.Setenv(k, v)
	}
	fill(endpoint, "photos", 3)
	m.Run()
}

// newClient returns an S3 client of a new in-process server, where it
// creates a bucket holding n objects, key-00, key-01 and on, unless bucket
// is "".
func newClient(bucket string, n int) *sdk.Client {
	return fill(startS3(), bucket, n)
}

func fill(endpoint, bucket string, n int) *sdk.Client {
	ctx := context.Background()
	sess, err := sdk.NewSession(ctx,
		sdk.WithRegion("us-east-1"),
		sdk.WithCredentials("AKIDEXAMPLE", "secret", ""),
		sdk.WithEndpointURL(endpoint))
	if err != nil {
		log.Fatal(err)
	}
	s3, err := sess.Client("s3")
	if err != nil {
		log.Fatal(err)
	}
	if bucket == "" {
		return s3
	}
	if _, err := s3.Call(ctx, "CreateBucket", map[string]any{"Bucket": bucket}); err != nil {
		log.Fatal(err)
	}
	for i := range n {
		in := map[string]any{"Bucket": bucket, "Key": fmt.Sprintf("key-%02d", i), "Body": "data"}
		if _, err := s3.Call(ctx, "PutObject", in); err != nil {
			log.Fatal(err)
		}
	}
	return s3
}

// This program lists a bucket's objects across pages (of two objects here,
// to show the paging), with sdk the only package it imports beyond the
// standard library. Its credentials, region and endpoint come from the
// standard AWS chain (here, the environment).
func Example() {
	ctx := context.Background()
	sess, err := sdk.NewSession(ctx)
	if err != nil {
		log.Fatal(err)
	}
	s3, err := sess.Client("s3")
	if err != nil {
		log.Fatal(err)
	}
	objects, err := s3.Paginator("ListObjectsV2", map[string]any{"Bucket": "photos"}, sdk.PaginationConfig{PageSize: 2})
	if err != nil {
		log.Fatal(err)
	}
	// Items sends a request for each page, as the loop needs it.
	for obj, err := range objects.Items(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(obj.(map[string]any)["Key"])
	}
	// Output:
	// key-00
	// key-01
	// key-02
}

func ExampleNewSession() {
	// An in-process S3 stands in for AWS.
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	defer srv.Close()

	ctx := context.Background()
	sess, err := sdk.NewSession(ctx,
		sdk.WithRegion("us-east-1"),
		sdk.WithCredentials("AKIDEXAMPLE", "secret", ""),
		sdk.WithEndpointURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	s3, err := sess.Client("s3")
	if err != nil {
		log.Fatal(err)
	}
	out, err := s3.Call(ctx, "ListBuckets", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sess)
	fmt.Println(len(out["Buckets"].([]any)), "buckets")
	// Output:
	// Session(region_name="us-east-1", profile_name="default")
	// 0 buckets
}

func ExampleClient_Call() {
	s3 := newClient("", 0)
	ctx := context.Background()
	// Operations are named as the API names them or as boto3 does.
	if _, err := s3.Call(ctx, "create_bucket", map[string]any{"Bucket": "notes"}); err != nil {
		log.Fatal(err)
	}
	_, err := s3.Call(ctx, "PutObject", map[string]any{
		"Bucket": "notes",
		"Key":    "hello.txt",
		"Body":   "Hello, world.\n",
	})
	if err != nil {
		log.Fatal(err)
	}
	out, err := s3.Call(ctx, "ListObjectsV2", map[string]any{"Bucket": "notes"})
	if err != nil {
		log.Fatal(err)
	}
	for _, obj := range out["Contents"].([]any) {
		obj := obj.(map[string]any)
		fmt.Println(obj["Key"], obj["Size"])
	}
	fmt.Println(out["ResponseMetadata"].(map[string]any)["HTTPStatusCode"])
	// Output:
	// hello.txt 14
	// 200
}

func ExampleClient_Paginate() {
	s3 := newClient("pages", 25)
	ctx := context.Background()
	for page, err := range s3.Paginate(ctx, "ListObjectsV2", map[string]any{"Bucket": "pages"}, sdk.PaginationConfig{PageSize: 10}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(page["KeyCount"], len(page["Contents"].([]any)))
	}
	// Output:
	// 10 10
	// 10 10
	// 5 5
}

func ExamplePaginator_ResumeToken() {
	s3 := newClient("resume", 7)
	ctx := context.Background()
	in := map[string]any{"Bucket": "resume"}

	// Read four objects, and keep the token that continues after them.
	p, err := s3.Paginator("ListObjectsV2", in, sdk.PaginationConfig{MaxItems: 4})
	if err != nil {
		log.Fatal(err)
	}
	for obj, err := range p.Items(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(obj.(map[string]any)["Key"])
	}
	token := p.ResumeToken()

	// Later, perhaps in another process, carry on from there.
	p, err = s3.Paginator("ListObjectsV2", in, sdk.PaginationConfig{StartingToken: token})
	if err != nil {
		log.Fatal(err)
	}
	for obj, err := range p.Items(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("then", obj.(map[string]any)["Key"])
	}
	// Output:
	// key-00
	// key-01
	// key-02
	// key-03
	// then key-04
	// then key-05
	// then key-06
}

func ExampleClient_Call_validation() {
	s3 := newClient("", 0)
	// Inputs are checked against the operation's model before anything is
	// sent, and every problem is reported.
	_, err := s3.Call(context.Background(), "ListObjectsV2", map[string]any{
		"Bucket":  "reports",
		"MaxKeys": "ten",
		"Prefx":   "2024/",
	})
	var invalid *sdk.ParamValidationError
	if errors.As(err, &invalid) {
		fmt.Println(invalid)
	}
	// Output:
	// Parameter validation failed:
	// Invalid type for parameter MaxKeys, value: "ten", type: string, valid types: integer
	// Unknown parameter in input: "Prefx", must be one of: Bucket, ContinuationToken, Delimiter, EncodingType, ExpectedBucketOwner, FetchOwner, MaxKeys, OptionalObjectAttributes, Prefix, RequestPayer, StartAfter
}

func ExampleError() {
	s3 := newClient("", 0)
	_, err := s3.Call(context.Background(), "ListObjectsV2", map[string]any{"Bucket": "absent"})
	var e *sdk.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.StatusCode)
		fmt.Println(e)
	}
	// Dynamic callers match an error by its code.
	fmt.Println(errors.Is(err, sdk.CodeError("NoSuchBucket")))
	// Output:
	// NoSuchBucket 404
	// An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist
	// true
}

func ExampleClient_Presign() {
	s3 := newClient("shared", 1)
	req, err := s3.Presign(context.Background(), "GetObject", map[string]any{"Bucket": "shared", "Key": "key-00"}, time.Hour)
	if err != nil {
		log.Fatal(err)
	}
	// Anyone with the URL can GET the object for an hour.
	fmt.Println(req.Method, strings.HasPrefix(req.URL, s3.EndpointURL()+"/"))
	// Output: GET true
}
