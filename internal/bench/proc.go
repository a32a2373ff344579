package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A sample is one run of one side of a workload, as a subprocess.
type sample struct {
	wall    time.Duration // process start to exit
	work    time.Duration // the "ready" line to the "done" line; wall without markers
	cpu     time.Duration // user+system CPU of the whole process
	workCPU time.Duration // user+system CPU between the markers, in clock ticks; -1: unknown
	rss     int64         // peak resident set, bytes
	out     string        // what it printed besides the markers (the last 8 KiB)
}

// clockTick is the unit of /proc/PID/stat's CPU times (USER_HZ).
const clockTick = 10 * time.Millisecond

// measure runs argv with env and measures it. With markers, the program
// must print "ready" when its setup is over and "done" when its work is;
// the time and CPU between the two lines are the work's.
func measure(ctx context.Context, argv, env []string, markers bool) (sample, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	var stderr tail
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return sample{}, err
	}
	// The peak RSS a child reports starts at its parent's peak RSS: Go
	// starts it with vfork, and Linux folds the parent's high-water mark
	// into the child's at exec. Resetting ours to our current RSS keeps
	// the harness's floor as low as it can be (see rssFloor).
	clearPeakRSS()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	pid := cmd.Process.Pid

	var (
		readyAt, doneAt   time.Time
		readyCPU, doneCPU = time.Duration(-1), time.Duration(-1)
		other             tail
	)
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		switch line := sc.Text(); {
		case line == "ready" && readyAt.IsZero():
			readyAt = time.Now()
			readyCPU = procCPU(pid)
		case line == "done" && doneAt.IsZero():
			doneAt = time.Now()
			doneCPU = procCPU(pid)
		default:
			other.Write([]byte(line + "\n"))
		}
	}
	io.Copy(io.Discard, stdout) // what a line too long for the scanner left
	err = cmd.Wait()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s: %v\n%s%s", strings.Join(shortArgv(argv), " "), err, other.String(), stderr.String())
	}
	ps := cmd.ProcessState
	s := sample{wall: wall, work: wall, cpu: ps.UserTime() + ps.SystemTime(), workCPU: ps.UserTime() + ps.SystemTime(), out: other.String()}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		s.rss = int64(ru.Maxrss) << 10 // kilobytes on Linux
	}
	if markers {
		if readyAt.IsZero() || doneAt.IsZero() {
			return sample{}, fmt.Errorf("%s printed no ready/done lines\n%s%s", strings.Join(shortArgv(argv), " "), other.String(), stderr.String())
		}
		s.work = doneAt.Sub(readyAt)
		s.workCPU = -1
		if readyCPU >= 0 && doneCPU >= 0 {
			s.workCPU = doneCPU - readyCPU
		}
	}
	return s, nil
}

// procCPU returns the user+system CPU time a running process has used,
// from /proc/PID/stat, or -1.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// The command name, in parentheses, may hold spaces; the fields after
	// it are numbered from 3 (state), so utime (14) and stime (15) are the
	// 12th and 13th.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return -1
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(u+st) * clockTick
}

// clearPeakRSS resets this process's peak RSS (VmHWM) to its current RSS.
func clearPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// rssFloor measures the peak RSS that a child reports when it uses next
// to no memory itself (true(1)): the part of every peak RSS below which
// the numbers say nothing.
func rssFloor(ctx context.Context) int64 {
	path, err := exec.LookPath("true")
	if err != nil {
		return 0
	}
	s, err := measure(ctx, []string{path}, os.Environ(), false)
	if err != nil {
		return 0
	}
	return s.rss
}

// shortArgv shortens the long arguments of a command line for messages.
func shortArgv(argv []string) []string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if len(a) > 80 {
			a = a[:77] + "..."
		}
		out[i] = a
	}
	return out
}

// A tail keeps the last 8 KiB written to it.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - 8<<10; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// errCanceled reports whether err comes from an interrupted run.
func errCanceled(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled)
}
