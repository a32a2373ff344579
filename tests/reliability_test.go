package tests

// Reliability and safety: faults injected between the clients and the
// servers, timeouts and cancellation, bad input to the awslua command,
// secrets in every output, and the limits an embedding program sets. The
// figures each test logs (calls survived, bytes lost, secrets leaked,
// operations refused) are the ones README.md's "Reliability" section gives.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// ---- helpers ----

// relFaults are the rates (0 to 1) at which a relProxy answers a request
// with a fault instead of the server's answer. The rates add up: a request
// draws one number and falls into at most one of them.
type relFaults struct {
	Err500   float64 // 500 InternalError
	Err503   float64 // 503 ServiceUnavailable
	Throttle float64 // S3: 503 SlowDown (XML); JSON services: 400 ThrottlingException
	Reset    float64 // the connection is reset before anything is answered
	Delay    float64 // forwarded after DelayFor: slow, not failed
	DelayFor time.Duration
	// Match selects the requests that faults apply to; nil means all.
	Match func(*http.Request) bool
}

// relFaultKinds are the kinds of relProxy's counters that are failures.
var relFaultKinds = []string{"500", "503", "throttle", "reset"}

// relProxy is a fault-injecting reverse proxy in front of MinIO or moto,
// on 127.0.0.1. Its random source is seeded, and it counts what it did by
// kind: "forwarded", "delay" (also forwarded) and the relFaultKinds.
type relProxy struct {
	URL    string
	target *url.URL
	rp     *httputil.ReverseProxy

	mu     sync.Mutex
	rng    *rand.Rand
	faults relFaults
	counts map[string]int
}

// relNewProxy starts a proxy to the named server ("minio" or "moto") that
// injects no faults until Set is called.
func relNewProxy(t *testing.T, server string, seed uint64) *relProxy {
	t.Helper()
	target, err := url.Parse(testenv.URL(t, server))
	if err != nil {
		t.Fatal(err)
	}
	p := &relProxy{target: target, rng: rand.New(rand.NewPCG(seed, 0x5eed)), counts: map[string]int{}}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	p.rp = &httputil.ReverseProxy{
		// The Host header stays the proxy's, which is what the client signed.
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme, pr.Out.URL.Host = target.Scheme, target.Host
			pr.Out.Host = pr.In.Host
		},
		Transport: transport,
		ErrorLog:  nil,
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	t.Cleanup(transport.CloseIdleConnections)
	p.URL = srv.URL
	return p
}

// Set changes the fault rates.
func (p *relProxy) Set(f relFaults) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = f
}

// Counts returns a copy of the counters.
func (p *relProxy) Counts() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := make(map[string]int, len(p.counts))
	for k, v := range p.counts {
		c[k] = v
	}
	return c
}

// Faults returns how many requests failed on purpose.
func (p *relProxy) Faults() int {
	c := p.Counts()
	n := 0
	for _, k := range relFaultKinds {
		n += c[k]
	}
	return n
}

// Reset zeroes the counters.
func (p *relProxy) ResetCounts() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts = map[string]int{}
}

func (p *relProxy) pick(r *http.Request) (string, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := p.faults
	kind := "forwarded"
	if f.Match == nil || f.Match(r) {
		x := p.rng.Float64()
		for _, k := range []struct {
			name string
			rate float64
		}{{"500", f.Err500}, {"503", f.Err503}, {"throttle", f.Throttle}, {"reset", f.Reset}, {"delay", f.Delay}} {
			if x < k.rate {
				kind = k.name
				break
			}
			x -= k.rate
		}
	}
	p.counts[kind]++
	if kind != "forwarded" && kind != "delay" {
		if relIsUploadPart(r) {
			p.counts["faulted UploadPart"]++
		} else if r.Method == http.MethodGet && r.Header.Get("Range") != "" {
			p.counts["faulted ranged GetObject"]++
		}
	}
	if kind == "delay" {
		p.counts["forwarded"]++
	}
	return kind, f.DelayFor
}

func (p *relProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	kind, delay := p.pick(r)
	// Every connection carries one request: otherwise Go's transport would
	// itself send a GET again on a new connection after a reset of a reused
	// one, a retry that the SDK (and its RetryAttempts) would not see.
	w.Header().Set("Connection", "close")
	isJSON := strings.Contains(r.Header.Get("Content-Type"), "json") || r.Header.Get("X-Amz-Target") != ""
	fail := func(status int, code, message string) {
		io.Copy(io.Discard, r.Body)
		if isJSON {
			body := fmt.Sprintf(`{"__type":%q,"message":%q}`, code, message)
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			w.Header().Set("X-Amzn-Requestid", "relproxy")
			// DynamoDB checks it, and real servers send it.
			w.Header().Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(body))), 10))
			w.WriteHeader(status)
			io.WriteString(w, body)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		w.Header().Set("X-Amz-Request-Id", "relproxy")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
				`<Error><Code>%s</Code><Message>%s</Message><RequestId>relproxy</RequestId><HostId>relproxy</HostId></Error>`, code, message)
		}
	}
	switch kind {
	case "500":
		fail(500, "InternalError", "We encountered an internal error. Please try again.")
	case "503":
		fail(503, "ServiceUnavailable", "Please reduce your request rate.")
	case "throttle":
		if isJSON {
			fail(400, "ThrottlingException", "Rate exceeded")
		} else {
			fail(503, "SlowDown", "Please reduce your request rate.")
		}
	case "reset":
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			tcp.SetLinger(0) // an RST, not a FIN
		}
		conn.Close()
	case "delay":
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		p.rp.ServeHTTP(w, r)
	default:
		p.rp.ServeHTTP(w, r)
	}
}

// relIsUploadPart reports whether r is an S3 UploadPart.
func relIsUploadPart(r *http.Request) bool {
	return r.Method == http.MethodPut && r.URL.Query().Get("partNumber") != ""
}

// relBucket creates a MinIO bucket and, when the test ends, empties it
// (objects and multipart uploads) and deletes it.
func relBucket(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	c := testenv.Client(t, "minio", "s3")
	bucket := testenv.Name("awslua-rel")
	if _, err := c.Call(ctx, "CreateBucket", map[string]any{"Bucket": bucket}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, u := range relUploads(t, bucket) {
			c.Call(ctx, "AbortMultipartUpload", map[string]any{"Bucket": bucket, "Key": u[0], "UploadId": u[1]})
		}
		for page, err := range c.Paginate(ctx, "ListObjectsV2", map[string]any{"Bucket": bucket}, sdk.PaginationConfig{}) {
			if err != nil {
				break
			}
			contents, _ := page["Contents"].([]any)
			for _, o := range contents {
				c.Call(ctx, "DeleteObject", map[string]any{"Bucket": bucket, "Key": o.(map[string]any)["Key"]})
			}
		}
		c.Call(ctx, "DeleteBucket", map[string]any{"Bucket": bucket})
	})
	return bucket
}

// relUploads lists the multipart uploads in progress in a bucket, as
// {key, upload id} pairs, straight from MinIO.
func relUploads(t *testing.T, bucket string) [][2]string {
	t.Helper()
	c := testenv.Client(t, "minio", "s3")
	out, err := c.Call(context.Background(), "ListMultipartUploads", map[string]any{"Bucket": bucket})
	if err != nil {
		t.Fatalf("list_multipart_uploads: %v", err)
	}
	var ups [][2]string
	list, _ := out["Uploads"].([]any)
	for _, u := range list {
		m := u.(map[string]any)
		ups = append(ups, [2]string{fmt.Sprint(m["Key"]), fmt.Sprint(m["UploadId"])})
	}
	return ups
}

// relKeys lists a bucket's keys with their ETags, straight from MinIO.
func relKeys(t *testing.T, bucket string) map[string]string {
	t.Helper()
	c := testenv.Client(t, "minio", "s3")
	keys := map[string]string{}
	for page, err := range c.Paginate(context.Background(), "ListObjectsV2", map[string]any{"Bucket": bucket}, sdk.PaginationConfig{}) {
		if err != nil {
			t.Fatalf("list_objects_v2: %v", err)
		}
		contents, _ := page["Contents"].([]any)
		for _, o := range contents {
			m := o.(map[string]any)
			keys[fmt.Sprint(m["Key"])] = fmt.Sprint(m["ETag"])
		}
	}
	return keys
}

