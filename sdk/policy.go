package sdk

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrRefused is wrapped by the errors of calls that a session's policy
// (read-only, or its allowed services) refuses. Nothing is sent.
var ErrRefused = errors.New("refused by policy")

// readVerbs are the verbs of operations that only read. An operation is
// read-only when its name starts with one of them as a whole word: the
// API's own naming, not a list kept by hand for each operation.
var readVerbs = []string{
	"BatchGet", "Describe", "Download", "Estimate", "Filter", "Get", "Head",
	"List", "Lookup", "Preview", "Query", "Scan", "Search", "Select",
	"Simulate", "Validate",
}

// IsReadOnly reports whether an operation, by its API name, only reads.
func IsReadOnly(operation string) bool {
	for _, v := range readVerbs {
		rest, ok := strings.CutPrefix(operation, v)
		if ok && (rest == "" || rest[0] >= 'A' && rest[0] <= 'Z') {
			return true
		}
	}
	return false
}

// WithReadOnly makes every client of the session refuse operations that
// can change anything, for calls, paginators, waiters and presigned URLs.
func WithReadOnly() Option { return func(o *sessionOptions) { o.policy.readOnly = true } }

// WithAllowedServices limits the session to clients of these services.
func WithAllowedServices(names ...string) Option {
	return func(o *sessionOptions) { o.policy.services = append(o.policy.services, names...) }
}

// WithAllowedOperations limits the session to these operations, named
// "service:Operation" or "service:operation_name" ("s3:ListObjectsV2").
func WithAllowedOperations(names ...string) Option {
	return func(o *sessionOptions) { o.policy.operations = append(o.policy.operations, names...) }
}

// policy is what a session allows; the zero value allows everything.
type policy struct {
	readOnly   bool
	services   []string
	operations []string
}

func (p policy) allowService(name string) error {
	if len(p.services) > 0 && !slices.Contains(p.services, name) {
		return fmt.Errorf("service %s is not among the allowed services (%s): %w", name, strings.Join(p.services, ", "), ErrRefused)
	}
	return nil
}

func (p policy) allowOperation(svc *Service, op *Operation) error {
	if p.readOnly {
		if err := op.ReadOnlyError(); err != nil {
			return err
		}
	}
	if len(p.operations) > 0 && !slices.Contains(p.operations, svc.Name+":"+op.Name) && !slices.Contains(p.operations, svc.Name+":"+op.SnakeName) {
		return fmt.Errorf("%s %s is not among the allowed operations: %w", svc.Name, op.SnakeName, ErrRefused)
	}
	return nil
}

// ReadOnly returns a copy of the session whose clients refuse every
// operation that can change anything. Policies only ever tighten.
func (s *Session) ReadOnly() *Session {
	c := *s
	c.policy.readOnly = true
	return &c
}

// AllowOperations returns a copy of the session limited to these
// operations ("s3:ListObjectsV2"), and to those it already allowed.
func (s *Session) AllowOperations(names ...string) *Session {
	c := *s
	if len(c.policy.operations) == 0 {
		c.policy.operations = slices.Clone(names)
	} else {
		c.policy.operations = slices.DeleteFunc(slices.Clone(c.policy.operations), func(n string) bool { return !slices.Contains(names, n) })
		if len(c.policy.operations) == 0 {
			c.policy.operations = []string{"(none)"}
		}
	}
	return &c
}

// AllowServices returns a copy of the session limited to these services
// (and to those the session already allowed).
func (s *Session) AllowServices(names ...string) *Session {
	c := *s
	if len(c.policy.services) == 0 {
		c.policy.services = slices.Clone(names)
	} else {
		c.policy.services = slices.DeleteFunc(slices.Clone(c.policy.services), func(n string) bool { return !slices.Contains(names, n) })
		if len(c.policy.services) == 0 {
			c.policy.services = []string{"(none)"}
		}
	}
	return &c
}

// Allowed reports, as an error wrapping ErrRefused, whether the session's
// policy refuses an operation. Code that makes several calls, each needed
// for the next (S3 transfers), asks it first, so that a refusal comes
// before anything is sent.
func (c *Client) Allowed(operation string) error {
	op, err := c.Operation(operation)
	if err != nil {
		return err
	}
	return c.policy.allowOperation(c.svc, op)
}
