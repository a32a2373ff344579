// Package transfer moves files in and out of S3 as boto3's upload_file,
// download_file and copy do: multipart and concurrent above a threshold,
// with progress, on an sdk S3 client.
//
// Every request is a call of the client's engine ((*sdk.Client).Call:
// PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
// AbortMultipartUpload, GetObject with a Range, HeadObject, CopyObject,
// UploadPartCopy), so a transfer gets what any call gets: the client's
// endpoint, credentials, retries, checksums, handlers, policy and debug
// log. They ran on aws-sdk-go-v2's transfer manager until, measured side
// by side, it did not beat these calls (BenchmarkMultipartEngineVsManager);
// with it went the typed S3 client it drives.
package transfer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/awslua/awslua/sdk"
)

// Config is boto3's TransferConfig; zero values take its defaults.
type Config struct {
	// MultipartThreshold is the size from which uploads and copies go in
	// parts (8 MiB).
	MultipartThreshold int64
	// MultipartChunksize is the size of each part (8 MiB). Uploads and
	// copies raise it to S3's minimum, 5 MiB, and as far as S3's 10,000
	// parts need.
	MultipartChunksize int64
	// MaxConcurrency is how many parts move at once (10).
	MaxConcurrency int
	// NumDownloadAttempts is how often a download part is tried when its
	// body breaks off (5).
	NumDownloadAttempts int
}

const (
	mib = 1 << 20
	// S3's limits on a multipart upload.
	minPartSize = 5 * mib
	maxPartSize = 5 << 30
	maxParts    = 10000
)

func (c Config) withDefaults() Config {
	if c.MultipartThreshold <= 0 {
		c.MultipartThreshold = 8 * mib
	}
	if c.MultipartChunksize <= 0 {
		c.MultipartChunksize = 8 * mib
	}
	if c.MaxConcurrency <= 0 {
		c.MaxConcurrency = 10
	}
	if c.NumDownloadAttempts <= 0 {
		c.NumDownloadAttempts = 5
	}
	return c
}

// partSize is the part size of an upload or copy of size bytes (-1:
// unknown), within S3's limits as boto3's ChunksizeAdjuster keeps it.
func (c Config) partSize(size int64) int64 {
	n := min(max(c.MultipartChunksize, minPartSize), maxPartSize)
	if size > n*maxParts {
		n = (size + maxParts - 1) / maxParts
	}
	return n
}

// Options are what boto3's transfer methods take besides their arguments.
type Options struct {
	Config Config
	// ExtraArgs are request members, those of boto3's ALLOWED_UPLOAD_ARGS,
	// ALLOWED_DOWNLOAD_ARGS and ALLOWED_COPY_ARGS (uploadArgs,
	// downloadArgs, copyArgs); each request of a transfer gets those its
	// operation takes.
	ExtraArgs map[string]any
	// Progress, when set, counts the bytes moved; callers read it from any
	// goroutine while the transfer runs.
	Progress *Progress
}

// Progress is a transfer's size and how much of it has moved.
type Progress struct {
	Done, Total atomic.Int64
}

func (o Options) add(n int64) {
	if o.Progress != nil {
		o.Progress.Done.Add(n)
	}
}

func (o Options) total(n int64) {
	if o.Progress != nil {
		o.Progress.Total.Store(n)
	}
}

// checkClient refuses a client of another service, and a transfer that the
// session's policy would stop halfway: a multipart upload refused its
// parts would have been created for nothing.
func checkClient(c *sdk.Client, operations ...string) error {
	if c.ServiceName() != "s3" {
		return fmt.Errorf("transfers need an s3 client, not %s", c.ServiceName())
	}
	for _, op := range operations {
		if err := c.Allowed(op); err != nil {
			return err
		}
	}
	return nil
}

