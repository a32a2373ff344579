package tests

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"

	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// ---- helpers ----

// s3Minio returns an S3 client of the MinIO server, which checks SigV4.
func s3Minio(t *testing.T, opts ...func(*sdk.ClientOptions)) *sdk.Client {
	t.Helper()
	return testenv.Client(t, "minio", "s3", opts...)
}

// s3Call calls an operation that must succeed.
func s3Call(t *testing.T, c *sdk.Client, op string, in map[string]any) map[string]any {
	t.Helper()
	out, err := c.Call(context.Background(), op, in)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return out
}

// s3Bucket creates a bucket that the test's cleanup empties and deletes.
func s3Bucket(t *testing.T, c *sdk.Client) string {
	t.Helper()
	bucket := testenv.Name("awslua-s3")
	s3Call(t, c, "create_bucket", map[string]any{"Bucket": bucket})
	t.Cleanup(func() { s3DeleteBucket(t, c, bucket) })
	return bucket
}

// s3DeleteBucket deletes a bucket and the objects in it.
func s3DeleteBucket(t *testing.T, c *sdk.Client, bucket string) {
	ctx := context.Background()
	var objects []any
	for page, err := range c.Paginate(ctx, "list_objects_v2", map[string]any{"Bucket": bucket}, sdk.PaginationConfig{}) {
		if err != nil {
			t.Errorf("cleanup of %s: %v", bucket, err)
			return
		}
		for _, o := range s3Keys(page) {
			objects = append(objects, map[string]any{"Key": o})
		}
	}
	if len(objects) > 0 {
		if _, err := c.Call(ctx, "delete_objects", map[string]any{
			"Bucket": bucket, "Delete": map[string]any{"Objects": objects, "Quiet": true},
		}); err != nil {
			t.Errorf("cleanup of %s: %v", bucket, err)
		}
	}
	if _, err := c.Call(ctx, "delete_bucket", map[string]any{"Bucket": bucket}); err != nil {
		t.Errorf("cleanup of %s: %v", bucket, err)
	}
}

// s3Put stores each key with the key itself as its body.
func s3Put(t *testing.T, c *sdk.Client, bucket string, keys ...string) {
	t.Helper()
	for _, k := range keys {
		s3Call(t, c, "put_object", map[string]any{"Bucket": bucket, "Key": k, "Body": k})
	}
}

// s3Member returns m[key] as a T, failing the test when it is absent or of
// another type.
func s3Member[T any](t *testing.T, m map[string]any, key string) T {
	t.Helper()
	v, ok := m[key]
	if !ok {
		t.Fatalf("no member %q in %v", key, slices.Sorted(maps.Keys(m)))
	}
	x, ok := v.(T)
	if !ok {
		t.Fatalf("member %q is %T (%v), want %T", key, v, v, x)
	}
	return x
}

// s3ReadBody reads and closes the streaming Body of a GetObject result.
func s3ReadBody(t *testing.T, out map[string]any) string {
	t.Helper()
	body := s3Member[io.ReadCloser](t, out, "Body")
	defer body.Close()
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("reading Body: %v", err)
	}
	return string(b)
}

// s3Get returns a GetObject result and its body, read fully.
func s3Get(t *testing.T, c *sdk.Client, bucket, key string) (map[string]any, string) {
	t.Helper()
	out := s3Call(t, c, "GetObject", map[string]any{"Bucket": bucket, "Key": key})
	return out, s3ReadBody(t, out)
}

// s3Keys returns the keys of a ListObjectsV2 page.
func s3Keys(page map[string]any) []string {
	list, _ := page["Contents"].([]any)
	keys := make([]string, len(list))
	for i, o := range list {
		keys[i], _ = o.(map[string]any)["Key"].(string)
	}
	return keys
}

// s3List returns the keys of a bucket, in order.
func s3List(t *testing.T, c *sdk.Client, bucket string) []string {
	t.Helper()
	return s3Keys(s3Call(t, c, "list_objects_v2", map[string]any{"Bucket": bucket}))
}

// s3Pages runs a ListObjectsV2 paginator and returns the keys of each page.
func s3Pages(t *testing.T, p *sdk.Paginator) [][]string {
	t.Helper()
	var pages [][]string
	for page, err := range p.PageMaps(context.Background()) {
		if err != nil {
			t.Fatalf("paging: %v", err)
		}
		pages = append(pages, s3Keys(page))
	}
	return pages
}

func s3Equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

// s3Validation asserts that err is a *sdk.ParamValidationError whose message
// holds every one of want.
func s3Validation(t *testing.T, err error, want ...string) *sdk.ParamValidationError {
	t.Helper()
	var pv *sdk.ParamValidationError
	if !errors.As(err, &pv) {
		t.Fatalf("error %v (%T) is not a *sdk.ParamValidationError", err, err)
	}
	for _, w := range want {
		if !strings.Contains(pv.Error(), w) {
			t.Errorf("validation message %q does not contain %q", pv.Error(), w)
		}
	}
	return pv
}

// s3Error asserts that err is an *sdk.Error.
func s3Error(t *testing.T, err error) *sdk.Error {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *sdk.Error", err, err)
	}
	return e
}

