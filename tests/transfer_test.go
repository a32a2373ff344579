package tests

// Tests of S3 transfers (sdk/transfer and the Lua methods of
// bindings/transfer.go: upload_file, download_file, upload_fileobj,
// download_fileobj and copy, on clients and on Bucket and Object resources)
// against MinIO and moto, and of scripts/s3_sync.lua through the built
// binary. Parts are S3's minimum, 5 MiB, so that files of a few MiB cross
// the multipart threshold.

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/transfer"
)

// ---- helpers ----

const (
	transferMiB = 1 << 20
	// transferPart is the threshold and part size of the tests' Config.
	transferPart = 5 * transferMiB
)

// transferConfig is the Lua TransferConfig of the tests.
const transferConfig = `{multipart_threshold = 5 * 1024 * 1024, multipart_chunksize = 5 * 1024 * 1024}`

// transferServers are the servers every transfer test runs on.
var transferServers = []string{"minio", "moto"}

// transferBucket creates a bucket on server and, when the test ends,
// aborts its multipart uploads and deletes its objects and itself.
func transferBucket(t *testing.T, server string) (*sdk.Client, string) {
	t.Helper()
	c := testenv.Client(t, server, "s3")
	bucket := testenv.Name("awslua-xfer")
	cliCall(t, c, "create_bucket", map[string]any{"Bucket": bucket})
	t.Cleanup(func() {
		ctx := context.Background()
		for _, u := range transferUploads(t, c, bucket) {
			c.Call(ctx, "abort_multipart_upload", map[string]any{"Bucket": bucket, "Key": u[0], "UploadId": u[1]})
		}
		for _, key := range transferKeys(t, c, bucket) {
			c.Call(ctx, "delete_object", map[string]any{"Bucket": bucket, "Key": key})
		}
		if _, err := c.Call(ctx, "delete_bucket", map[string]any{"Bucket": bucket}); err != nil {
			t.Errorf("cleanup of %s: %v", bucket, err)
		}
	})
	return c, bucket
}

// transferKeys lists the keys in a bucket, sorted.
func transferKeys(t *testing.T, c *sdk.Client, bucket string) []string {
	t.Helper()
	var keys []string
	for page, err := range c.Paginate(context.Background(), "list_objects_v2", map[string]any{"Bucket": bucket}, sdk.PaginationConfig{}) {
		if err != nil {
			t.Fatalf("list_objects_v2 %s: %v", bucket, err)
		}
		keys = append(keys, s3Keys(page)...)
	}
	slices.Sort(keys)
	return keys
}

// transferUploads lists the multipart uploads in progress: {key, upload id}.
func transferUploads(t *testing.T, c *sdk.Client, bucket string) [][2]string {
	t.Helper()
	out, err := c.Call(context.Background(), "list_multipart_uploads", map[string]any{"Bucket": bucket})
	if err != nil {
		t.Fatalf("list_multipart_uploads %s: %v", bucket, err)
	}
	var ups [][2]string
	list, _ := out["Uploads"].([]any)
	for _, u := range list {
		m := u.(map[string]any)
		ups = append(ups, [2]string{fmt.Sprint(m["Key"]), fmt.Sprint(m["UploadId"])})
	}
	return ups
}

// transferWrite writes size pseudo-random bytes (seeded by seed) to a file
// and returns its SHA-256.
func transferWrite(t testing.TB, path string, size int64, seed uint64) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), byte(seed >> 16), 7})
	if _, err := io.CopyN(io.MultiWriter(f, h), r, size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// transferSHA returns the SHA-256 of a file.
func transferSHA(t testing.TB, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// transferBytesSHA returns the SHA-256 of b.
func transferBytesSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// transferObjectSHA downloads an object with a plain GetObject and
// returns its size and SHA-256.
func transferObjectSHA(t *testing.T, c *sdk.Client, bucket, key string) (int64, string) {
	t.Helper()
	out := cliCall(t, c, "get_object", map[string]any{"Bucket": bucket, "Key": key})
	body, ok := out["Body"].(io.ReadCloser)
	if !ok {
		t.Fatalf("get_object Body is %T", out["Body"])
	}
	defer body.Close()
	h := sha256.New()
	n, err := io.Copy(h, body)
	if err != nil {
		t.Fatal(err)
	}
	return n, hex.EncodeToString(h.Sum(nil))
}

// transferLua is a runtime on server with every library open (io.open),
// as the command line has it.
func transferLua(t *testing.T, server string) *luaRT {
	t.Helper()
	return newLua(t, server, bindings.Options{Libs: bindings.AllLibs})
}

// transferFields splits a printed line at tabs.
func transferFields(t *testing.T, out string, n int) []string {
	t.Helper()
	f := strings.Split(strings.TrimSuffix(out, "\n"), "\t")
	if len(f) != n {
		t.Fatalf("printed %q, want %d tab-separated fields", out, n)
	}
	return f
}

// transferParts is the number of parts S3's ETag shows for an upload of
// size in the tests' Config: 0 for a single PutObject.
func transferParts(size int64) int64 {
	if size < transferPart {
		return 0
	}
	return (size + transferPart - 1) / transferPart
}

// transferETagParts returns the part count of a multipart ETag, 0 for
// another ETag.
func transferETagParts(etag string) int64 {
	_, n, ok := strings.Cut(strings.Trim(etag, `"`), "-")
	if !ok {
		return 0
	}
	parts, _ := strconv.ParseInt(n, 10, 64)
	return parts
}

// transferLuaError runs src, which must raise, and returns the message.
func transferLuaError(t *testing.T, l *luaRT, src string, args ...string) string {
	t.Helper()
	out, err := l.run(src, args...)
	if err == nil {
		t.Fatalf("script did not fail; printed:\n%s", out)
	}
	luaScriptError(t, err)
	return err.Error()
}

// ---- upload_file and download_file ----

// The content survives a round trip below, at and above the threshold,
// Callback's calls add up to the size, and the object has as many parts
// as the Config says.
func TestTransferRoundTrip(t *testing.T) {
	t.Parallel()
	sizes := []int64{
		0,                                // empty
		1000,                             // small
		transferPart - 1,                 // just below the threshold
		transferPart,                     // the threshold: one part
		3 * transferPart,                 // an exact multiple of the part size
		3*transferPart + transferMiB/2,   // a short last part
		4*transferPart - transferMiB + 7, // ~19 MiB
	}
	for _, server := range transferServers {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			c, bucket := transferBucket(t, server)
			l := transferLua(t, server)
			dir := t.TempDir()
			for i, size := range sizes {
				src := filepath.Join(dir, fmt.Sprintf("src%d", i))
				dst := filepath.Join(dir, fmt.Sprintf("dst%d", i))
				sum := transferWrite(t, src, size, uint64(i))
				key := fmt.Sprintf("dir/obj%d", i)
				out := l.must(t, `
					local bucket, key, src, dst = ...
					local s3 = aws.client("s3")
					local cfg = `+transferConfig+`
					local up, ups, down, downs = 0, 0, 0, 0
					s3:upload_file(src, bucket, key, {Config = cfg, Callback = function(n)
						assert(type(n) == "number" and n > 0, "Callback got " .. tostring(n))
						up, ups = up + n, ups + 1
					end})
					s3:download_file(bucket, key, dst, {Config = cfg, Callback = function(n) down, downs = down + n, downs + 1 end})
					local h = s3:head_object{Bucket = bucket, Key = key}
					print(up, down, h.ContentLength, h.ETag)`, bucket, key, src, dst)
				f := transferFields(t, out, 4)
				want := strconv.FormatInt(size, 10)
				if f[0] != want || f[1] != want || f[2] != want {
					t.Errorf("size %d: Callback totals up %s, down %s; ContentLength %s", size, f[0], f[1], f[2])
				}
				if got := transferETagParts(f[3]); got != transferParts(size) {
					t.Errorf("size %d: ETag %s has %d parts, want %d", size, f[3], got, transferParts(size))
				}
				if got := transferSHA(t, dst); got != sum {
					t.Errorf("size %d: downloaded file differs from the upload", size)
				}
				if n, got := transferObjectSHA(t, c, bucket, key); n != size || got != sum {
					t.Errorf("size %d: the object holds %d bytes that differ from the file", size, n)
				}
			}
			// Nothing but the targets was left in the directory.
			entries, _ := os.ReadDir(dir)
			if len(entries) != 2*len(sizes) {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("the directory holds %q", names)
			}
		})
	}
}

