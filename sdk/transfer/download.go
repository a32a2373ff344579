package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/awslua/awslua/sdk"
)

// Download writes bucket/key into w, in ranges of MultipartChunksize,
// MaxConcurrency at a time (boto3's download_fileobj). The first range
// tells the object's size and ETag; the others are asked for only while
// the object has that ETag (IfMatch), as boto3 asks, so that an object
// replaced during the download fails it instead of mixing two objects. A
// range whose body breaks off is asked for again from where it broke, up
// to NumDownloadAttempts times.
func Download(ctx context.Context, c *sdk.Client, bucket, key string, w io.WriterAt, o Options) error {
	if err := checkClient(c, "GetObject"); err != nil {
		return err
	}
	args, err := extraArgs(c, downloadArgs, []string{"GetObject"}, o.ExtraArgs)
	if err != nil {
		return err
	}
	d := &download{c: c, bucket: bucket, key: key, args: args, cfg: o.Config.withDefaults(), o: o}
	if err := d.run(ctx, w); err != nil {
		return fmt.Errorf("downloading s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

// DownloadStream writes bucket/key to w in order (boto3's download_fileobj
// to what cannot be written at offsets: a pipe, a file opened for
// appending). The parts come one at a time.
func DownloadStream(ctx context.Context, c *sdk.Client, bucket, key string, w io.Writer, o Options) error {
	o.Config.MaxConcurrency = 1
	return Download(ctx, c, bucket, key, &inOrder{w: w}, o)
}

// inOrder is the io.WriterAt of a download with one part at a time, whose
// writes come in order.
type inOrder struct {
	w    io.Writer
	next int64
}

func (s *inOrder) WriteAt(p []byte, off int64) (int, error) {
	if off != s.next {
		return 0, fmt.Errorf("a write at %d after %d bytes", off, s.next)
	}
	n, err := s.w.Write(p)
	s.next += int64(n)
	return n, err
}

// download is one download in progress.
type download struct {
	c           *sdk.Client
	bucket, key string
	args        map[string]any
	cfg         Config
	o           Options
}

func (d *download) run(ctx context.Context, w io.WriterAt) error {
	chunk := d.cfg.MultipartChunksize
	first, err := d.get(ctx, 0, chunk-1, "")
	var se *sdk.Error
	if errors.As(err, &se) && se.StatusCode == 416 {
		// An empty object has no first byte to ask for.
		first, err = d.get(ctx, -1, -1, "")
	}
	if err != nil {
		return err
	}
	body, _ := first["Body"].(io.ReadCloser)
	if body == nil {
		return fmt.Errorf("GetObject returned no body")
	}
	size, err := objectSize(first)
	if err != nil {
		body.Close()
		return err
	}
	etag, _ := first["ETag"].(string)
	d.o.total(size)
	p := newParts(ctx, d.cfg.MaxConcurrency)
	if !p.run(func(ctx context.Context) error { return d.part(ctx, w, body, 0, min(chunk, size)-1, etag) }) {
		body.Close()
	}
	for start := chunk; start < size; start += chunk {
		if !p.run(func(ctx context.Context) error { return d.part(ctx, w, nil, start, min(start+chunk, size)-1, etag) }) {
			break
		}
	}
	return p.wait()
}

// objectSize reads an object's size from the answer to its first range,
// or from the whole object's.
func objectSize(out map[string]any) (int64, error) {
	cr, ok := out["ContentRange"].(string)
	if !ok {
		n, _ := out["ContentLength"].(int64)
		return n, nil
	}
	_, total, _ := strings.Cut(cr, "/")
	n, err := strconv.ParseInt(total, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("GetObject answered with a Content-Range of unknown size: %q", cr)
	}
	return n, nil
}

// get asks for bytes from..to (from < 0: the whole object), only while
// the object's ETag is etag ("": any).
func (d *download) get(ctx context.Context, from, to int64, etag string) (map[string]any, error) {
	set := map[string]any{"Bucket": d.bucket, "Key": d.key}
	if from >= 0 {
		set["Range"] = fmt.Sprintf("bytes=%d-%d", from, to)
	}
	if _, mine := d.args["IfMatch"]; etag != "" && !mine {
		set["IfMatch"] = etag
	}
	return d.c.Call(ctx, "GetObject", input(d.c, "GetObject", d.args, set))
}

// part writes bytes start..end of the object at their offset in w, from
// body if it has them already.
func (d *download) part(ctx context.Context, w io.WriterAt, body io.ReadCloser, start, end int64, etag string) error {
	pos := start
	for attempt := 1; ; attempt++ {
		if body == nil {
			out, err := d.get(ctx, pos, end, etag)
			var se *sdk.Error
			if errors.As(err, &se) && se.Code == "PreconditionFailed" && d.args["IfMatch"] == nil {
				return fmt.Errorf("the object changed during the download (its ETag is no longer %s): %w", etag, err)
			}
			if err != nil {
				return err
			}
			body, _ = out["Body"].(io.ReadCloser)
			if body == nil {
				return fmt.Errorf("GetObject returned no body")
			}
			// Bytes from elsewhere would be written at pos.
			if cr, _ := out["ContentRange"].(string); !strings.HasPrefix(cr, fmt.Sprintf("bytes %d-", pos)) {
				body.Close()
				return fmt.Errorf("GetObject answered bytes %q to a request for bytes %d-%d", cr, pos, end)
			}
		}
		n, rerr, werr := copyBody(&offsetWriter{w: w, off: pos, o: d.o}, io.LimitReader(body, end+1-pos))
		body.Close()
		body = nil
		pos += n
		switch {
		case werr != nil:
			return werr
		case rerr == nil && pos <= end:
			rerr = io.ErrUnexpectedEOF
		case rerr == nil:
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if attempt >= d.cfg.NumDownloadAttempts {
			return fmt.Errorf("bytes %d-%d, after %d attempts: %w", start, end, attempt, rerr)
		}
	}
}

// copyBody copies r to w and says which side failed.
func copyBody(w io.Writer, r io.Reader) (n int64, rerr, werr error) {
	bp := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(bp)
	buf := *bp
	for {
		k, err := r.Read(buf)
		if k > 0 {
			m, err := w.Write(buf[:k])
			n += int64(m)
			if err != nil {
				return n, nil, err
			}
		}
		if err == io.EOF {
			return n, nil, nil
		}
		if err != nil {
			return n, err, nil
		}
	}
}

var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// offsetWriter writes at successive offsets of an io.WriterAt and counts
// what it wrote as the transfer's progress.
type offsetWriter struct {
	w   io.WriterAt
	off int64
	o   Options
}

func (w *offsetWriter) Write(p []byte) (int, error) {
	n, err := w.w.WriteAt(p, w.off)
	w.off += int64(n)
	w.o.add(int64(n))
	return n, err
}

// DownloadFile downloads bucket/key to filename (boto3's download_file). It
// writes a temporary file beside the target and renames it at the end, so
// that a failed download leaves nothing under the target's name.
func DownloadFile(ctx context.Context, c *sdk.Client, bucket, key, filename string, o Options) error {
	dir := filepath.Dir(filename)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("download_file: the directory %s does not exist", dir)
	}
	tmp, err := createTemp(dir, filepath.Base(filename))
	if err != nil {
		return fmt.Errorf("download_file: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := Download(ctx, c, bucket, key, tmp, o); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("download_file: %w", err)
	}
	if err := os.Rename(tmp.Name(), filename); err != nil {
		return fmt.Errorf("download_file: %w", err)
	}
	ok = true
	return nil
}

// createTemp makes the temporary file of DownloadFile with the mode that
// os.Create gives a new file (0666 less the umask), as boto3's open() does:
// the rename hands it on to the target, and os.CreateTemp's 0600 would
// leave every downloaded file private.
func createTemp(dir, base string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64(), 36)+".part")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !os.IsExist(err) {
			return f, err
		}
	}
	return nil, fmt.Errorf("no unused temporary name for %s in %s", base, dir)
}
