package luatypes

import "testing"

// BenchmarkWriteDir writes the definitions of every service: the goal is
// under 10 s.
func BenchmarkWriteDir(b *testing.B) {
	for b.Loop() {
		if _, err := WriteDir(b.TempDir()); err != nil {
			b.Fatal(err)
		}
	}
}
