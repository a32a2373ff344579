package bindings

import (
	"context"
	"fmt"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/resourcemodel"
)

// module is the state of the aws module in one LState.
type module struct {
	// base is the default session, made on first use when nil.
	base *sdk.Session
	// sessionOptions apply to every session a script makes, before its own.
	sessionOptions []sdk.Option
	// restrict applies the embedding program's policy to every session, so
	// that a script cannot escape it by making a session of its own.
	restrict func(*sdk.Session) *sdk.Session
	ops      map[*sdk.Operation]*lua.LFunction
	// opService is the service of each operation in ops, for help().
	opService map[*sdk.Operation]*sdk.Service
	// actions hold one function for each resource action of the model,
	// shared by all resources of its type; actionOf tells help() which
	// action a function is.
	actions  map[*resourcemodel.ActionDef]*lua.LFunction
	actionOf map[*lua.LFunction]resourceAction
	// resourceIndexes and collectionMethods are shared by all resources
	// and collections.
	resourceIndexes   map[string]resourceIndex
	collectionMethods map[string]*lua.LFunction
	// results remembers the response shape of the latest results, for
	// completion of their fields where the value is not there (an empty
	// list's first element).
	results resultShapes
	// meter shows the progress of transfers, when set.
	meter func(label string) Meter
	// noFiles refuses what reads files from Lua (aws.resource_model.load)
	// when the runtime has no io library.
	noFiles bool
}

// moduleKey is where the module keeps itself in the registry, for help().
const moduleKey = "awslua.module"

// Open loads the aws module into L, as the global aws and for
// require("aws"), with sess as the default session (nil: the standard
// chain, on first use). It also makes the loadstring, load, loadfile,
// dofile and require that L has compile through Load; L.DoString and
// L.DoFile do not, so compile with Load what the program runs itself.
func Open(L *lua.LState, sess *sdk.Session) {
	open(L, &module{base: sess})
}

func open(L *lua.LState, m *module) {
	if m.restrict == nil {
		m.restrict = func(s *sdk.Session) *sdk.Session { return s }
	}
	m.ops = map[*sdk.Operation]*lua.LFunction{}
	m.opService = map[*sdk.Operation]*sdk.Service{}
	m.resourceIndexes = map[string]resourceIndex{}
	m.actions = map[*resourcemodel.ActionDef]*lua.LFunction{}
	m.actionOf = map[*lua.LFunction]resourceAction{}
	L.G.Registry.RawSetString(moduleKey, &lua.LUserData{Value: m})
	registerTimestamp(L)
	registerInt64(L)
	registerStream(L)
	registerEventStream(L)
	registerErrors(L)
	registerExceptions(L)
	m.registerSession(L)
	m.registerClient(L)
	registerPaging(L)
	m.registerResource(L)

	aws := L.NewTable()
	L.SetFuncs(aws, map[string]lua.LGFunction{
		"Session": m.luaNewSession,
		"client": func(L *lua.LState) int {
			return m.client(L, m.defaultSession(L), 1)
		},
		"resource": func(L *lua.LState) int {
			return m.resource(L, m.defaultSession(L), 1)
		},
		"setup_default_session": func(L *lua.LState) int {
			m.base = m.newSession(L, L.OptTable(1, L.NewTable()))
			return 0
		},
		"inspect":   luaInspect,
		"timestamp": luaTimestamp, // values.go
	})
	aws.RawSetString("json", jsonModule(L))
	aws.RawSetString("base64", base64Module(L))
	aws.RawSetString("dynamodb", dynamodbModule(L)) // dynamodb.go
	models := resourceModelModule(L)
	if m.noFiles {
		models.RawSetString("load", L.NewFunction(func(L *lua.LState) int {
			L.RaiseError("aws.resource_model.load reads files, and this runtime has no file access")
			return 0
		}))
	}
	aws.RawSetString("resource_model", models)
	fsMod, checksum := filesModules(L, !m.noFiles)
	aws.RawSetString("fs", fsMod)
	aws.RawSetString("checksum", checksum)
	describeModule(L, aws)
	L.SetGlobal("aws", aws)
	preload(L, "aws", aws)
	installLoaders(L) // compile.go
}

