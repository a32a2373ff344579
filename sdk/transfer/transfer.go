// Package transfer moves files in and out of S3 as boto3's upload_file,
// download_file and copy do: multipart and concurrent above a threshold,
// with progress, on an sdk S3 client.
//
// Uploads and downloads run on aws-sdk-go-v2's feature/s3/transfermanager,
// not feature/s3/manager: manager is deprecated in its favour (its
// Uploader and Downloader say so since v1.23), and transfermanager adds what
// these functions need — one client for both directions, progress
// listeners, concurrent ranged downloads into an io.WriterAt, checksums on
// upload, and an upload that aborts its multipart upload with a fresh
// context when the caller's is cancelled (given a FailTimeout). It is
// pre-1.0, so go.mod pins it. It has no copy, so Copy drives UploadPartCopy
// itself.
package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	tm "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	tmtypes "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/awslua/awslua/sdk"
)

// Config is boto3's TransferConfig; zero values take its defaults.
type Config struct {
	// MultipartThreshold is the size from which transfers go in parts
	// (8 MiB).
	MultipartThreshold int64
	// MultipartChunksize is the size of each part (8 MiB; S3's minimum is
	// 5 MiB).
	MultipartChunksize int64
	// MaxConcurrency is how many parts move at once (10).
	MaxConcurrency int
	// NumDownloadAttempts is how often a download part is tried (5).
	NumDownloadAttempts int
}

const mib = 1 << 20

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

// Options are what boto3's transfer methods take besides their arguments.
type Options struct {
	Config Config
	// ExtraArgs are request members: for uploads those of PutObject
	// (ContentType, Metadata, ServerSideEncryption, ACL, ...), for
	// downloads those of GetObject (VersionId, SSECustomerKey, ...).
	ExtraArgs map[string]any
	// Progress, when set, counts the bytes moved; callers read it from any
	// goroutine while the transfer runs.
	Progress *Progress
}

// Progress is a transfer's size and how much of it has moved.
type Progress struct {
	Done, Total atomic.Int64
}

// s3Client returns a typed aws-sdk-go-v2 S3 client with an sdk client's
// settings, once the session's policy allows the operations a transfer
// makes: the transfer manager runs on it, below the sdk's own check.
func s3Client(c *sdk.Client, operations ...string) (*s3.Client, error) {
	if c.ServiceName() != "s3" {
		return nil, fmt.Errorf("transfers need an s3 client, not %s", c.ServiceName())
	}
	for _, op := range operations {
		if err := c.Allowed(op); err != nil {
			return nil, err
		}
	}
	key := weak.Make(c)
	if api, ok := typedClients.Load(key); ok {
		return api.(*s3.Client), nil
	}
	style := c.S3AddressingStyle()
	api := s3.NewFromConfig(c.AWSConfig(), func(o *s3.Options) {
		if style != "auto" {
			o.UsePathStyle = style == "path"
		}
		// S3 logs to stderr on every GetObject of an object stored without
		// a checksum (most objects that older tools wrote) or with a
		// multipart one; boto3 says nothing, and a script's output must
		// stay its own.
		o.DisableLogOutputChecksumValidationSkipped = true
	})
	actual, loaded := typedClients.LoadOrStore(key, api)
	if !loaded {
		runtime.AddCleanup(c, func(k weak.Pointer[sdk.Client]) { typedClients.Delete(k) }, key)
	}
	return actual.(*s3.Client), nil
}

// typedClients holds the typed client of each sdk client that transferred,
// so that its connections are reused, until the sdk client is gone.
var typedClients sync.Map // weak.Pointer[sdk.Client] -> *s3.Client

func (o Options) manager(api *s3.Client) *tm.Client {
	cfg := o.Config.withDefaults()
	return tm.New(api, func(t *tm.Options) {
		t.MultipartUploadThreshold = cfg.MultipartThreshold
		t.PartSizeBytes = cfg.MultipartChunksize
		t.Concurrency = cfg.MaxConcurrency
		t.PartBodyMaxRetries = cfg.NumDownloadAttempts
		// Downloads in ranges of MultipartChunksize, as boto3's do. The
		// default, by part number, ignores the Config (an object uploaded
		// in one piece came down in one request, on one goroutine), and
		// fails on an empty object where the answer to partNumber=1 has no
		// usable Content-Range (moto). As with boto3, a ranged part comes
		// without a checksum to validate.
		t.GetObjectType = tmtypes.GetObjectRanges
		// Without a FailTimeout transfermanager aborts a failed multipart
		// upload with the caller's context, which a cancellation has
		// already ended: the abort fails and the parts stay behind.
		t.FailTimeout = 30 * time.Second
		if o.Progress != nil {
			t.ObjectProgressListeners.Register(progress{o.Progress})
		}
	})
}

// progress records the running total that transfermanager reports.
type progress struct{ p *Progress }

func (p progress) OnObjectBytesTransferred(_ context.Context, e *tm.ObjectBytesTransferredEvent) {
	p.p.Total.Store(e.TotalBytes)
	// Parts finish on several goroutines, whose events can arrive out of
	// order: a plain Store could end on a smaller total than the last.
	for {
		old := p.p.Done.Load()
		if e.BytesTransferred <= old || p.p.Done.CompareAndSwap(old, e.BytesTransferred) {
			return
		}
	}
}

func (p progress) OnObjectTransferStart(_ context.Context, e *tm.ObjectTransferStartEvent) {
	p.p.Total.Store(e.TotalBytes)
}

