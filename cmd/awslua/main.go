// Command awslua runs Lua scripts against AWS, or opens the REPL.
//
//	awslua script.lua a b      run a script; arg and ... hold a and b
//	awslua -e 'print(1)'       run a chunk
//	awslua -                   read the script from standard input
//	awslua < script.lua        the same, when standard input is not a terminal
//	awslua -i < lines.lua      the REPL, whatever standard input is
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"time"

	"golang.org/x/term"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/bindings/check"
	"github.com/awslua/awslua/bindings/luatypes"
	"github.com/awslua/awslua/internal/local"
	"github.com/awslua/awslua/repl"
	"github.com/awslua/awslua/sdk"
)

const usage = `usage: awslua [options] [script.lua [args...] | -e chunk | - | -i]

Runs a Lua script with the aws module (boto3's model, in Lua). Without a
script it opens the REPL; when standard input is not a terminal, it runs
standard input as one script, as - does, unless -i asks for the REPL.

options:
`

const banner = "awslua: Lua with the aws module. help() for help, Tab completes, Ctrl-D exits."

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "check":
			return runCheck(args[1:], stdin, stdout, stderr)
		case "types":
			return runTypes(args[1:], stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("awslua", flag.ContinueOnError)
	fs.SetOutput(stderr)
	// Usage is printed below: --help to stdout, a bad flag's to stderr.
	fs.Usage = func() {}
	var (
		profile   = fs.String("profile", "", "use this `profile` of the shared AWS config")
		region    = fs.String("region", "", "use this `region`")
		endpoint  = fs.String("endpoint-url", "", "send every request to this `URL`")
		readOnly  = fs.Bool("read-only", false, "refuse every operation that can change anything")
		useLocal  = fs.Bool("local", false, "start an in-memory S3 endpoint and point S3 clients at it")
		timeout   = new(seconds)
		debugLog  = fs.Bool("debug", false, "log every request and response to stderr, secrets redacted")
		version   = fs.Bool("version", false, "print the version and exit")
		chunk     = fs.String("e", "", "run this `chunk` of Lua")
		forceREPL = fs.Bool("i", false, "open the REPL even when standard input is not a terminal: its lines are evaluated one by one")
		cpuprof   = fs.String("cpuprofile", "", "write a CPU profile of the whole run to `file` (go tool pprof reads it)")
	)
	fs.Var(timeout, "timeout", "stop the script after this `duration` (30s, 5m; a bare number is seconds)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, fs)
			return 0
		}
		printUsage(stderr, fs)
		return 2
	}
	if *endpoint != "" {
		// Here, where it is given: a script that never calls AWS would
		// otherwise run on with it, and one that does would fail later.
		if err := sdk.CheckEndpointURL(*endpoint); err != nil {
			fmt.Fprintf(stderr, "awslua: --endpoint-url: %v\n", err)
			return 2
		}
	}
	if *version {
		fmt.Fprintln(stdout, versionString())
		return 0
	}

	if *cpuprof != "" {
		f, err := os.Create(*cpuprof)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(stderr, "awslua:", err)
			return 1
		}
		// Deferred first, so it runs last: the profile covers the
		// runtime's Close too.
		defer func() {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				fmt.Fprintln(stderr, "awslua:", err)
			}
		}()
	}

	rest := fs.Args()
	// Standard input that is not a terminal is a script, one chunk, as
	// the lua and python commands take it: fed to the REPL line by line,
	// a statement after one that did not parse still ran.
	if *forceREPL && (*chunk != "" || len(rest) > 0) {
		fmt.Fprintln(stderr, "awslua: -i opens the REPL, and takes no script or -e")
		return 2
	}
	useREPL := *chunk == "" && len(rest) == 0 && (isTerminal(stdin) || *forceREPL)
	if *chunk == "" && len(rest) == 0 && !useREPL {
		rest = []string{"-"}
	}
	ctx := context.Background()
	if !useREPL {
		// Ctrl-C ends a script, and the request it has in flight; in the
		// REPL it ends only the statement that runs.
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt)
		defer stop()
	}
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(*timeout))
		defer cancel()
	}
	if !useREPL {
		// The runtime checks the context between Lua instructions, and a
		// builtin that runs long in Go never looks at it: a pattern that
		// backtracks without end (string.find(s, ("a?"):rep(1e5)..)) went
		// on past --timeout, and Ctrl-C, caught for the context, could not
		// end it either. Once the context is done the script has a moment
		// to stop (and a transfer to abort its upload); then the process
		// ends.
		finished := make(chan struct{})
		defer close(finished)
		go func() {
			select {
			case <-finished:
				return
			case <-ctx.Done():
			}
			select {
			case <-finished:
			case <-time.After(5 * time.Second):
				fmt.Fprintf(stderr, "awslua: %v, and the script did not stop: ending it\n", ctx.Err())
				os.Exit(1)
			}
		}()
	}

	var opts []sdk.Option
	if *profile != "" {
		opts = append(opts, sdk.WithProfile(*profile))
	}
	if *region != "" {
		opts = append(opts, sdk.WithRegion(*region))
	}
	if *endpoint != "" {
		opts = append(opts, sdk.WithEndpointURL(*endpoint))
	}
	if *debugLog {
		opts = append(opts, sdk.WithDebugLog(stderr))
	}
	if *useLocal {
		s3 := local.StartS3()
		defer s3.Close()
		opts = append(opts, sdk.WithServiceEndpointURL("s3", s3.URL()), sdk.WithCredentials("local", "local-secret", ""))
		if *region == "" {
			opts = append(opts, sdk.WithRegion("us-east-1"))
		}
	}
	ropts := bindings.Options{SessionOptions: opts, ReadOnly: *readOnly, Libs: bindings.AllLibs, Stdout: stdout}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		ropts.TransferMeter = func(label string) bindings.Meter { return newProgressBar(f, label) }
	}
	rt, err := bindings.New(ropts)
	if err != nil {
		fmt.Fprintln(stderr, "awslua:", err)
		return 1
	}
	defer rt.Close()

	switch {
	case useREPL:
		err = repl.Run(ctx, repl.Options{Runtime: rt, In: stdin, Out: stdout, Err: stderr, Banner: banner})
	case *chunk != "":
		err = rt.DoString(ctx, *chunk, "(command line)", rest...)
	case rest[0] == "-":
		err = rt.DoReader(ctx, stdin, "stdin", rest[1:]...)
	default:
		err = rt.DoFile(ctx, rest[0], rest[1:]...)
	}
	var exit *bindings.ExitError
	if errors.As(err, &exit) {
		// os.exit(code): the script's own way to end, not a failure to
		// report.
		return exit.Code
	}
	if err != nil {
		fmt.Fprintln(stderr, "awslua:", clip(err.Error()))
		var se *bindings.ScriptError
		if errors.As(err, &se) && se.Traceback != "" {
			fmt.Fprintln(stderr, se.Traceback)
		}
		return 1
	}
	return 0
}

