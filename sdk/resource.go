package sdk

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/awslua/awslua/sdk/resourcemodel"
)

// A Resource is an object of a service's resource model: the service
// resource itself (s3), or a resource with identifiers (an S3 Bucket named
// "b"). Its attributes are loaded on first use; its actions call the
// service; its collections page through the service lazily. A Resource is
// not safe for concurrent use.
type Resource struct {
	client *Client
	model  *resourcemodel.ResourceModel
	typ    string // "" for the service resource
	def    *resourcemodel.ResourceDef
	ids    map[string]any
	data   map[string]any // nil until loaded
}

// Resource returns the service resource of a service with a resource model
// (boto3's session.resource).
func (s *Session) Resource(service string, opts ...func(*ClientOptions)) (*Resource, error) {
	m, err := resourceModel(service)
	if err != nil {
		return nil, err
	}
	c, err := s.Client(service, opts...)
	if err != nil {
		return nil, err
	}
	// A model must name only what the client has (resource_model.go).
	if err := checkedAgainst(m, c.svc); err != nil {
		return nil, err
	}
	return &Resource{client: c, model: m, def: m.Service, ids: map[string]any{}}, nil
}

// AvailableResources returns the sorted names of the bundled services that
// have resource models.
func (s *Session) AvailableResources() []string {
	var names []string
	for _, n := range ResourceServices() {
		if _, ok := LookupService(n); ok {
			names = append(names, n)
		}
	}
	return names
}

// Type returns the resource's type ("Bucket"), "" for the service resource.
func (r *Resource) Type() string { return r.typ }

// Client returns the client the resource calls.
func (r *Resource) Client() *Client { return r.client }

// Def returns the resource's definition in the model.
func (r *Resource) Def() *resourcemodel.ResourceDef { return r.def }

// Identifiers returns the resource's identifiers by name.
func (r *Resource) Identifiers() map[string]any { return maps.Clone(r.ids) }

// IdentifierNames returns the names of the identifiers, in model order.
func (r *Resource) IdentifierNames() []string {
	names := make([]string, len(r.def.Identifiers))
	for i, id := range r.def.Identifiers {
		names[i] = id.Name
	}
	return names
}

// Data returns the loaded data, nil when nothing is loaded.
func (r *Resource) Data() map[string]any { return r.data }

// SetData replaces the loaded data, as collections and actions do with the
// data their responses carry.
func (r *Resource) SetData(d map[string]any) { r.data = d }

// Equal reports whether two resources are the same: same service, type and
// identifiers.
func (r *Resource) Equal(o *Resource) bool {
	if r.client.ServiceName() != o.client.ServiceName() || r.typ != o.typ || len(r.ids) != len(o.ids) {
		return false
	}
	for k, v := range r.ids {
		if fmt.Sprint(v) != fmt.Sprint(o.ids[k]) {
			return false
		}
	}
	return true
}

// String reads as boto3's repr: s3.Bucket(name='b').
func (r *Resource) String() string {
	if r.typ == "" {
		return r.client.ServiceName() + ".ServiceResource()"
	}
	parts := make([]string, len(r.def.Identifiers))
	for i, id := range r.def.Identifiers {
		parts[i] = fmt.Sprintf("%s='%v'", SnakeCase(id.Name), r.ids[id.Name])
	}
	return fmt.Sprintf("%s.%s(%s)", r.client.ServiceName(), r.typ, strings.Join(parts, ", "))
}

// newResource builds a resource of type typ with identifier values in
// model order.
func (r *Resource) newResource(typ string, ids map[string]any) (*Resource, error) {
	def, ok := r.model.Resources[typ]
	if !ok {
		return nil, fmt.Errorf("%s has no resource %q", r.client.ServiceName(), typ)
	}
	for _, id := range def.Identifiers {
		if v, ok := ids[id.Name]; !ok || v == nil || v == "" {
			return nil, fmt.Errorf("%s.%s: identifier %s is required", r.client.ServiceName(), typ, SnakeCase(id.Name))
		}
	}
	return &Resource{client: r.client, model: r.model, typ: typ, def: def, ids: ids}, nil
}

