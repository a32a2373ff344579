package transfer

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/awslua/awslua/sdk"
)

// Upload uploads what r holds, from its position on, to bucket/key
// (boto3's upload_fileobj): in one PutObject below the threshold, else in
// parts of a multipart upload, MaxConcurrency at a time. A file, or any
// io.ReaderAt that can seek, is read in place, part by part; another
// reader is read ahead into at most MaxConcurrency+1 buffers of a part
// each. A failed or cancelled multipart upload is aborted: no parts stay
// behind.
func Upload(ctx context.Context, c *sdk.Client, r io.Reader, bucket, key string, o Options) error {
	if err := checkClient(c, "PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"); err != nil {
		return err
	}
	args, err := extraArgs(c, uploadArgs, []string{"PutObject", "CreateMultipartUpload", "CompleteMultipartUpload"}, o.ExtraArgs)
	if err != nil {
		return err
	}
	u := &upload{c: c, bucket: bucket, key: key, args: args, cfg: o.Config.withDefaults(), o: o}
	if f, start, size, ok := sized(r); ok {
		err = u.file(ctx, f, start, size)
	} else {
		err = u.stream(ctx, r)
	}
	if err != nil {
		return fmt.Errorf("uploading to s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

// UploadFile uploads a file to bucket/key (boto3's upload_file).
func UploadFile(ctx context.Context, c *sdk.Client, filename, bucket, key string, o Options) error {
	f, err := os.Open(filename)
	if err != nil {
		return fmt.Errorf("upload_file: %w", err)
	}
	defer f.Close()
	return Upload(ctx, c, f, bucket, key, o)
}

// readerAt is what an upload reads in place.
type readerAt interface {
	io.ReaderAt
	io.Seeker
}

// sized reports whether r can be read in place, and from where to where:
// its position to its end, where it is left, as boto3 leaves a file
// object after what it read. A pipe cannot seek.
func sized(r io.Reader) (f io.ReaderAt, start, size int64, ok bool) {
	ra, ok := r.(readerAt)
	if !ok {
		return nil, 0, 0, false
	}
	start, err := ra.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, 0, 0, false
	}
	end, err := ra.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, 0, 0, false
	}
	return ra, start, max(end-start, 0), true
}

// upload is one upload in progress.
type upload struct {
	c           *sdk.Client
	bucket, key string
	args        map[string]any
	cfg         Config
	o           Options
}

// A part is one part's body, and what to do once it is sent.
type part struct {
	body    io.ReadSeeker
	size    int64
	release func()
}

// file uploads size bytes of f from start.
func (u *upload) file(ctx context.Context, f io.ReaderAt, start, size int64) error {
	u.o.total(size)
	if size < u.cfg.MultipartThreshold {
		return u.put(ctx, io.NewSectionReader(f, start, size), size)
	}
	n, off := u.cfg.partSize(size), int64(0)
	return u.multipart(ctx, func() (part, error) {
		if off >= size {
			return part{}, io.EOF
		}
		p := part{body: io.NewSectionReader(f, start+off, min(n, size-off)), size: min(n, size-off), release: func() {}}
		off += p.size
		return p, nil
	})
}

// stream uploads what r holds to its end. The first parts read decide:
// below the threshold they go in one PutObject.
func (u *upload) stream(ctx context.Context, r io.Reader) error {
	n := u.cfg.partSize(-1)
	b := &buffers{size: n}
	eof := false
	read := func() (part, error) {
		if eof {
			return part{}, io.EOF
		}
		if err := ctx.Err(); err != nil {
			return part{}, err
		}
		buf := b.get()
		k, err := io.ReadFull(r, buf)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			eof, err = true, nil
		}
		if err != nil || k == 0 {
			b.put(buf)
			return part{}, cmp.Or(err, io.EOF)
		}
		return part{body: bytes.NewReader(buf[:k]), size: int64(k), release: func() { b.put(buf) }}, nil
	}
	var head []part
	total := int64(0)
	for total < u.cfg.MultipartThreshold && !eof {
		p, err := read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		head = append(head, p)
		total += p.size
	}
	if total < u.cfg.MultipartThreshold {
		u.o.total(total)
		if len(head) == 1 {
			return u.put(ctx, head[0].body, total)
		}
		// A threshold above the part size: the parts read become one body.
		bodies := make([]io.Reader, len(head))
		for i, p := range head {
			bodies[i] = p.body
		}
		body, _ := io.ReadAll(io.MultiReader(bodies...))
		return u.put(ctx, bytes.NewReader(body), total)
	}
	return u.multipart(ctx, func() (part, error) {
		if len(head) > 0 {
			p := head[0]
			head = head[1:]
			return p, nil
		}
		return read()
	})
}

