package tests

// Tests of what sdk/transfer does with the engine's calls since it left
// aws-sdk-go-v2's transfer manager: ETag consistency of ranged downloads,
// checksums, boto3's ExtraArgs lists, the threshold of a stream, and a
// download's body that breaks off.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/transfer"
)

// memWriter is an in-memory io.WriterAt that calls first once, on its
// first write.
type memWriter struct {
	mu    sync.Mutex
	b     []byte
	once  sync.Once
	first func()
}

func (w *memWriter) WriteAt(p []byte, off int64) (int, error) {
	w.once.Do(w.first)
	w.mu.Lock()
	defer w.mu.Unlock()
	if n := off + int64(len(p)); n > int64(len(w.b)) {
		w.b = append(w.b, make([]byte, n-int64(len(w.b)))...)
	}
	return copy(w.b[off:], p), nil
}

// A download whose object is replaced after its first range fails, as
// boto3's does, instead of writing parts of two objects: the later ranges
// ask for the first one's ETag. Without a change the same download gets
// the new object whole.
func TestTransferObjectChanged(t *testing.T) {
	t.Parallel()
	for _, server := range transferServers {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			c, bucket := transferBucket(t, server)
			put := func(b byte) []byte {
				data := bytes.Repeat([]byte{b}, 3*transferPart)
				cliCall(t, c, "put_object", map[string]any{"Bucket": bucket, "Key": "k", "Body": bytes.NewReader(data)})
				return data
			}
			put('a')
			// One range at a time: the second is asked for after the first
			// was written, and with it the object replaced.
			o := transfer.Options{Config: transfer.Config{MultipartChunksize: transferPart, MaxConcurrency: 1}}
			w := &memWriter{first: func() { put('b') }}
			err := transfer.Download(context.Background(), c, bucket, "k", w, o)
			var se *sdk.Error
			if !errors.As(err, &se) || se.StatusCode != 412 || !strings.Contains(err.Error(), "changed during the download") {
				t.Fatalf("a download of a replaced object: %v", err)
			}
			w = &memWriter{first: func() {}}
			if err := transfer.Download(context.Background(), c, bucket, "k", w, o); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(w.b, bytes.Repeat([]byte{'b'}, 3*transferPart)) {
				t.Errorf("the second download got %d other bytes", len(w.b))
			}
		})
	}
}

// Uploads carry checksums that the server checks: CRC32 by default, in
// one PutObject and in parts; the algorithm ExtraArgs name; and a
// full-object checksum the caller computed, with which a multipart upload
// completes. A wrong one fails the upload, whose parts are aborted.
func TestTransferChecksums(t *testing.T) {
	t.Parallel()
	c, bucket := transferBucket(t, "minio")
	l := transferLua(t, "minio")
	dir := t.TempDir()
	small := cliWrite(t, dir, "small", "hello")
	big := filepath.Join(dir, "big")
	transferWrite(t, big, 2*transferPart+5, 21)
	data, err := os.ReadFile(big)
	if err != nil {
		t.Fatal(err)
	}
	crc := binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(data))
	full := base64.StdEncoding.EncodeToString(crc)
	l.expect(t, `
		local bucket, small, big, full = ...
		local s3 = aws.client("s3")
		local cfg = `+transferConfig+`
		local function sums(key)
			local h = s3:head_object{Bucket = bucket, Key = key, ChecksumMode = "ENABLED"}
			return tostring(h.ChecksumCRC32 ~= nil) .. " " .. tostring(h.ChecksumSHA256 ~= nil) .. " " .. tostring(h.ChecksumType)
		end
		s3:upload_file(small, bucket, "small", {Config = cfg})
		s3:upload_file(big, bucket, "big", {Config = cfg})
		s3:upload_file(big, bucket, "sha", {Config = cfg, ExtraArgs = {ChecksumAlgorithm = "SHA256"}})
		print(sums("small")); print(sums("big")); print(sums("sha"))
		s3:upload_file(big, bucket, "full", {Config = cfg, ExtraArgs = {ChecksumCRC32 = full}})
		local h = s3:head_object{Bucket = bucket, Key = "full", ChecksumMode = "ENABLED"}
		print(h.ChecksumCRC32 == full, h.ChecksumType)
		local ok, err = pcall(s3.upload_file, s3, big, bucket, "wrong", {Config = cfg, ExtraArgs = {ChecksumCRC32 = "AAAAAA=="}})
		print(ok, err.status_code)`,
		"true false FULL_OBJECT\ntrue false COMPOSITE\nfalse true COMPOSITE\ntrue\tFULL_OBJECT\nfalse\t400\n", bucket, small, big, full)
	if ups := transferUploads(t, c, bucket); len(ups) != 0 {
		t.Errorf("multipart uploads left behind: %q", ups)
	}
	if keys := transferKeys(t, c, bucket); slices.Contains(keys, "wrong") {
		t.Errorf("an upload with a wrong checksum made an object")
	}
}

