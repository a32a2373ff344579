package sdk

import (
	"context"

	"fmt"
	"github.com/aws/aws-sdk-go-v2/aws"
	"net/http"
	"sort"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/awslua/awslua/sdk/model"
)

// A Client calls any operation of one service by name, with dynamic values.
// It is safe for concurrent use.
type Client struct {
	svc    *Service
	engine *engine
	region string
	policy policy
	config ClientConfig
}

// ServiceName returns boto3's name of the client's service ("s3").
func (c *Client) ServiceName() string { return c.svc.Name }

// Service returns the description of the client's service.
func (c *Client) Service() *Service { return c.svc }

// Region returns the client's region.
func (c *Client) Region() string { return c.region }

// EndpointURL returns the endpoint the client sends requests to.
func (c *Client) EndpointURL() string { return c.engine.endpointURL() }

// AWSConfig returns the client's aws-sdk-go-v2 configuration: region,
// credentials, retries, HTTP client and timeouts, with BaseEndpoint set to
// the endpoint_url the client was given. A program that needs a typed
// aws-sdk-go-v2 client with the same settings makes it from this.
func (c *Client) AWSConfig() aws.Config {
	cfg := c.engine.cfg.Copy()
	if c.engine.endpoint != "" {
		endpoint := c.engine.endpoint
		cfg.BaseEndpoint = &endpoint
	}
	return cfg
}

// S3AddressingStyle returns the client's S3 addressing style: "path",
// "virtual" or "auto".
func (c *Client) S3AddressingStyle() string {
	if style := c.engine.opts.S3AddressingStyle; style != "" {
		return style
	}
	return "auto"
}

// String and GoString have value receivers, so that no way of printing a
// Client shows its configuration, credentials included.
func (c Client) String() string {
	return fmt.Sprintf("<%s client, %s>", c.svc.Name, c.region)
}

func (c Client) GoString() string { return c.String() }

// Operations returns the API names of the service's operations, sorted.
func (c *Client) Operations() []string {
	names := make([]string, len(c.svc.Operations))
	for i, op := range c.svc.Operations {
		names[i] = op.Name
	}
	return names
}

// Operation looks an operation up by its API name or boto3's name.
func (c *Client) Operation(name string) (*Operation, error) {
	return c.svc.LookupOperation(name)
}

// suggest names the operations a caller may have meant: the closest
// boto3 names by spelling, or those that contain the one asked for (an
// API name is compared as boto3's).
func suggest(name string, svc *Service) string {
	names := make([]string, len(svc.Operations))
	for i, op := range svc.Operations {
		names[i] = op.SnakeName
	}
	return model.DidYouMean(model.SnakeName(name), names, 5)
}

// ResponseMetadata is what boto3 returns under ResponseMetadata.
type ResponseMetadata struct {
	RequestID      string
	HostID         string
	HTTPStatusCode int
	HTTPHeaders    http.Header
	RetryAttempts  int
}

// Map returns the metadata as boto3 shows it, with header names in lower case.
func (m ResponseMetadata) Map() map[string]any {
	headers := make(map[string]any, len(m.HTTPHeaders))
	for k, v := range m.HTTPHeaders {
		headers[strings.ToLower(k)] = strings.Join(v, ", ")
	}
	out := map[string]any{
		"RequestId":      m.RequestID,
		"HTTPStatusCode": int64(m.HTTPStatusCode),
		"HTTPHeaders":    headers,
		"RetryAttempts":  int64(m.RetryAttempts),
	}
	if m.HostID != "" {
		out["HostId"] = m.HostID
	}
	return out
}

// A Result is the output of one call and its response metadata.
type Result struct {
	Operation *Operation
	// Output is the output's dynamic values (map[string]any).
	Output   any
	Metadata ResponseMetadata
}

// Map returns the output as dynamic values, with ResponseMetadata added.
func (r *Result) Map() map[string]any {
	m, _ := r.Output.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	m["ResponseMetadata"] = r.Metadata.Map()
	return m
}

// Call calls an operation, named as the API or boto3 names it, with a
// dynamic input (a map of member names to values), and returns the output
// as dynamic values (sdk/protocol's package documentation lists their Go
// types; an output event stream is an *EventStream). Errors are
// *ParamValidationError before anything is sent, *Error for an error
// response, or the SDK's error for anything else (a cancelled context, a
// network failure).
func (c *Client) Call(ctx context.Context, operation string, input any) (map[string]any, error) {
	r, err := c.Invoke(ctx, operation, input)
	if err != nil {
		return nil, err
	}
	return r.Map(), nil
}

// Invoke is Call with a Result, for callers that want the response
// metadata apart from the output.
func (c *Client) Invoke(ctx context.Context, operation string, input any) (*Result, error) {
	op, err := c.Operation(operation)
	if err != nil {
		return nil, err
	}
	cl, err := op.prepare(input)
	if err != nil {
		return nil, err
	}
	return c.invoke(ctx, cl)
}

func (c *Client) invoke(ctx context.Context, cl *call) (*Result, error) {
	if err := c.policy.allowOperation(c.svc, cl.op); err != nil {
		return nil, err
	}
	return c.engine.invoke(ctx, c.svc, cl)
}

// responseMetadata reads what boto3 returns under ResponseMetadata from a
// call's middleware metadata.
func responseMetadata(md middleware.Metadata, attempts int) ResponseMetadata {
	m := ResponseMetadata{RetryAttempts: max(attempts-1, 0)}
	m.RequestID, _ = awsmiddleware.GetRequestIDMetadata(md)
	if raw, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response); ok {
		m.HTTPStatusCode = raw.StatusCode
		m.HTTPHeaders = raw.Header
		m.HostID = raw.Header.Get("X-Amz-Id-2")
	}
	return m
}

// Errors returns the service's modeled error codes, sorted.
func (c *Client) Errors() []string {
	codes := make([]string, len(c.svc.Errors))
	for i, e := range c.svc.Errors {
		codes[i] = e.Code
	}
	sort.Strings(codes)
	return codes
}
