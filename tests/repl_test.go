package tests

// Tests of the interactive REPL: each starts the awslua binary in a
// pseudo-terminal, types keys as a person would, and checks what the
// terminal shows, against moto or --local's in-memory S3.

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"

	"github.com/awslua/awslua/internal/testenv"
)

const (
	replRows, replCols = 40, 120
	replTimeout        = 5 * time.Second      // how long an expectation waits
	replKeyDelay       = 3 * time.Millisecond // between two keys
	replPrompt         = "awslua> "
	replMore           = "   ...> "
)

// Keys as a terminal sends them.
const (
	keyEnter = "\r"
	keyTab   = "\t"
	keyCtrlC = "\x03"
	keyCtrlD = "\x04"
	keyCtrlR = "\x12"
	keyCtrlU = "\x15"
	keyUp    = "\x1b[A"
	keyDown  = "\x1b[B"
)

// ---- the session ----

// replSession is the awslua REPL running in a pseudo-terminal.
type replSession struct {
	t   *testing.T
	cmd *exec.Cmd
	tty *os.File // the pty's master: what a terminal emulator holds

	mu   sync.Mutex
	raw  []byte // everything the program wrote to the terminal
	seen int    // how much of text() the expectations have consumed

	readDone chan struct{} // closed when the program's output has ended
	exited   chan struct{} // closed when the program has exited
	waitErr  error
}

// replEnv is an environment without AWS configuration, with HOME (where
// the history is kept) set to home.
func replEnv(t *testing.T, home string, extra ...string) []string {
	env := cliWithout(cliOffline(t), "HOME", "TERM", "PAGER")
	return append(append(env, "HOME="+home, "TERM=xterm", "PAGER=cat"), extra...)
}

// startREPL runs awslua with args in a 120×40 terminal and waits for its
// first prompt.
func startREPL(t *testing.T, env []string, args ...string) *replSession {
	t.Helper()
	cmd := exec.Command(cliBinary(t), args...)
	cmd.Env, cmd.Dir = env, t.TempDir()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: replRows, Cols: replCols})
	if err != nil {
		t.Fatalf("starting awslua in a pty: %v", err)
	}
	s := &replSession{t: t, cmd: cmd, tty: tty, readDone: make(chan struct{}), exited: make(chan struct{})}
	go s.read()
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(s.close)
	s.expect(replPrompt)
	return s
}

// startLocalREPL runs the REPL with --local and HOME at a new directory.
func startLocalREPL(t *testing.T) *replSession {
	t.Helper()
	return startREPL(t, replEnv(t, t.TempDir()), "--local")
}

// read copies the program's output into s.raw until the terminal closes.
func (s *replSession) read() {
	defer close(s.readDone)
	buf := make([]byte, 4096)
	for {
		n, err := s.tty.Read(buf)
		s.mu.Lock()
		s.raw = append(s.raw, buf[:n]...)
		s.mu.Unlock()
		if err != nil { // EIO once the program has exited
			return
		}
	}
}

// close ends the program if it still runs and closes the terminal.
func (s *replSession) close() {
	select {
	case <-s.exited:
	default:
		s.cmd.Process.Kill()
		<-s.exited
	}
	s.tty.Close()
	select {
	case <-s.readDone:
	case <-time.After(replTimeout):
	}
}

// send types keys, each written on its own and a little after the last.
func (s *replSession) send(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		if _, err := s.tty.Write([]byte(k)); err != nil {
			s.t.Fatalf("typing %q: %v", k, err)
		}
		time.Sleep(replKeyDelay)
	}
}

// typeText types text one character at a time.
func (s *replSession) typeText(text string) {
	s.t.Helper()
	for _, r := range text {
		s.send(string(r))
	}
}

// enter types a line and Enter, and waits for the line to be taken.
func (s *replSession) enter(line string) {
	s.t.Helper()
	s.typeText(line)
	s.send(keyEnter)
	s.expect(line + "\n")
}

// run enters a complete line and returns what it printed before the next
// prompt, escape sequences stripped, and without the line of spaces the
// REPL writes to start the prompt on a line of its own.
func (s *replSession) run(line string) string {
	s.t.Helper()
	s.enter(line)
	return s.result()
}

// result waits for the next prompt and returns what came before it but the
// REPL's line of spaces.
func (s *replSession) result() string {
	s.t.Helper()
	return strings.TrimRight(s.expect(replPrompt), " ")
}

// runWant runs a line and fails unless it printed exactly want.
func (s *replSession) runWant(line, want string) {
	s.t.Helper()
	if got := s.run(line); got != want {
		s.t.Errorf("%s printed %q, want %q", line, got, want)
	}
}

// expect waits until the output after the last match holds want, and
// returns what came before it.
func (s *replSession) expect(want string) string {
	s.t.Helper()
	var before string
	s.waitFor(want, func(text string) bool {
		i := strings.Index(text[s.seen:], want)
		if i < 0 {
			return false
		}
		before = text[s.seen : s.seen+i]
		s.seen += i + len(want)
		return true
	})
	return before
}

// expectEditLine waits until the line being edited reads want up to the
// cursor, and nothing after it.
func (s *replSession) expectEditLine(want string) {
	s.t.Helper()
	s.waitFor("the edited line "+want, func(string) bool {
		rows, row, col := s.screen()
		line := []rune(rows[row])
		return string(line[:col]) == want && strings.TrimSpace(string(line[col:])) == ""
	})
}

// expectRow waits until a row of the screen reads want.
func (s *replSession) expectRow(want string) {
	s.t.Helper()
	s.waitFor("a row "+want, func(string) bool {
		rows, _, _ := s.screen()
		return slices.ContainsFunc(rows, func(r string) bool { return strings.TrimRight(r, " ") == want })
	})
}

