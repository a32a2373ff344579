// Package check finds the mistakes of an awslua script without running it:
// every call to AWS that it can follow from the script's text (through
// locals, sessions, resources, collections and loops) is checked against
// the embedded models, as the runtime would check it, and what the models
// reject is reported in luacheck's file:line:col layout.
//
// A call that it cannot follow (a service or operation named at run time,
// a client passed as a parameter) is counted, never reported: a finding is
// a call that would fail.
package check

import (
	"fmt"
	"slices"

	"github.com/yuin/gopher-lua/ast"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/sdk"
)

// A Finding is one call that would fail, where the script makes it.
type Finding struct {
	File      string
	Line, Col int
	Message   string
}

// String is the finding as luacheck and compilers print theirs, which
// editors and CI annotations read: file:line:col: message.
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", f.File, f.Line, f.Col, f.Message)
}

// Options change what Source reports.
type Options struct {
	// ReadOnly reports every call that a read-only session (awslua
	// --read-only) would refuse.
	ReadOnly bool
}

// A Report is what Source found in one script.
type Report struct {
	Findings []Finding
	// Checked counts the calls to AWS that the check followed; Unresolved
	// the calls it could not follow: a method called on a value known
	// only at run time, or a service, operation or name built at run time.
	Checked, Unresolved int
}

// Source checks one script, named name in findings. Its error is a
// syntax error: the script would not run at all.
func Source(name string, src []byte, opts Options) (*Report, error) {
	chunk, err := bindings.Parse(src, name)
	if err != nil {
		return nil, err
	}
	c := &checker{file: name, opts: opts, tokens: tokenize(src, name), rep: &Report{}}
	// The first walk finds the locals that are assigned after their
	// declaration, whose values the second cannot know.
	c.walk(chunk)
	c.assigned, c.awsAssigned = c.seen, c.globalAWS
	c.seen, c.nextID, c.collect = nil, 0, true
	c.walk(chunk)
	slices.SortStableFunc(c.rep.Findings, func(a, b Finding) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return c.rep, nil
}

// kind is what the check knows a Lua value to be.
type kind uint8

const (
	unknown      kind = iota
	awsModule         // the aws module
	builtin           // a function of the aws module (name)
	session           // aws.Session{...}
	client            // svc
	paginator         // svc, op
	pageIterator      // svc, op: what paginate returns
	waiter            // svc, op
	resource          // res
	resourceMeta      // res: resource.meta
	collection        // res (the parent), name (the collection), item
	method            // recv, name: a method not yet called
)

type value struct {
	kind kind
	name string
	svc  *sdk.Service
	op   *sdk.Operation
	res  *sdk.Resource
	item *sdk.Resource // a collection's resources
	recv *value
}

var unknownValue = &value{}

type binding struct {
	id    int
	value *value
}

type scope struct {
	names  map[string]*binding
	parent *scope
}

func (s *scope) lookup(name string) *binding {
	for ; s != nil; s = s.parent {
		if b, ok := s.names[name]; ok {
			return b
		}
	}
	return nil
}

type checker struct {
	file   string
	opts   Options
	tokens *tokens
	rep    *Report

	// collect is false in the first walk, which only fills seen.
	collect     bool
	nextID      int
	seen        map[int]bool // bindings assigned after their declaration
	assigned    map[int]bool
	globalAWS   bool
	awsAssigned bool
	scope       *scope
}

// declare makes a new local; the second walk gives it v unless the first
// saw it assigned again.
func (c *checker) declare(name string, v *value) {
	c.nextID++
	if c.assigned[c.nextID] {
		v = unknownValue
	}
	c.scope.names[name] = &binding{id: c.nextID, value: v}
}

func (c *checker) walk(stmts []ast.Stmt) {
	c.scope = &scope{names: map[string]*binding{}, parent: c.scope}
	for _, s := range stmts {
		c.stmt(s)
	}
	c.scope = c.scope.parent
}

func (c *checker) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.LocalAssignStmt:
		vals := c.exprs(s.Exprs, len(s.Names))
		for i, name := range s.Names {
			c.declare(name, vals[i])
		}
	case *ast.AssignStmt:
		c.exprs(s.Rhs, 0)
		for _, lhs := range s.Lhs {
			if id, ok := lhs.(*ast.IdentExpr); ok {
				if b := c.scope.lookup(id.Value); b != nil {
					if c.seen == nil {
						c.seen = map[int]bool{}
					}
					c.seen[b.id] = true
				} else if id.Value == "aws" {
					c.globalAWS = true
				}
				continue
			}
			// aws.client = wrapper: the module is the script's own now.
			if a, ok := lhs.(*ast.AttrGetExpr); ok && c.expr(a.Object).kind == awsModule {
				c.globalAWS = true
			}
			c.expr(lhs)
		}
	case *ast.FuncCallStmt:
		c.expr(s.Expr)
	case *ast.DoBlockStmt:
		c.walk(s.Stmts)
	case *ast.WhileStmt:
		c.expr(s.Condition)
		c.walk(s.Stmts)
	case *ast.RepeatStmt:
		// The condition sees the body's locals.
		c.scope = &scope{names: map[string]*binding{}, parent: c.scope}
		for _, st := range s.Stmts {
			c.stmt(st)
		}
		c.expr(s.Condition)
		c.scope = c.scope.parent
	case *ast.IfStmt:
		c.expr(s.Condition)
		c.walk(s.Then)
		c.walk(s.Else)
	case *ast.NumberForStmt:
		c.expr(s.Init)
		c.expr(s.Limit)
		if s.Step != nil {
			c.expr(s.Step)
		}
		c.scope = &scope{names: map[string]*binding{}, parent: c.scope}
		c.declare(s.Name, unknownValue)
		c.walk(s.Stmts)
		c.scope = c.scope.parent
	case *ast.GenericForStmt:
		vals := c.exprs(s.Exprs, 1)
		c.scope = &scope{names: map[string]*binding{}, parent: c.scope}
		for i, name := range s.Names {
			v := unknownValue
			if i == 0 {
				v = loopValue(vals[0])
			}
			c.declare(name, v)
		}
		c.walk(s.Stmts)
		c.scope = c.scope.parent
	case *ast.FuncDefStmt:
		// function a.b:c() ... end assigns to a field; function f() to a
		// local or global name.
		if id, ok := s.Name.Func.(*ast.IdentExpr); ok && s.Name.Receiver == nil {
			if b := c.scope.lookup(id.Value); b != nil {
				if c.seen == nil {
					c.seen = map[int]bool{}
				}
				c.seen[b.id] = true
			} else if id.Value == "aws" {
				c.globalAWS = true
			}
		}
		for _, e := range []ast.Expr{s.Name.Func, s.Name.Receiver} {
			if a, ok := e.(*ast.AttrGetExpr); ok && c.expr(a.Object).kind == awsModule {
				c.globalAWS = true // function aws.client() ... end
			}
			if id, ok := e.(*ast.IdentExpr); ok && e == s.Name.Receiver && c.expr(id).kind == awsModule {
				c.globalAWS = true // function aws:client() ... end
			}
		}
		c.function(s.Func)
	case *ast.ReturnStmt:
		c.exprs(s.Exprs, 0)
	}
}

