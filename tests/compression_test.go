package tests

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// A sentRequest is a request as it left the client.
type sentRequest struct {
	header http.Header
	body   []byte
}

// recordingProxy forwards every request to target unchanged and keeps a
// copy of what it forwarded, so a test can see what a client sent to a
// real server.
func recordingProxy(t *testing.T, target string) (string, func() []sentRequest) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var sent []sentRequest
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		sent = append(sent, sentRequest{r.Header.Clone(), body})
		mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []sentRequest {
		mu.Lock()
		defer mu.Unlock()
		out := sent
		sent = nil
		return out
	}
}

// metricData is n metrics of a PutMetricData call.
func metricData(n int) []any {
	var data []any
	for i := range n {
		data = append(data, map[string]any{"MetricName": fmt.Sprintf("metric-%03d", i), "Value": float64(i), "Unit": "Count"})
	}
	return data
}

// decodedBody is a request's JSON body, gunzipped when it says it is gzip.
func decodedBody(t *testing.T, r sentRequest) any {
	t.Helper()
	body := r.body
	if r.header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("Content-Encoding gzip, but the body is not gzip: %v", err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	return v
}

// TestRequestCompression sends CloudWatch PutMetricData, the operation the
// models mark compressible, to moto through a recording proxy.
//
// moto 5.2.1's server cannot take a gzipped body: its server gunzips the
// request stream, then its response layer gunzips the result again
// ("Not a gzipped file (b'{"')", HTTP 500), for boto3's requests as for
// ours. So a compressed request is checked as it leaves, against the one
// boto3 sends through the same proxy, and the calls moto can answer
// (below the threshold, compression disabled) round-trip.
func TestRequestCompression(t *testing.T) {
	proxy, sent := recordingProxy(t, testenv.URL(t, "moto"))
	client := func(t *testing.T, opts ...func(*sdk.ClientOptions)) *sdk.Client {
		t.Helper()
		s, err := sdk.NewSession(context.Background(), sdk.WithRegion(testenv.Region),
			sdk.WithCredentials(testenv.AccessKey, testenv.SecretKey, ""), sdk.WithEndpointURL(proxy))
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Client("cloudwatch", append(opts, func(o *sdk.ClientOptions) { o.MaxAttempts = 1 })...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	put := func(c *sdk.Client, ns string, n int) (sentRequest, error) {
		_, err := c.Call(t.Context(), "PutMetricData", map[string]any{"Namespace": ns, "MetricData": metricData(n)})
		reqs := sent()
		if len(reqs) != 1 {
			t.Fatalf("%d requests sent, want 1", len(reqs))
		}
		return reqs[0], err
	}
	listed := func(c *sdk.Client, ns string) int {
		n := 0
		for page, err := range c.Paginate(t.Context(), "ListMetrics", map[string]any{"Namespace": ns}, sdk.PaginationConfig{}) {
			if err != nil {
				t.Fatal(err)
			}
			n += len(page["Metrics"].([]any))
		}
		sent()
		return n
	}

	t.Run("large body gzipped as boto3 sends it", func(t *testing.T) {
		ns := testenv.Name("gz")
		ours, err := put(client(t), ns, 400)
		t.Logf("moto answers: %v", err)
		if ours.header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding %q for a %d-byte body, want gzip", ours.header.Get("Content-Encoding"), len(ours.body))
		}
		if _, err := exec.Command("python3", "-c", "import boto3").CombinedOutput(); err != nil {
			t.Skip("python3 with boto3 is not installed: nothing to compare with")
		}
		data, _ := json.Marshal(metricData(400))
		script := `
import boto3, botocore.config, json, sys
c = boto3.client("cloudwatch", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="k",
    aws_secret_access_key="s", config=botocore.config.Config(retries={"total_max_attempts": 1}))
try:
    c.put_metric_data(Namespace=sys.argv[2], MetricData=json.loads(sys.argv[3]))
except Exception as e:
    print(e)
`
		out, err := exec.Command("python3", "-c", script, proxy, ns, string(data)).CombinedOutput()
		if err != nil {
			t.Fatalf("boto3: %v\n%s", err, out)
		}
		t.Logf("moto answers boto3: %s", strings.TrimSpace(string(out)))
		reqs := sent()
		if len(reqs) != 1 {
			t.Fatalf("boto3 sent %d requests, want 1", len(reqs))
		}
		theirs := reqs[0]
		if ours.header.Get("Content-Encoding") != theirs.header.Get("Content-Encoding") {
			t.Errorf("Content-Encoding %q, boto3's %q", ours.header.Get("Content-Encoding"), theirs.header.Get("Content-Encoding"))
		}
		if got, want := decodedBody(t, ours), decodedBody(t, theirs); !reflect.DeepEqual(got, want) {
			t.Errorf("gunzipped body\n%v\nboto3's\n%v", got, want)
		}
	})

	t.Run("small body sent as it is", func(t *testing.T) {
		ns := testenv.Name("small")
		c := client(t)
		r, err := put(c, ns, 3)
		if err != nil {
			t.Fatal(err)
		}
		if r.header.Get("Content-Encoding") != "" {
			t.Errorf("Content-Encoding %q for a %d-byte body", r.header.Get("Content-Encoding"), len(r.body))
		}
		if n := listed(c, ns); n != 3 {
			t.Errorf("%d metrics listed, want 3", n)
		}
	})

	t.Run("threshold lowered", func(t *testing.T) {
		r, _ := put(client(t, func(o *sdk.ClientOptions) { o.RequestMinCompressionSizeBytes = 1 }), testenv.Name("low"), 1)
		if r.header.Get("Content-Encoding") != "gzip" {
			t.Errorf("Content-Encoding %q, want gzip", r.header.Get("Content-Encoding"))
		}
		decodedBody(t, r)
	})

	t.Run("disabled", func(t *testing.T) {
		ns := testenv.Name("off")
		c := client(t, func(o *sdk.ClientOptions) { o.DisableRequestCompression = aws.Bool(true) })
		r, err := put(c, ns, 400)
		if err != nil {
			t.Fatal(err)
		}
		if r.header.Get("Content-Encoding") != "" {
			t.Errorf("Content-Encoding %q with compression disabled", r.header.Get("Content-Encoding"))
		}
		if n := listed(c, ns); n != 400 {
			t.Errorf("%d metrics listed, want 400", n)
		}
	})

	t.Run("environment", func(t *testing.T) {
		t.Setenv("AWS_DISABLE_REQUEST_COMPRESSION", "true")
		if r, _ := put(client(t), testenv.Name("env"), 400); r.header.Get("Content-Encoding") != "" {
			t.Errorf("Content-Encoding %q with AWS_DISABLE_REQUEST_COMPRESSION=true", r.header.Get("Content-Encoding"))
		}
		t.Setenv("AWS_DISABLE_REQUEST_COMPRESSION", "")
		t.Setenv("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "1")
		if r, _ := put(client(t), testenv.Name("env"), 1); r.header.Get("Content-Encoding") != "gzip" {
			t.Errorf("Content-Encoding %q with AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES=1, want gzip", r.header.Get("Content-Encoding"))
		}
	})

	t.Run("bad size", func(t *testing.T) {
		_, err := testenv.Session(t, "moto").Client("cloudwatch", func(o *sdk.ClientOptions) { o.RequestMinCompressionSizeBytes = 2 << 20 })
		if err == nil || !strings.Contains(err.Error(), "request_min_compression_size_bytes 2097152 is not between 1 and 1048576") {
			t.Errorf("client with a 2 MiB threshold: %v", err)
		}
	})
}

// TestRequestCompressionLua sets the options as boto3's Config does.
func TestRequestCompressionLua(t *testing.T) {
	l := newLua(t, "moto", bindings.Options{})
	l.expect(t, `
		local c = aws.client("cloudwatch", {config = {request_min_compression_size_bytes = 1, disable_request_compression = true}})
		print(c.meta.config.request_min_compression_size_bytes, c.meta.config.disable_request_compression)
		print(aws.client("cloudwatch").meta.config.request_min_compression_size_bytes)
		c:put_metric_data{Namespace = ..., MetricData = {{MetricName = "m", Value = 1}}}
		print(#c:list_metrics{Namespace = ...}.Metrics)
		print(pcall(aws.client, "cloudwatch", {config = {request_min_compression_size_bytes = 0.5}}))
		print(pcall(aws.client, "cloudwatch", {config = {disable_request_compression = "yes"}}))`,
		"1\ttrue\n10240\n1\n"+
			"false\t"+luaChunk+":7: config.request_min_compression_size_bytes is 0.5: it must be a whole number of bytes from 1 to 1048576\n"+
			"false\t"+luaChunk+":8: config.disable_request_compression must be true or false, not \"yes\" (a string)\n",
		testenv.Name("lua-gz"))
}
