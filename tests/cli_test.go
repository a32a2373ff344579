package tests

// Tests of the awslua command and of the scripts in scripts/: each runs the
// built binary as a child process and checks what it printed, its exit
// status, and its effect on the servers through the sdk.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// ---- helpers ----

// cliBuild holds the awslua binary, built once for the package.
var cliBuild struct {
	once      sync.Once
	root, dir string // the repository; the temporary directory of the binary
	bin       string
	err       error
}

// TestMain removes the binary the CLI tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if cliBuild.dir != "" {
		os.RemoveAll(cliBuild.dir)
	}
	os.Exit(code)
}

// cliBinary builds ./cmd/awslua on first use and returns its path.
func cliBinary(t testing.TB) string {
	t.Helper()
	cliBuild.once.Do(func() {
		wd, err := os.Getwd()
		if err != nil {
			cliBuild.err = err
			return
		}
		root := wd
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			if filepath.Dir(root) == root {
				cliBuild.err = fmt.Errorf("no go.mod above %s", wd)
				return
			}
			root = filepath.Dir(root)
		}
		cliBuild.root = root
		if cliBuild.dir, cliBuild.err = os.MkdirTemp("", "awslua-cli-test-"); cliBuild.err != nil {
			return
		}
		cliBuild.bin = filepath.Join(cliBuild.dir, "awslua")
		// As make build builds it: static, without cgo (TestCLIStaticBinary).
		cmd := exec.Command("go", "build", "-trimpath", "-o", cliBuild.bin, "./cmd/awslua")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			cliBuild.err = fmt.Errorf("go build ./cmd/awslua: %v\n%s", err, out)
		}
	})
	if cliBuild.err != nil {
		t.Fatal(cliBuild.err)
	}
	return cliBuild.bin
}

// cliScriptPath returns the path of a script in scripts/.
func cliScriptPath(t *testing.T, name string) string {
	t.Helper()
	cliBinary(t)
	return filepath.Join(cliBuild.root, "scripts", name)
}

// cliCmd says how to run the command; the zero value runs it against moto
// in the test's working directory.
type cliCmd struct {
	env   []string // nil: testenv.Env(t, "moto")
	dir   string
	stdin string
	exe   string // "": the awslua binary; or an executable script, say
}

type cliResult struct {
	stdout, stderr string
	code           int
	elapsed        time.Duration
}

func (r cliResult) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// run runs the command with args and returns what it did; it fails the
// test only when the process cannot be started or runs for minutes.
func (c cliCmd) run(t *testing.T, args ...string) cliResult {
	t.Helper()
	exe := c.exe
	if exe == "" {
		exe = cliBinary(t)
	}
	env := c.env
	if env == nil {
		env = testenv.Env(t, "moto")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env, cmd.Dir = env, c.dir
	cmd.Stdin = strings.NewReader(c.stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := cliResult{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("awslua %q did not end: %v\n%s", args, ctx.Err(), r)
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("awslua %q: %v", args, err)
	}
	return r
}

// awslua runs the command against moto.
func awslua(t *testing.T, args ...string) cliResult {
	t.Helper()
	return cliCmd{}.run(t, args...)
}

// want fails the test unless the command exited with code.
func (r cliResult) want(t *testing.T, code int) cliResult {
	t.Helper()
	if r.code != code {
		t.Fatalf("want exit %d, got %s", code, r)
	}
	return r
}

// cliHas fails the test unless out holds every one of subs.
func cliHas(t *testing.T, what, out string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(out, s) {
			t.Errorf("%s lacks %q:\n%s", what, s, out)
		}
	}
}

// cliOffline is an environment with no AWS configuration in it at all: no
// AWS_* variables and a HOME without ~/.aws.
func cliOffline(t *testing.T, extra ...string) []string {
	t.Helper()
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	env = append(env, "HOME="+t.TempDir(), "AWS_EC2_METADATA_DISABLED=true")
	return append(env, extra...)
}

// cliWithout returns env without the variables named.
func cliWithout(env []string, names ...string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.Contains(names, name)
	})
}

// cliWrite writes a file in dir and returns its path.
func cliWrite(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// cliCall calls an operation on a test server and fails the test on error.
func cliCall(t *testing.T, c *sdk.Client, op string, in map[string]any) map[string]any {
	t.Helper()
	out, err := c.Call(context.Background(), op, in)
	if err != nil {
		t.Fatalf("%s %s: %v", c.ServiceName(), op, err)
	}
	return out
}

// cliDig follows map keys and list indexes through a dynamic value.
func cliDig[T any](t *testing.T, v any, path ...any) T {
	t.Helper()
	cur := v
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := cur.(map[string]any)
			cur = m[k]
		case int:
			l, _ := cur.([]any)
			if k >= len(l) {
				t.Fatalf("%v: no index %d in %v", path, k, cur)
			}
			cur = l[k]
		}
	}
	out, ok := cur.(T)
	if !ok {
		t.Fatalf("%v: got %T (%v), want %T", path, cur, cur, out)
	}
	return out
}

