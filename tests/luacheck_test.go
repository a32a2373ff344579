package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestLuacheck holds scripts/ and the README's Lua examples to luacheck
// (Debian's lua-check, which tests/servers.sh installs) with the
// repository's .luacheckrc, which knows the aws global. The README's
// examples are fragments: they use the s3 of an earlier one, show values
// they do not use and elide bodies (do ... end), which luacheck is told.
func TestLuacheck(t *testing.T) {
	t.Parallel()
	luacheck, err := exec.LookPath("luacheck")
	if err != nil {
		t.Fatal("luacheck is not installed: tests/servers.sh install installs Debian's lua-check")
	}
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(luacheck, append([]string{"--formatter", "plain", "--codes"}, args...)...)
		cmd.Dir = ".."
		out, err := cmd.CombinedOutput()
		if err != nil || len(out) > 0 {
			t.Errorf("luacheck %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("scripts/")

	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	blocks := regexp.MustCompile("(?s)```lua\n(.*?)```").FindAllStringSubmatch(string(data), -1)
	if len(blocks) == 0 {
		t.Fatal("README.md has no Lua example")
	}
	var files []string
	for i, b := range blocks {
		src := strings.NewReplacer("do ... end", "do end", "then ... end", "then end").Replace(b[1])
		path := filepath.Join(dir, "readme"+strconv.Itoa(i+1)+".lua")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	run(append([]string{"--no-unused", "--no-redefined", "--ignore", "542", "--read-globals", "s3", "--"}, files...)...)
}
