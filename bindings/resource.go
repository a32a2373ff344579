package bindings

import (
	"cmp"
	"iter"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/model"
	"github.com/awslua/awslua/sdk/resourcemodel"
)

const (
	resourceType   = "aws.Resource"
	collectionType = "aws.Collection"
)

// A member of a resource, as Lua reaches it through __index.
type memberKind uint8

const (
	memberIdentifier memberKind = iota + 1
	memberAttribute
	memberAction
	memberSubResource
	memberReference
	memberCollection
	memberWaiter
)

type resourceMember struct {
	kind memberKind
	name string // the model's name ("Objects", "Exists") or the API member name
}

// resourceIndex maps every Lua name of a resource type to what it is; it is
// built once per type and shared by all resources of that type.
type resourceIndex map[string]resourceMember

func indexResource(r *sdk.Resource) resourceIndex {
	idx := resourceIndex{}
	for _, a := range r.AttributeNames() {
		idx[sdk.SnakeCase(a)] = resourceMember{memberAttribute, a}
	}
	for _, n := range r.References() {
		idx[sdk.SnakeCase(n)] = resourceMember{memberReference, n}
	}
	for _, n := range r.Collections() {
		idx[sdk.SnakeCase(n)] = resourceMember{memberCollection, n}
	}
	for _, n := range r.Actions() {
		idx[sdk.SnakeCase(n)] = resourceMember{memberAction, n}
	}
	for _, n := range r.Waiters() {
		idx["wait_until_"+sdk.SnakeCase(n)] = resourceMember{memberWaiter, n}
	}
	for _, n := range r.SubResources() {
		idx[n] = resourceMember{memberSubResource, n}
	}
	for _, n := range r.IdentifierNames() {
		idx[sdk.SnakeCase(n)] = resourceMember{memberIdentifier, n}
	}
	// As in boto3, an attribute whose name a reference, collection or
	// action took is still there as <name>_attribute
	// (instance.network_interfaces_attribute).
	for _, a := range r.AttributeNames() {
		if k := idx[sdk.SnakeCase(a)].kind; k != memberAttribute && k != memberIdentifier {
			idx[sdk.SnakeCase(a)+"_attribute"] = resourceMember{memberAttribute, a}
		}
	}
	return idx
}

type resource struct {
	*sdk.Resource
	idx resourceIndex
}

func (m *module) newResource(L *lua.LState, r *sdk.Resource) lua.LValue {
	if r == nil {
		return lua.LNil
	}
	key := r.Client().ServiceName() + "." + r.Type()
	idx, ok := m.resourceIndexes[key]
	if !ok {
		idx = indexResource(r)
		m.resourceIndexes[key] = idx
	}
	return object(L, &resource{Resource: r, idx: idx}, resourceType)
}

func checkResource(L *lua.LState) *resource {
	if r, ok := L.CheckUserData(1).Value.(*resource); ok {
		return r
	}
	L.ArgError(1, "resource expected; call actions with a colon: resource:action{...}")
	return nil
}

// resourceValue converts what an action returns: resources, lists of them,
// or a response.
func (m *module) resourceValue(L *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case *sdk.Resource:
		return m.newResource(L, v)
	case []*sdk.Resource:
		t := L.CreateTable(len(v), 0)
		for _, r := range v {
			t.Append(m.newResource(L, r))
		}
		return t
	}
	return toLua(L, v)
}

// resource(name, options) on a session, as boto3's session.resource.
func (m *module) resource(L *lua.LState, sess *sdk.Session, n int) int {
	name := L.CheckString(n)
	sess, opts := m.clientArgs(L, sess, L.OptTable(n+1, nil), "resource")
	r, err := sess.Resource(name, opts)
	if err != nil {
		raise(L, err)
	}
	L.Push(m.newResource(L, r))
	return 1
}

