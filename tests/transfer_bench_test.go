package tests

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	tm "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
)

// transferBenchSize is the file the benchmark moves.
const transferBenchSize = 1 << 30

// transferBenchPython times boto3's upload_file and download_file, each
// with boto3's default TransferConfig, and prints the seconds of each.
const transferBenchPython = `
import sys, time, boto3
endpoint, bucket, src, dst = sys.argv[1:5]
s3 = boto3.client("s3", endpoint_url=endpoint)
t = time.perf_counter()
s3.upload_file(src, bucket, "boto3")
up = time.perf_counter() - t
t = time.perf_counter()
s3.download_file(bucket, "boto3", dst)
down = time.perf_counter() - t
print(up, down)
`

// BenchmarkTransfer1GiB uploads and downloads a 1 GiB file on MinIO three
// ways in one run: awslua (a Lua script through bindings, the default
// TransferConfig), boto3 (python3 with its default TransferConfig, as a
// subprocess) and plain aws-sdk-go-v2 (transfermanager with its defaults).
// It reports MB/s (10^6 bytes a second) of each, the ratios awslua/boto3
// (goal ≥ 1.5) and awslua/Go (goal ≥ 0.9), and the awslua side's peak Go
// heap and peak RSS, and that of the awslua command doing the same (goal
// under 200 MiB). Each side runs twice and its best round counts. It
// checks the downloads' bytes, and never fails on speed. Run it with:
//
//	tests/servers.sh start && . tests/.servers/env &&
//	go test ./tests/ -run '^$' -bench BenchmarkTransfer1GiB -benchtime 1x -timeout 30m -v
func BenchmarkTransfer1GiB(b *testing.B) {
	endpoint := testenv.URL(b, "minio")
	python, err := exec.LookPath("python3")
	if err != nil {
		b.Skip("no python3 for the boto3 side")
	}
	ctx := context.Background()
	sess := testenv.Session(b, "minio")
	c, err := sess.Client("s3")
	if err != nil {
		b.Fatal(err)
	}
	bucket := testenv.Name("awslua-xfer-bench")
	if _, err := c.Call(ctx, "create_bucket", map[string]any{"Bucket": bucket}); err != nil {
		b.Fatal(err)
	}
	remove := func(key string) {
		c.Call(ctx, "delete_object", map[string]any{"Bucket": bucket, "Key": key})
	}
	b.Cleanup(func() {
		for _, k := range []string{"awslua", "boto3", "go"} {
			remove(k)
		}
		c.Call(ctx, "delete_bucket", map[string]any{"Bucket": bucket})
	})

	dir := b.TempDir()
	src := filepath.Join(dir, "src")
	sum := transferWrite(b, src, transferBenchSize, 2026)
	// On disk before anything is timed, so that no side pays for its
	// write-back.
	if f, err := os.Open(src); err == nil {
		f.Sync()
		f.Close()
	}
	check := func(who, dst string) {
		if transferSHA(b, dst) != sum {
			b.Errorf("%s downloaded other bytes", who)
		}
		os.Remove(dst)
	}
	type result struct{ up, down time.Duration }

	// awslua: the default TransferConfig, as a script would call it.
	rt, err := bindings.New(bindings.Options{Session: sess, Libs: bindings.AllLibs})
	if err != nil {
		b.Fatal(err)
	}
	defer rt.Close()
	lua := func(script string) time.Duration {
		start := time.Now()
		if err := rt.DoString(ctx, script, "bench.lua", bucket, src, filepath.Join(dir, "awslua")); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	var heap uint64
	var rss int64
	runAwslua := func() (r result) {
		// What the other sides left is collected and handed back to the
		// system first, so that the peaks are this side's.
		debug.FreeOSMemory()
		transferClearPeakRSS()
		stopHeap := transferHeap()
		r.up = lua(`local bucket, src, dst = ...; aws.client("s3"):upload_file(src, bucket, "awslua")`)
		r.down = lua(`local bucket, src, dst = ...; aws.client("s3"):download_file(bucket, "awslua", dst)`)
		heap, rss = max(heap, stopHeap()), max(rss, transferPeakRSS())
		check("awslua", filepath.Join(dir, "awslua"))
		remove("awslua")
		return r
	}

	// boto3, with its defaults; under GNU time for its peak RSS where
	// there is one (the rusage of a child that Go starts counts the
	// parent's memory, which the child shares until it execs).
	var boto3RSS int64
	runBoto3 := func() (r result) {
		args := []string{python, "-c", transferBenchPython, endpoint, bucket, src, filepath.Join(dir, "boto3")}
		rssFile := filepath.Join(dir, "boto3.rss")
		if _, err := os.Stat("/usr/bin/time"); err == nil {
			args = append([]string{"/usr/bin/time", "-f", "%M", "-o", rssFile}, args...)
		}
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = testenv.Env(b, "minio")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("boto3: %v\n%s", err, stderr.String())
		}
		secs := strings.Fields(string(out))
		if len(secs) != 2 {
			b.Fatalf("boto3 printed %q", out)
		}
		for i, d := range []*time.Duration{&r.up, &r.down} {
			f, err := strconv.ParseFloat(secs[i], 64)
			if err != nil {
				b.Fatalf("boto3 printed %q", out)
			}
			*d = time.Duration(f * float64(time.Second))
		}
		if kb, err := os.ReadFile(rssFile); err == nil {
			n, _ := strconv.ParseInt(strings.TrimSpace(string(kb)), 10, 64)
			boto3RSS = max(boto3RSS, n<<10)
		}
		check("boto3", filepath.Join(dir, "boto3"))
		remove("boto3")
		return r
	}

	// Plain aws-sdk-go-v2: transfermanager with its defaults.
	api := s3.NewFromConfig(aws.Config{
		Region:       testenv.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(testenv.AccessKey, testenv.SecretKey, ""),
		BaseEndpoint: aws.String(endpoint),
	}, func(o *s3.Options) { o.UsePathStyle = true })
	mgr := tm.New(api)
	runGo := func() (r result) {
		f, err := os.Open(src)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		_, err = mgr.UploadObject(ctx, &tm.UploadObjectInput{Bucket: &bucket, Key: aws.String("go"), Body: f})
		r.up = time.Since(start)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		dst, err := os.Create(filepath.Join(dir, "go"))
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		_, err = mgr.DownloadObject(ctx, &tm.DownloadObjectInput{Bucket: &bucket, Key: aws.String("go"), WriterAt: dst})
		r.down = time.Since(start)
		dst.Close()
		if err != nil {
			b.Fatal(err)
		}
		check("go", filepath.Join(dir, "go"))
		remove("go")
		return r
	}

	// The command line, once, for the peak RSS of a process that does
	// nothing else, where GNU time can tell.
	var cliRSS int64
	var cli result
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		bin := cliBinary(b)
		for i, script := range []string{
			`local bucket, src, dst = ...; aws.client("s3"):upload_file(src, bucket, "awslua")`,
			`local bucket, src, dst = ...; aws.client("s3"):download_file(bucket, "awslua", dst)`,
		} {
			rssFile := filepath.Join(dir, "cli.rss")
			cmd := exec.Command("/usr/bin/time", "-f", "%M", "-o", rssFile, bin, "-e", script, bucket, src, filepath.Join(dir, "cli"))
			cmd.Env = testenv.Env(b, "minio")
			start := time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("awslua: %v\n%s", err, out)
			}
			*[]*time.Duration{&cli.up, &cli.down}[i] = time.Since(start)
			if kb, err := os.ReadFile(rssFile); err == nil {
				n, _ := strconv.ParseInt(strings.TrimSpace(string(kb)), 10, 64)
				cliRSS = max(cliRSS, n<<10)
			}
		}
		check("the awslua command", filepath.Join(dir, "cli"))
		remove("awslua")
	}

	// Two rounds, in the order awslua, boto3, Go and back, so that no side
	// always goes first; each side's best round counts.
	runs := map[string]func() result{"awslua": runAwslua, "boto3": runBoto3, "go": runGo}
	results := map[string]result{}
	for _, who := range []string{"awslua", "boto3", "go", "go", "boto3", "awslua"} {
		r := runs[who]()
		b.Logf("%-7s upload %v, download %v", who, r.up.Round(time.Millisecond), r.down.Round(time.Millisecond))
		best, ok := results[who]
		if !ok || r.up < best.up {
			best.up = r.up
		}
		if !ok || r.down < best.down {
			best.down = r.down
		}
		results[who] = best
	}

	mbps := func(d time.Duration) float64 { return transferBenchSize / 1e6 / d.Seconds() }
	var table strings.Builder
	fmt.Fprintf(&table, "1 GiB on MinIO (%d CPUs), best of 2 rounds:\n", runtime.NumCPU())
	for _, who := range []string{"awslua", "boto3", "go"} {
		r := results[who]
		fmt.Fprintf(&table, "  %-7s upload %7.1f MB/s (%v)  download %7.1f MB/s (%v)\n", who,
			mbps(r.up), r.up.Round(time.Millisecond), mbps(r.down), r.down.Round(time.Millisecond))
		b.ReportMetric(mbps(r.up), who+"-up-MB/s")
		b.ReportMetric(mbps(r.down), who+"-down-MB/s")
	}
	ratio := func(who, dir string) float64 {
		if dir == "up" {
			return results[who].up.Seconds() / results["awslua"].up.Seconds()
		}
		return results[who].down.Seconds() / results["awslua"].down.Seconds()
	}
	for _, who := range []string{"boto3", "go"} {
		for _, d := range []string{"up", "down"} {
			fmt.Fprintf(&table, "  awslua/%s %s: %.2f (goal ≥ %s)\n", who, d, ratio(who, d), map[string]string{"boto3": "1.5", "go": "0.9"}[who])
			b.ReportMetric(ratio(who, d), "awslua/"+who+"-"+d)
		}
	}
	fmt.Fprintf(&table, "  awslua peak Go heap %.1f MiB, peak RSS of the benchmark's process %.1f MiB (goal < 200 MiB); boto3's python %.1f MiB RSS (0: unknown)\n",
		float64(heap)/(1<<20), float64(rss)/(1<<20), float64(boto3RSS)/(1<<20))
	if cliRSS > 0 {
		fmt.Fprintf(&table, "  the awslua command: peak RSS %.1f MiB; upload %.1f MB/s, download %.1f MB/s (with its start)\n",
			float64(cliRSS)/(1<<20), mbps(cli.up), mbps(cli.down))
		b.ReportMetric(float64(cliRSS)/(1<<20), "awslua-cli-rss-MiB")
	}
	b.ReportMetric(float64(heap)/(1<<20), "awslua-heap-MiB")
	b.ReportMetric(float64(rss)/(1<<20), "awslua-rss-MiB")
	b.Log("\n" + table.String())
}

// transferClearPeakRSS resets the process's peak RSS (Linux's VmHWM), so
// that the next reading covers what runs from now on.
func transferClearPeakRSS() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// transferPeakRSS returns the process's peak RSS in bytes (Linux), 0 where
// it cannot be read.
func transferPeakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
