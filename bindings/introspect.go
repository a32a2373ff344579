package bindings

import (
	"fmt"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
)

// Fields returns the names that follow v. or v: for completion: a table's
// keys and those of its __index table, and for the module's objects their
// attributes and methods (a client's operations among them).
func Fields(L *lua.LState, v lua.LValue) []string {
	var names []string
	add := func(t *lua.LTable) {
		t.ForEach(func(k, _ lua.LValue) {
			if s, ok := k.(lua.LString); ok {
				names = append(names, string(s))
			}
		})
	}
	if t, ok := v.(*lua.LTable); ok {
		add(t)
	}
	if ud, ok := v.(*lua.LUserData); ok {
		switch x := ud.Value.(type) {
		case *client:
			names = append(names, "meta", "exceptions", "waiter_names")
			for _, op := range x.Service().Operations {
				names = append(names, op.SnakeName)
			}
		case *sdk.Session:
			names = append(names, "region_name", "profile_name")
		case *pageIterator:
			names = append(names, "resume_token", "search", "build_full_result")
		}
	}
	if mt, ok := L.GetMetatable(v).(*lua.LTable); ok {
		if idx, ok := mt.RawGetString("__index").(*lua.LTable); ok {
			add(idx)
		}
	}
	sort.Strings(names)
	return slicesCompact(names)
}

func slicesCompact(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// InputMembers returns the request member names of a client's operation,
// for completion inside its table argument.
func InputMembers(v lua.LValue, operation string) []string {
	c, ok := asClient(v)
	if !ok {
		return nil
	}
	op, err := c.Operation(operation)
	if err != nil {
		return nil
	}
	var names []string
	for _, m := range op.InputShape().Members {
		names = append(names, m.Name)
	}
	sort.Strings(names)
	return names
}

func asClient(v lua.LValue) (*client, bool) {
	ud, ok := v.(*lua.LUserData)
	if !ok {
		return nil, false
	}
	c, ok := ud.Value.(*client)
	return c, ok
}

// Help describes a value for the REPL's help(): an operation's summary and
// request members, a client's operations, the attributes and methods of the
// module's objects.
func Help(L *lua.LState, v lua.LValue) string {
	if fn, ok := v.(*lua.LFunction); ok {
		if op, c, ok := operationOf(L, fn); ok {
			return operationHelp(c, op)
		}
	}
	if ud, ok := v.(*lua.LUserData); ok {
		switch x := ud.Value.(type) {
		case *client:
			return clientHelp(x)
		case *sdk.Session:
			return "aws.Session: region_name, profile_name; client(name, {region_name=, endpoint_url=, config=}),\n" +
				"get_available_services(), get_credentials()"
		case *paginator:
			return fmt.Sprintf("paginator of %s: paginate{...members..., PaginationConfig={MaxItems=, PageSize=, StartingToken=}}", x.op.SnakeName)
		case *pageIterator:
			return "page iterator: for page in it do ... end; it:search(jmespath); it:build_full_result(); it.resume_token"
		case *waiter:
			return fmt.Sprintf("waiter %s: wait{...members..., WaiterConfig={Delay=seconds, MaxAttempts=n}}", x.name)
		case *stream:
			return "streaming body: read([n]), lines(), iter_chunks([size]), close()"
		}
	}
	if v == L.GetGlobal("aws") {
		return "aws: Session{...}, client(name, {...}), setup_default_session{...}, inspect(v), json.encode/decode, base64.encode/decode\n" +
			"try: s3 = aws.client(\"s3\"); help(s3); help(s3.list_objects_v2)"
	}
	if t, ok := v.(*lua.LTable); ok && t.RawGetString("code") != lua.LNil && L.GetMetatable(t) == L.GetTypeMetatable(errorType) {
		return "AWS error: code, message, operation, status_code, request_id, retry_attempts; err:is(client.exceptions.X)"
	}
	names := Fields(L, v)
	if len(names) == 0 {
		return fmt.Sprintf("a %s", v.Type())
	}
	return fmt.Sprintf("a %s with: %s", v.Type(), strings.Join(names, ", "))
}

// operationOf finds the operation and a client of the runtime's module
// behind an operation function.
func operationOf(L *lua.LState, fn *lua.LFunction) (*sdk.Operation, *sdk.Service, bool) {
	m, ok := L.G.Registry.RawGetString(moduleKey).(*lua.LUserData)
	if !ok {
		return nil, nil, false
	}
	mod := m.Value.(*module)
	for op, f := range mod.ops {
		if f == fn {
			return op, mod.opService[op], true
		}
	}
	return nil, nil, false
}

func clientHelp(c *client) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s client (%s, %s): %d operations; help(client.operation) describes one\n",
		c.ServiceName(), c.Region(), c.EndpointURL(), len(c.Service().Operations))
	names := make([]string, 0, len(c.Service().Operations))
	for _, op := range c.Service().Operations {
		names = append(names, op.SnakeName)
	}
	columns(&b, names)
	if w := c.WaiterNames(); len(w) > 0 {
		for i := range w {
			w[i] = sdk.SnakeCase(w[i])
		}
		fmt.Fprintf(&b, "waiters: %s\n", strings.Join(w, ", "))
	}
	b.WriteString("also: meta, exceptions, can_paginate(op), get_paginator(op), get_waiter(name), generate_presigned_url(op, {Params=}), generate_presigned_post(bucket, key) on s3")
	return b.String()
}

// columns writes names in columns 80 wide.
func columns(b *strings.Builder, names []string) {
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	width += 2
	per := max(1, 80/width)
	for i, n := range names {
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
	required := map[string]bool{}
	for _, r := range op.InputShape().Required() {
		required[r] = true
	}
	members := op.InputShape().Members
	if len(members) > 0 {
		b.WriteString("\nrequest members (* required):\n")
	}
	for _, m := range members {
		mark := " "
		if required[m.Name] {
			mark = "*"
		}
		line := fmt.Sprintf("  %s %s: %s", mark, m.Name, typeName(m.Shape))
		if len(line) > 118 {
			line = line[:115] + "..."
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// typeName describes a member's shape: "string", "list of Tag", "enum
// (STANDARD, GLACIER, ...)".
func typeName(s *sdk.Shape) string {
	switch s.Kind {
	case sdk.KindList:
		return "list of " + typeName(s.Elem)
	case sdk.KindMap:
		return "map of " + typeName(s.Elem)
	case sdk.KindStructure, sdk.KindUnion:
		return s.Name()
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

// Preview renders a page iterator by its first page only, for a REPL that
// prints one without fetching everything. It reports false for any other
// value.
func Preview(L *lua.LState, v lua.LValue, opts InspectOptions) (string, bool) {
	ud, ok := v.(*lua.LUserData)
	if !ok {
		return "", false
	}
	it, ok := ud.Value.(*pageIterator)
	if !ok {
		return "", false
	}
	const shown = 10
	for page, err := range it.p.Pages(ctxOf(L)) {
		if err != nil {
			return fmt.Sprintf("<page iterator: the first page failed: %v>", err), true
		}
		items := it.p.PageItems(page)
		t := L.CreateTable(min(len(items), shown), 0)
		for _, item := range items[:min(len(items), shown)] {
			t.Append(toLua(L, item))
		}
		more := "all of the first page"
		if len(items) > shown {
			more = fmt.Sprintf("%d of the first page's %d", shown, len(items))
		}
		return fmt.Sprintf("%s\n-- %s items; for all pages: for page in _ do ... end, or _:build_full_result()",
			Inspect(L, t, opts), more), true
	}
	return "<page iterator: no pages>", true
}