// loopValue is what the first variable of a generic for over v holds.
func loopValue(v *value) *value {
	if v.kind == collection && v.item != nil {
		return &value{kind: resource, res: v.item}
	}
	return unknownValue
}

func (c *checker) function(f *ast.FunctionExpr) {
	c.scope = &scope{names: map[string]*binding{}, parent: c.scope}
	if f.ParList != nil {
		for _, name := range f.ParList.Names {
			c.declare(name, unknownValue)
		}
	}
	c.walk(f.Stmts)
	c.scope = c.scope.parent
}

// exprs evaluates an expression list into n values (any number when n is
// 0), as Lua adjusts a list to its names.
func (c *checker) exprs(es []ast.Expr, n int) []*value {
	vals := make([]*value, 0, max(n, len(es)))
	for _, e := range es {
		vals = append(vals, c.expr(e))
	}
	for len(vals) < n {
		vals = append(vals, unknownValue)
	}
	return vals
}

func (c *checker) expr(e ast.Expr) *value {
	switch e := e.(type) {
	case *ast.IdentExpr:
		if b := c.scope.lookup(e.Value); b != nil {
			return b.value
		}
		if e.Value == "aws" && !c.awsAssigned {
			return &value{kind: awsModule}
		}
	case *ast.AttrGetExpr:
		obj := c.expr(e.Object)
		key, ok := e.Key.(*ast.StringExpr)
		if !ok {
			c.expr(e.Key)
			return unknownValue
		}
		return c.index(obj, key.Value, e)
	case *ast.FuncCallExpr:
		return c.call(e)
	case *ast.TableExpr:
		for _, f := range e.Fields {
			if f.Key != nil {
				c.expr(f.Key)
			}
			c.expr(f.Value)
		}
	case *ast.FunctionExpr:
		c.function(e)
	case *ast.LogicalOpExpr:
		c.expr(e.Lhs)
		c.expr(e.Rhs)
	case *ast.RelationalOpExpr:
		c.expr(e.Lhs)
		c.expr(e.Rhs)
	case *ast.StringConcatOpExpr:
		c.expr(e.Lhs)
		c.expr(e.Rhs)
	case *ast.ArithmeticOpExpr:
		c.expr(e.Lhs)
		c.expr(e.Rhs)
	case *ast.UnaryMinusOpExpr:
		c.expr(e.Expr)
	case *ast.UnaryNotOpExpr:
		c.expr(e.Expr)
	case *ast.UnaryLenOpExpr:
		c.expr(e.Expr)
	}
	return unknownValue
}
