package sdk

import (
	"context"
	"net/http"
	"time"
)

// A PresignedRequest is a request that anyone holding it can send, until it
// expires, without credentials.
type PresignedRequest struct {
	URL    string
	Method string
	// SignedHeader holds the headers that were signed and must be sent.
	SignedHeader http.Header
}

// CanPresign reports whether an operation can be presigned: any can, as in
// boto3, if the client has it.
func (c *Client) CanPresign(operation string) bool {
	_, ok := c.svc.Operation(operation)
	return ok
}

// Presign signs a request for an operation, valid for expires (15
// minutes when zero, as boto3's default is).
func (c *Client) Presign(ctx context.Context, operation string, input any, expires time.Duration) (*PresignedRequest, error) {
	op, err := c.Operation(operation)
	if err != nil {
		return nil, err
	}
	if err := c.policy.allowOperation(c.svc, op); err != nil {
		return nil, err
	}
	cl, err := op.prepare(input)
	if err != nil {
		return nil, err
	}
	return c.engine.presign(ctx, cl, expires, "", nil)
}