// relHead reports the status of a HeadObject straight to MinIO: 200 or the
// error's status.
func relHead(t *testing.T, bucket, key string) int {
	t.Helper()
	c := testenv.Client(t, "minio", "s3")
	_, err := c.Call(context.Background(), "HeadObject", map[string]any{"Bucket": bucket, "Key": key})
	var e *sdk.Error
	switch {
	case err == nil:
		return 200
	case errors.As(err, &e):
		return e.StatusCode
	}
	t.Fatalf("head_object: %v", err)
	return 0
}

// relFile writes size seeded random bytes to a file and returns its path
// and SHA-256.
func relFile(t *testing.T, size int64, seed uint64) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data.bin")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	rng := rand.New(rand.NewPCG(seed, seed))
	buf := make([]byte, 1<<20)
	for left := size; left > 0; {
		n := min(int64(len(buf)), left)
		for i := 0; i < int(n); i += 8 {
			v := rng.Uint64()
			for j := 0; j < 8 && i+j < int(n); j++ {
				buf[i+j] = byte(v >> (8 * j))
			}
		}
		f.Write(buf[:n])
		h.Write(buf[:n])
		left -= n
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, hex.EncodeToString(h.Sum(nil))
}

// relObjectSHA256 downloads an object straight from MinIO and returns its
// size and SHA-256.
func relObjectSHA256(t *testing.T, bucket, key string) (int64, string) {
	t.Helper()
	c := testenv.Client(t, "minio", "s3")
	out, err := c.Call(context.Background(), "GetObject", map[string]any{"Bucket": bucket, "Key": key})
	if err != nil {
		t.Fatalf("get_object %s: %v", key, err)
	}
	body := out["Body"].(io.ReadCloser)
	defer body.Close()
	h := sha256.New()
	n, err := io.Copy(h, body)
	if err != nil {
		t.Fatalf("reading %s: %v", key, err)
	}
	return n, hex.EncodeToString(h.Sum(nil))
}

// relFileSHA256 returns a file's SHA-256.
func relFileSHA256(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// relFigure logs a figure that README.md's "Reliability" section reports.
func relFigure(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Logf("FIGURE "+format, args...)
}

// relPanicked reports whether output shows a Go panic or a runtime crash.
func relPanicked(s string) bool {
	return strings.Contains(s, "goroutine ") || strings.Contains(s, "panic:") || strings.Contains(s, "fatal error:")
}

// ---- 1. faults ----

// relMixedLua makes n calls, mostly S3 put/get/head/list and a few SQS and
// DynamoDB ones, through clients in standard retry mode, and prints what it
// counted: calls, the sum of RetryAttempts, failures, and wrong answers
// (bodies and items that came back other than written).
const relMixedLua = `
local bucket, prefix, n, s3url, motourl, queue, tbl = ...
n = tonumber(n)
local cfg = {retries = {mode = "standard", max_attempts = 10}}
local s3 = aws.client("s3", {endpoint_url = s3url, config = cfg})
local sqs = aws.client("sqs", {endpoint_url = motourl, config = cfg})
local ddb = aws.client("dynamodb", {endpoint_url = motourl, config = cfg})
local calls, retries, failed, bad = 0, 0, 0, 0
local function call(c, op, args)
  calls = calls + 1
  local ok, r = pcall(c[op], c, args)
  if not ok then
    failed = failed + 1
    if type(r) == "table" and r.retry_attempts then retries = retries + r.retry_attempts end
    print("FAIL " .. op .. ": " .. tostring(r))
    return nil
  end
  retries = retries + r.ResponseMetadata.RetryAttempts
  return r
end
local function body(key) return string.rep(key .. ";", 50) end
local ops = {"put", "get", "head", "list"}
local last
for i = 1, n do
  local m = i % 20
  if m == 0 then
    call(sqs, "send_message", {QueueUrl = queue, MessageBody = prefix .. i})
  elseif m == 10 then
    call(ddb, "put_item", {TableName = tbl, Item = {pk = {S = prefix .. i}, n = {N = tostring(i)}}})
  elseif m == 11 then
    local r = call(ddb, "get_item", {TableName = tbl, Key = {pk = {S = prefix .. (i - 1)}}, ConsistentRead = true})
    if r and (not r.Item or r.Item.n.N ~= tostring(i - 1)) then bad = bad + 1; print("BAD item " .. (i - 1)) end
  else
    local op = last and ops[i % 4 + 1] or "put"
    if op == "put" then
      last = prefix .. i
      call(s3, "put_object", {Bucket = bucket, Key = last, Body = body(last)})
    elseif op == "get" then
      local r = call(s3, "get_object", {Bucket = bucket, Key = last})
      if r then
        local got = r.Body:read()
        if got ~= body(last) then bad = bad + 1; print("BAD body " .. last .. ": " .. #got .. " bytes") end
      end
    elseif op == "head" then
      local r = call(s3, "head_object", {Bucket = bucket, Key = last})
      if r and r.ContentLength ~= #body(last) then bad = bad + 1; print("BAD head " .. last) end
    else
      local r = call(s3, "list_objects_v2", {Bucket = bucket, Prefix = prefix, MaxKeys = 5})
      if r and (r.KeyCount or 0) < 1 then bad = bad + 1; print("BAD list") end
    end
  end
end
print(string.format("calls=%d retries=%d failed=%d bad=%d", calls, retries, failed, bad))
`

// relMotoFixtures creates an SQS queue and a DynamoDB table on moto, and
// deletes them when the test ends.
func relMotoFixtures(t *testing.T) (queueURL, table string) {
	t.Helper()
	ctx := context.Background()
	sqs := testenv.Client(t, "moto", "sqs")
	ddb := testenv.Client(t, "moto", "dynamodb")
	out, err := sqs.Call(ctx, "CreateQueue", map[string]any{"QueueName": testenv.Name("awslua-rel")})
	if err != nil {
		t.Fatal(err)
	}
	queueURL = out["QueueUrl"].(string)
	table = testenv.Name("awslua-rel")
	if _, err := ddb.Call(ctx, "CreateTable", map[string]any{"TableName": table, "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"}}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sqs.Call(ctx, "DeleteQueue", map[string]any{"QueueUrl": queueURL})
		ddb.Call(ctx, "DeleteTable", map[string]any{"TableName": table})
	})
	return queueURL, table
}

var relCounted = regexp.MustCompile(`calls=(\d+) retries=(\d+) failed=(\d+) bad=(\d+)`)