// preload makes require(name) return mod, with or without the package
// library.
func preload(L *lua.LState, name string, mod lua.LValue) {
	if pkg, ok := L.GetGlobal("package").(*lua.LTable); ok {
		if loaded, ok := L.GetField(pkg, "loaded").(*lua.LTable); ok {
			loaded.RawSetString(name, mod)
		}
	}
}

func ctxOf(L *lua.LState) context.Context {
	if ctx := L.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// fields reads a table of options, raising an error that names any key
// that is not one of known.
func fields(L *lua.LState, t *lua.LTable, what string, known ...string) map[string]lua.LValue {
	out := map[string]lua.LValue{}
	if t == nil {
		return out
	}
	t.ForEach(func(k, v lua.LValue) {
		key := lua.LVAsString(k)
		for _, n := range known {
			if n == key {
				out[key] = v
				return
			}
		}
		L.RaiseError("%s has no option %q; the options are: %s", what, key, strings.Join(known, ", "))
	})
	return out
}

func str(v lua.LValue) string {
	if v == nil || v == lua.LNil {
		return ""
	}
	return lua.LVAsString(v)
}

// Sessions.

const sessionType = "aws.Session"

func (m *module) registerSession(L *lua.LState) {
	mt := L.NewTypeMetatable(sessionType)
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"client":   func(L *lua.LState) int { return m.client(L, checkSession(L), 2) },
		"resource": func(L *lua.LState) int { return m.resource(L, checkSession(L), 2) },
		"get_available_resources": func(L *lua.LState) int {
			L.Push(stringArray(L, checkSession(L).AvailableResources()))
			return 1
		},
		"get_available_services": func(L *lua.LState) int {
			L.Push(stringArray(L, checkSession(L).AvailableServices()))
			return 1
		},
		"get_credentials": func(L *lua.LState) int {
			info, err := checkSession(L).Credentials(ctxOf(L))
			if err != nil {
				raise(L, err)
			}
			t := L.NewTable()
			t.RawSetString("access_key", lua.LString(info.AccessKey))
			t.RawSetString("method", lua.LString(info.Method))
			if !info.Expires.IsZero() {
				t.RawSetString("expiry_time", newTimestamp(L, info.Expires))
			}
			L.Push(t)
			return 1
		},
	})
	L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
		s := checkSession(L)
		switch key := L.CheckString(2); key {
		case "region_name":
			L.Push(lua.LString(s.Region()))
		case "profile_name":
			L.Push(lua.LString(s.Profile()))
		default:
			L.Push(methods.RawGetString(key))
		}
		return 1
	}))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(checkSession(L).String()))
		return 1
	}))
}

func checkSession(L *lua.LState) *sdk.Session {
	if s, ok := L.CheckUserData(1).Value.(*sdk.Session); ok {
		return s
	}
	L.ArgError(1, "session expected")
	return nil
}

func (m *module) luaNewSession(L *lua.LState) int {
	L.Push(object(L, m.newSession(L, L.OptTable(1, L.NewTable())), sessionType))
	return 1
}

func (m *module) newSession(L *lua.LState, t *lua.LTable) *sdk.Session {
	f := fields(L, t, "aws.Session", sessionOptions...)
	opts := append([]sdk.Option{}, m.sessionOptions...)
	if p := str(f["profile_name"]); p != "" {
		opts = append(opts, sdk.WithProfile(p))
	}
	if r := str(f["region_name"]); r != "" {
		opts = append(opts, sdk.WithRegion(r))
	}
	if ak := str(f["aws_access_key_id"]); ak != "" {
		opts = append(opts, sdk.WithCredentials(ak, str(f["aws_secret_access_key"]), str(f["aws_session_token"])))
	}
	if u := str(f["endpoint_url"]); u != "" {
		opts = append(opts, sdk.WithEndpointURL(u))
	}
	s, err := sdk.NewSession(ctxOf(L), opts...)
	if err != nil {
		raise(L, err)
	}
	return m.restrict(s)
}