// waitFor polls until ok, given the output so far, is true; it fails the
// test with the screen after replTimeout.
func (s *replSession) waitFor(what string, ok func(text string) bool) {
	s.t.Helper()
	deadline := time.Now().Add(replTimeout)
	for {
		if ok(s.text()) {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("after %v the terminal shows no %q; the screen:\n%s", replTimeout, what, s.screenText())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// exit waits for the program to exit and for its last output, and returns
// its exit code.
func (s *replSession) exit() int {
	s.t.Helper()
	select {
	case <-s.exited:
	case <-time.After(replTimeout):
		s.t.Fatalf("awslua did not exit; the screen:\n%s", s.screenText())
	}
	select {
	case <-s.readDone:
	case <-time.After(replTimeout):
		s.t.Fatal("the terminal did not close after awslua exited")
	}
	var exit *exec.ExitError
	if errors.As(s.waitErr, &exit) {
		return exit.ExitCode()
	}
	if s.waitErr != nil {
		s.t.Fatal(s.waitErr)
	}
	return 0
}

func (s *replSession) output() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.raw)
}

// ---- what the terminal shows ----

// ansi matches an escape sequence: CSI, OSC, a character set or a
// two-character one.
var ansi = regexp.MustCompile("\x1b(?:\\[[0-?]*[ -/]*[@-~]|\\][^\x07\x1b]*(?:\x07|\x1b\\\\)|[()][0-9A-Za-z]|[0-9=>@-Z\\\\^_a-z])")

// text is the output with escape sequences and control characters but
// newlines and tabs taken out; an escape sequence that has not all
// arrived yet is left for later, so that text only ever grows.
func (s *replSession) text() string {
	raw := s.output()
	if i := bytes.LastIndexByte(raw, 0x1b); i >= 0 {
		if loc := ansi.FindIndex(raw[i:]); loc == nil || loc[0] != 0 {
			raw = raw[:i]
		}
	}
	for i := len(raw) - 1; i >= max(0, len(raw)-utf8.UTFMax); i-- {
		if utf8.RuneStart(raw[i]) {
			if !utf8.FullRune(raw[i:]) {
				raw = raw[:i] // and so is a character
			}
			break
		}
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, ansi.ReplaceAllString(string(raw), ""))
}

// screen replays the output on a 120×40 screen, with as much of a VT100 as
// readline's redrawing uses: carriage return, newline, backspace, cursor
// moves, and erasing in a line and in the screen. It returns the rows, each
// 120 wide, and the cursor's position.
func (s *replSession) screen() (rows []string, row, col int) {
	grid := make([][]rune, replRows)
	blank := func() []rune { return []rune(strings.Repeat(" ", replCols)) }
	for i := range grid {
		grid[i] = blank()
	}
	newline := func() {
		if row++; row == replRows {
			grid, row = append(grid[1:], blank()), replRows-1
		}
	}
	clamp := func(v, hi int) int { return max(0, min(v, hi)) }
	out := []rune(string(s.output()))
	for i := 0; i < len(out); i++ {
		switch r := out[i]; {
		case r == 0x1b && i+1 < len(out) && out[i+1] == '[':
			j := i + 2
			for j < len(out) && (out[j] < '@' || out[j] > '~') {
				j++
			}
			if j == len(out) {
				i = j
				break
			}
			var n []int
			for _, p := range strings.Split(strings.Trim(string(out[i+2:j]), "?"), ";") {
				v := 0
				for _, d := range p {
					v = v*10 + int(d-'0')
				}
				n = append(n, v)
			}
			arg := func(k, def int) int {
				if k < len(n) && n[k] > 0 {
					return n[k]
				}
				return def
			}
			switch out[j] {
			case 'A':
				row = clamp(row-arg(0, 1), replRows-1)
			case 'B':
				row = clamp(row+arg(0, 1), replRows-1)
			case 'C':
				col = clamp(col+arg(0, 1), replCols-1)
			case 'D':
				col = clamp(col-arg(0, 1), replCols-1)
			case 'G':
				col = clamp(arg(0, 1)-1, replCols-1)
			case 'H', 'f':
				row, col = clamp(arg(0, 1)-1, replRows-1), clamp(arg(1, 1)-1, replCols-1)
			case 'K', 'J':
				from, to := col, replCols // 0: from the cursor on
				switch arg(0, 0) {
				case 1:
					from, to = 0, min(col+1, replCols)
				case 2:
					from = 0
				}
				for c := from; c < to; c++ {
					grid[row][c] = ' '
				}
				if out[j] == 'J' {
					for r := range grid {
						if arg(0, 0) == 0 && r > row || arg(0, 0) == 1 && r < row || arg(0, 0) == 2 {
							grid[r] = blank()
						}
					}
				}
			}
			i = j
		case r == 0x1b: // a two-character sequence, which moves nothing
			i++
		case r == '\r':
			col = 0
		case r == '\n':
			newline()
		case r == '\b':
			col = max(0, col-1)
		case r == '\t':
			col = min(replCols-1, (col/8+1)*8)
		case r < ' ':
		default:
			if col == replCols {
				col = 0
				newline()
			}
			grid[row][col] = r
			col++
		}
	}
	rows = make([]string, replRows)
	for i, g := range grid {
		rows[i] = string(g)
	}
	return rows, row, min(col, replCols-1)
}

// screenText is the screen as a person would see it, framed.
func (s *replSession) screenText() string {
	rows, _, _ := s.screen()
	for i := range rows {
		rows[i] = strings.TrimRight(rows[i], " ")
	}
	for len(rows) > 0 && rows[len(rows)-1] == "" {
		rows = rows[:len(rows)-1]
	}
	rule := strings.Repeat("-", replCols)
	return rule + "\n" + strings.Join(rows, "\n") + "\n" + rule
}

// ---- the tests ----

func TestREPLAutoPrint(t *testing.T) {
	s := startLocalREPL(t)
	s.runWant("1 + 1", "2\n")
	s.runWant("{b={1,2}, a=1, c='x'}", "{\n  a = 1,\n  b = { 1, 2 },\n  c = \"x\",\n}\n")
	s.runWant("21", "21\n")
	s.runWant("_ * 10", "210\n")
	s.runWant("x = 5", "") // a statement prints nothing
	s.runWant("x", "5\n")
	s.runWant("'a', nil, true", "\"a\"\nnil\ntrue\n")

	// Output that does not end its line stays on the screen, and the next
	// prompt starts a line of its own.
	s.runWant(`for i = 1, 3 do io.write(i, " ") end`, "1 2 3")
	s.expectRow("1 2 3")
	s.expectEditLine(replPrompt)
}

func TestREPLContinuation(t *testing.T) {
	s := startLocalREPL(t)
	s.enter("function twice(n)")
	s.expect(replMore)
	s.enter("return n * 2")
	s.expect(replMore)
	s.enter("end")
	s.expect(replPrompt)
	s.runWant("twice(21)", "42\n")

	// Ctrl-C at the continuation prompt drops the unfinished table: 2 + 2
	// is then a line of its own, and t was never set.
	s.enter("t = {")
	s.expect(replMore)
	s.typeText("1,")
	s.send(keyCtrlC)
	s.expect("^C\n")
	s.expect(replPrompt)
	s.runWant("2 + 2", "4\n")
	s.runWant("t", "nil\n")
}

func TestREPLCompletion(t *testing.T) {
	s := startLocalREPL(t)
	s.run(`s3 = aws.client("s3")`)
	for _, c := range []struct{ typed, completed string }{
		{"pri", "print"},                                            // a global
		{"string.up", "string.upper"},                               // a table's field
		{"s3:list_objects_v", "s3:list_objects_v2"},                 // a client's method
		{`aws.client("dyn`, `aws.client("dynamodb`},                 // a service name
		{"s3:list_objects_v2{Buck", "s3:list_objects_v2{Bucket = "}, // a request member
		{`s3:list_objects_v2{Bucket="b", Max`, `s3:list_objects_v2{Bucket="b", MaxKeys = `},
	} {
		s.typeText(c.typed)
		s.expectEditLine(replPrompt + c.typed)
		s.send(keyTab)
		s.expectEditLine(replPrompt + c.completed)
		s.send(keyCtrlU)
		s.expectEditLine(replPrompt)
	}
	// What Tab put on the line is what runs.
	s.typeText("string.up")
	s.send(keyTab)
	s.expectEditLine(replPrompt + "string.upper")
	s.typeText(`("done")`)
	s.send(keyEnter)
	s.expect(`string.upper("done")` + "\n")
	if got := s.result(); got != "\"DONE\"\n" {
		t.Errorf("the completed line printed %q", got)
	}
}

func TestREPLHelp(t *testing.T) {
	s := startLocalREPL(t)
	s.run(`s3 = aws.client("s3")`)
	out := s.run("help(s3.list_objects_v2)")
	cliHas(t, "help(s3.list_objects_v2)", out, "s3:list_objects_v2{...}", "request ListObjectsV2Request (* required)", "* Bucket: string", "MaxKeys: integer")
	out = s.run("help(s3)")
	cliHas(t, "help(s3)", out, "s3 client", "operations", "list_objects_v2", "put_object", "get_paginator")
	out = s.run("help()")
	cliHas(t, "help()", out, "Type Lua; expressions print their values", ":traceback", "Ctrl-D exits")
}

func TestREPLErrors(t *testing.T) {
	s := startLocalREPL(t)
	s.runWant(`error("boom")`, "boom\n")
	s.runWant("1+1", "2\n")
	cliHas(t, ":traceback", s.run(":traceback"), "stack traceback:", "in function 'error'")
	s.run(`s3 = aws.client("s3")`)
	for _, c := range []struct {
		line  string
		wants []string
	}{
		{`s3:list_objects_v2{Bucket="missing"}`, []string{"NoSuchBucket", "ListObjectsV2"}},
		{`s3:list_objects_v2{}`, []string{"Missing required parameter", `"Bucket"`}},
		{`s3:list_objects_v2{Bucket="b", MaxKeys="ten"}`, []string{"Invalid type for parameter MaxKeys"}},
		{`s3:list_objects_v2{Bucket="b", Bukcet="c"}`, []string{`Unknown parameter in input: "Bukcet"`}},
		{"x = = 1", []string{"syntax error"}},
	} {
		out := s.run(c.line)
		if strings.Count(out, "\n") != 1 {
			t.Errorf("%s: the error is not one line: %q", c.line, out)
		}
		cliHas(t, c.line, out, c.wants...)
	}
	s.runWant("1+1", "2\n")
}

func TestREPLInterrupt(t *testing.T) {
	// A server that takes connections and never answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan net.Conn, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for len(accepted) > 0 {
			(<-accepted).Close()
		}
	})

	env := replEnv(t, t.TempDir(), "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_REGION=us-east-1")
	s := startREPL(t, env, "--endpoint-url", "http://"+ln.Addr().String())
	s.enter(`aws.client("s3"):list_buckets{}`)
	select {
	case c := <-accepted:
		accepted <- c // for the cleanup
	case <-time.After(replTimeout):
		t.Fatalf("the request never reached the server; the screen:\n%s", s.screenText())
	}
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	s.send(keyCtrlC)
	s.expect("interrupted\n")
	s.expect(replPrompt)
	if d := time.Since(start); d > time.Second {
		t.Errorf("Ctrl-C took %v to return to the prompt", d)
	} else {
		t.Logf("Ctrl-C returned to the prompt in %v", d)
	}
	s.runWant("1+1", "2\n")

	// Ctrl-C stops a loop of Lua too.
	s.enter("while true do end")
	time.Sleep(300 * time.Millisecond)
	s.send(keyCtrlC)
	s.expect("interrupted\n")
	s.expect(replPrompt)
	s.runWant("1+1", "2\n")
}