// TestReliabilityFaultsMixedCalls makes 1,000 calls through proxies that
// fail 20% of the requests: every call succeeds under the standard retry
// mode with 10 retries, no answer is wrong, and the RetryAttempts of the
// responses add up to the faults injected.
func TestReliabilityFaultsMixedCalls(t *testing.T) {
	t.Parallel()
	const workers, perWorker = 20, 50
	bucket := relBucket(t)
	queue, table := relMotoFixtures(t)
	minio := relNewProxy(t, "minio", 1)
	moto := relNewProxy(t, "moto", 2)
	faults := relFaults{Err500: 0.05, Err503: 0.05, Throttle: 0.05, Reset: 0.05, Delay: 0.05, DelayFor: 50 * time.Millisecond}
	minio.Set(faults)
	moto.Set(faults)

	// Each worker is a runtime of its own, on a goroutine of its own, as
	// the bindings require.
	rts := make([]*luaRT, workers)
	for i := range rts {
		rts[i] = newLua(t, "minio", bindings.Options{})
	}
	outs := make([]string, workers)
	errs := make([]error, workers)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range rts {
		wg.Go(func() {
			outs[i], errs[i] = rts[i].run(relMixedLua, bucket, fmt.Sprintf("w%02d/", i), strconv.Itoa(perWorker),
				minio.URL, moto.URL, queue, table)
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	var calls, retries, failed, bad int
	for i, out := range outs {
		if errs[i] != nil {
			t.Fatalf("worker %d: %v\n%s", i, errs[i], out)
		}
		m := relCounted.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("worker %d printed no counts:\n%s", i, out)
		}
		if strings.Contains(out, "FAIL") || strings.Contains(out, "BAD") {
			t.Errorf("worker %d:\n%s", i, out)
		}
		n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
		calls, retries, failed, bad = calls+n(1), retries+n(2), failed+n(3), bad+n(4)
	}
	injected := minio.Faults() + moto.Faults()
	t.Logf("minio proxy: %v; moto proxy: %v", minio.Counts(), moto.Counts())
	relFigure(t, "20%% faults: %d of %d calls succeeded (%d failed, %d wrong answers); %d faults injected, RetryAttempts sum %d; %v",
		calls-failed, calls, failed, bad, injected, retries, elapsed.Round(time.Second))
	if calls != workers*perWorker {
		t.Errorf("%d calls, want %d", calls, workers*perWorker)
	}
	if failed != 0 || bad != 0 {
		t.Errorf("%d calls failed and %d answers were wrong at 20%% faults", failed, bad)
	}
	if injected < calls/10 {
		t.Errorf("only %d faults injected in %d calls", injected, calls)
	}
	// Every fault costs one retry and nothing else retries: the sum is
	// exact (the proxies close every connection after one request, so Go's
	// transport never retries on its own).
	if retries != injected {
		t.Errorf("RetryAttempts add up to %d, %d faults were injected", retries, injected)
	}
}

// TestReliabilityFaultsMultipart uploads 100 MiB in 8 MiB parts with
// upload_file through a proxy that fails 10% of the requests, then
// downloads it with download_file through the same proxy: the object and
// the downloaded file both match the file byte for byte.
func TestReliabilityFaultsMultipart(t *testing.T) {
	t.Parallel()
	const size = 100 << 20
	bucket := relBucket(t)
	path, sum := relFile(t, size, 42)
	proxy := relNewProxy(t, "minio", 3)
	proxy.Set(relFaults{Err500: 0.025, Err503: 0.025, Throttle: 0.025, Reset: 0.025, Delay: 0.05, DelayFor: 100 * time.Millisecond})
	l := newLua(t, "minio", bindings.Options{Libs: bindings.AllLibs})
	// Rounds of one upload and one download each: 30 requests a round.
	const rounds = 4
	lost := 0
	start := time.Now()
	for round := range rounds {
		key := fmt.Sprintf("big-%d.bin", round)
		back := filepath.Join(t.TempDir(), key)
		out := l.must(t, `
local bucket, key, path, back, url = ...
local s3 = aws.client("s3", {endpoint_url = url, config = {retries = {mode = "standard", max_attempts = 10}}})
local cfg = {multipart_threshold = 8 * 1024 * 1024, multipart_chunksize = 8 * 1024 * 1024}
local moved = 0
s3:upload_file(path, bucket, key, {Config = cfg, Callback = function(n) moved = moved + n end})
print("uploaded " .. moved)
s3:download_file(bucket, key, back, {Config = cfg})
print("downloaded")
`, bucket, key, path, back, proxy.URL)
		if out != fmt.Sprintf("uploaded %d\ndownloaded\n", size) {
			t.Errorf("printed %q", out)
		}
		if n, got := relObjectSHA256(t, bucket, key); n != size || got != sum {
			lost += size
			t.Errorf("%s has %d bytes and SHA-256 %s; the file %d bytes and %s", key, n, got, size, sum)
		}
		if got := relFileSHA256(t, back); got != sum {
			lost += size
			t.Errorf("the file downloaded through the faults has SHA-256 %s, want %s", got, sum)
		}
		os.Remove(back)
	}
	elapsed := time.Since(start)
	c := proxy.Counts()
	t.Logf("proxy: %v", c)
	if ups := relUploads(t, bucket); len(ups) != 0 {
		t.Errorf("multipart uploads left behind: %v", ups)
	}
	relFigure(t, "10%% faults: %d rounds of a 100 MiB upload_file (8 MiB parts) and download_file survived %d injected faults (%d on UploadPart, %d on ranged GetObject) in %d requests; bytes lost %d; %v",
		rounds, proxy.Faults(), c["faulted UploadPart"], c["faulted ranged GetObject"], c["forwarded"]+proxy.Faults(), lost, elapsed.Round(time.Second))
	if proxy.Faults() == 0 {
		t.Error("no faults injected")
	}
}

// TestReliabilityFaultsExhausted fails every request: a call gives up after
// its 3 attempts and says so, and nothing is left on the server, for a
// single put_object and for a multipart upload_file.
func TestReliabilityFaultsExhausted(t *testing.T) {
	t.Parallel()
	bucket := relBucket(t)
	path, _ := relFile(t, 20<<20, 7)
	proxy := relNewProxy(t, "minio", 4)
	l := newLua(t, "minio", bindings.Options{Libs: bindings.AllLibs})
	const client = `
local bucket, path, url = ...
local s3 = aws.client("s3", {endpoint_url = url, config = {retries = {mode = "standard", total_max_attempts = 3}}})
local cfg = {multipart_threshold = 8 * 1024 * 1024, multipart_chunksize = 8 * 1024 * 1024}
`
	for _, tc := range []struct {
		name, key, src string
		faults         relFaults
		requests       int    // the requests the proxy sees; 0: not checked
		code, text     string // err.code and what tostring(err) holds
	}{
		{"put_object, 500", "single-500", `s3:put_object{Bucket = bucket, Key = "single-500", Body = "x"}`, relFaults{Err500: 1},
			3, "InternalError", "An error occurred (InternalError) when calling the PutObject operation (reached max retries: 2): "},
		{"put_object, SlowDown", "single-slowdown", `s3:put_object{Bucket = bucket, Key = "single-slowdown", Body = "x"}`, relFaults{Throttle: 1},
			3, "SlowDown", "An error occurred (SlowDown) when calling the PutObject operation (reached max retries: 2): "},
		// No answer at all: the SDK's own message, which counts attempts.
		{"put_object, reset", "single-reset", `s3:put_object{Bucket = bucket, Key = "single-reset", Body = "x"}`, relFaults{Reset: 1},
			3, "Error", "PutObject, exceeded maximum number of attempts, 3"},
		{"upload_file, every request", "multi-all", `s3:upload_file(path, bucket, "multi-all", {Config = cfg})`, relFaults{Err503: 1},
			3, "ServiceUnavailable", "when calling the CreateMultipartUpload operation (reached max retries: 2): "},
		// CreateMultipartUpload passes and every part fails: the upload must
		// be aborted.
		{"upload_file, every part", "multi-parts", `s3:upload_file(path, bucket, "multi-parts", {Config = cfg})`, relFaults{Err500: 1, Match: relIsUploadPart},
			0, "InternalError", "when calling the UploadPart operation (reached max retries: 2): "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxy.Set(tc.faults)
			proxy.ResetCounts()
			out, err := l.run(client+`
local ok, err = pcall(function() `+tc.src+` end)
assert(not ok, "the call succeeded")
print(err.code)
print(err.retry_attempts)
print(tostring(err))
`, bucket, path, proxy.URL)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			t.Logf("proxy: %v\n%s", proxy.Counts(), out)
			lines := strings.SplitN(out, "\n", 3)
			if len(lines) < 3 || lines[0] != tc.code || lines[1] != "2" || !strings.Contains(lines[2], tc.text) {
				t.Errorf("want code %s, retry_attempts 2 and an error with %q; printed:\n%s", tc.code, tc.text, out)
			}
			if c := proxy.Counts(); tc.requests > 0 && c["forwarded"]+proxy.Faults() != tc.requests {
				t.Errorf("the proxy saw %v, want %d requests", c, tc.requests)
			}
			if relHead(t, bucket, tc.key) != 404 {
				t.Errorf("%s exists after the failed call", tc.key)
			}
			if ups := relUploads(t, bucket); len(ups) != 0 {
				t.Errorf("multipart uploads left behind: %v", ups)
			}
		})
	}
}

// TestReliabilityRetryQuota shows where the standard mode's retry quota
// ends: each client has 500 tokens, a retry costs 5 and a success gives
// them back, so a client whose calls keep failing stops retrying after
// about 100 retries that nothing repaid, and says so. The calls of
// TestReliabilityFaultsMixedCalls never come near it.
func TestReliabilityRetryQuota(t *testing.T) {
	t.Parallel()
	bucket := relBucket(t)
	proxy := relNewProxy(t, "minio", 5)
	proxy.Set(relFaults{Err500: 1})
	c := testenv.Client(t, "minio", "s3", func(o *sdk.ClientOptions) {
		o.EndpointURL, o.RetryMode, o.MaxAttempts = proxy.URL, "standard", 3
	})
	const calls = 80
	errs := make([]error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			_, errs[i] = c.Call(context.Background(), "PutObject", map[string]any{"Bucket": bucket, "Key": "quota", "Body": "x"})
		})
	}
	wg.Wait()
	// A call the quota stops returns its last error, as botocore's does: a
	// service error whose retry_attempts says how many retries it got, and
	// without "reached max retries".
	exhausted, stopped := 0, map[int]int{}
	for _, err := range errs {
		var e *sdk.Error
		switch {
		case err == nil:
			t.Error("a call succeeded at 100% faults")
		case !errors.As(err, &e) || e.Code != "InternalError":
			t.Errorf("unexpected error: %v", err)
		case e.MaxRetriesReached && e.RetryAttempts == 2:
			exhausted++
		case !e.MaxRetriesReached && e.RetryAttempts < 2 && !strings.Contains(err.Error(), "max retries"):
			stopped[e.RetryAttempts]++
		default:
			t.Errorf("unexpected error (retries %d, max reached %v): %v", e.RetryAttempts, e.MaxRetriesReached, err)
		}
	}
	relFigure(t, "retry quota: of %d concurrent calls failing at 100%% faults on one client, %d made all 3 attempts, %v (retries: calls) stopped early on the retry quota; %d requests",
		calls, exhausted, stopped, proxy.Faults())
	// 500 tokens at 5 a retry: 100 retries in all, none repaid.
	if got := proxy.Faults() - calls; got != 100 {
		t.Errorf("%d retries were made, want the quota's 100", got)
	}
}

