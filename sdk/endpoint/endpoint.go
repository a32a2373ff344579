// Package endpoint resolves a service's endpoint by interpreting the
// endpoint rule set (endpoint-rule-set-1.json) that botocore ships beside
// each service model, the way boto3 does: no generated code per service.
//
// A [RuleSet] is parsed from JSON ([Parse]) or read from the binary form
// that [RuleSet.AppendBinary] writes ([ParseBinary]), as the bundled rule
// sets are, once per service on a client's first call, against the
// [Partitions] (botocore's partitions.json), which are parsed once per
// process and shared by every rule set. [RuleSet.Resolve] then evaluates the
// rules for one request's parameters and returns the [Endpoint] (URL,
// headers, and properties such as the auth schemes) or the rule set's own
// error.
//
// Evaluation follows the Smithy rules-engine specification and passes every
// case of botocore's endpoint test vectors. One difference from botocore's
// interpreter, which no vector tells apart: a tree rule whose conditions
// hold is terminal, as the specification and its reference evaluator say,
// where botocore falls through to the tree's siblings when none of the
// tree's rules match.
package endpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// A RuleSet is a parsed endpoint rule set, ready to resolve endpoints. It is
// safe for concurrent use.
type RuleSet struct {
	params []Parameter
	// defaults holds each parameter's default in the interpreter's own
	// representation, by parameter index.
	defaults []any
	// nslots is the number of variables a resolution needs: the parameters
	// first, then every name a condition assigns.
	nslots int
	rules  []*rule
	parts  *Partitions
}

// A Parameter is one input of a rule set. A client fills a parameter from its
// configuration when BuiltIn names a setting it knows (AWS::Region,
// AWS::UseFIPS, SDK::Endpoint, AWS::S3::ForcePathStyle, ...), and from
// operation inputs or static context parameters otherwise.
type Parameter struct {
	Name string
	// Type is "string", "boolean" or "stringArray".
	Type string
	// BuiltIn is the SDK setting that feeds the parameter, or "".
	BuiltIn  string
	Required bool
	// Default is used when the parameter is not given: a string, a bool, a
	// []string, or nil when there is none.
	Default any
}

// An Endpoint is a resolved endpoint.
type Endpoint struct {
	URL string
	// Headers are extra request headers the endpoint requires (S3 Outposts'
	// x-amz-outpost-id, for example); nil when there are none.
	Headers map[string][]string
	// Properties are the endpoint's properties as JSON values
	// (map[string]any, []any, string, bool, float64), most importantly
	// "authSchemes"; see [Endpoint.AuthSchemes].
	Properties map[string]any
}

// An AuthScheme is one entry of an endpoint's authSchemes property: how to
// sign requests sent to it. The first scheme the client supports wins.
type AuthScheme struct {
	// Name is the scheme: "sigv4", "sigv4a", "sigv4-s3express", ...
	Name string
	// SigningName overrides the service's signing name when not "".
	SigningName string
	// SigningRegion overrides the signing region (sigv4) when not "".
	SigningRegion string
	// SigningRegionSet is the region set for sigv4a ("*" for all).
	SigningRegionSet []string
	// DisableDoubleEncoding says not to escape the path a second time
	// when signing (S3).
	DisableDoubleEncoding bool
}

// AuthSchemes returns the endpoint's authSchemes property, typed. Entries
// that are not objects are skipped; it returns nil when there is no such
// property.
func (e Endpoint) AuthSchemes() []AuthScheme {
	list, _ := e.Properties["authSchemes"].([]any)
	var out []AuthScheme
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		var a AuthScheme
		a.Name, _ = m["name"].(string)
		a.SigningName, _ = m["signingName"].(string)
		a.SigningRegion, _ = m["signingRegion"].(string)
		a.DisableDoubleEncoding, _ = m["disableDoubleEncoding"].(bool)
		if set, ok := m["signingRegionSet"].([]any); ok {
			for _, r := range set {
				if s, ok := r.(string); ok {
					a.SigningRegionSet = append(a.SigningRegionSet, s)
				}
			}
		}
		out = append(out, a)
	}
	return out
}