// A download of an object uploaded in one piece still goes in parts of
// the Config's size, and the default Config works too.
func TestTransferDownloadConfigs(t *testing.T) {
	t.Parallel()
	for _, server := range transferServers {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			c, bucket := transferBucket(t, server)
			dir := t.TempDir()
			src := filepath.Join(dir, "src")
			size := int64(3*transferPart + 12345)
			sum := transferWrite(t, src, size, 42)
			body, err := os.Open(src)
			if err != nil {
				t.Fatal(err)
			}
			defer body.Close()
			cliCall(t, c, "put_object", map[string]any{"Bucket": bucket, "Key": "whole", "Body": body})
			l := transferLua(t, server)
			for _, cfg := range []string{transferConfig, "nil", `{max_concurrency = 1}`, `{use_threads = false}`, `{num_download_attempts = 2, max_concurrency = 3}`} {
				dst := filepath.Join(dir, "dst")
				os.Remove(dst)
				out := l.must(t, `
					local bucket, dst = ...
					local n = 0
					aws.client("s3"):download_file(bucket, "whole", dst, {Config = `+cfg+`, Callback = function(b) n = n + b end})
					print(n)`, bucket, dst)
				if out != fmt.Sprintf("%d\n", size) {
					t.Errorf("Config %s: Callback total %q, want %d", cfg, out, size)
				}
				if transferSHA(t, dst) != sum {
					t.Errorf("Config %s: the download differs", cfg)
				}
			}
		})
	}
}

// ExtraArgs reach the requests: content type and metadata come back on
// head_object, below and above the threshold, and a download's ExtraArgs
// (IfMatch) are sent.
func TestTransferExtraArgs(t *testing.T) {
	t.Parallel()
	for _, server := range transferServers {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			_, bucket := transferBucket(t, server)
			l := transferLua(t, server)
			dir := t.TempDir()
			for _, size := range []int64{10, 2*transferPart + 1} {
				src := filepath.Join(dir, "src")
				transferWrite(t, src, size, 1)
				l.expect(t, `
					local bucket, src, dst = ...
					local s3 = aws.client("s3")
					s3:upload_file(src, bucket, "k", {Config = `+transferConfig+`, ExtraArgs = {
						ContentType = "text/csv", Metadata = {owner = "ops", ["run-id"] = "42"},
						CacheControl = "max-age=60", ContentDisposition = "attachment"}})
					local h = s3:head_object{Bucket = bucket, Key = "k"}
					print(h.ContentType, h.Metadata.owner, h.Metadata["run-id"], h.CacheControl, h.ContentDisposition)
					-- a download's ExtraArgs are GetObject's
					s3:download_file(bucket, "k", dst, {ExtraArgs = {IfMatch = h.ETag}})
					local ok, err = pcall(s3.download_file, s3, bucket, "k", dst .. "2", {ExtraArgs = {IfMatch = '"0123456789abcdef0123456789abcdef"'}})
					print(ok, err.status_code)`,
					"text/csv\tops\t42\tmax-age=60\tattachment\nfalse\t412\n", bucket, src, filepath.Join(dir, "dst"))
				if _, err := os.Stat(filepath.Join(dir, "dst2")); !os.IsNotExist(err) {
					t.Errorf("the failed download left dst2: %v", err)
				}
			}
		})
	}
}

