package sdk

import (
	"context"
	"fmt"
	"net/http"
	"sort"
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

// CanPresign reports whether the SDK can presign an operation.
func (c *Client) CanPresign(operation string) bool {
	op, ok := c.svc.Operation(operation)
	return ok && (c.engine != nil || c.svc.presign[op.Name] != nil)
}

// Presign signs a request for an operation, valid for expires (the SDK's
// default, 15 minutes, when zero).
func (c *Client) Presign(ctx context.Context, operation string, input any, expires time.Duration) (*PresignedRequest, error) {
	op, err := c.Operation(operation)
	if err != nil {
		return nil, err
	}
	if err := c.policy.allowOperation(c.svc, op); err != nil {
		return nil, err
	}
	if c.engine != nil {
		cl, err := op.prepare(input)
		if err != nil {
			return nil, err
		}
		return c.engine.presign(ctx, cl, expires)
	}
	spec := c.svc.presign[op.Name]
	if spec == nil {
		var ops []string
		for _, p := range c.svc.Presigners {
			ops = append(ops, SnakeCase(p.Operation))
		}
		sort.Strings(ops)
		return nil, fmt.Errorf("%s cannot presign %s; it can presign: %v", c.svc.Name, op.SnakeName, ops)
	}
	in, err := Encode(op.Input, input)
	if err != nil {
		if pv, ok := err.(*ParamValidationError); ok {
			pv.Operation = op.Name
		}
		return nil, err
	}
	req, err := spec.Presign(ctx, c.api, in, expires)
	if err != nil {
		return nil, wrapError(c.svc, op, err, 0)
	}
	return &PresignedRequest{URL: req.URL, Method: req.Method, SignedHeader: req.SignedHeader}, nil
}