// cliLines splits output into lines, without the last newline.
func cliLines(s string) []string {
	if s = strings.TrimSuffix(s, "\n"); s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// cliSorted returns a sorted copy.
func cliSorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// ---- the command line ----

func TestCLIArguments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	script := cliWrite(t, dir, "args.lua", `print(arg[0], #arg, select("#", ...), ...)`+"\n")
	off := cliCmd{env: cliOffline(t)}
	for _, tc := range []struct {
		name string
		cmd  cliCmd
		args []string
		want string
	}{
		{"script", off, []string{script, "a", "b"}, script + "\t2\t2\ta\tb\n"},
		{"arguments that look like flags are the script's", off,
			[]string{script, "--region", "x y", "-e"}, script + "\t3\t3\t--region\tx y\t-e\n"},
		{"no arguments", off, []string{script}, script + "\t0\t0\n"},
		{"-e", off, []string{"-e", "print(1)"}, "1\n"},
		{"-e with arguments", off, []string{"-e", "print(...)", "x", "y"}, "x\ty\n"},
		{"- reads stdin", cliCmd{env: off.env, stdin: `print("stdin", arg[1], ...)`},
			[]string{"-", "x", "y"}, "stdin\tx\tx\ty\n"},
		{"stdin without -", cliCmd{env: off.env, stdin: `print(2 + 2)`}, nil, "4\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.cmd.run(t, tc.args...).want(t, 0)
			if r.stdout != tc.want {
				t.Errorf("stdout %q, want %q\n%s", r.stdout, tc.want, r)
			}
		})
	}
}

func TestCLIShebang(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ok := cliWrite(t, dir, "ok.lua", "#!/usr/bin/env awslua\nprint(\"ran\", ...)\n")
	cliWrite(t, dir, "script.lua", "#!/usr/bin/env awslua\nlocal x = 1\nerror(\"boom\")\n")
	env := cliOffline(t)

	r := cliCmd{env: env}.run(t, ok, "a").want(t, 0)
	if r.stdout != "ran\ta\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	r = cliCmd{env: env, dir: dir}.run(t, "script.lua").want(t, 1)
	cliHas(t, "stderr", r.stderr, "script.lua:3: boom")

	// Executable, found through PATH as the shebang line asks.
	if err := os.Chmod(ok, 0o755); err != nil {
		t.Fatal(err)
	}
	pathEnv := append(cliWithout(env, "PATH"), "PATH="+filepath.Dir(cliBinary(t))+string(os.PathListSeparator)+os.Getenv("PATH"))
	r = cliCmd{env: pathEnv, exe: ok}.run(t, "b").want(t, 0)
	if r.stdout != "ran\tb\n" {
		t.Errorf("executable script: stdout %q", r.stdout)
	}
}

func TestCLIErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		name, file, src string
		want            []string // in stderr
	}{
		{"runtime error", "fail.lua", "local function f()\n  local t = nil\n  return t.x\nend\nf()\n",
			[]string{"awslua: fail.lua:3: attempt to index", "stack traceback:", "fail.lua:3: in function 'f'", "fail.lua:5: in main chunk"}},
		{"error()", "raise.lua", "\n\nerror(\"went wrong\")\n",
			[]string{"raise.lua:3: went wrong", "stack traceback:", "raise.lua:3: in main chunk"}},
		{"syntax error", "syntax.lua", "local x = 1\nlocal = 2\n",
			[]string{"syntax.lua", "line:2", "syntax error"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cliWrite(t, dir, tc.file, tc.src)
			r := cliCmd{env: cliOffline(t), dir: dir}.run(t, tc.file).want(t, 1)
			cliHas(t, "stderr", r.stderr, tc.want...)
			if r.stdout != "" {
				t.Errorf("stdout %q", r.stdout)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		r := cliCmd{env: cliOffline(t), dir: dir}.run(t, "nope.lua").want(t, 1)
		cliHas(t, "stderr", r.stderr, "nope.lua")
	})
	t.Run("os.exit", func(t *testing.T) {
		r := cliCmd{env: cliOffline(t)}.run(t, "-e", "print('x') os.exit(3)").want(t, 3)
		if r.stdout != "x\n" || r.stderr != "" {
			t.Errorf("os.exit(3) printed:\n%s", r)
		}
		// pcall does not catch it: the script stops there.
		r = cliCmd{env: cliOffline(t)}.run(t, "-e", "pcall(os.exit, 4) print('after')").want(t, 4)
		if r.stdout != "" || r.stderr != "" {
			t.Errorf("pcall(os.exit, 4) printed:\n%s", r)
		}
		cliCmd{env: cliOffline(t), stdin: "os.exit(false)"}.run(t).want(t, 1)
	})
}

func TestCLIAWSError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cliWrite(t, dir, "list.lua", "local s3 = aws.client(\"s3\")\ns3:list_objects_v2{Bucket = ...}\nprint(\"not reached\")\n")
	r := cliCmd{dir: dir}.run(t, "list.lua", testenv.Name("awslua-missing")).want(t, 1)
	cliHas(t, "stderr", r.stderr,
		"list.lua:2: An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation",
		"stack traceback:", "list.lua:2: in main chunk")
	if r.stdout != "" {
		t.Errorf("stdout %q", r.stdout)
	}
}

func TestCLIRequire(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	main := cliWrite(t, dir, "job/main.lua", `local mod, pkg = require("mod"), require("pkg")
print(mod.greet("x"), pkg.name, require("mod") == mod)
`)
	cliWrite(t, dir, "job/mod.lua", `return {greet = function(n) return "hello " .. n end}`)
	cliWrite(t, dir, "job/pkg/init.lua", `return {name = "pkg/init"}`)
	other := filepath.Join(dir, "elsewhere")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	r := cliCmd{env: cliOffline(t), dir: other}.run(t, main).want(t, 0)
	if r.stdout != "hello x\tpkg/init\ttrue\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	// The same, with a relative path to the script.
	r = cliCmd{env: cliOffline(t), dir: other}.run(t, filepath.Join("..", "job", "main.lua")).want(t, 0)
	if r.stdout != "hello x\tpkg/init\ttrue\n" {
		t.Errorf("relative path: stdout %q", r.stdout)
	}
}

