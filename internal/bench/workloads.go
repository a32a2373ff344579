package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// The three sides, in the order the tables list them.
const (
	awslua = iota
	boto3
	goFloor
	nWays
)

var wayNames = [nWays]string{"awslua", "boto3", "Go"}

// A kind says which goals a workload has.
type kind int

const (
	startupKind  kind = iota // start-up: awslua ≤ 30 ms
	requestKind              // request-bound: ≥ 0.9× Go, ≥ 3× boto3
	transferKind             // data-bound: reported against the transfer benchmark's goals
)

// A workload is one thing done three ways.
type workload struct {
	id, title string
	kind      kind
	units     float64 // what throughput counts, per run: calls, objects, requests, bytes
	unit      string  // "calls", "objects", "requests", "MB" (units are then bytes)
	per       string  // the unit one request or object is, for per-unit costs
	reps      int     // samples per side per run (start-up takes several)
	listing   string  // listings: "paginator" or "collection", for the memory goal
	objects   int     // listings: how many objects
	argv      [nWays][]string
	before    func(ctx context.Context, way, run int) error // untimed, before each sample
	after     func(way int) error                           // untimed, after each sample
	samples   [nWays][]sample
	err       error
}

// plan holds the sizes of one benchmark run.
type plan struct {
	heads   int
	lists   []int
	deletes int
	items   int
	file    int64
	starts  int // start-up samples per side per run
	runs    int
}

var (
	fullPlan  = plan{heads: 1000, lists: []int{20000, 100000}, deletes: 20000, items: 2000, file: 1 << 30, starts: 10, runs: 3}
	quickPlan = plan{heads: 200, lists: []int{2000, 5000}, deletes: 2000, items: 200, file: 64 << 20, starts: 5, runs: 1}
)

// bench is one benchmark run: the programs, the servers, the workloads.
type bench struct {
	root, dir         string // the module's root; the run's temporary directory
	awsluaBin, floor  string
	python            string
	env               []string
	plan              plan
	srv               *servers
	workloads         []*workload
	footprint         *footprint // nil when -run leaves it out
	seeding           []seedTime
	rssFloor          int64
	loadStart, loadAt string
}

type seedTime struct {
	what string
	took float64 // seconds
}

func (b *bench) lua(name string, args ...string) []string {
	return append([]string{b.awsluaBin, filepath.Join(b.root, "internal", "bench", "lua", name+".lua")}, args...)
}

func (b *bench) py(name string, args ...string) []string {
	return append([]string{b.python, filepath.Join(b.root, "internal", "bench", "py", name+".py")}, args...)
}

func (b *bench) goCmd(sub string, args ...string) []string {
	return append([]string{b.floor, sub}, args...)
}

func listBucket(n int) string { return fmt.Sprintf("bench-list-%d", n) }

const (
	deleteBucket   = "bench-delete"
	itemsTable     = "bench-items"
	transferBucket = "bench-transfer"
	transferKey    = "seeded"
)