// ---- 2. timeouts and cancellation ----

// relBlackhole returns the URL of a port on 127.0.0.1 whose listener never
// accepts and whose queue is full: a connection to it is never
// established, as to a host that drops packets.
func relBlackhole(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
	// A backlog of 0 queues one connection; it fills the queue, and the
	// kernel drops the SYNs of every other.
	filler, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { filler.Close() })
	if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
		c.Close()
		t.Skip("this kernel completes connections beyond the listen queue")
	}
	return "http://" + addr
}

// relStalling starts a server that reads a request and then sends nothing
// until the test ends; with body set, it sends the headers and the first
// bytes of a body of 1 MiB, and then stalls.
func relStalling(t *testing.T, body bool) string {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if body {
			w.Header().Set("Content-Length", strconv.Itoa(1<<20))
			w.WriteHeader(200)
			w.Write([]byte("the first bytes"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-done:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) })
	return srv.URL
}

// TestReliabilityClientTimeouts: connect_timeout and read_timeout end a
// call in about the time they give, with no retries to add to it.
func TestReliabilityClientTimeouts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, url, config, call string
		want                    time.Duration
		text                    string
	}{
		{"connect_timeout", relBlackhole(t), "connect_timeout = 1", `s3:list_buckets{}`, time.Second, "Connect timeout on endpoint URL"},
		{"read_timeout", relStalling(t, false), "read_timeout = 1", `s3:list_buckets{}`, time.Second, "timeout"},
		{"read_timeout, streaming body", relStalling(t, true), "read_timeout = 1", `s3:get_object{Bucket = "b", Key = "k"}.Body:read()`, time.Second, "timeout"},
		{"read_timeout, body of a listing", relStalling(t, true), "read_timeout = 1", `s3:list_buckets{}`, time.Second, "timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newLua(t, "minio", bindings.Options{})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			out, err := l.runCtx(ctx, `
local s3 = aws.client("s3", {endpoint_url = ..., config = {`+tc.config+`, retries = {max_attempts = 0}}})
`+tc.call, tc.url)
			elapsed := time.Since(start)
			t.Logf("after %v: %v %s", elapsed, err, out)
			if err == nil {
				t.Fatal("the call succeeded")
			}
			if ctx.Err() != nil {
				t.Fatalf("%s did not end the call: the test's own 20 s did", tc.name)
			}
			if elapsed < tc.want*9/10 || elapsed > tc.want*5/2 {
				t.Errorf("%s of %v ended the call after %v", tc.name, tc.want, elapsed)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %q lacks %q", err, tc.text)
			}
		})
	}
}

// relSlow starts a server that takes its time but keeps going: it reads
// the first 4 MiB of a request's body 64 KiB at a time with a pause of
// readPause after each (the rest at once, so that it answers as soon as the
// body is in), and answers with a body of n chunks of 64 KiB, with a pause
// of writePause before each.
func relSlow(t *testing.T, readPause, writePause time.Duration, chunks int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 64<<10)
		for range 64 {
			if _, err := io.ReadFull(r.Body, buf); err != nil {
				break
			}
			time.Sleep(readPause)
		}
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Length", strconv.Itoa(chunks*len(buf)))
		w.WriteHeader(200)
		for range chunks {
			time.Sleep(writePause)
			w.Write(buf)
			w.(http.Flusher).Flush()
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestReliabilityReadTimeoutSlowButSteady: read_timeout bounds each wait,
// not the call: an upload and a download that take longer than it, but
// never stop, succeed.
func TestReliabilityReadTimeoutSlowButSteady(t *testing.T) {
	t.Parallel()
	l := newLua(t, "minio", bindings.Options{})
	url := relSlow(t, 30*time.Millisecond, 300*time.Millisecond, 8)
	for _, tc := range []struct{ name, src, want string }{
		{"upload", `s3:put_object{Bucket = "b", Key = "k", Body = string.rep("x", 8 * 1024 * 1024)}`, ""},
		{"download", `print(#s3:get_object{Bucket = "b", Key = "k"}.Body:read())`, "524288\n"},
	} {
		start := time.Now()
		l.expect(t, `
local s3 = aws.client("s3", {endpoint_url = ..., config = {read_timeout = 1, retries = {max_attempts = 0}}})
`+tc.src, tc.want, url)
		if d := time.Since(start); d < 3*time.Second/2 {
			t.Errorf("%s: the slow server took only %v", tc.name, d)
		} else {
			t.Logf("%s took %v with a read_timeout of 1 s", tc.name, d)
		}
	}
}

// TestReliabilityCancelMultipart stops a multipart upload_file halfway, by
// cancelling the context of DoString from Go and with the command's
// --timeout: the call ends promptly and no multipart upload stays behind.
func TestReliabilityCancelMultipart(t *testing.T) {
	t.Parallel()
	bucket := relBucket(t)
	path, _ := relFile(t, 64<<20, 9)
	proxy := relNewProxy(t, "minio", 6)
	// Each part takes a second to get through: the upload takes several.
	proxy.Set(relFaults{Delay: 1, DelayFor: time.Second, Match: relIsUploadPart})
	const upload = `
local bucket, key, path, url = ...
local s3 = aws.client("s3", {endpoint_url = url})
s3:upload_file(path, bucket, key, {Config = {multipart_chunksize = 8 * 1024 * 1024, max_concurrency = 2}})
print("not reached")
`
	check := func(t *testing.T, key string) {
		t.Helper()
		if ups := relUploads(t, bucket); len(ups) != 0 {
			t.Errorf("multipart uploads left behind: %v", ups)
		}
		if relHead(t, bucket, key) != 404 {
			t.Errorf("%s exists", key)
		}
	}

	t.Run("context", func(t *testing.T) {
		l := newLua(t, "minio", bindings.Options{Libs: bindings.AllLibs})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		time.AfterFunc(2500*time.Millisecond, cancel)
		start := time.Now()
		out, err := l.runCtx(ctx, upload, bucket, "cancelled.bin", path, proxy.URL)
		elapsed := time.Since(start)
		t.Logf("after %v: %v %s; proxy %v", elapsed, err, out, proxy.Counts())
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v is not context.Canceled", err)
		}
		if elapsed > 4*time.Second {
			t.Errorf("DoString returned %v after the cancellation at 2.5 s", elapsed-2500*time.Millisecond)
		}
		check(t, "cancelled.bin")
	})

	t.Run("--timeout", func(t *testing.T) {
		env := append(cliWithout(testenv.Env(t, "minio"), "AWS_ENDPOINT_URL"), "AWS_ENDPOINT_URL="+proxy.URL)
		script := cliWrite(t, t.TempDir(), "upload.lua", upload)
		r := cliCmd{env: env}.run(t, "--timeout", "2.5s", script, bucket, "timeout.bin", path, proxy.URL).want(t, 1)
		t.Logf("after %v: %s", r.elapsed, r)
		cliHas(t, "stderr", r.stderr, "deadline exceeded")
		if r.stdout != "" || relPanicked(r.stderr) {
			t.Errorf("%s", r)
		}
		if r.elapsed > 5*time.Second {
			t.Errorf("--timeout 2.5s ended the command after %v", r.elapsed)
		}
		check(t, "timeout.bin")
	})
}

