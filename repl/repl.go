// Package repl is awslua's interactive shell: each entry is evaluated as an
// expression first and its values pretty-printed, then as a statement;
// only unfinished input (an open block, bracket or string) continues on a
// second prompt, and input that cannot parse is an error at once; history,
// Ctrl-R search and tab completion come from chzyer/readline; Ctrl-C
// cancels the request in flight and Ctrl-D exits. When its input is not a
// terminal it reads and evaluates lines without prompts, so that it can be
// piped.
package repl

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chzyer/readline"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/term"

	"github.com/awslua/awslua/bindings"
)

// Options configure a REPL; only Runtime is required.
type Options struct {
	Runtime *bindings.Runtime
	// In, Out and Err default to the process's standard streams.
	In       io.Reader
	Out, Err io.Writer
	// HistoryFile keeps the history across sessions; "" means
	// ~/.awslua_history.
	HistoryFile string
	// Banner is printed when an interactive session starts.
	Banner string
}

const (
	prompt       = "awslua> "
	continuation = "   ...> "
	usage        = `Type Lua; expressions print their values, _ holds the last one and _err the last error.
  help(x)          describe x: help(aws), help(s3), help(s3.put_object), help(s3.put_object, "Tagging")
  :traceback       the traceback of the last error
  :history         this session's entries
  :timing on|off   print the time and the number of requests of each entry
  :save FILE       write this session's entries that succeeded as a script
  :edit [N]        edit the last entry, or entry N of :history, in $VISUAL or $EDITOR, then run it
  Tab completes, Ctrl-R searches history, Ctrl-C cancels, Ctrl-D exits.`
	// historyNewline stands for a newline of a multi-line entry in the
	// line editor's history, whose entries are single lines: the entry
	// comes back whole, on one line, and runs with its newlines.
	historyNewline = "↵"
)

type repl struct {
	rt        *bindings.Runtime
	out, err  io.Writer
	color     bool
	traceback string
	failures  int
	// exit is set when a statement called os.exit: the session ends.
	exit *bindings.ExitError
	// entries are this session's entries, for :history and :save.
	entries []entry
	timing  bool
}

type entry struct {
	src string
	ok  bool // ran without an error
}

// Run runs the REPL until its input ends, or until a statement calls
// os.exit, which it returns as the *bindings.ExitError. It returns an error
// when a non-interactive session had errors, so that a piped script can
// fail.
func Run(ctx context.Context, opts Options) error {
	in, out, errw := opts.In, opts.Out, opts.Err
	if in == nil {
		in = os.Stdin
	}
	if out == nil {
		out = os.Stdout
	}
	if errw == nil {
		errw = os.Stderr
	}
	r := &repl{rt: opts.Runtime, out: out, err: errw}
	r.rt.L.SetGlobal("help", r.rt.L.NewFunction(r.help))
	f, isFile := in.(*os.File)
	if !isFile || !term.IsTerminal(int(f.Fd())) {
		return r.piped(ctx, in)
	}
	r.color = true
	return r.interactive(ctx, f, opts)
}

