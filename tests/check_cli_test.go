package tests

import (
	"os"
	"path/filepath"
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
	cliHas(t, "a syntax error", r.stderr, "bad.lua", "syntax error")
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
