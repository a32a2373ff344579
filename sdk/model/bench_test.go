package model

import "testing"

// benchDecode measures a service's first Load: inflate and decode,
// bypassing the cache. cpu-ns/op is the process's CPU time (GC included)
// per decode, steadier than ns/op when other work shares the machine.
func benchDecode(b *testing.B, name string) {
	ix, err := embeddedIndex()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := ix.decode(name); err != nil {
			b.Fatal(err)
		}
	}
	if start != 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
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
