package transfer

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/awslua/awslua/sdk"
)

// Source names the object a copy reads: boto3's CopySource.
type Source struct {
	Bucket, Key, VersionID string
}

// param is the source as CopySource takes it, which S3's handler encodes.
func (s Source) param() map[string]any {
	m := map[string]any{"Bucket": s.Bucket, "Key": s.Key}
	if s.VersionID != "" {
		m["VersionId"] = s.VersionID
	}
	return m
}

// headArgs are the ExtraArgs of a copy that also bear on the HeadObject of
// its source, and the member each is there.
var headArgs = map[string]string{
	"CopySourceIfMatch": "IfMatch", "CopySourceIfNoneMatch": "IfNoneMatch",
	"CopySourceIfModifiedSince": "IfModifiedSince", "CopySourceIfUnmodifiedSince": "IfUnmodifiedSince",
	"CopySourceSSECustomerAlgorithm": "SSECustomerAlgorithm", "CopySourceSSECustomerKey": "SSECustomerKey",
	"CopySourceSSECustomerKeyMD5": "SSECustomerKeyMD5", "RequestPayer": "RequestPayer",
	"ExpectedSourceBucketOwner": "ExpectedBucketOwner",
}

// inherited are what CopyObject keeps of the source under the default
// MetadataDirective, COPY, and a multipart copy must set itself.
var inherited = []string{"ContentType", "CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage", "Expires", "Metadata"}

// Copy copies an object inside S3, without the bytes passing through this
// machine (boto3's copy): one CopyObject below the threshold, and from it a
// multipart upload whose parts UploadPartCopy fills concurrently, each
// only while the source is the object that was measured. A failed
// multipart copy is aborted.
func Copy(ctx context.Context, c *sdk.Client, src Source, bucket, key string, o Options) error {
	if err := checkClient(c, "HeadObject", "CopyObject", "CreateMultipartUpload", "UploadPartCopy", "CompleteMultipartUpload"); err != nil {
		return err
	}
	// ExtraArgs are CopyObject's whatever the size, checked before anything
	// is sent.
	args, err := extraArgs(c, copyArgs, []string{"CopyObject"}, o.ExtraArgs)
	if err != nil {
		return err
	}
	cfg := o.Config.withDefaults()
	head := map[string]any{"Bucket": src.Bucket, "Key": src.Key}
	if src.VersionID != "" {
		head["VersionId"] = src.VersionID
	}
	for from, to := range headArgs {
		if v, ok := args[from]; ok {
			head[to] = v
		}
	}
	h, err := c.Call(ctx, "HeadObject", head)
	if err != nil {
		return fmt.Errorf("copy: reading s3://%s/%s: %w", src.Bucket, src.Key, err)
	}
	size, _ := h["ContentLength"].(int64)
	o.total(size)
	if size < cfg.MultipartThreshold {
		if _, err := c.Call(ctx, "CopyObject", input(c, "CopyObject", args, map[string]any{"Bucket": bucket, "Key": key, "CopySource": src.param()})); err != nil {
			return fmt.Errorf("copy to s3://%s/%s: %w", bucket, key, err)
		}
		o.add(size)
		return nil
	}
	if err := multipartCopy(ctx, c, src, bucket, key, args, h, size, cfg, o); err != nil {
		return fmt.Errorf("copy to s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

// multipartCopy copies a source of size bytes, whose HeadObject answered
// h, in parts. CreateMultipartUpload and CompleteMultipartUpload take the
// ExtraArgs that they have, UploadPartCopy the conditions on the source and
// the keys (boto3's CREATE_MULTIPART_ARGS_BLACKLIST and
// UPLOAD_PART_COPY_ARGS say the same).
func multipartCopy(ctx context.Context, c *sdk.Client, src Source, bucket, key string, args, h map[string]any, size int64, cfg Config, o Options) error {
	create := input(c, "CreateMultipartUpload", args, map[string]any{"Bucket": bucket, "Key": key})
	if args["MetadataDirective"] != "REPLACE" {
		for _, k := range inherited {
			if _, set := create[k]; !set && h[k] != nil {
				create[k] = h[k]
			}
		}
	}
	created, err := c.Call(ctx, "CreateMultipartUpload", create)
	if err != nil {
		return err
	}
	id, _ := created["UploadId"].(string)
	partIn := input(c, "UploadPartCopy", args, map[string]any{"Bucket": bucket, "Key": key, "UploadId": id, "CopySource": src.param()})
	if _, set := partIn["CopySourceIfMatch"]; !set && h["ETag"] != nil {
		partIn["CopySourceIfMatch"] = h["ETag"]
	}
	var (
		mu   sync.Mutex
		done []any
	)
	n := cfg.partSize(size)
	p := newParts(ctx, cfg.MaxConcurrency)
	for i, start := 1, int64(0); start < size; i, start = i+1, start+n {
		end := min(start+n, size) - 1
		in := make(map[string]any, len(partIn)+2)
		for k, v := range partIn {
			in[k] = v
		}
		in["PartNumber"], in["CopySourceRange"] = i, fmt.Sprintf("bytes=%d-%d", start, end)
		if !p.run(func(ctx context.Context) error {
			out, err := c.Call(ctx, "UploadPartCopy", in)
			if err != nil {
				return fmt.Errorf("part %d: %w", i, err)
			}
			result, _ := out["CopyPartResult"].(map[string]any)
			mu.Lock()
			done = append(done, map[string]any{"PartNumber": i, "ETag": result["ETag"]})
			mu.Unlock()
			o.add(end - start + 1)
			return nil
		}) {
			break
		}
	}
	err = p.wait()
	if err == nil {
		slices.SortFunc(done, byPartNumber)
		_, err = c.Call(ctx, "CompleteMultipartUpload", input(c, "CompleteMultipartUpload", args, map[string]any{
			"Bucket": bucket, "Key": key, "UploadId": id, "MultipartUpload": map[string]any{"Parts": done}}))
	}
	if err != nil {
		return abort(ctx, c, bucket, key, id, args, err)
	}
	return nil
}

// byPartNumber orders completed parts.
func byPartNumber(a, b any) int {
	return a.(map[string]any)["PartNumber"].(int) - b.(map[string]any)["PartNumber"].(int)
}
