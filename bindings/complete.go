package bindings

import (
	"context"
	"fmt"
	"slices"
	"sort"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
)

// A Candidate is a completion: a name that may follow what was typed, and
// what it is ("operation", "string, required", "bucket").
type Candidate struct {
	Name, Kind string
}

// Fields returns what may follow v. or v: for completion: a table's keys
// and those of its __index table, the attributes and methods of the
// module's objects (a client's operations, a resource's actions,
// references and collections), and the members of a result's response
// shape that the value lacks. It never sends a request.
func Fields(L *lua.LState, v lua.LValue) []Candidate {
	var out []Candidate
	add := func(kind string, names ...string) {
		for _, n := range names {
			out = append(out, Candidate{n, kind})
		}
	}
	addTable := func(t *lua.LTable) {
		t.ForEach(func(k, v lua.LValue) {
			if s, ok := k.(lua.LString); ok {
				out = append(out, Candidate{string(s), kindOf(L, v)})
			}
		})
	}
	switch x := v.(type) {
	case *lua.LTable:
		addTable(x)
		if s := resultShape(L, x); s != nil {
			for _, m := range s.Members {
				add(typeName(m.Shape), m.Name)
			}
		}
	case *lua.LUserData:
		switch x := x.Value.(type) {
		case *client:
			for _, op := range x.Service().Operations {
				add("operation", op.SnakeName)
			}
			add("method", "can_paginate", "get_paginator", "get_waiter", "get_available_paginators", "generate_presigned_url")
			add("attribute", "meta", "exceptions", "waiter_names")
			if x.ServiceName() == "s3" {
				add("method", "generate_presigned_post")
				for n := range transferMethods {
					add("method", n)
				}
			}
		case *sdk.Session:
			add("attribute", "region_name", "profile_name")
			add("method", "client", "resource", "get_available_services", "get_available_resources", "get_credentials")
		case *resource:
			for name, m := range x.idx {
				add(memberKinds[m.kind], name)
			}
			for name := range resourceMethods[x.Client().ServiceName()+"."+x.Type()] {
				add("method", name)
			}
			if x.Client().ServiceName() == "s3" && slices.Contains([]string{"Bucket", "Object", "ObjectSummary"}, x.Type()) {
				for n := range transferMethods {
					add("method", n)
				}
			}
			add("method", "load", "reload")
			add("attribute", "meta")
		case *collection:
			for name := range collectionMethodNames {
				add("collection method", name)
			}
			for _, b := range x.BatchActions() {
				add("batch action", sdk.SnakeCase(b))
			}
		case *paginator:
			add("method", "paginate")
		case *waiter:
			add("method", "wait")
		case *pageIterator:
			add("attribute", "resume_token")
			add("method", "search", "build_full_result")
		}
	}
	if mt, ok := L.GetMetatable(v).(*lua.LTable); ok {
		if idx, ok := mt.RawGetString("__index").(*lua.LTable); ok {
			addTable(idx)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return slices.CompactFunc(out, func(a, b Candidate) bool { return a.Name == b.Name })
}

var memberKinds = map[memberKind]string{
	memberIdentifier:  "identifier",
	memberAttribute:   "attribute",
	memberAction:      "action",
	memberSubResource: "sub-resource",
	memberReference:   "reference",
	memberCollection:  "collection",
	memberWaiter:      "waiter",
}

var collectionMethodNames = map[string]bool{"all": true, "filter": true, "limit": true, "page_size": true, "pages": true}

// ResultShape returns the response shape of a table that an operation
// returned lately, or nil.
func ResultShape(L *lua.LState, t *lua.LTable) *sdk.Shape { return resultShape(L, t) }

func resultShape(L *lua.LState, t *lua.LTable) *sdk.Shape {
	m, ok := L.G.Registry.RawGetString(moduleKey).(*lua.LUserData)
	if !ok {
		return nil
	}
	return m.Value.(*module).results.shape(t)
}

// resultShapes remembers the response shapes of the latest results: few,
// so that holding them keeps little garbage alive.
type resultShapes struct {
	tables []*lua.LTable
	shapes []*sdk.Shape
}

const rememberedResults = 32

func (r *resultShapes) add(t lua.LValue, s *sdk.Shape) {
	tbl, ok := t.(*lua.LTable)
	if !ok || s == nil {
		return
	}
	if len(r.tables) == rememberedResults {
		r.tables, r.shapes = r.tables[1:], r.shapes[1:]
	}
	r.tables, r.shapes = append(r.tables, tbl), append(r.shapes, s)
}

func (r *resultShapes) shape(t *lua.LTable) *sdk.Shape {
	for i := len(r.tables) - 1; i >= 0; i-- {
		if r.tables[i] == t {
			return r.shapes[i]
		}
	}
	return nil
}

// ShapeMembers returns a structure's members as candidates, each with its
// type and whether it is required.
func ShapeMembers(s *sdk.Shape) []Candidate {
	if s == nil || s.Kind != sdk.KindStructure && s.Kind != sdk.KindUnion {
		return nil
	}
	required := map[string]bool{}
	for _, r := range s.Required() {
		required[r] = true
	}
	out := make([]Candidate, 0, len(s.Members))
	for _, m := range s.Members {
		kind := typeName(m.Shape)
		if required[m.Name] {
			kind += ", required"
		}
		out = append(out, Candidate{m.Name, kind})
	}
	return out
}

// TypeName describes a shape as help does: "string", "list of Tag".
func TypeName(s *sdk.Shape) string { return typeName(s) }

// InputShape returns the request shape of what obj:method{...} calls: an
// operation of a client, a resource's action, a paginator's paginate, a
// waiter's wait or a collection's filter; nil for anything else.
func InputShape(v lua.LValue, method string) *sdk.Shape {
	ud, ok := v.(*lua.LUserData)
	if !ok {
		return nil
	}
	opShape := func(c *sdk.Client, name string) *sdk.Shape {
		if op, err := c.Operation(name); err == nil {
			return op.InputShape()
		}
		return nil
	}
	switch x := ud.Value.(type) {
	case *client:
		return opShape(x.Client, method)
	case *paginator:
		if method == "paginate" {
			return x.op.InputShape()
		}
	case *waiter:
		for _, spec := range x.c.Service().Waiters {
			if method == "wait" && (spec.Name == x.name || sdk.SnakeCase(spec.Name) == x.name) {
				return opShape(x.c.Client, spec.Operation)
			}
		}
	case *resource:
		if m, ok := x.idx[method]; ok && m.kind == memberAction {
			return opShape(x.Client(), x.Def().Actions[m.name].Request.Operation)
		}
	case *collection:
		if method == "filter" {
			return opShape(x.Parent().Client(), x.Parent().Def().HasMany[x.Name()].Request.Operation)
		}
	}
	return nil
}

// A nameLister says where a request member's values can be listed: the
// service whose operation lists them, and how.
type nameLister struct {
	service, operation string
	names              func(out map[string]any) []string
}

// listers are the request members whose values an API lists cheaply, by
// member name.
var listers = map[string]nameLister{
	"Bucket":       {"s3", "ListBuckets", pluck("Buckets", "Name")},
	"TableName":    {"dynamodb", "ListTables", pluck("TableNames", "")},
	"QueueUrl":     {"sqs", "ListQueues", pluck("QueueUrls", "")},
	"FunctionName": {"lambda", "ListFunctions", pluck("Functions", "FunctionName")},
}

// pluck returns the strings of a response's list, or of a field of each
// of its elements.
func pluck(list, field string) func(map[string]any) []string {
	return func(out map[string]any) []string {
		items, _ := out[list].([]any)
		var names []string
		for _, it := range items {
			if field != "" {
				m, _ := it.(map[string]any)
				it = m[field]
			}
			if s, ok := it.(string); ok {
				names = append(names, s)
			}
		}
		return names
	}
}

// ListableMember reports whether the values of a request member of the
// service of v (a client or resource) can be listed with ListNames, and
// returns the key to cache them under: the service, region, endpoint and
// member.
func ListableMember(v lua.LValue, member string) (key string, ok bool) {
	c := clientOf(v)
	l, found := listers[member]
	if c == nil || !found || c.ServiceName() != l.service {
		return "", false
	}
	return fmt.Sprintf("%s %s %s %s", c.ServiceName(), c.Region(), c.EndpointURL(), member), true
}

// ListNames lists the values a request member can take, with one request
// by the client of v (a client or resource): bucket names for Bucket,
// table names for TableName, queue URLs for QueueUrl, function names for
// FunctionName (their first page).
func ListNames(ctx context.Context, v lua.LValue, member string) ([]string, error) {
	c := clientOf(v)
	l, ok := listers[member]
	if c == nil || !ok || c.ServiceName() != l.service {
		return nil, fmt.Errorf("no list of %s values", member)
	}
	out, err := c.Call(ctx, l.operation, nil)
	if err != nil {
		return nil, err
	}
	names := l.names(out)
	sort.Strings(names)
	return names, nil
}

func clientOf(v lua.LValue) *sdk.Client {
	ud, ok := v.(*lua.LUserData)
	if !ok {
		return nil
	}
	switch x := ud.Value.(type) {
	case *client:
		return x.Client
	case *resource:
		return x.Client()
	case *collection:
		return x.Parent().Client()
	}
	return nil
}

// MethodArgNames returns the names obj:method(" may take as its first
// argument: services for client and resource, paginators, waiters and
// operations for a client's helpers; ok is false for other methods.
func MethodArgNames(v lua.LValue, method string) (names []string, kind string, ok bool) {
	c := clientOf(v)
	if ud, isUD := v.(*lua.LUserData); isUD {
		if _, isSession := ud.Value.(*sdk.Session); isSession && (method == "client" || method == "resource") {
			return sdk.Services(), "service", true
		}
	}
	if c == nil {
		return nil, "", false
	}
	snake := func(ss []string) []string {
		for i := range ss {
			ss[i] = sdk.SnakeCase(ss[i])
		}
		sort.Strings(ss)
		return ss
	}
	switch method {
	case "get_paginator":
		return snake(c.PaginatorNames()), "paginator", true
	case "get_waiter":
		return snake(c.WaiterNames()), "waiter", true
	case "can_paginate", "generate_presigned_url":
		for _, op := range c.Service().Operations {
			names = append(names, op.SnakeName)
		}
		return names, "operation", true
	}
	return nil, "", false
}

// sessionOptions are the options of aws.Session{...}, and clientOptions
// those of client(name, {...}) and resource(name, {...}), as the runtime
// checks them; OptionNames hands out copies.
var (
	sessionOptions = []string{"profile_name", "region_name", "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "endpoint_url"}
	clientOptions  = []string{"region_name", "endpoint_url", "config", "verify", "aws_access_key_id", "aws_secret_access_key", "aws_session_token"}
)

// IsSessionConstructor reports whether v is aws.Session or
// aws.setup_default_session, whose table argument takes OptionNames("Session").
func IsSessionConstructor(L *lua.LState, v lua.LValue) bool {
	aws, ok := L.GetGlobal("aws").(*lua.LTable)
	return ok && v != lua.LNil && (v == aws.RawGetString("Session") || v == aws.RawGetString("setup_default_session"))
}

// IsClientConstructor reports whether v is aws.client or aws.resource,
// whose first argument is a service name and second takes OptionNames("client").
func IsClientConstructor(L *lua.LState, v lua.LValue) bool {
	aws, ok := L.GetGlobal("aws").(*lua.LTable)
	return ok && v != lua.LNil && (v == aws.RawGetString("client") || v == aws.RawGetString("resource"))
}
