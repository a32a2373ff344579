package tests

// Integration tests of the Lua runtime (bindings/) against MinIO and moto:
// each test runs Lua that asserts and prints, and the Go side checks what it
// printed or the error that ended it.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// ---- helpers ----

// luaChunk is the name every chunk runs under, as errors show it.
const luaChunk = "test.lua"

// luaRT is a runtime whose print writes to a buffer.
type luaRT struct {
	rt  *bindings.Runtime
	out bytes.Buffer
}

// newLua makes a runtime with opts; the default session is the named
// server's unless opts has one ("" leaves it to opts).
func newLua(t *testing.T, server string, opts bindings.Options) *luaRT {
	t.Helper()
	if opts.Session == nil && server != "" {
		opts.Session = testenv.Session(t, server)
	}
	l := &luaRT{}
	opts.Stdout = &l.out
	rt, err := bindings.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rt.Close)
	l.rt = rt
	return l
}

// runCtx runs src as luaChunk with args as its "...", and returns what it
// printed and the error that ended it.
func (l *luaRT) runCtx(ctx context.Context, src string, args ...string) (string, error) {
	l.out.Reset()
	err := l.rt.DoString(ctx, src, luaChunk, args...)
	return l.out.String(), err
}

func (l *luaRT) run(src string, args ...string) (string, error) {
	return l.runCtx(context.Background(), src, args...)
}

// must runs src and fails the test, with the traceback, if it raises.
func (l *luaRT) must(t *testing.T, src string, args ...string) string {
	t.Helper()
	out, err := l.run(src, args...)
	if err != nil {
		var se *bindings.ScriptError
		if errors.As(err, &se) {
			t.Fatalf("script failed: %v\n%s\noutput:\n%s", err, se.Traceback, out)
		}
		t.Fatalf("script failed: %v\noutput:\n%s", err, out)
	}
	return out
}

// expect runs src and compares what it printed with want.
func (l *luaRT) expect(t *testing.T, src, want string, args ...string) {
	t.Helper()
	if got := l.must(t, src, args...); got != want {
		t.Errorf("printed:\n%s\nwant:\n%s", got, want)
	}
}

// luaScriptError asserts that err is a *bindings.ScriptError.
func luaScriptError(t *testing.T, err error) *bindings.ScriptError {
	t.Helper()
	var se *bindings.ScriptError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *bindings.ScriptError", err, err)
	}
	return se
}