func TestCLIVersionAndHelp(t *testing.T) {
	t.Parallel()
	off := cliCmd{env: cliOffline(t)}
	r := off.run(t, "--version").want(t, 0)
	if !regexp.MustCompile(`^awslua \S+ \(aws-sdk-go-v2 v\d+\.\d+\.\d+\S*, botocore \d+\.\d+\.\d+ models\)\n$`).MatchString(r.stdout) {
		t.Errorf("--version printed %q", r.stdout)
	}

	r = off.run(t, "--help").want(t, 0)
	cliHas(t, "--help", r.stdout, "usage: awslua", "--profile", "--region", "--endpoint-url",
		"--read-only", "--local", "--timeout", "--debug", "--version", "-e ")

	r = off.run(t, "--no-such-flag").want(t, 2)
	cliHas(t, "stderr of a bad flag", r.stderr, "no-such-flag", "usage: awslua")
}

func TestCLIRegion(t *testing.T) {
	t.Parallel()
	env := cliOffline(t, "AWS_REGION=us-east-1")
	chunk := `print(aws.client("s3").meta.region_name, aws.Session{}.region_name, aws.client("sqs").meta.region_name)`
	r := cliCmd{env: env}.run(t, "--region", "eu-west-1", "-e", chunk).want(t, 0)
	if r.stdout != "eu-west-1\teu-west-1\teu-west-1\n" {
		t.Errorf("--region eu-west-1: %q", r.stdout)
	}
	r = cliCmd{env: env}.run(t, "-e", chunk).want(t, 0)
	if r.stdout != "us-east-1\tus-east-1\tus-east-1\n" {
		t.Errorf("without --region: %q", r.stdout)
	}
}

func TestCLIProfile(t *testing.T) {
	t.Parallel()
	config := cliWrite(t, t.TempDir(), "config", `[default]
region = us-west-1

[profile dev]
region = ap-southeast-2
`)
	env := cliOffline(t, "AWS_CONFIG_FILE="+config, "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	chunk := `local s = aws.Session{}; print(aws.client("s3").meta.region_name, s.region_name, s.profile_name)`
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "us-west-1\tus-west-1\tdefault\n"},
		{[]string{"--profile", "dev"}, "ap-southeast-2\tap-southeast-2\tdev\n"},
		{[]string{"--profile", "dev", "--region", "eu-central-1"}, "eu-central-1\teu-central-1\tdev\n"},
	} {
		r := cliCmd{env: env}.run(t, append(tc.args, "-e", chunk)...).want(t, 0)
		if r.stdout != tc.want {
			t.Errorf("%q: stdout %q, want %q", tc.args, r.stdout, tc.want)
		}
	}
	r := cliCmd{env: env}.run(t, "--profile", "nope", "-e", chunk).want(t, 1)
	cliHas(t, "--profile nope", r.stderr, "nope")
}

func TestCLIEndpointURL(t *testing.T) {
	t.Parallel()
	moto := testenv.URL(t, "moto")
	s3 := testenv.Client(t, "moto", "s3")
	sqs := testenv.Client(t, "moto", "sqs")
	bucket, queue := testenv.Name("awslua-cli-ep"), testenv.Name("awslua-cli-ep")
	cliCall(t, s3, "create_bucket", map[string]any{"Bucket": bucket})
	t.Cleanup(func() {
		cliCall(t, s3, "delete_object", map[string]any{"Bucket": bucket, "Key": "via-endpoint-url"})
		cliCall(t, s3, "delete_bucket", map[string]any{"Bucket": bucket})
	})

	// With no AWS_ENDPOINT_URL, only --endpoint-url can lead to moto.
	env := cliWithout(testenv.Env(t, "moto"), "AWS_ENDPOINT_URL")
	r := cliCmd{env: env}.run(t, "--endpoint-url", moto, "-e", `
local bucket, queue = ...
local s3 = aws.client("s3")
print(s3.meta.endpoint_url)
for _, b in ipairs(s3:list_buckets{}.Buckets) do
  if b.Name == bucket then print("found " .. bucket) end
end
s3:put_object{Bucket = bucket, Key = "via-endpoint-url", Body = "hi"}
aws.client("sqs"):create_queue{QueueName = queue}
`, bucket, queue).want(t, 0)
	want := moto + "\nfound " + bucket + "\n"
	if r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
	out := cliCall(t, s3, "get_object", map[string]any{"Bucket": bucket, "Key": "via-endpoint-url"})
	if n := cliDig[int64](t, out, "ContentLength"); n != 2 {
		t.Errorf("object put through --endpoint-url has %d bytes", n)
	}
	url := cliDig[string](t, cliCall(t, sqs, "get_queue_url", map[string]any{"QueueName": queue}), "QueueUrl")
	cliCall(t, sqs, "delete_queue", map[string]any{"QueueUrl": url})
}