// ---- 3. bad input ----

// TestReliabilityBadInput feeds the awslua command scripts that are wrong
// or hostile: each ends with a clear error and exit status 1, in about the
// time --timeout gives, and never with a Go panic or crash.
func TestReliabilityBadInput(t *testing.T) {
	t.Parallel()
	// Keys, a region and an endpoint that refuses connections: the
	// requests below fail before anything is sent.
	env := cliOffline(t, "AWS_ACCESS_KEY_ID=AKIDBAD", "AWS_SECRET_ACCESS_KEY=bad", "AWS_REGION=us-east-1",
		"AWS_ENDPOINT_URL=http://127.0.0.1:1")
	dir := t.TempDir()
	deep := `local t = {} for i = 1, 1e6 do t = {a = t} end `
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string        // in stderr
		most  time.Duration // the longest it may take
	}{
		{"malformed chunk", []string{"-e", "local x = = 1"}, "", 1, "syntax error", 5 * time.Second},
		{"malformed file", []string{cliWrite(t, dir, "bad.lua", "print(1)\nfunction f(\n")}, "", 1, "bad.lua", 5 * time.Second},
		{"malformed stdin", []string{"-"}, "for i = 1 do end", 1, "stdin", 5 * time.Second},
		{"unfinished string", []string{"-e", `print("abc`}, "", 1, "(command line)", 5 * time.Second},
		{"runaway loop", []string{"--timeout", "1s", "-e", "while true do end"}, "", 1, "deadline exceeded", 5 * time.Second},
		{"runaway loop under pcall", []string{"--timeout", "1s", "-e", "while true do pcall(function() while true do end end) end"}, "", 1, "deadline exceeded", 5 * time.Second},
		{"runaway coroutine", []string{"--timeout", "1s", "-e", "coroutine.wrap(function() while true do end end)()"}, "", 1, "deadline exceeded", 5 * time.Second},
		// A builtin that backtracks for ever never looks at the context;
		// the command ends the process 5 s after the deadline.
		{"runaway pattern", []string{"--timeout", "1s", "-e", `string.find(("a"):rep(1e5), ("a?"):rep(1e5) .. ("a"):rep(1e5))`}, "", 1, "did not stop", 10 * time.Second},
		{"deep recursion", []string{"-e", "local function f(n) return 1 + f(n + 1) end f(1)"}, "", 1, "stack overflow", 10 * time.Second},
		{"deep recursion through __index", []string{"-e", "local t = setmetatable({}, {}) getmetatable(t).__index = function(t, k) return t[k] end print(t.x)"}, "", 1, "stack overflow", 10 * time.Second},
		{"__index loop", []string{"-e", "local t = {} setmetatable(t, {__index = t}) print(t.x)"}, "", 1, "too many recursions", 5 * time.Second},
		{"huge string as the error", []string{"-e", `error(string.rep("x", 2^28))`}, "", 1, "more bytes)", 20 * time.Second},
		{"huge string.rep", []string{"-e", `print(#string.rep("x", 2^53))`}, "", 1, "out of range", 5 * time.Second},
		{"__tostring that raises", []string{"-e", `error(setmetatable({}, {__tostring = function() error("boom") end}))`}, "", 1, "awslua: table: 0x", 5 * time.Second},
		{"__tostring that returns a table", []string{"-e", `error(setmetatable({}, {__tostring = function() return {} end}))`}, "", 1, "awslua:", 5 * time.Second},
		{"error(nil)", []string{"-e", `error(nil)`}, "", 1, "awslua: nil", 5 * time.Second},
		{"a request that contains itself", []string{"-e", `local t = {} t.a = t aws.client("s3"):list_objects_v2{Bucket = "b", Foo = t}`}, "", 1, "does it contain itself", 5 * time.Second},
		{"a DynamoDB item that contains itself", []string{"-e", `local t = {} t[1] = t aws.client("dynamodb"):put_item{TableName = "t", Item = {a = {L = t}}}`}, "", 1, "does it contain itself", 5 * time.Second},
		{"a resource's item that contains itself", []string{"-e", `local t = {} t.a = t aws.resource("dynamodb"):Table("t"):put_item{Item = {a = t}}`}, "", 1, "does it contain itself", 5 * time.Second},
		{"a request nested a million deep", []string{"-e", deep + `aws.client("s3"):list_objects_v2{Bucket = "b", Foo = t}`}, "", 1, "nested more than", 10 * time.Second},
		{"aws.inspect of a table nested a million deep", []string{"--timeout", "20s", "-e", deep + `assert(#aws.inspect(t) < 1e5) error("inspected")`}, "", 1, "inspected", 10 * time.Second},
		{"REPL, malformed and hostile lines", []string{"-i"}, "local x = = 1\nerror(setmetatable({}, {__tostring = function() error('boom') end}))\nlocal t = {} t.a = t aws.client('s3'):list_buckets(t)\nprint('still here')\n", 1, "does it contain itself", 10 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := cliCmd{env: env, dir: dir, stdin: tc.stdin}.run(t, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d", r.code, tc.code)
			}
			if relPanicked(r.stderr) {
				t.Errorf("a Go panic or crash:\n%.2000s", r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%.2000s", tc.want, r.stderr)
			}
			if len(r.stderr) > 100<<10 {
				t.Errorf("stderr has %d bytes", len(r.stderr))
			}
			if r.elapsed > tc.most {
				t.Errorf("took %v", r.elapsed)
			}
			if strings.HasPrefix(tc.name, "REPL") && !strings.Contains(r.stdout, "still here") {
				t.Errorf("the REPL stopped early: %s", r)
			}
		})
	}
}

// TestReliabilityInterruptStuckBuiltin: Ctrl-C ends a script stuck in a
// builtin that never looks at the context, a moment after it is pressed.
func TestReliabilityInterruptStuckBuiltin(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(cliBinary(t), "-e", `string.find(("a"):rep(1e5), ("a?"):rep(1e5) .. ("a"):rep(1e5))`)
	cmd.Env = cliOffline(t)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	start := time.Now()
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("exit: %v", err)
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatal("Ctrl-C did not end the command in 15 s")
	}
	t.Logf("ended %v after Ctrl-C: %s", time.Since(start), stderr.String())
	if !strings.Contains(stderr.String(), "context canceled") || relPanicked(stderr.String()) {
		t.Errorf("stderr: %s", stderr.String())
	}
}

// ---- 4. secrets ----

// The credentials of TestReliabilitySecrets: letters and digits only, so
// that no escaping (in JSON, in a URL) could hide them from the search.
const (
	relAccessKey = "AKIARELIABILITYTEST1"
	relSecret    = "RelSecretKey0123456789abcdefghijklmnopQRS"
	relToken     = "RelSessionToken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH"
)

// relAuthSignature finds a SigV4 signature as the Authorization header
// carries it ("Signature=<64 hex>"), not a presigned URL's X-Amz-Signature.
var relAuthSignature = regexp.MustCompile(`(^|[^-])Signature=[0-9a-f]{64}`)

