package check

import (
	"fmt"
	"io"
	"os"
)

// Files checks each script of paths ("-" is stdin) and writes its findings
// to stdout, one a line, and a summary of what it checked to stderr, so
// that stdout holds only what editors and CI read. It returns the exit
// status of awslua check: 0 when no script has a finding, 1 when one has,
// 2 when one cannot be read or parsed.
func Files(paths []string, stdin io.Reader, stdout, stderr io.Writer, opts Options) int {
	status, findings, checked, unresolved := 0, 0, 0, 0
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
			status = 2
			continue
		}
		rep, err := Source(name, src, opts)
		if err != nil {
			fmt.Fprintf(stderr, "awslua check: %v\n", err)
			status = 2
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
	return status
}

func plural1(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