func TestCLIReadOnly(t *testing.T) {
	t.Parallel()
	s3 := testenv.Client(t, "moto", "s3")
	bucket := testenv.Name("awslua-cli-ro")
	cliCall(t, s3, "create_bucket", map[string]any{"Bucket": bucket})
	t.Cleanup(func() {
		cliCall(t, s3, "delete_object", map[string]any{"Bucket": bucket, "Key": "k"})
		cliCall(t, s3, "delete_bucket", map[string]any{"Bucket": bucket})
	})
	put := `aws.client("s3"):put_object{Bucket = ..., Key = "k", Body = "x"}`
	exists := func() bool {
		out := cliCall(t, s3, "list_objects_v2", map[string]any{"Bucket": bucket})
		return cliDig[int64](t, out, "KeyCount") > 0
	}

	r := awslua(t, "--read-only", "-e", put, bucket).want(t, 1)
	cliHas(t, "stderr", r.stderr, "put_object", "read-only")
	r = awslua(t, "--read-only", "-e", `aws.Session{}:client("s3"):put_object{Bucket = ..., Key = "k", Body = "x"}`, bucket).want(t, 1)
	cliHas(t, "stderr (a session of the script's own)", r.stderr, "read-only")
	if exists() {
		t.Fatal("--read-only let put_object through")
	}

	r = awslua(t, "--read-only", "-e", `
for _, b in ipairs(aws.client("s3"):list_buckets{}.Buckets) do
  if b.Name == ... then print("listed") end
end`, bucket).want(t, 0)
	if r.stdout != "listed\n" {
		t.Errorf("list_buckets under --read-only: %s", r)
	}

	// Without --read-only the same chunk writes.
	awslua(t, "-e", put, bucket).want(t, 0)
	if !exists() {
		t.Error("put_object without --read-only wrote nothing")
	}
}

// TestCLIGenericForResource: the loop gopher-lua miscompiled, over a real
// collection, as a script, as -e, piped and in the REPL.
func TestCLIGenericForResource(t *testing.T) {
	t.Parallel()
	const src = `local s3 = aws.resource("s3")
s3:create_bucket{Bucket = "loops"}
for _, k in ipairs({"a", "b", "c"}) do s3:Object("loops", k):put{Body = k} end
local keys = {}
for round = 1, 2 do
  for o in s3:Bucket("loops").objects:all() do keys[#keys + 1] = o.key; if o.key == "b" then break end end
end
print(table.concat(keys, ","))
`
	dir := t.TempDir()
	script := cliWrite(t, dir, "loops.lua", src)
	for name, cmd := range map[string]struct {
		c    cliCmd
		args []string
	}{
		"script": {cliCmd{env: cliOffline(t)}, []string{"--local", script}},
		"-e":     {cliCmd{env: cliOffline(t)}, []string{"--local", "-e", src}},
		"piped":  {cliCmd{env: cliOffline(t), stdin: src}, []string{"--local"}},
		"REPL":   {cliCmd{env: cliOffline(t), stdin: strings.ReplaceAll(strings.ReplaceAll(src, "local ", ""), "\n  ", " ")}, []string{"--local", "-i"}},
	} {
		t.Run(name, func(t *testing.T) {
			r := cmd.c.run(t, cmd.args...).want(t, 0)
			cliHas(t, "stdout", r.stdout, "a,b,a,b\n")
		})
	}
}

func TestCLILocal(t *testing.T) {
	t.Parallel()
	tour := cliScriptPath(t, "tour.lua")
	cmd := cliCmd{env: cliOffline(t), dir: t.TempDir()}
	r := cmd.run(t, "--local", tour).want(t, 0)
	lines := cliLines(r.stdout)
	for _, want := range []string{
		"session: region us-east-1, profile default",
		"put 25 objects into s3://awslua-tour/logs/",
		"listed 25 keys in 3 pages",
		"last key whose body is longer than 6 bytes: logs/2026-11-25.txt",
		"expected error: NoSuchKey (HTTP 404)",
		`validation: Invalid type for parameter MaxKeys, value: "ten", type: string, valid types: integer`,
		"deleted 25 objects and the bucket; tour done",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("no line %q in\n%s", want, r.stdout)
		}
	}
	cliHas(t, "stdout", r.stdout, "presigned URL: http://127.0.0.1:")
	if lines[len(lines)-1] != "deleted 25 objects and the bucket; tour done" {
		t.Errorf("last line %q", lines[len(lines)-1])
	}

	// Without --local the same environment has no region, and fails.
	r = cmd.run(t, tour).want(t, 1)
	cliHas(t, "stderr without --local", r.stderr, "region")
}

func TestCLITimeout(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cmd  func(t *testing.T) cliCmd
		args []string
	}{
		{"busy loop", func(t *testing.T) cliCmd { return cliCmd{env: cliOffline(t)} },
			[]string{"--timeout", "1s", "-e", "while true do end"}},
		{"seconds without a unit", func(t *testing.T) cliCmd { return cliCmd{env: cliOffline(t)} },
			[]string{"--timeout", "1", "-e", "local n = 0 while true do n = n + 1 end"}},
		{"request in flight", func(t *testing.T) cliCmd { return cliCmd{} }, []string{"--timeout", "1s", "-e", `
local sqs = aws.client("sqs")
local url = sqs:create_queue{QueueName = ...}.QueueUrl
sqs:receive_message{QueueUrl = url, WaitTimeSeconds = 20}
print("not reached")`, testenv.Name("awslua-cli-timeout")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tc.cmd(t).run(t, tc.args...).want(t, 1)
			cliHas(t, "stderr", r.stderr, "deadline exceeded")
			if r.elapsed > 6*time.Second || r.elapsed < time.Second {
				t.Errorf("--timeout 1s stopped the script after %v", r.elapsed)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q", r.stdout)
			}
		})
	}
}