// download_file's ExtraArgs take VersionId, as the API spells it.
func TestTransferVersionId(t *testing.T) {
	t.Parallel()
	for _, server := range transferServers {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			c, bucket := transferBucket(t, server)
			cliCall(t, c, "put_bucket_versioning", map[string]any{"Bucket": bucket, "VersioningConfiguration": map[string]any{"Status": "Enabled"}})
			t.Cleanup(func() {
				out, _ := c.Call(context.Background(), "list_object_versions", map[string]any{"Bucket": bucket})
				for _, list := range []any{out["Versions"], out["DeleteMarkers"]} {
					vs, _ := list.([]any)
					for _, v := range vs {
						m := v.(map[string]any)
						c.Call(context.Background(), "delete_object", map[string]any{"Bucket": bucket, "Key": m["Key"], "VersionId": m["VersionId"]})
					}
				}
			})
			dir := t.TempDir()
			first := cliWrite(t, dir, "first", "the first version")
			second := filepath.Join(dir, "second")
			sum := transferWrite(t, second, 2*transferPart+5, 8)
			l := transferLua(t, server)
			l.expect(t, `
				local bucket, first, second, dir = ...
				local s3 = aws.client("s3")
				s3:upload_file(first, bucket, "k")
				local v1 = s3:head_object{Bucket = bucket, Key = "k"}.VersionId
				s3:upload_file(second, bucket, "k", {Config = `+transferConfig+`})
				s3:download_file(bucket, "k", dir .. "/v1", {ExtraArgs = {VersionId = v1}, Config = `+transferConfig+`})
				s3:download_file(bucket, "k", dir .. "/latest", {Config = `+transferConfig+`})
				local f = io.open(dir .. "/v1", "rb"); print(f:read("*a")); f:close()
				-- and copy from a version
				s3:copy{CopySource = {Bucket = bucket, Key = "k", VersionId = v1}, Bucket = bucket, Key = "copied"}
				print(s3:get_object{Bucket = bucket, Key = "copied"}.Body:read())`,
				"the first version\nthe first version\n", bucket, first, second, dir)
			if transferSHA(t, filepath.Join(dir, "latest")) != sum {
				t.Errorf("the latest version differs")
			}
		})
	}
}

// An unknown or mistyped ExtraArgs member, an unknown option and an
// unknown Config key are named in the error, and nothing is sent.
func TestTransferBadArguments(t *testing.T) {
	t.Parallel()
	c, bucket := transferBucket(t, "minio")
	cliCall(t, c, "put_object", map[string]any{"Bucket": bucket, "Key": "src", "Body": "x"})
	l := transferLua(t, "minio")
	file := cliWrite(t, t.TempDir(), "f", "hello")
	for _, tc := range []struct {
		call string
		want []string
	}{
		{`s3:upload_file(file, bucket, "k", {ExtraArgs = {ContentTypo = "text/plain"}})`,
			[]string{"ParamValidationError", `"ContentTypo"`, "ContentType,", "SSEKMSKeyId,"}},
		{`s3:upload_file(file, bucket, "k", {ExtraArgs = {Metadata = "not a map"}})`, []string{"ParamValidationError", "Metadata"}},
		{`s3:upload_fileobj(io.open(file, "rb"), bucket, "k", {ExtraArgs = {Bogus = 1}})`, []string{"ParamValidationError", `"Bogus"`}},
		{`s3:download_file(bucket, "src", file .. ".out", {ExtraArgs = {Bogus = 1}})`, []string{"ParamValidationError", `"Bogus"`, "VersionId"}},
		{`s3:download_file(bucket, "src", file .. ".out", {ExtraArgs = {VersionId = 7}})`, []string{"ParamValidationError", "VersionId"}},
		{`s3:copy{CopySource = {Bucket = bucket, Key = "src"}, Bucket = bucket, Key = "k", ExtraArgs = {Bogus = 1}}`, []string{"ParamValidationError", `"Bogus"`}},
		{`s3:upload_file(file, bucket, "k", {Extra = {}})`, []string{"Extra", "ExtraArgs, Callback, Config"}},
		{`s3:upload_file(file, bucket, "k", {Config = {multipart_size = 1}})`, []string{"multipart_size", "multipart_chunksize"}},
		{`s3:upload_fileobj(file, bucket, "k")`, []string{"bad argument #2", "expected a file (from io.open), got string"}},
		{`s3:download_fileobj(bucket, "src", file .. ".out")`, []string{"bad argument #4", "expected a file (from io.open), got string"}},
		{`aws.resource("s3"):Object(bucket, "k"):upload_fileobj(file)`, []string{"expected a file (from io.open)"}},
		{`s3:copy{CopySource = "nokey", Bucket = bucket, Key = "k"}`, []string{"CopySource"}},
		{`s3:copy{CopySource = {Bucket = bucket, Key = "src"}, Key = "k"}`, []string{"Bucket and Key are required"}},
		{`s3:upload_file(file .. ".missing", bucket, "k")`, []string{"no such file"}},
	} {
		// The message, and the code of a ParamValidationError.
		msg := transferLuaError(t, l, `local bucket, file = ...; local s3 = aws.client("s3")
			local ok, err = pcall(function() `+tc.call+` end)
			if type(err) == "table" then error(tostring(err.code) .. ": " .. tostring(err)) end
			error(err)`, bucket, file)
		cliHas(t, tc.call, msg, tc.want...)
	}
	if keys := transferKeys(t, c, bucket); !slices.Equal(keys, []string{"src"}) {
		t.Errorf("the bucket holds %q", keys)
	}
	if _, err := os.Stat(file + ".out"); !os.IsNotExist(err) {
		t.Errorf("a refused download made a file: %v", err)
	}
}

