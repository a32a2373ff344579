package bindings

import (
	"iter"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/model"
)

const (
	paginatorType    = "aws.Paginator"
	pageIteratorType = "aws.PageIterator"
	waiterType       = "aws.Waiter"
)

type paginator struct {
	c  *client
	op *sdk.Operation
}

// pageIterator is what paginate{...} returns: calling it yields the next
// page, so that it works in a generic for; a loop that ends starts the next
// loop from the first page again, as boto3's PageIterator does.
type pageIterator struct {
	p     *sdk.Paginator
	pages *puller[*sdk.Result]
}

func getPaginator(L *lua.LState) int {
	c := checkClient(L)
	name := L.CheckString(2)
	op, err := c.Operation(name)
	if err != nil {
		raise(L, err)
	}
	if !c.CanPaginate(op.Name) {
		L.RaiseError("%s operation %s cannot be paginated", c.ServiceName(), op.SnakeName)
	}
	L.Push(object(L, &paginator{c: c, op: op}, paginatorType))
	return 1
}

func registerPaging(L *lua.LState) {
	pmt := L.NewTypeMetatable(paginatorType)
	L.SetField(pmt, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"paginate": paginate,
	}))

	imt := L.NewTypeMetatable(pageIteratorType)
	L.SetField(imt, "__call", L.NewFunction(func(L *lua.LState) int {
		page, err, ok := checkIterator(L).pages.step()
		if err != nil {
			raise(L, err)
		}
		if !ok {
			L.Push(lua.LNil)
			return 1
		}
		L.Push(resultToLua(L, page))
		return 1
	}))
	L.SetField(imt, "__index", L.NewFunction(func(L *lua.LState) int {
		it := checkIterator(L)
		switch key := L.CheckString(2); key {
		case "resume_token":
			if tok := it.p.ResumeToken(); tok != "" {
				L.Push(lua.LString(tok))
			} else {
				L.Push(lua.LNil)
			}
		case "search":
			L.Push(L.NewFunction(search))
		case "build_full_result":
			L.Push(L.NewFunction(func(L *lua.LState) int {
				full, err := checkIterator(L).p.BuildFullResult(ctxOf(L))
				if err != nil {
					raise(L, err)
				}
				L.Push(toLua(L, full))
				return 1
			}))
		default:
			L.RaiseError("page iterator has no attribute %q", key)
		}
		return 1
	}))

	wmt := L.NewTypeMetatable(waiterType)
	L.SetField(wmt, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"wait": wait,
	}))
}

func checkIterator(L *lua.LState) *pageIterator {
	if it, ok := L.CheckUserData(1).Value.(*pageIterator); ok {
		return it
	}
	L.ArgError(1, "page iterator expected")
	return nil
}

// paginate(params) takes the operation's members and PaginationConfig.
func paginate(L *lua.LState) int {
	pg, ok := L.CheckUserData(1).Value.(*paginator)
	if !ok {
		L.ArgError(1, "paginator expected")
	}
	params := L.OptTable(2, L.NewTable())
	var cfg sdk.PaginationConfig
	if pc, ok := params.RawGetString("PaginationConfig").(*lua.LTable); ok {
		f := fields(L, pc, "PaginationConfig", "MaxItems", "PageSize", "StartingToken")
		cfg.MaxItems = int(lua.LVAsNumber(f["MaxItems"]))
		cfg.PageSize = int(lua.LVAsNumber(f["PageSize"]))
		cfg.StartingToken = str(f["StartingToken"])
	}
	in := withoutKey(params, "PaginationConfig")
	p, err := pg.c.Paginator(pg.op.Name, tableToGo(L, in, pg.op.InputShape()), cfg)
	if err != nil {
		raise(L, err)
	}
	it := &pageIterator{p: p}
	it.pages = &puller[*sdk.Result]{start: func() iter.Seq2[*sdk.Result, error] { return p.Pages(ctxOf(L)) }, restart: true}
	L.Push(object(L, it, pageIteratorType))
	return 1
}

// withoutKey returns a shallow copy of t without one key.
func withoutKey(t *lua.LTable, key string) *lua.LTable {
	c := &lua.LTable{}
	t.ForEach(func(k, v lua.LValue) {
		if lua.LVAsString(k) != key {
			c.RawSet(k, v)
		}
	})
	return c
}

