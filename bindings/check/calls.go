package check

import (
	"maps"
	"slices"
	"strings"

	"github.com/yuin/gopher-lua/ast"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/model"
	"github.com/awslua/awslua/sdk/resourcemodel"
)

// index resolves obj.key (or the method of obj:key()) as the runtime's
// __index would, reporting a name the runtime would refuse.
func (c *checker) index(obj *value, key string, at ast.Expr) *value {
	line := at.Line()
	switch obj.kind {
	case awsModule:
		switch key {
		case "client", "resource", "Session", "setup_default_session":
			return &value{kind: builtin, name: key}
		}
	case session:
		switch key {
		case "client", "resource":
			return &value{kind: builtin, name: key}
		}
	case client:
		if slices.Contains(bindings.ClientMethods(obj.svc.Name), key) {
			return &value{kind: method, name: key, recv: obj}
		}
		op, err := obj.svc.LookupOperation(key)
		if err != nil {
			c.report(line, key, "%s client has no attribute %q: %v", obj.svc.Name, key, err)
			return unknownValue
		}
		return &value{kind: method, name: "operation", recv: obj, op: op}
	case paginator, waiter:
		if key == "paginate" && obj.kind == paginator || key == "wait" && obj.kind == waiter {
			return &value{kind: method, name: key, recv: obj}
		}
	case resource:
		members := bindings.ResourceMembers(obj.res)
		m, ok := members[key]
		if !ok {
			names := make([]string, 0, len(members))
			for n := range members {
				names = append(names, n)
			}
			c.report(line, key, "%s has no attribute %q%s", typeName(obj.res), key, didYouMean(key, names))
			return unknownValue
		}
		def := obj.res.Def()
		switch m.Kind {
		case "reference":
			if h := def.Has[m.Name]; h != nil && !plural(h.Resource) {
				if r, ok := obj.res.OfType(h.Resource.Type); ok {
					return &value{kind: resource, res: r}
				}
			}
		case "collection":
			v := &value{kind: collection, name: m.Name, res: obj.res}
			if h := def.HasMany[m.Name]; h != nil {
				v.item, _ = obj.res.OfType(h.Resource.Type)
			}
			return v
		case "identifier", "attribute":
		default:
			if key == "meta" {
				return &value{kind: resourceMeta, res: obj.res}
			}
			return &value{kind: method, name: key, recv: obj, res: obj.res}
		}
	case resourceMeta:
		if key == "client" {
			return &value{kind: client, svc: obj.res.Client().Service()}
		}
	case collection:
		methods := bindings.CollectionMethods()
		if slices.Contains(methods, key) {
			return &value{kind: method, name: key, recv: obj}
		}
		if obj.item != nil {
			for _, b := range slices.Sorted(maps.Keys(obj.item.Def().BatchActions)) {
				if sdk.SnakeCase(b) == key {
					return &value{kind: method, name: "batch", recv: obj, res: obj.item, op: c.operation(obj.item, obj.item.Def().BatchActions[b].Request.Operation)}
				}
				methods = append(methods, sdk.SnakeCase(b))
			}
			c.report(line, key, "collection %s has no attribute %q%s", obj.name, key, didYouMean(key, methods))
		}
	}
	return unknownValue
}

// call checks a call and returns what it makes.
func (c *checker) call(e *ast.FuncCallExpr) *value {
	var fn *value
	if e.Method != "" {
		recv := c.expr(e.Receiver)
		if recv.kind == unknown {
			if _, lit := e.Receiver.(*ast.StringExpr); !lit {
				c.count(false)
			}
		}
		fn = c.index(recv, e.Method, e)
	} else {
		fn = c.expr(e.Func)
		if id, ok := e.Func.(*ast.IdentExpr); ok && id.Value == "require" && c.scope.lookup("require") == nil && len(e.Args) == 1 {
			if s, ok := e.Args[0].(*ast.StringExpr); ok && s.Value == "aws" {
				return &value{kind: awsModule}
			}
		}
	}
	for _, a := range e.Args {
		c.expr(a)
	}
	switch fn.kind {
	case builtin:
		return c.builtin(fn, e)
	case method:
		if e.Method == "" {
			// obj.method(obj, ...): the arguments after self are the
			// method's; with no self the runtime refuses the call.
			if len(e.Args) == 0 {
				return unknownValue
			}
			shifted := *e
			shifted.Args = e.Args[1:]
			e = &shifted
		}
		c.count(true)
		return c.method(fn, e)
	}
	return unknownValue
}

