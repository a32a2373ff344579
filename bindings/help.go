package bindings

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
)

// Help describes a value for the REPL's help(v [, topic]): whatever the aws
// module hands a script (the module itself, sessions, clients, operations,
// paginators, waiters, resources, collections, streams, errors) and plain
// Lua values. topic names a nested shape of an operation, a member path
// ("Tagging", "KeySchema", "CreateTableInput.KeySchema"); Help returns an
// error naming what it lacks when there is no such member.
func Help(L *lua.LState, v lua.LValue, topic string) (string, error) {
	if fn, ok := v.(*lua.LFunction); ok {
		if op, svc, ok := operationOf(L, fn); ok {
			if topic != "" {
				return shapeHelp(op, topic)
			}
			return operationHelp(svc, op), nil
		}
	}
	if fn, ok := v.(*lua.LFunction); ok && topic == "" {
		if a, ok := moduleOf(L).actionOf[fn]; ok {
			return actionHelp(a), nil
		}
		if use, ok := usageOf(fn); ok {
			return use, nil
		}
	}
	if topic != "" {
		return "", fmt.Errorf("help(x, %q): only an operation has nested shapes to describe", topic)
	}
	if fn, ok := v.(*lua.LFunction); ok {
		if fn.Proto != nil {
			return fmt.Sprintf("a Lua function of %d parameters, defined at %s:%d", fn.Proto.NumParameters, fn.Proto.SourceName, fn.Proto.LineDefined), nil
		}
		return "a built-in function; help(obj) describes the methods of obj with their arguments", nil
	}
	if ud, ok := v.(*lua.LUserData); ok {
		return userDataHelp(L, ud), nil
	}
	t, ok := v.(*lua.LTable)
	switch {
	case v == lua.LNil:
		return "nil: nothing is there (a variable never set, or a missing field); help(aws) starts from the top", nil
	case !ok:
		return fmt.Sprintf("a %s: %s", v.Type(), tostring(L, v)), nil
	}
	switch {
	case t == L.GetGlobal("aws"):
		return moduleHelp(t), nil
	case L.GetMetatable(t) == L.GetTypeMetatable(errorType):
		return errorHelp(L, t), nil
	case L.GetMetatable(t) == L.GetTypeMetatable(exceptionType):
		return fmt.Sprintf("exception %s: err:is(this) tells whether an error err has its code", str(t.RawGetString("code"))), nil
	}
	return tableHelp(L, t), nil
}

func userDataHelp(L *lua.LState, ud *lua.LUserData) string {
	switch x := ud.Value.(type) {
	case *client:
		return clientHelp(x)
	case *sdk.Session:
		return sessionHelp(x)
	case *paginator:
		return paginatorHelp(x)
	case *pageIterator:
		return "page iterator: for page in it do ... end (every page, each a response); it:search(jmespath) (the values\n" +
			"a JMESPath expression finds across the pages); it:build_full_result() (the pages merged); it.resume_token"
	case *waiter:
		return waiterHelp(x)
	case *stream:
		return "streaming body: read([n]) (n bytes, or everything), lines() (an iterator of lines), iter_chunks([size]), close()"
	case *resource:
		return resourceHelp(x)
	case *collection:
		return collectionHelp(x)
	case *sdk.BatchWriter:
		return "batch writer: put_item{Item=...}, delete_item{Key=...}; flush() sends what is pending; requests, pending;\n" +
			"table:batch_writer(function(w) ... end) flushes when the function returns"
	}
	if mt, ok := L.GetMetatable(ud).(*lua.LTable); ok {
		if name, ok := mt.RawGetString("__name").(lua.LString); ok {
			return fmt.Sprintf("a %s: %s", name, tostring(L, ud))
		}
	}
	return "a value of the host program: " + tostring(L, ud)
}

// moduleSignatures describe the aws module's functions.
var moduleSignatures = map[string]string{
	"Session":               "Session{profile_name=, region_name=, aws_access_key_id=, aws_secret_access_key=, aws_session_token=, endpoint_url=}: a session",
	"client":                "client(service, {region_name=, endpoint_url=, config=, verify=}): a client of the default session",
	"resource":              "resource(service, {...same options...}): a service resource of the default session",
	"setup_default_session": "setup_default_session{...Session's options...}: replace the default session",
	"inspect":               "inspect(v, {max_items=, max_string=, color=}): v pretty-printed, as the REPL prints it",
	"timestamp":             "timestamp(rfc3339 or epoch seconds): a timestamp value",
}

