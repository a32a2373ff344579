package sdk

import (
	"fmt"
	"io"
	"regexp"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"
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
