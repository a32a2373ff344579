package sdk

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/jmespath-community/go-jmespath"

	"github.com/awslua/awslua/sdk/model"
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
// ("BucketExists" or "bucket_exists"), until it succeeds or fails: it calls
// the operation every Delay and takes the state of the first acceptor that
// matches, as botocore's waiter does.
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
	cl, err := op.prepare(input)
	if err != nil {
		return err
	}
	delay, attempts := cfg.Delay, cfg.MaxAttempts
	if delay <= 0 {
		delay = time.Duration(w.model.Delay) * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		attempts = w.model.MaxAttempts
	}
	if attempts <= 0 {
		attempts = defaultMaxAttempts
	}
	for attempt := 1; ; attempt++ {
		r, err := c.invoke(ctx, cl)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var out map[string]any
		status := 0
		if r != nil {
			out, _ = r.Output.(map[string]any)
			status = r.Metadata.HTTPStatusCode
		}
		state := ""
		for _, a := range w.model.Acceptors {
			if acceptorMatches(a, out, status, err) {
				state = a.State
				break
			}
		}
		switch {
		case state == "success":
			return nil
		case state == "failure":
			reason := "Waiter encountered a terminal failure state"
			if err != nil {
				reason += ": " + err.Error()
			}
			return &WaiterError{Name: w.Name, Reason: reason, Err: err}
		case state == "" && err != nil:
			return &WaiterError{Name: w.Name, Reason: "Unexpected error encountered: " + err.Error(), Err: err}
		case attempt >= attempts:
			return &WaiterError{Name: w.Name, Reason: fmt.Sprintf("Max attempts exceeded (%d)", attempts), Err: err}
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// acceptorMatches applies one acceptor of botocore's waiter language to the
// outcome of an attempt.
func acceptorMatches(a model.Acceptor, out map[string]any, status int, err error) bool {
	switch a.Matcher {
	case "status":
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				status = e.StatusCode
			}
		}
		want, ok := toInt64(a.Expected)
		return ok && int64(status) == want
	case "error":
		var e *Error
		isErr := errors.As(err, &e)
		if b, ok := a.Expected.(bool); ok {
			return b == (err != nil)
		}
		return isErr && e.Code == a.Expected
	}
	if err != nil || out == nil {
		return false
	}
	v, serr := jmespath.Search(a.Argument, jsonNumbers(out))
	if serr != nil {
		return false
	}
	want := jsonNumbers(jsonValue(a.Expected))
	if f, ok := want.(int64); ok {
		want = float64(f)
	}
	switch a.Matcher {
	case "path":
		return reflect.DeepEqual(v, want)
	case "pathAll", "pathAny":
		list, ok := v.([]any)
		if !ok || len(list) == 0 {
			return false
		}
		for _, e := range list {
			eq := reflect.DeepEqual(e, want)
			if a.Matcher == "pathAny" && eq {
				return true
			}
			if a.Matcher == "pathAll" && !eq {
				return false
			}
		}
		return a.Matcher == "pathAll"
	}
	return false
}