// ExtraArgs are boto3's lists: members of the operations that a transfer
// sets itself, or that boto3's transfers do not take, are refused by name
// before anything is sent.
func TestTransferExtraArgsLists(t *testing.T) {
	t.Parallel()
	c, bucket := transferBucket(t, "minio")
	cliCall(t, c, "put_object", map[string]any{"Bucket": bucket, "Key": "src", "Body": "x"})
	l := transferLua(t, "minio")
	file := cliWrite(t, t.TempDir(), "f", "hello")
	for _, tc := range []struct {
		call string
		want []string
	}{
		{`s3:upload_file(file, bucket, "k", {ExtraArgs = {Body = "other"}})`, []string{`"Body"`, "must be one of: ACL,", "WebsiteRedirectLocation"}},
		{`s3:upload_file(file, bucket, "k", {ExtraArgs = {ContentMD5 = "x", Key = "other"}})`, []string{`"ContentMD5"`, `"Key"`}},
		{`s3:download_file(bucket, "src", file .. ".out", {ExtraArgs = {Range = "bytes=0-0"}})`, []string{`"Range"`, "VersionId"}},
		{`s3:copy{CopySource = {Bucket = bucket, Key = "src"}, Bucket = bucket, Key = "k", ExtraArgs = {UploadId = "x"}}`, []string{`"UploadId"`, "MetadataDirective"}},
	} {
		msg := transferLuaError(t, l, `local bucket, file = ...; local s3 = aws.client("s3")
			local ok, err = pcall(function() `+tc.call+` end)
			error(tostring(err.code) .. ": " .. tostring(err))`, bucket, file)
		cliHas(t, tc.call, msg, append([]string{"ParamValidationError", "Unknown parameter in ExtraArgs"}, tc.want...)...)
	}
	if keys := transferKeys(t, c, bucket); !slices.Equal(keys, []string{"src"}) {
		t.Errorf("the bucket holds %q", keys)
	}
}

// A reader that cannot seek goes in one PutObject below the threshold and
// in parts from it, also when the threshold is larger than a part.
func TestTransferStreamThreshold(t *testing.T) {
	t.Parallel()
	c, bucket := transferBucket(t, "minio")
	o := transfer.Options{Config: transfer.Config{MultipartThreshold: 2*transferPart + 1, MultipartChunksize: transferPart}, Progress: &transfer.Progress{}}
	for _, tc := range []struct {
		size  int
		parts int64
	}{{0, 0}, {transferPart + 7, 0}, {2 * transferPart, 0}, {2*transferPart + 1, 3}, {3 * transferPart, 3}} {
		data := bytes.Repeat([]byte{'s'}, tc.size)
		o.Progress.Done.Store(0)
		if err := transfer.Upload(context.Background(), c, struct{ io.Reader }{bytes.NewReader(data)}, bucket, "k", o); err != nil {
			t.Fatalf("size %d: %v", tc.size, err)
		}
		h := cliCall(t, c, "head_object", map[string]any{"Bucket": bucket, "Key": "k"})
		etag, _ := h["ETag"].(string)
		if h["ContentLength"] != int64(tc.size) || transferETagParts(etag) != tc.parts || o.Progress.Done.Load() != int64(tc.size) {
			t.Errorf("size %d: stored %v bytes, ETag %s (want %d parts), progress %d", tc.size, h["ContentLength"], etag, tc.parts, o.Progress.Done.Load())
		}
		if n, sum := transferObjectSHA(t, c, bucket, "k"); n != int64(tc.size) || sum != transferBytesSHA(data) {
			t.Errorf("size %d: the object holds %d other bytes", tc.size, n)
		}
	}
}