func TestCLIDebug(t *testing.T) {
	t.Parallel()
	const token = "session-token-that-must-not-show"
	bucket := testenv.Name("awslua-cli-debug")
	env := append(testenv.Env(t, "moto"), "AWS_SESSION_TOKEN="+token)
	r := cliCmd{env: env}.run(t, "--debug", "-e", `
local s3 = aws.client("s3")
s3:create_bucket{Bucket = ...}
s3:put_object{Bucket = ..., Key = "k", Body = "body"}
s3:list_buckets{}
s3:delete_object{Bucket = ..., Key = "k"}
s3:delete_bucket{Bucket = ...}
print("done")`, bucket).want(t, 0)
	if r.stdout != "done\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	cliHas(t, "--debug log", r.stderr, "PUT /"+bucket+"/k", "ListBuckets", "HTTP/1.1 200 OK", "Authorization")
	for _, secret := range []string{testenv.SecretKey, token} {
		if strings.Contains(r.stderr, secret) {
			t.Errorf("--debug log shows %q:\n%s", secret, r.stderr)
		}
	}
	for _, m := range regexp.MustCompile(`(?i)signature=([^\s,&]*)`).FindAllStringSubmatch(r.stderr, -1) {
		if m[1] != "[REDACTED]" {
			t.Errorf("--debug log shows a signature: %s", m[0])
		}
	}
	for _, line := range cliLines(r.stderr) {
		if strings.HasPrefix(strings.ToLower(line), "authorization:") && !strings.Contains(line, "[REDACTED]") {
			t.Errorf("--debug log shows %q", line)
		}
	}
	// Without --debug nothing is logged.
	r = awslua(t, "-e", `aws.client("s3"):list_buckets{}`).want(t, 0)
	if r.stderr != "" {
		t.Errorf("stderr without --debug: %q", r.stderr)
	}
}

// ---- the scripts ----

// TestScriptUsage runs each script that takes arguments without any: each
// must exit 2 with its usage, before it reaches AWS.
func TestScriptUsage(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"s3_delete_older_than.lua", "sqs_drain.lua", "dynamodb_export.lua",
		"ec2_stop_by_tag.lua", "iam_unused_keys.lua"} {
		t.Run(name, func(t *testing.T) {
			r := cliCmd{env: cliOffline(t)}.run(t, cliScriptPath(t, name)).want(t, 2)
			cliHas(t, "stderr", r.stderr, "usage: "+name)
		})
	}
}

func TestScriptTour(t *testing.T) {
	t.Parallel()
	bucket := testenv.Name("awslua-tour")
	tour := cliScriptPath(t, "tour.lua")
	r := cliCmd{env: cliOffline(t), dir: t.TempDir()}.run(t, "--local", tour, bucket).want(t, 0)
	cliHas(t, "tour with --local", r.stdout, "put 25 objects into s3://"+bucket+"/logs/", "tour done\n")

	// Against moto it makes its bucket and deletes it again.
	r = awslua(t, tour, bucket).want(t, 0)
	cliHas(t, "tour on moto", r.stdout, "put 25 objects into s3://"+bucket+"/logs/",
		"listed 25 keys in 3 pages\n", "deleted 25 objects and the bucket; tour done\n")
	_, err := testenv.Client(t, "moto", "s3").Call(context.Background(), "head_bucket", map[string]any{"Bucket": bucket})
	var e *sdk.Error
	if !errors.As(err, &e) || e.StatusCode != 404 {
		t.Errorf("head_bucket after the tour: %v", err)
	}
}

func TestScriptS3DeleteOlderThan(t *testing.T) {
	t.Parallel()
	// MinIO too: its LastModified has milliseconds, moto's whole seconds.
	for _, server := range []string{"moto", "minio"} {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			cliDeleteOlderThan(t, server)
		})
	}
}

func cliDeleteOlderThan(t *testing.T, server string) {
	s3 := testenv.Client(t, server, "s3")
	bucket := testenv.Name("awslua-cli-del")
	cliCall(t, s3, "create_bucket", map[string]any{"Bucket": bucket})
	keys := func() []string {
		var got []string
		for page, err := range s3.Paginate(context.Background(), "list_objects_v2", map[string]any{"Bucket": bucket}, sdk.PaginationConfig{}) {
			if err != nil {
				t.Fatal(err)
			}
			contents, _ := page["Contents"].([]any)
			for _, o := range contents {
				got = append(got, cliDig[string](t, o, "Key"))
			}
		}
		return cliSorted(got)
	}
	t.Cleanup(func() {
		for _, key := range keys() {
			cliCall(t, s3, "delete_object", map[string]any{"Bucket": bucket, "Key": key})
		}
		cliCall(t, s3, "delete_bucket", map[string]any{"Bucket": bucket})
	})
	all := []string{"keep/1", "logs-other/1", "logs/a", "logs/b", "logs/c", "logs/d/e", "logs/f"}
	for _, key := range all {
		cliCall(t, s3, "put_object", map[string]any{"Bucket": bucket, "Key": key, "Body": "0123456789"})
	}

	script := cliScriptPath(t, "s3_delete_older_than.lua")
	where := " under s3://" + bucket + "/logs/\n"
	for _, tc := range []struct {
		args []string
		want string
		keys []string
	}{
		// First, while the objects are less than a second old.
		{[]string{"0", "--dry-run"}, "would delete 5 of 5 objects (50 bytes) older than 0 days" + where, all},
		{[]string{"1"}, "deleted 0 of 5 objects (0 bytes) older than 1 days" + where, all},
		{[]string{"0"}, "deleted 5 of 5 objects (50 bytes) older than 0 days" + where, []string{"keep/1", "logs-other/1"}},
		{[]string{"0"}, "deleted 0 of 0 objects (0 bytes) older than 0 days" + where, []string{"keep/1", "logs-other/1"}},
	} {
		r := cliCmd{env: testenv.Env(t, server)}.run(t, append([]string{script, bucket, "logs/"}, tc.args...)...).want(t, 0)
		if r.stdout != tc.want {
			t.Errorf("%q: stdout %q, want %q", tc.args, r.stdout, tc.want)
		}
		if got := keys(); !slices.Equal(got, tc.keys) {
			t.Fatalf("after %q the bucket holds %q, want %q", tc.args, got, tc.keys)
		}
	}
}

