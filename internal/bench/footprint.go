package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// The goals for awslua alone, which no other side is measured
// against.
const (
	goalBinary      = 40e6 // bytes, the awslua command
	goalEmptyTime   = 0.025
	goalEmptyRSS    = 25 << 20
	goalFirstCall   = 0.005 // seconds a service's first call may add to the call
	goalClientBytes = 1 << 20
)

// footprintClients is how many clients the memory measurement makes.
const footprintClients = 2000

// A firstCall names an operation whose first call the footprint times.
type firstCall struct {
	service, operation string
}

// firstCalls are the services the issue names: ec2 the largest model, s3
// the largest endpoint rule set.
var firstCalls = []firstCall{
	{"ec2", "describe_instances"},
	{"s3", "list_buckets"},
	{"dynamodb", "list_tables"},
	{"sqs", "list_queues"},
}

// footprint is what awslua costs before any work: its binary, an empty
// script, the first call of a service, and a client.
type footprint struct {
	binary int64
	empty  []sample
	// first holds each service's runs: the first call's seconds (making
	// the client included) and the same call's again.
	first map[string][][2]float64
	// clients holds the peak RSS of a process that made no clients and
	// of one that made footprintClients, run after run.
	clients [2][]float64
	err     error
}

// measureFootprint measures the footprint, each figure runs times (the
// empty script: runs × starts), the processes taking turns.
func (b *bench) measureFootprint(ctx context.Context) *footprint {
	f := &footprint{first: map[string][][2]float64{}}
	fi, err := os.Stat(b.awsluaBin)
	if err != nil {
		f.err = err
		return f
	}
	f.binary = fi.Size()
	// Every other service is moto's; S3 stays MinIO's.
	env := append(b.env[:len(b.env):len(b.env)], "AWS_ENDPOINT_URL="+b.srv.moto)
	// One untimed run each first: moto sets a service up on its first
	// request, and that is the server's time, not awslua's.
	for _, fc := range firstCalls {
		if _, err := measure(ctx, b.lua("first_call", fc.service, fc.operation), env, false); err != nil {
			f.err = err
			return f
		}
	}
	for range b.plan.runs * b.plan.starts {
		s, err := measure(ctx, []string{b.awsluaBin, "-e", ""}, env, false)
		if err != nil {
			f.err = err
			return f
		}
		f.empty = append(f.empty, s)
	}
	for range b.plan.runs * b.plan.starts {
		for _, fc := range firstCalls {
			s, err := measure(ctx, b.lua("first_call", fc.service, fc.operation), env, false)
			if err != nil {
				f.err = err
				return f
			}
			var first, again float64
			if _, err := fmt.Sscanf(strings.TrimSpace(s.out), "first %g again %g", &first, &again); err != nil {
				f.err = fmt.Errorf("first_call.lua %s printed %q: %v", fc.service, s.out, err)
				return f
			}
			f.first[fc.service] = append(f.first[fc.service], [2]float64{first, again})
		}
	}
	for range b.plan.runs * b.plan.starts {
		for i, n := range []int{0, footprintClients} {
			s, err := measure(ctx, b.lua("clients", "s3", strconv.Itoa(n)), env, false)
			if err != nil {
				f.err = err
				return f
			}
			f.clients[i] = append(f.clients[i], float64(s.rss))
		}
	}
	return f
}

// firstAdds returns the medians of a service's first call, of the same
// call again, and of what the first took over the second.
func (f *footprint) firstAdds(service string) (first, again, adds float64) {
	var fs, as, ds []float64
	for _, r := range f.first[service] {
		fs, as, ds = append(fs, r[0]), append(as, r[1]), append(ds, r[0]-r[1])
	}
	return medianOf(fs), medianOf(as), medianOf(ds)
}

// perClient is the median of the peak RSS that footprintClients clients
// added, over footprintClients.
func (f *footprint) perClient() float64 {
	var added []float64
	for i := range min(len(f.clients[0]), len(f.clients[1])) {
		added = append(added, f.clients[1][i]-f.clients[0][i])
	}
	return medianOf(added) / footprintClients
}

func (f *footprint) goals() []goal {
	t, rss := median(f.empty, wallOf), median(f.empty, rssOf)
	gs := []goal{
		{fmt.Sprintf("binary %.1f MB ≤ 40 MB", float64(f.binary)/1e6), float64(f.binary) <= goalBinary},
		{fmt.Sprintf("`awslua -e ''` %.1f ms ≤ 25 ms", t*1e3), t <= goalEmptyTime},
		{fmt.Sprintf("`awslua -e ''` peak RSS %s ≤ 25 MiB", fmtMiB(rss)), rss <= goalEmptyRSS},
	}
	for _, fc := range firstCalls {
		_, _, adds := f.firstAdds(fc.service)
		gs = append(gs, goal{fmt.Sprintf("first %s call adds %.1f ms ≤ 5 ms", fc.service, adds*1e3), adds <= goalFirstCall})
	}
	per := f.perClient()
	gs = append(gs, goal{fmt.Sprintf("a client holds %.1f KiB ≤ 1 MiB", per/(1<<10)), per <= goalClientBytes})
	return gs
}

// section writes the footprint's part of the report.
func (f *footprint) section(r *strings.Builder) {
	pf := func(format string, args ...any) { fmt.Fprintf(r, format, args...) }
	pf("## Footprint\n\n")
	if f.err != nil {
		pf("Failed:\n\n```\n%v\n```\n\n", f.err)
		return
	}
	for _, g := range f.goals() {
		pf("- %s\n", g)
	}
	pf("\nThe awslua command as `make build` builds it: %.1f MB. `awslua -e ''`, %s: start to exit %s (%s), peak RSS %s.\n\n",
		float64(f.binary)/1e6, plural(len(f.empty), "run"), fmtSecs(median(f.empty, wallOf)), spread(f.empty, wallOf), fmtMiB(median(f.empty, rssOf)))
	pf("The first call of a service ([first_call.lua](internal/bench/lua/first_call.lua)), on a session that has\n" +
		"called STS: `os.clock()` around making the client and calling, then around the same call again;\n" +
		"the first takes longer by the model's decoding, the endpoint rules, the operation's schemas. moto\n" +
		"serves them but S3, which MinIO serves; each server has answered the call once before. Medians of\n" +
		"the runs; the difference is the median of each run's.\n\n")
	pf("| service | operation | first call | again | the first adds |\n|---|---|--:|--:|--:|\n")
	for _, fc := range firstCalls {
		first, again, adds := f.firstAdds(fc.service)
		pf("| %s | %s | %s | %s | %s |\n", fc.service, fc.operation, fmtSecs(first), fmtSecs(again), fmtSecs(adds))
	}
	pf("\nA client's memory ([clients.lua](internal/bench/lua/clients.lua)): the peak RSS of a process that makes\n"+
		"%s S3 clients and keeps them, less that of one that makes none (%s and %s, medians), over\n"+
		"%s: %.1f KiB a client, its Lua object included.\n\n",
		group(footprintClients), fmtMiB(medianOf(slices.Clone(f.clients[1]))), fmtMiB(medianOf(slices.Clone(f.clients[0]))), group(footprintClients), f.perClient()/(1<<10))
}
