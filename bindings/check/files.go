package check

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// Files checks each script of paths ("-" is stdin) and writes its findings
// to stdout, one a line, and a summary of what it checked to stderr, so
// that stdout holds only what editors and CI read. It returns the exit
// status of awslua check: 0 when no script has a finding, 1 when one has,
// 2 when one cannot be read or parsed.
func Files(paths []string, stdin io.Reader, stdout, stderr io.Writer, opts Options) int {
	status, findings, checked, unresolved, failed := 0, 0, 0, 0, 0
	for _, path := range paths {
		var src []byte
		var err error
		name := path
		if path == "-" {
			name = "stdin"
			src, err = io.ReadAll(stdin)
		} else {
			src, err = os.ReadFile(path)
		}
		if err != nil {
			fmt.Fprintf(stderr, "awslua check: %v\n", err)
			status, failed = 2, failed+1
			continue
		}
		rep, err := Source(name, src, opts)
		if err != nil {
			// Where the script stops parsing is a finding like the others,
			// for the editor to show; the script cannot run at all.
			fmt.Fprintln(stdout, syntaxFinding(name, src, err))
			status, failed = 2, failed+1
			continue
		}
		for _, f := range rep.Findings {
			fmt.Fprintln(stdout, f)
		}
		findings += len(rep.Findings)
		checked += rep.Checked
		unresolved += rep.Unresolved
		if len(rep.Findings) > 0 && status == 0 {
			status = 1
		}
	}
	fmt.Fprintf(stderr, "awslua check: %d %s in %d %s; %d %s checked, %d not resolved\n",
		findings, plural1(findings, "finding", "findings"), len(paths), plural1(len(paths), "file", "files"),
		checked, plural1(checked, "call", "calls"), unresolved)
	if failed > 0 {
		fmt.Fprintf(stderr, "awslua check: %d %s could not be read or parsed\n", failed, plural1(failed, "file", "files"))
	}
	return status
}

func plural1(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// syntaxFinding puts a script's parse error in the file:line:col layout of
// findings; an error at the end of the input points just past its end.
func syntaxFinding(name string, src []byte, err error) string {
	var pe *parse.Error
	var ce *lua.CompileError
	switch {
	case errors.As(err, &ce):
		return fmt.Sprintf("%s:%d:1: %s", name, ce.Line, ce.Message)
	case !errors.As(err, &pe):
		return fmt.Sprintf("%s:1:1: %s", name, strings.TrimSpace(err.Error()))
	}
	msg := strings.TrimSpace(strings.Replace(pe.Message, "parse error", "syntax error", 1))
	if pe.Pos.Line == parse.EOF {
		lines := strings.Split(strings.TrimRight(string(src), "\n"), "\n")
		return fmt.Sprintf("%s:%d:%d: %s at the end of the file", name, len(lines), len(lines[len(lines)-1])+1, msg)
	}
	// The parser's column is the token's last; editors want its first.
	col := max(1, pe.Pos.Column-len(pe.Token)+1)
	return fmt.Sprintf("%s:%d:%d: %s near '%s'", name, pe.Pos.Line, col, msg, pe.Token)
}
