package model

import "testing"

// benchDecode measures a service's first Load: inflate and decode,
// bypassing the cache.
func benchDecode(b *testing.B, name string) {
	ix, err := embeddedIndex()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ix.decode(name); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadEC2(b *testing.B) { benchDecode(b, "ec2") }
func BenchmarkLoadS3(b *testing.B)  { benchDecode(b, "s3") }
func BenchmarkLoadSQS(b *testing.B) { benchDecode(b, "sqs") }

func BenchmarkNames(b *testing.B) {
	for b.Loop() {
		if len(Names()) == 0 {
			b.Fatal("no names")
		}
	}
}

// BenchmarkParseIndex is what the first call of any function pays once.
func BenchmarkParseIndex(b *testing.B) {
	for b.Loop() {
		if _, err := parseIndex(embedded); err != nil {
			b.Fatal(err)
		}
	}
}
