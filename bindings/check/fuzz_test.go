package check

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzSource checks arbitrary scripts: none may panic, and a finding
// always has a line and column.
func FuzzSource(f *testing.F) {
	for _, dir := range []string{"broken", "dynamic", "readonly"} {
		scripts, _ := filepath.Glob(filepath.Join("testdata", dir, "*.lua"))
		for _, path := range scripts {
			if src, err := os.ReadFile(path); err == nil {
				f.Add(src, dir == "readonly")
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte, readOnly bool) {
		rep, err := Source("fuzz.lua", src, Options{ReadOnly: readOnly})
		if err != nil {
			return
		}
		for _, x := range rep.Findings {
			if x.Line < 1 || x.Col < 1 {
				t.Errorf("finding without a place: %+v", x)
			}
		}
	})
}