func (m *module) defaultSession(L *lua.LState) *sdk.Session {
	if m.base == nil {
		m.base = m.newSession(L, nil)
	}
	return m.restrict(m.base)
}

func stringArray(L *lua.LState, ss []string) *lua.LTable {
	t := L.CreateTable(len(ss), 0)
	for _, s := range ss {
		t.Append(lua.LString(s))
	}
	return t
}

// Clients.

// client makes a client of sess from the arguments at n: a service name and
// an optional table of options, as boto3's session.client takes them.
func (m *module) client(L *lua.LState, sess *sdk.Session, n int) int {
	name := L.CheckString(n)
	sess, opts := m.clientArgs(L, sess, L.OptTable(n+1, nil), "client")
	c, err := sess.Client(name, opts)
	if err != nil {
		raise(L, err)
	}
	L.Push(object(L, &client{Client: c}, clientType))
	return 1
}

// clientArgs reads the options that boto3's session.client and
// session.resource both take, the one place for both: the session to make
// the client of (another one when keys are given) and the client's options.
func (m *module) clientArgs(L *lua.LState, sess *sdk.Session, t *lua.LTable, what string) (*sdk.Session, func(*sdk.ClientOptions)) {
	f := fields(L, t, what, clientOptions...)
	if u := str(f["endpoint_url"]); u != "" {
		// Here, where it is given, not on the first call.
		if err := sdk.CheckEndpointURL(u); err != nil {
			raise(L, err)
		}
	}
	if str(f["aws_access_key_id"]) != "" {
		t := L.NewTable()
		for _, k := range []string{"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "region_name"} {
			if v, ok := f[k]; ok {
				t.RawSetString(k, v)
			}
		}
		// Only the keys change, as in boto3: the client keeps the session's
		// region and endpoint, which a session made from the keys alone
		// would lose (and then fail for want of a region).
		if _, ok := f["region_name"]; !ok && sess.Region() != "" {
			t.RawSetString("region_name", lua.LString(sess.Region()))
		}
		if u := sess.EndpointURL(); u != "" {
			t.RawSetString("endpoint_url", lua.LString(u))
		}
		sess = m.newSession(L, t)
	}
	var o sdk.ClientOptions
	o.Region = str(f["region_name"])
	o.EndpointURL = str(f["endpoint_url"])
	if cfg, ok := f["config"].(*lua.LTable); ok {
		clientConfig(L, cfg, &o)
	}
	verify(L, f["verify"], &o)
	if o.CABundle != "" && m.noFiles {
		// A CA bundle is a file, and this runtime promises no file access.
		L.RaiseError("verify = %q reads a file, and this runtime has no file access", o.CABundle)
	}
	return sess, func(opts *sdk.ClientOptions) { *opts = o }
}

// verify reads boto3's verify option: false skips checking the server's
// certificate, a string is a CA bundle to trust, true or nil the default.
func verify(L *lua.LState, v lua.LValue, o *sdk.ClientOptions) {
	switch v := v.(type) {
	case nil, *lua.LNilType:
	case lua.LBool:
		o.NoVerifySSL = !bool(v)
	case lua.LString:
		o.CABundle = string(v)
	default:
		L.RaiseError("verify must be false, true or the path of a CA bundle, not %s (a %s)", quoted(v), v.Type())
	}
}