// luaBucket creates a MinIO bucket holding n objects k01..kNN, where kI has
// a body of I bytes, and deletes it all when the test ends.
func luaBucket(t *testing.T, n int) string {
	t.Helper()
	ctx := context.Background()
	c := testenv.Client(t, "minio", "s3")
	bucket := testenv.Name("awslua-lua")
	if _, err := c.Call(ctx, "CreateBucket", map[string]any{"Bucket": bucket}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
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
	for i := 1; i <= n; i++ {
		in := map[string]any{"Bucket": bucket, "Key": luaKey(i), "Body": strings.Repeat("x", i)}
		if _, err := c.Call(ctx, "PutObject", in); err != nil {
			t.Fatal(err)
		}
	}
	return bucket
}

func luaKey(i int) string { return fmt.Sprintf("k%02d", i) }

// luaFake starts an HTTP server that counts its requests and answers each
// with handle.
func luaFake(t *testing.T, handle http.HandlerFunc) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		handle(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &n
}

// luaSession makes a session with the test keys whose clients talk to url.
func luaSession(t *testing.T, url string) *sdk.Session {
	t.Helper()
	s, err := sdk.NewSession(context.Background(), sdk.WithRegion(testenv.Region),
		sdk.WithCredentials(testenv.AccessKey, testenv.SecretKey, ""), sdk.WithEndpointURL(url))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// luaSlowProxy starts a TCP proxy in front of target ("http://host:port")
// that waits delay before it forwards a connection, and returns its URL.
func luaSlowProxy(t *testing.T, target string, delay time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	addr := strings.TrimPrefix(target, "http://")
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				select {
				case <-time.After(delay):
				case <-done:
					return
				}
				up, err := net.Dial("tcp", addr)
				if err != nil {
					return
				}
				defer up.Close()
				go io.Copy(up, conn)
				io.Copy(conn, up)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// ---- 1. sessions ----

func TestLuaSessions(t *testing.T) {
	// A profile of its own, and no keys or region from the environment.
	dir := t.TempDir()
	const profileSecret = "profile-secret-never-shown"
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Setenv("AWS_CONFIG_FILE", write("config", "[profile dev]\nregion = eu-west-1\n"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", write("credentials",
		"[dev]\naws_access_key_id = AKIADEVPROFILE\naws_secret_access_key = "+profileSecret+"\n"))
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"} {
		t.Setenv(k, "")
	}
	l := newLua(t, "minio", bindings.Options{})

	t.Run("fields", func(t *testing.T) {
		l.expect(t, `
			local s = aws.Session{profile_name = "dev"}
			print(s.region_name, s.profile_name)
			s = aws.Session{profile_name = "dev", region_name = "ap-south-1"}
			print(s.region_name, s.profile_name)
			s = aws.Session{region_name = "us-west-2"}
			print(s.region_name, s.profile_name)
			print(tostring(s))
		`, "eu-west-1\tdev\nap-south-1\tdev\nus-west-2\tdefault\n"+
			`Session(region_name="us-west-2", profile_name="default")`+"\n")
	})

	t.Run("get_available_services", func(t *testing.T) {
		out := l.must(t, `
			local names = aws.Session{}:get_available_services()
			local has = {}
			for i, n in ipairs(names) do
				assert(i == 1 or names[i-1] < n, "not sorted at " .. n)
				has[n] = true
			end
			print(#names > 0, has.s3, has.dynamodb, has.sqs, has.nosuch)
		`)
		if out != "true\ttrue\ttrue\ttrue\tnil\n" {
			t.Errorf("printed %q", out)
		}
	})

	t.Run("get_credentials never shows the secret", func(t *testing.T) {
		const secret = "explicit-secret-never-shown"
		out := l.must(t, `
			local secret = ...
			local s = aws.Session{aws_access_key_id = "AKIALUATEST", aws_secret_access_key = secret,
				region_name = "us-east-1"}
			local c = s:get_credentials()
			print(c.access_key, c.method)
			for k, v in pairs(c) do assert(v ~= secret, k .. " holds the secret") end
			print(aws.inspect(c)); print(aws.json.encode(c)); print(tostring(s)); print(aws.inspect(s))
			local p = aws.Session{profile_name = "dev"}
			c = p:get_credentials()
			print(c.access_key, c.method)
			print(aws.inspect(c)); print(tostring(p))
		`, secret)
		lines := strings.Split(out, "\n")
		if lines[0] != "AKIALUATEST\texplicit" {
			t.Errorf("explicit keys: %q", lines[0])
		}
		if !strings.Contains(out, "\nAKIADEVPROFILE\tshared-credentials-file\n") {
			t.Errorf("profile keys not reported as shared-credentials-file:\n%s", out)
		}
		for _, s := range []string{secret, profileSecret, testenv.SecretKey} {
			if strings.Contains(out, s) {
				t.Errorf("output shows the secret %q:\n%s", s, out)
			}
		}
	})

	t.Run("environment", func(t *testing.T) {
		for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIAFROMENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
			"AWS_REGION": "sa-east-1", "AWS_ENDPOINT_URL": "http://localhost:7", "AWS_ENDPOINT_URL_SQS": "http://localhost:8"} {
			t.Setenv(k, v)
		}
		l.expect(t, `
			local s = aws.Session{}
			local c = s:get_credentials()
			print(s.region_name, c.access_key, c.method)
			print(s:client("s3").meta.endpoint_url, s:client("sqs").meta.endpoint_url)
		`, "sa-east-1\tAKIAFROMENV\tenv\nhttp://localhost:7\thttp://localhost:8\n")
	})

	t.Run("session token", func(t *testing.T) {
		// Presigning sends nothing, and shows the token the session signs with.
		l.expect(t, `
			local s = aws.Session{aws_access_key_id = "AKIATOKEN", aws_secret_access_key = "sk",
				aws_session_token = "TOKEN123", region_name = "us-east-1"}
			local url = s:client("s3", {endpoint_url = "http://localhost:9"}):generate_presigned_url(
				"get_object", {Params = {Bucket = "b", Key = "k"}})
			print(url:match("X%-Amz%-Security%-Token=(%w+)"), url:match("X%-Amz%-Credential=(%w+)"))
		`, "TOKEN123\tAKIATOKEN\n")
	})

	t.Run("unknown option", func(t *testing.T) {
		l.expect(t, `
			local ok, err = pcall(aws.Session, {regoin_name = "eu-west-1"})
			print(ok, string.find(tostring(err), 'no option "regoin_name"', 1, true) ~= nil,
				string.find(tostring(err), "region_name", 1, true) ~= nil)
		`, "false\ttrue\ttrue\n")
	})

	t.Run("require", func(t *testing.T) {
		for _, libs := range []bindings.Libs{0, bindings.AllLibs} {
			newLua(t, "minio", bindings.Options{Libs: libs}).expect(t,
				`print(require("aws") == aws, type(aws.client))`, "true\tfunction\n")
		}
	})
}

func TestLuaSetupDefaultSession(t *testing.T) {
	bucket := luaBucket(t, 2)
	// The script's sessions reach MinIO; the region is the script's choice.
	l := newLua(t, "", bindings.Options{SessionOptions: []sdk.Option{
		sdk.WithCredentials(testenv.AccessKey, testenv.SecretKey, ""),
		sdk.WithEndpointURL(testenv.URL(t, "minio")),
	}})
	l.expect(t, `
		aws.setup_default_session{region_name = "eu-central-1"}
		local s3 = aws.client("s3")
		print(s3.meta.region_name)
		print(s3:list_objects_v2{Bucket = ...}.KeyCount)
		aws.setup_default_session{region_name = "us-east-1"}
		print(aws.client("s3").meta.region_name)
	`, "eu-central-1\n2\nus-east-1\n", bucket)
}

// ---- 2. clients ----

func TestLuaClientCalls(t *testing.T) {
	bucket := luaBucket(t, 3)
	l := newLua(t, "minio", bindings.Options{})
	l.expect(t, `
		local bucket = ...
		local s3 = aws.client("s3")
		local r = s3:list_objects_v2{Bucket = bucket, Prefix = "k0", MaxKeys = 2}
		print(r.Contents[1].Key, r.Contents[2].Key, r.Contents[2].Size, #r.Contents, r.KeyCount, r.IsTruncated)
		print(r.ResponseMetadata.HTTPStatusCode, type(r.ResponseMetadata.RequestId), #r.ResponseMetadata.RequestId > 0)
		s3:put_object{Bucket = bucket, Key = "new", Body = "hello", ContentType = "text/plain"}
		local h = s3:head_object{Bucket = bucket, Key = "new"}
		print(h.ContentLength, h.ContentType)
		print(s3:can_paginate("list_objects_v2"), s3:can_paginate("put_object"))
		print(s3.meta.service_name, s3.meta.region_name, s3.meta.endpoint_url)
		local other = aws.client("s3", {region_name = "eu-west-1"})
		print(other.meta.region_name, aws.Session{region_name = "ap-south-1"}:client("s3").meta.region_name)
		-- Keys given to a client replace the session's keys, and only them.
		local ak, sk = select(2, ...)
		local keyed = aws.client("s3", {aws_access_key_id = ak, aws_secret_access_key = sk})
		print(keyed.meta.region_name, keyed.meta.endpoint_url == s3.meta.endpoint_url,
			keyed:list_objects_v2{Bucket = bucket}.KeyCount)
		local wrong = aws.client("s3", {aws_access_key_id = ak, aws_secret_access_key = "wrong"})
		print(select(2, pcall(wrong.list_objects_v2, wrong, {Bucket = bucket})).code)
	`, "k01\tk02\t2\t2\t2\ttrue\n200\tstring\ttrue\n5\ttext/plain\ntrue\tfalse\n"+
		"s3\tus-east-1\t"+testenv.URL(t, "minio")+"\neu-west-1\tap-south-1\n"+
		"us-east-1\ttrue\t4\nSignatureDoesNotMatch\n", bucket, testenv.AccessKey, testenv.SecretKey)

	t.Run("unknown operation", func(t *testing.T) {
		l.expect(t, `
			local s3 = aws.client("s3")
			local ok, err = pcall(function() return s3:frobnicate_buckets{} end)
			print(ok, string.find(tostring(err), "frobnicate_buckets", 1, true) ~= nil)
		`, "false\ttrue\n")
	})
}

func TestLuaPaginators(t *testing.T) {
	bucket := luaBucket(t, 7)
	l := newLua(t, "minio", bindings.Options{})
	// pages prints the keys of each page of a paginate{...} call.
	const pages = `
		local s3 = aws.client("s3")
		function pages(it)
			local n = 0
			for page in it do
				n = n + 1
				local keys = {}
				for _, o in ipairs(page.Contents or {}) do keys[#keys + 1] = o.Key end
				print(n, table.concat(keys, ","))
			end
		end
		local bucket = ...
		local p = s3:get_paginator("list_objects_v2")
	`
	cases := []struct{ name, src, want string }{
		{"PageSize", `
			local it = p:paginate{Bucket = bucket, PaginationConfig = {PageSize = 2}}
			pages(it)
			pages(it) -- each loop sends its requests again
			print(it.resume_token)`,
			"1\tk01,k02\n2\tk03,k04\n3\tk05,k06\n4\tk07\n" +
				"1\tk01,k02\n2\tk03,k04\n3\tk05,k06\n4\tk07\nnil\n"},
		{"MaxItems and StartingToken", `
			local it = p:paginate{Bucket = bucket, PaginationConfig = {MaxItems = 5, PageSize = 2}}
			pages(it)
			local token = it.resume_token
			assert(type(token) == "string" and #token > 0, "no resume_token")
			pages(p:paginate{Bucket = bucket, PaginationConfig = {StartingToken = token, PageSize = 2}})`,
			// As in boto3, the first page after the token is the rest of the
			// page that MaxItems cut.
			"1\tk01,k02\n2\tk03,k04\n3\tk05\n1\tk06\n2\tk07\n"},
		{"MaxItems inside a page", `
			local it = p:paginate{Bucket = bucket, PaginationConfig = {MaxItems = 3}}
			pages(it)
			pages(p:paginate{Bucket = bucket, PaginationConfig = {StartingToken = it.resume_token}})`,
			"1\tk01,k02,k03\n1\tk04,k05,k06,k07\n"},
		{"search", `
			local it = p:paginate{Bucket = bucket, PaginationConfig = {PageSize = 3}}
			local keys = {}
			for k in it:search("Contents[].Key") do keys[#keys + 1] = k end
			print(table.concat(keys, ","))
			keys = {}
			for k in it:search("Contents[?Size > ` + "`4`" + `].Key") do keys[#keys + 1] = k end
			print(table.concat(keys, ","))`,
			"k01,k02,k03,k04,k05,k06,k07\nk05,k06,k07\n"},
		{"build_full_result", `
			local all = p:paginate{Bucket = bucket, PaginationConfig = {PageSize = 2}}:build_full_result()
			print(#all.Contents, all.Contents[7].Key, all.NextToken)
			local cut = p:paginate{Bucket = bucket, PaginationConfig = {MaxItems = 4, PageSize = 3}}:build_full_result()
			print(#cut.Contents, cut.Contents[4].Key, type(cut.NextToken))
			pages(p:paginate{Bucket = bucket, PaginationConfig = {StartingToken = cut.NextToken}})`,
			"7\tk07\tnil\n4\tk04\tstring\n1\tk05,k06,k07\n"},
		{"unknown PaginationConfig key", `
			local ok, err = pcall(p.paginate, p, {Bucket = bucket, PaginationConfig = {MaxItem = 1}})
			print(ok, string.find(tostring(err), '"MaxItem"', 1, true) ~= nil)`,
			"false\ttrue\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { l.expect(t, pages+c.src, c.want, bucket) })
	}
}

func TestLuaWaiters(t *testing.T) {
	bucket := luaBucket(t, 0)
	l := newLua(t, "minio", bindings.Options{})
	l.expect(t, `
		local s3 = aws.client("s3")
		local names = {}
		for i, n in ipairs(s3.waiter_names) do names[n] = i end
		print(names.bucket_exists ~= nil, names.object_not_exists ~= nil, names.bucket_exists < names.object_exists)
		s3:get_waiter("bucket_exists"):wait{Bucket = ..., WaiterConfig = {Delay = 1, MaxAttempts = 3}}
		print("exists")
		local ok, err = pcall(function()
			s3:get_waiter("bucket_exists"):wait{Bucket = "awslua-missing-bucket", WaiterConfig = {Delay = 1, MaxAttempts = 2}}
		end)
		print(ok, err.code, err.reason)
	`, "true\ttrue\ttrue\nexists\nfalse\tWaiterError\tMax attempts exceeded (2)\n", bucket)
}

func TestLuaPresign(t *testing.T) {
	bucket := luaBucket(t, 0)
	l := newLua(t, "minio", bindings.Options{})
	url := l.must(t, `
		local bucket = ...
		local s3 = aws.client("s3")
		s3:put_object{Bucket = bucket, Key = "greeting", Body = "hello from lua"}
		print(s3:generate_presigned_url("get_object", {Params = {Bucket = bucket, Key = "greeting"}, ExpiresIn = 600}))
	`, bucket)
	url = strings.TrimSpace(url)
	if !strings.Contains(url, "X-Amz-Expires=600") {
		t.Errorf("URL %s does not expire in 600 s", url)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "hello from lua" {
		t.Errorf("GET presigned URL: %d %q", resp.StatusCode, body)
	}
}

func TestLuaClientConfig(t *testing.T) {
	l := newLua(t, "minio", bindings.Options{})

	t.Run("accepted", func(t *testing.T) {
		bucket := luaBucket(t, 1)
		l.expect(t, `
			local s3 = aws.client("s3", {region_name = "us-east-1", config = {
				retries = {max_attempts = 2, mode = "standard"}, connect_timeout = 5, read_timeout = 30,
				s3 = {addressing_style = "path"}}})
			print(s3:list_objects_v2{Bucket = ...}.KeyCount)
		`, "1\n", bucket)
	})

	t.Run("addressing_style", func(t *testing.T) {
		// Presigning sends nothing, so a host that does not resolve will do.
		l.expect(t, `
			for _, style in ipairs{"path", "virtual"} do
				local s3 = aws.client("s3", {endpoint_url = "http://localhost:9",
					config = {s3 = {addressing_style = style}}})
				local url = s3:generate_presigned_url("get_object", {Params = {Bucket = "bkt", Key = "k"}})
				print(style, url:match("^http://([^?]+)"))
			end
		`, "path\tlocalhost:9/bkt/k\nvirtual\tbkt.localhost:9/k\n")
	})

	t.Run("unknown keys", func(t *testing.T) {
		l.expect(t, `
			for _, opts in ipairs{
				{config = {retry = {max_attempts = 1}}},
				{config = {retries = {max_attempt = 1}}},
				{config = {s3 = {addressing = "path"}}},
				{regoin_name = "x"},
			} do
				local ok, err = pcall(aws.client, "s3", opts)
				print(ok, (tostring(err):match('no option "([%w_]+)"')))
			end
			local ok, err = pcall(aws.client, "s3", {config = {s3 = {addressing_style = "sideways"}}})
			print(ok, string.find(tostring(err), "sideways", 1, true) ~= nil)
		`, "false\tretry\nfalse\tmax_attempt\nfalse\taddressing\nfalse\tregoin_name\nfalse\ttrue\n")
	})

	t.Run("retries", func(t *testing.T) {
		url, requests := luaFake(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("x-amz-request-id", "REQ123")
			w.WriteHeader(500)
			io.WriteString(w, `<Error><Code>InternalError</Code><Message>try again</Message></Error>`)
		})
		l := newLua(t, "", bindings.Options{Session: luaSession(t, url)})
		l.expect(t, `
			local s3 = aws.client("s3", {config = {retries = {max_attempts = 2, mode = "standard"}}})
			local ok, err = pcall(s3.list_objects_v2, s3, {Bucket = "b"})
			print(ok, err.code, err.status_code, err.retry_attempts, err.request_id, err.message)
		`, "false\tInternalError\t500\t2\tREQ123\ttry again\n")
		if n := requests.Load(); n != 3 {
			t.Errorf("%d requests, want 3 (max_attempts counts retries, as in boto3)", n)
		}
	})

	t.Run("read_timeout", func(t *testing.T) {
		proxy := luaSlowProxy(t, testenv.URL(t, "minio"), 5*time.Second)
		l := newLua(t, "", bindings.Options{Session: luaSession(t, proxy)})
		start := time.Now()
		l.expect(t, `
			local s3 = aws.client("s3", {config = {read_timeout = 0.3, retries = {total_max_attempts = 1}}})
			local ok, err = pcall(s3.list_buckets, s3)
			print(ok, err.code, string.find(tostring(err), "timeout", 1, true) ~= nil)
		`, "false\tReadTimeoutError\ttrue\n")
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("read_timeout 0.3 s took %v", d)
		}
	})
}

// ---- 3. values ----

func TestLuaShapes(t *testing.T) {
	bucket := luaBucket(t, 4)
	l := newLua(t, "minio", bindings.Options{})
	l.expect(t, `
		local bucket = ...
		local s3 = aws.client("s3")
		-- A Lua array for a list member.
		local r = s3:delete_objects{Bucket = bucket, Delete = {Objects = {{Key = "k01"}, {Key = "k02"}}}}
		print(#r.Deleted, s3:list_objects_v2{Bucket = bucket}.KeyCount)
		-- An empty table for a list member is an empty list, not a map.
		s3:put_object_tagging{Bucket = bucket, Key = "k03", Tagging = {TagSet = {}}}
		print(#(s3:get_object_tagging{Bucket = bucket, Key = "k03"}.TagSet or {}))
		s3:put_object_tagging{Bucket = bucket, Key = "k03", Tagging = {TagSet = {{Key = "a", Value = "1"}}}}
		print(s3:get_object_tagging{Bucket = bucket, Key = "k03"}.TagSet[1].Value)
		-- A table that looks like an array, for a map member, is a map.
		s3:put_object{Bucket = bucket, Key = "meta", Body = "", Metadata = {"one"}}
		print(s3:head_object{Bucket = bucket, Key = "meta"}.Metadata["1"])
		-- Absent members are nil, never zero values.
		local h = s3:head_object{Bucket = bucket, Key = "k04"}
		print(h.ContentLength, h.ContentEncoding, h.WebsiteRedirectLocation, h.DeleteMarker)
		local e = s3:list_objects_v2{Bucket = bucket, Prefix = "none/"}
		print(e.KeyCount, e.Contents, e.NextContinuationToken, e.IsTruncated)
	`, "2\t2\n0\n1\n"+"one\n4\tnil\tnil\tnil\n0\tnil\tnil\tfalse\n", bucket)
}

func TestLuaTimestamps(t *testing.T) {
	bucket := luaBucket(t, 2)
	l := newLua(t, "minio", bindings.Options{})
	out := l.must(t, `
		local bucket = ...
		local s3 = aws.client("s3")
		local a = s3:list_objects_v2{Bucket = bucket}.Contents
		local b = s3:list_objects_v2{Bucket = bucket}.Contents
		local t1, t2 = a[1].LastModified, b[1].LastModified
		print(type(t1), rawequal(t1, t2), t1 == t2, t1 < t2, t1 <= t2, t1 ~= a[2].LastModified or true)
		print(type(t1:unix()), t1:unix() == t2:unix(), "at " .. t1)
		-- accepted as RFC 3339 strings, epoch numbers and timestamps
		local function expires(v)
			s3:put_object{Bucket = bucket, Key = "exp", Body = "x", Expires = v}
			return s3:head_object{Bucket = bucket, Key = "exp"}.Expires
		end
		local e1 = expires("2030-01-02T03:04:05Z")
		local e2 = expires(1893456000)
		local e3 = expires(e1)
		print(tostring(e1), tostring(e2), tostring(e3), e1 == e3, e2 < e1, e1 < e2, e2:unix())
		print(tostring(t1))
	`, bucket)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("printed:\n%s", out)
	}
	want := []string{
		"userdata\tfalse\ttrue\tfalse\ttrue\ttrue",
		"number\ttrue\tat " + lines[3],
		"2030-01-02T03:04:05Z\t2030-01-01T00:00:00Z\t2030-01-02T03:04:05Z\ttrue\ttrue\tfalse\t1893456000",
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d: %q, want %q", i+1, lines[i], w)
		}
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$`).MatchString(lines[3]) {
		t.Errorf("LastModified %q is not RFC 3339 in UTC", lines[3])
	}
	if ts, err := time.Parse(time.RFC3339, lines[3]); err != nil || time.Since(ts).Abs() > 10*time.Minute {
		t.Errorf("LastModified %q is not about now (%v)", lines[3], err)
	}
}

func TestLuaBodies(t *testing.T) {
	bucket := luaBucket(t, 0)
	// A file that io.open reads as a request body: binary, and larger than
	// the stream's buffer.
	data := make([]byte, 200<<10)
	for i := range data {
		data[i] = byte(i * 7)
	}
	file := filepath.Join(t.TempDir(), "body.bin")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	l := newLua(t, "minio", bindings.Options{Libs: bindings.AllLibs})
	const setup = `
		local bucket, file = ...
		local s3 = aws.client("s3")
		local text = "line1\nline2\r\n\nline4"
		s3:put_object{Bucket = bucket, Key = "text", Body = text}
		local function body() return s3:get_object{Bucket = bucket, Key = "text"}.Body end
	`
	cases := []struct{ name, src, want string }{
		{"binary", `
			local bin = "a\0b\0\255\1" .. string.rep("\0", 10)
			s3:put_object{Bucket = bucket, Key = "bin", Body = bin}
			local got = s3:get_object{Bucket = bucket, Key = "bin"}.Body:read()
			print(#got, got == bin, aws.base64.encode(got))`,
			"16\ttrue\tYQBiAP8BAAAAAAAAAAAAAA==\n"},
		{"read", `
			local b = body()
			print(tostring(b), b:read(3), b:read(4), b:read(), b:read(1), b:read() == "")`,
			"<streaming body>\tlin\te1\nl\tine2\r\n\nline4\tnil\ttrue\n"},
		{"lines", `
			for line in body():lines() do print("[" .. line .. "]") end`,
			"[line1]\n[line2]\n[]\n[line4]\n"},
		{"iter_chunks", `
			local parts = {}
			for c in body():iter_chunks(6) do parts[#parts + 1] = #c end
			print(table.concat(parts, ","))
			local all = ""
			for c in body():iter_chunks() do all = all .. c end
			print(all == text)`,
			"6,6,6,1\ntrue\n"},
		{"close", `
			local b = body()
			print(b:read(2))
			b:close()
			b:close()
			for _, f in ipairs{function() return b:read() end, function() return b:read(1) end,
				function() return b:lines() end, function() return b:iter_chunks() end} do
				local ok, err = pcall(f)
				print(ok, string.find(tostring(err), "closed", 1, true) ~= nil)
			end`,
			"li\nfalse\ttrue\nfalse\ttrue\nfalse\ttrue\nfalse\ttrue\n"},
		{"io.open file", `
			local f = assert(io.open(file, "rb"))
			s3:put_object{Bucket = bucket, Key = "file", Body = f}
			f:close()
			local got = s3:get_object{Bucket = bucket, Key = "file"}.Body:read()
			local want = assert(io.open(file, "rb")):read("*a")
			print(#got, got == want)`,
			strconv.Itoa(len(data)) + "\ttrue\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { l.expect(t, setup+c.src, c.want, bucket, file) })
	}
}

