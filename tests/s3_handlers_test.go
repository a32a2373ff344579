package tests

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	neturl "net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/sdk"
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

// TestPresignQueryProtocol: a presigned URL of a query-protocol operation
// (STS GetCallerIdentity, as EKS tokens use) is a GET with the operation's
// parameters in the query, as boto3 makes it: the same parameters, the same
// host and path, with boto3 itself as the reference.
func TestPresignQueryProtocol(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 with boto3 to compare with")
	}
	ref, err := exec.Command(py, "-c", `import boto3
c = boto3.client("sts", region_name="eu-west-1", aws_access_key_id="AK", aws_secret_access_key="SK")
print(c.generate_presigned_url("get_caller_identity", ExpiresIn=900))`).Output()
	if err != nil {
		t.Skipf("boto3: %v", err)
	}
	sess, err := sdk.NewSession(t.Context(), sdk.WithRegion("eu-west-1"), sdk.WithCredentials("AK", "SK", ""))
	if err != nil {
		t.Fatal(err)
	}
	c, err := sess.Client("sts")
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Presign(t.Context(), "get_caller_identity", nil, 900*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := neturl.Parse(strings.TrimSpace(string(ref)))
	have, _ := neturl.Parse(got.URL)
	if got.Method != http.MethodGet || have.Host != want.Host || have.Path != want.Path {
		t.Errorf("%s %s, want GET %s", got.Method, got.URL, want)
	}
	for k, v := range want.Query() {
		if k == "X-Amz-Signature" || k == "X-Amz-Date" {
			continue
		}
		if have.Query().Get(k) != v[0] {
			t.Errorf("%s = %q, boto3 has %q", k, have.Query().Get(k), v[0])
		}
	}
	if len(have.Query()) != len(want.Query()) {
		t.Errorf("query %v, boto3's %v", have.Query(), want.Query())
	}
}

// TestCrossRegionCopyPresignedURL: RDS's SourceRegion, which the API does
// not take, is sent as a PreSignedUrl of the same request signed in the
// source region, and EC2's CopySnapshot gets its PresignedUrl, as boto3
// sends them; the test's server records what arrives.
func TestCrossRegionCopyPresignedURL(t *testing.T) {
	var bodies []string
	url, _ := luaFake(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		w.WriteHeader(400)
		io.WriteString(w, `<ErrorResponse><Error><Code>Stop</Code><Message>recorded</Message></Error></ErrorResponse>`)
	})
	l := newLua(t, "", bindings.Options{Session: luaSession(t, url)})
	l.must(t, `
		local rds = aws.client("rds", {region_name = "us-west-2"})
		pcall(rds.copy_db_snapshot, rds, {SourceDBSnapshotIdentifier = "arn:aws:rds:us-east-1:123456789012:snapshot:s1",
			TargetDBSnapshotIdentifier = "t1", SourceRegion = "us-east-1"})
		local ec2 = aws.client("ec2", {region_name = "us-west-2"})
		pcall(ec2.copy_snapshot, ec2, {SourceSnapshotId = "snap-1", SourceRegion = "eu-west-1"})`)
	if len(bodies) != 2 {
		t.Fatalf("%d requests: %q", len(bodies), bodies)
	}
	rds, _ := neturl.ParseQuery(bodies[0])
	if rds.Has("SourceRegion") {
		t.Errorf("RDS was sent SourceRegion: %v", rds)
	}
	pre, err := neturl.Parse(rds.Get("PreSignedUrl"))
	if err != nil || pre.Query().Get("Action") != "CopyDBSnapshot" || pre.Query().Get("DestinationRegion") != "us-west-2" ||
		!strings.Contains(pre.Query().Get("X-Amz-Credential"), "/us-east-1/rds/aws4_request") {
		t.Errorf("RDS PreSignedUrl %q", rds.Get("PreSignedUrl"))
	}
	ec2, _ := neturl.ParseQuery(bodies[1])
	pre, err = neturl.Parse(ec2.Get("PresignedUrl"))
	if err != nil || ec2.Get("DestinationRegion") != "us-west-2" || pre.Query().Get("Action") != "CopySnapshot" ||
		!strings.Contains(pre.Query().Get("X-Amz-Credential"), "/eu-west-1/ec2/aws4_request") {
		t.Errorf("EC2 body %v", ec2)
	}
}
