package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Goals, from the issue that asked for these benchmarks and, for the
// transfers, from tests/transfer_bench_test.go.
const (
	goalStartup       = 0.030 // seconds, awslua's start to first response
	goalVsGo          = 0.9   // awslua's speed / Go's, request-bound and transfers
	goalVsBoto3       = 3.0   // awslua's speed / boto3's, request-bound
	goalTransferBoto3 = 1.5   // awslua's speed / boto3's, transfers
	goalTransferRSS   = 200 << 20
	listingGrowth     = 0.15 // the most a listing's peak RSS may grow from the small to the large bucket
)

// timeOf is the median time a side took: the process's wall time for the
// start-up, the work's (between "ready" and "done") for the others.
func (w *workload) timeOf(way int) float64 {
	if w.kind == startupKind {
		return median(w.samples[way], wallOf)
	}
	return median(w.samples[way], workOf)
}

// ratio is awslua's speed over another side's: that side's time over
// awslua's; above 1, awslua is faster.
func (w *workload) ratio(other int) float64 { return w.timeOf(other) / w.timeOf(awslua) }

// atLeast compares a ratio with a goal as the report prints it, to two
// decimals, so that a table never says 0.90 misses 0.9.
func atLeast(ratio, goal float64) bool { return math.Round(ratio*100) >= math.Round(goal*100) }

func summaryLine(w *workload) string {
	var parts []string
	for way := range nWays {
		parts = append(parts, wayNames[way]+" "+fmtSecs(w.timeOf(way)))
	}
	return fmt.Sprintf("%s; awslua/Go %.2f, awslua/boto3 %.2f", strings.Join(parts, ", "), w.ratio(goFloor), w.ratio(boto3))
}

// A goal is one line of the summary's verdicts.
type goal struct {
	text string
	met  bool
}

func (g goal) String() string {
	if g.met {
		return "✅ " + g.text
	}
	return "❌ " + g.text
}

// goals are the verdicts on a workload.
func (w *workload) goals() []goal {
	var gs []goal
	switch w.kind {
	case startupKind:
		t := w.timeOf(awslua)
		gs = append(gs, goal{fmt.Sprintf("start-up %.1f ms ≤ 30 ms", t*1e3), t <= goalStartup})
	case requestKind:
		gs = append(gs,
			goal{fmt.Sprintf("%.2f× Go ≥ %.1f×", w.ratio(goFloor), goalVsGo), atLeast(w.ratio(goFloor), goalVsGo)},
			goal{fmt.Sprintf("%.2f× boto3 ≥ %.0f×", w.ratio(boto3), goalVsBoto3), atLeast(w.ratio(boto3), goalVsBoto3)})
	case transferKind:
		rss := median(w.samples[awslua], rssOf)
		gs = append(gs,
			goal{fmt.Sprintf("%.2f× Go ≥ %.1f×", w.ratio(goFloor), goalVsGo), atLeast(w.ratio(goFloor), goalVsGo)},
			goal{fmt.Sprintf("%.2f× boto3 ≥ %.1f×", w.ratio(boto3), goalTransferBoto3), atLeast(w.ratio(boto3), goalTransferBoto3)},
			goal{fmt.Sprintf("RSS %s < 200 MiB", fmtMiB(rss)), rss < goalTransferRSS})
	}
	return gs
}