// Get makes a sub-resource (s3.Bucket("b"), bucket.Object("k")) from
// identifiers given in order: those the model takes from input.
func (r *Resource) Get(name string, ids ...any) (*Resource, error) {
	has, ok := r.def.Has[name]
	if !ok {
		if r.typ == "" {
			// The service resource makes any resource from all its identifiers.
			if def, ok := r.model.Resources[name]; ok {
				has = &resourcemodel.HasDef{Resource: resourcemodel.ResponseResourceDef{Type: name}}
				for _, id := range def.Identifiers {
					has.Resource.Identifiers = append(has.Resource.Identifiers, resourcemodel.ResourceIdentifierDef{Target: id.Name, Source: "input"})
				}
			}
		}
		if has == nil {
			return nil, fmt.Errorf("%s has no sub-resource %q; it has: %s", r.label(), name, strings.Join(r.SubResources(), ", "))
		}
	}
	inputs := 0
	for _, id := range has.Resource.Identifiers {
		if id.Source == "input" {
			inputs++
		}
	}
	if len(ids) != inputs {
		return nil, fmt.Errorf("%s.%s takes %d identifiers, got %d", r.label(), name, inputs, len(ids))
	}
	res, err := r.build(context.Background(), &has.Resource, nil, nil, ids)
	if err != nil {
		return nil, err
	}
	if len(res) != 1 {
		return nil, fmt.Errorf("%s.%s: identifiers make %d resources", r.label(), name, len(res))
	}
	return res[0], nil
}

func (r *Resource) label() string {
	if r.typ == "" {
		return r.client.ServiceName()
	}
	return r.client.ServiceName() + "." + r.typ
}

// SubResources names the has-entries made from input and the resource's
// own identifiers (methods: b:Object("k"), b:Acl()).
func (r *Resource) SubResources() []string { return r.hasNames(true) }

// References names the has-entries made from the resource's own data.
func (r *Resource) References() []string { return r.hasNames(false) }

