// Command awslua runs Lua scripts against AWS, or opens the REPL.
//
//	awslua script.lua a b      run a script; arg and ... hold a and b
//	awslua -e 'print(1)'       run a chunk
//	awslua -                   read the script from standard input
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

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/local"
	"github.com/awslua/awslua/sdk"
	_ "github.com/awslua/awslua/sdk/services/all"
)

const usage = `usage: awslua [options] [script.lua [args...] | -e chunk | -]

Runs a Lua script with the aws module (boto3's model, in Lua). Without a
script it reads one from standard input.

options:
`

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("awslua", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	var (
		profile  = fs.String("profile", "", "use this profile of the shared AWS config")
		region   = fs.String("region", "", "use this region")
		endpoint = fs.String("endpoint-url", "", "send every request to this endpoint")
		readOnly = fs.Bool("read-only", false, "refuse every operation that can change anything")
		useLocal = fs.Bool("local", false, "start an in-memory S3 endpoint and point S3 clients at it")
		timeout  = fs.Duration("timeout", 0, "stop the script after this long (e.g. 30s, 5m)")
		debugLog = fs.Bool("debug", false, "log every request and response to stderr, secrets redacted")
		version  = fs.Bool("version", false, "print the version and exit")
		chunk    = fs.String("e", "", "run this chunk of Lua")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *version {
		fmt.Fprintln(stdout, versionString())
		return 0
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
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
	rt, err := bindings.New(bindings.Options{SessionOptions: opts, ReadOnly: *readOnly, Libs: bindings.AllLibs, Stdout: stdout})
	if err != nil {
		fmt.Fprintln(stderr, "awslua:", err)
		return 1
	}
	defer rt.Close()

	rest := fs.Args()
	switch {
	case *chunk != "":
		err = rt.DoString(ctx, *chunk, "(command line)", rest...)
	case len(rest) == 0 || rest[0] == "-":
		if len(rest) > 0 {
			rest = rest[1:]
		}
		var src []byte
		if src, err = io.ReadAll(stdin); err == nil {
			err = rt.DoString(ctx, string(src), "stdin", rest...)
		}
	default:
		err = rt.DoFile(ctx, rest[0], rest[1:]...)
	}
	if err != nil {
		fmt.Fprintln(stderr, "awslua:", err)
		var se *bindings.ScriptError
		if errors.As(err, &se) && se.Traceback != "" {
			fmt.Fprintln(stderr, se.Traceback)
		}
		return 1
	}
	return 0
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
	return fmt.Sprintf("awslua %s (aws-sdk-go-v2 %s)", v, sdkv)
}