// count counts a call to AWS that the check followed, or one it could
// not.
func (c *checker) count(resolved bool) {
	if !c.collect {
		return
	}
	if resolved {
		c.rep.Checked++
	} else {
		c.rep.Unresolved++
	}
}

// name returns the literal string of argument i, or false.
func name(e *ast.FuncCallExpr, i int) (string, bool) {
	if i >= len(e.Args) {
		return "", false
	}
	s, ok := e.Args[i].(*ast.StringExpr)
	if !ok {
		return "", false
	}
	return s.Value, true
}

func (c *checker) builtin(fn *value, e *ast.FuncCallExpr) *value {
	switch fn.name {
	case "Session", "setup_default_session":
		c.count(true)
		c.options("aws.Session", bindings.OptionNames("Session"), e, 0)
		if fn.name == "Session" {
			return &value{kind: session}
		}
		return unknownValue
	}
	c.options(fn.name, bindings.OptionNames(fn.name), e, 1)
	svcName, ok := name(e, 0)
	if !ok {
		c.count(false)
		return unknownValue
	}
	c.count(true)
	if _, err := model.Load(svcName); err != nil {
		c.report(e.Line(), svcName, "%v", err)
		return unknownValue
	}
	if fn.name == "client" {
		svc, ok := sdk.LookupService(svcName)
		if !ok {
			return unknownValue
		}
		return &value{kind: client, svc: svc}
	}
	r, err := sdk.StaticResource(svcName)
	if err != nil {
		c.report(e.Line(), svcName, "%v", err)
		return unknownValue
	}
	return &value{kind: resource, res: r}
}

// presignParams checks the Params of generate_presigned_url(op, {Params=
// {...}}) as the operation's input, which the URL is signed for.
func (c *checker) presignParams(op *sdk.Operation, e *ast.FuncCallExpr) {
	if len(e.Args) < 2 {
		c.input(op, nil, e, nil, nil)
		return
	}
	opts, ok := e.Args[1].(*ast.TableExpr)
	if !ok {
		return
	}
	var params ast.Expr
	for _, f := range opts.Fields {
		key, ok := f.Key.(*ast.StringExpr)
		if !ok {
			return // a key known only at run time may be Params
		}
		if key.Value == "Params" {
			params = f.Value
		}
	}
	c.input(op, params, e, nil, nil)
}

// options reports the keys of a literal table of options (argument i of
// e) that the runtime refuses.
func (c *checker) options(what string, known []string, e *ast.FuncCallExpr, i int) {
	if i >= len(e.Args) {
		return
	}
	t, ok := e.Args[i].(*ast.TableExpr)
	if !ok {
		return
	}
	brace := -1
	if i == 0 {
		brace = c.tokens.argTable(e)
	}
	toks, aligned := c.tokens.fields(brace)
	aligned = aligned && len(toks) == len(t.Fields)
	for j, f := range t.Fields {
		key, ok := f.Key.(*ast.StringExpr)
		if !ok || slices.Contains(known, key.Value) {
			continue
		}
		at := c.tokens.near(f.Value.Line(), key.Value)
		if aligned && toks[j].key >= 0 {
			at = c.tokens.at(toks[j].key)
		}
		c.reportAt(at, "%s has no option %q; the options are: %s", what, key.Value, strings.Join(known, ", "))
	}
}

