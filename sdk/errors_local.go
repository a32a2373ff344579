package sdk

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
)

// The codes of the errors that a call gets without an AWS error response,
// named as botocore names its exceptions, so that a script can test for
// them as for a service's codes.
const (
	CodeEndpointConnection = "EndpointConnectionError"
	CodeConnectTimeout     = "ConnectTimeoutError"
	CodeReadTimeout        = "ReadTimeoutError"
	CodeNoCredentials      = "NoCredentialsError"
)

// A ClientSideError is a call that failed without an error response from
// the service: the endpoint could not be reached, a timeout ran out, or no
// credentials were found. Its text reads as botocore's exception of the
// same name.
type ClientSideError struct {
	Code      string // one of the Code* constants
	Message   string
	Service   string
	Operation string
	// URL is the request's URL, where the failure has one.
	URL string
	// RetryAttempts counts the attempts after the first.
	RetryAttempts int
	Err           error
}

func (e *ClientSideError) Error() string { return e.Message }
func (e *ClientSideError) Unwrap() error { return e.Err }

// ErrorCode makes it testable as the service errors are, by code.
func (e *ClientSideError) ErrorCode() string { return e.Code }

// Is matches an error with the same code (CodeError(CodeReadTimeout)).
func (e *ClientSideError) Is(target error) bool {
	t, ok := target.(interface{ ErrorCode() string })
	return ok && t.ErrorCode() == e.Code
}

// A NoCredentialsError is what retrieving credentials returns when the
// standard chain found none: every source was empty, and the last one, the
// instance role, had none either.
type NoCredentialsError struct{ Err error }

func (e *NoCredentialsError) Error() string {
	return "Unable to locate credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, " +
		"or AWS_PROFILE to a profile of ~/.aws/credentials or ~/.aws/config (aws configure writes one), " +
		"or give the session aws_access_key_id and aws_secret_access_key"
}

func (e *NoCredentialsError) Unwrap() error { return e.Err }

// noCredentials reports a failure of the instance role, when it is the
// only source the chain has left, as no credentials at all: the SDK says
// "no EC2 IMDS role found, operation error ec2imds: GetMetadata, ...",
// which tells a user on a laptop nothing about what to set.
type noCredentials struct{ aws.CredentialsProvider }

func (p noCredentials) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := p.CredentialsProvider.Retrieve(ctx)
	if err != nil && ctx.Err() == nil {
		return c, &NoCredentialsError{Err: err}
	}
	return c, err
}

// reportMissingCredentials wraps the configuration's credentials when the
// chain fell through to the instance role, its last resort.
func reportMissingCredentials(cfg *aws.Config) {
	cache, ok := cfg.Credentials.(*aws.CredentialsCache)
	if ok && cache.IsCredentialsProvider(&ec2rolecreds.Provider{}) {
		cfg.Credentials = aws.NewCredentialsCache(noCredentials{cache})
	}
}

// clientSideError turns an error without an AWS error response into the
// errors this package promises: a ClientSideError, or an *Error whose code
// is the HTTP status when the response was not an AWS error (an HTML page
// of a proxy or a load balancer), as botocore makes it. Anything else
// (a cancelled context) is returned as it is.
func clientSideError(svc *Service, op *Operation, err error, attempts int) error {
	retries := max(attempts-1, 0)
	var exhausted *retry.MaxAttemptsError
	if errors.As(err, &exhausted) {
		retries = max(exhausted.Attempt-1, 0)
	}
	local := func(code, format string, u string) error {
		return &ClientSideError{Code: code, Message: fmt.Sprintf(format, u), Service: svc.Name,
			Operation: op.Name, URL: u, RetryAttempts: retries, Err: err}
	}
	var nocreds *NoCredentialsError
	if errors.As(err, &nocreds) {
		return &ClientSideError{Code: CodeNoCredentials, Message: nocreds.Error(), Service: svc.Name,
			Operation: op.Name, RetryAttempts: retries, Err: err}
	}
	var urlErr *url.Error
	errors.As(err, &urlErr)
	requestURL := ""
	if urlErr != nil {
		requestURL = urlErr.URL
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		if opErr.Timeout() {
			return local(CodeConnectTimeout, "Connect timeout on endpoint URL: \"%s\"", requestURL)
		}
		return local(CodeEndpointConnection, "Could not connect to the endpoint URL: \"%s\"", requestURL)
	}
	var bodyTimeout *awshttp.ResponseTimeoutError
	if errors.As(err, &bodyTimeout) {
		return local(CodeReadTimeout, "Read timeout on endpoint URL: \"%s\"", requestURL)
	}
	// --timeout and Ctrl-C end a call with the context's error, which also
	// calls itself a timeout: it stays what it is.
	if errors.Is(err, context.Canceled) || holdsDeadline(err) {
		return err
	}
	if urlErr != nil && urlErr.Timeout() {
		return local(CodeReadTimeout, "Read timeout on endpoint URL: \"%s\"", requestURL)
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() > 0 {
		status := re.HTTPStatusCode()
		text := http.StatusText(status)
		if text == "" {
			text = "Unknown"
		}
		return &Error{Code: strconv.Itoa(status), Message: text, Service: svc.Name, Operation: op.Name,
			StatusCode: status, RequestID: re.ServiceRequestID(), RetryAttempts: retries,
			MaxRetriesReached: exhausted != nil, Err: err}
	}
	return err
}

// holdsDeadline reports whether context.DeadlineExceeded itself is in err's
// chain. errors.Is will not do: net/http's timeout awaiting response headers
// (the read timeout) says it is DeadlineExceeded too.
func holdsDeadline(err error) bool {
	for err != nil {
		if err == context.DeadlineExceeded {
			return true
		}
		if multi, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range multi.Unwrap() {
				if holdsDeadline(e) {
					return true
				}
			}
			return false
		}
		err = errors.Unwrap(err)
	}
	return false
}