// An Error is the error a rule set's error rule yields; its message is the
// rule's text, which is written for the end user ("Invalid Configuration:
// Missing Region").
type Error struct {
	Message string
}

// Error returns the rule's message unchanged, as boto3 shows it.
func (e *Error) Error() string { return e.Message }

// errNoRule is what resolution returns when no rule applies: a rule set
// bug, as every shipped rule set ends in a catch-all error rule.
var errNoRule = errors.New("endpoint: no endpoint rule matched the parameters")

// Parameters returns the rule set's parameters, sorted by name. The slice
// is the caller's to keep.
func (r *RuleSet) Parameters() []Parameter {
	out := make([]Parameter, len(r.params))
	copy(out, r.params)
	for i := range out {
		if d, ok := out[i].Default.([]string); ok {
			out[i].Default = append([]string(nil), d...)
		}
	}
	return out
}

// Resolve evaluates the rule set for params, keyed by parameter name, with
// values of the parameter's type: string, bool, or []string (or []any of
// strings). A nil or absent value leaves the parameter unset, so that its
// default applies; names the rule set does not know are ignored. An error
// rule's error is an *[Error].
func (r *RuleSet) Resolve(params map[string]any) (Endpoint, error) {
	s := &state{vals: make([]any, r.nslots), parts: r.parts, args: make([]any, 0, 8)}
	for i, p := range r.params {
		v, err := inputValue(p, params[p.Name])
		if err != nil {
			return Endpoint{}, err
		}
		if v == nil {
			v = r.defaults[i]
		}
		if v == nil && p.Required {
			return Endpoint{}, fmt.Errorf("endpoint: missing required parameter %s", p.Name)
		}
		s.vals[i] = v
	}
	return evalRules(r.rules, s)
}

// inputValue converts a caller's parameter value to the interpreter's
// representation, in which every list is a []any.
// setDefault sets p's default to the rule set's value v and returns it as
// the rules read it; Default shows a string array as the []string a caller
// passes.
func (p *Parameter) setDefault(v any) (any, error) {
	def, err := inputValue(*p, v)
	if err != nil {
		return nil, err
	}
	p.Default = def
	if list, ok := def.([]any); ok {
		ss := make([]string, len(list))
		for i, s := range list {
			ss[i] = s.(string) // inputValue checked them
		}
		p.Default = ss
	}
	return def, nil
}

func inputValue(p Parameter, v any) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		if p.Type == "string" {
			return v, nil
		}
	case bool:
		if p.Type == "boolean" {
			return v, nil
		}
	case []string:
		if p.Type == "stringArray" {
			out := make([]any, len(v))
			for i, s := range v {
				out[i] = s
			}
			return out, nil
		}
	case []any:
		if p.Type == "stringArray" {
			for _, s := range v {
				if _, ok := s.(string); !ok {
					return nil, fmt.Errorf("endpoint: parameter %s: list item is %T, not a string", p.Name, s)
				}
			}
			return v, nil
		}
	}
	return nil, fmt.Errorf("endpoint: parameter %s is a %s, not %T", p.Name, p.Type, v)
}

// The JSON forms of a rule set. Expressions stay as decoded JSON values
// (any) until the compiler turns them into expr trees.
type jsonRuleSet struct {
	Version    string               `json:"version"`
	Parameters map[string]jsonParam `json:"parameters"`
	Rules      []jsonRule           `json:"rules"`
}

type jsonParam struct {
	Type     string `json:"type"`
	BuiltIn  string `json:"builtIn"`
	Required bool   `json:"required"`
	Default  any    `json:"default"`
}

type jsonRule struct {
	Type       string          `json:"type"`
	Conditions []jsonCondition `json:"conditions"`
	Rules      []jsonRule      `json:"rules"`
	Endpoint   *jsonEndpoint   `json:"endpoint"`
	Error      any             `json:"error"`
}

type jsonCondition struct {
	Fn     string `json:"fn"`
	Argv   []any  `json:"argv"`
	Assign string `json:"assign"`
}

type jsonEndpoint struct {
	URL        any              `json:"url"`
	Properties map[string]any   `json:"properties"`
	Headers    map[string][]any `json:"headers"`
}

