package bindings

import (
	"fmt"
	"sort"

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
