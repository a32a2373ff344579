//go:build unix

package tests

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/transfer"
)

// BenchmarkMultipartEngineVsManager moves the same 64 MiB to and from
// MinIO in 8 MiB parts, 8 at once, two ways taking turns: through
// aws-sdk-go-v2's transfer manager, as upload_fileobj and
// download_fileobj do, and with calls on the engine through
// sdk.Client.Call (CreateMultipartUpload, UploadPart on 8 goroutines,
// CompleteMultipartUpload; GetObject of 8 ranges at once). It reports each
// way's median MB/s, CPU seconds and allocated MB per transfer: the
// measurement behind what the README says of the transfer manager. It
// checks sizes and bytes, and asserts nothing about speed.
//
//	go test ./tests/ -run '^$' -bench MultipartEngineVsManager -benchtime 1x -v
func BenchmarkMultipartEngineVsManager(b *testing.B) {
	const (
		size  = 64 << 20
		part  = 8 << 20
		procs = 8
		turns = 5
	)
	ctx := context.Background()
	c := testenv.Client(b, "minio", "s3", func(o *sdk.ClientOptions) { o.S3AddressingStyle = "path" })
	bucket := testenv.Name("awslua-multipart")
	if _, err := c.Call(ctx, "CreateBucket", map[string]any{"Bucket": bucket}); err != nil {
		b.Fatal(err)
	}
	data := make([]byte, size)
	rand.Read(data)
	cfg := transfer.Options{Config: transfer.Config{MultipartChunksize: part, MaxConcurrency: procs}}
	got := make(buffer, size)
	ways := []struct {
		name     string
		transfer func(key string) error
	}{
		{"manager upload", func(key string) error {
			return transfer.Upload(ctx, c, bytes.NewReader(data), bucket, key, cfg)
		}},
		{"engine upload", func(key string) error { return engineUpload(ctx, c, bucket, key, data, part, procs) }},
		{"manager download", func(string) error {
			clear(got)
			return transfer.Download(ctx, c, bucket, "0-0", got, cfg)
		}},
		{"engine download", func(string) error {
			clear(got)
			return engineDownload(ctx, c, bucket, "0-0", got, part, procs)
		}},
	}
	type result struct{ secs, cpu, alloc []float64 }
	results := make([]result, len(ways))
	b.Cleanup(func() {
		for i := range ways {
			for t := range turns {
				if i < 2 {
					c.Call(ctx, "DeleteObject", map[string]any{"Bucket": bucket, "Key": fmt.Sprintf("%d-%d", i, t)})
				}
			}
		}
		c.Call(ctx, "DeleteBucket", map[string]any{"Bucket": bucket})
	})
	for b.Loop() {
		for t := range turns {
			for i, w := range ways {
				key := fmt.Sprintf("%d-%d", i, t)
				var ms0, ms1 runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms0)
				cpu0, start := processCPU(), time.Now()
				if err := w.transfer(key); err != nil {
					b.Fatalf("%s: %v", w.name, err)
				}
				took, cpu := time.Since(start), processCPU()-cpu0
				runtime.ReadMemStats(&ms1)
				if i < 2 {
					out, err := c.Call(ctx, "HeadObject", map[string]any{"Bucket": bucket, "Key": key})
					if err != nil || out["ContentLength"] != int64(size) {
						b.Fatalf("%s: uploaded %v, %v", w.name, out["ContentLength"], err)
					}
				} else if !bytes.Equal(got, data) {
					b.Fatalf("%s: the bytes differ", w.name)
				}
				r := &results[i]
				r.secs = append(r.secs, took.Seconds())
				r.cpu = append(r.cpu, cpu.Seconds())
				r.alloc = append(r.alloc, float64(ms1.TotalAlloc-ms0.TotalAlloc)/1e6)
			}
		}
	}
	for i, w := range ways {
		r := results[i]
		b.Logf("%-16s %6.1f MB/s  %.3f s CPU  %6.1f MB allocated (medians of %d)",
			w.name, size/1e6/medianFloat(r.secs), medianFloat(r.cpu), medianFloat(r.alloc), len(r.secs))
	}
}

// engineUpload uploads data as a multipart upload made of engine calls.
func engineUpload(ctx context.Context, c *sdk.Client, bucket, key string, data []byte, part, procs int) error {
	out, err := c.Call(ctx, "CreateMultipartUpload", map[string]any{"Bucket": bucket, "Key": key})
	if err != nil {
		return err
	}
	id := out["UploadId"]
	n := (len(data) + part - 1) / part
	parts := make([]any, n)
	errs := make([]error, n)
	sem := make(chan struct{}, procs)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			body := data[i*part : min((i+1)*part, len(data))]
			out, err := c.Call(ctx, "UploadPart", map[string]any{
				"Bucket": bucket, "Key": key, "UploadId": id, "PartNumber": i + 1, "Body": bytes.NewReader(body)})
			errs[i] = err
			parts[i] = map[string]any{"PartNumber": i + 1, "ETag": out["ETag"]}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			c.Call(ctx, "AbortMultipartUpload", map[string]any{"Bucket": bucket, "Key": key, "UploadId": id})
			return err
		}
	}
	_, err = c.Call(ctx, "CompleteMultipartUpload", map[string]any{
		"Bucket": bucket, "Key": key, "UploadId": id, "MultipartUpload": map[string]any{"Parts": parts}})
	return err
}

// engineDownload reads an object in ranges of part bytes, procs at once,
// with engine calls.
func engineDownload(ctx context.Context, c *sdk.Client, bucket, key string, w io.WriterAt, part, procs int) error {
	out, err := c.Call(ctx, "HeadObject", map[string]any{"Bucket": bucket, "Key": key})
	if err != nil {
		return err
	}
	size, _ := out["ContentLength"].(int64)
	n := (int(size) + part - 1) / part
	errs := make([]error, n)
	sem := make(chan struct{}, procs)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			from, to := i*part, min((i+1)*part, int(size))-1
			out, err := c.Call(ctx, "GetObject", map[string]any{
				"Bucket": bucket, "Key": key, "Range": fmt.Sprintf("bytes=%d-%d", from, to)})
			if err != nil {
				errs[i] = err
				return
			}
			body := out["Body"].(io.ReadCloser)
			defer body.Close()
			_, errs[i] = io.Copy(io.NewOffsetWriter(w, int64(from)), body)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// buffer is an in-memory io.WriterAt.
type buffer []byte

func (b buffer) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > int64(len(b)) {
		return 0, fmt.Errorf("write of %d bytes at %d beyond %d", len(p), off, len(b))
	}
	return copy(b[off:], p), nil
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func medianFloat(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v) == 0 {
		return 0
	}
	return v[len(v)/2]
}