// Parse parses an endpoint rule set (endpoint-rule-set-1.json) against the
// partitions that its aws.partition calls consult; partitions may be nil
// only for a rule set that does not call aws.partition. Parse checks what
// can be checked before evaluation (known functions and their arity,
// references to parameters or names assigned earlier in scope, getAttr
// paths, templates), so that Resolve fails only on bad parameters or as the
// rules say.
func Parse(ruleSet []byte, partitions *Partitions) (*RuleSet, error) {
	var doc jsonRuleSet
	if err := json.Unmarshal(ruleSet, &doc); err != nil {
		return nil, fmt.Errorf("endpoint: rule set: %w", err)
	}
	if len(doc.Rules) == 0 {
		return nil, errors.New("endpoint: rule set has no rules")
	}
	r := &RuleSet{parts: partitions}
	c := &compiler{slots: map[string]int{}, scope: map[string]bool{}, parts: partitions}
	names := make([]string, 0, len(doc.Parameters))
	for name := range doc.Parameters {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		jp := doc.Parameters[name]
		p := Parameter{Name: name, BuiltIn: jp.BuiltIn, Required: jp.Required}
		// A few older rule sets spell the types "String" and "Boolean".
		switch strings.ToLower(jp.Type) {
		case "string":
			p.Type = "string"
		case "boolean":
			p.Type = "boolean"
		case "stringarray":
			p.Type = "stringArray"
		default:
			return nil, fmt.Errorf("endpoint: parameter %s: unknown type %q", name, jp.Type)
		}
		def, err := p.setDefault(jp.Default)
		if err != nil {
			return nil, fmt.Errorf("endpoint: default of %w", err)
		}
		c.slots[name] = len(r.params)
		c.scope[name] = true
		r.params = append(r.params, p)
		r.defaults = append(r.defaults, def)
	}
	rules, err := c.rules(doc.Rules)
	if err != nil {
		return nil, err
	}
	r.rules = rules
	r.nslots = len(c.slots)
	return r, nil
}

// Rule kinds.
const (
	treeRule = iota
	endpointRule
	errorRule
)

type rule struct {
	kind       int
	conditions []condition
	rules      []*rule     // tree
	url        expr        // endpoint
	headers    []header    // endpoint
	properties *objectExpr // endpoint, nil when there are none
	message    expr        // error
}

type condition struct {
	fn   expr
	slot int // where the result is assigned, or -1
}

type header struct {
	name   string
	values []expr
}

// evalRules evaluates the first rule whose conditions hold. A matching
// tree rule is terminal, as the Smithy specification says: if none of its
// rules match, resolution fails rather than trying the tree's siblings.
func evalRules(rules []*rule, s *state) (Endpoint, error) {
	for _, r := range rules {
		if !r.match(s) {
			continue
		}
		switch r.kind {
		case treeRule:
			return evalRules(r.rules, s)
		case errorRule:
			return Endpoint{}, &Error{Message: toString(r.message.eval(s))}
		default:
			return r.endpoint(s)
		}
	}
	return Endpoint{}, errNoRule
}

// match evaluates the rule's conditions in order, assigning results as it
// goes; a condition holds unless its value is unset or false.
func (r *rule) match(s *state) bool {
	for _, c := range r.conditions {
		v := c.fn.eval(s)
		if v == nil || v == false {
			return false
		}
		if c.slot >= 0 {
			s.vals[c.slot] = v
		}
	}
	return true
}

func (r *rule) endpoint(s *state) (Endpoint, error) {
	u, ok := r.url.eval(s).(string)
	if !ok {
		return Endpoint{}, errors.New("endpoint: endpoint rule's url is not a string")
	}
	ep := Endpoint{URL: u}
	if len(r.headers) > 0 {
		ep.Headers = make(map[string][]string, len(r.headers))
		for _, h := range r.headers {
			vals := make([]string, len(h.values))
			for i, e := range h.values {
				vals[i] = toString(e.eval(s))
			}
			ep.Headers[h.name] = vals
		}
	}
	if r.properties != nil {
		ep.Properties = r.properties.eval(s).(map[string]any)
	}
	return ep, nil
}
