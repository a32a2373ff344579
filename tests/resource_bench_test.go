package tests

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// BenchmarkCollection iterates a bucket's objects through the resource
// collection in Lua, b.objects:all(), and through the raw aws-sdk-go-v2
// paginator, on the same MinIO, for 20,000 and 100,000 objects. It reports
// each side's objects/s, lua/typed (goal: at least 0.9) and the peak heap
// during the Lua iteration, which should not grow with the object count.
//
//	go test ./tests/ -run '^$' -bench Collection -benchtime 2x -timeout 30m
func BenchmarkCollection(b *testing.B) {
	ctx := context.Background()
	cfg := aws.Config{
		Region:       testenv.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(testenv.AccessKey, testenv.SecretKey, ""),
		BaseEndpoint: aws.String(testenv.URL(b, "minio")),
	}
	typed := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	for _, n := range []int{20000, 100000} {
		b.Run(fmt.Sprintf("objects_%d", n), func(b *testing.B) {
			bucket := seedBucket(b, typed, n)
			rt, err := bindings.New(bindings.Options{Session: sdk.FromConfig(cfg)})
			if err != nil {
				b.Fatal(err)
			}
			defer rt.Close()
			src := fmt.Sprintf(`
				local bucket = aws.resource("s3", {config = {s3 = {addressing_style = "path"}}}):Bucket(...)
				local n = 0
				for obj in bucket.objects:all() do
					n = n + 1
					local _ = obj.key
				end
				assert(n == %d, "the collection saw " .. n)`, n)
			var typedTime, luaTime time.Duration
			var peak uint64
			for b.Loop() {
				start := time.Now()
				seen := 0
				p := s3.NewListObjectsV2Paginator(typed, &s3.ListObjectsV2Input{Bucket: &bucket})
				for p.HasMorePages() {
					page, err := p.NextPage(ctx)
					if err != nil {
						b.Fatal(err)
					}
					seen += len(page.Contents)
				}
				if seen != n {
					b.Fatalf("the paginator saw %d objects", seen)
				}
				typedTime += time.Since(start)

				runtime.GC()
				stop := sampleHeap(&peak)
				start = time.Now()
				if err := rt.DoString(ctx, src, "collection.lua", bucket); err != nil {
					b.Fatal(err)
				}
				luaTime += time.Since(start)
				stop()
			}
			runs := float64(b.N)
			b.ReportMetric(float64(n)*runs/typedTime.Seconds(), "typed-obj/s")
			b.ReportMetric(float64(n)*runs/luaTime.Seconds(), "lua-obj/s")
			b.ReportMetric(typedTime.Seconds()/luaTime.Seconds(), "lua/typed")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// sampleHeap records the largest live heap seen until stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			*peak = max(*peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}