func (m *module) registerResource(L *lua.LState) {
	mt := L.NewTypeMetatable(resourceType)
	L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
		r := checkResource(L)
		key := L.CheckString(2)
		L.Push(m.resourceIndex(L, r, key))
		return 1
	}))
	L.SetField(mt, "__eq", L.NewFunction(func(L *lua.LState) int {
		a, ok1 := L.CheckUserData(1).Value.(*resource)
		b, ok2 := L.CheckUserData(2).Value.(*resource)
		L.Push(lua.LBool(ok1 && ok2 && a.Equal(b.Resource)))
		return 1
	}))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(checkResource(L).String()))
		return 1
	}))

	cmt := L.NewTypeMetatable(collectionType)
	L.SetField(cmt, "__index", L.NewFunction(func(L *lua.LState) int {
		c := checkCollection(L)
		key := L.CheckString(2)
		if f, ok := m.collectionMethods[key]; ok {
			L.Push(f)
			return 1
		}
		for _, b := range c.BatchActions() {
			if sdk.SnakeCase(b) == key {
				L.Push(L.NewFunction(func(L *lua.LState) int {
					c := checkCollection(L)
					out, err := c.Batch(ctxOf(L), b, mapArg(L, 2))
					if err != nil {
						raise(L, err)
					}
					t := L.CreateTable(len(out), 0)
					for _, r := range out {
						t.Append(toLua(L, r))
					}
					L.Push(t)
					return 1
				}))
				return 1
			}
		}
		names := CollectionMethods()
		for _, b := range c.BatchActions() {
			names = append(names, sdk.SnakeCase(b))
		}
		L.RaiseError("collection %s has no attribute %q%s", c.Name(), key, model.DidYouMean(key, names, 3))
		return 0
	}))
	L.SetField(cmt, "__call", L.NewFunction(func(L *lua.LState) int {
		r, err, ok := checkCollection(L).items.step()
		if err != nil {
			raise(L, err)
		}
		if !ok {
			L.Push(lua.LNil)
			return 1
		}
		L.Push(m.newResource(L, r))
		return 1
	}))
	L.SetField(cmt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		c := checkCollection(L)
		L.Push(lua.LString(c.Parent().String() + "." + sdk.SnakeCase(c.Name())))
		return 1
	}))
	// The methods CollectionMethods names.
	m.collectionMethods = map[string]*lua.LFunction{
		"all": L.NewFunction(func(L *lua.LState) int {
			L.Push(newCollection(L, checkCollection(L).Collection))
			return 1
		}),
		"filter": L.NewFunction(func(L *lua.LState) int {
			L.Push(newCollection(L, checkCollection(L).Filter(mapArg(L, 2))))
			return 1
		}),
		"limit": L.NewFunction(func(L *lua.LState) int {
			L.Push(newCollection(L, checkCollection(L).Limit(L.CheckInt(2))))
			return 1
		}),
		"page_size": L.NewFunction(func(L *lua.LState) int {
			L.Push(newCollection(L, checkCollection(L).PageSize(L.CheckInt(2))))
			return 1
		}),
		// pages() iterates over the pages, each an array of resources.
		"pages": L.NewFunction(func(L *lua.LState) int {
			c := checkCollection(L)
			pages := &puller[[]*sdk.Resource]{start: func() iter.Seq2[[]*sdk.Resource, error] { return c.Pages(ctxOf(L)) }}
			L.Push(L.NewFunction(func(L *lua.LState) int {
				page, err, ok := pages.step()
				if err != nil {
					raise(L, err)
				}
				if !ok {
					L.Push(lua.LNil)
					return 1
				}
				L.Push(m.resourceValue(L, page))
				return 1
			}))
			return 1
		}),
	}
}

// resourceAction is an action of a resource type, as help() describes it.
type resourceAction struct {
	client *sdk.Client
	typ    string // "Bucket"
	name   string // "Delete"
	def    *resourcemodel.ActionDef
}

// action returns the method of an action of r's type: one function for
// every resource of the type, which acts on its self argument.
func (m *module) action(L *lua.LState, r *resource, name string) *lua.LFunction {
	def := r.Def().Actions[name]
	if fn, ok := m.actions[def]; ok {
		return fn
	}
	fn := L.NewFunction(func(L *lua.LState) int {
		r := checkResource(L)
		out, err := r.Action(ctxOf(L), name, m.actionInput(L, r, name, 2))
		if err != nil {
			raise(L, err)
		}
		L.Push(m.actionOutput(L, r, name, out))
		return 1
	})
	m.actions[def] = fn
	m.actionOf[fn] = resourceAction{client: r.Client(), typ: r.Type(), name: name, def: def}
	return fn
}