func TestScriptS3AuditBuckets(t *testing.T) {
	t.Parallel()
	s3 := testenv.Client(t, "moto", "s3")
	encrypt := func(bucket string) {
		cliCall(t, s3, "put_bucket_encryption", map[string]any{"Bucket": bucket, "ServerSideEncryptionConfiguration": map[string]any{
			"Rules": []any{map[string]any{"ApplyServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}},
		}})
	}
	block := func(bucket string) {
		cliCall(t, s3, "put_public_access_block", map[string]any{"Bucket": bucket, "PublicAccessBlockConfiguration": map[string]any{
			"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true,
		}})
	}
	public, plain, clean := testenv.Name("awslua-cli-pub"), testenv.Name("awslua-cli-plain"), testenv.Name("awslua-cli-clean")
	cliCall(t, s3, "create_bucket", map[string]any{"Bucket": public, "ACL": "public-read"})
	encrypt(public)
	block(public)
	cliCall(t, s3, "create_bucket", map[string]any{"Bucket": plain})
	cliCall(t, s3, "create_bucket", map[string]any{"Bucket": clean})
	encrypt(clean)
	block(clean)
	t.Cleanup(func() {
		for _, b := range []string{public, plain, clean} {
			cliCall(t, s3, "delete_bucket", map[string]any{"Bucket": b})
		}
	})
	want := map[string][]string{
		public: {"ACL grants READ to everyone"},
		plain:  {"no default encryption", "public access not fully blocked"},
		clean:  {},
	}
	script := cliScriptPath(t, "s3_audit_buckets.lua")
	summary := regexp.MustCompile(`^(\d+) buckets checked, (\d+) with findings\n$`)

	r := awslua(t, script).want(t, 1)
	lines := cliLines(r.stdout)
	for bucket, findings := range want {
		line := bucket + ": " + strings.Join(findings, "; ")
		if len(findings) == 0 {
			for _, l := range lines {
				if strings.HasPrefix(l, bucket+":") {
					t.Errorf("clean bucket reported: %q", l)
				}
			}
		} else if !slices.Contains(lines, line) {
			t.Errorf("no line %q in\n%s", line, r.stdout)
		}
	}
	if m := summary.FindStringSubmatch(r.stderr); m == nil || m[2] == "0" {
		t.Errorf("summary %q", r.stderr)
	}

	r = awslua(t, script, "--json").want(t, 1)
	got := map[string][]string{}
	for _, l := range cliLines(r.stdout) {
		var v struct {
			Bucket   string
			Findings []string
		}
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("--json line %q: %v", l, err)
		}
		if v.Findings == nil {
			t.Errorf("--json line without a findings list: %q", l)
		}
		if _, ours := want[v.Bucket]; ours {
			got[v.Bucket] = v.Findings
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("--json findings %q, want %q", got, want)
	}
}

func TestScriptSQSDrain(t *testing.T) {
	t.Parallel()
	sqs := testenv.Client(t, "moto", "sqs")
	name := testenv.Name("awslua-cli-drain")
	url := cliDig[string](t, cliCall(t, sqs, "create_queue", map[string]any{"QueueName": name}), "QueueUrl")
	t.Cleanup(func() { cliCall(t, sqs, "delete_queue", map[string]any{"QueueUrl": url}) })
	var bodies []string
	for i := 1; i <= 13; i++ {
		body := fmt.Sprintf("message %02d", i)
		if i == 5 {
			body += " \"quoted\"\nsecond line, é \\ \t"
		}
		bodies = append(bodies, body)
		cliCall(t, sqs, "send_message", map[string]any{"QueueUrl": url, "MessageBody": body, "MessageAttributes": map[string]any{
			"n": map[string]any{"DataType": "Number", "StringValue": fmt.Sprint(i)},
		}})
	}
	counts := func() (visible, hidden string) {
		out := cliCall(t, sqs, "get_queue_attributes", map[string]any{"QueueUrl": url, "AttributeNames": []any{"All"}})
		return fmt.Sprint(cliDig[any](t, out, "Attributes", "ApproximateNumberOfMessages")),
			fmt.Sprint(cliDig[any](t, out, "Attributes", "ApproximateNumberOfMessagesNotVisible"))
	}
	// read returns the bodies in a file the script wrote, checking each line.
	read := func(path string) []string {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range cliLines(string(data)) {
			var m struct {
				MessageId, Body   string
				MessageAttributes map[string]struct{ DataType, StringValue string }
			}
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("line %q: %v", l, err)
			}
			n, err := strconv.Atoi(m.MessageAttributes["n"].StringValue)
			if m.MessageId == "" || err != nil || !strings.HasPrefix(m.Body, fmt.Sprintf("message %02d", n)) {
				t.Errorf("line %q", l)
			}
			got = append(got, m.Body)
		}
		return got
	}
	script, dir := cliScriptPath(t, "sqs_drain.lua"), t.TempDir()

	out := filepath.Join(dir, "drained.jsonl")
	r := awslua(t, script, name, out, "--max", "11").want(t, 0)
	if want := fmt.Sprintf("drained 11 messages from %s to %s\n", url, out); r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
	drained := read(out)
	if len(drained) != 11 {
		t.Fatalf("%d lines, want 11", len(drained))
	}
	if v, h := counts(); v != "2" || h != "0" {
		t.Fatalf("after --max 11 the queue holds %s visible and %s in flight, want 2 and 0", v, h)
	}

	out = filepath.Join(dir, "kept.jsonl")
	r = awslua(t, script, url, out, "--keep").want(t, 0)
	if want := fmt.Sprintf("copied 2 messages from %s to %s\n", url, out); r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
	kept := read(out)
	if got := cliSorted(append(drained, kept...)); !slices.Equal(got, bodies) {
		t.Errorf("the two files hold\n%q\nwant\n%q", got, bodies)
	}
	if v, h := counts(); v != "0" || h != "2" {
		t.Errorf("after --keep the queue holds %s visible and %s in flight, want 0 and 2", v, h)
	}
}

// cliFromDynamoDBJSON turns an exported value (DynamoDB JSON) into the
// sdk's dynamic form, decoding base64.
func cliFromDynamoDBJSON(t *testing.T, v any) any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		t.Fatalf("not an attribute value: %v", v)
	}
	unbase64 := func(s any) []byte {
		b, err := base64.StdEncoding.DecodeString(s.(string))
		if err != nil {
			t.Fatalf("not base64: %q", s)
		}
		return b
	}
	for tag, x := range m {
		var out any
		switch tag {
		case "B":
			out = unbase64(x)
		case "BS":
			l := []any{}
			for _, b := range x.([]any) {
				l = append(l, unbase64(b))
			}
			out = l
		case "L":
			l, ok := x.([]any)
			if !ok {
				t.Fatalf("L is %T", x)
			}
			out = []any{}
			for _, e := range l {
				out = append(out.([]any), cliFromDynamoDBJSON(t, e))
			}
		case "M":
			mm := map[string]any{}
			for k, e := range x.(map[string]any) {
				mm[k] = cliFromDynamoDBJSON(t, e)
			}
			out = mm
		default:
			out = x
		}
		return map[string]any{tag: out}
	}
	return nil
}