func (r *Resource) hasNames(input bool) []string {
	var names []string
	for name, h := range r.def.Has {
		// As in boto3, a has-entry is a reference (an attribute, o.vpc)
		// only when an identifier comes from the resource's data; any
		// other is a sub-resource (a method), even one that takes no
		// input: bucket:Acl(), object:Bucket().
		usesData := false
		for _, id := range h.Resource.Identifiers {
			usesData = usesData || id.Source == "data"
		}
		if usesData != input {
			names = append(names, name)
		}
	}
	if input && r.typ == "" {
		for name := range r.model.Resources {
			if _, ok := r.def.Has[name]; !ok {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// Reference returns the resource(s) a has-entry refers to through the
// resource's data (instance.vpc), loading the data if needed; nil when the
// data holds no identifier.
func (r *Resource) Reference(ctx context.Context, name string) ([]*Resource, error) {
	has, ok := r.def.Has[name]
	if !ok {
		return nil, fmt.Errorf("%s has no reference %q", r.label(), name)
	}
	// A reference's path ("NetworkInterfaces[]" of instance.network_interfaces)
	// is into the resource's own data, as in boto3: each resource gets its
	// part of the data.
	var data map[string]any
	if has.Resource.Path != "" {
		if r.data == nil {
			if err := r.Load(ctx); err != nil {
				return nil, err
			}
		}
		data = r.data
	}
	return r.build(ctx, &has.Resource, nil, data, nil)
}

// Load loads the resource's data with its load request.
func (r *Resource) Load(ctx context.Context) error {
	if hook := resourceHooks[r.client.ServiceName()+"."+r.typ].load; hook != nil {
		return hook(ctx, r)
	}
	if r.def.Load == nil {
		return fmt.Errorf("%s has no load method: its attributes come from the collection or action that made it", r.label())
	}
	params, err := r.params(ctx, r.def.Load.Request.Params, nil)
	if err != nil {
		return err
	}
	out, err := r.call(ctx, r.def.Load.Request.Operation, params)
	if err != nil {
		return err
	}
	d, err := search(r.def.Load.Path, out)
	if err != nil {
		return err
	}
	data, _ := d.(map[string]any)
	if data == nil {
		return fmt.Errorf("%s: %s returned no data at %q", r, r.def.Load.Request.Operation, r.def.Load.Path)
	}
	r.data = data
	return nil
}

// Attribute returns a member of the resource's data, by its API name or
// snake_case name, loading the data first if needed. An identifier is
// returned without loading.
func (r *Resource) Attribute(ctx context.Context, name string) (any, error) {
	for _, id := range r.def.Identifiers {
		if id.Name == name || SnakeCase(id.Name) == name {
			return r.ids[id.Name], nil
		}
	}
	member, ok := r.attributeName(name)
	if !ok {
		return nil, fmt.Errorf("%s has no attribute %q", r.label(), name)
	}
	if r.data == nil {
		if err := r.Load(ctx); err != nil {
			return nil, err
		}
	}
	return r.data[member], nil
}

// attributeName maps a snake_case or API name to the shape's member name.
func (r *Resource) attributeName(name string) (string, bool) {
	for _, a := range r.AttributeNames() {
		if a == name || SnakeCase(a) == name {
			return a, true
		}
	}
	return "", false
}

// AttributeNames returns the API names of the members of the resource's
// shape.
func (r *Resource) AttributeNames() []string {
	s := r.client.svc.Shape(r.def.Shape)
	if s == nil {
		return nil
	}
	names := make([]string, len(s.Members))
	for i, m := range s.Members {
		names[i] = m.Name
	}
	return names
}

// Shape finds a structure shape by its name in the model, or by the name
// aws-sdk-go-v2 gives an operation's input or output ("ListQueuesOutput"),
// which resource models may use.
func (s *Service) Shape(name string) *Shape {
	if name == "" {
		return nil
	}
	return s.modelShapeNamed(name)
}

// Actions names the resource's actions, as the model names them.
func (r *Resource) Actions() []string { return sortedKeys(r.def.Actions) }

// Collections names the resource's collections.
func (r *Resource) Collections() []string { return sortedKeys(r.def.HasMany) }

// Waiters names the resource's waiters ("Exists").
func (r *Resource) Waiters() []string { return sortedKeys(r.def.Waiters) }

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// lookupName finds a model name by itself or its snake_case form.
func lookupName[V any](m map[string]V, name string) (string, V, bool) {
	if v, ok := m[name]; ok {
		return name, v, true
	}
	for k, v := range m {
		if SnakeCase(k) == name {
			return k, v, true
		}
	}
	var zero V
	return "", zero, false
}

// Action runs an action with extra request members. It returns the
// resource(s) the model builds from the response, or the response itself.
// An action clears the loaded data: what it changed is read afresh.
func (r *Resource) Action(ctx context.Context, name string, input map[string]any) (any, error) {
	full, def, ok := lookupName(r.def.Actions, name)
	if hook := resourceHooks[r.client.ServiceName()+"."+r.typ].actions[SnakeCase(full)]; hook != nil {
		return hook(ctx, r, input)
	}
	if !ok {
		return nil, fmt.Errorf("%s has no action %q", r.label(), name)
	}
	params, err := r.params(ctx, def.Request.Params, input)
	if err != nil {
		return nil, err
	}
	out, err := r.call(ctx, def.Request.Operation, params)
	if err != nil {
		return nil, err
	}
	r.data = nil
	switch {
	case def.Resource != nil:
		res, err := r.build(ctx, def.Resource, params, out, nil)
		if err != nil {
			return nil, err
		}
		if isPlural(def.Resource, params, out) {
			return res, nil
		}
		if len(res) == 0 {
			return nil, nil
		}
		return res[0], nil
	case def.Path != "":
		return search(def.Path, out)
	}
	return out, nil
}

// Wait runs a resource waiter ("Exists", or "exists") with extra members.
func (r *Resource) Wait(ctx context.Context, name string, input map[string]any, cfg WaiterConfig) error {
	_, def, ok := lookupName(r.def.Waiters, name)
	if !ok {
		return fmt.Errorf("%s has no waiter %q", r.label(), name)
	}
	params, err := r.params(ctx, def.Params, input)
	if err != nil {
		return err
	}
	return r.client.Wait(ctx, def.WaiterName, params, cfg)
}

// params builds a request from the model's parameters, then the caller's
// input on top, as boto3 does.
func (r *Resource) params(ctx context.Context, defs []resourcemodel.ParamDef, input map[string]any) (map[string]any, error) {
	params := map[string]any{}
	for _, p := range defs {
		v, err := r.paramValue(ctx, p)
		if err != nil {
			return nil, err
		}
		if err := setPath(params, p.Target, v, 0); err != nil {
			return nil, err
		}
	}
	for k, v := range input {
		params[k] = v
	}
	return params, nil
}

func (r *Resource) paramValue(ctx context.Context, p resourcemodel.ParamDef) (any, error) {
	switch p.Source {
	case "identifier":
		return r.ids[p.Name], nil
	case "data":
		if r.data == nil {
			if err := r.Load(ctx); err != nil {
				return nil, err
			}
		}
		return search(p.Path, r.data)
	case "input":
		return nil, nil
	}
	return p.Value, nil
}

// build makes the resources a has-entry, action or collection describes,
// from the parent's identifiers and data, the request, the response and
// input values.
func (r *Resource) build(ctx context.Context, def *resourcemodel.ResponseResourceDef, request, response map[string]any, inputs []any) ([]*Resource, error) {
	values := map[string]any{}
	fromData := map[string]bool{}
	n, plural := 1, false
	in := 0
	for _, id := range def.Identifiers {
		var v any
		var err error
		switch id.Source {
		case "identifier":
			v = r.ids[id.Name]
		case "data":
			if r.data == nil {
				if err := r.Load(ctx); err != nil {
					return nil, err
				}
			}
			v, err = search(id.Path, r.data)
			fromData[id.Target] = true
		case "input":
			if in < len(inputs) {
				v = inputs[in]
			}
			in++
		case "requestParameter":
			v, err = search(id.Path, request)
		case "response":
			v, err = search(id.Path, response)
		case "string":
			v = id.Value
		}
		if err != nil {
			return nil, err
		}
		if list, ok := v.([]any); ok {
			n, plural = len(list), true
		}
		values[id.Target] = v
	}
	var data []any
	if def.Path != "" && response != nil {
		d, err := search(def.Path, response)
		if err != nil {
			return nil, err
		}
		if list, ok := d.([]any); ok {
			data, n, plural = list, len(list), true
		} else if d != nil {
			data = []any{d}
		}
	}
	out := make([]*Resource, 0, n)
	for i := range n {
		ids := make(map[string]any, len(values))
		for k, v := range values {
			if list, ok := v.([]any); ok && plural {
				if i >= len(list) {
					return nil, fmt.Errorf("%s: identifier %s has %d values for %d resources", def.Type, k, len(list), n)
				}
				v = list[i]
			}
			if v == nil || v == "" && fromData[k] {
				// A reference whose data is empty (an instance without a VPC;
				// EC2 gives an instance outside a placement group the
				// group name "").
				if len(def.Identifiers) > 0 && !plural {
					return nil, nil
				}
				continue
			}
			ids[k] = v
		}
		res, err := r.newResource(def.Type, ids)
		if err != nil {
			return nil, err
		}
		if i < len(data) {
			res.data, _ = data[i].(map[string]any)
		}
		out = append(out, res)
	}
	return out, nil
}

// isPlural reports whether an action's resources come as a list.
func isPlural(def *resourcemodel.ResponseResourceDef, request, response map[string]any) bool {
	// A projection ("Messages[].ReceiptHandle") makes a list even where
	// the response has nothing: boto3 gives [] for an empty receive.
	projection := func(path string) bool { return strings.Contains(path, "[]") || strings.Contains(path, "[*]") }
	if projection(def.Path) {
		return true
	}
	for _, id := range def.Identifiers {
		if (id.Source == "response" || id.Source == "requestParameter") && projection(id.Path) {
			return true
		}
		var v any
		switch id.Source {
		case "response":
			v, _ = search(id.Path, response)
		case "requestParameter":
			v, _ = search(id.Path, request)
		}
		if _, ok := v.([]any); ok {
			return true
		}
	}
	if def.Path != "" {
		v, _ := search(def.Path, response)
		_, ok := v.([]any)
		return ok
	}
	return false
}

// setPath sets the member at a path such as "Delete.Objects[*].Key" or
// "Filters[0].Values[0]"; [*] is element index.
func setPath(m map[string]any, path string, v any, index int) error {
	steps := strings.Split(path, ".")
	var cur any = m
	for i, step := range steps {
		name, idx, hasIdx := strings.Cut(step, "[")
		last := i == len(steps)-1
		mm, ok := cur.(map[string]any)
		if !ok {
			return fmt.Errorf("parameter path %q: %s is not a structure", path, name)
		}
		if !hasIdx {
			if last {
				mm[name] = v
				return nil
			}
			next, ok := mm[name].(map[string]any)
			if !ok {
				next = map[string]any{}
				mm[name] = next
			}
			cur = next
			continue
		}
		idx = strings.TrimSuffix(idx, "]")
		n := index
		list, _ := mm[name].([]any)
		if idx == "" {
			n = len(list) // "AttributeNames[]": one more element
		} else if idx != "*" {
			var err error
			if n, err = strconv.Atoi(idx); err != nil {
				return fmt.Errorf("parameter path %q: bad index %q", path, idx)
			}
		}
		for len(list) <= n {
			if last {
				list = append(list, nil)
			} else {
				list = append(list, map[string]any{})
			}
		}
		mm[name] = list
		if last {
			list[n] = v
			return nil
		}
		cur = list[n]
	}
	return nil
}

// A Collection is a lazy, never cached, sequence of resources that pages
// through the service each time it is iterated.
type Collection struct {
	parent   *Resource
	name     string
	def      *resourcemodel.HasManyDef
	filter   map[string]any
	limit    int
	pageSize int
}

// Collection returns one of the resource's collections, by its model name
// ("Objects") or snake_case ("objects").
func (r *Resource) Collection(name string) (*Collection, error) {
	full, def, ok := lookupName(r.def.HasMany, name)
	if !ok {
		return nil, fmt.Errorf("%s has no collection %q; it has: %s", r.label(), name, strings.Join(r.Collections(), ", "))
	}
	return &Collection{parent: r, name: full, def: def}, nil
}

// Name returns the collection's name in the model.
func (c *Collection) Name() string { return c.name }

// Parent returns the resource the collection belongs to.
func (c *Collection) Parent() *Resource { return c.parent }

// Filter returns a copy of the collection whose requests carry in.
func (c *Collection) Filter(in map[string]any) *Collection {
	cp := *c
	cp.filter = maps.Clone(c.filter)
	if cp.filter == nil {
		cp.filter = map[string]any{}
	}
	maps.Copy(cp.filter, in)
	return &cp
}

// Limit returns a copy of the collection that stops after n resources.
func (c *Collection) Limit(n int) *Collection { cp := *c; cp.limit = n; return &cp }

// PageSize returns a copy of the collection that asks for pages of n.
func (c *Collection) PageSize(n int) *Collection { cp := *c; cp.pageSize = n; return &cp }

// Pages yields the resources page by page, one request each.
func (c *Collection) Pages(ctx context.Context) iter.Seq2[[]*Resource, error] {
	return func(yield func([]*Resource, error) bool) {
		params, err := c.parent.params(ctx, c.def.Request.Params, nil)
		if err != nil {
			yield(nil, err)
			return
		}
		mergeParams(params, c.filter)
		op := c.def.Request.Operation
		count := 0
		emit := func(page map[string]any) bool {
			res, err := c.parent.build(ctx, &c.def.Resource, params, page, nil)
			if err != nil {
				return yield(nil, err)
			}
			if c.limit > 0 && count+len(res) >= c.limit {
				yield(res[:c.limit-count], nil)
				return false
			}
			count += len(res)
			return yield(res, nil)
		}
		if !c.parent.client.CanPaginate(op) {
			out, err := c.parent.call(ctx, op, params)
			if err != nil {
				yield(nil, err)
				return
			}
			emit(out)
			return
		}
		// Through the service's value transform (resource_values.go).
		for page, err := range c.parent.pages(ctx, op, params, PaginationConfig{PageSize: c.pageSize}) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !emit(page) {
				return
			}
		}
	}
}

// mergeParams merges a collection's filter into its request as boto3 does
// (merge_dicts with append_lists): structures merge member by member and
// lists append, so vpc.instances:filter{Filters={...}} keeps the model's
// vpc-id filter.
func mergeParams(dst, src map[string]any) {
	for k, v := range src {
		switch sv := v.(type) {
		case map[string]any:
			if dv, ok := dst[k].(map[string]any); ok {
				mergeParams(dv, sv)
				continue
			}
		case []any:
			if dv, ok := dst[k].([]any); ok {
				dst[k] = append(slices.Clone(dv), sv...)
				continue
			}
		}
		dst[k] = v
	}
}

// All yields the resources one by one.
func (c *Collection) All(ctx context.Context) iter.Seq2[*Resource, error] {
	return func(yield func(*Resource, error) bool) {
		for page, err := range c.Pages(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			for _, r := range page {
				if !yield(r, nil) {
					return
				}
			}
		}
	}
}

// BatchActions names the batch actions of the collection's resources.
func (c *Collection) BatchActions() []string {
	def := c.parent.model.Resources[c.def.Resource.Type]
	if def == nil {
		return nil
	}
	return sortedKeys(def.BatchActions)
}

// Batch runs a batch action ("Delete") on the collection: one request per
// page, for the resources of that page. It returns the responses.
func (c *Collection) Batch(ctx context.Context, name string, input map[string]any) ([]map[string]any, error) {
	def := c.parent.model.Resources[c.def.Resource.Type]
	if def == nil {
		return nil, fmt.Errorf("%s: no resource type %s", c.name, c.def.Resource.Type)
	}
	_, action, ok := lookupName(def.BatchActions, name)
	if !ok {
		return nil, fmt.Errorf("%s has no batch action %q; it has: %s", c.name, name, strings.Join(c.BatchActions(), ", "))
	}
	var out []map[string]any
	for page, err := range c.Pages(ctx) {
		if err != nil {
			return out, err
		}
		if len(page) == 0 {
			continue
		}
		resp, err := batchRequest(ctx, action, page, input)
		if err != nil {
			return out, err
		}
		out = append(out, resp)
	}
	return out, nil
}

// BatchAction runs a batch action ("Delete") on resources of one type in
// one request, as a collection's batch action does for each page. It serves
// resources that no collection lists, such as the SQS messages that
// queue.ReceiveMessages returns.
func BatchAction(ctx context.Context, resources []*Resource, name string, input map[string]any) (map[string]any, error) {
	if len(resources) == 0 {
		return nil, fmt.Errorf("batch action %s: no resources", name)
	}
	first := resources[0]
	for _, r := range resources[1:] {
		if r.model != first.model || r.typ != first.typ {
			return nil, fmt.Errorf("batch action %s: %s and %s are not of one type", name, first.label(), r.label())
		}
	}
	_, action, ok := lookupName(first.def.BatchActions, name)
	if !ok {
		return nil, fmt.Errorf("%s has no batch action %q; it has: %s", first.label(), name, strings.Join(sortedKeys(first.def.BatchActions), ", "))
	}
	return batchRequest(ctx, action, resources, input)
}

// batchRequest sends one request of a batch action for resources: a
// parameter whose target has [*] or [] takes one value per resource, any
// other the first resource's.
func batchRequest(ctx context.Context, action *resourcemodel.ActionDef, resources []*Resource, input map[string]any) (map[string]any, error) {
	params := map[string]any{}
	for _, p := range action.Request.Params {
		for i, res := range resources {
			v, err := res.paramValue(ctx, p)
			if err != nil {
				return nil, err
			}
			if err := setPath(params, p.Target, v, i); err != nil {
				return nil, err
			}
			if !strings.Contains(p.Target, "[*]") && !strings.Contains(p.Target, "[]") {
				break // the same value for every resource
			}
		}
	}
	maps.Copy(params, input)
	return resources[0].call(ctx, action.Request.Operation, params)
}

// resourceHook is code that a resource needs beyond its model, where boto3
// has code too.
type resourceHook struct {
	load    func(ctx context.Context, r *Resource) error
	actions map[string]func(ctx context.Context, r *Resource, input map[string]any) (any, error)
}

// resourceHooks holds the hooks by "service.Type"; see resource_hooks.go.
var resourceHooks = map[string]resourceHook{}
