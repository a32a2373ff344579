package sdk

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"

	"github.com/aws/smithy-go/middleware"
)

// A ParamHandler checks a request's parameters before anything is built or
// sent, as botocore's before-parameter-build handlers do. param returns an
// input member by its API name; a handler returns a *ParamValidationError
// (its Problems, at least) to refuse the request.
//
// Handlers see members, not Go types, so that any engine that has the
// parameters (the typed clients here, a model-driven one) can run them.
type ParamHandler func(operation string, param func(member string) (any, bool)) error

// paramHandlers are the handlers of each service, by boto3's service name:
// the one place they are registered.
var paramHandlers = map[string][]ParamHandler{
	"s3": {validateBucketName},
}

// ParamHandlers returns the handlers registered for a service.
func ParamHandlers(service string) []ParamHandler { return paramHandlers[service] }

// S3 accepts a bucket name or an access point ARN in Bucket; anything else
// would be sent as a request for the wrong resource (a bucket of "" lists
// the account's buckets), so boto3 refuses it before sending, with these
// two patterns.
var (
	validBucket = regexp.MustCompile(`^[a-zA-Z0-9.\-_]{1,255}$`)
	validS3ARN  = regexp.MustCompile(`^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-.]{1,63}$` +
		`|^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\-]{1,63}$`)
)

// validateBucketName refuses a Bucket that is neither a bucket name nor an
// access point ARN, with boto3's message.
func validateBucketName(_ string, param func(string) (any, bool)) error {
	v, ok := param("Bucket")
	if !ok {
		return nil
	}
	bucket, _ := v.(string)
	if validBucket.MatchString(bucket) || validS3ARN.MatchString(bucket) {
		return nil
	}
	return &ParamValidationError{Problems: []string{fmt.Sprintf(
		`Invalid bucket name "%s": Bucket name must match the regex "%s" or be an ARN matching the regex "%s"`,
		bucket, validBucket.String(), validS3ARN.String())}}
}

// runParamHandlers runs a service's handlers on a typed input, naming the
// operation in the error.
func runParamHandlers(service, operation string, input any) error {
	handlers := paramHandlers[service]
	if len(handlers) == 0 {
		return nil
	}
	param := typedParam(input)
	for _, h := range handlers {
		if err := h(operation, param); err != nil {
			var pv *ParamValidationError
			if errors.As(err, &pv) {
				pv.Operation = operation
			}
			return err
		}
	}
	return nil
}

// typedParam reads a member of a typed input struct. A nil pointer member
// is absent, as an unset member is in boto3's parameters.
func typedParam(input any) func(string) (any, bool) {
	v := reflect.ValueOf(input)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return func(member string) (any, bool) {
		if v.Kind() != reflect.Struct {
			return nil, false
		}
		f := v.FieldByName(member)
		if !f.IsValid() || f.Kind() == reflect.Pointer && f.IsNil() {
			return nil, false
		}
		for f.Kind() == reflect.Pointer {
			f = f.Elem()
		}
		return f.Interface(), true
	}
}

// paramHandlerMiddleware runs the handlers first thing in every request of
// a client, so that every way to a request (calls, paginators, waiters,
// presigning, transfers on the typed client) is checked the same.
func paramHandlerMiddleware(service string) func(*middleware.Stack) error {
	if len(paramHandlers[service]) == 0 {
		return nil
	}
	m := middleware.InitializeMiddlewareFunc("awslua.ParamHandlers",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if err := runParamHandlers(service, middleware.GetOperationName(ctx), in.Parameters); err != nil {
				return middleware.InitializeOutput{}, middleware.Metadata{}, err
			}
			return next.HandleInitialize(ctx, in)
		})
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(m, middleware.Before)
	}
}