// buffers hands out part buffers, reusing those whose parts were sent: an
// upload holds as many as its parts in flight and the one being read.
type buffers struct {
	size int64
	mu   sync.Mutex
	free [][]byte
}

func (b *buffers) get() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	if n := len(b.free); n > 0 {
		buf := b.free[n-1]
		b.free = b.free[:n-1]
		return buf
	}
	return make([]byte, b.size)
}

func (b *buffers) put(buf []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.free = append(b.free, buf)
}

// put uploads an object in one PutObject.
func (u *upload) put(ctx context.Context, body io.ReadSeeker, size int64) error {
	_, err := u.c.Call(ctx, "PutObject", input(u.c, "PutObject", u.args, map[string]any{"Bucket": u.bucket, "Key": u.key, "Body": body}))
	if err == nil {
		u.o.add(size)
	}
	return err
}

// multipart uploads the parts next gives until io.EOF, and aborts the
// upload when anything fails, the caller's context included.
func (u *upload) multipart(ctx context.Context, next func() (part, error)) error {
	args := u.checksumArgs()
	created, err := u.c.Call(ctx, "CreateMultipartUpload", input(u.c, "CreateMultipartUpload", args, map[string]any{"Bucket": u.bucket, "Key": u.key}))
	if err != nil {
		return err
	}
	id, _ := created["UploadId"].(string)
	// Each part names the checksum it sent, which CompleteMultipartUpload
	// checks against the upload's algorithm.
	checksum := "Checksum" + strings.ToUpper(fmt.Sprint(args["ChecksumAlgorithm"]))
	partArgs := map[string]any{}
	for k, v := range args {
		if !slices.Contains(fullObjectChecksums, k) {
			partArgs[k] = v
		}
	}
	var (
		mu   sync.Mutex
		done []any
	)
	p := newParts(ctx, u.cfg.MaxConcurrency)
	for n := 1; ; n++ {
		pt, err := next()
		if err == io.EOF {
			break
		}
		if err == nil && n > maxParts {
			pt.release()
			err = fmt.Errorf("the stream is longer than %d parts of %d bytes: raise multipart_chunksize", maxParts, u.cfg.partSize(-1))
		}
		if err != nil {
			p.fail(err)
			break
		}
		started := p.run(func(ctx context.Context) error {
			defer pt.release()
			out, err := u.c.Call(ctx, "UploadPart", input(u.c, "UploadPart", partArgs, map[string]any{
				"Bucket": u.bucket, "Key": u.key, "UploadId": id, "PartNumber": n, "Body": pt.body}))
			if err != nil {
				return fmt.Errorf("part %d: %w", n, err)
			}
			completed := map[string]any{"PartNumber": n, "ETag": out["ETag"]}
			if v, ok := out[checksum]; ok {
				completed[checksum] = v
			}
			mu.Lock()
			done = append(done, completed)
			mu.Unlock()
			u.o.add(pt.size)
			return nil
		})
		if !started {
			pt.release()
			break
		}
	}
	err = p.wait()
	if err == nil {
		slices.SortFunc(done, byPartNumber)
		_, err = u.c.Call(ctx, "CompleteMultipartUpload", input(u.c, "CompleteMultipartUpload", args, map[string]any{
			"Bucket": u.bucket, "Key": u.key, "UploadId": id, "MultipartUpload": map[string]any{"Parts": done}}))
	}
	if err != nil {
		return abort(ctx, u.c, u.bucket, u.key, id, args, err)
	}
	return nil
}

// checksumArgs are the ExtraArgs of a multipart upload with its checksum,
// as boto3 sets it by default: a full-object checksum the caller gave
// names the algorithm of the parts and makes the upload's type
// FULL_OBJECT; else the parts carry the caller's algorithm, or CRC32.
func (u *upload) checksumArgs() map[string]any {
	args := make(map[string]any, len(u.args)+2)
	for k, v := range u.args {
		args[k] = v
	}
	for _, k := range fullObjectChecksums {
		if _, ok := args[k]; ok {
			args["ChecksumType"] = "FULL_OBJECT"
			args["ChecksumAlgorithm"] = strings.TrimPrefix(k, "Checksum")
			return args
		}
	}
	if _, ok := args["ChecksumAlgorithm"]; !ok {
		args["ChecksumAlgorithm"] = "CRC32"
	}
	return args
}

// abort aborts a multipart upload that failed with err, with a context of
// its own: the caller's may be what ended it.
func abort(ctx context.Context, c *sdk.Client, bucket, key, id string, args map[string]any, err error) error {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, aerr := c.Call(actx, "AbortMultipartUpload", input(c, "AbortMultipartUpload", args, map[string]any{"Bucket": bucket, "Key": key, "UploadId": id}))
	if aerr != nil {
		return fmt.Errorf("%w (and aborting its multipart upload %s failed: %w)", err, id, aerr)
	}
	return err
}
