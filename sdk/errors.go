package sdk

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/awslua/awslua/sdk/protocol"
)

// Error is an error response from a service. It wraps the SDK's error, so
// errors.As reaches the modeled error type (*types.NoSuchBucket), and
// errors.Is matches any error with the same code:
//
//	errors.Is(err, &types.NoSuchBucket{})
type Error struct {
	Code      string // "NoSuchBucket"
	Message   string
	Service   string // "s3"
	Operation string // "ListObjectsV2"
	// StatusCode is the HTTP status of the response.
	StatusCode int
	RequestID  string
	// HostID is S3's extended request id (x-amz-id-2).
	HostID string
	// RetryAttempts counts the attempts after the first.
	RetryAttempts int
	// MaxRetriesReached is true when the error came back after the
	// retryer had used all its attempts.
	MaxRetriesReached bool
	// Err is the error the SDK returned.
	Err error

	// ModeledCode is the code of the modeled error type when the service
	// sends another one (SQS's legacy AWS.SimpleQueueService.* codes).
	ModeledCode string
}

// Error reads as boto3's ClientError does, saying how many retries were
// made when they ran out.
func (e *Error) Error() string {
	if e.MaxRetriesReached {
		return fmt.Sprintf("An error occurred (%s) when calling the %s operation (reached max retries: %d): %s", e.Code, e.Operation, e.RetryAttempts, e.Message)
	}
	return fmt.Sprintf("An error occurred (%s) when calling the %s operation: %s", e.Code, e.Operation, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an error with the same code, or with the
// model's code of the error type.
func (e *Error) Is(target error) bool {
	t, ok := target.(interface{ ErrorCode() string })
	return ok && (t.ErrorCode() == e.Code || e.ModeledCode != "" && t.ErrorCode() == e.ModeledCode)
}

// ErrorCode, ErrorMessage and ErrorFault make an Error a smithy.APIError.
func (e *Error) ErrorCode() string    { return e.Code }
func (e *Error) ErrorMessage() string { return e.Message }
func (e *Error) ErrorFault() smithy.ErrorFault {
	var api smithy.APIError
	if errors.As(e.Err, &api) {
		return api.ErrorFault()
	}
	return smithy.FaultUnknown
}

// CodeError returns an error that errors.Is matches against any service
// error with that code; dynamic callers use it where Go code would name the
// modeled type.
func CodeError(code string) error { return &Error{Code: code} }

// attemptsKey is the context key of the per-call attempt counter.
type attemptsKey struct{}

// countAttempts is a Finalize middleware after the SDK's retry middleware, so
// it runs once for every attempt of a call.
var countAttempts = middleware.FinalizeMiddlewareFunc("awslua.CountAttempts",
	func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		if n, ok := ctx.Value(attemptsKey{}).(*int); ok {
			*n++
		}
		return next.HandleFinalize(ctx, in)
	})

func addAttemptCounter(stack *middleware.Stack) error { return afterRetry(stack, countAttempts) }

// afterRetry inserts m after the SDK's retry middleware, where it runs once
// for every attempt.
func afterRetry(stack *middleware.Stack, m middleware.FinalizeMiddleware) error {
	if _, ok := stack.Finalize.Get("Retry"); !ok {
		return nil // presigning builds a stack that sends nothing
	}
	return stack.Finalize.Insert(m, "Retry", middleware.After)
}

// wrapError turns an error of the SDK into the errors this package promises.
func wrapError(svc *Service, op *Operation, err error, attempts int) error {
	// A ParamHandler refused the request in the SDK's middleware; the SDK
	// wraps it in an OperationError that adds nothing to say.
	var pv *ParamValidationError
	if errors.As(err, &pv) {
		return pv
	}
	var api smithy.APIError
	if !errors.As(err, &api) {
		return clientSideError(svc, op, err, attempts)
	}
	e := &Error{
		Code:      api.ErrorCode(),
		Message:   api.ErrorMessage(),
		Service:   svc.Name,
		Operation: op.Name,
		Err:       err,
	}
	// A service that keeps its query-protocol codes (SQS) reports
	// "AWS.SimpleQueueService.NonExistentQueue", as boto3 does, for the
	// modeled QueueDoesNotExist; errors.Is(err, &types.QueueDoesNotExist{})
	// and CodeError("QueueDoesNotExist") must still match it.
	var se *protocol.ServiceError
	if errors.As(err, &se) && se.Shape != "" && se.Shape != e.Code {
		e.ModeledCode = se.Shape
	}
	if attempts > 0 {
		e.RetryAttempts = attempts - 1
	}
	var exhausted *retry.MaxAttemptsError
	e.MaxRetriesReached = errors.As(err, &exhausted)
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		e.StatusCode = re.HTTPStatusCode()
		e.RequestID = re.ServiceRequestID()
	}
	var host interface{ ServiceHostID() string }
	if errors.As(err, &host) {
		e.HostID = host.ServiceHostID()
	}
	return e
}