// clientConfig reads botocore's Config options that the sdk supports.
func clientConfig(L *lua.LState, t *lua.LTable, o *sdk.ClientOptions) {
	f := fields(L, t, "config", "retries", "connect_timeout", "read_timeout", "s3", "region_name",
		"request_min_compression_size_bytes", "disable_request_compression")
	if r, ok := f["retries"].(*lua.LTable); ok {
		rf := fields(L, r, "config.retries", "max_attempts", "total_max_attempts", "mode")
		if n, ok := number(L, rf["max_attempts"], "config.retries.max_attempts"); ok {
			o.MaxAttempts = int(n) + 1 // boto3 counts retries here
		}
		if n, ok := number(L, rf["total_max_attempts"], "config.retries.total_max_attempts"); ok {
			o.MaxAttempts = int(n)
		}
		o.RetryMode = str(rf["mode"])
	}
	if n, ok := timeout(L, f["connect_timeout"], "config.connect_timeout"); ok {
		o.ConnectTimeout = seconds(n)
	}
	if n, ok := timeout(L, f["read_timeout"], "config.read_timeout"); ok {
		o.ReadTimeout = seconds(n)
	}
	if s3, ok := f["s3"].(*lua.LTable); ok {
		o.S3AddressingStyle = str(fields(L, s3, "config.s3", "addressing_style")["addressing_style"])
	}
	if r := str(f["region_name"]); r != "" && o.Region == "" {
		o.Region = r
	}
	if n, ok := number(L, f["request_min_compression_size_bytes"], "config.request_min_compression_size_bytes"); ok {
		if n != lua.LNumber(int64(n)) || n < 1 {
			L.RaiseError("config.request_min_compression_size_bytes is %v: it must be a whole number of bytes from 1 to 1048576", n)
		}
		o.RequestMinCompressionSizeBytes = int64(n)
	}
	switch v := f["disable_request_compression"].(type) {
	case nil, *lua.LNilType:
	case lua.LBool:
		b := bool(v)
		o.DisableRequestCompression = &b
	default:
		L.RaiseError("config.disable_request_compression must be true or false, not %s (a %s)", quoted(v), v.Type())
	}
}

// number reads an optional numeric option, raising an error that names it
// when it is something else.
func number(L *lua.LState, v lua.LValue, name string) (lua.LNumber, bool) {
	switch n := v.(type) {
	case nil, *lua.LNilType:
		return 0, false
	case lua.LNumber:
		return n, true
	}
	L.RaiseError("%s must be a number, not %s (a %s)", name, quoted(v), v.Type())
	return 0, false
}

// timeout reads an optional timeout in seconds, which must be more than 0,
// as botocore's Config requires.
func timeout(L *lua.LState, v lua.LValue, name string) (lua.LNumber, bool) {
	n, ok := number(L, v, name)
	if ok && !(n > 0) {
		L.RaiseError("%s is %v: a timeout must be a number of seconds more than 0", name, n)
	}
	return n, ok
}

// quoted shows a value in an error message: strings quoted, others as
// tostring shows them.
func quoted(v lua.LValue) string {
	if s, ok := v.(lua.LString); ok {
		return fmt.Sprintf("%q", string(s))
	}
	return v.String()
}

// metaConfig is client.meta.config: what the client runs with, defaults
// included, in boto3's names. max_attempts counts retries, as the option
// does; total_max_attempts counts every attempt.
func metaConfig(L *lua.LState, c sdk.ClientConfig) *lua.LTable {
	t := L.NewTable()
	t.RawSetString("region_name", lua.LString(c.RegionName))
	t.RawSetString("connect_timeout", lua.LNumber(c.ConnectTimeout.Seconds()))
	t.RawSetString("read_timeout", lua.LNumber(c.ReadTimeout.Seconds()))
	t.RawSetString("signature_version", lua.LString(c.SignatureVersion))
	t.RawSetString("request_min_compression_size_bytes", lua.LNumber(c.RequestMinCompressionSizeBytes))
	t.RawSetString("disable_request_compression", lua.LBool(c.DisableRequestCompression))
	r := L.NewTable()
	r.RawSetString("mode", lua.LString(c.RetryMode))
	r.RawSetString("max_attempts", lua.LNumber(c.MaxAttempts-1))
	r.RawSetString("total_max_attempts", lua.LNumber(c.MaxAttempts))
	t.RawSetString("retries", r)
	return t
}