func (r *repl) interactive(ctx context.Context, in *os.File, opts Options) error {
	hist := opts.HistoryFile
	if hist == "" {
		if home, err := os.UserHomeDir(); err == nil {
			hist = filepath.Join(home, ".awslua_history")
		}
	}
	if hist != "" {
		// History holds what was typed, ARNs and tokens among it: readable
		// by its owner only, which readline does not ensure.
		if f, err := os.OpenFile(hist, os.O_CREATE|os.O_RDONLY, 0o600); err == nil {
			f.Close()
			os.Chmod(hist, 0o600)
		}
	}
	comp := &completer{L: r.rt.L}
	rl, err := readline.NewEx(&readline.Config{
		Prompt:                 prompt,
		HistoryFile:            hist,
		HistorySearchFold:      true,
		DisableAutoSaveHistory: true,
		AutoComplete:           comp,
		InterruptPrompt:        "^C",
		Stdin:                  in,
		Stdout:                 r.out,
		Stderr:                 r.err,
	})
	if err != nil {
		return fmt.Errorf("starting the line editor: %w", err)
	}
	defer rl.Close()
	comp.rl = rl
	if opts.Banner != "" {
		fmt.Fprintln(r.out, opts.Banner)
	}
	var lines []string
	for {
		if len(lines) == 0 {
			rl.SetPrompt(prompt)
			comp.pending = ""
		} else {
			rl.SetPrompt(continuation)
			comp.pending = strings.Join(lines, "\n") + "\n"
		}
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			lines = nil // Ctrl-C drops what was typed, all lines of it
			continue
		case errors.Is(err, io.EOF) && len(lines) > 0:
			// Ctrl-D on a continuation line cancels the entry, not the
			// session: it is too easy to press to end a block.
			fmt.Fprintln(r.out, "(entry cancelled)")
			lines = nil
			continue
		case err != nil: // Ctrl-D, or the terminal went away
			return nil
		}
		lines = append(lines, strings.ReplaceAll(line, historyNewline, "\n"))
		src := strings.Join(lines, "\n")
		if cmd, arg, ok := command(src); ok && cmd == ":edit" {
			// The edited text runs as if typed: unfinished, it
			// continues on the next line.
			edited, ok := r.edit(in, arg)
			if !ok {
				lines = nil
				continue
			}
			lines, src = []string{edited}, edited
		}
		if strings.TrimSpace(src) == "" {
			lines = nil
			continue
		}
		if r.eval(ctx, src) {
			continue // unfinished: read another line
		}
		r.endLine()
		rl.SaveHistory(strings.ReplaceAll(src, "\n", historyNewline))
		lines = nil
		if r.exit != nil {
			return r.exit
		}
	}
}

// endLine moves the cursor to the start of a line for the next prompt:
// readline clears the cursor's line to draw it, which erased output that
// did not end its line, io.write("x") say. As zsh does, it writes a line's
// width of spaces, which from column 0 leave the cursor at the end of that
// line and from any other column wrap to the next, and then \r.
func (r *repl) endLine() {
	f, ok := r.out.(*os.File)
	if !ok {
		return
	}
	if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
		fmt.Fprint(r.out, strings.Repeat(" ", width)+"\r")
	}
}

func (r *repl) piped(ctx context.Context, in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
		src := strings.Join(lines, "\n")
		if strings.TrimSpace(src) == "" || r.eval(ctx, src) {
			if strings.TrimSpace(src) == "" {
				lines = nil
			}
			continue
		}
		lines = nil
		if r.exit != nil {
			return r.exit
		}
	}
	if len(lines) > 0 {
		r.fail("input ended inside an unfinished statement")
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if r.failures > 0 {
		return fmt.Errorf("%d of the statements failed", r.failures)
	}
	return nil
}

