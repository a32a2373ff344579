package check

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/ast"

	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/resourcemodel"
)

// input checks the table literal of a call against op's input: drop are
// members the method takes for itself (PaginationConfig), fixed those a
// resource's model fills (any value fits them). An argument that is not a
// table literal is known only at run time; none at all is an empty input,
// as the runtime takes it.
func (c *checker) input(op *sdk.Operation, arg ast.Expr, call *ast.FuncCallExpr, drop, fixed []string, transform ...*sdk.ValueTransform) {
	if op == nil || !c.collect {
		return
	}
	cv := converter{at: map[string]place{}, toks: c.tokens}
	if len(transform) > 0 {
		cv.transform = transform[0]
	}
	var in map[string]any
	open := false
	switch a := arg.(type) {
	case nil:
		in = map[string]any{}
	case *ast.TableExpr:
		brace := -1
		if len(call.Args) > 0 && arg == call.Args[0] {
			brace = c.tokens.argTable(call)
		}
		v := cv.table(a, op.InputShape(), "", brace)
		switch v := v.(type) {
		case map[string]any:
			in = v
		case sdk.Partial:
			in, open = v, true
		default:
			return
		}
	default:
		return
	}
	for _, k := range drop {
		delete(in, k)
	}
	for _, k := range fixed {
		in[k] = sdk.Unknown
	}
	check := op.CheckStatic
	if open {
		check = op.CheckStaticPartial
	}
	for _, p := range check(in) {
		at, ok := cv.at[p.Path]
		if !ok {
			at = c.tokens.near(call.Line(), callName(call))
		}
		c.reportAt(at, "%s %s: %s", op.Service().Name, op.SnakeName, p.Message)
	}
}

// converter makes the Go value the runtime would make of a literal
// (bindings' tableToGo, by the shape), with sdk.Unknown for what is known
// only at run time, and notes where each member is written.
type converter struct {
	at        map[string]place // where each member's key (or element) is
	toks      *tokens
	transform *sdk.ValueTransform
}

// value converts e; brace is the token of its {, when it is a table
// literal and the tokens tell.
func (cv *converter) value(e ast.Expr, s *sdk.Shape, path string, brace int) any {
	if cv.transform != nil && cv.transform.Matches(s) {
		return sdk.Unknown // native values (DynamoDB's)
	}
	switch e := e.(type) {
	case *ast.StringExpr:
		if s != nil && s.Kind == sdk.KindInteger {
			if n, err := strconv.ParseInt(e.Value, 10, 64); err == nil {
				return n
			}
		}
		return e.Value
	case *ast.NumberExpr:
		if f, ok := number(e.Value); ok {
			return numberToGo(f)
		}
	case *ast.UnaryMinusOpExpr:
		if n, ok := e.Expr.(*ast.NumberExpr); ok {
			if f, ok := number(n.Value); ok {
				return numberToGo(-f)
			}
		}
	case *ast.TrueExpr:
		return true
	case *ast.FalseExpr:
		return false
	case *ast.NilExpr:
		return nil
	case *ast.TableExpr:
		return cv.table(e, s, path, brace)
	}
	return sdk.Unknown
}

// table converts a table literal as bindings' tableToGo does: an array
// for a list, string keys for a structure or map; with no shape to go by,
// an array when it has only positional fields.
func (cv *converter) table(t *ast.TableExpr, s *sdk.Shape, path string, brace int) any {
	toks, aligned := cv.toks.fields(brace)
	aligned = aligned && len(toks) == len(t.Fields)
	// where notes the place of field i of the literal, at path p, and
	// returns the token of its value.
	where := func(i int, p, text string) int {
		if !aligned {
			cv.at[p] = cv.toks.near(t.Fields[i].Value.Line(), text)
			return -1
		}
		if k := toks[i].key; k >= 0 {
			cv.at[p] = cv.toks.at(k)
		} else {
			cv.at[p] = cv.toks.at(toks[i].value)
		}
		return toks[i].value
	}
	kind := sdk.Kind(0)
	if s != nil {
		kind = s.Kind
	}
	switch kind {
	case sdk.KindList, sdk.KindStructure, sdk.KindMap, sdk.KindUnion, sdk.KindDocument:
	default:
		// A table where a scalar belongs is converted by guess, as
		// the runtime does, for the message to show.
		kind, s = 0, nil
	}
	positional, open := 0, false
	for i, f := range t.Fields {
		if f.Key == nil {
			positional++
			if _, multi := f.Value.(*ast.FuncCallExpr); multi && i == len(t.Fields)-1 {
				open = true
			}
			if _, multi := f.Value.(*ast.Comma3Expr); multi && i == len(t.Fields)-1 {
				open = true
			}
		}
	}
	isList := kind == sdk.KindList || (kind == 0 || kind == sdk.KindDocument) && positional == len(t.Fields) && positional > 0
	if kind == sdk.KindDocument {
		return sdk.Unknown
	}
	if isList {
		if open || positional != len(t.Fields) {
			return sdk.Unknown
		}
		var elem *sdk.Shape
		if s != nil {
			elem = s.Elem
		}
		list := make([]any, len(t.Fields))
		for i, f := range t.Fields {
			p := fmt.Sprintf("%s[%d]", path, i)
			list[i] = cv.value(f.Value, elem, p, where(i, p, literalText(f.Value)))
		}
		return list
	}
	m := map[string]any{}
	n := 0
	for i, f := range t.Fields {
		var key string
		switch k := f.Key.(type) {
		case nil:
			n++
			if open {
				continue
			}
			key = strconv.Itoa(n)
		case *ast.StringExpr:
			key = k.Value
		default:
			open = true
			continue
		}
		p := join(path, key)
		m[key] = cv.value(f.Value, s.ValueShape(key), p, where(i, p, key))
	}
	if open {
		return sdk.Partial(m)
	}
	return m
}

func literalText(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StringExpr:
		return e.Value
	case *ast.NumberExpr:
		return e.Value
	case *ast.TrueExpr:
		return "true"
	case *ast.FalseExpr:
		return "false"
	case *ast.TableExpr:
		return "{"
	}
	return ""
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// number reads a Lua numeral: decimal, with an exponent, or hexadecimal.
func number(s string) (float64, bool) {
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		n, err := strconv.ParseUint(h, 16, 64)
		return float64(n), err == nil
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// numberToGo is bindings' conversion of a Lua number: whole numbers that
// a float64 holds exactly are int64.
func numberToGo(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f)
	}
	return f
}

// targets returns the top-level request members that a resource's model
// fills itself.
func targets(params []resourcemodel.ParamDef) []string {
	var out []string
	for _, p := range params {
		name, _, _ := strings.Cut(p.Target, ".")
		name, _, _ = strings.Cut(name, "[")
		out = append(out, name)
	}
	return out
}

// plural reports whether a reference makes a list of resources: an
// identifier from a data path with [] in it.
func plural(r resourcemodel.ResponseResourceDef) bool {
	for _, id := range r.Identifiers {
		if id.Source == "data" && strings.Contains(id.Path, "[]") {
			return true
		}
	}
	return false
}