// report writes BENCHMARKS.md.
func (b *bench) report(vers [][2]string, profs []*profile, out string, quick bool, took time.Duration) string {
	var r strings.Builder
	pf := func(format string, args ...any) { fmt.Fprintf(&r, format, args...) }
	pf("# Benchmarks\n\n")
	pf("Written by `make bench` (`go run ./internal/bench`) on %s, in %s; do not edit by hand.\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), took.Round(time.Second))
	if quick {
		pf("**A `-quick` run**: small sizes, %s; the numbers show that the harness works, not how fast anything is.\n", plural(b.plan.runs, "run"))
	}
	pf(`
Every workload runs three ways in the same run, on the same servers: **awslua** (a Lua script from
[internal/bench/lua](internal/bench/lua) run by the awslua command), **boto3** (a Python script from
[internal/bench/py](internal/bench/py)) and **Go**, a plain aws-sdk-go-v2 program
([internal/bench/floor](internal/bench/floor)), the floor. Each run is a fresh process, timed and
measured the same way for the three: its wall time from start to exit, its peak RSS from its rusage,
and the time and CPU between the lines "ready" (client made) and "done" that it prints around its
work. Times below are the medians of %s (the start-up: of %d); the sides take turns within each
run. Ratios are awslua's speed over the other's (the other's median time over awslua's): above 1,
awslua is faster. They compare work times, so that start-up, a workload of its own, does not blur
them. MinIO serves S3 and moto DynamoDB, both on 127.0.0.1, on the same machine as the clients: the
server's CPU is part of every time.

`, plural(b.plan.runs, "run"), b.plan.runs*b.plan.starts)

	pf("## Machine\n\n")
	pf("| | |\n|---|---|\n")
	for _, kv := range machine() {
		pf("| %s | %s |\n", kv[0], kv[1])
	}
	pf("| load average (1, 5, 15 min) | %s at the start, %s at the end |\n\n", b.loadStart, b.loadAt)

	pf("## Versions\n\n| | |\n|---|---|\n")
	for _, kv := range vers {
		pf("| %s | %s |\n", kv[0], kv[1])
	}
	pf("\n")

	pf("## Summary\n\n")
	pf("| workload | awslua | boto3 | Go | awslua/Go | awslua/boto3 | goals |\n|---|--:|--:|--:|--:|--:|---|\n")
	for _, w := range b.workloads {
		if w.err != nil || len(w.samples[awslua]) == 0 {
			pf("| [%s](#%s) | failed | | | | | ❌ %s |\n", w.id, w.id, firstLine(w.err))
			continue
		}
		var gs []string
		for _, g := range w.goals() {
			gs = append(gs, g.String())
		}
		pf("| [%s](#%s) | %s | %s | %s | %.2f | %.2f | %s |\n", w.id, w.id,
			fmtSecs(w.timeOf(awslua)), fmtSecs(w.timeOf(boto3)), fmtSecs(w.timeOf(goFloor)),
			w.ratio(goFloor), w.ratio(boto3), strings.Join(gs, "<br>"))
	}
	pf("\n")
	for _, g := range b.listingGoals() {
		pf("- %s\n", g)
	}
	pf("\nThe analysis of the misses and of the profiles is in [benchmarks/ANALYSIS.md](benchmarks/ANALYSIS.md).\n\n")

	if b.footprint != nil {
		b.footprint.section(&r)
	}

	pf("## Workloads\n\n")
	for _, w := range b.workloads {
		b.workloadSection(&r, w)
	}

	pf("## Profiles\n\n")
	if len(profs) == 0 {
		pf("None taken.\n\n")
	}
	pf("CPU profiles of awslua (`awslua --cpuprofile FILE`) on the request-bound workloads where it is\n" +
		"furthest from the Go floor, several runs merged into a few seconds of CPU. Every sample is charged\n" +
		"to the leaf-most frame that belongs to a layer; standard-library code (reflect, strconv,\n" +
		"encoding/xml, crypto) goes to the layer that called it, and Lua API calls made by the bindings\n" +
		"count as conversion. Read a profile with `go tool pprof -top FILE` or `go tool pprof -http :8080 FILE`.\n\n")
	for _, p := range profs {
		rel, err := filepath.Rel(filepath.Dir(out), p.file)
		if err != nil {
			rel = p.file
		}
		var wall, work, cpu time.Duration
		for _, s := range p.runs {
			wall, work, cpu = wall+s.wall, work+s.work, cpu+s.workCPU
		}
		pf("### %s\n\n[%s](%s): %s of awslua, %s in all (work %s, %s of CPU during it); %s of samples.\n\n",
			p.w.id, filepath.Base(p.file), rel, plural(len(p.runs), "run"), fmtSecs(wall.Seconds()), fmtSecs(work.Seconds()),
			fmtSecs(cpu.Seconds()), fmtSecs(p.total.Seconds()))
		pf("| layer | CPU | share |\n|---|--:|--:|\n")
		for _, c := range p.categories {
			share := 0.0
			if p.total > 0 {
				share = 100 * c.cpu.Seconds() / p.total.Seconds()
			}
			pf("| %s | %s | %.1f%% |\n", c.name, fmtSecs(c.cpu.Seconds()), share)
		}
		pf("\n<details><summary>go tool pprof -top</summary>\n\n```\n%s\n```\n</details>\n\n", p.top)
	}

	pf("## Method notes\n\n")
	pf("- Peak RSS is the process's `ru_maxrss`. Linux folds the parent's high-water mark into a child's at\n"+
		"  exec, and Go starts children with vfork; the harness resets its own mark before each start, so\n"+
		"  the floor under every RSS here is the harness's resident set: %s (what `true` reports).\n", fmtMiB(float64(b.rssFloor)))
	if busy := b.busy(); busy != "" {
		pf("- The machine was busy (%s): the times include waiting for a core.\n", busy)
	}
	pf("- CPU during the work is read from /proc/PID/stat at the two lines, in 10 ms ticks; per-request\n" +
		"  CPU is that over the requests. The time of a request that is not its client's CPU is the\n" +
		"  server's, the loopback's, or waiting for a core.\n")
	pf("- The listings read every key; the Go floor does the same for the paginator and the collection.\n" +
		"  boto3's collection lists with ListObjects (its model's), awslua's with ListObjectsV2.\n")
	pf("- The batch delete lists a page and deletes it with one DeleteObjects, a page at a time; each sample\n" +
		"  deletes a bucket seeded just before it (untimed).\n")
	pf("- Transfers use each side's default transfer configuration; downloads are checked for size.\n")
	if len(b.seeding) > 0 {
		var s []string
		for _, st := range b.seeding {
			s = append(s, fmt.Sprintf("%s in %.1f s", st.what, st.took))
		}
		pf("- Seeding (the floor, untimed): %s.\n", strings.Join(s, "; "))
	}
	return r.String()
}

func (b *bench) workloadSection(r *strings.Builder, w *workload) {
	pf := func(format string, args ...any) { fmt.Fprintf(r, format, args...) }
	pf("### %s\n\n%s.\n\n", w.id, w.title)
	if w.err != nil || len(w.samples[awslua]) == 0 {
		pf("Failed:\n\n```\n%v\n```\n\n", w.err)
		return
	}
	switch w.kind {
	case startupKind:
		pf("| | start to exit (median) | min–max | CPU | peak RSS |\n|---|--:|--:|--:|--:|\n")
		for way := range nWays {
			ss := w.samples[way]
			pf("| %s | %s | %s | %s | %s |\n", wayNames[way], fmtSecs(median(ss, wallOf)), spread(ss, wallOf),
				fmtSecs(median(ss, cpuOf)), fmtMiB(median(ss, rssOf)))
		}
	default:
		perCol := "CPU / " + w.per
		if w.kind == transferKind {
			perCol = "CPU"
		}
		pf("| | work (median) | min–max | process | throughput | %s | peak RSS |\n|---|--:|--:|--:|--:|--:|--:|\n", perCol)
		for way := range nWays {
			ss := w.samples[way]
			work := median(ss, workOf)
			cpu := median(ss, cpuOf)
			cpuCell := fmtSecs(cpu)
			if w.kind != transferKind {
				cpuCell = fmtSecs(cpu / w.units)
			}
			if cpu < 0 {
				cpuCell = "?"
			}
			pf("| %s | %s | %s | %s | %s | %s | %s |\n", wayNames[way], fmtSecs(work), spread(ss, workOf),
				fmtSecs(median(ss, wallOf)), w.throughput(work), cpuCell, fmtMiB(median(ss, rssOf)))
		}
	}
	pf("\nawslua/Go %.2f, awslua/boto3 %.2f.", w.ratio(goFloor), w.ratio(boto3))
	var missed []string
	for _, g := range w.goals() {
		if !g.met {
			missed = append(missed, g.text)
		}
	}
	if len(missed) == 0 {
		pf(" Goals met.\n\n")
		return
	}
	pf(" Missed: %s.\n\n", strings.Join(missed, "; "))
	if why := w.why(b.busy()); why != "" {
		pf("%s\n\n", why)
	}
}

// why accounts for a request-bound miss from the CPU the sides used: how
// much of a request is the client's CPU, and what the rest (the server,
// the loopback, waiting for a core) leaves possible.
func (w *workload) why(busy string) string {
	if w.kind != requestKind {
		return ""
	}
	per := func(way int, f func(sample) float64) float64 { return median(w.samples[way], f) / w.units }
	work := [nWays]float64{}
	cpu := [nWays]float64{}
	for way := range nWays {
		work[way], cpu[way] = per(way, workOf), per(way, cpuOf)
		if cpu[way] < 0 {
			return ""
		}
	}
	var s []string
	s = append(s, fmt.Sprintf("Per %s: awslua %s (%s of it its own CPU), boto3 %s (%s), Go %s (%s).",
		w.per, fmtSecs(work[awslua]), fmtSecs(cpu[awslua]), fmtSecs(work[boto3]), fmtSecs(cpu[boto3]),
		fmtSecs(work[goFloor]), fmtSecs(cpu[goFloor])))
	rest := math.Max(work[goFloor]-cpu[goFloor], 0)
	if !atLeast(w.ratio(goFloor), goalVsGo) {
		gap := work[awslua] - work[goFloor]
		extra := cpu[awslua] - cpu[goFloor]
		switch {
		case extra >= 0.5*gap:
			s = append(s, fmt.Sprintf("awslua takes %s more than Go per %s, and %s more CPU: the gap is awslua's own work (see the profiles).",
				fmtSecs(gap), w.per, fmtSecs(extra)))
		case busy != "":
			s = append(s, fmt.Sprintf("awslua takes %s more than Go per %s but only %s more CPU: most of the gap is waiting, for the server or for a core (%s), where every extra millisecond of CPU costs several.",
				fmtSecs(gap), w.per, fmtSecs(extra), busy))
		default:
			s = append(s, fmt.Sprintf("awslua takes %s more than Go per %s but only %s more CPU: most of the gap is waiting for the server, not awslua's work.",
				fmtSecs(gap), w.per, fmtSecs(extra)))
		}
	}
	if !atLeast(w.ratio(boto3), goalVsBoto3) && rest > 0 {
		bound := work[boto3] / rest
		floor := work[boto3] / work[goFloor]
		switch {
		case floor < goalVsBoto3 && bound >= goalVsBoto3:
			s = append(s, fmt.Sprintf("The Go floor itself is only %.1f× boto3 here: %.0f× would take awslua faster than plain aws-sdk-go-v2 (%s %s at most, against Go's %s, of which %s is Go's CPU and %s the server's and the loopback's).",
				floor, goalVsBoto3, fmtSecs(work[boto3]/goalVsBoto3), a(w.per), fmtSecs(work[goFloor]), fmtSecs(cpu[goFloor]), fmtSecs(rest)))
		case bound < goalVsBoto3:
			s = append(s, fmt.Sprintf("Outside its client's CPU %s takes %s even for Go (the server and the loopback): a client that cost no CPU at all would be %.1f× boto3 here, so the server rules out %.0f×.",
				a(w.per), fmtSecs(rest), bound, goalVsBoto3))
		default:
			s = append(s, fmt.Sprintf("Outside its client's CPU %s takes %s for Go, so %.0f× boto3 (%s %s) is possible; awslua takes %s, %s of it its own CPU.",
				a(w.per), fmtSecs(rest), goalVsBoto3, fmtSecs(work[boto3]/goalVsBoto3), a(w.per), fmtSecs(work[awslua]), fmtSecs(cpu[awslua])))
		}
	}
	return strings.Join(s, " ")
}

// busy describes the machine's load when it was above one process a
// core during the run, and is empty otherwise.
func (b *bench) busy() string {
	peak := 0.0
	for _, l := range []string{b.loadStart, b.loadAt} {
		var one float64
		if _, err := fmt.Sscan(l, &one); err == nil {
			peak = math.Max(peak, one)
		}
	}
	if peak <= float64(runtime.NumCPU()) {
		return ""
	}
	return fmt.Sprintf("load average up to %.0f on %d cores during the run", peak, runtime.NumCPU())
}

// listingGoals checks that a listing's peak RSS does not grow with the
// number of objects, for awslua's paginator and collection.
func (b *bench) listingGoals() []goal {
	var gs []goal
	for _, how := range []string{"paginator", "collection"} {
		var small, large *workload
		for _, w := range b.workloads {
			if w.listing != how || w.err != nil || len(w.samples[awslua]) == 0 {
				continue
			}
			if small == nil || w.objects < small.objects {
				small = w
			}
			if large == nil || w.objects > large.objects {
				large = w
			}
		}
		if small == nil || small == large {
			continue
		}
		rs, rl := median(small.samples[awslua], rssOf), median(large.samples[awslua], rssOf)
		others := ""
		for _, way := range []int{boto3, goFloor} {
			others += fmt.Sprintf("; %s %s → %s", wayNames[way], fmtMiB(median(small.samples[way], rssOf)), fmtMiB(median(large.samples[way], rssOf)))
		}
		gs = append(gs, goal{
			fmt.Sprintf("listing memory, %s: awslua's peak RSS %s at %s objects, %s at %s (at most +%.0f%%)%s",
				how, fmtMiB(rs), group(small.objects), fmtMiB(rl), group(large.objects), listingGrowth*100, others),
			rl <= rs*(1+listingGrowth)})
	}
	return gs
}

func (w *workload) throughput(work float64) string {
	if w.unit == "MB" {
		return fmt.Sprintf("%.1f MB/s", w.units/1e6/work)
	}
	return fmt.Sprintf("%s %s/s", group(int(math.Round(w.units/work))), w.unit)
}

func spread(ss []sample, f func(sample) float64) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		lo, hi = math.Min(lo, f(s)), math.Max(hi, f(s))
	}
	if len(ss) < 2 {
		return "–"
	}
	return fmtSecs(lo) + "–" + fmtSecs(hi)
}