// search(expr) returns an iterator over the JMESPath results of every page.
func search(L *lua.LState) int {
	it, expr := checkIterator(L), L.CheckString(2)
	results := &puller[any]{start: func() iter.Seq2[any, error] { return it.p.Search(ctxOf(L), expr) }}
	L.Push(L.NewFunction(func(L *lua.LState) int {
		v, err, _ := results.step()
		if err != nil {
			raise(L, err)
		}
		L.Push(toLua(L, v))
		return 1
	}))
	return 1
}

type waiter struct {
	c    *client
	name string
}

func getWaiter(L *lua.LState) int {
	c := checkClient(L)
	name := L.CheckString(2)
	found := false
	var names []string
	for _, w := range c.WaiterNames() {
		found = found || w == name || sdk.SnakeCase(w) == name
		names = append(names, sdk.SnakeCase(w))
	}
	if !found {
		L.RaiseError("%s has no waiter %q%s", c.ServiceName(), name, model.DidYouMean(name, names, 3))
	}
	L.Push(object(L, &waiter{c: c, name: name}, waiterType))
	return 1
}

// wait(params) takes the operation's members and WaiterConfig{Delay=seconds, MaxAttempts=n}.
func wait(L *lua.LState) int {
	w, ok := L.CheckUserData(1).Value.(*waiter)
	if !ok {
		L.ArgError(1, "waiter expected")
	}
	params := L.OptTable(2, L.NewTable())
	var cfg sdk.WaiterConfig
	if wc, ok := params.RawGetString("WaiterConfig").(*lua.LTable); ok {
		f := fields(L, wc, "WaiterConfig", "Delay", "MaxAttempts")
		cfg.Delay = seconds(f["Delay"])
		cfg.MaxAttempts = int(lua.LVAsNumber(f["MaxAttempts"]))
	}
	svc := w.c.Service()
	var shape *sdk.Shape
	for _, ws := range svc.Waiters {
		if ws.Name == w.name || sdk.SnakeCase(ws.Name) == w.name {
			op, _ := svc.Operation(ws.Operation)
			shape = op.InputShape()
		}
	}
	if err := w.c.Wait(ctxOf(L), w.name, tableToGo(L, withoutKey(params, "WaiterConfig"), shape), cfg); err != nil {
		raise(L, err)
	}
	return 0
}

func seconds(v lua.LValue) time.Duration {
	if n, ok := v.(lua.LNumber); ok {
		return time.Duration(float64(n) * float64(time.Second))
	}
	return 0
}

// generate_presigned_url(operation, {Params=, ExpiresIn=seconds}) returns a URL.
func presignURL(L *lua.LState) int {
	c := checkClient(L)
	op, err := c.Operation(L.CheckString(2))
	if err != nil {
		raise(L, err)
	}
	f := fields(L, L.OptTable(3, nil), "generate_presigned_url", "Params", "ExpiresIn", "HttpMethod")
	var in any
	if p, ok := f["Params"].(*lua.LTable); ok {
		in = tableToGo(L, p, op.InputShape())
	}
	expires := seconds(f["ExpiresIn"])
	if expires == 0 {
		expires = time.Hour // boto3's default
	}
	req, err := c.Presign(ctxOf(L), op.Name, in, expires)
	if err != nil {
		raise(L, err)
	}
	L.Push(lua.LString(req.URL))
	return 1
}

// generate_presigned_post(Bucket, Key, {Fields=, Conditions=, ExpiresIn=})
// returns {url=, fields=}, as boto3's S3 client does.
func presignPost(L *lua.LState) int {
	c := checkClient(L)
	bucket, key := L.CheckString(2), L.CheckString(3)
	f := fields(L, L.OptTable(4, nil), "generate_presigned_post", "Fields", "Conditions", "ExpiresIn")
	var form map[string]string
	if t, ok := f["Fields"].(*lua.LTable); ok {
		form = map[string]string{}
		t.ForEach(func(k, v lua.LValue) { form[lua.LVAsString(k)] = lua.LVAsString(v) })
	}
	var conditions []any
	if t, ok := f["Conditions"].(*lua.LTable); ok {
		conditions, _ = toGo(L, t, nil).([]any)
	}
	post, err := c.PresignPost(ctxOf(L), bucket, key, form, conditions, seconds(f["ExpiresIn"]))
	if err != nil {
		raise(L, err)
	}
	out := L.CreateTable(0, 2)
	out.RawSetString("url", lua.LString(post.URL))
	fieldsTable := L.CreateTable(0, len(post.Fields))
	for k, v := range post.Fields {
		fieldsTable.RawSetString(k, lua.LString(v))
	}
	out.RawSetString("fields", fieldsTable)
	L.Push(out)
	return 1
}