func TestLuaDynamoDBValues(t *testing.T) {
	table := testenv.Name("awslua-lua")
	t.Cleanup(func() {
		testenv.Client(t, "moto", "dynamodb").Call(context.Background(), "DeleteTable", map[string]any{"TableName": table})
	})
	l := newLua(t, "moto", bindings.Options{})
	l.expect(t, `
		local name = ...
		local ddb = aws.client("dynamodb")
		ddb:create_table{TableName = name, BillingMode = "PROVISIONED",
			AttributeDefinitions = {{AttributeName = "pk", AttributeType = "S"}},
			KeySchema = {{AttributeName = "pk", KeyType = "HASH"}},
			-- an integer member beyond 2^53, written as a string of digits
			ProvisionedThroughput = {ReadCapacityUnits = "9007199254740993", WriteCapacityUnits = 1}}
		ddb:put_item{TableName = name, Item = {pk = {S = "a"}, n = {N = "9007199254740993"},
			b = {B = "\0\1\255"}, l = {L = {}}, m = {M = {}}}}
		local item = ddb:get_item{TableName = name, Key = {pk = {S = "a"}}}.Item
		print(item.n.N, item.b.B == "\0\1\255", #item.b.B, #item.l.L, next(item.m.M))
		-- and it comes back from Go as a value that keeps every digit
		local pt = ddb:describe_table{TableName = name}.Table.ProvisionedThroughput
		local rcu, wcu = pt.ReadCapacityUnits, pt.WriteCapacityUnits
		print(type(rcu), tostring(rcu), "rcu=" .. rcu, type(wcu), wcu)
		print(rcu == ddb:describe_table{TableName = name}.Table.ProvisionedThroughput.ReadCapacityUnits)
		-- which is accepted as input again
		ddb:update_table{TableName = name, ProvisionedThroughput = {ReadCapacityUnits = rcu, WriteCapacityUnits = 2}}
		print(tostring(ddb:describe_table{TableName = name}.Table.ProvisionedThroughput.ReadCapacityUnits))
	`, "9007199254740993\ttrue\t3\t0\tnil\n"+
		"userdata\t9007199254740993\trcu=9007199254740993\tnumber\t1\ntrue\n9007199254740993\n", table)
}

