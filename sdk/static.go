package sdk

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/awslua/awslua/sdk/resourcemodel"
)

// Unknown stands, in an input given to CheckStatic, for a value that a
// check of a script cannot know without running it (a variable, the
// result of a call): it fits any member.
var Unknown any = unknown{}

type unknown struct{}

// Partial is, in an input given to CheckStatic, a table some of whose keys
// cannot be known without running the script (a key computed at run
// time): the members it has are checked, its required members are not.
type Partial map[string]any

// A Problem is one reason why an input does not fit an operation. Path
// names the member it is about ("Bucket", "Delete.Objects[0].Key"; "" for
// the input itself); Message says what is wrong, as the call would.
type Problem struct {
	Path    string
	Message string
}

// CheckStatic checks an input known only in part, as a call checks it
// after boto3's handlers, and returns every problem: Unknown values fit
// any member and the required members of a Partial table are not asked
// for; input itself may be Partial. Beyond what a call checks, it reports
// a string an enum does not list, which a call leaves to the service to
// refuse. Nothing is sent.
func (op *Operation) CheckStatic(input map[string]any) []Problem {
	return op.checkStatic(input, false)
}

// CheckStaticPartial is CheckStatic of an input whose keys are not all
// known.
func (op *Operation) CheckStaticPartial(input map[string]any) []Problem {
	return op.checkStatic(input, true)
}

func (op *Operation) checkStatic(input map[string]any, open bool) []Problem {
	c := &call{op: op, params: maps.Clone(input)}
	if c.params == nil {
		c.params = map[string]any{}
	}
	for _, h := range handlersFor(op.svc.Name, op.Name) {
		if h.params == nil {
			continue
		}
		if err := h.params(c); err != nil {
			// A handler reads only what it can see: with a value
			// unknown, what it refused may be what it could not read.
			if open || hasUnknown(input) {
				return nil
			}
			var pv *ParamValidationError
			if errors.As(err, &pv) {
				problems := make([]Problem, len(pv.Problems))
				for i, p := range pv.Problems {
					problems[i] = Problem{Message: p}
				}
				return problems
			}
			return []Problem{{Message: err.Error()}}
		}
	}
	e := encoder{static: true}
	var params any = c.params
	if open {
		params = Partial(c.params)
	}
	e.normalize(op.InputShape(), params, "")
	problems := make([]Problem, len(e.problems))
	for i := range e.problems {
		problems[i] = Problem{Path: e.paths[i], Message: e.problems[i]}
	}
	return problems
}

func hasUnknown(v any) bool {
	switch v := v.(type) {
	case unknown:
		return true
	case Partial:
		return true
	case map[string]any:
		for _, x := range v {
			if hasUnknown(x) {
				return true
			}
		}
	case []any:
		return slices.ContainsFunc(v, hasUnknown)
	}
	return false
}

// notInEnum reports a string that the shape's enum does not list.
func (e *encoder) notInEnum(s *Shape, str, path string) {
	if enum := s.Enum(); e.static && len(enum) > 0 && !slices.Contains(enum, str) {
		e.fail(path, "Invalid value for parameter %s, value: %q, valid values: %s", nonEmpty(path), str, strings.Join(enum, ", "))
	}
}

// LookupOperation returns the operation named by its API name or boto3's
// name; its error names the operations the caller may have meant.
func (s *Service) LookupOperation(name string) (*Operation, error) {
	if op, ok := s.Operation(name); ok {
		return op, nil
	}
	return nil, fmt.Errorf("%s has no operation %q%s", s.Name, name, suggest(name, s))
}

// ReadOnlyError is the error with which a read-only session refuses the
// operation, nil for an operation that only reads.
func (op *Operation) ReadOnlyError() error {
	if op.ReadOnly() {
		return nil
	}
	return fmt.Errorf("%s %s can change resources and this session is read-only: %w", op.svc.Name, op.SnakeName, ErrRefused)
}

// StaticResource returns the service resource of a service (boto3's
// session.resource) with no session behind it, for a tool that describes
// resources without calling anything: its sub-resources, references,
// collections, attributes, actions and waiters are those of a session's
// resource; whatever would send a request fails.
func StaticResource(service string) (*Resource, error) {
	m, err := resourceModel(service)
	if err != nil {
		return nil, err
	}
	svc, err := engineService(service)
	if err != nil {
		return nil, err
	}
	if err := checkedAgainst(m, svc); err != nil {
		return nil, err
	}
	return &Resource{client: &Client{svc: svc, engine: nil}, model: m, def: m.Service, ids: map[string]any{}}, nil
}

// Model returns the resource model the resource belongs to.
func (r *Resource) Model() *resourcemodel.ResourceModel { return r.model }

// OfType returns a resource of type typ from the same model as r, with no
// identifiers, for a tool that describes resources (the type of a
// collection's items, of a reference); false when the model has no such
// type.
func (r *Resource) OfType(typ string) (*Resource, bool) {
	def, ok := r.model.Resources[typ]
	if !ok {
		return nil, false
	}
	return &Resource{client: r.client, model: r.model, typ: typ, def: def, ids: map[string]any{}}, true
}

// Service returns the service the operation belongs to.
func (op *Operation) Service() *Service { return op.svc }