const checkUsage = `usage: awslua check [--read-only] FILE...

Checks Lua scripts against the AWS models without running them or calling
AWS, and prints what would fail as file:line:col: message (- reads stdin).
Exit status: 0 no findings, 1 findings, 2 a file cannot be read or parsed.

options:
`

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("awslua check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	readOnly := fs.Bool("read-only", false, "also report every call that --read-only would refuse")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, checkUsage)
			printFlags(stdout, fs)
			return 0
		}
		fmt.Fprint(stderr, checkUsage)
		printFlags(stderr, fs)
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, checkUsage)
		printFlags(stderr, fs)
		return 2
	}
	return check.Files(fs.Args(), stdin, stdout, stderr, check.Options{ReadOnly: *readOnly})
}

func runTypes(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, "usage: awslua types DIR\n\nWrites Lua Language Server definitions of the aws module and every service into DIR.")
		return 2
	}
	n, err := luatypes.WriteDir(args[0])
	if err != nil {
		fmt.Fprintln(stderr, "awslua types:", err)
		return 1
	}
	fmt.Fprintf(stdout, "awslua types: wrote %d files to %s\n", n, args[0])
	return 0
}

// isTerminal reports whether r is a terminal, where the REPL belongs.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// clip shortens an error message to its first 64 KiB: error(s) with a
// string of 256 MiB printed all of it, burying what went wrong.
func clip(msg string) string {
	const most = 64 << 10
	if len(msg) <= most {
		return msg
	}
	return fmt.Sprintf("%s... (%d more bytes)", msg[:most], len(msg)-most)
}

// seconds is the --timeout flag: a Go duration (30s, 5m), or a bare number
// of seconds, as the command line's documentation writes it (--timeout
// SECONDS).
type seconds time.Duration

func (s *seconds) String() string { return time.Duration(*s).String() }

func (s *seconds) Set(v string) error {
	d, err := parseSeconds(v)
	if err != nil {
		return err
	}
	*s = seconds(d)
	return nil
}

// parseSeconds reads a duration that must be more than 0: a negative or
// zero --timeout would stop every script before it starts.
func parseSeconds(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if f, ferr := strconv.ParseFloat(v, 64); ferr == nil {
		d, err = time.Duration(f*float64(time.Second)), nil
	}
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration: write seconds (30) or a Go duration (30s, 5m)", v)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q is not more than 0: a timeout must be positive", v)
	}
	return d, nil
}

// printUsage lists the options as the README spells them (--read-only),
// where flag.PrintDefaults would write -read-only.
func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, usage)
	printFlags(w, fs)
	fmt.Fprint(w, "\ncommands:\n  check [--read-only] FILE...  check scripts against the models without running them\n  types DIR                    write Lua Language Server definitions into DIR\n")
}

func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		arg, text := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if len(f.Name) == 1 {
			name = "-" + f.Name
		}
		if arg != "" {
			name += " " + arg
		}
		fmt.Fprintf(w, "  %-24s %s\n", name, text)
	})
}

func versionString() string {
	v, sdkv := "(devel)", "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, d := range bi.Deps {
			if d.Path == "github.com/aws/aws-sdk-go-v2" {
				sdkv = d.Version
			}
		}
	}
	return fmt.Sprintf("awslua %s (aws-sdk-go-v2 %s, botocore %s models)", v, sdkv, sdk.BotocoreVersion())
}