// The error code and status of a failed transfer are those of the request
// that failed, as a script tests them.
func TestTransferErrors(t *testing.T) {
	t.Parallel()
	_, bucket := transferBucket(t, "minio")
	l := transferLua(t, "minio")
	dir := t.TempDir()
	file := cliWrite(t, dir, "f", "hello")
	l.expect(t, `
		local bucket, file, dir = ...
		local s3 = aws.client("s3")
		local ok, err = pcall(s3.upload_file, s3, file, bucket .. "-missing", "k")
		print(ok, err.code)
		ok, err = pcall(s3.download_file, s3, bucket, "missing", dir .. "/out")
		print(ok, err.status_code, tostring(err):find("missing", 1, true) ~= nil)`,
		"false\tNoSuchBucket\nfalse\t404\ttrue\n", bucket, file, dir)
}

// ---- the fileobj forms ----

// upload_fileobj and download_fileobj take io.open handles, read from and
// write at the handle's position as boto3 does with a file object, and
// leave the position after what they moved.
func TestTransferFileobj(t *testing.T) {
	t.Parallel()
	for _, server := range transferServers {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			c, bucket := transferBucket(t, server)
			l := transferLua(t, server)
			dir := t.TempDir()
			for i, size := range []int64{0, 3000, 2*transferPart + 3} {
				src := filepath.Join(dir, fmt.Sprintf("src%d", i))
				dst := filepath.Join(dir, fmt.Sprintf("dst%d", i))
				sum := transferWrite(t, src, size, uint64(10+i))
				out := l.must(t, `
					local bucket, src, dst = ...
					local s3 = aws.client("s3")
					local cfg = `+transferConfig+`
					local up, down = 0, 0
					local f = assert(io.open(src, "rb"))
					s3:upload_fileobj(f, bucket, "obj", {Config = cfg, Callback = function(n) up = up + n end})
					f:close()
					local g = assert(io.open(dst, "wb"))
					s3:download_fileobj(bucket, "obj", g, {Config = cfg, Callback = function(n) down = down + n end})
					g:close()
					print(up, down)`, bucket, src, dst)
				if want := fmt.Sprintf("%d\t%d\n", size, size); out != want {
					t.Errorf("size %d: Callback totals %q, want %q", size, out, want)
				}
				if transferSHA(t, dst) != sum {
					t.Errorf("size %d: download_fileobj wrote other bytes", size)
				}
				if n, got := transferObjectSHA(t, c, bucket, "obj"); n != size || got != sum {
					t.Errorf("size %d: upload_fileobj stored %d other bytes", size, n)
				}
			}

			// Positions: the upload starts where the script's reading
			// stopped; the download writes where the script's writing
			// stopped, and the script writes on after it.
			data := []byte("header line\n" + strings.Repeat("0123456789abcdef", 700))
			src := cliWrite(t, dir, "lines", string(data))
			dst := filepath.Join(dir, "framed")
			l.expect(t, `
				local bucket, src, dst = ...
				local s3 = aws.client("s3")
				local f = assert(io.open(src, "rb"))
				print(f:read("*l"))
				s3:upload_fileobj(f, bucket, "rest")
				print(f:read("*a") == "")
				f:close()
				local g = assert(io.open(dst, "wb"))
				g:write("BEGIN\n")
				s3:download_fileobj(bucket, "rest", g)
				g:write("\nEND\n")
				g:close()`, "header line\ntrue\n", bucket, src, dst)
			rest := data[len("header line\n"):]
			if n, got := transferObjectSHA(t, c, bucket, "rest"); n != int64(len(rest)) || got != transferBytesSHA(rest) {
				t.Errorf("upload_fileobj after a read stored %d bytes, want the %d after the first line", n, len(rest))
			}
			got, _ := os.ReadFile(dst)
			if want := "BEGIN\n" + string(rest) + "\nEND\n"; string(got) != want {
				t.Errorf("download_fileobj between writes made %d bytes starting %q, want %d", len(got), got[:min(len(got), 20)], len(want))
			}
		})
	}
}

// upload_fileobj reads a pipe (io.stdin, a FIFO) to its end, and
// download_fileobj writes to one in order.
func TestTransferFileobjPipes(t *testing.T) {
	t.Parallel()
	c, bucket := transferBucket(t, "minio")
	l := transferLua(t, "minio")
	dir := t.TempDir()
	size := int64(2*transferPart + 99)
	src := filepath.Join(dir, "src")
	sum := transferWrite(t, src, size, 77)

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		f, _ := os.Open(src)
		io.Copy(w, f)
		f.Close()
		w.Close()
	}()
	defer r.Close()
	fifo := fmt.Sprintf("/dev/fd/%d", r.Fd())
	l.expect(t, `
		local bucket, path = ...
		local f = assert(io.open(path, "rb"))
		local n = 0
		aws.client("s3"):upload_fileobj(f, bucket, "piped", {Config = `+transferConfig+`, Callback = function(b) n = n + b end})
		f:close()
		print(n)`, fmt.Sprintf("%d\n", size), bucket, fifo)
	if n, got := transferObjectSHA(t, c, bucket, "piped"); n != size || got != sum {
		t.Errorf("upload_fileobj from a pipe stored %d other bytes", n)
	}

	r2, w2, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	h := sha256.New()
	copied := make(chan int64)
	go func() {
		n, _ := io.Copy(h, r2)
		copied <- n
	}()
	l.must(t, `
		local bucket, path = ...
		local g = assert(io.open(path, "wb"))
		aws.client("s3"):download_fileobj(bucket, "piped", g, {Config = `+transferConfig+`})
		g:close()`, bucket, fmt.Sprintf("/dev/fd/%d", w2.Fd()))
	w2.Close()
	if n := <-copied; n != size || hex.EncodeToString(h.Sum(nil)) != sum {
		t.Errorf("download_fileobj to a pipe wrote %d other bytes", n)
	}

	// A file opened for appending gets the object at its end.
	app := cliWrite(t, dir, "append", "before\n")
	l.must(t, `
		local bucket, path = ...
		local g = assert(io.open(path, "ab"))
		aws.client("s3"):download_fileobj(bucket, "piped", g)
		g:write("after\n")
		g:close()`, bucket, app)
	got, _ := os.ReadFile(app)
	srcData, _ := os.ReadFile(src)
	if want := "before\n" + string(srcData) + "after\n"; string(got) != want {
		t.Errorf("download_fileobj to an appending file made %d bytes, want %d", len(got), len(want))
	}
}