// transferOperations are the operations the transfer methods call, for
// the read-only policy.
var transferOperations = map[string]string{
	"upload_file": "PutObject", "upload_fileobj": "PutObject", "copy": "CopyObject",
	"download_file": "GetObject", "download_fileobj": "GetObject",
	"batch_writer": "BatchWriteItem",
}

func (c *checker) method(fn *value, e *ast.FuncCallExpr) *value {
	recv := fn.recv
	line := e.Line()
	var arg ast.Expr
	if len(e.Args) > 0 {
		arg = e.Args[0]
	}
	switch recv.kind {
	case client:
		svc := recv.svc
		switch fn.name {
		case "operation":
			c.input(fn.op, arg, e, nil, nil)
			c.readOnly(fn.op, e)
		case "get_paginator", "get_waiter", "generate_presigned_url", "can_paginate":
			opName, ok := name(e, 0)
			if !ok {
				c.count(false)
				return unknownValue
			}
			if fn.name == "get_waiter" {
				for _, w := range svc.Waiters {
					if w.Name == opName || sdk.SnakeCase(w.Name) == opName {
						op, _ := svc.Operation(w.Operation)
						return &value{kind: waiter, svc: svc, op: op}
					}
				}
				names := make([]string, len(svc.Waiters))
				for i, w := range svc.Waiters {
					names[i] = sdk.SnakeCase(w.Name)
				}
				c.report(line, opName, "%s has no waiter %q%s", svc.Name, opName, didYouMean(opName, names))
				return unknownValue
			}
			if fn.name == "can_paginate" {
				return unknownValue
			}
			op, err := svc.LookupOperation(opName)
			if err != nil {
				c.report(line, opName, "%v", err)
				return unknownValue
			}
			if fn.name == "generate_presigned_url" {
				c.readOnly(op, e)
				c.presignParams(op, e)
				return unknownValue
			}
			if !slices.ContainsFunc(svc.Paginators, func(p sdk.PaginatorSpec) bool { return p.Operation == op.Name }) {
				c.report(line, opName, "%s operation %s cannot be paginated", svc.Name, op.SnakeName)
				return unknownValue
			}
			return &value{kind: paginator, svc: svc, op: op}
		default:
			if op, ok := transferOperations[fn.name]; ok {
				c.readOnly(c.operationOf(svc, op), e)
			}
		}
	case paginator:
		c.input(recv.op, arg, e, []string{"PaginationConfig"}, nil)
		c.readOnly(recv.op, e)
		return &value{kind: pageIterator, svc: recv.svc, op: recv.op}
	case waiter:
		if recv.op != nil {
			c.input(recv.op, arg, e, []string{"WaiterConfig"}, nil)
		}
	case resource:
		return c.resourceMethod(fn, e, arg)
	case collection:
		switch fn.name {
		case "all", "limit", "page_size":
			return recv
		case "filter":
			if def := recv.res.Def().HasMany[recv.name]; def != nil {
				if op := c.operation(recv.res, def.Request.Operation); op != nil {
					c.input(op, arg, e, nil, targets(def.Request.Params))
				}
			}
			return recv
		case "batch":
			if fn.op != nil {
				c.readOnly(fn.op, e)
			}
		}
	}
	return unknownValue
}