// cutProxy forwards to a server and breaks off the body of the first
// cuts GetObject answers after 1 MiB, recording the Range of each
// GetObject.
type cutProxy struct {
	mu     sync.Mutex
	cuts   int
	ranges []string
}

func (p *cutProxy) start(t *testing.T, server string) string {
	target, err := url.Parse(testenv.URL(t, server))
	if err != nil {
		t.Fatal(err)
	}
	rp := &httputil.ReverseProxy{
		// The Host header stays the proxy's, which is what the client signed.
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme, pr.Out.URL.Host = target.Scheme, target.Host
			pr.Out.Host = pr.In.Host
		},
		ModifyResponse: func(resp *http.Response) error {
			if resp.Request.Method != http.MethodGet || resp.StatusCode != http.StatusPartialContent {
				return nil
			}
			p.mu.Lock()
			defer p.mu.Unlock()
			p.ranges = append(p.ranges, resp.Request.Header.Get("Range"))
			if p.cuts > 0 {
				p.cuts--
				resp.Body = struct {
					io.Reader
					io.Closer
				}{io.MultiReader(io.LimitReader(resp.Body, transferMiB), iotestErr{}), resp.Body}
			}
			return nil
		},
		// The cuts are on purpose; the proxy would log each.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	return srv.URL
}

// iotestErr is a read that fails, which makes the proxy drop the
// connection mid-body.
type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errors.New("cut on purpose") }

// A range whose body breaks off is asked for again from where it broke,
// up to NumDownloadAttempts times, and the download is whole; with one
// attempt it fails and says so.
func TestTransferDownloadBrokenBody(t *testing.T) {
	t.Parallel()
	c, bucket := transferBucket(t, "minio")
	data := bytes.Repeat([]byte("0123456789abcdef"), 3*transferPart/16)
	cliCall(t, c, "put_object", map[string]any{"Bucket": bucket, "Key": "k", "Body": bytes.NewReader(data)})
	proxy := &cutProxy{cuts: 2}
	via := testenv.Client(t, "minio", "s3", func(o *sdk.ClientOptions) { o.EndpointURL = proxy.start(t, "minio") })
	o := transfer.Options{Config: transfer.Config{MultipartChunksize: transferPart, MaxConcurrency: 1, NumDownloadAttempts: 3}, Progress: &transfer.Progress{}}
	w := &memWriter{first: func() {}}
	if err := transfer.Download(context.Background(), via, bucket, "k", w, o); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.b, data) || o.Progress.Done.Load() != int64(len(data)) {
		t.Errorf("downloaded %d other bytes, progress %d", len(w.b), o.Progress.Done.Load())
	}
	// The first range twice cut, then its rest from the cut on, then the
	// other two ranges.
	want := []string{"bytes=0-5242879", "bytes=1048576-5242879", "bytes=2097152-5242879", "bytes=5242880-10485759", "bytes=10485760-15728639"}
	if !slices.Equal(proxy.ranges, want) {
		t.Errorf("the ranges asked for were %q, want %q", proxy.ranges, want)
	}

	proxy.mu.Lock()
	proxy.cuts = 1
	proxy.mu.Unlock()
	o.Config.NumDownloadAttempts = 1
	err := transfer.Download(context.Background(), via, bucket, "k", &memWriter{first: func() {}}, o)
	if err == nil || !strings.Contains(err.Error(), "after 1 attempts") {
		t.Errorf("a cut body with one attempt: %v", err)
	}
}