func TestLuaHelpers(t *testing.T) {
	l := newLua(t, "", bindings.Options{})
	cases := []struct{ name, src, want string }{
		{"big integers", `
			local s = '{"n": 9007199254740993}'
			local a, b = aws.json.decode(s).n, aws.json.decode(s).n
			local c = aws.json.decode('{"n": 9007199254740992}').n
			print(tostring(a), a == b, a == c, c < a, a .. "", aws.json.encode{n = a})
			print(aws.json.decode('{"n": 9007199254740991}').n == 9007199254740991)`,
			"9007199254740993\ttrue\tfalse\ttrue\t9007199254740993\t{\"n\":9007199254740993}\ntrue\n"},
		{"inspect sorts keys", `
			print(aws.inspect{zeta = 1, alpha = "a", mid = true, [2] = "two", [1] = "one"})
			print(aws.inspect{b = {y = 2, x = 1}, a = {1, 2, 3}, c = {}})`,
			`{ "one", "two", alpha = "a", mid = true, zeta = 1 }` + "\n" +
				"{\n  a = { 1, 2, 3 },\n  b = { x = 1, y = 2 },\n  c = {},\n}\n"},
		{"inspect cuts long lists", `
			local t = {}
			for i = 1, 60 do t[i] = i end
			local s = aws.inspect(t)
			print(select(2, s:gsub("\n", "")), s:match("50,\n  (%.%.%. %d+ more)\n}$"))
			print(aws.inspect({1, 2, 3, 4}, {max_items = 2}):match("%.%.%. %d+ more"))`,
			"52\t... 10 more\n... 2 more\n"},
		{"json round trip", `
			local v = {name = "x", list = {1, 2.5, "three", true}, nested = {a = {}, b = {c = false}}}
			local s = aws.json.encode(v)
			print(s)
			print(aws.json.encode(aws.json.decode(s)) == s, aws.json.decode(s).list[2], aws.json.decode("[]")[1])
			print(pcall(aws.json.decode, "{bad"))`,
			`{"list":[1,2.5,"three",true],"name":"x","nested":{"a":{},"b":{"c":false}}}` + "\ntrue\t2.5\tnil\n" +
				"false\t" + luaChunk + ":6: aws.json.decode: invalid character 'b' looking for beginning of object key string\n"},
		{"base64", `
			local s = "\0\1\2\255binary"
			print(aws.base64.encode("hello"), aws.base64.decode(aws.base64.encode(s)) == s, aws.base64.decode("aGk="))
			print(pcall(aws.base64.decode, "!!"))`,
			"aGVsbG8=\ttrue\thi\nfalse\t" + luaChunk + ":4: aws.base64.decode: illegal base64 data at input byte 0\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { l.expect(t, c.src, c.want) })
	}
}

// ---- 4. errors ----

func TestLuaServiceErrors(t *testing.T) {
	bucket := luaBucket(t, 0)
	l := newLua(t, "minio", bindings.Options{})
	l.expect(t, `
		local bucket = ...
		local s3 = aws.client("s3")
		local ok, err = pcall(s3.list_objects_v2, s3, {Bucket = "awslua-no-such-bucket"})
		print(ok, type(err), err.code, err.operation, err.status_code, err.retry_attempts)
		print(type(err.request_id), #err.request_id > 0, err.message ~= "" and err.message ~= nil)
		print(tostring(err) == "An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: " .. err.message)
		print(err:is(s3.exceptions.NoSuchBucket), err:is(s3.exceptions.NoSuchKey), err:is("NoSuchBucket"),
			err.code == "NoSuchBucket", tostring(s3.exceptions.NoSuchBucket))
		ok, err = pcall(s3.get_object, s3, {Bucket = bucket, Key = "missing"})
		print(ok, err.code, err.operation, err.status_code, err:is(s3.exceptions.NoSuchKey))
		print(tostring(err):match("^An error occurred %(NoSuchKey%) when calling the GetObject operation: ") ~= nil)
	`, "false\ttable\tNoSuchBucket\tListObjectsV2\t404\t0\nstring\ttrue\ttrue\ntrue\n"+
		"true\tfalse\ttrue\ttrue\t<exception NoSuchBucket>\nfalse\tNoSuchKey\tGetObject\t404\ttrue\ntrue\n", bucket)
}

func TestLuaParamValidation(t *testing.T) {
	// Nothing reaches the server: validation happens before a request.
	url, requests := luaFake(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	l := newLua(t, "", bindings.Options{Session: luaSession(t, url)})
	cases := []struct {
		name, call string
		want       []string
	}{
		{"unknown member", `s3:list_objects_v2{Buckt = "b"}`,
			[]string{`Unknown parameter in input: "Buckt", must be one of: `, "Bucket", "Prefix", "MaxKeys"}},
		{"unknown nested member", `s3:delete_objects{Bucket = "b", Delete = {Objects = {{Kee = "k"}}}}`,
			[]string{`Unknown parameter in Delete.Objects[0]: "Kee", must be one of: `, "Key", "VersionId"}},
		{"wrong type", `s3:list_objects_v2{Bucket = "b", MaxKeys = "ten"}`,
			[]string{`Invalid type for parameter MaxKeys, value: "ten", type: string, valid types: integer`}},
		{"map for a string", `s3:list_objects_v2{Bucket = {name = "b"}}`,
			[]string{"Invalid type for parameter Bucket", "valid types: string"}},
		{"missing required", `s3:list_objects_v2{Prefix = "p"}`,
			[]string{`Missing required parameter in input: "Bucket"`}},
		{"no argument", `s3:list_objects_v2()`,
			[]string{`Missing required parameter in input: "Bucket"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := l.must(t, `
				local s3 = aws.client("s3")
				local ok, err = pcall(function() return `+c.call+` end)
				print(ok, err.code, err.operation, err:is(s3.exceptions.ParamValidationError))
				print(err.message)
			`)
			head, msg, _ := strings.Cut(out, "\n")
			if head != "false\tParamValidationError\tListObjectsV2\ttrue" && head != "false\tParamValidationError\tDeleteObjects\ttrue" {
				t.Errorf("error fields: %q", head)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not contain %q", msg, w)
				}
			}
		})
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

func TestLuaScriptErrors(t *testing.T) {
	l := newLua(t, "minio", bindings.Options{})
	cases := []struct {
		name, src, where string
		lines            []string // that the traceback mentions
		code             string   // of the error value
		message          string   // that Error() holds
	}{
		{"service error", "local s3 = aws.client('s3')\n\ns3:list_objects_v2{Bucket = 'awslua-no-such-bucket'}\nprint('not reached')\n",
			luaChunk + ":3:", []string{luaChunk + ":3"}, "NoSuchBucket",
			"An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: "},
		{"in a function", "local s3 = aws.client('s3')\nlocal function list(b)\n  return s3:list_objects_v2{Bucket = b}\nend\nlist('awslua-no-such-bucket')\n",
			luaChunk + ":3:", []string{luaChunk + ":3", luaChunk + ":5"}, "NoSuchBucket", "(NoSuchBucket)"},
		{"validation", "local s3 = aws.client('s3')\ns3:list_objects_v2{Buckt = 'b'}\n",
			luaChunk + ":2:", []string{luaChunk + ":2"}, "ParamValidationError",
			"Parameter validation failed:\nUnknown parameter in input: \"Buckt\""},
		{"error()", "local x = 1\nerror('boom')\n", luaChunk + ":2:", []string{luaChunk + ":2"}, "", "boom"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := l.run(c.src)
			se := luaScriptError(t, err)
			if out != "" {
				t.Errorf("printed %q", out)
			}
			if !strings.HasPrefix(se.Error(), c.where+" ") {
				t.Errorf("Error() = %q, want it to start with %q", se.Error(), c.where)
			}
			for _, line := range c.lines {
				if !strings.Contains(se.Traceback, line) {
					t.Errorf("traceback does not mention %s:\n%s", line, se.Traceback)
				}
			}
			if c.code != "" {
				v, ok := se.Value.(*lua.LTable)
				if !ok || v.RawGetString("code").String() != c.code {
					t.Errorf("Value = %v, want an error table with code %s", se.Value, c.code)
				}
			}
			if !strings.Contains(se.Error(), c.message) {
				t.Errorf("Error() = %q does not hold %q", se.Error(), c.message)
			}
		})
	}
}

// ---- 5. the embedding API ----

func TestLuaReadOnly(t *testing.T) {
	bucket := luaBucket(t, 1)
	minio := testenv.URL(t, "minio")
	l := newLua(t, "minio", bindings.Options{ReadOnly: true})
	// check runs against clients of every kind of session a script can make.
	const want = "false\tRefused\ttrue\n1\nfalse\tRefused\nstring\nfalse\tRefused\n"
	l.expect(t, `
		local bucket, endpoint, ak, sk = ...
		local function check(s3)
			local ok, err = pcall(s3.put_object, s3, {Bucket = bucket, Key = "new", Body = "x"})
			print(ok, err.code, string.find(err.message, "put_object", 1, true) ~= nil)
			print(s3:list_objects_v2{Bucket = bucket}.KeyCount)
			ok, err = pcall(s3.generate_presigned_url, s3, "put_object", {Params = {Bucket = bucket, Key = "new"}})
			print(ok, err.code)
			print(type(s3:generate_presigned_url("get_object", {Params = {Bucket = bucket, Key = "k01"}})))
			ok, err = pcall(s3.delete_bucket, s3, {Bucket = bucket})
			print(ok, err.code)
		end
		check(aws.client("s3"))
		check(aws.Session{region_name = "us-east-1", endpoint_url = endpoint,
			aws_access_key_id = ak, aws_secret_access_key = sk}:client("s3"))
		check(aws.client("s3", {aws_access_key_id = ak, aws_secret_access_key = sk, endpoint_url = endpoint}))
		aws.setup_default_session{region_name = "us-east-1", endpoint_url = endpoint,
			aws_access_key_id = ak, aws_secret_access_key = sk}
		check(aws.client("s3"))
	`, strings.Repeat(want, 4), bucket, minio, testenv.AccessKey, testenv.SecretKey)
	if n := len(luaKeysOf(t, bucket)); n != 1 {
		t.Errorf("the bucket holds %d objects, want 1", n)
	}
}

// luaKeysOf lists a MinIO bucket's keys from Go.
func luaKeysOf(t *testing.T, bucket string) []any {
	t.Helper()
	out, err := testenv.Client(t, "minio", "s3").Call(context.Background(), "ListObjectsV2", map[string]any{"Bucket": bucket})
	if err != nil {
		t.Fatal(err)
	}
	contents, _ := out["Contents"].([]any)
	return contents
}

func TestLuaServices(t *testing.T) {
	l := newLua(t, "moto", bindings.Options{Services: []string{"s3"}})
	l.expect(t, `
		print(aws.client("s3").meta.service_name)
		for _, make in ipairs{
			function() return aws.client("sqs") end,
			function() return aws.Session{region_name = "us-east-1"}:client("sqs") end,
			function() return aws.Session{}:client("dynamodb") end,
		} do
			local ok, err = pcall(make)
			print(ok, err.code)
		end
	`, "s3\nfalse\tRefused\nfalse\tRefused\nfalse\tRefused\n")
}

func TestLuaLibs(t *testing.T) {
	cases := []struct {
		name string
		libs bindings.Libs
		want string
	}{
		{"safe", 0, "nil\tnil\tnil\tnil\tnil\tfalse\ttrue\ttable\tfunction\n"},
		{"all", bindings.AllLibs, "table\ttable\tfunction\tfunction\ttable\ttrue\ttrue\ttable\tfunction\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			newLua(t, "", bindings.Options{Libs: c.libs}).expect(t, `
				local ok_os = pcall(require, "os")
				print(type(os), type(io), type(dofile), type(loadfile), type(debug), ok_os,
					require("aws") == aws, type(string), type(table.concat))
			`, c.want)
		})
	}
	l := newLua(t, "", bindings.Options{})
	l.expect(t, `
		local ok, err = pcall(require, "os")
		print(ok, string.find(err, '"os"', 1, true) ~= nil)
		print(loadstring("return 1 + 1")())
	`, "false\ttrue\n2\n")
}

// luaGreeter is a Go value handed to scripts through Options.Globals.
type luaGreeter struct {
	Prefix string
	Calls  int
}

func (g *luaGreeter) Greet(name string) string {
	g.Calls++
	return g.Prefix + name
}

func TestLuaGlobals(t *testing.T) {
	g := &luaGreeter{Prefix: "hello, "}
	var got []string
	l := newLua(t, "", bindings.Options{Globals: map[string]any{
		"greeter": g,
		"add":     func(a, b int) int { return a + b },
		"record":  func(s string) { got = append(got, s) },
		"limit":   42,
	}})
	l.expect(t, `
		print(greeter:Greet("lua"), greeter.Prefix, add(2, 3), limit)
		greeter.Prefix = "hi, "
		record(greeter:Greet("again"))
	`, "hello, lua\thello, \t5\t42\n")
	if g.Calls != 2 || g.Prefix != "hi, " || len(got) != 1 || got[0] != "hi, again" {
		t.Errorf("greeter %+v, recorded %q", g, got)
	}
}

func TestLuaOpen(t *testing.T) {
	bucket := luaBucket(t, 3)
	L := lua.NewState()
	defer L.Close()
	bindings.Open(L, testenv.Session(t, "minio"))
	L.SetGlobal("bucket", lua.LString(bucket))
	err := L.DoString(`
		assert(require("aws") == aws)
		local s3 = aws.client("s3")
		result = s3:list_objects_v2{Bucket = bucket}.KeyCount
		local ok, e = pcall(s3.head_bucket, s3, {Bucket = "awslua-no-such-bucket"})
		code = e.code
		stamp = tostring(s3:head_object{Bucket = bucket, Key = "k01"}.LastModified)
	`)
	if err != nil {
		t.Fatal(err)
	}
	if n := L.GetGlobal("result"); n != lua.LNumber(3) {
		t.Errorf("KeyCount = %v, want 3", n)
	}
	if c := L.GetGlobal("code").String(); c != "404" { // boto3's code for a HEAD without a body
		t.Errorf("head_bucket of a missing bucket: code %q", c)
	}
	if s := L.GetGlobal("stamp").String(); !strings.HasSuffix(s, "Z") {
		t.Errorf("timestamp %q", s)
	}
}

func TestLuaCancel(t *testing.T) {
	cases := []struct {
		name, src string
		session   func(t *testing.T) *sdk.Session
	}{
		{"request in flight", `aws.client("s3"):list_buckets{}`, func(t *testing.T) *sdk.Session {
			return luaSession(t, luaSlowProxy(t, testenv.URL(t, "minio"), 5*time.Second))
		}},
		{"runaway loop", `local n = 0 while true do n = n + 1 end`, func(t *testing.T) *sdk.Session { return nil }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newLua(t, "", bindings.Options{Session: c.session(t)})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			time.AfterFunc(200*time.Millisecond, cancel)
			start := time.Now()
			_, err := l.runCtx(ctx, c.src)
			if d := time.Since(start); d > time.Second+200*time.Millisecond {
				t.Errorf("DoString returned after %v", d)
			}
			luaScriptError(t, err)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error %v is not context.Canceled", err)
			}
			// The runtime still works after a cancelled script.
			if out, err := l.run(`print(1 + 1)`); err != nil || out != "2\n" {
				t.Errorf("after cancel: %q, %v", out, err)
			}
		})
	}
}