// The ExtraArgs each kind of transfer takes: boto3's lists (s3transfer
// 0.17), and the members awslua's transfers took before them, which boto3
// does not (conditional writes and reads, a download's Response* headers,
// bucket keys and the source's owner of a copy).
var (
	fullObjectChecksums = []string{"ChecksumCRC32", "ChecksumCRC32C", "ChecksumCRC64NVME", "ChecksumMD5", "ChecksumSHA1",
		"ChecksumSHA256", "ChecksumSHA512", "ChecksumXXHASH3", "ChecksumXXHASH64", "ChecksumXXHASH128"}
	objectArgs = []string{"ACL", "CacheControl", "ChecksumAlgorithm", "ContentDisposition", "ContentEncoding",
		"ContentLanguage", "ContentType", "ExpectedBucketOwner", "Expires", "GrantFullControl", "GrantRead",
		"GrantReadACP", "GrantWriteACP", "Metadata", "ObjectLockLegalHoldStatus", "ObjectLockMode",
		"ObjectLockRetainUntilDate", "RequestPayer", "ServerSideEncryption", "StorageClass", "SSECustomerAlgorithm",
		"SSECustomerKey", "SSECustomerKeyMD5", "SSEKMSKeyId", "SSEKMSEncryptionContext", "Tagging",
		"WebsiteRedirectLocation", "BucketKeyEnabled", "IfMatch", "IfNoneMatch"}
	uploadArgs   = slices.Concat(objectArgs, []string{"ChecksumType", "MpuObjectSize"}, fullObjectChecksums)
	downloadArgs = []string{"ChecksumMode", "VersionId", "SSECustomerAlgorithm", "SSECustomerKey", "SSECustomerKeyMD5",
		"RequestPayer", "ExpectedBucketOwner", "IfMatch", "IfNoneMatch", "IfModifiedSince", "IfUnmodifiedSince",
		"ResponseCacheControl", "ResponseContentDisposition", "ResponseContentEncoding", "ResponseContentLanguage",
		"ResponseContentType", "ResponseExpires"}
	copyArgs = slices.Concat(objectArgs, []string{"CopySourceIfMatch", "CopySourceIfModifiedSince", "CopySourceIfNoneMatch",
		"CopySourceIfUnmodifiedSince", "CopySourceSSECustomerAlgorithm", "CopySourceSSECustomerKey",
		"CopySourceSSECustomerKeyMD5", "MetadataDirective", "TaggingDirective", "ExpectedSourceBucketOwner"})
)

// extraArgs checks ExtraArgs before anything is sent: each must be one the
// transfer takes (allowed), of the type the first of operations that has
// it says. It returns them converted as a call would convert them.
func extraArgs(c *sdk.Client, allowed []string, operations []string, extra map[string]any) (map[string]any, error) {
	var problems []string
	out := make(map[string]any, len(extra))
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		if !slices.Contains(allowed, k) {
			names := slices.Sorted(slices.Values(allowed))
			problems = append(problems, fmt.Sprintf("Unknown parameter in ExtraArgs: %q, must be one of: %s", k, strings.Join(names, ", ")))
			continue
		}
		op := operations[0]
		for _, o := range operations {
			if takes(c, o, k) {
				op = o
				break
			}
		}
		v, err := c.CheckParams(op, map[string]any{k: extra[k]})
		var pv *sdk.ParamValidationError
		switch {
		case errors.As(err, &pv):
			problems = append(problems, pv.Problems...)
		case err != nil:
			return nil, err
		default:
			out[k] = v[k]
		}
	}
	if len(problems) > 0 {
		return nil, &sdk.ParamValidationError{Operation: operations[0], Problems: problems}
	}
	return out, nil
}

// takes reports whether an operation's input has a member of that name.
func takes(c *sdk.Client, operation, member string) bool {
	op, err := c.Operation(operation)
	if err != nil {
		return false
	}
	m, ok := op.InputShape().Member(member)
	return ok && m.Name == member
}

// input is the input of one request of a transfer: the ExtraArgs its
// operation takes, as boto3 hands each request its own, then set.
func input(c *sdk.Client, operation string, args map[string]any, set map[string]any) map[string]any {
	in := make(map[string]any, len(args)+len(set))
	for k, v := range args {
		if takes(c, operation, k) {
			in[k] = v
		}
	}
	for k, v := range set {
		in[k] = v
	}
	return in
}

// parts runs the parts of one transfer, at most n at a time, and stops
// them all at the first failure, which it keeps.
type parts struct {
	parent context.Context
	ctx    context.Context
	cancel context.CancelFunc
	slots  chan struct{}
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error
}

func newParts(ctx context.Context, n int) *parts {
	p := &parts{parent: ctx, slots: make(chan struct{}, n)}
	p.ctx, p.cancel = context.WithCancel(ctx)
	return p
}

// run starts f once fewer than n parts run, and reports whether it did:
// not once the transfer failed or its context ended.
func (p *parts) run(f func(ctx context.Context) error) bool {
	select {
	case p.slots <- struct{}{}:
	case <-p.ctx.Done():
		return false
	}
	if p.ctx.Err() != nil {
		<-p.slots
		return false
	}
	p.wg.Go(func() {
		defer func() { <-p.slots }()
		if err := f(p.ctx); err != nil {
			p.fail(err)
		}
	})
	return true
}

// fail ends the transfer with err, unless it already failed.
func (p *parts) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err == nil {
		p.err = err
	}
	p.cancel()
}

// wait waits for the parts that run and returns the transfer's error.
func (p *parts) wait() error {
	p.wg.Wait()
	p.cancel()
	if p.err == nil {
		return p.parent.Err()
	}
	return p.err
}