func moduleHelp(aws *lua.LTable) string {
	var b strings.Builder
	b.WriteString("aws: the module; try s3 = aws.client(\"s3\"); help(s3); help(s3.list_objects_v2)\n\n")
	for _, k := range sortedKeys(aws) {
		name := lua.LVAsString(k)
		switch v := aws.RawGet(k).(type) {
		case *lua.LFunction:
			if sig, ok := moduleSignatures[name]; ok {
				fmt.Fprintf(&b, "  %s\n", sig)
			} else {
				fmt.Fprintf(&b, "  %s(...)\n", name)
			}
		case *lua.LTable:
			var names []string
			for _, k := range sortedKeys(v) {
				names = append(names, lua.LVAsString(k))
			}
			fmt.Fprintf(&b, "  %s: %s\n", name, strings.Join(names, ", "))
		}
	}
	b.WriteString("\nhelp(aws.dynamodb) and the like describe a part.")
	return b.String()
}

func sessionHelp(s *sdk.Session) string {
	return fmt.Sprintf("session (%s)\n", s.String()) +
		"  region_name, profile_name\n" +
		"  client(service, {region_name=, endpoint_url=, config=, verify=}): a client\n" +
		"  resource(service, {...}): a service resource\n" +
		"  get_available_services(), get_available_resources(), get_credentials()\n" +
		"made by aws.Session{profile_name=, region_name=, aws_access_key_id=, aws_secret_access_key=, aws_session_token=, endpoint_url=}"
}

// clientHelpers describe a client's methods beyond its operations.
var clientHelpers = []string{
	"can_paginate(op): whether get_paginator(op) works",
	"get_paginator(op): a paginator; :paginate{...} iterates over the pages",
	"get_waiter(name): a waiter; :wait{...} polls until the state is reached",
	"get_available_paginators()",
	"generate_presigned_url(op, {Params={...}, ExpiresIn=seconds, HttpMethod=})",
	"meta: service_name, region_name, endpoint_url, config",
	"exceptions: the modeled errors, err:is(s3.exceptions.NoSuchKey)",
	"waiter_names",
}

// s3Helpers are an S3 client's managed transfers and presigned posts.
var s3Helpers = []string{
	"upload_file(filename, bucket, key, {ExtraArgs=, Callback=, Config=})",
	"download_file(bucket, key, filename, {ExtraArgs=, Callback=, Config=})",
	"upload_fileobj(file, bucket, key, {...}): upload_file from a file object",
	"download_fileobj(bucket, key, file, {...}): download_file into a file object",
	"copy{CopySource={Bucket=, Key=}, Bucket=, Key=}",
	"generate_presigned_post(bucket, key, {Fields=, Conditions=, ExpiresIn=})",
}

func clientHelp(c *client) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s client (%s, %s): %d operations; help(client.operation) describes one\n\n",
		c.ServiceName(), c.Region(), c.EndpointURL(), len(c.Service().Operations))
	// Operations grouped by their verb, the first word of their name.
	groups := map[string][]string{}
	for _, op := range c.Service().Operations {
		verb, _, _ := strings.Cut(op.SnakeName, "_")
		groups[verb] = append(groups[verb], op.SnakeName)
	}
	verbs := make([]string, 0, len(groups))
	for v := range groups {
		verbs = append(verbs, v)
	}
	sort.Strings(verbs)
	for _, v := range verbs {
		fmt.Fprintf(&b, "%s:\n", v)
		columns(&b, groups[v], "  ")
	}
	b.WriteString("\nhelpers:\n")
	helpers := clientHelpers
	if c.ServiceName() == "s3" {
		helpers = append(slices.Clip(helpers), s3Helpers...)
	}
	for _, h := range helpers {
		b.WriteString("  " + h + "\n")
	}
	if p := c.PaginatorNames(); len(p) > 0 {
		for i := range p {
			p[i] = sdk.SnakeCase(p[i])
		}
		fmt.Fprintf(&b, "paginators: %s\n", strings.Join(p, ", "))
	}
	if w := c.WaiterNames(); len(w) > 0 {
		for i := range w {
			w[i] = sdk.SnakeCase(w[i])
		}
		fmt.Fprintf(&b, "waiters: %s\n", strings.Join(w, ", "))
	}
	return strings.TrimRight(b.String(), "\n")
}

