package tests

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// BenchmarkLuaVsTyped runs the same head_object loop and the same
// 20,000-object listing through Lua and through typed aws-sdk-go-v2 on the
// same MinIO, and reports each side's throughput and lua/typed, the share
// of the typed throughput that Lua reaches (goal: at least 0.9).
//
//	go test ./tests/ -run '^$' -bench LuaVsTyped -benchtime 3x
func BenchmarkLuaVsTyped(b *testing.B) {
	const listed = 20000
	ctx := context.Background()
	cfg := aws.Config{
		Region:       testenv.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(testenv.AccessKey, testenv.SecretKey, ""),
		BaseEndpoint: aws.String(testenv.URL(b, "minio")),
	}
	typed := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	bucket := seedBucket(b, typed, listed)

	rt, err := bindings.New(bindings.Options{Session: sdk.FromConfig(cfg)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(rt.Close)
	lua := func(src string) func() {
		return func() {
			if err := rt.DoString(ctx, src, "bench.lua", bucket); err != nil {
				b.Fatal(err)
			}
		}
	}

	const heads = 200
	workloads := []struct {
		name       string
		ops        int // operations (or objects) in one run
		typed, lua func()
	}{
		{"head_object", heads, func() {
			for range heads {
				if _, err := typed.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: aws.String("object-00000")}); err != nil {
					b.Fatal(err)
				}
			}
		}, lua(fmt.Sprintf(`
			local bucket = ...
			local s3 = aws.client("s3", {config = {s3 = {addressing_style = "path"}}})
			for i = 1, %d do s3:head_object{Bucket = bucket, Key = "object-00000"} end`, heads))},
		{"list_20000", listed, func() {
			n := 0
			p := s3.NewListObjectsV2Paginator(typed, &s3.ListObjectsV2Input{Bucket: &bucket})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					b.Fatal(err)
				}
				n += len(page.Contents)
			}
			if n != listed {
				b.Fatalf("typed listing saw %d objects", n)
			}
		}, lua(fmt.Sprintf(`
			local bucket = ...
			local s3 = aws.client("s3", {config = {s3 = {addressing_style = "path"}}})
			local n = 0
			for page in s3:get_paginator("list_objects_v2"):paginate{Bucket = bucket} do
				for _, o in ipairs(page.Contents or {}) do n = n + 1 end
			end
			assert(n == %d, "lua listing saw " .. n)`, listed))},
	}
	for _, w := range workloads {
		var typedTime, luaTime time.Duration
		b.Run(w.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				// Alternate, so that both sides see the same server state.
				start := time.Now()
				w.typed()
				typedTime += time.Since(start)
				start = time.Now()
				w.lua()
				luaTime += time.Since(start)
			}
			runs := float64(b.N)
			b.ReportMetric(float64(w.ops)*runs/typedTime.Seconds(), "typed-ops/s")
			b.ReportMetric(float64(w.ops)*runs/luaTime.Seconds(), "lua-ops/s")
			b.ReportMetric(typedTime.Seconds()/luaTime.Seconds(), "lua/typed")
		})
	}
}

// seedBucket makes a bucket of n small objects, object-00000 upwards, that
// the benchmark's cleanup removes.
func seedBucket(b *testing.B, c *s3.Client, n int) string {
	b.Helper()
	ctx := context.Background()
	bucket := testenv.Name("awslua-lua-bench")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		b.Fatal(err)
	}
	const workers = 16
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				key := fmt.Sprintf("object-%05d", i)
				if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: &key}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: &bucket})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				b.Errorf("cleaning %s: %v", bucket, err)
				return
			}
			ids := make([]types.ObjectIdentifier, len(page.Contents))
			for i, o := range page.Contents {
				ids[i].Key = o.Key
			}
			if len(ids) > 0 {
				c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: &bucket, Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}})
			}
		}
		c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: &bucket})
	})
	return bucket
}
