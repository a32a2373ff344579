package check

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// checkFile checks a file of testdata, named by its base name in the
// findings, and returns them, one a line.
func checkFile(t *testing.T, path string, opts Options) (string, *Report) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Source(filepath.Base(path), src, opts)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var b strings.Builder
	for _, f := range rep.Findings {
		b.WriteString(f.String() + "\n")
	}
	return b.String(), rep
}

// TestBroken checks every script of testdata/broken (one mistake each)
// and testdata/readonly (with ReadOnly) against the exact report lines of
// its .want file.
func TestBroken(t *testing.T) {
	for dir, opts := range map[string]Options{"broken": {}, "readonly": {ReadOnly: true}} {
		scripts, _ := filepath.Glob(filepath.Join("testdata", dir, "*.lua"))
		if dir == "broken" && len(scripts) < 40 {
			t.Fatalf("testdata/broken has %d scripts, want at least 40", len(scripts))
		}
		for _, path := range scripts {
			t.Run(dir+"/"+filepath.Base(path), func(t *testing.T) {
				got, rep := checkFile(t, path, opts)
				want, err := os.ReadFile(strings.TrimSuffix(path, ".lua") + ".want")
				if err != nil {
					t.Fatal(err)
				}
				if got != string(want) || got == "" {
					t.Errorf("got:\n%swant:\n%s", got, want)
				}
				if rep.Checked == 0 {
					t.Errorf("no call checked")
				}
			})
		}
	}
}

// TestDynamic checks scripts whose services, operations and values are
// known only at run time: none may have a finding.
func TestDynamic(t *testing.T) {
	scripts, _ := filepath.Glob(filepath.Join("testdata", "dynamic", "*.lua"))
	if len(scripts) == 0 {
		t.Fatal("no scripts in testdata/dynamic")
	}
	for _, path := range scripts {
		if got, _ := checkFile(t, path, Options{}); got != "" {
			t.Errorf("%s: findings on dynamic code:\n%s", path, got)
		}
	}
}

// TestScriptsAndReadme checks the scripts of scripts/ and every Lua
// example of the README: none may have a finding, and each checks some
// call.
func TestScriptsAndReadme(t *testing.T) {
	scripts, _ := filepath.Glob("../../scripts/*.lua")
	if len(scripts) == 0 {
		t.Fatal("no scripts")
	}
	for _, path := range scripts {
		got, rep := checkFile(t, path, Options{})
		if got != "" {
			t.Errorf("%s:\n%s", path, got)
		}
		if rep.Checked == 0 {
			t.Errorf("%s: no call checked", path)
		}
	}
	for i, ex := range ReadmeExamples(t) {
		rep, err := Source("README.md", []byte(ex), Options{})
		if err != nil {
			t.Errorf("README example %d does not parse: %v\n%s", i+1, err, ex)
			continue
		}
		for _, f := range rep.Findings {
			t.Errorf("README example %d: %s", i+1, f)
		}
	}
}

var luaBlock = regexp.MustCompile("(?s)```lua\n(.*?)```")

// ReadmeExamples returns the Lua code blocks of the README, whose elided
// loop and if bodies (do ... end) are made empty, as a reader would fill
// them.
func ReadmeExamples(t *testing.T) []string {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range luaBlock.FindAllStringSubmatch(string(data), -1) {
		ex := strings.NewReplacer("do ... end", "do end", "then ... end", "then end").Replace(m[1])
		out = append(out, ex)
	}
	if len(out) == 0 {
		t.Fatal("README.md has no Lua example")
	}
	return out
}

// TestSyntaxError: a script that does not parse is an error, not a
// finding.
func TestSyntaxError(t *testing.T) {
	if _, err := Source("bad.lua", []byte("local x = = 1"), Options{}); err == nil {
		t.Fatal("no error for a syntax error")
	}
	if _, err := Source("bad.lua", []byte("function f() return ... end"), Options{}); err == nil {
		t.Fatal("no error for ... outside a vararg function, which the compiler refuses")
	}
}
