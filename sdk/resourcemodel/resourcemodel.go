// Package resourcemodel is boto3's resource model schema as Go types: what
// a resources-1.json holds (a service resource, and resources with
// identifiers, a shape, a load request, actions, batch actions,
// sub-resources, collections and waiters), and the parser that reads and
// checks one. The sdk's resource engine runs these models.
package resourcemodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/jmespath-community/go-jmespath"
)

// A ResourceModel describes a service's resources as data, in the schema of
// boto3's resource models: a service resource, and resources with
// identifiers, a shape, a load request, actions, batch actions,
// sub-resources and references (has), collections (hasMany) and waiters.
// The engine in resource.go runs it.
type ResourceModel struct {
	Service   *ResourceDef            `json:"service"`
	Resources map[string]*ResourceDef `json:"resources"`
}

// ResourceDef is one resource (or the service resource, which has no
// identifiers).
type ResourceDef struct {
	Identifiers  []IdentifierDef        `json:"identifiers"`
	Shape        string                 `json:"shape"`
	Load         *LoadDef               `json:"load"`
	Actions      map[string]*ActionDef  `json:"actions"`
	BatchActions map[string]*ActionDef  `json:"batchActions"`
	Has          map[string]*HasDef     `json:"has"`
	HasMany      map[string]*HasManyDef `json:"hasMany"`
	Waiters      map[string]*WaiterDef  `json:"waiters"`
}

// IdentifierDef names an identifier; MemberName, when set, is the member of
// the resource's data that holds it.
type IdentifierDef struct {
	Name       string `json:"name"`
	MemberName string `json:"memberName"`
	// Type is the identifier's type where it is not a string
	// ("integer"), as boto3's models record it; values are taken as given.
	Type string `json:"type"`
}

// LoadDef is how a resource loads its data: a request, and the JMESPath of
// the data in the response.
type LoadDef struct {
	Request RequestDef `json:"request"`
	Path    string     `json:"path"`
}

// RequestDef is an operation and where its parameters come from.
type RequestDef struct {
	Operation string     `json:"operation"`
	Params    []ParamDef `json:"params"`
}

// ParamDef sets the request member at Target (a path such as
// "Delete.Objects[*].Key" or "Filters[0].Values[0]") from a Source:
// "identifier" (Name), "data" (Path into the loaded data), "string",
// "integer" or "boolean" (Value), or "input".
type ParamDef struct {
	Target string `json:"target"`
	Source string `json:"source"`
	Name   string `json:"name"`
	Path   string `json:"path"`
	Value  any    `json:"value"`
}

// ActionDef is an action: a request, and optionally the resource(s) built
// from its response, or the JMESPath of what to return.
type ActionDef struct {
	Request  RequestDef           `json:"request"`
	Resource *ResponseResourceDef `json:"resource"`
	Path     string               `json:"path"`
}

// ResponseResourceDef builds resources of Type; each identifier comes from
// a Source: "identifier", "data", "input", "requestParameter" or "response"
// (Path), or "string" (Value). Path, when set, is the JMESPath of the data
// of each resource in the response.
type ResponseResourceDef struct {
	Type        string                  `json:"type"`
	Identifiers []ResourceIdentifierDef `json:"identifiers"`
	Path        string                  `json:"path"`
}

// ResourceIdentifierDef sets identifier Target of a built resource.
type ResourceIdentifierDef struct {
	Target string `json:"target"`
	Source string `json:"source"`
	Name   string `json:"name"`
	Path   string `json:"path"`
	Value  any    `json:"value"`
}

// HasDef is a sub-resource (identifiers from "input") or a reference
// (identifiers from "data").
type HasDef struct {
	Resource ResponseResourceDef `json:"resource"`
}

// HasManyDef is a collection: a (paginated) request and the resources in
// each response.
type HasManyDef struct {
	Request  RequestDef          `json:"request"`
	Resource ResponseResourceDef `json:"resource"`
}

// WaiterDef is a resource waiter: a client waiter and its parameters.
type WaiterDef struct {
	WaiterName string     `json:"waiterName"`
	Params     []ParamDef `json:"params"`
	// Path is where the waiter's last response holds the resource's data,
	// as boto3's EC2 models record it; boto3 does not use it, nor do we,
	// beyond checking that it is a JMESPath expression.
	Path string `json:"path"`
}

// Parse reads and checks a model. Every error names where in
// the model the problem is.
func Parse(data []byte) (*ResourceModel, error) {
	var m ResourceModel
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("resource model: %w", err)
	}
	// One JSON object and nothing after it: a second one (two models
	// pasted into one file) would otherwise be ignored silently.
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("resource model: data after the model's closing brace")
	}
	m.positionalInputs()
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("resource model: %w", err)
	}
	return &m, nil
}

