package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// A profile is a CPU profile of awslua on one workload, and where its
// samples went.
type profile struct {
	w          *workload
	file       string   // the .pprof
	runs       []sample // the profiled runs
	total      time.Duration
	categories []category
	top        string // go tool pprof -top, trimmed
}

type category struct {
	name string
	cpu  time.Duration
}

// The layers a CPU sample can be charged to, in the report's order.
const (
	catVM = iota
	catBindings
	catSDKLayer
	catAWS
	catHTTP
	catGC
	catOther
	nCats
)

var catNames = [nCats]string{
	catVM:       "Lua VM (gopher-lua: the script's own code, tables, iterators)",
	catBindings: "conversion Lua ⇄ Go (awslua bindings)",
	catSDKLayer: "conversion Go maps ⇄ SDK types, validation, resources (awslua sdk)",
	catAWS:      "aws-sdk-go-v2 and smithy-go (serialize, sign, retry, parse XML/JSON)",
	catHTTP:     "HTTP and sockets (net/http, net, internal/poll)",
	catGC:       "garbage collector (background marking and sweeping)",
	catOther:    "other Go runtime (scheduler, allocation outside the above, start-up)",
}

// furthestFromFloor returns the n request-bound workloads where awslua is
// slowest against the Go floor.
func furthestFromFloor(ws []*workload, n int) []*workload {
	var rb []*workload
	for _, w := range ws {
		if w.kind == requestKind && w.err == nil && len(w.samples[awslua]) > 0 {
			rb = append(rb, w)
		}
	}
	slices.SortStableFunc(rb, func(a, b *workload) int {
		switch ra, rb := a.ratio(goFloor), b.ratio(goFloor); {
		case ra < rb:
			return -1
		case ra > rb:
			return 1
		}
		return 0
	})
	return rb[:min(n, len(rb))]
}

// profileCPU is how much CPU the runs of a profile should add up to, so
// that the profile has a few hundred samples at 100 a second.
const profileCPU = 3 * time.Second

// profileAwslua runs awslua on w with --cpuprofile, as many times as it
// takes to collect about profileCPU of samples (at most 10 runs, 3 where
// each run needs seeding first), merges the profiles into DIR/ID.pprof
// and reads it.
func (b *bench) profileAwslua(ctx context.Context, w *workload, dir string) (*profile, error) {
	file, err := filepath.Abs(filepath.Join(dir, w.id+".pprof"))
	if err != nil {
		return nil, err
	}
	runs := 1
	if cpu := median(w.samples[awslua], cpuOf); cpu > 0 {
		runs = int(math.Ceil(profileCPU.Seconds() / cpu))
	}
	runs = max(1, min(runs, 10))
	if w.before != nil {
		runs = min(runs, 3)
	}
	p := &profile{w: w, file: file}
	if err := os.MkdirAll(filepath.Join(b.dir, "parts"), 0o755); err != nil {
		return nil, err
	}
	parts := []string{"tool", "pprof", "-proto"}
	for i := range runs {
		part := filepath.Join(b.dir, "parts", fmt.Sprintf("%s-%d.pprof", w.id, i))
		argv := append([]string{b.awsluaBin, "--cpuprofile", part}, w.argv[awslua][1:]...)
		if w.before != nil {
			if err := w.before(ctx, awslua, i); err != nil {
				return nil, err
			}
		}
		s, err := measure(ctx, argv, b.env, w.kind != startupKind)
		if err != nil {
			return nil, err
		}
		if w.after != nil {
			if err := w.after(awslua); err != nil {
				return nil, err
			}
		}
		p.runs = append(p.runs, s)
		parts = append(parts, part)
	}
	// go tool pprof -proto merges the profiles it is given into one.
	merged, err := exec.CommandContext(ctx, "go", parts...).Output()
	if err != nil {
		return nil, fmt.Errorf("go tool pprof -proto: %v", err)
	}
	if err := os.WriteFile(file, merged, 0o644); err != nil {
		return nil, err
	}
	if err := p.read(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// read charges every sample of the profile to a layer, from the stacks
// that go tool pprof -traces prints, and keeps its -top.
func (p *profile) read(ctx context.Context) error {
	out, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-traces", p.file).Output()
	if err != nil {
		return fmt.Errorf("go tool pprof -traces: %v", err)
	}
	var cats [nCats]time.Duration
	var (
		value  time.Duration
		frames []string
		inBody bool
	)
	flush := func() {
		if len(frames) > 0 {
			cats[classify(frames)] += value
			p.total += value
		}
		frames, value = frames[:0], 0
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "-----------+") {
			flush()
			inBody = true
			continue
		}
		if !inBody || strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Fields(line)
		if !strings.HasPrefix(line, " ") || len(f) == 0 {
			continue
		}
		// A trace's first line has its value before the leaf frame.
		if d, err := time.ParseDuration(f[0]); err == nil && len(frames) == 0 {
			value = d
			f = f[1:]
		}
		if len(f) > 0 && !strings.HasPrefix(f[0], "bytes:") {
			frames = append(frames, f[0])
		}
	}
	flush()
	for i, d := range cats {
		p.categories = append(p.categories, category{catNames[i], d})
	}

	top, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-top", "-nodecount=15", p.file).Output()
	if err != nil {
		return fmt.Errorf("go tool pprof -top: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(top)), "\n")
	for i, l := range lines {
		if strings.Contains(l, "flat%") {
			lines = lines[i:]
			break
		}
	}
	p.top = strings.Join(lines, "\n")
	return nil
}

// classify charges a stack (leaf first) to the layer of its leaf-most
// frame that belongs to one; standard-library frames (reflect, strconv,
// encoding/xml, crypto) are charged to the layer that called them. Lua
// API calls made by the bindings (building a table for a response) are
// conversion, not the VM.
func classify(frames []string) int {
	for _, f := range frames {
		switch f {
		case "runtime.gcBgMarkWorker", "runtime.bgsweep", "runtime.bgscavenge":
			return catGC
		}
	}
	for i, f := range frames {
		c := layer(f)
		if c < 0 {
			continue
		}
		if c != catVM {
			return c
		}
		// Lua frames at the leaf: the VM, unless they are the API the
		// bindings called to build or read values.
		for _, g := range frames[i:] {
			if strings.Contains(g, "gopher-lua.mainLoop") || strings.Contains(g, "gopher-lua.(*LState).callR") {
				return catVM
			}
			if l := layer(g); l >= 0 && l != catVM {
				if l == catBindings {
					return catBindings
				}
				return catVM
			}
		}
		return catVM
	}
	return catOther
}

func layer(f string) int {
	switch {
	case strings.HasPrefix(f, "github.com/yuin/gopher-lua"):
		return catVM
	case strings.HasPrefix(f, "github.com/awslua/awslua/bindings"), strings.HasPrefix(f, "layeh.com/gopher-luar"):
		return catBindings
	case strings.HasPrefix(f, "github.com/awslua/awslua/"), strings.HasPrefix(f, "github.com/jmespath-community/"):
		return catSDKLayer
	case strings.HasPrefix(f, "github.com/aws/"):
		return catAWS
	case strings.HasPrefix(f, "net/http."), strings.HasPrefix(f, "net."), strings.HasPrefix(f, "crypto/tls."),
		strings.HasPrefix(f, "internal/poll."):
		return catHTTP
	}
	return -1
}