// ---- resources ----

// The transfer methods on Bucket and Object resources, as boto3 binds
// them, and an Object's attributes after it changed.
func TestTransferResources(t *testing.T) {
	t.Parallel()
	for _, server := range transferServers {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			c, bucket := transferBucket(t, server)
			l := transferLua(t, server)
			dir := t.TempDir()
			small := filepath.Join(dir, "small")
			smallSum := transferWrite(t, small, 4321, 5)
			big := filepath.Join(dir, "big")
			bigSum := transferWrite(t, big, 2*transferPart+17, 6)
			l.expect(t, `
				local bucket, small, big, dir = ...
				local s3 = aws.resource("s3")
				local cfg = `+transferConfig+`
				local b = s3:Bucket(bucket)
				b:upload_file(small, "b/small", {ExtraArgs = {ContentType = "text/x-small"}})
				b:upload_file(big, "b/big", {Config = cfg})
				b:download_file("b/small", dir .. "/b-small")
				b:download_file("b/big", dir .. "/b-big", {Config = cfg})
				local f = assert(io.open(small, "rb"))
				b:upload_fileobj(f, "b/fileobj")
				f:close()
				local g = assert(io.open(dir .. "/b-fileobj", "wb"))
				b:download_fileobj("b/fileobj", g)
				g:close()

				local o = s3:Object(bucket, "o/obj")
				o:upload_file(small)
				print(o.content_length)
				local n = 0
				o:upload_file(big, {Config = cfg, Callback = function(b) n = n + b end})
				print(o.content_length == n, o.e_tag:match("%-(%d+)\"$"))  -- reloaded
				o:download_file(dir .. "/o-obj", {Config = cfg})
				local f = assert(io.open(small, "rb"))
				b:Object("o/fileobj"):upload_fileobj(f, {ExtraArgs = {Metadata = {k = "v"}}})
				f:close()
				local g = assert(io.open(dir .. "/o-fileobj", "wb"))
				s3:Object(bucket, "o/fileobj"):download_fileobj(g)
				g:close()
				print(s3:Object(bucket, "o/fileobj").metadata.k)
				print(s3:Object(bucket, "b/small").content_type)`,
				"4321\ntrue\t3\nv\ntext/x-small\n", bucket, small, big, dir)
			for name, sum := range map[string]string{"b-small": smallSum, "b-big": bigSum, "b-fileobj": smallSum, "o-obj": bigSum, "o-fileobj": smallSum} {
				if transferSHA(t, filepath.Join(dir, name)) != sum {
					t.Errorf("%s differs from what was uploaded", name)
				}
			}
			want := []string{"b/big", "b/fileobj", "b/small", "o/fileobj", "o/obj"}
			if keys := transferKeys(t, c, bucket); !slices.Equal(keys, want) {
				t.Errorf("the bucket holds %q, want %q", keys, want)
			}
		})
	}
}

// ---- copy ----

// copy below the threshold (CopyObject) and above it (UploadPartCopy),
// from the client and the resources, with the bytes, content type and
// metadata checked and Callback adding up to the size.
func TestTransferCopy(t *testing.T) {
	t.Parallel()
	c, bucket := transferBucket(t, "minio")
	_, other := transferBucket(t, "minio")
	l := transferLua(t, "minio")
	dir := t.TempDir()
	sums := map[string]string{}
	sizes := map[string]int64{"small": 1234, "exact": 2 * transferPart, "big": 3*transferPart + 4567}
	for name, size := range sizes {
		path := filepath.Join(dir, name)
		sums[name] = transferWrite(t, path, size, uint64(size))
		l.must(t, `
			local bucket, path, key = ...
			aws.client("s3"):upload_file(path, bucket, key, {Config = `+transferConfig+`,
				ExtraArgs = {ContentType = "application/x-" .. key, Metadata = {name = key}}})`, bucket, path, name)
	}
	out := l.must(t, `
		local bucket, other = ...
		local s3 = aws.client("s3")
		local cfg = `+transferConfig+`
		for _, name in ipairs{"small", "exact", "big"} do
			local n = 0
			s3:copy{CopySource = {Bucket = bucket, Key = name}, Bucket = other, Key = "copy/" .. name,
				Config = cfg, Callback = function(b) n = n + b end}
			local h = s3:head_object{Bucket = other, Key = "copy/" .. name}
			print(name, n, h.ContentLength, h.ContentType, h.Metadata.name, h.ETag)
		end
		-- a "bucket/key" string, ExtraArgs, the resources
		s3:copy{CopySource = bucket .. "/big", Bucket = other, Key = "str/big", ExtraArgs = {ContentType = "text/replaced"}, Config = cfg}
		print(s3:head_object{Bucket = other, Key = "str/big"}.ContentType)
		-- CopyObject's members whichever way the copy goes
		local line = ""
		for _, name in ipairs{"small", "big"} do
			s3:copy{CopySource = {Bucket = bucket, Key = name}, Bucket = other, Key = "replaced/" .. name, Config = cfg,
				ExtraArgs = {MetadataDirective = "REPLACE", Metadata = {new = "yes"}, ContentType = "text/new",
					CopySourceIfMatch = s3:head_object{Bucket = bucket, Key = name}.ETag}}
			local h = s3:head_object{Bucket = other, Key = "replaced/" .. name}
			line = line .. name .. " " .. h.ContentType .. " " .. tostring(h.Metadata.new) .. " " .. tostring(h.Metadata.name) .. "; "
			local ok, err = pcall(s3.copy, s3, {CopySource = {Bucket = bucket, Key = name}, Bucket = other, Key = "never", Config = cfg,
				ExtraArgs = {CopySourceIfMatch = '"0123456789abcdef0123456789abcdef"'}})
			line = line .. tostring(ok) .. " " .. tostring(err.status_code) .. "; "
		end
		print(line)
		local r = aws.resource("s3")
		r:Bucket(other):copy({Bucket = bucket, Key = "small"}, "res/bucket-small")
		r:Object(other, "res/object-big"):copy({Bucket = bucket, Key = "big"}, {Config = cfg})
		print(r:Object(other, "res/object-big").content_length)`, bucket, other)
	lines := cliLines(out)
	if len(lines) != 6 {
		t.Fatalf("printed:\n%s", out)
	}
	for i, name := range []string{"small", "exact", "big"} {
		f := strings.Split(lines[i], "\t")
		size := strconv.FormatInt(sizes[name], 10)
		if f[0] != name || f[1] != size || f[2] != size || f[3] != "application/x-"+name || f[4] != name {
			t.Errorf("copy of %s: %q", name, lines[i])
		}
		if got, want := transferETagParts(f[5]), transferParts(sizes[name]); got != want {
			t.Errorf("copy of %s: ETag %s has %d parts, want %d", name, f[5], got, want)
		}
	}
	if lines[3] != "text/replaced" || lines[5] != strconv.FormatInt(sizes["big"], 10) ||
		lines[4] != "small text/new yes nil; false 412; big text/new yes nil; false 412; " {
		t.Errorf("printed:\n%s", out)
	}
	for key, name := range map[string]string{"copy/small": "small", "copy/exact": "exact", "copy/big": "big", "str/big": "big", "res/bucket-small": "small", "res/object-big": "big"} {
		if n, sum := transferObjectSHA(t, c, other, key); n != sizes[name] || sum != sums[name] {
			t.Errorf("%s holds %d bytes other than %s's", key, n, name)
		}
	}
	if ups := transferUploads(t, c, other); len(ups) != 0 {
		t.Errorf("multipart uploads left behind: %q", ups)
	}
	// A copy of a missing object fails, and leaves nothing.
	msg := transferLuaError(t, l, `local bucket, other = ...
		aws.client("s3"):copy{CopySource = {Bucket = bucket, Key = "missing"}, Bucket = other, Key = "never"}`, bucket, other)
	cliHas(t, "copy of a missing object", msg, "missing")
	if keys := transferKeys(t, c, other); slices.Contains(keys, "never") {
		t.Errorf("a failed copy made an object")
	}
}