func TestREPLPaginator(t *testing.T) {
	s := startLocalREPL(t)
	s.run(`s3 = aws.client("s3")`)
	s.run(`s3:create_bucket{Bucket="bkt"}`) // S3 wants 3 characters at least
	s.runWant(`for i = 1, 30 do s3:put_object{Bucket="bkt", Key=string.format("k%02d", i), Body="x"} end`, "")
	out := s.run(`s3:get_paginator("list_objects_v2"):paginate{Bucket="bkt"}`)
	cliHas(t, "the paginator", out, `Key = "k01"`, `Key = "k10"`,
		"-- 10 of the first page's 30 items; for all pages: for page in _ do ... end, or _:build_full_result()")
	if strings.Contains(out, "k11") {
		t.Errorf("the paginator shows more than 10 items:\n%s", out)
	}
	// _ is the iterator itself, which goes through every page.
	s.runWant(`n = 0; for page in _ do n = n + #page.Contents end`, "")
	s.runWant("n", "30\n")
}

func TestREPLHistory(t *testing.T) {
	home := t.TempDir()
	s := startREPL(t, replEnv(t, home), "--local")
	s.run("history_marker = 42")
	s.send(keyCtrlD)
	if code := s.exit(); code != 0 {
		t.Errorf("Ctrl-D: exit %d", code)
	}
	// The session ends on the prompt with ^D and a new line, leaving the
	// cursor at the start of a clean line.
	if text := s.text(); !strings.HasSuffix(text, replPrompt+"^D\n") {
		t.Errorf("the output ends %q", text[max(0, len(text)-40):])
	}
	if rows, row, col := s.screen(); col != 0 || strings.TrimSpace(rows[row]) != "" {
		t.Errorf("the cursor is left at column %d of %q", col, rows[row])
	}
	hist, err := os.ReadFile(filepath.Join(home, ".awslua_history"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(cliLines(string(hist)), "history_marker = 42") {
		t.Errorf("the history file holds %q", hist)
	}

	s = startREPL(t, replEnv(t, home), "--local")
	s.send(keyUp)
	s.expectEditLine(replPrompt + "history_marker = 42")
	// Down, not Ctrl-U: readline keeps an edit to a recalled line in the
	// history until the next line is entered, and Ctrl-R would search that.
	s.send(keyDown)
	s.expectEditLine(replPrompt)

	// Ctrl-R finds the line; Enter runs it.
	s.send(keyCtrlR)
	s.typeText("history_m")
	s.expectRow(replPrompt + "history_marker = 42")
	s.expect("bck-i-search: history_m")
	s.send(keyEnter)
	s.expect(replPrompt + "history_marker = 42\n")
	s.expect(replPrompt)
	s.runWant("history_marker", "42\n")
}

// TestCLIStdinIsOneChunk: standard input that is not a terminal is a
// script, as with lua and python, not lines typed at the REPL.
func TestCLIStdinIsOneChunk(t *testing.T) {
	t.Parallel()
	env := cliOffline(t)
	for _, tc := range []struct {
		name, stdin  string
		code         int
		stdout       string
		stderrHas    []string
		stderrHasNot []string
	}{
		{"locals live across lines", "local x = 5\nlocal t = {}\nfor i = 1, 3 do\n  t[i] = i * x\nend\nprint(x, #t, t[3])\n",
			0, "5\t3\t15\n", nil, nil},
		{"nothing runs when it does not parse", "print(1)\nx = = 2\nprint(3)\n",
			1, "", []string{"stdin", "line:2"}, nil},
		{"the first error stops it", "print(1)\nerror(\"boom\")\nprint(3)\n",
			1, "1\n", []string{"stdin:2:", "boom"}, nil},
		{"a shebang line is allowed", "#!/usr/bin/env awslua\nprint(select('#', ...))\nerror('late')\n",
			1, "0\n", []string{"stdin:3:", "late"}, nil},
		{"no prompt and no colour", "return 1 + 1\n", 0, "", nil, []string{"awslua>", "\x1b["}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cliCmd{env: env, stdin: tc.stdin}.run(t).want(t, tc.code)
			if r.stdout != tc.stdout {
				t.Errorf("stdout %q, want %q\n%s", r.stdout, tc.stdout, r)
			}
			cliHas(t, "stderr", r.stderr, tc.stderrHas...)
			for _, s := range tc.stderrHasNot {
				if strings.Contains(r.stdout+r.stderr, s) {
					t.Errorf("%q in the output:\n%s", s, r)
				}
			}
		})
	}

	// -i asks for the REPL: line by line, values printed, no prompt.
	t.Run("-i", func(t *testing.T) {
		r := cliCmd{env: env, stdin: "1+1\nerror(\"x\")\n2+2\n"}.run(t, "-i").want(t, 1)
		if r.stdout != "2\n4\n" {
			t.Errorf("stdout %q, want the two values", r.stdout)
		}
		if lines := cliLines(r.stderr); len(lines) == 0 || lines[0] != "x" {
			t.Errorf("stderr %q, want the error first", r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, "awslua>") || strings.Contains(r.stdout+r.stderr, "\x1b[") {
			t.Errorf("a prompt or colour when piped:\n%s", r)
		}
		cliCmd{env: env}.run(t, "-i", "-e", "print(1)").want(t, 2)
	})
}

// startMotoREPL runs the REPL against moto, with HOME at a new directory
// and extra variables in its environment.
func startMotoREPL(t *testing.T, extra ...string) *replSession {
	t.Helper()
	env := cliWithout(testenv.Env(t, "moto"), "HOME", "TERM", "PAGER")
	return startREPL(t, append(env, append([]string{"HOME=" + t.TempDir(), "TERM=xterm", "PAGER=cat"}, extra...)...))
}

func TestREPLSyntaxErrorsAtOnce(t *testing.T) {
	s := startMotoREPL(t)
	s.run(`s3 = aws.client("s3")`)
	// Input that no further line can fix is an error at once, with the
	// likely fix as a hint; no ...> prompt.
	for _, c := range []struct{ line, want string }{
		{"s3:list_buckets", "syntax error at the end of the input; did you mean s3:list_buckets()?\n"},
		{"x = 1; x", "syntax error at the end of the input; did you mean x = 1; return x?\n"},
		{"x = = 1", "syntax error near '=' (line 1, column 5)\n"},
		{"end", "syntax error near 'end' (line 1, column 3)\n"},
	} {
		s.runWant(c.line, c.want)
	}
	// The hint runs.
	s.runWant("x = 1; return x", "1\n")
	out := s.run("s3:list_buckets()")
	cliHas(t, "s3:list_buckets()", out, "Buckets")
	// Unfinished input continues: a block, a bracket, a string.
	for _, first := range []string{"for i = 1, 2 do", "t = {", `s = "a`, "f = (1 +", "while false", "--[[ a comment"} {
		s.enter(first)
		s.expect(replMore)
		s.send(keyCtrlC)
		s.expect(replPrompt)
	}
}

func TestREPLMultiLineEntries(t *testing.T) {
	home := t.TempDir()
	env := append(cliWithout(testenv.Env(t, "moto"), "HOME", "TERM", "PAGER"), "HOME="+home, "TERM=xterm", "PAGER=cat")
	s := startREPL(t, env)
	s.enter("function twice(n)")
	s.expect(replMore)
	s.enter("  return n * 2 -- a comment ends its line only")
	s.expect(replMore)
	s.enter("end")
	s.expect(replPrompt)
	s.runWant("twice(21)", "42\n")

	// The entry comes back whole from the history, on one line, and runs
	// as it was typed: the comment ends where its line did.
	s.send(keyUp, keyUp)
	s.expectEditLine(replPrompt + "function twice(n)↵  return n * 2 -- a comment ends its line only↵end")
	s.send(keyEnter)
	s.expect(replPrompt)
	s.runWant("twice(4)", "8\n")

	// Ctrl-D on a continuation line cancels the entry, not the session.
	s.enter("t = {")
	s.expect(replMore)
	s.send(keyCtrlD)
	s.expect("(entry cancelled)\n")
	s.expect(replPrompt)
	s.runWant("t", "nil\n")

	// local at the prompt lasts.
	s.runWant("local n = 5", "")
	s.runWant("n * 2", "10\n")
	s.runWant("local function sq(x) return x * x end", "")
	s.runWant("sq(n)", "25\n")

	// :history shows the session's entries, newlines kept.
	out := s.run(":history")
	cliHas(t, ":history", out, "   1  function twice(n)\n        return n * 2 -- a comment ends its line only\n      end\n", "sq(n)\n")
	s.send(keyCtrlD)
	s.exit()
	hist, err := os.ReadFile(filepath.Join(home, ".awslua_history"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(cliLines(string(hist)), "function twice(n)↵  return n * 2 -- a comment ends its line only↵end") {
		t.Errorf("the history file holds %q", hist)
	}
}

// TestREPLEdit: :edit hands an entry to the user's editor as it was typed,
// newlines and all, and runs what the editor saved.
func TestREPLEdit(t *testing.T) {
	dir := t.TempDir()
	mode := filepath.Join(dir, "mode")
	// The editor keeps a copy of what it was given, then does what the
	// test asks: an edit, emptying the file, or failing.
	editor := filepath.Join(dir, "editor")
	script := `#!/bin/sh
cp "$1" "` + dir + `/seen"
case "$(cat '` + mode + `')" in
  sed) sed -i 's/n \* 2/n * 3/' "$1" ;;
  empty) : > "$1" ;;
  fail) exit 3 ;;
esac
`
	if err := os.WriteFile(editor, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	setMode := func(m string) {
		if err := os.WriteFile(mode, []byte(m), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := append(cliWithout(testenv.Env(t, "moto"), "HOME", "TERM", "PAGER", "VISUAL", "EDITOR"), "HOME="+t.TempDir(), "TERM=xterm", "PAGER=cat", "EDITOR="+editor)
	s := startREPL(t, env)
	s.enter("function twice(n)")
	s.enter("  return n * 2")
	s.enter("end")
	s.expect(replPrompt)
	s.runWant("twice(21)", "42\n")

	setMode("sed")
	// What runs is shown as if typed, prompts and all.
	s.enter(":edit 1")
	s.expect(replPrompt + "function twice(n)\n" + replMore + "  return n * 3\n" + replMore + "end\n")
	s.expect(replPrompt)
	if seen, err := os.ReadFile(filepath.Join(dir, "seen")); err != nil || string(seen) != "function twice(n)\n  return n * 2\nend\n" {
		t.Errorf("the editor was given %q (%v)", seen, err)
	}
	s.runWant("twice(2)", "6\n")
	// The edited entry is the session's newest: :edit alone opens it.
	cliHas(t, ":history", s.run(":history"), "   3  function twice(n)\n        return n * 3\n      end\n")

	setMode("empty")
	cliHas(t, ":edit emptied", s.run(":edit"), "(nothing to run)\n")
	setMode("fail")
	cliHas(t, ":edit failing", s.run(":edit"), "the editor ("+editor+") failed: exit status 3; nothing ran\n")
	cliHas(t, ":edit 99", s.run(":edit 99"), ":edit takes the number of an entry :history lists, 1 to ")
	s.runWant("twice(5)", "15\n")
	s.send(keyCtrlD)
	s.exit()
}

func TestREPLLastResultAndError(t *testing.T) {
	s := startMotoREPL(t)
	s.run(`s3 = aws.client("s3")`)
	s.run(`s3:list_objects_v2{Bucket="no-such-bucket-here"}`)
	s.runWant("_err.code", "\"NoSuchBucket\"\n")
	if out := s.run("_err.request_id"); !regexp.MustCompile(`^"[^"]+"\n$`).MatchString(out) {
		t.Errorf("_err.request_id printed %q", out)
	}
	s.runWant("_err.operation", "\"ListObjectsV2\"\n")
	s.run(`error("plain")`)
	s.runWant("_err", "\"stdin:1: plain\"\n") // the error value, as pcall returns it
	s.runWant("40 + 2", "42\n")
	s.runWant("_", "42\n")
}

func TestREPLTimingAndSave(t *testing.T) {
	s := startMotoREPL(t)
	s.runWant(":timing on", "")
	out := s.run(`s3 = aws.client("s3")`)
	if !regexp.MustCompile(`^-- \d+\.\d{3} s, 0 requests\n$`).MatchString(out) {
		t.Errorf("timing of a line without requests: %q", out)
	}
	bucket := testenv.Name("repl-timing")
	out = s.run(fmt.Sprintf(`s3:create_bucket{Bucket=%q}; s3:head_bucket{Bucket=%q}`, bucket, bucket))
	if !regexp.MustCompile(`^-- \d+\.\d{3} s, 2 requests\n$`).MatchString(out) {
		t.Errorf("timing of two requests: %q", out)
	}
	s.runWant(":timing off", "")
	s.runWant(":timings", "no command :timings; :help lists them\n")
	s.runWant("1 + 1", "2\n")
	s.run("x = = 1") // fails: not saved
	s.enter("for i = 1, 2 do")
	s.expect(replMore)
	s.runWant("print(i) end", "1\n2\n")
	file := filepath.Join(t.TempDir(), "session.lua")
	s.runWant(":save "+file, fmt.Sprintf("saved 4 entries to %s\n", file))
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("s3 = aws.client(\"s3\")\ns3:create_bucket{Bucket=%q}; s3:head_bucket{Bucket=%q}\n1 + 1\nfor i = 1, 2 do\nprint(i) end\n", bucket, bucket)
	if !strings.HasPrefix(string(got), want) {
		t.Errorf("the saved script:\n%s\nwant it to start:\n%s", got, want)
	}
}

func TestREPLHelpEverything(t *testing.T) {
	s := startMotoREPL(t, "PAGER=sed s/^/paged:/")
	bucket := testenv.Name("repl-help")
	s.run(`s3 = aws.client("s3"); ddb = aws.client("dynamodb")`)
	s.run(fmt.Sprintf(`s3:create_bucket{Bucket=%q}; s3:put_object{Bucket=%q, Key="k", Body="hello"}`, bucket, bucket))
	for _, c := range []struct {
		line  string
		wants []string
	}{
		{"help(aws)", []string{"Session{profile_name=", "client(service, {region_name=", "resource(service,", "dynamodb: Attr, Key, binary",
			"fs: walk", "json: decode, encode, null", "timestamp(rfc3339 or epoch seconds)", "inspect(v, {max_items="}},
		{"help(aws.json)", []string{"  encode(v): v as JSON text\n", "  decode(s): the value the JSON text s holds"}},
		{"help(aws.dynamodb.Key)", []string{"Key(name): a key condition, for KeyConditionExpression"}},
		{"help(s3.upload_file)", []string{"upload_file(filename, bucket, key, {ExtraArgs=, Callback=, Config=})"}},
		{"help(s3.get_paginator)", []string{"get_paginator(op): a paginator"}},
		{"help(s3.exceptions)", []string{"NoSuchKey: a modeled error; err:is(it) tells whether err is one"}},
		{fmt.Sprintf(`help(aws.resource("s3"):Bucket(%q).upload_file)`, bucket), []string{"upload_file(filename, key, {ExtraArgs="}},
		{fmt.Sprintf(`help(aws.resource("s3"):Object(%q, "k").download_file)`, bucket), []string{"download_file(filename, {ExtraArgs="}},
		{`help(aws.resource("dynamodb"):Table("t").query_items)`, []string{"query_items({...query's members...}"}},
		{`help(aws.Session{region_name="eu-west-1"})`, []string{"session (", "client(service, {", "get_available_services()"}},
		{"help(s3)", []string{"s3 client (us-east-1", "\nlist:\n  list_", "list_buckets", "\nput:\n  put_", "put_object", "helpers:",
			"upload_file(filename, bucket, key", "download_file(", "copy{CopySource=", "get_paginator(op)", "get_waiter(name)",
			"generate_presigned_url(op", "can_paginate(op)", "meta: service_name", "exceptions: the modeled errors", "waiters: bucket_exists"}},
		{"help(s3.put_object)", []string{"s3:put_object{...}  (S3 PutObject)", "https://docs.aws.amazon.com/goto/WebAPI/s3-2006-03-01/PutObject",
			"request PutObjectRequest (* required):", "* Bucket: string", "Body: stream", "StorageClass: enum (STANDARD,",
			"response PutObjectOutput:", "ETag: string"}},
		{`help(s3.put_object, "Tagging")`, []string{"Tagging: string"}},
		{`help(s3.put_bucket_tagging, "Tagging")`, []string{"Tagging: Tagging", "* TagSet: list of Tag"}},
		{`help(s3.put_bucket_tagging, "PutBucketTaggingRequest.Tagging.TagSet")`, []string{"TagSet: list of Tag", "Tag (* required):", "* Key: string", "* Value: string"}},
		{`help(ddb.create_table, "CreateTableInput.KeySchema")`, []string{"KeySchema: list of KeySchemaElement", "* AttributeName: string", "* KeyType: enum (HASH, RANGE)"}},
		{`help(ddb.create_table, "BillingMode")`, []string{"BillingMode: enum (PROVISIONED, PAY_PER_REQUEST)", "values:"}},
		{`help(ddb.create_table, "TableDescription.TableStatus")`, []string{"TableStatus: enum (CREATING,"}},
		{`help(s3:get_paginator("list_objects_v2"))`, []string{"paginator of s3:list_objects_v2", "PaginationConfig={MaxItems=", "* Bucket: string"}},
		{`help(s3:get_paginator("list_objects_v2"):paginate{Bucket="x"})`, []string{"page iterator:", "build_full_result"}},
		{`help(s3:get_waiter("bucket_exists"))`, []string{"waiter bucket_exists of s3", "WaiterConfig={Delay=", "polls head_bucket"}},
		{fmt.Sprintf(`help(aws.resource("s3"):Bucket(%q))`, bucket), []string{"a Bucket resource of s3", "identifiers: name",
			"attributes (Bucket, loaded on first use):", "creation_date: timestamp", "actions (call with a colon):", "put_object{...} (PutObject)",
			"collections (all(), filter{...}", "objects: ObjectSummary (ListObjectsV2)", "sub-resources:", "Object(...): Object", "waiters:", "wait_until_exists()"}},
		{fmt.Sprintf(`help(aws.resource("s3"):Bucket(%q).put_object)`, bucket), []string{"s3.Bucket:put_object{...}  (S3 PutObject)",
			"the resource fills in: Bucket", "request PutObjectRequest (* required):", "* Key: string", "returns: s3.Object"}},
		{fmt.Sprintf(`help(aws.resource("s3"):Bucket(%q).delete)`, bucket), []string{"s3.Bucket:delete{...}  (S3 DeleteBucket)",
			"returns: the response, with ResponseMetadata only"}},
		{fmt.Sprintf(`help(aws.resource("s3"):Bucket(%q).objects)`, bucket), []string{"collection s3.Bucket", "of ObjectSummary resources", "coll:filter{", "batch actions: delete{...}", "* Bucket: string"}},
		{`help(aws.resource("dynamodb"):Table("t"))`, []string{"a Table resource of dynamodb", "key_schema: list of KeySchemaElement", "query_items({...query's members...}, {page_size=, max_items=})", "batch_writer([{overwrite_by_pkeys=", "put_item{...} (PutItem)"}},
		{fmt.Sprintf(`help(s3:get_object{Bucket=%q, Key="k"}.Body)`, bucket), []string{"streaming body: read([n])", "lines()"}},
		{`help({a = 1, b = {1, 2}})`, []string{"a table with:", "a: number", "b: an array of 2"}},
		{"help(s3.exceptions.NoSuchKey)", []string{"exception NoSuchKey"}},
		{"help(no_such_variable)", []string{"nil: nothing is there"}},
		{"help(print)", []string{"a built-in function; help(obj) describes the methods of obj"}},
		{"help(function(a, b) end)", []string{"a Lua function of 2 parameters, defined at stdin:1"}},
	} {
		out := strings.ReplaceAll(s.run(c.line), "paged:", "")
		cliHas(t, c.line, out, c.wants...)
		if strings.Contains(out, "userdata") {
			t.Errorf("%s says userdata:\n%s", c.line, out)
		}
	}
	// What does not fit the screen goes through $PAGER, what fits does not.
	cliHas(t, "help(s3), longer than the screen", s.run("help(s3)"), "paged:s3 client")
	if out := s.run(`help(s3:get_waiter("bucket_exists"))`); strings.Contains(out, "paged:") {
		t.Errorf("a short help went through the pager:\n%s", out)
	}
	// So does a long result.
	cliHas(t, "a long result", s.run("(function() local t = {} for i = 1, 45 do t[i] = {n = i} end return t end)()"), "paged:{\n", "paged:  { n = 45 },\n")
	s.runWant("{1, 2}", "{ 1, 2 }\n")
	// An error: its code, message and request id, and the members of its
	// modeled exception.
	s.run(`ddb:describe_table{TableName="no-such-table"}`)
	cliHas(t, "help(_err)", s.run("help(_err)"), "error ResourceNotFoundException:", "operation = \"DescribeTable\"", "request_id = \"",
		"status_code = 400", "the modeled exception dynamodb.exceptions.ResourceNotFoundException (members):", "message: string")
	// A path that is not there names what is.
	cliHas(t, "a wrong path", s.run(`help(ddb.create_table, "KeySchema.Nope")`), `KeySchemaElement has no member "Nope"; its members are: AttributeName, KeyType`)
}

// completes types text, presses Tab and waits for the line to read want;
// then it clears the line.
func (s *replSession) completes(typed, want string) {
	s.t.Helper()
	s.typeText(typed)
	s.expectEditLine(replPrompt + typed)
	s.send(keyTab)
	s.expectEditLine(replPrompt + want)
	s.send(keyCtrlU)
	s.expectEditLine(replPrompt)
}

// lists types text, presses Tab, waits until the terminal lists every one
// of wants, and clears the line.
func (s *replSession) lists(typed string, wants ...string) {
	s.t.Helper()
	s.typeText(typed)
	s.expectEditLine(replPrompt + typed)
	s.send(keyTab)
	for _, w := range wants {
		s.waitFor(w, func(text string) bool { return strings.Contains(text[s.seen:], w) })
	}
	s.seen = len(s.text())
	s.send(keyCtrlU)
	s.expectEditLine(replPrompt)
}

func TestREPLCompletionKinds(t *testing.T) {
	bucket, table := testenv.Name("repl-comp"), testenv.Name("repl-comp")
	ddb := testenv.Client(t, "moto", "dynamodb")
	cliCall(t, ddb, "create_table", map[string]any{"TableName": table, "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"}}})
	t.Cleanup(func() { cliCall(t, ddb, "delete_table", map[string]any{"TableName": table}) })
	s3c := testenv.Client(t, "moto", "s3")
	cliCall(t, s3c, "create_bucket", map[string]any{"Bucket": bucket})
	t.Cleanup(func() { cliCall(t, s3c, "delete_bucket", map[string]any{"Bucket": bucket}) })
	sqs := testenv.Client(t, "moto", "sqs")
	queueURL := cliDig[string](t, cliCall(t, sqs, "create_queue", map[string]any{"QueueName": bucket}), "QueueUrl")
	t.Cleanup(func() { cliCall(t, sqs, "delete_queue", map[string]any{"QueueUrl": queueURL}) })

	function := replLambdaFunction(t)

	s := startMotoREPL(t)
	s.run(`s3, ddb, sqs, ec2, lam = aws.client("s3"), aws.client("dynamodb"), aws.client("sqs"), aws.client("ec2"), aws.client("lambda")`)
	s.run(fmt.Sprintf(`b = aws.resource("s3"):Bucket(%q); t = aws.resource("dynamodb"):Table(%q)`, bucket, table))

	// Client helpers, and the kinds of several candidates.
	s.completes("s3:get_pa", "s3:get_paginator")
	s.completes("s3:upload_f", "s3:upload_file")
	s.lists("s3:upload_file", "upload_file  (method)", "upload_fileobj  (method)")
	// After calls that make an object and send nothing; a call that would
	// send a request is not made, and completes nothing.
	s.completes(`aws.client("s3"):get_pa`, `aws.client("s3"):get_paginator`)
	s.completes(fmt.Sprintf(`aws.resource('s3'):Bucket(%q).wait_until_e`, bucket), fmt.Sprintf(`aws.resource('s3'):Bucket(%q).wait_until_exists`, bucket))
	s.completes(`s3:get_paginator("list_objects_v2"):pag`, `s3:get_paginator("list_objects_v2"):paginate`)
	s.completes(`s3:list_buckets().Buck`, `s3:list_buckets().Buck`)
	// A resource's members, a collection's methods, a table's.
	s.completes("b.obj", "b.object") // objects, object_versions
	s.lists("b.", "objects  (collection)", "put_object  (action)", "wait_until_exists  (waiter)", "creation_date  (attribute)", "Object  (sub-resource)")
	s.lists("b.objects:", "filter  (collection method)", "page_size  (collection method)", "delete  (batch action)")
	s.completes("t:query_i", "t:query_items")
	s.lists("t:", "put_item  (action)", "batch_writer  (method)")
	// Request members by their shape, nested; enum values in strings.
	s.completes("ddb:create_table{Bill", "ddb:create_table{BillingMode = ")
	s.completes(`ddb:create_table{TableName="x", KeySchema={{Att`, `ddb:create_table{TableName="x", KeySchema={{AttributeName = `)
	s.completes(`ddb:create_table{KeySchema={{AttributeName="pk", KeyT`, `ddb:create_table{KeySchema={{AttributeName="pk", KeyType = `)
	s.completes(`ddb:create_table{KeySchema={{KeyType="HA`, `ddb:create_table{KeySchema={{KeyType="HASH`)
	s.completes(`ddb:create_table{BillingMode="PAY_`, `ddb:create_table{BillingMode="PAY_PER_REQUEST`)
	s.lists(`ddb:create_table{BillingMode="x", `, "KeySchema  (list of KeySchemaElement)", "TableName  (string, required)")
	// A member the table has already is not offered again.
	s.completes(`ddb:create_table{TableName="x", Tab`, `ddb:create_table{TableName="x", TableClass = `)
	s.completes(`t:put_item{Ret`, `t:put_item{Return`)
	// Session and client options.
	s.completes("aws.Session{pro", "aws.Session{profile_name = ")
	s.completes(`aws.client("s3", {endpoint`, `aws.client("s3", {endpoint_url = `)
	s.completes(`s3:get_paginator("list_objects_v`, `s3:get_paginator("list_objects_v2`)
	s.completes(`s3:get_waiter("bucket_ex`, `s3:get_waiter("bucket_exists`)
	// Result fields: from the value, and from the response shape where the
	// value is not there yet (moto has no instances).
	s.run("r = ec2:describe_instances()")
	s.completes("r.Reservations[1].Inst", "r.Reservations[1].Instances")
	s.completes("r.Reservations[1].Instances[1].Placem", "r.Reservations[1].Instances[1].Placement")
	s.run("lb = s3:list_buckets()")
	s.completes("lb.Buckets[1].Na", "lb.Buckets[1].Name")
	s.completes("lb.Own", "lb.Owner")
	// Resource names the API lists, in the strings that take them.
	s.completes(fmt.Sprintf(`s3:list_objects_v2{Bucket="%s`, bucket[:len(bucket)-4]), fmt.Sprintf(`s3:list_objects_v2{Bucket="%s`, bucket))
	s.completes(fmt.Sprintf(`ddb:describe_table{TableName="%s`, table[:len(table)-4]), fmt.Sprintf(`ddb:describe_table{TableName="%s`, table))
	s.run(`dr = aws.resource("dynamodb")`)
	s.completes(fmt.Sprintf(`dr:Table("%s`, table[:len(table)-4]), fmt.Sprintf(`dr:Table("%s`, table))
	s.completes(fmt.Sprintf(`sqs:get_queue_attributes{QueueUrl="%s`, queueURL[:len(queueURL)-4]), fmt.Sprintf(`sqs:get_queue_attributes{QueueUrl="%s`, queueURL))
	s.completes(fmt.Sprintf(`lam:get_function{FunctionName="%s`, function[:len(function)-4]), fmt.Sprintf(`lam:get_function{FunctionName="%s`, function))
	// Listed once per session: a bucket made since is not offered.
	later := testenv.Name("repl-comp")
	cliCall(t, s3c, "create_bucket", map[string]any{"Bucket": later})
	t.Cleanup(func() { cliCall(t, s3c, "delete_bucket", map[string]any{"Bucket": later}) })
	s.completes(fmt.Sprintf(`s3:head_bucket{Bucket="%s`, later[:len(later)-4]), fmt.Sprintf(`s3:head_bucket{Bucket="%s`, later[:len(later)-4]))
	// Inside any other string, nothing; not Lua's keywords.
	for _, typed := range []string{`x = "pri`, `ddb:describe_table{TableName="u`, `s3:put_object{Key="a`} {
		s.typeText(typed)
		s.send(keyTab)
		s.typeText("Z")
		s.expectEditLine(replPrompt + typed + "Z")
		s.send(keyCtrlU)
		s.expectEditLine(replPrompt)
	}
	if strings.Contains(s.text(), "(keyword)") {
		t.Errorf("Lua keywords were offered:\n%s", s.screenText())
	}
}

// TestREPLWalkthrough is the measure of done: someone who knows
// boto3 but not awslua finds, by Tab and help alone, how to create a
// DynamoDB table with a key schema, put an item, query it, and page through
// an S3 listing.
func TestREPLWalkthrough(t *testing.T) {
	table, bucket := testenv.Name("repl-walk"), testenv.Name("repl-walk")
	s := startMotoREPL(t)
	cliHas(t, "help()", s.run("help()"), "help(x)", "help(aws)")
	cliHas(t, "help(aws)", s.run("help(aws)"), "client(service, {region_name=")

	// DynamoDB: the client, its operations, the request of create_table.
	s.typeText(`ddb = aws.client("dyn`)
	s.send(keyTab)
	s.expectEditLine(replPrompt + `ddb = aws.client("dynamodb`)
	s.runWant(`")`, "")
	cliHas(t, "help(ddb)", s.run("help(ddb)"), "create:\n  create_backup", "create_table", "put:\n  put_item", "query:\n  query", "paginators:")
	s.completes("ddb:create_t", "ddb:create_table")
	cliHas(t, "help(ddb.create_table)", s.run("help(ddb.create_table)"), "* TableName: string", "KeySchema: list of KeySchemaElement",
		"AttributeDefinitions: list of AttributeDefinition", "BillingMode: enum (PROVISIONED, PAY_PER_REQUEST)", `help(dynamodb.create_table, "AttributeDefinitions") expands a member's shape`)
	cliHas(t, "KeySchema", s.run(`help(ddb.create_table, "KeySchema")`), "* AttributeName: string", "* KeyType: enum (HASH, RANGE)")
	cliHas(t, "AttributeDefinitions", s.run(`help(ddb.create_table, "AttributeDefinitions")`), "* AttributeName: string", "* AttributeType: enum (S, N, B)")

	// The call, typed with Tab over three lines: members, nested members,
	// enum values.
	s.runWant(fmt.Sprintf("tn = %q", table), "")
	ends := []string{`",`, `"}},`}
	for i, entry := range [][]struct{ typed, completed string }{{
		{"ddb:create_table{TableN", "ddb:create_table{TableName = "},
		{"tn, Bill", "tn, BillingMode = "},
		{`"PAY_`, `"PAY_PER_REQUEST`},
	}, {
		{`KeyS`, `KeySchema = `},
		{"{{Att", "{{AttributeName = "},
		{`"pk", KeyT`, `"pk", KeyType = `},
		{`"HA`, `"HASH`},
	}, {
		{`AttributeD`, `AttributeDefinitions = `},
		{`{{AttributeName="pk", AttributeT`, `{{AttributeName="pk", AttributeType = `},
	}} {
		prompt, line := replPrompt, ""
		if i > 0 {
			prompt = replMore
		}
		for _, st := range entry {
			s.typeText(st.typed)
			s.send(keyTab)
			line += st.completed
			s.expectEditLine(prompt + line)
		}
		if i < len(ends) {
			s.typeText(ends[i])
			s.send(keyEnter)
			s.expect(replMore)
		}
	}
	s.typeText(`"S"}}}.TableDescription.TableStatus`)
	s.send(keyEnter)
	s.expect(".TableStatus\n")
	if got := s.result(); got != "\"ACTIVE\"\n" {
		t.Fatalf("create_table printed %q", got)
	}

	// An item: put_item's Item is a map of AttributeValue, whose members
	// help lists.
	cliHas(t, "help Item", s.run(`help(ddb.put_item, "Item")`), "Item: map of string to AttributeValue", "S: string", "N: string")
	s.completes("ddb:put_i", "ddb:put_item")
	s.runWant(fmt.Sprintf(`ddb:put_item{TableName=%q, Item={pk={S="a"}, n={N="1"}}}.ResponseMetadata.HTTPStatusCode`, table), "200\n")
	cliHas(t, "help(ddb.query)", s.run("help(ddb.query)"), "KeyConditionExpression: string", "ExpressionAttributeValues: map of string to AttributeValue", "Items: list of map")
	s.runWant(fmt.Sprintf(`q = ddb:query{TableName=%q, KeyConditionExpression="pk = :v", ExpressionAttributeValues={[":v"]={S="a"}}}`, table), "")
	s.completes("q.Ite", "q.Items")
	s.runWant("q.Count, q.Items[1].n.N", "1\n\"1\"\n")

	// S3: paging through a listing.
	s.run(`s3 = aws.client("s3")`)
	cliHas(t, "help(s3)", s.run("help(s3)"), "paginators:", "list_objects_v2")
	s.runWant(fmt.Sprintf(`s3:create_bucket{Bucket=%q}; for i = 1, 5 do s3:put_object{Bucket=%q, Key="k"..i, Body="x"} end`, bucket, bucket), "")
	s.completes(`p = s3:get_paginator("list_objects_v`, `p = s3:get_paginator("list_objects_v2`)
	s.runWant(`p = s3:get_paginator("list_objects_v2")`, "")
	cliHas(t, "help(p)", s.run("help(p)"), "paginate{...request members..., PaginationConfig={MaxItems=, PageSize=, StartingToken=}}", "for page in it do")
	s.completes(`p:pag`, `p:paginate`)
	s.runWant(fmt.Sprintf(`pages, keys = 0, 0; for page in p:paginate{Bucket=%q, PaginationConfig={PageSize=2}} do pages = pages + 1; keys = keys + #page.Contents end`, bucket), "")
	s.runWant("pages, keys", "3\n5\n")
}

// replLambdaFunction makes a Lambda function on moto, and its role, for
// the test.
func replLambdaFunction(t *testing.T) string {
	t.Helper()
	name := testenv.Name("repl-comp")
	iam, lambda := testenv.Client(t, "moto", "iam"), testenv.Client(t, "moto", "lambda")
	role := cliDig[string](t, cliCall(t, iam, "create_role", map[string]any{"RoleName": name, "AssumeRolePolicyDocument": "{}"}), "Role", "Arn")
	t.Cleanup(func() { cliCall(t, iam, "delete_role", map[string]any{"RoleName": name}) })
	var code bytes.Buffer
	z := zip.NewWriter(&code)
	w, err := z.Create("f.py")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("def h(event, context):\n    return 1\n"))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	cliCall(t, lambda, "create_function", map[string]any{"FunctionName": name, "Runtime": "python3.12", "Role": role,
		"Handler": "f.h", "Code": map[string]any{"ZipFile": code.Bytes()}})
	t.Cleanup(func() { cliCall(t, lambda, "delete_function", map[string]any{"FunctionName": name}) })
	return name
}

func TestREPLPagerMissing(t *testing.T) {
	s := startMotoREPL(t, "PAGER=no-such-pager-here")
	s.run(`s3 = aws.client("s3")`)
	cliHas(t, "help(s3) without a pager", s.run("help(s3)"), "s3 client (us-east-1", "waiters: bucket_exists")
}

// TestREPLPagerLess: without $PAGER, less -R pages; its keys reach it, not
// the line editor, and q comes back to the prompt.
func TestREPLPagerLess(t *testing.T) {
	if _, err := exec.LookPath("less"); err != nil {
		t.Skip("no less on this machine")
	}
	s := startMotoREPL(t, "PAGER=")
	s.run(`s3 = aws.client("s3")`)
	s.enter("help(s3)")
	s.waitFor("less's prompt", func(string) bool {
		rows, row, _ := s.screen()
		return strings.HasPrefix(rows[row], ":") && strings.Contains(strings.Join(rows, "\n"), "abort_multipart_upload")
	})
	s.send("q")
	s.expect(replPrompt)
	s.runWant("1+1", "2\n")
}