// columns writes names in columns 80 wide, each line after indent.
func columns(b *strings.Builder, names []string, indent string) {
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	width += 2
	per := max(1, (80-len(indent))/width)
	for i, n := range names {
		if i%per == 0 {
			b.WriteString(indent)
		}
		if i%per == per-1 || i == len(names)-1 {
			b.WriteString(n + "\n")
		} else {
			b.WriteString(n + strings.Repeat(" ", width-len(n)))
		}
	}
}

func operationHelp(svc *sdk.Service, op *sdk.Operation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%s{...}  (%s %s)\n", svc.Name, op.SnakeName, svc.ID, op.Name)
	if link := op.ReferenceURL(); link != "" {
		b.WriteString(link + "\n")
	}
	if in := op.InputShape(); in != nil && len(in.Members) > 0 {
		fmt.Fprintf(&b, "\nrequest %s (* required):\n", in.Name())
		members(&b, in, "  ")
	}
	if out := op.OutputShape(); out != nil && len(out.Members) > 0 {
		fmt.Fprintf(&b, "\nresponse %s:\n", out.Name())
		members(&b, out, "  ")
	}
	if shape, member := nestedMember(op.InputShape(), op.OutputShape()); member != "" {
		fmt.Fprintf(&b, "\nhelp(%s.%s, %q) expands a member's shape; a path such as %q goes deeper.",
			svc.Name, op.SnakeName, member, shape.Name()+"."+member)
	}
	return b.String()
}

// nestedMember returns the first member, of the first of shapes that has
// one, whose value has members of its own: the example the help of an
// operation gives of expanding a shape.
func nestedMember(shapes ...*sdk.Shape) (*sdk.Shape, string) {
	for _, s := range shapes {
		if s == nil {
			continue
		}
		for _, m := range s.Members {
			v := m.Shape
			for v != nil && (v.Kind == sdk.KindList || v.Kind == sdk.KindMap) {
				v = v.Elem
			}
			if v != nil && (v.Kind == sdk.KindStructure || v.Kind == sdk.KindUnion) {
				return s, m.Name
			}
		}
	}
	return nil, ""
}

// members writes a structure's members, one a line: required ones marked
// with *, each with its type.
func members(b *strings.Builder, s *sdk.Shape, indent string) {
	required := map[string]bool{}
	for _, r := range s.Required() {
		required[r] = true
	}
	for _, m := range s.Members {
		mark := " "
		if required[m.Name] {
			mark = "*"
		}
		line := fmt.Sprintf("%s%s %s: %s", indent, mark, m.Name, typeName(m.Shape))
		if len(line) > 118 {
			line = line[:115] + "..."
		}
		b.WriteString(line + "\n")
	}
}

// typeName describes a member's shape: "string", "list of Tag", "enum
// (STANDARD, GLACIER, ...)".
func typeName(s *sdk.Shape) string {
	if s == nil {
		return "any"
	}
	switch s.Kind {
	case sdk.KindList:
		return "list of " + typeName(s.Elem)
	case sdk.KindMap:
		return "map of string to " + typeName(s.Elem)
	case sdk.KindStructure:
		return s.Name()
	case sdk.KindUnion:
		return s.Name() + " (one of its members)"
	case sdk.KindString:
		if enum := s.Enum(); len(enum) > 0 {
			names := enum[:min(len(enum), 6)]
			if len(enum) > 6 {
				names = append(names[:6:6], "...")
			}
			return "enum (" + strings.Join(names, ", ") + ")"
		}
	}
	return s.Kind.String()
}

// shapeHelp describes the shape at a member path of an operation's request
// or response.
func shapeHelp(op *sdk.Operation, path string) (string, error) {
	s, err := ShapeAt(op, path)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", path, typeName(s))
	for s != nil && (s.Kind == sdk.KindList || s.Kind == sdk.KindMap) {
		s = s.Elem
	}
	switch {
	case s == nil:
	case s.Kind == sdk.KindStructure || s.Kind == sdk.KindUnion:
		fmt.Fprintf(&b, "\n%s (* required):\n", s.Name())
		members(&b, s, "  ")
	case len(s.Enum()) > 0:
		b.WriteString("\nvalues:\n")
		columns(&b, s.Enum(), "  ")
	}
	return strings.TrimRight(b.String(), "\n"), nil
}