func fmtSecs(s float64) string {
	switch {
	case math.IsNaN(s):
		return "?"
	case s >= 100:
		return fmt.Sprintf("%.0f s", s)
	case s >= 1:
		return fmt.Sprintf("%.2f s", s)
	case s >= 0.01:
		return fmt.Sprintf("%.0f ms", s*1e3)
	case s >= 0.001:
		return fmt.Sprintf("%.1f ms", s*1e3)
	case s == 0:
		return "0"
	default:
		return fmt.Sprintf("%.0f µs", s*1e6)
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// a returns "a word" or "an word".
func a(word string) string {
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}

func fmtMiB(bytes float64) string { return fmt.Sprintf("%.1f MiB", bytes/(1<<20)) }

func firstLine(err error) string {
	if err == nil {
		return "no samples"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return strings.ReplaceAll(s, "|", "\\|")
}

// machine describes the machine.
func machine() [][2]string {
	cpu := "unknown"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := "unknown"
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			mem = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	kernel := "unknown"
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = strings.TrimSpace(string(b))
	}
	return [][2]string{
		{"CPU", cpu},
		{"cores (nproc)", fmt.Sprint(runtime.NumCPU())},
		{"memory", mem},
		{"OS", runtime.GOOS + "/" + runtime.GOARCH + ", Linux " + kernel},
	}
}

// versions names what ran.
func versions(ctx context.Context, b *bench) [][2]string {
	run := func(dir string, name string, args ...string) string {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			return "unknown"
		}
		return strings.TrimSpace(string(out))
	}
	commit := run(b.root, "git", "rev-parse", "--short=12", "HEAD")
	if st := run(b.root, "git", "status", "--porcelain", "--untracked-files=no"); st != "" && st != "unknown" {
		commit += " with uncommitted changes"
	}
	mods := run(b.root, "go", "list", "-m", "-f", "{{.Path}} {{.Version}}",
		"github.com/aws/aws-sdk-go-v2", "github.com/aws/aws-sdk-go-v2/service/s3",
		"github.com/aws/aws-sdk-go-v2/service/dynamodb", "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager",
		"github.com/yuin/gopher-lua")
	mods = strings.ReplaceAll(strings.ReplaceAll(mods, "github.com/aws/aws-sdk-go-v2/", ""), "\n", ", ")
	minio := "unknown"
	for _, l := range strings.Split(run(b.root, "go", "version", "-m", filepath.Join(b.root, "tests", ".servers", "bin", "minio")), "\n") {
		if f := strings.Fields(l); len(f) >= 3 && f[0] == "mod" && f[1] == "github.com/minio/minio" {
			minio = f[2]
		}
	}
	py := run(b.root, b.python, "-c", "import sys, boto3, botocore; print('boto3 %s, botocore %s, Python %s' % (boto3.__version__, botocore.__version__, sys.version.split()[0]))")
	moto := run(b.root, b.python, "-c", "import moto; print(moto.__version__)")
	return [][2]string{
		{"Go", run(b.root, "go", "env", "GOVERSION")},
		{"aws-sdk-go-v2 (and gopher-lua)", mods},
		{"awslua", commit},
		{"boto3", py},
		{"MinIO", "github.com/minio/minio " + minio},
		{"moto", moto},
	}
}
