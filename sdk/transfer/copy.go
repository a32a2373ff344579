package transfer

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
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
	api, err := s3Client(c, "HeadObject", "CopyObject", "CreateMultipartUpload", "UploadPartCopy", "CompleteMultipartUpload")
	if err != nil {
		return err
	}
	cfg := o.Config.withDefaults()
	// ExtraArgs are CopyObject's whatever the size, checked before anything
	// is sent; a multipart copy hands each request its own, as boto3 does.
	in := &s3.CopyObjectInput{}
	if err := extraArgs(c, "CopyObject", in, o.ExtraArgs); err != nil {
		return err
	}
	head := &s3.HeadObjectInput{Bucket: &src.Bucket, Key: &src.Key,
		IfMatch: in.CopySourceIfMatch, IfNoneMatch: in.CopySourceIfNoneMatch,
		IfModifiedSince: in.CopySourceIfModifiedSince, IfUnmodifiedSince: in.CopySourceIfUnmodifiedSince,
		SSECustomerAlgorithm: in.CopySourceSSECustomerAlgorithm, SSECustomerKey: in.CopySourceSSECustomerKey,
		SSECustomerKeyMD5: in.CopySourceSSECustomerKeyMD5, RequestPayer: in.RequestPayer,
		ExpectedBucketOwner: in.ExpectedSourceBucketOwner}
	if src.VersionID != "" {
		head.VersionId = &src.VersionID
	}
	h, err := api.HeadObject(ctx, head)
	if err != nil {
		return fmt.Errorf("copy: reading s3://%s/%s: %w", src.Bucket, src.Key, apiError(c, err))
	}
	size := aws.ToInt64(h.ContentLength)
	copySource := src.header()
	if size < cfg.MultipartThreshold {
		in.Bucket, in.Key, in.CopySource = &bucket, &key, &copySource
		if _, err := api.CopyObject(ctx, in); err != nil {
			return fmt.Errorf("copy to s3://%s/%s: %w", bucket, key, apiError(c, err))
		}
		if o.Progress != nil {
			o.Progress.Total.Store(size)
			o.Progress.Done.Store(size)
		}
		return nil
	}

	// CreateMultipartUpload takes what CopyObject does but the conditions
	// on the source, its SSE-C key and the directives (boto3's
	// CREATE_MULTIPART_ARGS_BLACKLIST); each part takes those
	// (UPLOAD_PART_COPY_ARGS), and is made only while the source is the
	// object that was measured.
	create := &s3.CreateMultipartUploadInput{}
	setFields(create, in, func(name string) bool {
		return !strings.HasPrefix(name, "CopySource") && name != "MetadataDirective" && name != "TaggingDirective"
	})
	part := &s3.UploadPartCopyInput{}
	setFields(part, in, func(name string) bool {
		return strings.HasPrefix(name, "CopySource") || strings.HasPrefix(name, "SSECustomer") ||
			slices.Contains([]string{"RequestPayer", "ExpectedBucketOwner", "ExpectedSourceBucketOwner"}, name)
	})
	if part.CopySourceIfMatch == nil {
		part.CopySourceIfMatch = h.ETag
	}
	create.Bucket, create.Key = &bucket, &key
	if in.MetadataDirective != types.MetadataDirectiveReplace {
		// Keep what CopyObject keeps under the default directive, COPY.
		inherit(&create.ContentType, h.ContentType)
		inherit(&create.CacheControl, h.CacheControl)
		inherit(&create.ContentDisposition, h.ContentDisposition)
		inherit(&create.ContentEncoding, h.ContentEncoding)
		inherit(&create.ContentLanguage, h.ContentLanguage)
		if create.Expires == nil && h.ExpiresString != nil {
			// The unparsed header: the parsed field is deprecated, being
			// handled differently across SDKs.
			if t, err := http.ParseTime(*h.ExpiresString); err == nil {
				create.Expires = &t
			}
		}
		if create.Metadata == nil {
			create.Metadata = h.Metadata
		}
	}
	if o.Progress != nil {
		o.Progress.Total.Store(size)
	}
	// S3 takes at most 10,000 parts: larger objects get larger parts, as
	// boto3's ChunksizeAdjuster makes them.
	if size > cfg.MultipartChunksize*10000 {
		cfg.MultipartChunksize = (size + 9999) / 10000
	}
	mpu, err := api.CreateMultipartUpload(ctx, create)
	if err != nil {
		return fmt.Errorf("copy to s3://%s/%s: %w", bucket, key, apiError(c, err))
	}
	part.Bucket, part.Key, part.UploadId, part.CopySource = &bucket, &key, mpu.UploadId, &copySource
	parts, err := copyParts(ctx, api, part, size, cfg, o)
	if err == nil {
		_, err = api.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
			Bucket: &bucket, Key: &key, UploadId: mpu.UploadId,
			MultipartUpload:      &types.CompletedMultipartUpload{Parts: parts},
			SSECustomerAlgorithm: in.SSECustomerAlgorithm, SSECustomerKey: in.SSECustomerKey, SSECustomerKeyMD5: in.SSECustomerKeyMD5,
			RequestPayer: in.RequestPayer, ExpectedBucketOwner: in.ExpectedBucketOwner,
		})
	}
	if err != nil {
		err = apiError(c, err)
		// With a context of its own: the caller's may be what failed.
		abortCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, aerr := api.AbortMultipartUpload(abortCtx, &s3.AbortMultipartUploadInput{Bucket: &bucket, Key: &key, UploadId: mpu.UploadId,
			RequestPayer: in.RequestPayer, ExpectedBucketOwner: in.ExpectedBucketOwner}); aerr != nil {
			return fmt.Errorf("copy to s3://%s/%s: %w (and aborting its multipart upload failed: %v)", bucket, key, err, aerr)
		}
		return fmt.Errorf("copy to s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

// inherit sets *dst to v unless ExtraArgs set it.
func inherit[T any](dst **T, v *T) {
	if *dst == nil {
		*dst = v
	}
}

// setFields copies the members of src that are set, and that keep says to
// keep, into the members of the same name in dst (pointers to structs).
func setFields(dst, src any, keep func(name string) bool) {
	s, d := reflect.ValueOf(src).Elem(), reflect.ValueOf(dst).Elem()
	for i := range s.NumField() {
		name := s.Type().Field(i).Name
		f := s.Field(i)
		if f.IsZero() || !keep(name) {
			continue
		}
		if to := d.FieldByName(name); to.IsValid() && to.CanSet() && f.Type().ConvertibleTo(to.Type()) {
			to.Set(f.Convert(to.Type()))
		}
	}
}

// copyParts copies the ranges of the source into the parts of an upload,
// MaxConcurrency at a time, and stops at the first error.
func copyParts(ctx context.Context, api *s3.Client, tmpl *s3.UploadPartCopyInput, size int64, cfg Config, o Options) ([]types.CompletedPart, error) {
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
			in := *tmpl
			in.PartNumber, in.CopySourceRange = aws.Int32(n), aws.String(fmt.Sprintf("bytes=%d-%d", start, end))
			out, err := api.UploadPartCopy(ctx, &in)
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
