package transfer

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awslua/awslua/sdk"
)

// Source names the object a copy reads: boto3's CopySource.
type Source struct {
	Bucket, Key, VersionID string
}

func (s Source) header() string {
	v := url.PathEscape(s.Bucket) + "/" + url.PathEscape(s.Key)
	if s.VersionID != "" {
		v += "?versionId=" + url.QueryEscape(s.VersionID)
	}
	return v
}

// Copy copies an object inside S3, without the bytes passing through this
// machine (boto3's copy): one CopyObject up to the threshold, and above it
// a multipart upload whose parts UploadPartCopy fills concurrently. A failed
// multipart copy is aborted.
func Copy(ctx context.Context, c *sdk.Client, src Source, bucket, key string, o Options) error {
	api, err := s3Client(c)
	if err != nil {
		return err
	}
	cfg := o.Config.withDefaults()
	head := &s3.HeadObjectInput{Bucket: &src.Bucket, Key: &src.Key}
	if src.VersionID != "" {
		head.VersionId = &src.VersionID
	}
	h, err := api.HeadObject(ctx, head)
	if err != nil {
		return fmt.Errorf("copy: reading s3://%s/%s: %w", src.Bucket, src.Key, err)
	}
	size := aws.ToInt64(h.ContentLength)
	copySource := src.header()
	if size < cfg.MultipartThreshold {
		in := &s3.CopyObjectInput{}
		if err := extraArgs("copy", in, o.ExtraArgs); err != nil {
			return err
		}
		in.Bucket, in.Key, in.CopySource = &bucket, &key, &copySource
		if _, err := api.CopyObject(ctx, in); err != nil {
			return fmt.Errorf("copy to s3://%s/%s: %w", bucket, key, err)
		}
		if o.Progress != nil {
			o.Progress.Total.Store(size)
			o.Progress.Done.Store(size)
		}
		return nil
	}

	create := &s3.CreateMultipartUploadInput{}
	if err := extraArgs("copy", create, o.ExtraArgs); err != nil {
		return err
	}
	create.Bucket, create.Key = &bucket, &key
	if create.ContentType == nil {
		create.ContentType = h.ContentType // as CopyObject keeps it
	}
	if create.Metadata == nil {
		create.Metadata = h.Metadata
	}
	if o.Progress != nil {
		o.Progress.Total.Store(size)
	}
	mpu, err := api.CreateMultipartUpload(ctx, create)
	if err != nil {
		return fmt.Errorf("copy to s3://%s/%s: %w", bucket, key, err)
	}
	parts, err := copyParts(ctx, api, mpu.UploadId, copySource, bucket, key, size, cfg, o)
	if err == nil {
		_, err = api.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
			Bucket: &bucket, Key: &key, UploadId: mpu.UploadId,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
		})
	}
	if err != nil {
		// With a context of its own: the caller's may be what failed.
		abortCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, aerr := api.AbortMultipartUpload(abortCtx, &s3.AbortMultipartUploadInput{Bucket: &bucket, Key: &key, UploadId: mpu.UploadId}); aerr != nil {
			return fmt.Errorf("copy to s3://%s/%s: %w (and aborting its multipart upload failed: %v)", bucket, key, err, aerr)
		}
		return fmt.Errorf("copy to s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

// copyParts copies the ranges of the source into the parts of an upload,
// MaxConcurrency at a time, and stops at the first error.
func copyParts(ctx context.Context, api *s3.Client, uploadID *string, copySource, bucket, key string, size int64, cfg Config, o Options) ([]types.CompletedPart, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		parts    []types.CompletedPart
		firstErr error
		wg       sync.WaitGroup
		slots    = make(chan struct{}, cfg.MaxConcurrency)
		copied   int64
	)
	for n, start := int32(1), int64(0); start < size; n, start = n+1, start+cfg.MultipartChunksize {
		end := min(start+cfg.MultipartChunksize, size) - 1
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-slots }()
			r := fmt.Sprintf("bytes=%d-%d", start, end)
			out, err := api.UploadPartCopy(ctx, &s3.UploadPartCopyInput{
				Bucket: &bucket, Key: &key, UploadId: uploadID, PartNumber: aws.Int32(n),
				CopySource: &copySource, CopySourceRange: &r,
			})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("part %d: %w", n, err)
				}
				cancel()
				return
			}
			parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(n), ETag: out.CopyPartResult.ETag})
			copied += end - start + 1
			if o.Progress != nil {
				o.Progress.Done.Store(copied)
			}
		})
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	sort.Slice(parts, func(i, j int) bool { return *parts[i].PartNumber < *parts[j].PartNumber })
	return parts, firstErr
}
