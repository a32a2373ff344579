package sdk

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
)

// secrets matches what a request log must never show: the signature and
// session token headers, and their presigned-URL forms.
var secrets = regexp.MustCompile(`(?im)^((?:authorization|x-amz-security-token):).*$|((?:X-Amz-Signature|X-Amz-Security-Token)=)[^&\s]+`)

// Redact removes signatures and session tokens from text.
func Redact(s string) string {
	return secrets.ReplaceAllString(s, "$1$2[REDACTED]")
}

// WithDebugLog writes every request and response, and every retry, to w,
// with signatures and session tokens redacted.
func WithDebugLog(w io.Writer) Option {
	var mu sync.Mutex
	logger := logging.LoggerFunc(func(c logging.Classification, format string, v ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "%s %s\n", c, Redact(fmt.Sprintf(format, v...)))
	})
	return WithLoadOptions(
		config.WithClientLogMode(aws.LogRequest|aws.LogResponse|aws.LogRetries),
		config.WithLogger(logger))
}

// WithRequestCounter adds one to n for every request sent, each retry
// included, as a REPL's timing counts them.
func WithRequestCounter(n *atomic.Int64) Option {
	count := middleware.FinalizeMiddlewareFunc("awslua.CountRequests",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			n.Add(1)
			return next.HandleFinalize(ctx, in)
		})
	return WithLoadOptions(config.WithAPIOptions([]func(*middleware.Stack) error{
		func(stack *middleware.Stack) error { return afterRetry(stack, count) },
	}))
}
