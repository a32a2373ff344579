package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCLICheck runs awslua check as a user does: findings on stdout in
// file:line:col form and exit 1; a clean script exits 0; one that does
// not parse or cannot be read exits 2; - reads stdin; --read-only adds
// the calls a read-only session refuses. Nothing is sent: the
// environment has no endpoint.
func TestCLICheck(t *testing.T) {
	t.Parallel()
	off := cliCmd{env: cliOffline(t)}
	dir := t.TempDir()
	write := func(name, src string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	clean := write("clean.lua", "local s3 = aws.client('s3')\nfor p in s3:get_paginator('list_objects_v2'):paginate{Bucket = 'b'} do print(p) end\ns3:put_object{Bucket = 'b', Key = 'k', Body = 'x'}\n")
	broken := write("broken.lua", "local s3 = aws.client('s3')\ns3:list_objects_v2{Buckt = 'b'}\n")
	bad := write("bad.lua", "local = 1\n")

	r := off.run(t, "check", clean).want(t, 0)
	if r.stdout != "" || !strings.Contains(r.stderr, "0 findings in 1 file; 4 calls checked, 0 not resolved") {
		t.Errorf("clean script: %s", r)
	}

	r = off.run(t, "check", broken, clean).want(t, 1)
	// Sorted by line, then column.
	want := broken + `:2:4: s3 list_objects_v2: Missing required parameter in input: "Bucket"` + "\n" +
		broken + `:2:20: s3 list_objects_v2: Unknown parameter in input: "Buckt", must be one of: Bucket, ContinuationToken, Delimiter, EncodingType, ExpectedBucketOwner, FetchOwner, MaxKeys, OptionalObjectAttributes, Prefix, RequestPayer, StartAfter` + "\n"
	if r.stdout != want {
		t.Errorf("got:\n%swant:\n%s", r.stdout, want)
	}

	r = off.run(t, "check", "--read-only", clean).want(t, 1)
	if r.stdout != clean+":3:4: s3 put_object can change resources and this session is read-only: refused by policy\n" {
		t.Errorf("--read-only: %s", r)
	}

	r = off.run(t, "check", bad, clean).want(t, 2)
	// A syntax error is a line of its own in the findings' layout, as
	// luacheck's, and the summary counts the file that did not parse.
	if r.stdout != bad+":1:7: syntax error near '='\n" {
		t.Errorf("a syntax error: %s", r)
	}
	cliHas(t, "a syntax error", r.stderr, "1 file could not be read or parsed")
	off.run(t, "check", filepath.Join(dir, "missing.lua")).want(t, 2)
	off.run(t, "check").want(t, 2)

	r = cliCmd{env: off.env, stdin: "aws.client('s4')\n"}.run(t, "check", "-").want(t, 1)
	if r.stdout != "stdin:1:12: there is no AWS service named \"s4\"; did you mean s3?\n" {
		t.Errorf("stdin: %s", r)
	}
}

// TestCLICheckScripts: every script of scripts/ checks clean through the
// binary, as CI would run it.
func TestCLICheckScripts(t *testing.T) {
	t.Parallel()
	scripts, _ := filepath.Glob("../scripts/*.lua")
	r := cliCmd{env: cliOffline(t)}.run(t, append([]string{"check"}, scripts...)...).want(t, 0)
	if r.stdout != "" {
		t.Errorf("findings in scripts/:\n%s", r.stdout)
	}
}

// TestCLITypes runs awslua types: a file for the module and sessions, one
// per service and one per service with resources, each a ---@meta file.
func TestCLITypes(t *testing.T) {
	t.Parallel()
	off := cliCmd{env: cliOffline(t)}
	dir := filepath.Join(t.TempDir(), "types")
	r := off.run(t, "types", dir).want(t, 0)
	files, _ := filepath.Glob(filepath.Join(dir, "*.lua"))
	if len(files) < 425 || !strings.Contains(r.stdout, "wrote") {
		t.Fatalf("%d files: %s", len(files), r)
	}
	for _, name := range []string{"aws.lua", "aws.s3.lua", "aws.s3.resource.lua", "aws.cognito-idp.lua"} {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !strings.HasPrefix(string(src), "---@meta\n") {
			t.Errorf("%s: %v", name, err)
		}
	}
	off.run(t, "types").want(t, 2)
}

// TestCheckFindingsFailAtRunTime runs every script of awslua check's
// broken corpus against moto: the first finding of each is an error the
// runtime raises, at the same line and in the same words, so that a
// finding is never a call that would have worked. An enum the model does
// not list is the exception: the runtime leaves it to the service, as
// boto3 does, and check reports it before anything is sent.
//
// The scripts of the read-only corpus are run with --read-only.
func TestCheckFindingsFailAtRunTime(t *testing.T) {
	t.Parallel()
	broken, _ := filepath.Glob("../bindings/check/testdata/broken/*.lua")
	readOnly, _ := filepath.Glob("../bindings/check/testdata/readonly/*.lua")
	if len(broken) < 40 || len(readOnly) == 0 {
		t.Fatalf("%d broken scripts, %d read-only", len(broken), len(readOnly))
	}
	// What the read-only scripts change, for their changes to be sent: a
	// batch action and a loop act only on what their collection lists.
	awslua(t, "--region", "us-east-1", "-e", `local b = aws.resource("s3"):Bucket("awslua-check-ro")
		b:create(); b:put_object{Key = "tmp/a", Body = "a"}
		aws.resource("sqs"):create_queue{QueueName = "awslua-check-ro"}`).want(t, 0)
	for _, path := range append(broken, readOnly...) {
		name := filepath.Base(path)
		if strings.HasPrefix(name, "enum_") {
			continue
		}
		t.Run(filepath.Base(filepath.Dir(path))+"/"+name, func(t *testing.T) {
			t.Parallel()
			want, err := os.ReadFile(strings.TrimSuffix(path, ".lua") + ".want")
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(want), "\n")
			// name:line:col: message, and a member's problem after the
			// operation's name.
			parts := strings.SplitN(first, ":", 4)
			if len(parts) != 4 {
				t.Fatalf("bad finding %q", first)
			}
			line, msg := parts[1], strings.TrimSpace(parts[3])
			if i := strings.Index(msg, ": "); i > 0 && strings.Count(msg[:i], " ") == 1 && !strings.Contains(msg[:i], "has") {
				msg = msg[i+2:]
			}
			args := []string{"--region", "us-east-1", path}
			if strings.Contains(path, "/readonly/") {
				args = append([]string{"--read-only"}, args...)
			}
			r := awslua(t, args...)
			// The runtime names a resource by its identifiers, which the
			// check may not know: s3.Bucket(name='b') is s3.Bucket.
			stderr := identifiers.ReplaceAllString(r.stderr, "$1 has no attribute")
			msg = identifiers.ReplaceAllString(msg, "$1 has no attribute")
			// A member's problem is raised at the call, which may start
			// on an earlier line than the member.
			at := regexp.MustCompile(regexp.QuoteMeta(name) + `:(\d+):`).FindStringSubmatch(stderr)
			if r.code != 1 || at == nil || atoi(at[1]) > atoi(line) || !strings.Contains(stderr, msg) {
				t.Errorf("check says %q; the runtime:\n%s", first, r)
			}
		})
	}
}

var identifiers = regexp.MustCompile(`([\w.]+)\([^)]*\) has no attribute`)

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