func (c *checker) resourceMethod(fn *value, e *ast.FuncCallExpr, arg ast.Expr) *value {
	r := fn.res
	m := bindings.ResourceMembers(r)[fn.name]
	def := r.Def()
	switch m.Kind {
	case "sub-resource":
		typ, inputs := m.Name, 0
		if h := def.Has[m.Name]; h != nil {
			typ = h.Resource.Type
			for _, id := range h.Resource.Identifiers {
				if id.Source == "input" {
					inputs++
				}
			}
		} else if d := r.Model().Resources[m.Name]; d != nil {
			inputs = len(d.Identifiers)
		}
		if n, known := argCount(e); known && n != inputs {
			c.report(e.Line(), fn.name, "%s.%s takes %d identifiers, got %d", label(r), m.Name, inputs, n)
		}
		if sub, ok := r.OfType(typ); ok {
			return &value{kind: resource, res: sub}
		}
	case "action":
		a := def.Actions[m.Name]
		if op := c.operation(r, a.Request.Operation); op != nil {
			c.input(op, arg, e, nil, targets(a.Request.Params), r.ValueTransform())
			c.readOnly(op, e)
		}
		// An action that makes one resource (sqs:create_queue) returns it.
		if op := c.operation(r, a.Request.Operation); op != nil && a.Resource != nil && single(a.Resource, op) {
			if made, ok := r.OfType(a.Resource.Type); ok {
				return &value{kind: resource, res: made}
			}
		}
	case "method":
		if opName, ok := transferOperations[fn.name]; ok {
			c.readOnly(c.operation(r, opName), e)
		}
	}
	return unknownValue
}

// single reports whether an action's resources surely come one, not as a
// list: where the runtime decides by the response (sdk's isPlural), every
// path the model gives leads to a scalar or a structure.
func single(def *resourcemodel.ResponseResourceDef, op *sdk.Operation) bool {
	if def.Path != "" {
		if s := shapeAt(op.OutputShape(), def.Path); s == nil || s.Kind != sdk.KindStructure {
			return false
		}
	}
	for _, id := range def.Identifiers {
		var s *sdk.Shape
		switch id.Source {
		case "response":
			s = shapeAt(op.OutputShape(), id.Path)
		case "requestParameter":
			s = shapeAt(op.InputShape(), id.Path)
		default:
			continue
		}
		if s == nil || s.Kind == sdk.KindList {
			return false
		}
	}
	return true
}

// shapeAt follows a path of member names (a.b.c); nil where it does not
// lead, or goes through anything else.
func shapeAt(s *sdk.Shape, path string) *sdk.Shape {
	for _, name := range strings.Split(path, ".") {
		if s == nil || s.Kind != sdk.KindStructure {
			return nil
		}
		m, ok := s.Member(name)
		if !ok || m.Name != name {
			return nil
		}
		s = m.Shape
	}
	return s
}

// argCount is the number of arguments after self, false when the last
// can be several values.
func argCount(e *ast.FuncCallExpr) (int, bool) {
	if n := len(e.Args); n > 0 {
		switch e.Args[n-1].(type) {
		case *ast.FuncCallExpr, *ast.Comma3Expr:
			return 0, false
		}
	}
	return len(e.Args), true
}

func (c *checker) operation(r *sdk.Resource, name string) *sdk.Operation {
	return c.operationOf(r.Client().Service(), name)
}

func (c *checker) operationOf(svc *sdk.Service, name string) *sdk.Operation {
	op, _ := svc.Operation(name)
	return op
}

// readOnly reports, when asked to, a call a read-only session refuses.
func (c *checker) readOnly(op *sdk.Operation, e *ast.FuncCallExpr) {
	if !c.opts.ReadOnly || op == nil {
		return
	}
	if err := op.ReadOnlyError(); err != nil {
		c.report(e.Line(), callName(e), "%v", err)
	}
}

func callName(e *ast.FuncCallExpr) string {
	if e.Method != "" {
		return e.Method
	}
	if a, ok := e.Func.(*ast.AttrGetExpr); ok {
		if k, ok := a.Key.(*ast.StringExpr); ok {
			return k.Value
		}
	}
	return ""
}

// label names a resource's type as the runtime's messages do.
func label(r *sdk.Resource) string {
	if r.Type() == "" {
		return r.Client().ServiceName()
	}
	return r.Client().ServiceName() + "." + r.Type()
}

// typeName names a resource's type as its tostring does, less the
// identifiers a check does not know.
func typeName(r *sdk.Resource) string {
	if r.Type() == "" {
		return r.Client().ServiceName() + ".ServiceResource()"
	}
	return label(r)
}

func didYouMean(q string, names []string) string { return model.DidYouMean(q, names, 3) }