// define makes the workloads of a plan.
func (b *bench) define() {
	p := b.plan
	itoa := strconv.Itoa
	b.workloads = append(b.workloads, &workload{
		id:    "startup",
		title: "Process start to first request (list_buckets)",
		kind:  startupKind,
		reps:  p.starts,
		argv: [nWays][]string{
			{b.awsluaBin, "-e", `aws.client("s3"):list_buckets()`},
			{b.python, "-c", `import boto3; boto3.client("s3").list_buckets()`},
			b.goCmd("startup"),
		},
	})
	headBucket := listBucket(p.lists[0])
	b.workloads = append(b.workloads, &workload{
		id:    "head_object",
		title: fmt.Sprintf("%s head_object calls", group(p.heads)),
		kind:  requestKind, units: float64(p.heads), unit: "calls", per: "call", reps: 1,
		argv: [nWays][]string{
			b.lua("head_object", headBucket, "object-000000", itoa(p.heads)),
			b.py("head_object", headBucket, "object-000000", itoa(p.heads)),
			b.goCmd("head", headBucket, "object-000000", itoa(p.heads)),
		},
	})
	for _, n := range p.lists {
		bucket := listBucket(n)
		for _, how := range []string{"paginator", "collection"} {
			title := fmt.Sprintf("Listing %s objects through the list_objects_v2 paginator", group(n))
			if how == "collection" {
				title = fmt.Sprintf("Listing %s objects through the collection bucket.objects.all()", group(n))
			}
			b.workloads = append(b.workloads, &workload{
				id:    fmt.Sprintf("list_%s_%d", how, n),
				title: title,
				kind:  requestKind, units: float64(n), unit: "objects", per: "object", reps: 1,
				listing: how, objects: n,
				argv: [nWays][]string{
					b.lua("list_"+how, bucket, itoa(n)),
					b.py("list_"+how, bucket, itoa(n)),
					b.goCmd("list", bucket, itoa(n)),
				},
			})
		}
	}
	b.workloads = append(b.workloads, &workload{
		id:    fmt.Sprintf("batch_delete_%d", p.deletes),
		title: fmt.Sprintf("Batch delete of %s objects through bucket.objects.all():delete()", group(p.deletes)),
		kind:  requestKind, units: float64(p.deletes), unit: "objects", per: "object", reps: 1,
		argv: [nWays][]string{
			b.lua("batch_delete", deleteBucket, itoa(p.deletes)),
			b.py("batch_delete", deleteBucket, itoa(p.deletes)),
			b.goCmd("delete", deleteBucket, itoa(p.deletes)),
		},
		// Every sample deletes a freshly seeded bucket.
		before: func(ctx context.Context, way, run int) error {
			return b.seed(ctx, "", "seed-objects", deleteBucket, itoa(p.deletes))
		},
	})
	b.workloads = append(b.workloads, &workload{
		id: "dynamodb_items",
		title: fmt.Sprintf("DynamoDB through the Table resource on moto: %s put_item, then %s get_item",
			group(p.items), group(p.items)),
		kind: requestKind, units: float64(2 * p.items), unit: "requests", per: "request", reps: 1,
		argv: [nWays][]string{
			b.lua("dynamodb_items", itemsTable, itoa(p.items)),
			b.py("dynamodb_items", itemsTable, itoa(p.items)),
			b.goCmd("dynamodb", itemsTable, itoa(p.items)),
		},
	})
	src := filepath.Join(b.dir, "files", "upload.bin")
	size := sizeName(p.file)
	var up, down workload
	up = workload{
		id: "upload", title: fmt.Sprintf("Upload of a %s file (upload_file, default transfer configuration)", size),
		kind: transferKind, units: float64(p.file), unit: "MB", per: "MB", reps: 1,
	}
	down = workload{
		id: "download", title: fmt.Sprintf("Download of a %s object (download_file, default transfer configuration)", size),
		kind: transferKind, units: float64(p.file), unit: "MB", per: "MB", reps: 1,
	}
	dst := [nWays]string{}
	for w := range nWays {
		key := "upload-" + wayNames[w]
		dst[w] = filepath.Join(b.dir, "files", "download-"+wayNames[w])
		upArgs := []string{transferBucket, key, src}
		downArgs := []string{transferBucket, transferKey, dst[w]}
		switch w {
		case awslua:
			up.argv[w], down.argv[w] = b.lua("upload", upArgs...), b.lua("download", downArgs...)
		case boto3:
			up.argv[w], down.argv[w] = b.py("upload", upArgs...), b.py("download", downArgs...)
		case goFloor:
			up.argv[w], down.argv[w] = b.goCmd("upload", upArgs...), b.goCmd("download", downArgs...)
		}
	}
	down.after = func(way int) error {
		defer os.Remove(dst[way])
		fi, err := os.Stat(dst[way])
		if err != nil {
			return err
		}
		if fi.Size() != p.file {
			return fmt.Errorf("%s downloaded %d bytes, want %d", wayNames[way], fi.Size(), p.file)
		}
		return nil
	}
	b.workloads = append(b.workloads, &up, &down)
}

// group writes n with thousands separators: 20,000.
func group(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func sizeName(n int64) string {
	if n >= 1<<30 && n%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}
