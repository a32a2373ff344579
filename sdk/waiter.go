package sdk

import (
	"context"
	"fmt"
	"time"
)

// WaiterConfig is boto3's WaiterConfig: a fixed Delay between attempts and
// at most MaxAttempts attempts. Zero values take the waiter's own delay and
// 40 attempts.
type WaiterConfig struct {
	Delay       time.Duration
	MaxAttempts int

	name string
}

const defaultMaxAttempts = 40

// Delays fixes the waiter's delay, the model's minimum delay when no Delay
// was set. Generated waiter code calls it.
func (w *WaiterConfig) Delays(modelDelay time.Duration) (minDelay, maxDelay time.Duration) {
	if w.Delay <= 0 {
		w.Delay = modelDelay
	}
	// The SDK divides by the minimum delay.
	w.Delay = max(w.Delay, time.Millisecond)
	return w.Delay, w.Delay
}

// MaxWait bounds the SDK waiter's own clock well past the attempts that
// LimitAttempts allows, so that it is the attempts that end the wait.
func (w *WaiterConfig) MaxWait() time.Duration {
	return 2*time.Duration(w.MaxAttempts)*w.Delay + time.Minute
}

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

// LimitAttempts wraps a waiter's acceptor so that the wait fails after
// cfg.MaxAttempts attempts, and its errors read as boto3's. Generated waiter
// code calls it.
func LimitAttempts[I, O any](cfg *WaiterConfig, retryable func(context.Context, *I, *O, error) (bool, error)) func(context.Context, *I, *O, error) (bool, error) {
	attempts := 0
	return func(ctx context.Context, in *I, out *O, err error) (bool, error) {
		attempts++
		retry, werr := retryable(ctx, in, out, err)
		switch {
		case werr != nil && werr == err:
			return false, &WaiterError{Name: cfg.name, Reason: "Unexpected error: " + err.Error(), Err: err}
		case werr != nil:
			return false, &WaiterError{Name: cfg.name, Reason: "Waiter encountered a terminal failure state: " + werr.Error(), Err: err}
		case retry && attempts >= cfg.MaxAttempts:
			return false, &WaiterError{Name: cfg.name, Reason: fmt.Sprintf("Max attempts exceeded (%d)", attempts), Err: err}
		}
		return retry, nil
	}
}

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