// resourceIndex resolves key on a resource: an identifier, attribute,
// reference or collection as a value, or an action, sub-resource
// constructor or waiter as a method.
func (m *module) resourceIndex(L *lua.LState, r *resource, key string) lua.LValue {
	switch key {
	case "meta":
		return m.resourceMeta(L, r)
	case "load", "reload":
		return documented(L, key+"(): fetches the resource's attributes now", func(L *lua.LState) int {
			if err := checkResource(L).Load(ctxOf(L)); err != nil {
				raise(L, err)
			}
			return 0
		})
	}
	if f := m.resourceTransfer(L, r, key); f != nil {
		return f
	}
	if f, ok := resourceMethods[r.Client().ServiceName()+"."+r.Type()][key]; ok {
		return documented(L, cmp.Or(methodSignatures[key], key+"(...)"), f) // code beyond the model (resource_values.go)
	}
	mem, ok := r.idx[key]
	if !ok {
		L.RaiseError("%s has no attribute %q%s", r.String(), key, model.DidYouMean(key, slices.Collect(maps.Keys(ResourceMembers(r.Resource))), 3))
	}
	ctx := ctxOf(L)
	switch mem.kind {
	case memberIdentifier, memberAttribute:
		v, err := r.Attribute(ctx, mem.name)
		if err != nil {
			raise(L, err)
		}
		return toLua(L, v)
	case memberReference:
		res, err := r.Reference(ctx, mem.name)
		if err != nil {
			raise(L, err)
		}
		// A reference whose identifier path flattens a list (an IAM
		// instance profile's roles) is a list even with one element or
		// none, as in boto3.
		plural := pluralReference(r.Def().Has[mem.name])
		if len(res) == 1 && !plural {
			return m.newResource(L, res[0])
		}
		if res == nil && !plural {
			return lua.LNil
		}
		return m.resourceValue(L, res)
	case memberCollection:
		c, err := r.Collection(mem.name)
		if err != nil {
			raise(L, err)
		}
		return newCollection(L, c)
	case memberAction:
		return m.action(L, r, mem.name)
	case memberSubResource:
		return L.NewFunction(func(L *lua.LState) int {
			r := checkResource(L)
			ids := make([]any, 0, L.GetTop()-1)
			for i := 2; i <= L.GetTop(); i++ {
				ids = append(ids, toGo(L, L.Get(i), nil))
			}
			sub, err := r.Get(mem.name, ids...)
			if err != nil {
				raise(L, err)
			}
			L.Push(m.newResource(L, sub))
			return 1
		})
	case memberWaiter:
		return L.NewFunction(func(L *lua.LState) int {
			r := checkResource(L)
			params := L.OptTable(2, L.NewTable())
			var cfg sdk.WaiterConfig
			if wc, ok := params.RawGetString("WaiterConfig").(*lua.LTable); ok {
				f := fields(L, wc, "WaiterConfig", "Delay", "MaxAttempts")
				cfg.Delay = seconds(f["Delay"])
				cfg.MaxAttempts = int(lua.LVAsNumber(f["MaxAttempts"]))
			}
			in, _ := tableToGo(L, withoutKey(params, "WaiterConfig"), nil).(map[string]any)
			if err := r.Wait(ctxOf(L), mem.name, in, cfg); err != nil {
				raise(L, err)
			}
			return 0
		})
	}
	return lua.LNil
}

// pluralReference reports whether a reference makes a list of resources:
// whether one of its identifiers comes from a data path with [] in it.
func pluralReference(h *resourcemodel.HasDef) bool {
	if h == nil {
		return false
	}
	for _, id := range h.Resource.Identifiers {
		if id.Source == "data" && strings.Contains(id.Path, "[]") {
			return true
		}
	}
	return false
}

// actionInput converts an action's table argument by the shape of its
// operation's input.
func (m *module) actionInput(L *lua.LState, r *resource, action string, n int) map[string]any {
	t := L.OptTable(n, nil)
	if t == nil {
		return nil
	}
	var shape *sdk.Shape
	if def, ok := r.Def().Actions[action]; ok {
		if op, err := r.Client().Operation(def.Request.Operation); err == nil {
			shape = op.InputShape()
		}
	}
	if nt, c := nativeOf(r.Resource); nt != nil {
		// Native values in place of the union (resource_values.go).
		in, _ := nativeInput(L, t, shape, nt, c).(map[string]any)
		return in
	}
	in, _ := tableToGo(L, t, shape).(map[string]any)
	return in
}

func mapArg(L *lua.LState, n int) map[string]any {
	t := L.OptTable(n, nil)
	if t == nil {
		return nil
	}
	in, _ := tableToGo(L, t, nil).(map[string]any)
	return in
}

