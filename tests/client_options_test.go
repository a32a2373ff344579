package tests

import (
	"debug/elf"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// TestCLIInvalidOptions: an endpoint URL that is not one, and a timeout
// that is not positive, end the command at once with an error that names
// the value, before any script runs.
func TestCLIInvalidOptions(t *testing.T) {
	c := cliCmd{env: cliOffline(t, "AWS_REGION=us-east-1")}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--endpoint-url", "notaurl"}, "Invalid endpoint: notaurl"},
		{[]string{"--endpoint-url", "127.0.0.1:5081"}, "Invalid endpoint: 127.0.0.1:5081"},
		{[]string{"--endpoint-url", "http//x"}, "Invalid endpoint: http//x"},
		{[]string{"--timeout", "-5"}, `"-5" is not more than 0`},
		{[]string{"--timeout", "soon"}, `"soon" is not a duration`},
	} {
		r := c.run(t, append(tc.args, "-e", `print("ran")`)...).want(t, 2)
		cliHas(t, strings.Join(tc.args, " "), r.stderr, tc.want)
		if strings.Contains(r.stdout, "ran") {
			t.Errorf("%q: the script ran", tc.args)
		}
	}
	// The same from the environment, on the first use of the session.
	r := cliCmd{env: cliOffline(t, "AWS_REGION=us-east-1", "AWS_ENDPOINT_URL=localhost:4566")}.run(t,
		"-e", `aws.client("s3")`).want(t, 1)
	cliHas(t, "AWS_ENDPOINT_URL", r.stderr, "AWS_ENDPOINT_URL", "Invalid endpoint: localhost:4566")
	// A good one still works.
	c.run(t, "--endpoint-url", "http://127.0.0.1:9", "--timeout", "5", "-e", `print("ran")`).want(t, 0)
}

// TestLuaInvalidClientOptions: the same checks where a script gives them,
// for clients, resources and sessions alike.
func TestLuaInvalidClientOptions(t *testing.T) {
	l := newLua(t, "", bindings.Options{Session: luaSession(t, "http://127.0.0.1:9")})
	l.expect(t, `
		local cases = {
			function() return aws.client("s3", {endpoint_url = "127.0.0.1:5081"}) end,
			function() return aws.client("s3", {endpoint_url = "http//x"}) end,
			function() return aws.resource("s3", {endpoint_url = "notaurl"}) end,
			function() return aws.Session{region_name = "us-east-1", endpoint_url = "notaurl"} end,
			function() return aws.client("s3", {config = {connect_timeout = -5}}) end,
			function() return aws.client("s3", {config = {read_timeout = 0}}) end,
			function() return aws.client("s3", {config = {read_timeout = "x"}}) end,
			function() return aws.resource("sqs", {config = {connect_timeout = "soon"}}) end,
		}
		for i, f in ipairs(cases) do
			local ok, err = pcall(f)
			print(i, ok, tostring(err):match("Invalid endpoint: %S+") or tostring(err):match("config%.[%w_]+ .*"))
		end
	`, `1	false	Invalid endpoint: 127.0.0.1:5081
2	false	Invalid endpoint: http//x
3	false	Invalid endpoint: notaurl
4	false	Invalid endpoint: notaurl
5	false	config.connect_timeout is -5: a timeout must be a number of seconds more than 0
6	false	config.read_timeout is 0: a timeout must be a number of seconds more than 0
7	false	config.read_timeout must be a number, not "x" (a string)
8	false	config.connect_timeout must be a number, not "soon" (a string)
`)
}

// TestLuaMetaConfig: client.meta.config shows what the client runs with,
// boto3's defaults included (60 s timeouts; for s3 the signature version
// s3v4, v4 for the others).
func TestLuaMetaConfig(t *testing.T) {
	l := newLua(t, "", bindings.Options{Session: luaSession(t, "http://127.0.0.1:9")})
	l.expect(t, `
		local function show(c)
			local m = c.meta.config
			print(m.region_name, m.connect_timeout, m.read_timeout, m.retries.mode, m.retries.max_attempts,
				m.retries.total_max_attempts, m.signature_version)
		end
		show(aws.client("s3"))
		show(aws.client("sqs"))
		show(aws.client("s3", {region_name = "eu-west-1", config = {connect_timeout = 5, read_timeout = 2.5,
			retries = {max_attempts = 4, mode = "adaptive"}}}))
		show(aws.resource("sqs", {config = {read_timeout = 7}}).meta.client)
	`, `us-east-1	60	60	standard	2	3	s3v4
us-east-1	60	60	standard	2	3	v4
eu-west-1	5	2.5	adaptive	4	5	s3v4
us-east-1	60	7	standard	2	3	v4
`)
}

// silentServer accepts connections and never answers; it returns its URL.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	return "http://" + ln.Addr().String()
}

// TestLuaReadTimeoutSilentServer: a server that takes the connection and
// never answers ends the call after read_timeout, with an error that says
// so, instead of hanging the script.
func TestLuaReadTimeoutSilentServer(t *testing.T) {
	url := silentServer(t)
	l := newLua(t, "", bindings.Options{Session: luaSession(t, url)})
	start := time.Now()
	out := l.must(t, `
		local sqs = aws.client("sqs", {config = {read_timeout = 0.5, retries = {total_max_attempts = 1}}})
		local ok, err = pcall(sqs.list_queues, sqs)
		print(ok, err.code, err.operation)
		print(tostring(err))
	`)
	elapsed := time.Since(start)
	lines := strings.Split(out, "\n")
	if lines[0] != "false\tReadTimeoutError\tListQueues" {
		t.Errorf("printed %q", out)
	}
	if want := `Read timeout on endpoint URL: "` + url; !strings.HasPrefix(lines[1], want) {
		t.Errorf("message %q, want it to start %q", lines[1], want)
	}
	if elapsed < 400*time.Millisecond || elapsed > 3*time.Second {
		t.Errorf("the call took %v, want about 0.5 s", elapsed)
	}
}