// ShapeAt returns the shape at a member path of an operation: members
// separated by dots, starting from the request's members, or the
// response's, or either shape's name ("CreateTableInput.KeySchema");
// lists and maps are stepped through to their elements.
func ShapeAt(op *sdk.Operation, path string) (*sdk.Shape, error) {
	in, out := op.InputShape(), op.OutputShape()
	parts := strings.Split(path, ".")
	var s *sdk.Shape
	switch {
	case in != nil && parts[0] == in.Name():
		s, parts = in, parts[1:]
	case out != nil && parts[0] == out.Name():
		s, parts = out, parts[1:]
	case in != nil && hasMember(in, parts[0]):
		s = in
	case out != nil && hasMember(out, parts[0]):
		s = out
	default:
		return nil, fmt.Errorf("%s has no member %q in its request (%s) or response (%s)", op.SnakeName, parts[0], memberNames(in), memberNames(out))
	}
	for i, p := range parts {
		for s != nil && (s.Kind == sdk.KindList || s.Kind == sdk.KindMap) {
			s = s.Elem
		}
		if s == nil || s.Kind != sdk.KindStructure && s.Kind != sdk.KindUnion {
			return nil, fmt.Errorf("%s is a %s, which has no members", strings.Join(parts[:i], "."), typeName(s))
		}
		m, ok := s.Member(p)
		if !ok {
			return nil, fmt.Errorf("%s has no member %q; its members are: %s", s.Name(), p, s.MemberNames())
		}
		s = m.Shape
	}
	return s, nil
}

func hasMember(s *sdk.Shape, name string) bool {
	_, ok := s.Member(name)
	return ok
}

func memberNames(s *sdk.Shape) string {
	if s == nil || s.MemberNames() == "" {
		return "none"
	}
	return s.MemberNames()
}

func paginatorHelp(p *paginator) string {
	var b strings.Builder
	fmt.Fprintf(&b, "paginator of %s:%s: paginate{...request members..., PaginationConfig={MaxItems=, PageSize=, StartingToken=}}\n",
		p.c.ServiceName(), p.op.SnakeName)
	b.WriteString("returns a page iterator: for page in it do ... end, each page a response\n")
	if in := p.op.InputShape(); in != nil && len(in.Members) > 0 {
		fmt.Fprintf(&b, "\nrequest %s (* required):\n", in.Name())
		members(&b, in, "  ")
	}
	return strings.TrimRight(b.String(), "\n")
}

