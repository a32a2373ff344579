package bindings

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"
)

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
