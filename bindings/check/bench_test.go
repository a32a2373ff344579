package check

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkCheck1000Lines checks a script of about 1,000 lines (the
// scripts of scripts/, each in a block of its own, repeated): the goal is
// under 200 ms.
func BenchmarkCheck1000Lines(b *testing.B) {
	var body strings.Builder
	for _, name := range []string{"tour", "s3_sync", "sqs_drain", "ec2_stop_by_tag", "iam_unused_keys", "dynamodb_export", "s3_audit_buckets", "s3_delete_older_than"} {
		src, err := os.ReadFile("../../scripts/" + name + ".lua")
		if err != nil {
			b.Fatal(err)
		}
		text := string(src)
		if strings.HasPrefix(text, "#") {
			_, text, _ = strings.Cut(text, "\n") // the shebang
		}
		// A block per script: a chunk holds at most 200 locals.
		fmt.Fprintf(&body, "do\n%s\nend\n", text)
	}
	var src strings.Builder
	for src.Len() == 0 || strings.Count(src.String(), "\n") < 1000 {
		src.WriteString("do\n" + body.String() + "end\n")
	}
	lines := strings.Count(src.String(), "\n")
	b.Logf("%d lines", lines)
	for b.Loop() {
		rep, err := Source("big.lua", []byte(src.String()), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Findings) > 0 {
			b.Fatal(rep.Findings[0])
		}
	}
}