// TestLuaResourceOptions: aws.resource and session:resource take every
// option aws.client takes, keys included, as boto3.resource does. MinIO
// checks signatures, so only the keys given to the resource can work.
func TestLuaResourceOptions(t *testing.T) {
	bucket := luaBucket(t, 2)
	l := newLua(t, "minio", bindings.Options{})
	l.expect(t, `
		local bucket, url = ...
		local s = aws.Session{region_name = "us-east-1", endpoint_url = url,
			aws_access_key_id = "wrong", aws_secret_access_key = "wrong-secret"}
		local ok, err = pcall(function() return s:resource("s3"):Bucket(bucket).objects:all():pages()() end)
		print(ok, err.code)
		local keys = {aws_access_key_id = "backendtest", aws_secret_access_key = "backendtest-secret",
			aws_session_token = nil, config = {read_timeout = 9}}
		for _, r in ipairs{s:resource("s3", keys), aws.resource("s3", keys)} do
			local n = 0
			local b = r:Bucket(bucket) -- a local: gopher-lua's for-loop bug (README)
			for o in b.objects:all() do n = n + 1 end
			print(n, r.meta.client.meta.config.read_timeout, r.meta.client.meta.region_name)
		end
		local ok, err = pcall(aws.resource, "s3", {aws_acess_key_id = "x"})
		print(ok, (tostring(err):match('resource has no option "[%w_]+"')))
	`, "false\tInvalidAccessKeyId\n2\t9\tus-east-1\n2\t9\tus-east-1\nfalse\tresource has no option \"aws_acess_key_id\"\n",
		bucket, testenv.URL(t, "minio"))
}

// TestLuaVerify: boto3's verify option, for clients and resources: by
// default a server whose certificate no known authority signed is refused;
// verify = false skips the check, and verify = "bundle.pem" trusts the
// authorities in that file.
func TestLuaVerify(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		io.WriteString(w, `{"QueueUrls": ["https://q/1"]}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(bundle, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	l := newLua(t, "", bindings.Options{Session: luaSession(t, srv.URL), Libs: bindings.AllLibs})
	l.expect(t, `
		local bundle = ...
		local one = {retries = {total_max_attempts = 1}}
		local function try(opts)
			opts.config = one
			local sqs = aws.client("sqs", opts)
			local ok, r = pcall(sqs.list_queues, sqs)
			return ok and r.QueueUrls[1] or (tostring(r):match("certificate") and "certificate refused" or tostring(r))
		end
		print(try{})
		print(try{verify = false})
		print(try{verify = bundle})
		local q = aws.resource("sqs", {verify = false, config = one})
		local n = 0
		for x in q.queues:all() do n = n + 1 end
		print(n)
		local ok, err = pcall(aws.client, "sqs", {verify = 1})
		print(ok, (tostring(err):match("verify must.*")))
	`, "certificate refused\nhttps://q/1\nhttps://q/1\n1\nfalse\tverify must be false, true or the path of a CA bundle, not 1 (a number)\n", bundle)

	// The sandbox has no file access, and a CA bundle is a file.
	safe := newLua(t, "", bindings.Options{Session: luaSession(t, srv.URL)})
	safe.expect(t, `
		local ok, err = pcall(aws.client, "sqs", {verify = ...})
		print(ok, (tostring(err):match("reads a file, and this runtime has no file access")))
	`, "false\treads a file, and this runtime has no file access\n", bundle)
}

// TestClientOptionsChecks: the Go API refuses the same values.
func TestClientOptionsChecks(t *testing.T) {
	sess := luaSession(t, "http://127.0.0.1:9")
	for name, opt := range map[string]func(*sdk.ClientOptions){
		"connect_timeout -5":               func(o *sdk.ClientOptions) { o.ConnectTimeout = -5 * time.Second },
		"read_timeout -1":                  func(o *sdk.ClientOptions) { o.ReadTimeout = -time.Second },
		"Invalid endpoint: 127.0.0.1:5081": func(o *sdk.ClientOptions) { o.EndpointURL = "127.0.0.1:5081" },
	} {
		if _, err := sess.Client("s3", opt); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v, want it named", name, err)
		}
	}
	if _, err := sdk.NewSession(t.Context(), sdk.WithRegion("us-east-1"), sdk.WithEndpointURL("http//x")); err == nil ||
		!strings.Contains(err.Error(), "Invalid endpoint: http//x") {
		t.Errorf("session endpoint http//x: err = %v", err)
	}
	c, err := sess.Client("sqs")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Config(); got.ConnectTimeout != sdk.DefaultConnectTimeout || got.ReadTimeout != 60*time.Second {
		t.Errorf("default timeouts: %+v", got)
	}
}

// TestCLIStaticBinary: make build and make install build without cgo, and
// such a binary (the one the CLI tests run) is static: no program
// interpreter, no shared libraries.
func TestCLIStaticBinary(t *testing.T) {
	bin := cliBinary(t)
	out, err := exec.Command("make", "-n", "-C", cliBuild.root, "build", "install").CombinedOutput()
	if err != nil {
		t.Fatalf("make -n build install: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.HasPrefix(line, "make") {
			continue
		}
		if !strings.Contains(line, "CGO_ENABLED=0") || !strings.Contains(line, "./cmd/awslua") {
			t.Errorf("make runs %q, want a build of ./cmd/awslua with CGO_ENABLED=0", line)
		}
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Skipf("not an ELF binary on this system: %v", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary has a program interpreter: it is linked dynamically")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs shared libraries: %v", libs)
	}
}