// TestReliabilitySecrets runs every path that prints something with a
// known secret key and session token in the environment, and searches all
// of stdout and stderr for them and for a request's signature: the secret
// key never shows; the session token shows only in presigned URLs, which
// need it.
func TestReliabilitySecrets(t *testing.T) {
	t.Parallel()
	base := cliWithout(testenv.Env(t, "moto"), "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
	env := append(slices.Clone(base), "AWS_ACCESS_KEY_ID="+relAccessKey, "AWS_SECRET_ACCESS_KEY="+relSecret, "AWS_SESSION_TOKEN="+relToken)
	// MinIO checks signatures: the right key id with the wrong secret.
	minio := append(cliWithout(testenv.Env(t, "minio"), "AWS_SECRET_ACCESS_KEY"), "AWS_SECRET_ACCESS_KEY="+relSecret)
	minioToken := append(slices.Clone(minio), "AWS_SESSION_TOKEN="+relToken)
	bucket := testenv.Name("awslua-rel-secrets")
	proxy := relNewProxy(t, "moto", 7)
	proxy.Set(relFaults{Err500: 0.3, Reset: 0.1})
	proxied := append(cliWithout(env, "AWS_ENDPOINT_URL"), "AWS_ENDPOINT_URL="+proxy.URL)

	const explicit = `aws.Session{aws_access_key_id = os.getenv("AWS_ACCESS_KEY_ID"),
  aws_secret_access_key = os.getenv("AWS_SECRET_ACCESS_KEY"), aws_session_token = os.getenv("AWS_SESSION_TOKEN")}`
	const keys = `{aws_access_key_id = os.getenv("AWS_ACCESS_KEY_ID"), aws_secret_access_key = os.getenv("AWS_SECRET_ACCESS_KEY"),
  aws_session_token = os.getenv("AWS_SESSION_TOKEN")}`
	runs := []struct {
		name    string
		env     []string
		args    []string
		stdin   string
		presign bool // its output holds presigned URLs, and the token by design
	}{
		{"sessions and credentials", env, []string{"-e", `
local s = aws.Session{}
print(s); print(tostring(s)); print(aws.inspect(s))
local c = s:get_credentials()
print(c); print(aws.inspect(c)); print(aws.json.encode(c))
for k, v in pairs(c) do print(k, v) end
local e = ` + explicit + `
print(e, aws.inspect(e), aws.inspect(e:get_credentials()), aws.json.encode(e:get_credentials()))
local s3 = e:client("s3")
print(s3, aws.inspect(s3), aws.inspect(s3.meta))
local k = aws.client("s3", ` + keys + `)
print(k, aws.inspect(k), aws.inspect(k.meta))
local r = aws.resource("s3", {region_name = "eu-west-1"})
print(r, aws.inspect(r), r:Bucket("b"), aws.inspect(r:Bucket("b")))
aws.setup_default_session` + keys + `
print(aws.inspect(aws.Session{}:get_credentials()))
print(aws.inspect(aws))
print(aws.inspect(getmetatable(s)))
`}, "", false},
		{"errors", env, []string{"-e", `
local s3 = aws.client("s3")
local ok, err = pcall(s3.get_object, s3, {Bucket = ...,  Key = "k"})
print(err, aws.inspect(err), err.message)
ok, err = pcall(aws.client, "s3", {aws_access_key_id = "x", aws_secret_access_key = os.getenv("AWS_SECRET_ACCESS_KEY"), config = {retries = {mode = "nonsense"}}})
print(err)
ok, err = pcall(aws.Session, {profile_name = "missing", aws_secret_access_key = os.getenv("AWS_SECRET_ACCESS_KEY")})
print(err)
s3:get_object{Bucket = ..., Key = "k"}
`, bucket}, "", false},
		{"signature mismatch, caught", minio, []string{"-e", `
local ok, err = pcall(function() return aws.client("s3"):list_buckets{} end)
print(err.code, err.status_code, err, aws.inspect(err))
`}, "", false},
		{"signature mismatch, uncaught", minio, []string{"-e", `aws.client("s3"):list_buckets{}`}, "", false},
		{"signature mismatch with a token, --debug", minioToken, []string{"--debug", "-e", `aws.client("s3"):list_buckets{}`}, "", false},
		{"REPL", env, []string{"-i"}, `s = aws.Session{}
s
print(s)
s:get_credentials()
c = aws.client("s3")
c
c.meta
help(s)
help(c)
e = ` + strings.ReplaceAll(explicit, "\n", " ") + `
e
e:get_credentials()
aws.client("s3", ` + strings.ReplaceAll(keys, "\n", " ") + `)
c:get_object{Bucket = "` + bucket + `", Key = "k"}
print(c:generate_presigned_url("get_object", {Params = {Bucket = "b", Key = "k"}}))
`, true},
		{"--debug, a request and a response", env, []string{"--debug", "-e", `
local s3 = aws.client("s3")
s3:create_bucket{Bucket = ...}
s3:put_object{Bucket = ..., Key = "k", Body = "body"}
print(s3:get_object{Bucket = ..., Key = "k"}.Body:read())
s3:list_buckets{}
s3:delete_object{Bucket = ..., Key = "k"}
s3:delete_bucket{Bucket = ...}
`, bucket}, "", false},
		{"--debug, retries", proxied, []string{"--debug", "-e", `
local s3 = aws.client("s3", {config = {retries = {max_attempts = 20}}})
for i = 1, 10 do s3:list_buckets{} end
local ddb = aws.client("dynamodb", {config = {retries = {max_attempts = 20}}})
for i = 1, 5 do ddb:list_tables{} end
`}, "", false},
		{"presigned URLs", env, []string{"-e", `
local s3 = aws.client("s3")
print(s3:generate_presigned_url("get_object", {Params = {Bucket = "b", Key = "k"}, ExpiresIn = 60}))
print(s3:generate_presigned_url("put_object", {Params = {Bucket = "b", Key = "k"}}))
local e = ` + explicit + `
print(e:client("s3"):generate_presigned_url("get_object", {Params = {Bucket = "b", Key = "k"}}))
`}, "", true},
	}
	secrets, tokens, signatures, byDesign := 0, 0, 0, 0
	for _, run := range runs {
		r := cliCmd{env: run.env, stdin: run.stdin}.run(t, run.args...)
		out := r.stdout + r.stderr
		t.Logf("%s: exit %d, %d bytes of output", run.name, r.code, len(out))
		if os.Getenv("RELDUMP") != "" {
			t.Log(r)
		}
		if relPanicked(out) {
			t.Errorf("%s: %s", run.name, r)
		}
		if n := strings.Count(out, relSecret); n > 0 {
			secrets += n
			t.Errorf("%s shows the secret key %d times:\n%s", run.name, n, r)
		}
		if n := strings.Count(out, relToken); n > 0 {
			if run.presign {
				byDesign += n
			} else {
				tokens += n
				t.Errorf("%s shows the session token %d times:\n%s", run.name, n, r)
			}
		}
		if m := relAuthSignature.FindAllString(out, -1); len(m) > 0 {
			signatures += len(m)
			t.Errorf("%s shows request signatures %q:\n%s", run.name, m, r)
		}
		// That each run printed what it is about, so that a run that
		// failed early does not pass for a clean one.
		switch run.name {
		case "sessions and credentials":
			cliHas(t, run.name, r.stdout, "Session(region_name=", relAccessKey, `method = "env"`, `method = "explicit"`, "<s3 client, us-east-1>")
		case "errors":
			cliHas(t, run.name, out, "NoSuchBucket", "nonsense", "missing")
		case "signature mismatch, caught", "signature mismatch, uncaught":
			cliHas(t, run.name, out, "SignatureDoesNotMatch")
		case "signature mismatch with a token, --debug":
			cliHas(t, run.name, r.stderr, "Authorization:[REDACTED]", "X-Amz-Security-Token:[REDACTED]", "403")
		case "REPL":
			cliHas(t, run.name, r.stdout, "Session(region_name=", relAccessKey, "X-Amz-Security-Token=")
		case "--debug, a request and a response":
			cliHas(t, run.name, r.stderr, "Authorization:[REDACTED]", "X-Amz-Security-Token:[REDACTED]", "HTTP/1.1 200 OK")
		case "--debug, retries":
			cliHas(t, run.name, r.stderr, "Authorization:[REDACTED]", "retrying request")
		case "presigned URLs":
			cliHas(t, run.name, r.stdout, "X-Amz-Security-Token="+relToken, "X-Amz-Signature=", "X-Amz-Credential="+relAccessKey)
		}
	}

	// The Go side: every way fmt prints the sdk's values.
	sess, err := sdk.NewSession(context.Background(), sdk.WithRegion("us-east-1"), sdk.WithCredentials(relAccessKey, relSecret, relToken))
	if err != nil {
		t.Fatal(err)
	}
	c, err := sess.Client("s3")
	if err != nil {
		t.Fatal(err)
	}
	info, _ := sess.Credentials(context.Background())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{sess, *sess, c, *c, info} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, relSecret) || strings.Contains(out, relToken) {
				secrets++
				t.Errorf("fmt %s of a %T shows a secret: %s", verb, v, out)
			}
		}
	}
	relFigure(t, "secrets leaked: %d secret keys, %d session tokens, %d Authorization signatures in %d runs of the command (goal 0); session tokens in presigned URLs, by design: %d",
		secrets, tokens, signatures, len(runs), byDesign)
}

// ---- 5. limits for embedding ----