func (m *module) resourceMeta(L *lua.LState, r *resource) lua.LValue {
	t := L.NewTable()
	t.RawSetString("service_name", lua.LString(r.Client().ServiceName()))
	t.RawSetString("resource_type", lua.LString(r.Type()))
	ids := L.NewTable()
	for k, v := range r.Identifiers() {
		ids.RawSetString(sdk.SnakeCase(k), toLua(L, v))
	}
	t.RawSetString("identifiers", ids)
	if d := r.Data(); d != nil {
		t.RawSetString("data", toLua(L, d))
	}
	t.RawSetString("client", object(L, &client{Client: r.Client()}, clientType))
	return t
}

type collection struct {
	*sdk.Collection
	items *puller[*sdk.Resource]
}

func newCollection(L *lua.LState, c *sdk.Collection) lua.LValue {
	items := &puller[*sdk.Resource]{start: func() iter.Seq2[*sdk.Resource, error] { return c.All(ctxOf(L)) }, restart: true}
	return object(L, &collection{Collection: c, items: items}, collectionType)
}

func checkCollection(L *lua.LState) *collection {
	if c, ok := L.CheckUserData(1).Value.(*collection); ok {
		return c
	}
	L.ArgError(1, "collection expected; call its methods with a colon: coll:filter{...}")
	return nil
}

// resourceModelModule is aws.resource_model: load(path [, service]) adds a
// model file at run time; the service defaults to the file's base name.
// modelService is the service a model file is for when the caller does not
// say: the file's base name ("events.json"), or, for a file where boto3
// keeps its own (data/sqs/2012-11-05/resources-1.json), the directory two
// levels up.
func modelService(path string) string {
	if filepath.Base(path) == "resources-1.json" {
		return filepath.Base(filepath.Dir(filepath.Dir(path)))
	}
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}

func resourceModelModule(L *lua.LState) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"load": func(L *lua.LState) int {
			path := L.CheckString(1)
			service := L.OptString(2, modelService(path))
			if err := sdk.LoadResourceModel(service, path); err != nil {
				raise(L, err)
			}
			return 0
		},
	})
}

// A ResourceMember is what a Lua name means on a resource, as its value
// resolves it.
type ResourceMember struct {
	// Kind is one of identifier, attribute, action, sub-resource,
	// reference, collection, waiter, or method (meta, load, and the
	// methods some resources have beyond their model: S3 transfers,
	// table:batch_writer).
	Kind string
	// Name is the model's name ("Objects", "Exists") or the API member
	// name of an identifier or attribute; a method's Lua name.
	Name string
}

var memberKindNames = [...]string{
	memberIdentifier: "identifier", memberAttribute: "attribute", memberAction: "action",
	memberSubResource: "sub-resource", memberReference: "reference", memberCollection: "collection",
	memberWaiter: "waiter",
}

// ResourceMembers returns every Lua name of r's resource type, as the
// runtime resolves names on a resource of that type. Tools that read
// scripts without running them (awslua check and types) use it.
func ResourceMembers(r *sdk.Resource) map[string]ResourceMember {
	out := map[string]ResourceMember{}
	for k, m := range indexResource(r) {
		out[k] = ResourceMember{Kind: memberKindNames[m.kind], Name: m.name}
	}
	methods := []string{"meta", "load", "reload"}
	if t := r.Type(); r.Client().ServiceName() == "s3" && (t == "Bucket" || t == "Object" || t == "ObjectSummary") {
		for name := range transferMethods {
			methods = append(methods, name)
		}
	}
	for name := range resourceMethods[r.Client().ServiceName()+"."+r.Type()] {
		methods = append(methods, name)
	}
	for _, name := range methods {
		out[name] = ResourceMember{Kind: "method", Name: name}
	}
	return out
}

// ClientMethods returns the Lua names of a client of service beyond its
// operations: the methods every client has and those of the service's
// own (S3 transfers).
func ClientMethods(service string) []string {
	names := slices.Clone(clientFields)
	for name := range clientMethods {
		names = append(names, name)
	}
	if service == "s3" {
		for name := range transferMethods {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// CollectionMethods returns the methods every collection has, besides the
// batch actions of its resources.
func CollectionMethods() []string { return []string{"all", "filter", "limit", "page_size", "pages"} }

// OptionNames returns the keys that the options table of aws.Session and
// aws.setup_default_session (what "Session"), or of client and resource
// (what "client", "resource"), takes; TestOptionNames holds it to what
// the runtime accepts.
func OptionNames(what string) []string {
	if what == "Session" {
		return slices.Clone(sessionOptions)
	}
	return slices.Clone(clientOptions)
}
