// Command bench measures awslua against boto3 and against a plain
// aws-sdk-go-v2 program (the floor), on MinIO and moto on 127.0.0.1, and
// writes BENCHMARKS.md. `make bench` runs it.
//
//	go run ./internal/bench [-runs 3] [-quick] [-out BENCHMARKS.md] [-profiles benchmarks] [-run REGEXP]
//
// It builds the awslua command and the floor (internal/bench/floor), starts
// the servers with tests/servers.sh (in a state directory of its own, so
// that it stops only what it started), seeds them once with the floor, and
// runs every workload three ways in the same run: the Lua scripts in
// internal/bench/lua through awslua, the Python scripts in
// internal/bench/py through python3 and boto3, and the floor's
// subcommand. Each run is a subprocess, timed and measured (peak RSS from
// its rusage) the same way for all three; the programs print "ready" and
// "done" around their work, which gives the work's time apart from the
// start-up. The sides take turns within each run, so that all three see
// the same machine and server.
//
// It measures awslua's footprint too, which only awslua has goals for:
// the command's size, an empty script's start-up, the first call of ec2,
// s3, dynamodb and sqs, and the memory a client holds.
//
// Then it takes CPU profiles of awslua (--cpuprofile) on the two
// request-bound workloads where awslua is furthest from the floor, and
// writes the report. It reports slowness and never fails on it; it exits 1
// when a workload fails (an error or a wrong result).
//
// -quick shrinks every size (2,000 and 5,000 objects, a 64 MiB file, one
// run) and writes its report and profiles under the temporary directory,
// leaving BENCHMARKS.md and benchmarks/ alone.
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	log := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...) }
	var (
		runs     = flag.Int("runs", 0, "runs of every workload; the report gives their medians (default 3, 1 with -quick)")
		quick    = flag.Bool("quick", false, "small sizes and one run, to try the whole thing in a few minutes")
		out      = flag.String("out", "", "the report (default BENCHMARKS.md in the module root; with -quick, under the temporary directory)")
		profiles = flag.String("profiles", "", "where the CPU profiles go, replacing the .pprof files there (default benchmarks/ in the module root; with -quick, under the temporary directory)")
		only     = flag.String("run", "", "run only the workloads whose id matches this regular expression (the footprint's is \"footprint\")")
		keep     = flag.Bool("keep", false, "keep the temporary directory (binaries, server logs and data)")
	)
	flag.Parse()
	root, err := moduleRoot()
	if err != nil {
		log("%v", err)
		os.Exit(2)
	}
	p := fullPlan
	if *quick {
		p = quickPlan
	}
	if *runs > 0 {
		p.runs = *runs
	}
	var filter *regexp.Regexp
	if *only != "" {
		if filter, err = regexp.Compile(*only); err != nil {
			log("-run: %v", err)
			os.Exit(2)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir, err := os.MkdirTemp("", "awslua-bench-")
	if err != nil {
		log("%v", err)
		os.Exit(2)
	}
	if *out == "" {
		*out = filepath.Join(root, "BENCHMARKS.md")
		if *quick {
			*out = filepath.Join(dir, "BENCHMARKS.md")
		}
	}
	if *profiles == "" {
		*profiles = filepath.Join(root, "benchmarks")
		if *quick {
			*profiles = filepath.Join(dir, "profiles")
		}
	}
	b := &bench{root: root, dir: dir, plan: p}
	code := b.main(ctx, log, filter, *quick, *out, *profiles)
	switch {
	case *keep:
		log("kept the temporary directory %s", dir)
	case *quick:
		// The quick report and profiles stay to be read; the rest goes.
		for _, sub := range []string{"bin", "servers", "files", "parts"} {
			os.RemoveAll(filepath.Join(dir, sub))
		}
	default:
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// main runs the benchmark and returns the exit status.
func (b *bench) main(ctx context.Context, log func(string, ...any), filter *regexp.Regexp, quick bool, out, profDir string) int {
	started := time.Now()
	b.loadStart = loadAverage()
	var err error
	if b.python, err = exec.LookPath("python3"); err != nil {
		log("no python3 on PATH: the boto3 side needs it")
		return 2
	}
	log("building awslua and the floor")
	if err := b.build(ctx); err != nil {
		log("%v", err)
		return 2
	}
	log("starting MinIO and moto (tests/servers.sh)")
	b.srv, err = startServers(b.root, filepath.Join(b.dir, "servers"))
	defer func() {
		if err := b.srv.stop(); err != nil {
			log("%v", err)
		}
	}()
	if err != nil {
		log("%v", err)
		return 2
	}
	b.env = b.srv.childEnv()
	b.rssFloor = rssFloor(ctx)
	b.define()
	if filter != nil {
		b.workloads = slices.DeleteFunc(b.workloads, func(w *workload) bool { return !filter.MatchString(w.id) })
	}
	vers := versions(ctx, b)

	log("seeding")
	if err := b.seedAll(ctx, log); err != nil {
		log("seeding: %v", err)
		return 2
	}

	failed := false
	for _, w := range b.workloads {
		if ctx.Err() != nil {
			break
		}
		log("%s: %s", w.id, w.title)
		w.err = b.runWorkload(ctx, w)
		if w.err != nil {
			if errCanceled(ctx, w.err) {
				break
			}
			failed = true
			log("%s failed: %v", w.id, w.err)
			continue
		}
		log("  %s", summaryLine(w))
	}
	if filter == nil || filter.MatchString("footprint") {
		log("footprint: binary, empty script, first calls, clients")
		b.footprint = b.measureFootprint(ctx)
		if err := b.footprint.err; err != nil && !errCanceled(ctx, err) {
			failed = true
			log("footprint failed: %v", err)
		}
	}
	if ctx.Err() != nil {
		log("interrupted")
		return 130
	}

	var profs []*profile
	if err := os.MkdirAll(profDir, 0o755); err != nil {
		log("%v", err)
		return 2
	}
	// The last run's profiles go, whichever workloads they were of.
	stale, _ := filepath.Glob(filepath.Join(profDir, "*.pprof"))
	for _, f := range stale {
		os.Remove(f)
	}
	for _, w := range furthestFromFloor(b.workloads, 2) {
		log("profiling awslua on %s", w.id)
		pr, err := b.profileAwslua(ctx, w, profDir)
		if err != nil {
			log("profiling %s: %v", w.id, err)
			failed = true
			continue
		}
		profs = append(profs, pr)
	}

	b.loadAt = loadAverage()
	report := b.report(vers, profs, out, quick, time.Since(started))
	if err := os.WriteFile(out, []byte(report), 0o644); err != nil {
		log("%v", err)
		return 2
	}
	log("wrote %s and %d profiles in %s (%s in all)", out, len(profs), profDir, time.Since(started).Round(time.Second))
	if failed {
		return 1
	}
	return 0
}

// build builds the awslua command and the floor into the temporary
// directory, once.
func (b *bench) build(ctx context.Context) error {
	bin := filepath.Join(b.dir, "bin")
	b.awsluaBin = filepath.Join(bin, "awslua")
	b.floor = filepath.Join(bin, "floor")
	for pkg, exe := range map[string]string{"./cmd/awslua": b.awsluaBin, "./internal/bench/floor": b.floor} {
		// As `make build` builds the command, whose size the footprint
		// reports.
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", exe, pkg)
		cmd.Dir = b.root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s: %v", pkg, err)
		}
	}
	return nil
}

// seed runs a seeding subcommand of the floor; with a label, it reports
// how long it took.
func (b *bench) seed(ctx context.Context, label string, args ...string) error {
	start := time.Now()
	cmd := exec.CommandContext(ctx, b.floor, args...)
	cmd.Env = b.env
	outb, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("floor %s: %v\n%s", strings.Join(args, " "), err, outb)
	}
	if label != "" {
		b.seeding = append(b.seeding, seedTime{label, time.Since(start).Seconds()})
	}
	return nil
}

// seedAll seeds what the chosen workloads read, once.
func (b *bench) seedAll(ctx context.Context, log func(string, ...any)) error {
	p := b.plan
	need := map[string]bool{}
	buckets := map[int]bool{}
	for _, w := range b.workloads {
		need[w.id] = true
		if w.objects > 0 {
			buckets[w.objects] = true
		}
		if w.id == "head_object" {
			buckets[p.lists[0]] = true
		}
	}
	for _, n := range p.lists {
		if !buckets[n] {
			continue
		}
		log("  %s objects into %s", group(n), listBucket(n))
		if err := b.seed(ctx, fmt.Sprintf("%s objects into MinIO (32 at a time)", group(n)), "seed-objects", listBucket(n), fmt.Sprint(n)); err != nil {
			return err
		}
	}
	if need["dynamodb_items"] {
		log("  the table %s", itemsTable)
		if err := b.seed(ctx, "", "seed-table", itemsTable); err != nil {
			return err
		}
	}
	if need["upload"] || need["download"] {
		src := filepath.Join(b.dir, "files", "upload.bin")
		log("  a %s file, and the object the downloads read", sizeName(p.file))
		if err := writeRandomFile(src, p.file); err != nil {
			return err
		}
		if err := b.seed(ctx, sizeName(p.file)+" object into MinIO", "seed-file", transferBucket, transferKey, src); err != nil {
			return err
		}
	}
	return nil
}

// writeRandomFile writes size pseudo-random bytes (incompressible, cheap
// to make) to path.
func writeRandomFile(path string, size int64) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var seed [32]byte
	rand.Read(seed[:])
	_, err = io.CopyN(f, mrand.NewChaCha8(seed), size)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// runWorkload takes the workload's samples: in every run, each side in
// turn, starting with a different side each run so that none is always
// first.
func (b *bench) runWorkload(ctx context.Context, w *workload) error {
	if w.kind == startupKind {
		// One untimed start each, so that no side pays for a cold page
		// cache in the numbers.
		for way := range nWays {
			if _, err := measure(ctx, w.argv[way], b.env, false); err != nil {
				return err
			}
		}
	}
	for run := range b.plan.runs {
		for rep := range w.reps {
			for i := range nWays {
				way := (run + rep + i) % nWays
				if w.before != nil {
					if err := w.before(ctx, way, run); err != nil {
						return err
					}
				}
				s, err := measure(ctx, w.argv[way], b.env, w.kind != startupKind)
				if err != nil {
					return err
				}
				if w.after != nil {
					if err := w.after(way); err != nil {
						return err
					}
				}
				w.samples[way] = append(w.samples[way], s)
			}
		}
	}
	return nil
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/awslua/awslua\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("run the benchmarks inside the awslua module")
		}
		dir = parent
	}
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// median of a side's samples, by a field.
func median(ss []sample, field func(sample) float64) float64 {
	if len(ss) == 0 {
		return math.NaN()
	}
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = field(s)
	}
	return medianOf(v)
}

// medianOf sorts v and returns its median.
func medianOf(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func wallOf(s sample) float64 { return s.wall.Seconds() }
func workOf(s sample) float64 { return s.work.Seconds() }
func cpuOf(s sample) float64  { return s.workCPU.Seconds() }
func rssOf(s sample) float64  { return float64(s.rss) }
