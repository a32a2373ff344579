package tests

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/sdk"
)

// TestLuaNonAWSErrorResponse: an answer that is not an AWS error (an HTML
// page of a proxy, a load balancer or the wrong endpoint) still gives a
// code a script can test (the status, as boto3 gives it), status_code and
// operation, and boto3's text.
func TestLuaNonAWSErrorResponse(t *testing.T) {
	url, _ := luaFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		status := http.StatusBadGateway
		if strings.Contains(r.Header.Get("X-Amz-Target"), "TrentService") { // KMS
			status = http.StatusNotFound
		}
		w.WriteHeader(status)
		io.WriteString(w, "<html><body><h1>nothing here</h1></body></html>")
	})
	l := newLua(t, "", bindings.Options{Session: luaSession(t, url)})
	l.expect(t, `
		local one = {config = {retries = {total_max_attempts = 1}}}
		local kms, sqs = aws.client("kms", one), aws.client("sqs", one)
		for _, call in ipairs{function() return kms:list_keys() end, function() return sqs:list_queues() end} do
			local ok, err = pcall(call)
			print(ok, err.code, err.status_code, err.operation, err:is(err.code))
			print(tostring(err))
		end
	`, `false	404	404	ListKeys	true
An error occurred (404) when calling the ListKeys operation: Not Found
false	502	502	ListQueues	true
An error occurred (502) when calling the ListQueues operation (reached max retries: 0): Bad Gateway
`)
}

// TestLuaEndpointConnectionError: nothing listens on the port: the error
// has boto3's code and message, and names the URL.
func TestLuaEndpointConnectionError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	l := newLua(t, "", bindings.Options{Session: luaSession(t, url)})
	l.expect(t, `
		local sqs = aws.client("sqs", {config = {retries = {total_max_attempts = 2}}})
		local ok, err = pcall(sqs.list_queues, sqs)
		print(ok, err.code, err.operation, err.retry_attempts, err.status_code)
		print(tostring(err))
	`, "false\tEndpointConnectionError\tListQueues\t1\tnil\n"+
		`Could not connect to the endpoint URL: "`+url+`/"`+"\n")

	// In Go: the error's type and code.
	c, err := luaSession(t, url).Client("sqs", func(o *sdk.ClientOptions) { o.MaxAttempts = 1 })
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Call(context.Background(), "ListQueues", nil)
	var ce *sdk.ClientSideError
	if !errors.As(err, &ce) || ce.Code != sdk.CodeEndpointConnection || !errors.Is(err, sdk.CodeError(sdk.CodeEndpointConnection)) {
		t.Errorf("got %T %v, want a *sdk.ClientSideError with code %s", err, err, sdk.CodeEndpointConnection)
	}
}

// TestCLINoCredentials: with no credentials anywhere (no AWS_* variables,
// an empty HOME, no instance metadata), a call fails with boto3's
// NoCredentialsError and says what to set; nothing is sent.
func TestCLINoCredentials(t *testing.T) {
	url, requests := luaFake(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })
	c := cliCmd{env: cliOffline(t, "AWS_REGION=us-east-1")}
	r := c.run(t, "--endpoint-url", url, "-e", `
		local sqs = aws.client("sqs")
		local ok, err = pcall(sqs.list_queues, sqs)
		print(ok, err.code, err.operation)
		print(tostring(err))
		sqs:list_queues()
	`).want(t, 1)
	lines := strings.SplitN(r.stdout, "\n", 2)
	if lines[0] != "false\tNoCredentialsError\tListQueues" {
		t.Errorf("printed %q", r.stdout)
	}
	cliHas(t, "stdout", r.stdout, "Unable to locate credentials", "AWS_ACCESS_KEY_ID", "AWS_PROFILE")
	cliHas(t, "stderr", r.stderr, "Unable to locate credentials")
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent without credentials", n)
	}
}

// TestLuaTransferConnectionError: transfers, whose requests are client
// calls, report a failed connection with the same code.
func TestLuaTransferConnectionError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	file := cliWrite(t, t.TempDir(), "f.txt", "hello")
	l := newLua(t, "", bindings.Options{Session: luaSession(t, url), Libs: bindings.AllLibs})
	l.expect(t, `
		local s3 = aws.client("s3", {config = {retries = {total_max_attempts = 1}}})
		local ok, err = pcall(s3.upload_file, s3, ..., "bucket", "k")
		print(ok, err.code, err.operation)
	`, "false\tEndpointConnectionError\tPutObject\n", file)
}
