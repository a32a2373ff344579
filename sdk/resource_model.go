package sdk

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
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
}

//go:embed models/*.json
var bundledModels embed.FS

var resourceModels = struct {
	sync.RWMutex
	m map[string]*ResourceModel
}{m: map[string]*ResourceModel{}}

// ParseResourceModel reads and checks a model. Every error names where in
// the model the problem is.
func ParseResourceModel(data []byte) (*ResourceModel, error) {
	var m ResourceModel
	d := json.NewDecoder(strings.NewReader(string(data)))
	d.DisallowUnknownFields()
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("resource model: %w", err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("resource model: %w", err)
	}
	return &m, nil
}

// check verifies what the JSON decoder cannot: that every reference to a
// resource type, identifier and source makes sense.
func (m *ResourceModel) check() error {
	if m.Service == nil {
		return errors.New(`no "service" resource`)
	}
	var errs []error
	m.walk(func(where string, def *ResourceDef) {
		names := map[string]bool{}
		for i, id := range def.Identifiers {
			if id.Name == "" {
				errs = append(errs, fmt.Errorf("%s: identifier %d has no name", where, i))
			}
			names[id.Name] = true
		}
		params := func(what string, ps []ParamDef) {
			for _, p := range ps {
				switch {
				case p.Target == "":
					errs = append(errs, fmt.Errorf("%s: %s: a parameter has no target", where, what))
				case p.Source == "identifier" && !names[p.Name]:
					errs = append(errs, fmt.Errorf("%s: %s: parameter %s takes unknown identifier %q", where, what, p.Target, p.Name))
				case p.Source == "data" && p.Path == "":
					errs = append(errs, fmt.Errorf("%s: %s: parameter %s takes data without a path", where, what, p.Target))
				case !oneOf(p.Source, "identifier", "data", "string", "integer", "boolean", "input"):
					errs = append(errs, fmt.Errorf("%s: %s: parameter %s has unknown source %q", where, what, p.Target, p.Source))
				}
			}
		}
		target := func(what string, r *ResponseResourceDef) {
			t, ok := m.Resources[r.Type]
			if !ok {
				errs = append(errs, fmt.Errorf("%s: %s: unknown resource type %q", where, what, r.Type))
				return
			}
			for _, id := range r.Identifiers {
				if !oneOf(id.Source, "identifier", "data", "input", "requestParameter", "response", "string") {
					errs = append(errs, fmt.Errorf("%s: %s: identifier %s has unknown source %q", where, what, id.Target, id.Source))
				}
				found := false
				for _, tid := range t.Identifiers {
					found = found || tid.Name == id.Target
				}
				if !found {
					errs = append(errs, fmt.Errorf("%s: %s: %s has no identifier %q", where, what, r.Type, id.Target))
				}
			}
		}
		if def.Load != nil {
			params("load", def.Load.Request.Params)
		}
		for name, a := range def.Actions {
			params("action "+name, a.Request.Params)
			if a.Resource != nil {
				target("action "+name, a.Resource)
			}
		}
		for name, a := range def.BatchActions {
			params("batch action "+name, a.Request.Params)
		}
		for name, h := range def.Has {
			target("has "+name, &h.Resource)
		}
		for name, h := range def.HasMany {
			params("collection "+name, h.Request.Params)
			target("collection "+name, &h.Resource)
		}
		for name, w := range def.Waiters {
			if w.WaiterName == "" {
				errs = append(errs, fmt.Errorf("%s: waiter %s has no waiterName", where, name))
			}
			params("waiter "+name, w.Params)
		}
	})
	return errors.Join(errs...)
}

func (m *ResourceModel) walk(f func(where string, def *ResourceDef)) {
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

// RegisterResourceModel adds a resource model for a service, replacing the
// bundled one.
func RegisterResourceModel(service string, m *ResourceModel) {
	resourceModels.Lock()
	defer resourceModels.Unlock()
	resourceModels.m[service] = m
}

// LoadResourceModel reads a model file and registers it for a service.
func LoadResourceModel(service, file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	m, err := ParseResourceModel(data)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	RegisterResourceModel(service, m)
	return nil
}

// LookupResourceModel returns the resource model of a service: a loaded
// one, or the bundled one, parsed on first use.
func LookupResourceModel(service string) (*ResourceModel, error) { return resourceModel(service) }

func resourceModel(service string) (*ResourceModel, error) {
	resourceModels.RLock()
	m, ok := resourceModels.m[service]
	resourceModels.RUnlock()
	if ok {
		return m, nil
	}
	data, err := bundledModels.ReadFile(path.Join("models", service+".json"))
	if err != nil {
		return nil, fmt.Errorf("service %s has no resources; services with resources: %s", service, strings.Join(ResourceServices(), ", "))
	}
	m, err = ParseResourceModel(data)
	if err != nil {
		return nil, fmt.Errorf("bundled %s: %w", service, err)
	}
	RegisterResourceModel(service, m)
	return m, nil
}

// ResourceServices returns the sorted names of the services that have
// resource models, bundled or loaded.
func ResourceServices() []string {
	set := map[string]bool{}
	entries, _ := bundledModels.ReadDir("models")
	for _, e := range entries {
		set[strings.TrimSuffix(e.Name(), ".json")] = true
	}
	resourceModels.RLock()
	for s := range resourceModels.m {
		set[s] = true
	}
	resourceModels.RUnlock()
	names := make([]string, 0, len(set))
	for s := range set {
		names = append(names, s)
	}
	sort.Strings(names)
	return names
}