type client struct {
	*sdk.Client
	exceptions *lua.LTable
}

const clientType = "aws.client"

func checkClient(L *lua.LState) *client {
	if c, ok := L.CheckUserData(1).Value.(*client); ok {
		return c
	}
	L.ArgError(1, "client expected; call operations with a colon: client:operation{...}")
	return nil
}

// clientMethods are the methods every client has besides its operations.
var clientMethods = map[string]lua.LGFunction{
	"can_paginate": func(L *lua.LState) int {
		L.Push(lua.LBool(checkClient(L).CanPaginate(L.CheckString(2))))
		return 1
	},
	"get_paginator":           getPaginator,
	"get_waiter":              getWaiter,
	"generate_presigned_url":  presignURL,
	"generate_presigned_post": presignPost,
	"get_available_paginators": func(L *lua.LState) int {
		names := checkClient(L).PaginatorNames()
		for i, n := range names {
			names[i] = sdk.SnakeCase(n)
		}
		L.Push(stringArray(L, names))
		return 1
	},
}

// clientFields are the fields every client has besides its methods.
var clientFields = []string{"meta", "exceptions", "waiter_names"}

func (m *module) registerClient(L *lua.LState) {
	mt := L.NewTypeMetatable(clientType)
	methods := L.SetFuncs(L.NewTable(), clientMethods)
	describe(L, methods, usesByName(append(clientHelpers, s3Helpers...)...))
	L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
		c := checkClient(L)
		key := L.CheckString(2)
		if f := methods.RawGetString(key); f != lua.LNil {
			L.Push(f)
			return 1
		}
		if f := m.clientTransfer(L, c, key); f != nil {
			L.Push(f)
			return 1
		}
		switch key {
		case "meta":
			t := L.NewTable()
			t.RawSetString("service_name", lua.LString(c.ServiceName()))
			t.RawSetString("region_name", lua.LString(c.Region()))
			t.RawSetString("endpoint_url", lua.LString(c.EndpointURL()))
			t.RawSetString("config", metaConfig(L, c.Config()))
			L.Push(t)
		case "exceptions":
			if c.exceptions == nil {
				c.exceptions = exceptions(L, c.Errors())
			}
			L.Push(c.exceptions)
		case "waiter_names":
			names := c.WaiterNames()
			for i, n := range names {
				names[i] = sdk.SnakeCase(n)
			}
			sort.Strings(names)
			L.Push(stringArray(L, names))
		default:
			op, err := c.Operation(key)
			if err != nil {
				L.RaiseError("%s client has no attribute %q: %v", c.ServiceName(), key, err)
			}
			L.Push(m.operation(L, c.Service(), op))
		}
		return 1
	}))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		c := checkClient(L)
		L.Push(lua.LString(fmt.Sprintf("<%s client, %s>", c.ServiceName(), c.Region())))
		return 1
	}))
}

// operation returns the Lua function of an operation, made once per LState
// and shared by every client of the service: it takes the client as self.
func (m *module) operation(L *lua.LState, svc *sdk.Service, op *sdk.Operation) *lua.LFunction {
	if f, ok := m.ops[op]; ok {
		return f
	}
	shape := op.InputShape()
	f := L.NewFunction(func(L *lua.LState) int {
		c := checkClient(L)
		var in any
		if t := L.OptTable(2, nil); t != nil {
			in = tableToGo(L, t, shape)
		}
		res, err := c.Invoke(ctxOf(L), op.Name, in)
		if err != nil {
			raise(L, err)
		}
		out := resultToLua(L, res)
		m.results.add(out, op.OutputShape())
		L.Push(out)
		return 1
	})
	m.ops[op] = f
	m.opService[op] = svc
	return f
}