// eval runs one input and prints its values or its error; it reports true
// when the input is unfinished. Ctrl-C while it runs cancels it, and the
// request it has in flight, and returns to the prompt.
func (r *repl) eval(ctx context.Context, src string) (incomplete bool) {
	if cmd, arg, ok := command(src); ok {
		r.command(cmd, arg)
		return false
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	defer signal.Stop(interrupts)
	go func() {
		select {
		case <-interrupts:
			cancel()
		case <-ctx.Done():
		}
	}()

	start, requests := time.Now(), r.rt.Requests()
	values, err := r.rt.Eval(ctx, src)
	if errors.Is(err, bindings.ErrIncomplete) {
		return true
	}
	r.entries = append(r.entries, entry{src: src, ok: err == nil})
	if errors.As(err, &r.exit) {
		return false
	}
	if r.timing {
		defer func() {
			n := r.rt.Requests() - requests
			plural := "s"
			if n == 1 {
				plural = ""
			}
			fmt.Fprintf(r.err, "-- %.3f s, %d request%s\n", time.Since(start).Seconds(), n, plural)
		}()
	}
	L := r.rt.L
	if err != nil {
		L.SetGlobal("_err", errorValue(err))
		r.showError(err)
		return false
	}
	if len(values) > 0 {
		L.SetGlobal("_", values[0])
	}
	opts := bindings.InspectOptions{Color: r.color}
	L.SetContext(ctx)
	defer L.RemoveContext()
	var b strings.Builder
	for _, v := range values {
		if s, ok := bindings.Preview(L, v, opts); ok {
			b.WriteString(s + "\n")
			continue
		}
		b.WriteString(bindings.Inspect(L, v, opts) + "\n")
	}
	r.page(b.String())
	return false
}

// errorValue is what _err holds after an error: the error's Lua value (an
// AWS error's table, with its code and request_id) or its message.
func errorValue(err error) lua.LValue {
	var se *bindings.ScriptError
	if errors.As(err, &se) && se.Value != nil && se.Value != lua.LNil {
		return se.Value
	}
	return lua.LString(err.Error())
}

// command splits a line that is one of the REPL's own commands.
func command(src string) (cmd, arg string, ok bool) {
	src = strings.TrimSpace(src)
	if strings.Contains(src, "\n") {
		return "", "", false
	}
	cmd, arg, _ = strings.Cut(src, " ")
	switch cmd {
	case ":traceback", ":tb", ":help", "help", ":quit", ":q", "exit", "quit", ":history", ":timing", ":save", ":edit":
		if (cmd == "help" || cmd == "exit" || cmd == "quit") && arg != "" {
			return "", "", false
		}
		return cmd, strings.TrimSpace(arg), true
	}
	if strings.HasPrefix(cmd, ":") && len(cmd) > 1 {
		return cmd, arg, true // no Lua starts with a colon
	}
	return "", "", false
}

func (r *repl) command(cmd, arg string) {
	switch cmd {
	case ":traceback", ":tb":
		if r.traceback == "" {
			fmt.Fprintln(r.out, "no traceback: the last statement did not fail")
		} else {
			fmt.Fprintln(r.out, r.traceback)
		}
	case ":help", "help":
		fmt.Fprintln(r.out, usage)
	case ":quit", ":q", "exit", "quit":
		fmt.Fprintln(r.out, "Ctrl-D exits")
	case ":history":
		var b strings.Builder
		for i, e := range r.entries {
			fmt.Fprintf(&b, "%4d  %s\n", i+1, strings.ReplaceAll(e.src, "\n", "\n      "))
		}
		r.page(b.String())
	case ":timing":
		switch arg {
		case "on", "off":
			r.timing = arg == "on"
		default:
			r.fail(":timing takes on or off")
		}
	case ":save":
		if arg == "" {
			r.fail(":save takes the name of the file to write")
			return
		}
		var b strings.Builder
		n := 0
		for _, e := range r.entries {
			if e.ok {
				b.WriteString(e.src + "\n")
				n++
			}
		}
		if err := os.WriteFile(arg, []byte(b.String()), 0o600); err != nil {
			r.fail(fmt.Sprintf(":save: %v", err))
			return
		}
		fmt.Fprintf(r.out, "saved %d entries to %s\n", n, arg)
	case ":edit":
		r.fail(":edit needs a terminal")
	default:
		r.fail(fmt.Sprintf("no command %s; :help lists them", cmd))
	}
}

// edit opens an entry of this session (the last, or number arg of
// :history) in the user's editor on the terminal tty, and returns the text
// saved, shown as it will run. A multi-line entry is edited as it was
// typed, which the line editor cannot do: its lines are one line there.
func (r *repl) edit(tty *os.File, arg string) (string, bool) {
	var src string
	switch n, err := strconv.Atoi(arg); {
	case arg == "" && len(r.entries) > 0:
		src = r.entries[len(r.entries)-1].src
	case arg == "":
	case err != nil || n < 1 || n > len(r.entries):
		r.fail(fmt.Sprintf(":edit takes the number of an entry :history lists, 1 to %d", len(r.entries)))
		return "", false
	default:
		src = r.entries[n-1].src
	}
	f, err := os.CreateTemp("", "awslua-edit-*.lua")
	if err != nil {
		r.fail(fmt.Sprintf(":edit: %v", err))
		return "", false
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString(src + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		r.fail(fmt.Sprintf(":edit: %v", err))
		return "", false
	}
	editor := cmp.Or(os.Getenv("VISUAL"), os.Getenv("EDITOR"), "vi")
	// Through the shell, as git runs it: the variable may hold arguments.
	cmd := exec.Command("/bin/sh", "-c", editor+` "$1"`, "awslua", f.Name())
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, r.out, r.err
	if err := cmd.Run(); err != nil {
		r.fail(fmt.Sprintf(":edit: the editor (%s) failed: %v; nothing ran", editor, err))
		return "", false
	}
	b, err := os.ReadFile(f.Name())
	if err != nil {
		r.fail(fmt.Sprintf(":edit: %v", err))
		return "", false
	}
	edited := strings.TrimRight(string(b), "\n")
	if strings.TrimSpace(edited) == "" {
		fmt.Fprintln(r.out, "(nothing to run)")
		return "", false
	}
	fmt.Fprintln(r.out, prompt+strings.ReplaceAll(edited, "\n", "\n"+continuation))
	return edited, true
}

// showError prints an error as one line; :traceback shows the rest.
func (r *repl) showError(err error) {
	msg := err.Error()
	var se *bindings.ScriptError
	if errors.As(err, &se) {
		r.traceback = se.Traceback
		if errors.Is(err, context.Canceled) {
			msg = "interrupted"
		}
	}
	msg = strings.TrimPrefix(msg, "stdin:1: ")
	msg = strings.ReplaceAll(strings.TrimSpace(msg), "\n", "; ")
	msg = strings.Replace(msg, "failed:; ", "failed: ", 1)
	r.fail(msg)
}

func (r *repl) fail(msg string) {
	r.failures++
	if r.color {
		fmt.Fprintf(r.err, "\x1b[31m%s\x1b[0m\n", msg)
		return
	}
	fmt.Fprintln(r.err, msg)
}

// page writes text, through a pager ($PAGER, else less -R) when the
// output is a terminal that cannot show it all, so that its start does not
// scroll away.
func (r *repl) page(text string) {
	if !r.tooLong(text) {
		fmt.Fprint(r.out, text)
		return
	}
	cmd := exec.Command("less", "-R")
	if p := os.Getenv("PAGER"); p != "" {
		cmd = exec.Command("/bin/sh", "-c", p)
	}
	cmd.Stdin = strings.NewReader(text)
	cmd.Stdout, cmd.Stderr = r.out, r.err
	if err := cmd.Start(); err != nil {
		fmt.Fprint(r.out, text) // no pager here: the text as it is
		return
	}
	// A pager quit early is no failure of the entry; a $PAGER that the
	// shell cannot run is, and the text is shown without it.
	var exit *exec.ExitError
	if err := cmd.Wait(); errors.As(err, &exit) && (exit.ExitCode() == 126 || exit.ExitCode() == 127) {
		fmt.Fprint(r.out, text)
	}
}

// ansiEscape matches the colour sequences the printer writes.
var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;]*m")

// tooLong reports whether text fills more rows than the terminal has, its
// long lines wrapped.
func (r *repl) tooLong(text string) bool {
	f, ok := r.out.(*os.File)
	if !ok || !r.color {
		return false
	}
	width, height, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 || height <= 0 {
		return false
	}
	rows := 0
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		n := utf8.RuneCountInString(ansiEscape.ReplaceAllString(line, ""))
		rows += 1 + max(0, n-1)/width
		if rows >= height {
			return true
		}
	}
	return false
}

// help(x [, topic]) prints what x is and what it offers.
func (r *repl) help(L *lua.LState) int {
	if L.GetTop() == 0 {
		fmt.Fprintln(r.out, usage)
		return 0
	}
	text, err := bindings.Help(L, L.Get(1), L.OptString(2, ""))
	if err != nil {
		L.RaiseError("%v", err)
	}
	r.page(text + "\n")
	return 0
}
