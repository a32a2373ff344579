package sdk

import (
	"crypto/rand"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/awslua/awslua/sdk/model"
)

// modelServices holds the Services made from the embedded models, one per
// boto3 name, made on first use.
var modelServices sync.Map // string -> *Service

// BotocoreVersion is the version of botocore whose models this build
// embeds ("1.43.11").
func BotocoreVersion() string { return model.BotocoreVersion() }

// engineService returns the model-driven Service of a boto3 service name.
func engineService(name string) (*Service, error) {
	if s, ok := modelServices.Load(name); ok {
		return s.(*Service), nil
	}
	m, err := model.Load(name)
	if err != nil {
		return nil, err
	}
	if customize := modelCustomizations[name]; customize != nil {
		m = customize(m)
	}
	s := newModelService(m)
	actual, _ := modelServices.LoadOrStore(name, s)
	return actual.(*Service), nil
}

// newModelService describes a model as a Service: operations by their API
// and boto3 names, paginators, waiters and modeled errors.
func newModelService(m *model.Service) *Service {
	s := &Service{Name: m.Name, ID: m.Metadata.ServiceID, model: m, shapes: newModelShapes(m)}
	for _, name := range sortedKeys(m.Operations) {
		s.Operations = append(s.Operations, Operation{Name: name, SnakeName: model.SnakeName(name), model: m.Operations[name], svc: s})
	}
	for _, op := range sortedKeys(m.Paginators) {
		p := m.Paginators[op]
		if len(p.InputToken) == 0 || len(p.OutputToken) == 0 {
			continue
		}
		s.Paginators = append(s.Paginators, PaginatorSpec{
			Operation: op, InputTokens: p.InputToken, OutputTokens: p.OutputToken,
			LimitKey: p.LimitKey, MoreResults: p.MoreResults, resultKeys: p.ResultKey,
		})
	}
	for _, name := range sortedKeys(m.Waiters) {
		s.Waiters = append(s.Waiters, WaiterSpec{Name: name, Operation: m.Waiters[name].Operation, model: m.Waiters[name]})
	}
	// The error codes come with the model, so that listing them decodes
	// no shape: ec2 has 4,014.
	codes := map[string]bool{}
	for _, code := range m.ErrorCodes {
		codes[code] = true
	}
	for _, code := range sortedKeys(codes) {
		s.Errors = append(s.Errors, ErrorSpec{Code: code})
	}
	return s
}

// modelShapeNamed finds a shape by its botocore name, or by the name the
// typed SDK gives an operation's input or output ("GetQueueAttributesOutput"
// is botocore's GetQueueAttributesResult), which resource models written
// for the typed packages use.
func (s *Service) modelShapeNamed(name string) *Shape {
	if sh := s.shapes.shape(name); sh != nil {
		return sh
	}
	for _, suffix := range []string{"Output", "Input"} {
		if opName, ok := strings.CutSuffix(name, suffix); ok {
			if op, ok := s.Operation(opName); ok {
				if suffix == "Output" {
					return op.OutputShape()
				}
				return op.InputShape()
			}
		}
	}
	return nil
}

// InputShape returns the shape of the operation's input.
func (op *Operation) InputShape() *Shape {
	if op.model.Input == nil {
		return emptyStructure
	}
	return op.svc.shapes.shape(op.model.Input.Shape)
}

// OutputShape returns the shape of the operation's output.
func (op *Operation) OutputShape() *Shape {
	if op.model.Output == nil {
		return emptyStructure
	}
	return op.svc.shapes.shape(op.model.Output.Shape)
}

// emptyStructure is the input of an operation that takes nothing.
var emptyStructure = &Shape{Kind: KindStructure, byName: map[string]*Member{}, byFold: map[string]*Member{}}

// ReferenceURL returns the operation's page in the AWS API reference, ""
// where the model has no uid to make it from.
func (op *Operation) ReferenceURL() string {
	if op.svc.model.Metadata.UID == "" {
		return ""
	}
	return "https://docs.aws.amazon.com/goto/WebAPI/" + op.svc.model.Metadata.UID + "/" + op.Name
}

// ReadOnly reports whether the operation changes nothing: the model's
// readonly trait says so, or its name starts with a reading verb.
func (op *Operation) ReadOnly() bool {
	return op.model.Readonly || IsReadOnly(op.Name)
}

// prepare makes the call of an operation with a dynamic input: boto3's
// handlers run on a copy of the input, which is then checked against the
// model and converted to the values the protocol layer takes; absent
// idempotency tokens are filled, as boto3 fills them.
func (op *Operation) prepare(input any) (*call, error) {
	// Shapes are decoded on first use: one the model lacks or the bundle
	// cannot decode is an error here rather than a nil Shape further on.
	// Below the input, the protocol layer reports it before sending.
	if in := op.model.Input; in != nil {
		if _, err := op.svc.model.LookupShape(in.Shape); err != nil {
			return nil, fmt.Errorf("%s %s: %w", op.svc.Name, op.Name, err)
		}
	}
	params := map[string]any{}
	if m, ok := input.(map[string]any); ok {
		maps.Copy(params, m)
	} else if input != nil {
		var e encoder
		e.typeError("", input, "map")
		return nil, &ParamValidationError{Operation: op.Name, Problems: e.problems}
	}
	c := &call{op: op, params: params}
	for _, h := range handlersFor(op.svc.Name, op.Name) {
		if h.params != nil {
			if err := h.params(c); err != nil {
				return nil, err
			}
		}
	}
	in, err := op.check(c.params, false)
	if err != nil {
		return nil, err
	}
	for _, m := range op.InputShape().Members {
		if _, set := in[m.Name]; !set && m.ref != nil && m.ref.IdempotencyToken {
			in[m.Name] = newUUID()
		}
	}
	c.params = in
	return c, nil
}

// CheckParams checks some members of an operation's input as a call
// would, without the input's required members, and returns them converted:
// int64, float64, time.Time, []byte, []any and map[string]any. S3
// transfers check their ExtraArgs with it.
func (c *Client) CheckParams(operation string, params map[string]any) (map[string]any, error) {
	op, err := c.Operation(operation)
	if err != nil {
		return nil, err
	}
	return op.check(params, true)
}

// check checks an input against the operation's model and converts it;
// partial leaves out the input's own required members.
func (op *Operation) check(params map[string]any, partial bool) (map[string]any, error) {
	e := encoder{partial: partial}
	out, _ := e.normalize(op.InputShape(), params, "").(map[string]any)
	if len(e.problems) > 0 {
		return nil, &ParamValidationError{Operation: op.Name, Problems: e.problems}
	}
	if out == nil {
		out = map[string]any{}
	}
	return out, nil
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
