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

// policy is what a session allows; the zero value allows everything.
type policy struct {
	readOnly bool
	services []string
}

func (p policy) allowService(name string) error {
	if len(p.services) > 0 && !slices.Contains(p.services, name) {
		return fmt.Errorf("service %s is not among the allowed services (%s): %w", name, strings.Join(p.services, ", "), ErrRefused)
	}
	return nil
}

func (p policy) allowOperation(svc *Service, op *Operation) error {
	if p.readOnly && !IsReadOnly(op.Name) {
		return fmt.Errorf("%s %s can change resources and this session is read-only: %w", svc.Name, op.SnakeName, ErrRefused)
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