// ---- failures ----

// transferGate is a body that gives limit bytes and then blocks until its
// context is done.
type transferGate struct {
	ctx   context.Context
	r     io.Reader
	limit int64
	read  int64
}

func (g *transferGate) Read(p []byte) (int, error) {
	if g.read >= g.limit {
		<-g.ctx.Done()
		return 0, g.ctx.Err()
	}
	p = p[:min(int64(len(p)), g.limit-g.read)]
	n, err := g.r.Read(p)
	g.read += int64(n)
	return n, err
}

// An upload cancelled after its first part went up aborts its multipart
// upload: no upload is left in progress and no object exists. So does a
// multipart copy, and a Lua transfer whose script is cancelled.
func TestTransferCancel(t *testing.T) {
	t.Parallel()
	for _, server := range transferServers {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			c, bucket := transferBucket(t, server)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			body := &transferGate{ctx: ctx, r: rand.NewChaCha8([32]byte{1}), limit: 3 * transferPart}
			o := transfer.Options{Config: transfer.Config{MultipartThreshold: transferPart, MultipartChunksize: transferPart, MaxConcurrency: 2}, Progress: &transfer.Progress{}}
			done := make(chan error, 1)
			go func() { done <- transfer.Upload(ctx, c, body, bucket, "cancelled", o) }()
			// Wait until a part is up, so that the multipart upload exists.
			deadline := time.Now().Add(30 * time.Second)
			for o.Progress.Done.Load() == 0 && time.Now().Before(deadline) {
				select {
				case err := <-done:
					t.Fatalf("upload ended before it was cancelled: %v", err)
				case <-time.After(5 * time.Millisecond):
				}
			}
			if len(transferUploads(t, c, bucket)) != 1 {
				t.Errorf("no multipart upload in progress before the cancel")
			}
			cancel()
			err := <-done
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Upload returned %v, want context.Canceled", err)
			}
			if ups := transferUploads(t, c, bucket); len(ups) != 0 {
				t.Errorf("multipart uploads left behind: %q", ups)
			}
			if keys := transferKeys(t, c, bucket); len(keys) != 0 {
				t.Errorf("the bucket holds %q", keys)
			}

			// UploadFile with a context cancelled before it starts.
			file := filepath.Join(t.TempDir(), "f")
			transferWrite(t, file, 2*transferPart, 3)
			if err := transfer.UploadFile(ctx, c, file, bucket, "never", o); !errors.Is(err, context.Canceled) {
				t.Errorf("UploadFile with a cancelled context: %v", err)
			}
			if ups := transferUploads(t, c, bucket); len(ups) != 0 {
				t.Errorf("multipart uploads left behind: %q", ups)
			}
		})
	}
}

// A Lua upload stopped by its script's context or by an error in its
// Callback, once a part is up, leaves no multipart upload and no object.
func TestTransferLuaCancel(t *testing.T) {
	t.Parallel()
	c, bucket := transferBucket(t, "minio")
	file := filepath.Join(t.TempDir(), "f")
	transferWrite(t, file, 8*transferPart, 9)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The first Callback comes after a part is up: the multipart upload
	// exists, and seven parts, one at a time, are still to go.
	l := newLua(t, "minio", bindings.Options{Libs: bindings.AllLibs, Globals: map[string]any{"cancel": cancel}})
	cfg := `{multipart_threshold = 5242880, multipart_chunksize = 5242880, max_concurrency = 1}`
	_, err := l.runCtx(ctx, `local bucket, file = ...
		aws.client("s3"):upload_file(file, bucket, "cancelled", {Config = `+cfg+`, Callback = function(n) cancel() end})`, bucket, file)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled upload_file: %v", err)
	}
	msg := transferLuaError(t, l, `local bucket, file = ...
		aws.client("s3"):upload_file(file, bucket, "stopped", {Config = `+cfg+`, Callback = function(n) error("enough") end})`, bucket, file)
	cliHas(t, "an error in Callback", msg, "transfer Callback", "enough")
	if ups := transferUploads(t, c, bucket); len(ups) != 0 {
		t.Errorf("multipart uploads left behind: %q", ups)
	}
	if keys := transferKeys(t, c, bucket); len(keys) != 0 {
		t.Errorf("the bucket holds %q", keys)
	}
	// The runtime works on.
	l.expect(t, `print(1 + 1)`, "2\n")
}