// positionalInputs renames the identifiers of a sub-resource (a has-entry)
// to the identifiers of its type, by position, where the model names one
// that the type lacks. boto3 hands a has-entry's identifiers to the type
// positionally, so its own models can name them differently (IAM's
// service has Policy with PolicyArn, and Policy's identifier is Arn).
func (m *ResourceModel) positionalInputs() {
	if m.Service == nil {
		return // check says so
	}
	m.Walk(func(_ string, def *ResourceDef) {
		for _, h := range def.Has {
			if h == nil {
				continue
			}
			t := m.Resources[h.Resource.Type]
			if t == nil || len(t.Identifiers) != len(h.Resource.Identifiers) || !m.unknownTarget(t, h.Resource.Identifiers) {
				continue
			}
			for i := range h.Resource.Identifiers {
				h.Resource.Identifiers[i].Target = t.Identifiers[i].Name
			}
		}
	})
}

// unknownTarget reports whether any of ids sets an identifier t lacks.
func (m *ResourceModel) unknownTarget(t *ResourceDef, ids []ResourceIdentifierDef) bool {
	for _, id := range ids {
		found := false
		for _, tid := range t.Identifiers {
			found = found || tid.Name == id.Target
		}
		if !found {
			return true
		}
	}
	return false
}

// check verifies what the JSON decoder cannot: that every reference to a
// resource type, identifier and source makes sense, that every path is a
// JMESPath expression and every target a request path, and that nothing
// the engine follows is null. Problems come out in a stable order.
func (m *ResourceModel) check() error {
	if m.Service == nil {
		return errors.New(`no "service" resource`)
	}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, n := range sortedKeys(m.Resources) {
		if m.Resources[n] == nil {
			fail("resource %s is null", n)
		}
	}
	if len(m.Service.Identifiers) > 0 {
		fail("service: the service resource has no identifiers")
	}
	m.Walk(func(where string, def *ResourceDef) {
		names := map[string]bool{}
		for i, id := range def.Identifiers {
			switch {
			case id.Name == "":
				fail("%s: identifier %d has no name", where, i)
			case names[id.Name]:
				fail("%s: identifier %s appears twice", where, id.Name)
			}
			names[id.Name] = true
		}
		path := func(what, p string) {
			if err := checkPath(p); err != nil {
				fail("%s: %s: %v", where, what, err)
			}
		}
		request := func(what string, r *RequestDef) {
			if r.Operation == "" {
				fail("%s: %s: the request names no operation", where, what)
			}
			checkParams(where+": "+what, r.Params, names, fail)
		}
		// partial: an action's response may not hold every identifier of
		// what it builds (IAM's CreateSigningCertificate answers without
		// the UserName); boto3 accepts such a model and fails when the
		// action runs, and so does the engine, naming the identifier.
		target := func(what string, r *ResponseResourceDef, partial bool, sources ...string) {
			path(what+": resource path", r.Path)
			t := m.Resources[r.Type]
			if t == nil {
				fail("%s: %s: unknown resource type %q", where, what, r.Type)
				return
			}
			set := map[string]bool{}
			for _, id := range r.Identifiers {
				switch {
				case !oneOf(id.Source, sources...):
					fail("%s: %s: identifier %s has source %q; here it can be one of %s", where, what, id.Target, id.Source, strings.Join(sources, ", "))
				case id.Source == "identifier" && !names[id.Name]:
					fail("%s: %s: identifier %s takes unknown identifier %q", where, what, id.Target, id.Name)
				case oneOf(id.Source, "data", "response", "requestParameter") && id.Path == "":
					fail("%s: %s: identifier %s takes %s without a path", where, what, id.Target, id.Source)
				case id.Source == "string" && id.Value == nil:
					fail("%s: %s: identifier %s takes a string without a value", where, what, id.Target)
				}
				path(what+": identifier "+id.Target, id.Path)
				found := false
				for _, tid := range t.Identifiers {
					found = found || tid.Name == id.Target
				}
				if !found {
					fail("%s: %s: %s has no identifier %q", where, what, r.Type, id.Target)
				}
				set[id.Target] = true
			}
			for _, tid := range t.Identifiers {
				if !set[tid.Name] && !partial {
					fail("%s: %s: nothing sets identifier %s of %s", where, what, tid.Name, r.Type)
				}
			}
		}
		if def.Load != nil {
			request("load", &def.Load.Request)
			path("load path", def.Load.Path)
		}
		for _, name := range sortedKeys(def.Actions) {
			a := def.Actions[name]
			if a == nil {
				fail("%s: action %s is null", where, name)
				continue
			}
			request("action "+name, &a.Request)
			path("action "+name+": path", a.Path)
			if a.Resource != nil {
				target("action "+name, a.Resource, true, "identifier", "data", "requestParameter", "response", "string")
			}
		}
		for _, name := range sortedKeys(def.BatchActions) {
			a := def.BatchActions[name]
			if a == nil {
				fail("%s: batch action %s is null", where, name)
				continue
			}
			request("batch action "+name, &a.Request)
			path("batch action "+name+": path", a.Path)
		}
		for _, name := range sortedKeys(def.Has) {
			h := def.Has[name]
			if h == nil {
				fail("%s: has %s is null", where, name)
				continue
			}
			target("has "+name, &h.Resource, false, "identifier", "data", "input", "string")
		}
		for _, name := range sortedKeys(def.HasMany) {
			h := def.HasMany[name]
			if h == nil {
				fail("%s: collection %s is null", where, name)
				continue
			}
			request("collection "+name, &h.Request)
			target("collection "+name, &h.Resource, false, "identifier", "data", "requestParameter", "response", "string")
		}
		for _, name := range sortedKeys(def.Waiters) {
			w := def.Waiters[name]
			if w == nil {
				fail("%s: waiter %s is null", where, name)
				continue
			}
			if w.WaiterName == "" {
				fail("%s: waiter %s has no waiterName", where, name)
			}
			checkParams(where+": waiter "+name, w.Params, names, fail)
			path("waiter "+name+": path", w.Path)
		}
	})
	return errors.Join(errs...)
}