func TestScriptDynamoDBExport(t *testing.T) {
	t.Parallel()
	ddb := testenv.Client(t, "moto", "dynamodb")
	table := testenv.Name("awslua-cli-export")
	cliCall(t, ddb, "create_table", map[string]any{
		"TableName":            table,
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"}},
		"BillingMode":          "PAY_PER_REQUEST",
	})
	t.Cleanup(func() { cliCall(t, ddb, "delete_table", map[string]any{"TableName": table}) })
	if err := ddb.Wait(t.Context(), "table_exists", map[string]any{"TableName": table}, sdk.WaiterConfig{Delay: 100 * time.Millisecond, MaxAttempts: 50}); err != nil {
		t.Fatal(err)
	}
	const big = "12345678901234567890"
	blob := []byte{0, 1, 2, 0xfe, 0xff, '"', '\n'}
	items := []map[string]any{
		{"pk": map[string]any{"S": "big"}, "n": map[string]any{"N": big}, "pi": map[string]any{"N": "3.1415926535897932384626433832795028"}},
		{"pk": map[string]any{"S": "bin"}, "b": map[string]any{"B": blob}, "bs": map[string]any{"BS": []any{[]byte{1}, []byte{2, 3}}}},
		// Attribute names that are type tags, and empty containers.
		{"pk": map[string]any{"S": "tags"}, "B": map[string]any{"S": "an attribute named B"}, "BS": map[string]any{"N": "1"},
			"L": map[string]any{"L": []any{}}, "M": map[string]any{"M": map[string]any{}},
			"nested": map[string]any{"M": map[string]any{"B": map[string]any{"B": []byte("hi")},
				"L": map[string]any{"L": []any{map[string]any{"NULL": true}, map[string]any{"B": []byte{9}}}}}}},
	}
	for i := 1; i <= 4; i++ {
		items = append(items, map[string]any{"pk": map[string]any{"S": fmt.Sprint("item-", i)}, "n": map[string]any{"N": fmt.Sprint(i)},
			"ok": map[string]any{"BOOL": i%2 == 0}, "ss": map[string]any{"SS": []any{"a", "b"}}})
	}
	for _, item := range items {
		cliCall(t, ddb, "put_item", map[string]any{"TableName": table, "Item": item})
	}

	out := filepath.Join(t.TempDir(), "export.jsonl")
	r := awslua(t, cliScriptPath(t, "dynamodb_export.lua"), table, out, "--page-size", "3").want(t, 0)
	if want := fmt.Sprintf("exported 7 items of %s in 3 pages to %s\n", table, out); r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := cliLines(string(data))
	if len(lines) != 7 {
		t.Fatalf("%d lines, want 7:\n%s", len(lines), data)
	}
	got := map[string]any{}
	for _, l := range lines {
		var v struct{ Item map[string]any }
		if err := json.Unmarshal([]byte(l), &v); err != nil || v.Item == nil {
			t.Fatalf("line %q: %v", l, err)
		}
		item := map[string]any{}
		for k, av := range v.Item {
			item[k] = cliFromDynamoDBJSON(t, av)
		}
		got[cliDig[string](t, item, "pk", "S")] = item
		switch pk := cliDig[string](t, item, "pk", "S"); pk {
		case "big":
			cliHas(t, "line", l, `"n":{"N":"`+big+`"}`)
		case "bin":
			cliHas(t, "line", l, `"b":{"B":"`+base64.StdEncoding.EncodeToString(blob)+`"}`)
		case "tags":
			cliHas(t, "line", l, `"L":{"L":[]}`, `"M":{"M":{}}`)
		}
	}
	// Every item as the table holds it (sets in the table's order).
	n := 0
	for page, err := range ddb.Paginate(t.Context(), "scan", map[string]any{"TableName": table}, sdk.PaginationConfig{}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range cliDig[[]any](t, page, "Items") {
			n++
			pk := cliDig[string](t, want, "pk", "S")
			if !reflect.DeepEqual(got[pk], want) {
				t.Errorf("item %s exported as\n%#v\nwant\n%#v", pk, got[pk], want)
			}
		}
	}
	if n != len(items) {
		t.Errorf("scan found %d items, want %d", n, len(items))
	}
}