// relRoutesLua tries to change things through every route a script has,
// and reads through the routes that only read. It prints one line a route:
// its name, "ok" or the error's code, and the error.
const relRoutesLua = `
local bucket, newbucket, table_name, file, dir, minio, moto, only = ...
local keys = {aws_access_key_id = "` + testenv.AccessKey + `", aws_secret_access_key = "` + testenv.SecretKey + `",
  region_name = "us-east-1", endpoint_url = minio}
local s3 = aws.client("s3")
local s3r = aws.resource("s3")
local b = s3r:Bucket(bucket)
local routes = {
  -- writes
  {"client put_object", function() s3:put_object{Bucket = bucket, Key = "w", Body = "x"} end},
  {"client delete_object", function() s3:delete_object{Bucket = bucket, Key = "keep1"} end},
  {"client delete_objects", function() s3:delete_objects{Bucket = bucket, Delete = {Objects = {{Key = "keep1"}}}} end},
  {"client copy_object", function() s3:copy_object{Bucket = bucket, Key = "w", CopySource = bucket .. "/keep1"} end},
  {"client create_bucket", function() s3:create_bucket{Bucket = newbucket} end},
  {"resource create_bucket", function() s3r:create_bucket{Bucket = newbucket} end},
  {"resource bucket:create", function() s3r:Bucket(newbucket):create() end},
  {"resource bucket:put_object", function() b:put_object{Key = "w", Body = "x"} end},
  {"resource bucket:delete", function() b:delete() end},
  {"resource object:put", function() b:Object("w"):put{Body = "x"} end},
  {"resource object:delete", function() b:Object("keep1"):delete() end},
  {"resource object:copy_from", function() b:Object("w"):copy_from{CopySource = bucket .. "/keep1"} end},
  {"resource object:initiate_multipart_upload", function() b:Object("w"):initiate_multipart_upload() end},
  {"batch action objects:delete()", function() b.objects:delete() end},
  {"batch action objects:filter{}:delete()", function() b.objects:filter{Prefix = "keep"}:delete() end},
  {"presign put_object", function() s3:generate_presigned_url("put_object", {Params = {Bucket = bucket, Key = "w"}}) end},
  {"presign delete_object", function() s3:generate_presigned_url("delete_object", {Params = {Bucket = bucket, Key = "keep1"}}) end},
  {"transfer upload_file", function() s3:upload_file(file, bucket, "w") end},
  {"transfer upload_file, multipart", function() s3:upload_file(file, bucket, "w", {Config = {multipart_threshold = 5 * 1024 * 1024}}) end},
  {"transfer upload_fileobj", function() s3:upload_fileobj(io.open(file), bucket, "w") end},
  {"transfer copy", function() s3:copy{CopySource = {Bucket = bucket, Key = "keep1"}, Bucket = bucket, Key = "w"} end},
  {"transfer bucket:upload_file", function() b:upload_file(file, "w") end},
  {"transfer object:upload_file", function() b:Object("w"):upload_file(file) end},
  {"transfer object:copy", function() b:Object("w"):copy{Bucket = bucket, Key = "keep1"} end},
  {"own session", function() aws.Session{}:client("s3"):put_object{Bucket = bucket, Key = "w", Body = "x"} end},
  {"own session with keys", function() aws.Session(keys):client("s3"):put_object{Bucket = bucket, Key = "w", Body = "x"} end},
  {"own session's resource", function() aws.Session(keys):resource("s3"):Object(bucket, "w"):put{Body = "x"} end},
  {"client with its own keys", function() aws.client("s3", keys):put_object{Bucket = bucket, Key = "w", Body = "x"} end},
  {"client with its own endpoint", function() aws.client("s3", {endpoint_url = minio}):put_object{Bucket = bucket, Key = "w", Body = "x"} end},
  {"setup_default_session", function() aws.setup_default_session(keys) aws.client("s3"):put_object{Bucket = bucket, Key = "w", Body = "x"} end},
  {"dynamodb put_item", function() aws.client("dynamodb"):put_item{TableName = table_name, Item = {pk = {S = "w"}}} end},
  {"dynamodb table:put_item", function() aws.resource("dynamodb"):Table(table_name):put_item{Item = {pk = "w"}} end},
  {"dynamodb batch_writer", function() aws.resource("dynamodb"):Table(table_name):batch_writer(function(w) w:put_item{Item = {pk = "w"}} end) end},
  {"dynamodb table:delete", function() aws.resource("dynamodb"):Table(table_name):delete() end},
  {"sqs create_queue, own session", function() aws.Session(keys):client("sqs", {endpoint_url = moto}):create_queue{QueueName = newbucket} end},
  -- reads
  {"read: waiter bucket_exists", function() s3:get_waiter("bucket_exists"):wait{Bucket = bucket} end},
  {"read: resource waiter", function() b:wait_until_exists() end},
  {"read: paginator", function() local n = 0 for p in s3:get_paginator("list_objects_v2"):paginate{Bucket = bucket} do n = n + #p.Contents end assert(n == 2) end},
  {"read: collection", function() local n = 0 for o in b.objects:all() do n = n + 1 end assert(n == 2) end},
  {"read: get_object", function() assert(s3:get_object{Bucket = bucket, Key = "keep1"}.Body:read() == "one") end},
  {"read: object attribute", function() assert(b:Object("keep1").content_length == 3) end},
  {"read: download_file", function() s3:download_file(bucket, "keep1", dir .. "/keep1") end},
  {"read: presign get_object", function() s3:generate_presigned_url("get_object", {Params = {Bucket = bucket, Key = "keep1"}}) end},
  {"read: dynamodb get_item", function() assert(aws.resource("dynamodb"):Table(table_name):get_item{Key = {pk = "keep"}}.Item.n == 1) end},
}
for _, r in ipairs(routes) do
  local run = only == ""
  for word in only:gmatch("[^,]+") do run = run or r[1]:find(word, 1, true) ~= nil end
  if run then
    local ok, err = pcall(r[2])
    if ok then print(r[1] .. "\tok\t") else
      print(r[1] .. "\t" .. tostring(type(err) == "table" and err.code or "?") .. "\t" .. tostring(err):gsub("\n", " "))
    end
  end
end
`

// relState is what the routes could change: the bucket's keys and ETags,
// multipart uploads, whether the new bucket or queue exists, and the table.
func relState(t *testing.T, bucket, newbucket, table string) string {
	t.Helper()
	ctx := context.Background()
	keys := relKeys(t, bucket)
	var ks []string
	for k, e := range keys {
		ks = append(ks, k+"="+e)
	}
	sort.Strings(ks)
	s3 := testenv.Client(t, "minio", "s3")
	_, err := s3.Call(ctx, "HeadBucket", map[string]any{"Bucket": newbucket})
	ddb := testenv.Client(t, "moto", "dynamodb")
	scan, serr := ddb.Call(ctx, "Scan", map[string]any{"TableName": table})
	sqs := testenv.Client(t, "moto", "sqs")
	_, qerr := sqs.Call(ctx, "GetQueueUrl", map[string]any{"QueueName": newbucket})
	return fmt.Sprintf("keys %v; uploads %v; new bucket: %v; table: %v %v; queue: %v",
		ks, relUploads(t, bucket), err == nil, scan["Items"], serr, qerr == nil)
}

