//go:build unix

package sdk

import (
	"context"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/awslua/awslua/sdk/model"
)

// The first-call benchmarks measure what the first call of a service costs
// a warm session: describing the service, making its client, the endpoint
// rules, the operation's schemas and the call itself, against moto. Each
// iteration drops what the previous one cached, except the decoded model,
// whose cost BenchmarkLoad* in sdk/model measure. cpu-ns/op is the
// process's CPU time per first call (GC included), steadier than ns/op when
// other work shares the machine.
//
//	. /tmp/srv/env; go test ./sdk -run '^$' -bench FirstCall -benchtime 50x
func benchFirstCall(b *testing.B, service, operation string, input map[string]any) {
	url := os.Getenv("AWSLUA_TEST_MOTO")
	if url == "" {
		b.Skip("no moto server: set AWSLUA_TEST_MOTO (tests/servers.sh start)")
	}
	ctx := context.Background()
	sess, err := NewSession(ctx, WithRegion("us-east-1"), WithCredentials("backendtest", "backendtest-secret", ""), WithEndpointURL(url))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := model.Load(service); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		if svc, ok := modelServices.LoadAndDelete(service); ok {
			ruleSets.Delete(svc.(*Service).model)
		}
		c, err := sess.Client(service)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Call(ctx, operation, input); err != nil {
			b.Fatal(err)
		}
	}
	if start != 0 {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkFirstCallEC2(b *testing.B) { benchFirstCall(b, "ec2", "DescribeInstances", nil) }
func BenchmarkFirstCallS3(b *testing.B)  { benchFirstCall(b, "s3", "ListBuckets", nil) }
func BenchmarkFirstCallDynamoDB(b *testing.B) {
	benchFirstCall(b, "dynamodb", "ListTables", nil)
}
func BenchmarkFirstCallSQS(b *testing.B) { benchFirstCall(b, "sqs", "ListQueues", nil) }

// processCPU is the process's user and system CPU time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkClientMemory measures the heap a client of a loaded service
// holds: the live heap after making 1,000 S3 clients, over 1,000.
func BenchmarkClientMemory(b *testing.B) {
	sess, err := NewSession(context.Background(), WithRegion("us-east-1"), WithCredentials("a", "b", ""), WithEndpointURL("http://127.0.0.1:1"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := sess.Client("s3"); err != nil {
		b.Fatal(err)
	}
	const n = 1000
	var per float64
	for b.Loop() {
		keep := make([]*Client, n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range keep {
			if keep[i], err = sess.Client("s3"); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(keep)
		per = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
	}
	b.ReportMetric(per, "B/client")
}