// Ctrl-C (SIGINT) stops the command line's upload_file cleanly: the
// multipart upload is aborted and no object appears.
func TestTransferCLIInterrupt(t *testing.T) {
	t.Parallel()
	c, bucket := transferBucket(t, "minio")
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	transferWrite(t, file, 16*transferPart, 4)
	script := cliWrite(t, dir, "up.lua", `local bucket, file = ...
		aws.client("s3"):upload_file(file, bucket, "interrupted", {
			Config = {multipart_threshold = 5242880, multipart_chunksize = 5242880, max_concurrency = 1},
			Callback = function(n) io.stdout:write("moved ", n, "\n"); io.stdout:flush() end})
		print("finished")`)
	cmd := exec.Command(cliBinary(t), script, bucket, file)
	cmd.Env = testenv.Env(t, "minio")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if !strings.HasPrefix(line, "moved ") {
		t.Fatalf("the script printed %q first", line)
	}
	cmd.Process.Signal(os.Interrupt)
	rest, _ := io.ReadAll(stdout)
	err = cmd.Wait()
	if err == nil || strings.Contains(string(rest), "finished") {
		t.Fatalf("the upload was not stopped: %v\n%s%s", err, line, rest)
	}
	if ups := transferUploads(t, c, bucket); len(ups) != 0 {
		t.Errorf("multipart uploads left behind: %q\nstderr: %s", ups, stderr.String())
	}
	if keys := transferKeys(t, c, bucket); len(keys) != 0 {
		t.Errorf("the bucket holds %q", keys)
	}
}

// A download to a path in a missing directory fails clearly and creates
// nothing; a failed download (a missing key) leaves nothing under the
// target's name, and an existing file there unchanged.
func TestTransferDownloadFailures(t *testing.T) {
	t.Parallel()
	for _, server := range transferServers {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			c, bucket := transferBucket(t, server)
			cliCall(t, c, "put_object", map[string]any{"Bucket": bucket, "Key": "k", "Body": "hello"})
			l := transferLua(t, server)
			dir := t.TempDir()
			missing := filepath.Join(dir, "no", "such", "dir", "out")
			msg := transferLuaError(t, l, `local bucket, path = ...
				aws.client("s3"):download_file(bucket, "k", path)`, bucket, missing)
			cliHas(t, "a download into a missing directory", msg, filepath.Dir(missing), "does not exist")
			if _, err := os.Stat(filepath.Join(dir, "no")); !os.IsNotExist(err) {
				t.Errorf("the download made %s: %v", filepath.Join(dir, "no"), err)
			}

			target := filepath.Join(dir, "out")
			msg = transferLuaError(t, l, `local bucket, path = ...
				aws.client("s3"):download_file(bucket, "missing", path)`, bucket, target)
			cliHas(t, "a download of a missing key", msg, "NoSuchKey", "missing")
			existing := cliWrite(t, dir, "existing", "keep me")
			transferLuaError(t, l, `local bucket, path = ...
				aws.client("s3"):download_file(bucket, "missing", path)`, bucket, existing)
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 || entries[0].Name() != "existing" {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("after failed downloads the directory holds %q, want only \"existing\"", names)
			}
			if b, _ := os.ReadFile(existing); string(b) != "keep me" {
				t.Errorf("a failed download changed an existing file: %q", b)
			}
			// A download onto an existing file replaces it, with the mode
			// a new file gets.
			l.must(t, `local bucket, path = ...
				aws.client("s3"):download_file(bucket, "k", path)
				aws.client("s3"):download_file(bucket, "k", path .. ".new")`, bucket, existing)
			if b, _ := os.ReadFile(existing); string(b) != "hello" {
				t.Errorf("the download left %q", b)
			}
			if st, err := os.Stat(existing + ".new"); err != nil {
				t.Error(err)
			} else if want := 0o666 &^ transferUmask(); st.Mode().Perm() != want {
				t.Errorf("a downloaded file has mode %v, want %v", st.Mode().Perm(), want)
			}
		})
	}
}