// TestReliabilityLimits runs every route to a change under the limits an
// embedding program sets: Options.ReadOnly, Options.Operations and
// Options.Services. Each write is refused with code "Refused", what only
// reads passes as the limit allows, and nothing changes on the servers.
func TestReliabilityLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bucket := relBucket(t)
	s3 := testenv.Client(t, "minio", "s3")
	for k, v := range map[string]string{"keep1": "one", "keep2": "two"} {
		if _, err := s3.Call(ctx, "PutObject", map[string]any{"Bucket": bucket, "Key": k, "Body": v}); err != nil {
			t.Fatal(err)
		}
	}
	_, table := relMotoFixtures(t)
	ddb := testenv.Client(t, "moto", "dynamodb")
	if _, err := ddb.Call(ctx, "PutItem", map[string]any{"TableName": table, "Item": map[string]any{
		"pk": map[string]any{"S": "keep"}, "n": map[string]any{"N": "1"}}}); err != nil {
		t.Fatal(err)
	}
	newbucket := testenv.Name("awslua-rel-new")
	t.Cleanup(func() { // should a route get through
		s3.Call(ctx, "DeleteBucket", map[string]any{"Bucket": newbucket})
		sqs := testenv.Client(t, "moto", "sqs")
		if out, err := sqs.Call(ctx, "GetQueueUrl", map[string]any{"QueueName": newbucket}); err == nil {
			sqs.Call(ctx, "DeleteQueue", map[string]any{"QueueUrl": out["QueueUrl"]})
		}
	})
	file, _ := relFile(t, 6<<20, 11)
	before := relState(t, bucket, newbucket, table)

	minio, moto := testenv.URL(t, "minio"), testenv.URL(t, "moto")
	// Every session, the default and those a script makes, reaches the
	// test servers with the test keys, whatever the environment holds.
	sessionOptions := []sdk.Option{sdk.WithRegion(testenv.Region), sdk.WithCredentials(testenv.AccessKey, testenv.SecretKey, ""),
		sdk.WithEndpointURL(minio), sdk.WithServiceEndpointURL("dynamodb", moto), sdk.WithServiceEndpointURL("sqs", moto)}
	sess, err := sdk.NewSession(ctx, sessionOptions...)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		opts   bindings.Options
		passes func(route string) bool // the routes that succeed; the rest are refused
		only   string                  // the routes to run, by words of their names; "": all
	}{
		{"ReadOnly", bindings.Options{ReadOnly: true},
			func(r string) bool { return strings.HasPrefix(r, "read: ") }, ""},
		{"Operations s3:ListObjectsV2", bindings.Options{Operations: []string{"s3:ListObjectsV2"}},
			func(r string) bool { return r == "read: paginator" || r == "read: collection" }, ""},
		// Writes to S3 are the allowed service's: only the others run.
		{"Services s3", bindings.Options{Services: []string{"s3"}},
			func(string) bool { return false }, "dynamodb,sqs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.Session, opts.SessionOptions, opts.Libs = sess, sessionOptions, bindings.AllLibs
			l := newLua(t, "", opts)
			out := l.must(t, relRoutesLua, bucket, newbucket, table, file, t.TempDir(), minio, moto, tc.only)
			refused, passed := 0, 0
			for _, line := range cliLines(out) {
				f := strings.SplitN(line, "\t", 3)
				if len(f) != 3 {
					t.Fatalf("line %q", line)
				}
				route, code, msg := f[0], f[1], f[2]
				switch {
				case tc.passes(route) && code != "ok":
					t.Errorf("%s: %s %s", route, code, msg)
				case !tc.passes(route) && code != "Refused":
					t.Errorf("%s was not refused: %s %s", route, code, msg)
				case code == "Refused":
					refused++
				default:
					passed++
				}
			}
			relFigure(t, "%s: %d routes refused, %d reads passed", tc.name, refused, passed)
			if after := relState(t, bucket, newbucket, table); after != before {
				t.Errorf("the servers changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// TestReliabilitySandboxFiles: a runtime with the default, safe libraries
// has no file access through the aws module either: the transfers that
// name a file, aws.fs, aws.checksum and aws.resource_model.load are
// refused, and nothing is read or written.
func TestReliabilitySandboxFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bucket := relBucket(t)
	s3 := testenv.Client(t, "minio", "s3")
	if _, err := s3.Call(ctx, "PutObject", map[string]any{"Bucket": bucket, "Key": "keep1", "Body": "one"}); err != nil {
		t.Fatal(err)
	}
	secretFile := cliWrite(t, t.TempDir(), "secret.txt", "the embedding program's secret")
	dst := filepath.Join(t.TempDir(), "written")
	l := newLua(t, "minio", bindings.Options{})
	out := l.must(t, `
local bucket, src, dst = ...
local s3 = aws.client("s3")
local b = aws.resource("s3"):Bucket(bucket)
for _, r in ipairs{
  {"upload_file", function() s3:upload_file(src, bucket, "exfil") end},
  {"download_file", function() s3:download_file(bucket, "keep1", dst) end},
  {"bucket:upload_file", function() b:upload_file(src, "exfil") end},
  {"bucket:download_file", function() b:download_file("keep1", dst) end},
  {"object:upload_file", function() b:Object("exfil"):upload_file(src) end},
  {"object:download_file", function() b:Object("keep1"):download_file(dst) end},
  {"aws.fs.walk", function() aws.fs.walk("/etc") end},
  {"aws.checksum.etag", function() aws.checksum.etag(src) end},
  {"aws.resource_model.load", function() aws.resource_model.load(src) end},
  {"require", function() require("secret") end},
} do
  local ok, err = pcall(r[2])
  print(r[1], ok, tostring(err):match("no file access") or tostring(err):match("does not load modules") or tostring(err))
end
print(io, os, dofile, loadfile, debug)
`, bucket, secretFile, dst)
	for _, line := range cliLines(out) {
		if strings.Contains(line, "\ttrue\t") || !strings.Contains(line, "no file access") && !strings.Contains(line, "does not load modules") && !strings.HasPrefix(line, "nil") {
			t.Errorf("not refused: %s", line)
		}
	}
	if _, err := os.Stat(dst); err == nil {
		t.Error("a script without file access wrote a file")
	}
	if keys := relKeys(t, bucket); len(keys) != 1 {
		t.Errorf("a script without file access uploaded a file: %v", keys)
	}
	if !strings.Contains(out, "nil\tnil\tnil\tnil\tnil") {
		t.Errorf("libraries open: %s", out)
	}
}

// relCamelWords splits an API name into its words ("ListObjectsV2": List,
// Objects, V2).
var relCamelWords = regexp.MustCompile(`[A-Z][a-z0-9]*`)

// TestReliabilityReadOnlyCount counts, over every bundled service, the
// operations that --read-only refuses, and how many each read verb lets
// through; it lists the reads that hand out secrets or credentials, which
// read-only does not stop.
func TestReliabilityReadOnlyCount(t *testing.T) {
	t.Parallel()
	total, refused := 0, 0
	byVerb := map[string]int{}
	var suspicious []string
	services := sdk.Services()
	for _, name := range services {
		svc, _ := sdk.LookupService(name)
		for _, op := range svc.Operations {
			total++
			if !sdk.IsReadOnly(op.Name) {
				refused++
				continue
			}
			words := relCamelWords.FindAllString(op.Name, -1)
			verb := words[0]
			if verb == "Batch" && len(words) > 1 {
				verb += words[1]
			}
			byVerb[verb]++
			for _, w := range words[1:] {
				switch w {
				case "Create", "Delete", "Update", "Put", "Start", "Stop", "Reset", "Rotate", "Generate", "Send", "Invoke", "Execute", "Run", "Modify":
					suspicious = append(suspicious, name+":"+op.Name)
				}
			}
		}
	}
	var verbs []string
	for v, n := range byVerb {
		verbs = append(verbs, fmt.Sprintf("%s %d", v, n))
	}
	sort.Strings(verbs)
	t.Logf("operations each read verb lets through: %s", strings.Join(verbs, ", "))
	t.Logf("reads whose names hold a writing verb (each only reads): %s", strings.Join(suspicious, ", "))
	// Read-only is about changes: these read secrets or mint credentials,
	// and pass (SECURITY.md says so).
	secretReads := []string{"secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "secretsmanager:GetRandomPassword",
		"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ec2:GetPasswordData", "ecr:GetAuthorizationToken",
		"sts:GetSessionToken", "sts:GetFederationToken"}
	for _, name := range secretReads {
		service, op, _ := strings.Cut(name, ":")
		svc, ok := sdk.LookupService(service)
		if _, has := svc.Operation(op); !ok || !has || !sdk.IsReadOnly(op) {
			t.Errorf("%s: bundled %v, has the operation %v, read-only %v", name, ok, has, sdk.IsReadOnly(op))
		}
	}
	t.Logf("reads that return secrets or mint credentials, allowed under --read-only: %s", strings.Join(secretReads, ", "))
	relFigure(t, "--read-only refuses %d of %d operations (%d services); %d read operations pass", refused, total, len(services), total-refused)
	if len(services) < 28 || refused == 0 || refused == total {
		t.Errorf("%d services, %d of %d operations refused", len(services), refused, total)
	}
	for _, op := range []string{"PutObject", "DeleteObject", "CreateBucket", "SendMessage", "ReceiveMessage", "Invoke", "GenerateDataKey", "TerminateInstances", "AssumeRole"} {
		if sdk.IsReadOnly(op) {
			t.Errorf("%s passes --read-only", op)
		}
	}
}