// goNames are the ExtraArgs members that transfermanager's inputs spell
// otherwise than the API (and boto3's ExtraArgs) does.
var goNames = map[string]string{"VersionId": "VersionID", "SSEKMSKeyId": "SSEKMSKeyID"}

// extraArgs fills a transfer's input from ExtraArgs, checked first as the
// operation's members (operation), so that an unknown or mistyped member
// is named as a call would name it.
func extraArgs[T any](c *sdk.Client, operation string, in *T, extra map[string]any) error {
	if len(extra) == 0 {
		return nil
	}
	args, err := c.CheckParams(operation, extra)
	if err != nil {
		return err
	}
	dst := reflect.ValueOf(in).Elem()
	for k, v := range args {
		name := k
		if goNames[k] != "" {
			name = goNames[k]
		}
		f := dst.FieldByName(name)
		if !f.IsValid() || !f.CanSet() || !setField(f, v) {
			return &sdk.ParamValidationError{Operation: operation, Problems: []string{
				fmt.Sprintf("ExtraArgs: %s is not an argument a transfer takes", k)}}
		}
	}
	return nil
}

// setField stores a checked dynamic value in a field of a typed
// aws-sdk-go-v2 input: a pointer to a string, number, bool or time, an
// enum (a string type), or a map of strings.
func setField(f reflect.Value, v any) bool {
	t := f.Type()
	if t.Kind() == reflect.Pointer {
		p := reflect.New(t.Elem())
		if !setField(p.Elem(), v) {
			return false
		}
		f.Set(p)
		return true
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.Type().ConvertibleTo(t) && (t.Kind() == rv.Kind() || t.Kind() == reflect.Struct):
		f.Set(rv.Convert(t))
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64 && rv.Kind() == reflect.Int64:
		f.SetInt(rv.Int())
	case t.Kind() == reflect.Map && t.Elem().Kind() == reflect.String:
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		out := reflect.MakeMapWithSize(t, len(m))
		for k, e := range m {
			s, ok := e.(string)
			if !ok {
				return false
			}
			out.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(s))
		}
		f.Set(out)
	default:
		return false
	}
	return true
}

// Upload uploads what r holds to bucket/key (boto3's upload_fileobj). A
// failed multipart upload is aborted: no parts stay behind.
func Upload(ctx context.Context, c *sdk.Client, r io.Reader, bucket, key string, o Options) error {
	api, err := s3Client(c, "PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload")
	if err != nil {
		return err
	}
	in := &tm.UploadObjectInput{}
	if err := extraArgs(c, "PutObject", in, o.ExtraArgs); err != nil {
		return err
	}
	in.Bucket, in.Key, in.Body = &bucket, &key, r
	if _, err := o.manager(api).UploadObject(ctx, in); err != nil {
		return fmt.Errorf("uploading to s3://%s/%s: %w", bucket, key, apiError(c, err))
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

// Download writes bucket/key into w, in concurrent ranged parts (boto3's
// download_fileobj).
func Download(ctx context.Context, c *sdk.Client, bucket, key string, w io.WriterAt, o Options) error {
	api, err := s3Client(c, "GetObject")
	if err != nil {
		return err
	}
	in := &tm.DownloadObjectInput{}
	if err := extraArgs(c, "GetObject", in, o.ExtraArgs); err != nil {
		return err
	}
	in.Bucket, in.Key, in.WriterAt = &bucket, &key, w
	if _, err := o.manager(api).DownloadObject(ctx, in); err != nil {
		return fmt.Errorf("downloading s3://%s/%s: %w", bucket, key, apiError(c, err))
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

// inOrder is the io.WriterAt of a download with one worker, whose writes
// come in order. A part tried again after a broken body writes again from
// its start; what w has already is skipped.
type inOrder struct {
	w    io.Writer
	next int64
}

func (s *inOrder) WriteAt(p []byte, off int64) (int, error) {
	if off > s.next {
		return 0, fmt.Errorf("a write at %d after %d bytes", off, s.next)
	}
	n := len(p)
	skip := min(s.next-off, int64(n))
	if skip == int64(n) {
		return n, nil
	}
	k, err := s.w.Write(p[skip:])
	s.next += int64(k)
	return int(skip) + k, err
}

// apiError makes a service error, which transfermanager returns as the
// SDK made it, into the *sdk.Error that the sdk's own calls return, so that
// callers (and a script's err.code and err.status_code) see the code.
func apiError(c *sdk.Client, err error) error {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return c.LocalError(err) // no response from S3: a connection, timeout or credentials failure
	}
	e := &sdk.Error{Code: api.ErrorCode(), Message: api.ErrorMessage(), Service: c.ServiceName(), Err: err}
	var op *smithy.OperationError
	if errors.As(err, &op) {
		e.Operation = op.OperationName
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		e.StatusCode = re.HTTPStatusCode()
		e.RequestID = re.ServiceRequestID()
	}
	var host interface{ ServiceHostID() string }
	if errors.As(err, &host) {
		e.HostID = host.ServiceHostID()
	}
	// As the sdk's own calls do, say that the retries ran out and how many
	// were made ("reached max retries: 2"); transfermanager's requests do
	// not pass through the sdk's attempt counter, but the retryer's error
	// counts them.
	var exhausted *retry.MaxAttemptsError
	if errors.As(err, &exhausted) {
		e.MaxRetriesReached = true
		e.RetryAttempts = max(exhausted.Attempt-1, 0)
	}
	return e
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
