package tests

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/awslua/awslua/bindings"
)

// presignedPost sends a file through a presigned POST with a plain HTTP
// client, fields first and the file last, as a browser form does.
func presignedPost(t *testing.T, url string, fields map[string]string, body string) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", "report.csv")
	io.WriteString(fw, body)
	w.Close()
	resp, err := http.Post(url, w.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(text)
}

// TestS3PresignedPost: MinIO checks the policy's signature, its conditions
// and its expiry, as S3 does; a plain HTTP client uploads with what
// generate_presigned_post returns, and nothing else.
func TestS3PresignedPost(t *testing.T) {
	bucket := luaBucket(t, 0)
	l := newLua(t, "minio", bindings.Options{})
	out := l.must(t, `
		local bucket = ...
		local s3 = aws.client("s3")
		local ok = s3:generate_presigned_post(bucket, "uploads/${filename}", {
			Fields = {["Content-Type"] = "text/csv"},
			Conditions = {{"content-length-range", 1, 100}},
			ExpiresIn = 300})
		local small = s3:generate_presigned_post(bucket, "small.txt", {Conditions = {{"content-length-range", 1, 3}}})
		print(aws.json.encode{ok = ok, small = small})`, bucket)
	var posts map[string]struct {
		URL    string            `json:"url"`
		Fields map[string]string `json:"fields"`
	}
	if err := json.Unmarshal([]byte(out), &posts); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if code, text := presignedPost(t, posts["ok"].URL, posts["ok"].Fields, "a,b\n1,2\n"); code != http.StatusNoContent {
		t.Fatalf("POST: %d %s", code, text)
	}
	got := l.must(t, `local r = aws.client("s3"):get_object{Bucket = ..., Key = "uploads/report.csv"}
		print(r.ContentType, r.Body:read())`, bucket)
	if got != "text/csv\ta,b\n1,2\n\n" {
		t.Errorf("the uploaded object: %q", got)
	}
	// A file over the policy's content-length-range is refused.
	if code, _ := presignedPost(t, posts["small"].URL, posts["small"].Fields, "too long"); code < 400 {
		t.Errorf("a POST over the size limit: %d, want refused", code)
	}
	// A field changed after signing breaks the signature.
	forged := posts["small"].Fields
	forged["key"] = "other.txt"
	if code, _ := presignedPost(t, posts["small"].URL, forged, "ab"); code < 400 {
		t.Errorf("a POST with a changed key: %d, want refused", code)
	}
}

// TestS3ErrorIn200: S3 answers a copy with 200 and then, in the body, an
// error; the copy fails with that error, after the retries botocore makes
// of it, instead of passing for a success.
func TestS3ErrorIn200(t *testing.T) {
	url, n := luaFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>R1</RequestId></Error>`)
	})
	l := newLua(t, "", bindings.Options{Session: luaSession(t, url)})
	out := l.must(t, `
		local s3 = aws.client("s3", {config = {retries = {max_attempts = 2}}})
		local ok, err = pcall(s3.copy_object, s3, {Bucket = "b", Key = "k", CopySource = "b/src"})
		print(ok, err.code, err.retry_attempts)`)
	if out != "false\tInternalError\t2\n" {
		t.Errorf("printed %q", out)
	}
	if got := n.Load(); got != 3 {
		t.Errorf("%d requests, want 3 (the error is retried twice)", got)
	}
}
