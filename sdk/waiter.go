package sdk

import (
	"context"
	"fmt"
	"time"
)

// WaiterConfig is boto3's WaiterConfig: a fixed Delay between attempts and
// at most MaxAttempts attempts. Zero values take the waiter's own delay and
// attempts, or 40 attempts where the model gives none.
type WaiterConfig struct {
	Delay       time.Duration
	MaxAttempts int
}

const defaultMaxAttempts = 40

// WaiterError is a wait that ended without reaching its success state.
type WaiterError struct {
	Name   string // the waiter's API name, "BucketExists"
	Reason string
	// Err is the error of the last attempt, if it had one.
	Err error
}

func (e *WaiterError) Error() string {
	return fmt.Sprintf("Waiter %s failed: %s", e.Name, e.Reason)
}

func (e *WaiterError) Unwrap() error { return e.Err }

// WaiterNames returns the API names of the service's waiters.
func (c *Client) WaiterNames() []string {
	names := make([]string, len(c.svc.Waiters))
	for i, w := range c.svc.Waiters {
		names[i] = w.Name
	}
	return names
}

// Wait polls with a waiter, named as the API or boto3 names it
// ("BucketExists" or "bucket_exists"), until it succeeds or fails.
func (c *Client) Wait(ctx context.Context, waiter string, input any, cfg WaiterConfig) error {
	c.svc.index()
	w, ok := c.svc.waiters[waiter]
	if !ok {
		return fmt.Errorf("%s has no waiter %q", c.svc.Name, waiter)
	}
	op, _ := c.svc.Operation(w.Operation)
	if err := c.policy.allowOperation(c.svc, op); err != nil {
		return err
	}
	return c.waitModel(ctx, w, op, input, cfg)
}