// transferUmask returns the process's umask, as the mode of a new file
// shows it.
func transferUmask() os.FileMode {
	f, err := os.CreateTemp("", "umask")
	if err != nil {
		return 0
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	g, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
	if err != nil {
		return 0
	}
	g.Close()
	defer os.Remove(name)
	st, err := os.Stat(name)
	if err != nil {
		return 0
	}
	return 0o666 &^ st.Mode().Perm()
}

// ---- memory ----

// transferHeap samples the Go heap (live and not yet swept objects) until
// stop is called, and returns the peak.
func transferHeap() (stop func() uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	sample := func() {
		metrics.Read(s)
		if v := s[0].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			sample()
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		sample()
		return peak.Load()
	}
}

// Moving a 200 MiB file keeps the heap bounded by part size × concurrency
// (8 MiB × 10 by default), far under the file's size. Not parallel, so
// that the heap is this test's alone.
func TestTransferMemory(t *testing.T) {
	c, bucket := transferBucket(t, "minio")
	dir := t.TempDir()
	src := filepath.Join(dir, "big")
	const size = 200 * transferMiB
	f, err := os.Create(src)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse, and for variety a few non-zero stretches.
	for off := int64(0); off < size; off += 37 * transferMiB {
		f.WriteAt([]byte(strings.Repeat("data", 1000)), off)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	sum := transferSHA(t, src)
	l := transferLua(t, "minio")
	small := `{multipart_threshold = 5242880, multipart_chunksize = 5242880, max_concurrency = 4}`
	for _, step := range []struct {
		name, src string
		limit     uint64 // MiB
	}{
		// The default Config: 8 MiB × 10 parts in memory.
		{"upload_file", `local bucket, src, dst = ...; aws.client("s3"):upload_file(src, bucket, "big")`, 150},
		{"download_file", `local bucket, src, dst = ...; aws.client("s3"):download_file(bucket, "big", dst)`, 150},
		// 5 MiB × 4: the bound follows the Config.
		{"upload_file 5 MiB × 4", `local bucket, src, dst = ...; aws.client("s3"):upload_file(src, bucket, "big", {Config = ` + small + `})`, 70},
	} {
		// What the transfer adds to the heap: the process holds the
		// models and clients of the tests before it too.
		runtime.GC()
		base := transferHeap()()
		stop := transferHeap()
		start := time.Now()
		l.must(t, step.src, bucket, src, filepath.Join(dir, "out"))
		peak := stop()
		peak -= min(base, peak)
		t.Logf("%s of 200 MiB: %v, peak heap over the baseline %.1f MiB", step.name, time.Since(start).Round(time.Millisecond), float64(peak)/transferMiB)
		if peak > step.limit*transferMiB {
			t.Errorf("%s of 200 MiB: the heap reached %.1f MiB, over %d MiB", step.name, float64(peak)/transferMiB, step.limit)
		}
	}
	if transferSHA(t, filepath.Join(dir, "out")) != sum {
		t.Errorf("the download differs from the upload")
	}
	if n, _ := transferObjectSHA(t, c, bucket, "big"); n != size {
		t.Errorf("the object has %d bytes", n)
	}
}

// ---- scripts/s3_sync.lua ----

// The sync script through the built binary against MinIO: the first run
// uploads everything, the second nothing, a changed file goes again,
// --delete removes the object of a deleted file, and --dry-run changes
// nothing.
func TestTransferSyncScript(t *testing.T) {
	t.Parallel()
	c, bucket := transferBucket(t, "minio")
	script := cliScriptPath(t, "s3_sync.lua")
	env := testenv.Env(t, "minio")
	dir := t.TempDir()
	cliWrite(t, dir, "a.txt", "alpha\n")
	cliWrite(t, dir, "sub/b.txt", "bravo\n")
	cliWrite(t, dir, "empty", "")
	transferWrite(t, filepath.Join(dir, "sub/deep/exact.bin"), 8*transferMiB, 1) // exactly one part of the script's 8 MiB
	transferWrite(t, filepath.Join(dir, "big.bin"), 9*transferMiB, 2)            // two parts
	target := "s3://" + bucket + "/backup"
	sync := func(args ...string) string {
		t.Helper()
		return cliCmd{env: env}.run(t, append([]string{script, dir, target}, args...)...).want(t, 0).stdout
	}
	objects := func() map[string]string {
		t.Helper()
		m := map[string]string{}
		for _, k := range transferKeys(t, c, bucket) {
			_, sum := transferObjectSHA(t, c, bucket, k)
			m[k] = sum
		}
		return m
	}
	local := func() map[string]string {
		t.Helper()
		m := map[string]string{}
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				rel, _ := filepath.Rel(dir, path)
				m["backup/"+filepath.ToSlash(rel)] = transferSHA(t, path)
			}
			return err
		})
		return m
	}
	same := func(what string, got, want map[string]string) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: the bucket holds\n%v\nwant\n%v", what, got, want)
		}
	}

	out := sync()
	total := 6 + 6 + 0 + 8*transferMiB + 9*transferMiB
	cliHas(t, "first sync", out, "uploaded a.txt -> "+target+"/a.txt\n", "uploaded sub/deep/exact.bin -> ",
		fmt.Sprintf("uploaded 5 files (%d bytes), 0 unchanged\n", total))
	same("after the first sync", objects(), local())

	if out := sync(); out != "uploaded 0 files (0 bytes), 5 unchanged\n" {
		t.Errorf("second sync printed:\n%s", out)
	}

	// The same size, other bytes: the ETag tells.
	cliWrite(t, dir, "a.txt", "ALPHA\n")
	if out := sync(); out != "uploaded a.txt -> "+target+"/a.txt\nuploaded 1 files (6 bytes), 4 unchanged\n" {
		t.Errorf("sync after a change printed:\n%s", out)
	}
	same("after a change", objects(), local())

	// --dry-run changes nothing, with and without --delete.
	before := objects()
	os.Remove(filepath.Join(dir, "sub/b.txt"))
	cliWrite(t, dir, "new.txt", "new\n")
	out = sync("--dry-run", "--delete")
	cliHas(t, "dry run", out, "would upload new.txt -> "+target+"/new.txt\n", "would delete "+target+"/sub/b.txt\n",
		"would upload 1 files (4 bytes), 4 unchanged, 1 to delete\n")
	same("after a dry run", objects(), before)
	out = sync("--dry-run")
	cliHas(t, "dry run", out, "would upload 1 files (4 bytes), 4 unchanged\n")
	same("after a dry run", objects(), before)

	// Without --delete the object of a deleted file stays; with it, it goes.
	sync()
	if _, ok := objects()["backup/sub/b.txt"]; !ok {
		t.Errorf("a sync without --delete deleted backup/sub/b.txt")
	}
	out = sync("--delete")
	if out != "deleted "+target+"/sub/b.txt\nuploaded 0 files (0 bytes), 5 unchanged, 1 deleted\n" {
		t.Errorf("sync --delete printed:\n%s", out)
	}
	same("after --delete", objects(), local())

	// Bad arguments print the usage.
	r := cliCmd{env: env}.run(t, script, dir)
	if r.code != 2 || !strings.Contains(r.stderr, "usage: s3_sync.lua") {
		t.Errorf("without a target: %s", r)
	}
}