func waiterHelp(w *waiter) string {
	var b strings.Builder
	fmt.Fprintf(&b, "waiter %s of %s: wait{...request members..., WaiterConfig={Delay=seconds, MaxAttempts=n}}", w.name, w.c.ServiceName())
	for _, spec := range w.c.Service().Waiters {
		if spec.Name != w.name && sdk.SnakeCase(spec.Name) != w.name {
			continue
		}
		if op, err := w.c.Operation(spec.Operation); err == nil {
			fmt.Fprintf(&b, "\npolls %s; its request %s (* required):\n", op.SnakeName, op.InputShape().Name())
			members(&b, op.InputShape(), "  ")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func resourceHelp(r *resource) string {
	var b strings.Builder
	def := r.Def()
	fmt.Fprintf(&b, "%s: a %s resource of %s\n", r.String(), r.Type(), r.Client().ServiceName())
	if ids := r.IdentifierNames(); len(ids) > 0 {
		snake := make([]string, len(ids))
		for i, id := range ids {
			snake[i] = sdk.SnakeCase(id)
		}
		fmt.Fprintf(&b, "\nidentifiers: %s\n", strings.Join(snake, ", "))
	}
	if s := r.Client().Service().Shape(def.Shape); s != nil && len(s.Members) > 0 {
		fmt.Fprintf(&b, "\nattributes (%s, loaded on first use):\n", s.Name())
		for _, m := range s.Members {
			name := sdk.SnakeCase(m.Name)
			if r.idx[name].kind != memberAttribute {
				name += "_attribute"
			}
			fmt.Fprintf(&b, "  %s: %s\n", name, typeName(m.Shape))
		}
	}
	var actions []string
	for _, a := range r.Actions() {
		actions = append(actions, fmt.Sprintf("%s{...} (%s)", sdk.SnakeCase(a), def.Actions[a].Request.Operation))
	}
	for name := range resourceMethods[r.Client().ServiceName()+"."+r.Type()] {
		actions = append(actions, cmp.Or(methodSignatures[name], name+"(...)"))
	}
	if r.Client().ServiceName() == "s3" && slices.Contains([]string{"Bucket", "Object", "ObjectSummary"}, r.Type()) {
		actions = append(actions, "upload_file(...)", "download_file(...)", "copy(...)")
	}
	actions = append(actions, "load()", "reload()")
	sort.Strings(actions)
	list(&b, "actions (call with a colon)", actions)
	var refs []string
	for _, n := range r.References() {
		refs = append(refs, fmt.Sprintf("%s: %s", sdk.SnakeCase(n), def.Has[n].Resource.Type))
	}
	list(&b, "references", refs)
	var subs []string
	for _, n := range r.SubResources() {
		subs = append(subs, fmt.Sprintf("%s(...): %s", n, def.Has[n].Resource.Type))
	}
	list(&b, "sub-resources", subs)
	var colls []string
	for _, n := range r.Collections() {
		colls = append(colls, fmt.Sprintf("%s: %s (%s)", sdk.SnakeCase(n), def.HasMany[n].Resource.Type, def.HasMany[n].Request.Operation))
	}
	list(&b, "collections (all(), filter{...}, limit(n), page_size(n), pages())", colls)
	var waiters []string
	for _, n := range r.Waiters() {
		waiters = append(waiters, "wait_until_"+sdk.SnakeCase(n)+"()")
	}
	list(&b, "waiters", waiters)
	b.WriteString("\nmeta: service_name, resource_type, identifiers, data, client")
	return b.String()
}

// methodSignatures describe the methods resources have beyond their model.
var methodSignatures = map[string]string{
	"batch_writer": "batch_writer([{overwrite_by_pkeys={...}}], [function(w) ... end]): a batch writer",
	"query_items":  "query_items({...query's members...}, {page_size=, max_items=}): an iterator of items, page after page",
	"scan_items":   "scan_items({...scan's members...}, {page_size=, max_items=}): an iterator of items, page after page",
}

func list(b *strings.Builder, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s:\n", title)
	for _, it := range items {
		b.WriteString("  " + it + "\n")
	}
}

func collectionHelp(c *collection) string {
	var b strings.Builder
	def := c.Parent().Def().HasMany[c.Name()]
	fmt.Fprintf(&b, "collection %s of %s resources\n", c.Parent().String()+"."+sdk.SnakeCase(c.Name()), def.Resource.Type)
	b.WriteString("  for x in coll do ... end, or coll:all(): every resource, fetched page by page\n")
	b.WriteString("  coll:filter{...request members...}, coll:limit(n), coll:page_size(n): a narrower collection\n")
	b.WriteString("  coll:pages(): an iterator of pages, each an array of resources\n")
	if batch := c.BatchActions(); len(batch) > 0 {
		for i := range batch {
			batch[i] = sdk.SnakeCase(batch[i]) + "{...}"
		}
		fmt.Fprintf(&b, "  batch actions: %s\n", strings.Join(batch, ", "))
	}
	if op, err := c.Parent().Client().Operation(def.Request.Operation); err == nil {
		fmt.Fprintf(&b, "\nfilter takes the members of %s's request %s (* required):\n", op.SnakeName, op.InputShape().Name())
		members(&b, op.InputShape(), "  ")
	}
	return strings.TrimRight(b.String(), "\n")
}

// errorHelp describes an error value and, for an error of a modeled
// exception, the exception's members.
func errorHelp(L *lua.LState, t *lua.LTable) string {
	var b strings.Builder
	code := str(t.RawGetString("code"))
	fmt.Fprintf(&b, "error %s: %s\n", code, str(t.RawGetString("message")))
	for _, k := range []string{"operation", "status_code", "request_id", "retry_attempts", "host_id", "modeled_code", "waiter", "reason", "last_error", "url"} {
		if v := t.RawGetString(k); v != lua.LNil {
			fmt.Fprintf(&b, "  %s = %s\n", k, Inspect(L, v, InspectOptions{}))
		}
	}
	b.WriteString("  err:is(client.exceptions.X) tells whether it is of code X\n")
	var se *sdk.Error
	if cause := goError(t); cause != nil && errors.As(cause, &se) {
		if svc, ok := sdk.LookupService(se.Service); ok {
			code := cmp.Or(se.ModeledCode, se.Code)
			if s := svc.Shape(code); s != nil && slices.ContainsFunc(svc.Errors, func(e sdk.ErrorSpec) bool { return e.Code == code }) {
				fmt.Fprintf(&b, "\nthe modeled exception %s.exceptions.%s (members):\n", svc.Name, code)
				members(&b, s, "  ")
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// tableHelp describes a plain table by its keys and the kinds of their
// values.
func tableHelp(L *lua.LState, t *lua.LTable) string {
	keys := sortedKeys(t)
	if len(keys) == 0 {
		return "an empty table"
	}
	var b strings.Builder
	n := t.Len()
	if n > 0 && n == len(keys) {
		fmt.Fprintf(&b, "an array of %d: [1] is %s", n, kindOf(L, t.RawGetInt(1)))
		return b.String()
	}
	b.WriteString("a table with:\n")
	for i, k := range keys {
		if i == 100 {
			fmt.Fprintf(&b, "  ... %d more\n", len(keys)-i)
			break
		}
		if fn, ok := t.RawGet(k).(*lua.LFunction); ok {
			if use, ok := usageOf(fn); ok {
				fmt.Fprintf(&b, "  %s\n", use)
				continue
			}
		}
		fmt.Fprintf(&b, "  %s: %s\n", tostring(L, k), kindOf(L, t.RawGet(k)))
	}
	return strings.TrimRight(b.String(), "\n")
}

// kindOf names what a value is, in a few words.
func kindOf(L *lua.LState, v lua.LValue) string {
	switch v := v.(type) {
	case *lua.LTable:
		if L.GetMetatable(v) == L.GetTypeMetatable(exceptionType) {
			return "a modeled error; err:is(it) tells whether err is one"
		}
		if n := v.Len(); n > 0 {
			return fmt.Sprintf("an array of %d", n)
		}
		if n := countKeys(v); n != 1 {
			return fmt.Sprintf("a table of %d keys", n)
		}
		return "a table of 1 key"
	case *lua.LFunction:
		if use, ok := usageOf(v); ok {
			return use
		}
		return "a function"
	case *lua.LUserData:
		return tostring(L, v)
	}
	return v.Type().String()
}

// operationOf finds the operation and its service behind an operation
// function of the runtime's module.
func operationOf(L *lua.LState, fn *lua.LFunction) (*sdk.Operation, *sdk.Service, bool) {
	mod := moduleOf(L)
	for op, f := range mod.ops {
		if f == fn {
			return op, mod.opService[op], true
		}
	}
	return nil, nil, false
}

// moduleOf returns the aws module opened in L; an empty one when there is
// none, so that help() of a plain state still describes plain values.
func moduleOf(L *lua.LState) *module {
	if ud, ok := L.G.Registry.RawGetString(moduleKey).(*lua.LUserData); ok {
		if m, ok := ud.Value.(*module); ok {
			return m
		}
	}
	return &module{}
}

// actionHelp describes a resource action: the operation it calls, the
// members the resource fills in, and those the call takes.
func actionHelp(a resourceAction) string {
	var b strings.Builder
	svc := a.client.Service()
	opName := a.def.Request.Operation
	fmt.Fprintf(&b, "%s.%s:%s{...}  (%s %s)\n", svc.Name, a.typ, sdk.SnakeCase(a.name), svc.ID, opName)
	op, ok := svc.Operation(opName)
	if !ok {
		return b.String()
	}
	if link := op.ReferenceURL(); link != "" {
		b.WriteString(link + "\n")
	}
	var filled []string
	for _, p := range a.def.Request.Params {
		filled = append(filled, p.Target)
	}
	if len(filled) > 0 {
		fmt.Fprintf(&b, "\nthe resource fills in: %s\n", strings.Join(filled, ", "))
	}
	if in := op.InputShape(); in != nil && len(in.Members) > 0 {
		fmt.Fprintf(&b, "\nrequest %s (* required):\n", in.Name())
		members(&b, in, "  ")
	}
	switch {
	case a.def.Resource != nil:
		fmt.Fprintf(&b, "\nreturns: %s.%s\n", svc.Name, a.def.Resource.Type)
	case op.OutputShape() != nil && len(op.OutputShape().Members) > 0:
		fmt.Fprintf(&b, "\nreturns: the response, %s (help(client.%s) lists its members)\n", op.OutputShape().Name(), op.SnakeName)
	default:
		b.WriteString("\nreturns: the response, with ResponseMetadata only\n")
	}
	return b.String()
}