func TestScriptEC2StopByTag(t *testing.T) {
	t.Parallel()
	ec2 := testenv.Client(t, "moto", "ec2")
	key, value := testenv.Name("awslua-cli-team"), testenv.Name("stop")
	run := func(n int, value string) []string {
		out := cliCall(t, ec2, "run_instances", map[string]any{
			"ImageId": "ami-12c6146b", "InstanceType": "t2.micro", "MinCount": n, "MaxCount": n,
			"TagSpecifications": []any{map[string]any{"ResourceType": "instance",
				"Tags": []any{map[string]any{"Key": key, "Value": value}}}},
		})
		var ids []string
		for _, i := range cliDig[[]any](t, out, "Instances") {
			ids = append(ids, cliDig[string](t, i, "InstanceId"))
		}
		return ids
	}
	tagged, other := run(2, value), run(1, "keep-running")
	all := append(slices.Clone(tagged), other...)
	t.Cleanup(func() { cliCall(t, ec2, "terminate_instances", map[string]any{"InstanceIds": all}) })
	states := func() map[string]string {
		out := cliCall(t, ec2, "describe_instances", map[string]any{"InstanceIds": all})
		got := map[string]string{}
		for _, res := range cliDig[[]any](t, out, "Reservations") {
			for _, i := range cliDig[[]any](t, res, "Instances") {
				got[cliDig[string](t, i, "InstanceId")] = cliDig[string](t, i, "State", "Name")
			}
		}
		return got
	}
	wantStates := func(tagged, other string) map[string]string {
		return map[string]string{all[0]: tagged, all[1]: tagged, all[2]: other}
	}
	// ids checks the ids at the end of a summary line.
	ids := func(line, prefix string) {
		t.Helper()
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok || !slices.Equal(cliSorted(strings.Fields(rest)), cliSorted(tagged)) {
			t.Errorf("stdout %q, want %q and the ids %q", line, prefix, tagged)
		}
	}
	script, tag := cliScriptPath(t, "ec2_stop_by_tag.lua"), key+"="+value

	r := awslua(t, script, tag, "--dry-run").want(t, 0)
	ids(r.stdout, "would stop 2 instances tagged "+tag+": ")
	if got := states(); !reflect.DeepEqual(got, wantStates("running", "running")) {
		t.Fatalf("after --dry-run: %v", got)
	}

	r = awslua(t, script, tag).want(t, 0)
	ids(r.stdout, "stopped 2 instances tagged "+tag+": ")
	if got := states(); !reflect.DeepEqual(got, wantStates("stopped", "running")) {
		t.Fatalf("after the run: %v", got)
	}

	r = awslua(t, script, tag).want(t, 0)
	if want := "no running instances tagged " + tag + "\n"; r.stdout != want {
		t.Errorf("second run: stdout %q, want %q", r.stdout, want)
	}
}

func TestScriptIAMUnusedKeys(t *testing.T) {
	t.Parallel()
	iam := testenv.Client(t, "moto", "iam")
	user := testenv.Name("awslua-cli-user")
	cliCall(t, iam, "create_user", map[string]any{"UserName": user})
	key := cliDig[string](t, cliCall(t, iam, "create_access_key", map[string]any{"UserName": user}), "AccessKey", "AccessKeyId")
	t.Cleanup(func() {
		cliCall(t, iam, "delete_access_key", map[string]any{"UserName": user, "AccessKeyId": key})
		cliCall(t, iam, "delete_user", map[string]any{"UserName": user})
	})
	status := func() string {
		out := cliCall(t, iam, "list_access_keys", map[string]any{"UserName": user})
		return cliDig[string](t, out, "AccessKeyMetadata", 0, "Status")
	}
	script := cliScriptPath(t, "iam_unused_keys.lua")
	ours := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(user+"\t"+key+"\t") + `never used, created \d{4}-\d\d-\d\dT[0-9:.]+Z$`)
	for _, tc := range []struct {
		args     []string
		reported bool
		summary  string
		status   string
	}{
		// First, while the key is less than a second old.
		{[]string{"0"}, true, ` unused for 0 days\n$`, "Active"},
		{[]string{"1"}, false, ` unused for 1 days\n$`, "Active"},
		{[]string{"0", "--deactivate"}, true, ` unused for 0 days; deactivated\n$`, "Inactive"},
		{[]string{"0"}, false, ` unused for 0 days\n$`, "Inactive"}, // inactive keys are not reported
	} {
		r := awslua(t, append([]string{script}, tc.args...)...).want(t, 0)
		if got := ours.MatchString(r.stdout); got != tc.reported {
			t.Errorf("%q: key %s reported %v, want %v\n%s", tc.args, key, got, tc.reported, r)
		}
		if !regexp.MustCompile(`^\d+ active keys of \d+` + tc.summary).MatchString(r.stderr) {
			t.Errorf("%q: summary %q", tc.args, r.stderr)
		}
		if got := status(); got != tc.status {
			t.Errorf("%q: key is %s, want %s", tc.args, got, tc.status)
		}
	}
}
