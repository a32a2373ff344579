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

// BenchmarkLoadEC2DescribeInstances is BenchmarkLoadEC2 and the shapes
// DescribeInstances reaches, which its first call decodes.
func BenchmarkLoadEC2DescribeInstances(b *testing.B) {
	ix, err := embeddedIndex()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := cpuTime()
	n := 0
	for b.Loop() {
		s, err := ix.decode("ec2")
		if err != nil {
			b.Fatal(err)
		}
		op, _ := s.Operation("DescribeInstances")
		n = reach(s, map[string]bool{}, op.Input, op.Output)
	}
	if start != 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
	b.ReportMetric(float64(n), "shapes")
}

// reach decodes the shapes the references lead to and returns how many
// it has seen.
func reach(s *Service, seen map[string]bool, refs ...*ShapeRef) int {
	for _, r := range refs {
		if r == nil || seen[r.Shape] {
			continue
		}
		seen[r.Shape] = true
		sh := s.Shape(r.Shape)
		if sh == nil {
			continue
		}
		reach(s, seen, sh.Member, sh.Key, sh.Value)
		for _, m := range sh.Members {
			reach(s, seen, m)
		}
	}
	return len(seen)
}
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