// s3Fake starts an HTTP server that counts its requests and hands each, with
// its 1-based number, to handle.
func s3Fake(t *testing.T, handle func(n int32, w http.ResponseWriter, r *http.Request)) (string, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handle(hits.Add(1), w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &hits
}

// s3EmptyListing answers a ListObjectsV2 request as for an empty bucket.
func s3EmptyListing(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/xml")
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`)
}

// s3SlowDown answers with S3's throttling error, which the SDK retries.
func s3SlowDown(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>fake-1</RequestId></Error>`)
}

// s3Endpoint sends a client's requests to url.
func s3Endpoint(url string) func(*sdk.ClientOptions) {
	return func(o *sdk.ClientOptions) { o.EndpointURL = url }
}

// ---- objects ----

func TestS3ObjectRoundTrip(t *testing.T) {
	c := s3Minio(t)
	bucket := s3Bucket(t, c)

	file := filepath.Join(t.TempDir(), "body.bin")
	fileBody := strings.Repeat("0123456789abcdef", 64*1024) // 1 MiB
	if err := os.WriteFile(file, []byte(fileBody), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	bodies := []struct {
		op, key string
		body    any
		want    string
	}{
		{"PutObject", "string.txt", "a string body", "a string body"},
		{"put_object", "bytes.bin", []byte{0, 1, 2, 255}, "\x00\x01\x02\xff"},
		{"put_object", "file.bin", f, fileBody},
	}
	for _, b := range bodies {
		out := s3Call(t, c, b.op, map[string]any{"Bucket": bucket, "Key": b.key, "Body": b.body})
		if etag := s3Member[string](t, out, "ETag"); etag == "" {
			t.Errorf("%s %s: empty ETag", b.op, b.key)
		}
	}
	for _, b := range bodies {
		_, got := s3Get(t, c, bucket, b.key)
		if got != b.want {
			t.Errorf("get_object %s: body of %d bytes, want %d bytes", b.key, len(got), len(b.want))
		}
		head := s3Call(t, c, "head_object", map[string]any{"Bucket": bucket, "Key": b.key})
		s3Equal(t, "ContentLength of "+b.key, s3Member[int64](t, head, "ContentLength"), int64(len(b.want)))
	}
	s3Equal(t, "keys", s3List(t, c, bucket), []string{"bytes.bin", "file.bin", "string.txt"})

	t.Run("metadata and content type", func(t *testing.T) {
		s3Call(t, c, "put_object", map[string]any{
			"Bucket": bucket, "Key": "meta.json", "Body": `{"a":1}`,
			"ContentType": "application/json",
			"Metadata":    map[string]any{"owner": "alice", "color": "blue"},
		})
		out, body := s3Get(t, c, bucket, "meta.json")
		s3Equal(t, "body", body, `{"a":1}`)
		s3Equal(t, "ContentType", s3Member[string](t, out, "ContentType"), "application/json")
		s3Equal(t, "Metadata", s3Member[map[string]any](t, out, "Metadata"), map[string]any{"owner": "alice", "color": "blue"})
		// A map[string]string is as good as a map[string]any.
		s3Call(t, c, "put_object", map[string]any{
			"Bucket": bucket, "Key": "meta2", "Body": "x", "Metadata": map[string]string{"k": "v"},
		})
		head := s3Call(t, c, "head_object", map[string]any{"Bucket": bucket, "Key": "meta2"})
		s3Equal(t, "Metadata", s3Member[map[string]any](t, head, "Metadata"), map[string]any{"k": "v"})
	})

	t.Run("delete_objects", func(t *testing.T) {
		s3Put(t, c, bucket, "del/a", "del/b", "del/c")
		out := s3Call(t, c, "delete_objects", map[string]any{
			"Bucket": bucket,
			"Delete": map[string]any{"Objects": []any{
				map[string]any{"Key": "del/a"},
				map[string]any{"Key": "del/b"},
			}},
		})
		var deleted []string
		for _, d := range s3Member[[]any](t, out, "Deleted") {
			deleted = append(deleted, d.(map[string]any)["Key"].(string))
		}
		slices.Sort(deleted)
		s3Equal(t, "Deleted", deleted, []string{"del/a", "del/b"})
		if errs, ok := out["Errors"]; ok {
			t.Errorf("delete_objects reported Errors: %v", errs)
		}
		left := s3Keys(s3Call(t, c, "list_objects_v2", map[string]any{"Bucket": bucket, "Prefix": "del/"}))
		s3Equal(t, "keys left", left, []string{"del/c"})
	})

	t.Run("unknown operation", func(t *testing.T) {
		_, err := c.Call(context.Background(), "put_objekt", map[string]any{"Bucket": bucket})
		if err == nil || !strings.Contains(err.Error(), `"put_objekt"`) {
			t.Errorf("unknown operation: err = %v, want one naming it", err)
		}
	})
}

// TestS3Quiet reads an object stored without a checksum, as most objects
// that older tools wrote are: the SDK must not log about it on every read,
// which boto3 does not either.
func TestS3Quiet(t *testing.T) {
	var mu sync.Mutex
	var log strings.Builder
	logger := logging.LoggerFunc(func(c logging.Classification, format string, v ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&log, "%s %s\n", c, fmt.Sprintf(format, v...))
	})
	s, err := sdk.NewSession(context.Background(), sdk.WithRegion(testenv.Region),
		sdk.WithCredentials(testenv.AccessKey, testenv.SecretKey, ""),
		sdk.WithEndpointURL(testenv.URL(t, "minio")),
		sdk.WithLoadOptions(config.WithLogger(logger)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Client("s3")
	if err != nil {
		t.Fatal(err)
	}
	bucket := s3Bucket(t, c)
	// A presigned PUT stores no checksum.
	req := s3Presign(t, c, "put_object", map[string]any{"Bucket": bucket, "Key": "plain"})
	if status, body := s3Send(t, req.Method, req.URL, req.SignedHeader, "no checksum"); status != http.StatusOK {
		t.Fatalf("presigned PUT: status %d: %s", status, body)
	}
	out, body := s3Get(t, c, bucket, "plain")
	s3Equal(t, "body", body, "no checksum")
	for _, k := range []string{"ChecksumCRC32", "ChecksumCRC32C", "ChecksumSHA256"} {
		if _, ok := out[k]; ok {
			t.Fatalf("the object has a %s; the test needs one without", k)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if log.Len() > 0 {
		t.Errorf("reading an object logged:\n%s", log.String())
	}
}

// ---- values ----

func TestS3Values(t *testing.T) {
	c := s3Minio(t)
	bucket := s3Bucket(t, c)
	before := time.Now().Add(-time.Minute)
	s3Put(t, c, bucket, "v.txt")

	head := s3Call(t, c, "head_object", map[string]any{"Bucket": bucket, "Key": "v.txt"})
	for _, absent := range []string{"WebsiteRedirectLocation", "Expires", "SSEKMSKeyId", "DeleteMarker", "ObjectLockMode"} {
		if v, ok := head[absent]; ok {
			t.Errorf("head_object has %s = %#v; absent members must stay absent", absent, v)
		}
	}
	modified := s3Member[time.Time](t, head, "LastModified")
	if modified.Before(before) || modified.After(time.Now().Add(time.Minute)) {
		t.Errorf("LastModified = %v, want about now", modified)
	}
	s3Equal(t, "ContentLength", s3Member[int64](t, head, "ContentLength"), int64(len("v.txt")))

	md := s3Member[map[string]any](t, head, "ResponseMetadata")
	if id := s3Member[string](t, md, "RequestId"); id == "" {
		t.Error("ResponseMetadata.RequestId is empty")
	}
	s3Equal(t, "HTTPStatusCode", s3Member[int64](t, md, "HTTPStatusCode"), int64(200))
	s3Equal(t, "RetryAttempts", s3Member[int64](t, md, "RetryAttempts"), int64(0))
	headers := s3Member[map[string]any](t, md, "HTTPHeaders")
	for k := range headers {
		if k != strings.ToLower(k) {
			t.Errorf("HTTPHeaders key %q is not lower case", k)
		}
	}
	s3Equal(t, "content-length header", s3Member[string](t, headers, "content-length"), "5")

	list := s3Call(t, c, "list_objects_v2", map[string]any{"Bucket": bucket})
	s3Equal(t, "KeyCount", s3Member[int64](t, list, "KeyCount"), int64(1))
	s3Equal(t, "IsTruncated", s3Member[bool](t, list, "IsTruncated"), false)
	obj := s3Member[[]any](t, list, "Contents")[0].(map[string]any)
	s3Equal(t, "Size", s3Member[int64](t, obj, "Size"), int64(5))
	if _, ok := obj["LastModified"].(time.Time); !ok {
		t.Errorf("Contents[0].LastModified is %T, want time.Time", obj["LastModified"])
	}
	if _, ok := list["ContinuationToken"]; ok {
		t.Error("list_objects_v2 result has a ContinuationToken that was never sent")
	}
}

// ---- pagination ----

func TestS3Pagination(t *testing.T) {
	c := s3Minio(t)
	bucket := s3Bucket(t, c)
	var keys []string
	for i := range 25 {
		keys = append(keys, fmt.Sprintf("page/%02d", i))
	}
	s3Put(t, c, bucket, keys...)
	in := map[string]any{"Bucket": bucket}
	ctx := context.Background()

	paginator := func(t *testing.T, cfg sdk.PaginationConfig) *sdk.Paginator {
		t.Helper()
		p, err := c.Paginator("list_objects_v2", in, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("page size", func(t *testing.T) {
		pages := s3Pages(t, paginator(t, sdk.PaginationConfig{PageSize: 10}))
		s3Equal(t, "page count", len(pages), 3)
		for i, want := range []int{10, 10, 5} {
			if i < len(pages) {
				s3Equal(t, fmt.Sprintf("page %d size", i), len(pages[i]), want)
			}
		}
		s3Equal(t, "keys", slices.Concat(pages...), keys)
	})

	t.Run("max items and resume", func(t *testing.T) {
		p := paginator(t, sdk.PaginationConfig{PageSize: 10, MaxItems: 15})
		first := slices.Concat(s3Pages(t, p)...)
		s3Equal(t, "first run", first, keys[:15])
		token := p.ResumeToken()
		if token == "" {
			t.Fatal("ResumeToken is empty after MaxItems stopped the paging")
		}
		p2 := paginator(t, sdk.PaginationConfig{PageSize: 10, MaxItems: 15, StartingToken: token})
		rest := slices.Concat(s3Pages(t, p2)...)
		s3Equal(t, "resumed run", rest, keys[15:])
		s3Equal(t, "ResumeToken at the end", p2.ResumeToken(), "")
		// A paginator holds no pages: running it again sends the
		// requests again and gives the same items.
		s3Equal(t, "second run", slices.Concat(s3Pages(t, p)...), keys[:15])
	})

	t.Run("resume again and again", func(t *testing.T) {
		// MaxItems=4 cuts inside pages of 10, and each run starts inside
		// the page the run before it cut.
		var got []string
		token, runs := "", 0
		for {
			p := paginator(t, sdk.PaginationConfig{PageSize: 10, MaxItems: 4, StartingToken: token})
			run := slices.Concat(s3Pages(t, p)...)
			if len(run) > 4 {
				t.Fatalf("run %d gave %d items with MaxItems=4", runs, len(run))
			}
			got = append(got, run...)
			if token, runs = p.ResumeToken(), runs+1; token == "" || runs > 10 {
				break
			}
		}
		s3Equal(t, "runs", runs, 7)
		s3Equal(t, "keys of all runs", got, keys)
	})

	t.Run("max items at a page boundary", func(t *testing.T) {
		for _, n := range []int{10, 20} {
			p := paginator(t, sdk.PaginationConfig{PageSize: 10, MaxItems: n})
			pages := s3Pages(t, p)
			s3Equal(t, fmt.Sprintf("MaxItems=%d pages", n), len(pages), n/10)
			s3Equal(t, fmt.Sprintf("MaxItems=%d keys", n), slices.Concat(pages...), keys[:n])
			if p.ResumeToken() == "" {
				t.Fatalf("MaxItems=%d: no ResumeToken although items remain", n)
			}
			rest := s3Pages(t, paginator(t, sdk.PaginationConfig{PageSize: 10, StartingToken: p.ResumeToken()}))
			s3Equal(t, fmt.Sprintf("MaxItems=%d rest", n), slices.Concat(rest...), keys[n:])
		}
		p := paginator(t, sdk.PaginationConfig{PageSize: 10, MaxItems: len(keys)})
		s3Equal(t, "MaxItems=all keys", slices.Concat(s3Pages(t, p)...), keys)
		s3Equal(t, "MaxItems=all ResumeToken", p.ResumeToken(), "")
	})

	t.Run("search", func(t *testing.T) {
		var got []string
		for v, err := range paginator(t, sdk.PaginationConfig{PageSize: 10}).Search(ctx, "Contents[].Key") {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, v.(string))
		}
		s3Equal(t, "searched keys", got, keys)
		// A result that is not a list comes once per page; numbers
		// compare as numbers in filters.
		var counts []string
		for v, err := range paginator(t, sdk.PaginationConfig{PageSize: 10}).Search(ctx, "KeyCount") {
			if err != nil {
				t.Fatal(err)
			}
			counts = append(counts, fmt.Sprint(v))
		}
		s3Equal(t, "KeyCount per page", counts, []string{"10", "10", "5"})
		got = nil
		for v, err := range paginator(t, sdk.PaginationConfig{PageSize: 10}).Search(ctx, "Contents[?Size == `7` && starts_with(Key, 'page/2')].Key") {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, v.(string))
		}
		s3Equal(t, "filtered keys", got, keys[20:])
		for _, err := range paginator(t, sdk.PaginationConfig{}).Search(ctx, "Contents[?") {
			if err == nil || !strings.Contains(err.Error(), "JMESPath") {
				t.Errorf("a bad expression: err = %v", err)
			}
		}
	})

	t.Run("build full result", func(t *testing.T) {
		full, err := paginator(t, sdk.PaginationConfig{PageSize: 10}).BuildFullResult(ctx)
		if err != nil {
			t.Fatal(err)
		}
		s3Equal(t, "merged keys", s3Keys(full), keys)
		if tok, ok := full["NextToken"]; ok {
			t.Errorf("NextToken = %v although every page was read", tok)
		}
		p := paginator(t, sdk.PaginationConfig{PageSize: 10, MaxItems: 15})
		full, err = p.BuildFullResult(ctx)
		if err != nil {
			t.Fatal(err)
		}
		s3Equal(t, "merged keys with MaxItems", s3Keys(full), keys[:15])
		s3Equal(t, "NextToken", s3Member[string](t, full, "NextToken"), p.ResumeToken())
	})

	t.Run("items", func(t *testing.T) {
		var got []string
		for item, err := range paginator(t, sdk.PaginationConfig{PageSize: 7}).Items(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			obj := item.(map[string]any)
			s3Equal(t, "Size of "+obj["Key"].(string), obj["Size"], any(int64(len(obj["Key"].(string)))))
			got = append(got, obj["Key"].(string))
		}
		s3Equal(t, "items", got, keys)
	})

	t.Run("bad starting token", func(t *testing.T) {
		for _, tok := range []string{
			"not a token!",
			base64.StdEncoding.EncodeToString([]byte("[1, 2]")),
			base64.StdEncoding.EncodeToString([]byte(`{"Bogus": "x"}`)),
			base64.StdEncoding.EncodeToString([]byte(`{"ContinuationToken": "x", "boto_truncate_amount": -1}`)),
		} {
			_, err := c.Paginator("list_objects_v2", in, sdk.PaginationConfig{StartingToken: tok})
			pv := s3Validation(t, err, "StartingToken")
			s3Equal(t, "Operation", pv.Operation, "ListObjectsV2")
		}
	})

	t.Run("null starting token", func(t *testing.T) {
		// boto3 writes a token the service did not return as null.
		tok := base64.StdEncoding.EncodeToString([]byte(`{"ContinuationToken": null}`))
		s3Equal(t, "keys", slices.Concat(s3Pages(t, paginator(t, sdk.PaginationConfig{StartingToken: tok}))...), keys)
	})

	t.Run("can paginate", func(t *testing.T) {
		for op, want := range map[string]bool{"list_objects_v2": true, "ListObjectsV2": true, "put_object": false, "no_such_op": false} {
			s3Equal(t, "CanPaginate("+op+")", c.CanPaginate(op), want)
		}
		if _, err := c.Paginator("put_object", in, sdk.PaginationConfig{}); err == nil || !strings.Contains(err.Error(), "cannot be paginated") {
			t.Errorf("Paginator(put_object): err = %v, want cannot be paginated", err)
		}
	})
}

// ---- waiters ----

func TestS3Waiters(t *testing.T) {
	c := s3Minio(t)
	bucket := s3Bucket(t, c)
	ctx := context.Background()
	fast := sdk.WaiterConfig{Delay: 100 * time.Millisecond, MaxAttempts: 3}

	t.Run("success", func(t *testing.T) {
		for _, name := range []string{"bucket_exists", "BucketExists"} {
			start := time.Now()
			if err := c.Wait(ctx, name, map[string]any{"Bucket": bucket}, sdk.WaiterConfig{}); err != nil {
				t.Fatalf("%s on an existing bucket: %v", name, err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("%s took %v although the bucket exists", name, d)
			}
		}
		if err := c.Wait(ctx, "bucket_not_exists", map[string]any{"Bucket": testenv.Name("awslua-missing")}, fast); err != nil {
			t.Errorf("bucket_not_exists on a missing bucket: %v", err)
		}
	})

	t.Run("max attempts", func(t *testing.T) {
		start := time.Now()
		err := c.Wait(ctx, "bucket_not_exists", map[string]any{"Bucket": bucket}, fast)
		var we *sdk.WaiterError
		if !errors.As(err, &we) {
			t.Fatalf("err = %v (%T), want a *sdk.WaiterError", err, err)
		}
		s3Equal(t, "Name", we.Name, "BucketNotExists")
		if !strings.Contains(err.Error(), "Max attempts exceeded") || !strings.Contains(err.Error(), "BucketNotExists") {
			t.Errorf("message %q does not name the waiter and max attempts", err)
		}
		// Three attempts with 100ms between them.
		if d := time.Since(start); d < 200*time.Millisecond || d > 10*time.Second {
			t.Errorf("wait took %v, want about 200ms", d)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		time.AfterFunc(300*time.Millisecond, cancel)
		start := time.Now()
		err := c.Wait(ctx, "bucket_exists", map[string]any{"Bucket": testenv.Name("awslua-missing")},
			sdk.WaiterConfig{Delay: 100 * time.Millisecond, MaxAttempts: 1000})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want one that is context.Canceled", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("cancelled wait took %v", d)
		}
	})

	t.Run("unknown waiter and bad input", func(t *testing.T) {
		if err := c.Wait(ctx, "bucket_is_blue", map[string]any{"Bucket": bucket}, fast); err == nil || !strings.Contains(err.Error(), "bucket_is_blue") {
			t.Errorf("unknown waiter: err = %v", err)
		}
		s3Validation(t, c.Wait(ctx, "bucket_exists", map[string]any{"Bukket": bucket}, fast), `"Bukket"`, "must be one of: Bucket")
		s3Equal(t, "waiter names", slices.Contains(c.WaiterNames(), "BucketExists"), true)
	})
}

// ---- presigned URLs ----

// s3Send sends a request without the SDK and returns its status and body.
func s3Send(t *testing.T, method, rawURL string, header http.Header, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if !strings.EqualFold(k, "Host") {
			req.Header[k] = v
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func s3Presign(t *testing.T, c *sdk.Client, op string, in map[string]any) *sdk.PresignedRequest {
	t.Helper()
	req, err := c.Presign(context.Background(), op, in, 5*time.Minute)
	if err != nil {
		t.Fatalf("presign %s: %v", op, err)
	}
	return req
}

func TestS3Presign(t *testing.T) {
	c := s3Minio(t)
	bucket := s3Bucket(t, c)
	s3Put(t, c, bucket, "signed.txt")
	object := map[string]any{"Bucket": bucket, "Key": "signed.txt"}

	t.Run("get", func(t *testing.T) {
		req := s3Presign(t, c, "get_object", object)
		s3Equal(t, "Method", req.Method, http.MethodGet)
		if !strings.Contains(req.URL, "X-Amz-Expires=300") {
			t.Errorf("URL %s does not expire in 300 seconds", req.URL)
		}
		status, body := s3Send(t, req.Method, req.URL, req.SignedHeader, "")
		s3Equal(t, "status", status, http.StatusOK)
		s3Equal(t, "body", body, "signed.txt")
	})

	t.Run("put", func(t *testing.T) {
		req := s3Presign(t, c, "PutObject", map[string]any{"Bucket": bucket, "Key": "uploaded.txt"})
		s3Equal(t, "Method", req.Method, http.MethodPut)
		status, body := s3Send(t, req.Method, req.URL, req.SignedHeader, "sent without the SDK")
		if status != http.StatusOK {
			t.Fatalf("presigned PUT: status %d: %s", status, body)
		}
		_, got := s3Get(t, c, bucket, "uploaded.txt")
		s3Equal(t, "uploaded body", got, "sent without the SDK")
	})

	t.Run("tampered", func(t *testing.T) {
		req := s3Presign(t, c, "get_object", object)
		u, err := url.Parse(req.URL)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		sig := []byte(q.Get("X-Amz-Signature"))
		if len(sig) == 0 {
			t.Fatalf("URL %s has no X-Amz-Signature", req.URL)
		}
		sig[0] = map[bool]byte{true: 'b', false: 'a'}[sig[0] == 'a']
		q.Set("X-Amz-Signature", string(sig))
		u.RawQuery = q.Encode()
		status, _ := s3Send(t, req.Method, u.String(), req.SignedHeader, "")
		s3Equal(t, "status of a tampered URL", status, http.StatusForbidden)

		// Signed for another key, the URL does not open this one.
		other := s3Presign(t, c, "get_object", map[string]any{"Bucket": bucket, "Key": "other.txt"})
		forged := strings.Replace(other.URL, "other.txt", "signed.txt", 1)
		status, _ = s3Send(t, other.Method, forged, other.SignedHeader, "")
		s3Equal(t, "status of a URL for another key", status, http.StatusForbidden)
	})

	t.Run("any operation, checked first", func(t *testing.T) {
		// As in boto3, any operation can be presigned.
		s3Equal(t, "CanPresign(list_objects_v2)", c.CanPresign("list_objects_v2"), true)
		s3Equal(t, "CanPresign(nope)", c.CanPresign("nope"), false)
		s3Validation(t, s3PresignErr(c, "get_object", map[string]any{"Bucket": bucket}), `Missing required parameter in input: "Key"`)
		s3Validation(t, s3PresignErr(c, "get_object", map[string]any{"Bucket": bucket, "Key": "k", "Nope": 1}), `"Nope"`)
	})
}

func s3PresignErr(c *sdk.Client, op string, in map[string]any) error {
	_, err := c.Presign(context.Background(), op, in, 0)
	return err
}

// ---- validation ----

func TestS3Validation(t *testing.T) {
	endpoint, hits := s3Fake(t, func(_ int32, w http.ResponseWriter, _ *http.Request) { s3EmptyListing(w) })
	c := s3Minio(t, s3Endpoint(endpoint))
	ctx := context.Background()
	check := func(t *testing.T, op string, in map[string]any, want ...string) *sdk.ParamValidationError {
		t.Helper()
		before := hits.Load()
		_, err := c.Call(ctx, op, in)
		pv := s3Validation(t, err, want...)
		if n := hits.Load() - before; n != 0 {
			t.Errorf("an invalid request sent %d requests", n)
		}
		return pv
	}

	t.Run("the fake server counts", func(t *testing.T) {
		before := hits.Load()
		s3Call(t, c, "list_objects_v2", map[string]any{"Bucket": "b"})
		s3Equal(t, "requests", hits.Load()-before, int32(1))
	})

	t.Run("unknown member", func(t *testing.T) {
		pv := check(t, "list_objects_v2", map[string]any{"Bucket": "b", "Bogus": 1},
			`Unknown parameter in input: "Bogus", must be one of: Bucket, ContinuationToken, Delimiter, EncodingType, ExpectedBucketOwner, FetchOwner, MaxKeys, `)
		s3Equal(t, "Operation", pv.Operation, "ListObjectsV2")
		s3Equal(t, "ErrorCode", pv.ErrorCode(), "ParamValidationError")
		if !strings.HasPrefix(pv.Error(), "Parameter validation failed:\n") {
			t.Errorf("message %q does not start as boto3's", pv.Error())
		}
	})

	t.Run("wrong type", func(t *testing.T) {
		check(t, "list_objects_v2", map[string]any{"Bucket": "b", "MaxKeys": "x"},
			`Invalid type for parameter MaxKeys, value: "x", type: string, valid types: integer`)
		check(t, "list_objects_v2", map[string]any{"Bucket": 7}, "parameter Bucket", "valid types: string")
		check(t, "put_object", map[string]any{"Bucket": "b", "Key": "k", "Body": 3.5}, "parameter Body", "valid types: stream")
	})

	t.Run("missing required", func(t *testing.T) {
		check(t, "list_objects_v2", map[string]any{}, `Missing required parameter in input: "Bucket"`)
		check(t, "delete_objects", map[string]any{"Bucket": "b", "Delete": map[string]any{
			"Objects": []any{map[string]any{"Key": "a"}, map[string]any{"VersionId": "v"}},
		}}, `Missing required parameter in Delete.Objects[1]: "Key"`)
	})

	t.Run("nested path", func(t *testing.T) {
		check(t, "delete_objects", map[string]any{"Bucket": "b", "Delete": map[string]any{
			"Objects": []any{map[string]any{"Key": "a", "Colour": "red"}},
		}}, `Unknown parameter in Delete.Objects[0]: "Colour", must be one of: ETag, Key, LastModifiedTime, Size, VersionId`)
		check(t, "delete_objects", map[string]any{"Bucket": "b", "Delete": map[string]any{
			"Objects": []any{map[string]any{"Key": 1}},
		}}, "Invalid type for parameter Delete.Objects[0].Key")
	})

	t.Run("every problem at once", func(t *testing.T) {
		pv := check(t, "list_objects_v2", map[string]any{"Bucket": "b", "Bogus": 1, "MaxKeys": "x"}, `"Bogus"`, "MaxKeys")
		s3Equal(t, "problems", len(pv.Problems), 2)
	})

	t.Run("errors.As through wrapping", func(t *testing.T) {
		_, err := c.Call(ctx, "list_objects_v2", map[string]any{"Bucket": "b", "Bogus": 1})
		wrapped := fmt.Errorf("listing: %w", err)
		var pv *sdk.ParamValidationError
		if !errors.As(wrapped, &pv) || pv.ErrorCode() != "ParamValidationError" {
			t.Errorf("errors.As(%v) to *sdk.ParamValidationError failed", wrapped)
		}
		var se *sdk.Error
		if errors.As(wrapped, &se) {
			t.Error("a validation error is also an *sdk.Error")
		}
	})
}

// ---- service errors ----

func TestS3ServiceErrors(t *testing.T) {
	c := s3Minio(t)
	missing := testenv.Name("awslua-missing")
	_, err := c.Call(context.Background(), "list_objects_v2", map[string]any{"Bucket": missing})
	e := s3Error(t, err)
	s3Equal(t, "Code", e.Code, "NoSuchBucket")
	s3Equal(t, "StatusCode", e.StatusCode, http.StatusNotFound)
	s3Equal(t, "Operation", e.Operation, "ListObjectsV2")
	s3Equal(t, "Service", e.Service, "s3")
	s3Equal(t, "RetryAttempts", e.RetryAttempts, 0)
	if e.RequestID == "" {
		t.Error("RequestID is empty")
	}
	if e.Message == "" {
		t.Error("Message is empty")
	}
	s3Equal(t, "Error()", err.Error(), "An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: "+e.Message)

	for target, want := range map[error]bool{
		sdk.CodeError("NoSuchBucket"): true,
		sdk.CodeError("NoSuchKey"):    false,
		context.Canceled:              false,
	} {
		s3Equal(t, fmt.Sprintf("errors.Is(err, %v)", target), errors.Is(err, target), want)
	}

	t.Run("no such key", func(t *testing.T) {
		bucket := s3Bucket(t, c)
		_, err := c.Call(context.Background(), "get_object", map[string]any{"Bucket": bucket, "Key": "nothing"})
		e := s3Error(t, err)
		s3Equal(t, "Code", e.Code, "NoSuchKey")
		s3Equal(t, "Operation", e.Operation, "GetObject")
		s3Equal(t, "errors.Is NoSuchKey", errors.Is(err, sdk.CodeError("NoSuchKey")), true)
		s3Equal(t, "errors.Is NoSuchBucket", errors.Is(err, sdk.CodeError("NoSuchBucket")), false)
	})

	t.Run("bad credentials", func(t *testing.T) {
		s, err := sdk.NewSession(context.Background(), sdk.WithRegion(testenv.Region),
			sdk.WithCredentials(testenv.AccessKey, "not-the-secret", ""),
			sdk.WithEndpointURL(testenv.URL(t, "minio")))
		if err != nil {
			t.Fatal(err)
		}
		bad, err := s.Client("s3")
		if err != nil {
			t.Fatal(err)
		}
		_, err = bad.Call(context.Background(), "list_buckets", nil)
		e := s3Error(t, err)
		s3Equal(t, "Code", e.Code, "SignatureDoesNotMatch")
		s3Equal(t, "StatusCode", e.StatusCode, http.StatusForbidden)
	})
}

// ---- client options ----

func TestS3ClientOptions(t *testing.T) {
	minioURL := testenv.URL(t, "minio")
	sess := testenv.Session(t, "minio")

	t.Run("path addressing on localhost", func(t *testing.T) {
		u, err := url.Parse(minioURL)
		if err != nil {
			t.Fatal(err)
		}
		u.Host = net.JoinHostPort("localhost", u.Port())
		style := func(s string) func(*sdk.ClientOptions) {
			return func(o *sdk.ClientOptions) { o.EndpointURL, o.S3AddressingStyle = u.String(), s }
		}
		c := s3Minio(t, style("path"))
		bucket := s3Bucket(t, c)
		s3Put(t, c, bucket, "local.txt")
		_, body := s3Get(t, c, bucket, "local.txt")
		s3Equal(t, "body", body, "local.txt")

		// The styles really differ: the bucket is in the path, or in the
		// host name, where localhost cannot take it.
		for s, wantHost := range map[string]string{"path": u.Host, "virtual": bucket + "." + u.Host} {
			req := s3Presign(t, s3Minio(t, style(s)), "get_object", map[string]any{"Bucket": bucket, "Key": "local.txt"})
			got, err := url.Parse(req.URL)
			if err != nil {
				t.Fatal(err)
			}
			s3Equal(t, s+" host", got.Host, wantHost)
		}
		if _, err := s3Minio(t, style("virtual")).Call(context.Background(), "head_object",
			map[string]any{"Bucket": bucket, "Key": "local.txt"}); err == nil {
			t.Error("virtual addressing against localhost worked; the path style test proves nothing")
		}
	})

	t.Run("retries", func(t *testing.T) {
		endpoint, hits := s3Fake(t, func(n int32, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				s3SlowDown(w)
				return
			}
			s3EmptyListing(w)
		})
		c := s3Minio(t, s3Endpoint(endpoint), func(o *sdk.ClientOptions) { o.MaxAttempts, o.RetryMode = 3, "standard" })
		out := s3Call(t, c, "list_objects_v2", map[string]any{"Bucket": "b"})
		s3Equal(t, "requests", hits.Load(), int32(2))
		md := s3Member[map[string]any](t, out, "ResponseMetadata")
		s3Equal(t, "RetryAttempts", md["RetryAttempts"], any(int64(1)))
	})

	t.Run("max attempts", func(t *testing.T) {
		for _, attempts := range []int{1, 2} {
			endpoint, hits := s3Fake(t, func(_ int32, w http.ResponseWriter, _ *http.Request) { s3SlowDown(w) })
			c := s3Minio(t, s3Endpoint(endpoint), func(o *sdk.ClientOptions) { o.MaxAttempts, o.RetryMode = attempts, "adaptive" })
			_, err := c.Call(context.Background(), "list_objects_v2", map[string]any{"Bucket": "b"})
			e := s3Error(t, err)
			s3Equal(t, "Code", e.Code, "SlowDown")
			s3Equal(t, "StatusCode", e.StatusCode, http.StatusServiceUnavailable)
			s3Equal(t, fmt.Sprintf("requests with MaxAttempts=%d", attempts), hits.Load(), int32(attempts))
			s3Equal(t, "RetryAttempts", e.RetryAttempts, attempts-1)
		}
	})

	t.Run("read timeout", func(t *testing.T) {
		endpoint, _ := s3Fake(t, func(_ int32, w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		})
		c := s3Minio(t, s3Endpoint(endpoint), func(o *sdk.ClientOptions) { o.ReadTimeout, o.MaxAttempts = 200*time.Millisecond, 1 })
		start := time.Now()
		if _, err := c.Call(context.Background(), "list_objects_v2", map[string]any{"Bucket": "b"}); err == nil {
			t.Error("a server that never answers did not time out")
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("ReadTimeout of 200ms took %v", d)
		}
	})

	t.Run("bad options", func(t *testing.T) {
		for name, opt := range map[string]func(*sdk.ClientOptions){
			"retry mode":       func(o *sdk.ClientOptions) { o.RetryMode = "sometimes" },
			"addressing style": func(o *sdk.ClientOptions) { o.S3AddressingStyle = "sideways" },
		} {
			c, err := sess.Client("s3", opt)
			if err == nil {
				t.Errorf("bad %s: got a client %v, want an error", name, c)
			}
		}
		_, err := sess.Client("s3", func(o *sdk.ClientOptions) { o.S3AddressingStyle = "sideways" })
		if err == nil || !strings.Contains(err.Error(), "path, virtual, auto") {
			t.Errorf("bad addressing style: err = %v, want the valid styles named", err)
		}
	})

	t.Run("unknown service", func(t *testing.T) {
		_, err := sess.Client("s4")
		if err == nil || !strings.Contains(err.Error(), `"s4"`) || !strings.Contains(err.Error(), "s3") {
			t.Errorf("unknown service: err = %v, want one naming it and the bundled services", err)
		}
	})

	t.Run("endpoint", func(t *testing.T) {
		s3Equal(t, "session EndpointURL", sess.EndpointURL(), minioURL)
		s3Equal(t, "client EndpointURL", s3Minio(t).EndpointURL(), minioURL)

		endpoint, hits := s3Fake(t, func(_ int32, w http.ResponseWriter, _ *http.Request) { s3EmptyListing(w) })
		c := s3Minio(t, s3Endpoint(endpoint))
		s3Equal(t, "overridden EndpointURL", c.EndpointURL(), endpoint)
		s3Call(t, c, "list_objects_v2", map[string]any{"Bucket": "b"})
		s3Equal(t, "requests at the override", hits.Load(), int32(1))

		real := sdk.FromConfig(aws.Config{Region: "eu-west-1"})
		c, err := real.Client("s3")
		if err != nil {
			t.Fatal(err)
		}
		if got := c.EndpointURL(); !strings.Contains(got, "eu-west-1") || !strings.Contains(got, "amazonaws.com") {
			t.Errorf("EndpointURL without an override = %q, want AWS's endpoint in eu-west-1", got)
		}
		c, err = real.Client("s3", func(o *sdk.ClientOptions) { o.Region = "ap-south-1" })
		if err != nil {
			t.Fatal(err)
		}
		s3Equal(t, "Region", c.Region(), "ap-south-1")
		if !strings.Contains(c.EndpointURL(), "ap-south-1") {
			t.Errorf("EndpointURL %q is not in the client's region", c.EndpointURL())
		}
	})
}

// ---- moto ----

func TestS3Moto(t *testing.T) {
	c := testenv.Client(t, "moto", "s3")
	bucket := s3Bucket(t, c)
	s3Put(t, c, bucket, "m/1", "m/2", "m/3")
	_, body := s3Get(t, c, bucket, "m/2")
	s3Equal(t, "body", body, "m/2")
	s3Equal(t, "keys", s3List(t, c, bucket), []string{"m/1", "m/2", "m/3"})
	p, err := c.Paginator("list_objects_v2", map[string]any{"Bucket": bucket}, sdk.PaginationConfig{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	pages := s3Pages(t, p)
	s3Equal(t, "pages", pages, [][]string{{"m/1", "m/2"}, {"m/3"}})

	_, err = c.Call(context.Background(), "get_object", map[string]any{"Bucket": bucket, "Key": "nothing"})
	s3Equal(t, "Code", s3Error(t, err).Code, "NoSuchKey")
}