// checkParams checks a request's parameters: where each comes from, and where
// it goes.
func checkParams(where string, ps []ParamDef, names map[string]bool, fail func(string, ...any)) {
	for i, p := range ps {
		if p.Target == "" {
			fail("%s: parameter %d has no target", where, i)
			continue
		}
		if err := checkTarget(p.Target); err != nil {
			fail("%s: parameter %s: %v", where, p.Target, err)
		}
		switch p.Source {
		case "identifier":
			if !names[p.Name] {
				fail("%s: parameter %s takes unknown identifier %q", where, p.Target, p.Name)
			}
		case "data":
			if p.Path == "" {
				fail("%s: parameter %s takes data without a path", where, p.Target)
			} else if err := checkPath(p.Path); err != nil {
				fail("%s: parameter %s: %v", where, p.Target, err)
			}
		case "string":
			if _, ok := p.Value.(string); !ok {
				fail("%s: parameter %s takes a string, and its value is %s", where, p.Target, jsonKind(p.Value))
			}
		case "integer":
			if f, ok := p.Value.(float64); !ok || f != math.Trunc(f) {
				fail("%s: parameter %s takes an integer, and its value is %s", where, p.Target, jsonKind(p.Value))
			}
		case "boolean":
			if _, ok := p.Value.(bool); !ok {
				fail("%s: parameter %s takes a boolean, and its value is %s", where, p.Target, jsonKind(p.Value))
			}
		case "input":
		default:
			fail("%s: parameter %s has unknown source %q", where, p.Target, p.Source)
		}
	}
}

func jsonKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "missing"
	case string:
		return fmt.Sprintf("the string %q", v)
	case float64:
		return fmt.Sprintf("the number %v", v)
	case bool:
		return fmt.Sprintf("%v", v)
	case []any:
		return "a list"
	}
	return "an object"
}

// maxTargetIndex bounds the indexes of request targets ("Filters[0]"):
// setPath grows a list up to the index.
const maxTargetIndex = 1000

var memberName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// checkTarget checks a request target as setPath reads it: members joined
// by dots, each with at most one index: [n], [*] (the resource's place in
// a batch) or [] (appended, as boto3 reads "AttributeNames[]").
func checkTarget(target string) error {
	for _, step := range strings.Split(target, ".") {
		name, idx, hasIdx := strings.Cut(step, "[")
		if !memberName.MatchString(name) {
			return fmt.Errorf("target %q: %q is not a member name", target, name)
		}
		if !hasIdx {
			continue
		}
		idx, ok := strings.CutSuffix(idx, "]")
		if !ok || idx == "*" || idx == "" {
			if !ok {
				return fmt.Errorf("target %q: %q has no closing bracket", target, step)
			}
			continue
		}
		n, err := strconv.Atoi(idx)
		if err != nil || n < 0 || n >= maxTargetIndex {
			return fmt.Errorf("target %q: index %q is not [*] or a number from 0 to %d", target, idx, maxTargetIndex-1)
		}
	}
	return nil
}

// checkPath checks a JMESPath expression; "" is none.
func checkPath(expr string) (err error) {
	if expr == "" || expr == "$" || expr == "@" {
		return nil
	}
	defer func() {
		// The JMESPath library is not ours: a model must not crash the
		// program however the library copes with its paths.
		if r := recover(); r != nil {
			err = fmt.Errorf("JMESPath %q: %v", expr, r)
		}
	}()
	if _, err := jmespath.Compile(expr); err != nil {
		return fmt.Errorf("JMESPath %q: %w", expr, err)
	}
	return nil
}

// Walk calls f for the service resource and then every resource, in name
// order.
func (m *ResourceModel) Walk(f func(where string, def *ResourceDef)) {
	f("service", m.Service)
	names := make([]string, 0, len(m.Resources))
	for n := range m.Resources {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if m.Resources[n] != nil {
			f(n, m.Resources[n])
		}
	}
}

func oneOf(s string, set ...string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}
