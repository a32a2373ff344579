package tests

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// The call-overhead benchmarks compare sdk.Client.Call with the same typed
// aws-sdk-go-v2 call on the same MinIO server. The goal is dynamic ≤ 1.10×
// typed; BenchmarkCallOverheadRatio reports it as one number, dynamic/typed.
// Benchmarks measure and report; they assert nothing about time.
//
//	go test ./tests/ -run '^$' -bench CallOverhead -benchtime 200x

// benchObjects is how many objects the benchmark bucket holds: one full
// ListObjectsV2 page.
const benchObjects = 1000

// benchBlock is how many calls one side makes before the other takes over
// in BenchmarkCallOverheadRatio.
const benchBlock = 10

// A benchWorkload is one operation, called both ways.
type benchWorkload struct {
	name           string
	typed, dynamic func(context.Context) error
}

// benchWorkloads seeds a bucket with benchObjects small objects, which the
// benchmark's cleanup removes, and returns the workloads on it. Both clients
// are made of the same aws.Config, so that they differ only by sdk's layer.
func benchWorkloads(b *testing.B) []benchWorkload {
	b.Helper()
	ctx := context.Background()
	cfg := aws.Config{
		Region:       testenv.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(testenv.AccessKey, testenv.SecretKey, ""),
		BaseEndpoint: aws.String(testenv.URL(b, "minio")),
	}
	typed := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	dynamic, err := sdk.FromConfig(cfg).Client("s3", func(o *sdk.ClientOptions) { o.S3AddressingStyle = "path" })
	if err != nil {
		b.Fatal(err)
	}

	bucket := testenv.Name("awslua-bench")
	if _, err := typed.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		b.Fatal(err)
	}
	keys := make([]types.ObjectIdentifier, benchObjects)
	for i := range keys {
		keys[i].Key = aws.String(fmt.Sprintf("object-%04d", i))
	}
	b.Cleanup(func() {
		_, err := typed.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: &bucket, Delete: &types.Delete{Objects: keys, Quiet: aws.Bool(true)}})
		if err == nil {
			_, err = typed.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: &bucket})
		}
		if err != nil {
			b.Errorf("removing %s: %v", bucket, err)
		}
	})
	const workers = 16
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(keys) && errs[w] == nil; i += workers {
				_, errs[w] = typed.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: keys[i].Key, Body: strings.NewReader("small")})
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		b.Fatal(err)
	}

	key := *keys[0].Key
	listed := func(n int) error {
		if n != benchObjects {
			return fmt.Errorf("ListObjectsV2 returned %d objects, want %d", n, benchObjects)
		}
		return nil
	}
	return []benchWorkload{{
		name: "HeadObject",
		typed: func(ctx context.Context) error {
			_, err := typed.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: &key})
			return err
		},
		dynamic: func(ctx context.Context) error {
			_, err := dynamic.Call(ctx, "HeadObject", map[string]any{"Bucket": bucket, "Key": key})
			return err
		},
	}, {
		name: "ListObjectsV2",
		typed: func(ctx context.Context) error {
			out, err := typed.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &bucket})
			if err != nil {
				return err
			}
			return listed(len(out.Contents))
		},
		dynamic: func(ctx context.Context) error {
			out, err := dynamic.Call(ctx, "ListObjectsV2", map[string]any{"Bucket": bucket})
			if err != nil {
				return err
			}
			contents, _ := out["Contents"].([]any)
			return listed(len(contents))
		},
	}}
}

// BenchmarkCallOverhead times each workload's typed and dynamic calls in
// sub-benchmarks of their own, with their allocations.
func BenchmarkCallOverhead(b *testing.B) {
	for _, w := range benchWorkloads(b) {
		b.Run(w.name+"/typed", func(b *testing.B) { benchCalls(b, w.typed) })
		b.Run(w.name+"/dynamic", func(b *testing.B) { benchCalls(b, w.dynamic) })
	}
}

func benchCalls(b *testing.B, call func(context.Context) error) {
	ctx := context.Background()
	if err := call(ctx); err != nil { // warms the connection
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := call(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCallOverheadRatio alternates typed and dynamic calls in blocks of
// benchBlock within one run, so that both see the same server, machine and
// moment, and reports the ratio of their mean times as dynamic/typed (the
// goal is ≤ 1.10), beside each side's own mean time.
func BenchmarkCallOverheadRatio(b *testing.B) {
	for _, w := range benchWorkloads(b) {
		b.Run(w.name, func(b *testing.B) {
			ctx := context.Background()
			sides := [2]func(context.Context) error{w.typed, w.dynamic}
			for _, call := range sides {
				if err := call(ctx); err != nil {
					b.Fatal(err)
				}
			}
			var took [2]time.Duration
			var calls [2]int
			b.ResetTimer()
			for i := 0; i < b.N; i += benchBlock {
				// Blocks go typed, dynamic, dynamic, typed, and again, so
				// that a steady drift in speed favours neither side.
				k := i / benchBlock
				side := (k + k/2) % 2
				n := min(benchBlock, b.N-i)
				start := time.Now()
				for range n {
					if err := sides[side](ctx); err != nil {
						b.Fatal(err)
					}
				}
				took[side] += time.Since(start)
				calls[side] += n
			}
			if calls[0] == 0 || calls[1] == 0 {
				return // a run too short to compare
			}
			typed := float64(took[0]) / float64(calls[0])
			dynamic := float64(took[1]) / float64(calls[1])
			b.ReportMetric(typed, "typed-ns/op")
			b.ReportMetric(dynamic, "dynamic-ns/op")
			b.ReportMetric(dynamic/typed, "dynamic/typed")
		})
	}
}
