package sdk

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/jmespath-community/go-jmespath"
)

// search evaluates a JMESPath expression over dynamic values. Resource
// models use a small part of JMESPath ("Reservations[0].Instances[]",
// "Contents[].Key"); that part is evaluated directly, since collections run
// it over every page, and anything else goes to the JMESPath library.
func search(expr string, data any) (any, error) {
	if expr == "" || expr == "$" || expr == "@" {
		return data, nil
	}
	if steps, ok := simplePath(expr); ok {
		return walkPath(steps, data), nil
	}
	compiled, err := compileJMESPath(expr)
	if err != nil {
		return nil, err
	}
	return compiled.Search(jsonNumbers(data))
}

var jmespathCache sync.Map

// compileJMESPath compiles expr once. It is the one place awslua compiles
// JMESPath, because the library can panic on an expression instead of
// refusing it: go-jmespath v1.1.1's lexer indexes past its table on U+0080
// after an identifier ("A\u0080", found by FuzzSearchPath). Such a panic
// is an error here.
func compileJMESPath(expr string) (c jmespath.JMESPath, err error) {
	if c, ok := jmespathCache.Load(expr); ok {
		return c.(jmespath.JMESPath), nil
	}
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("JMESPath %q: not an expression the JMESPath library can read (%v)", expr, r)
		}
	}()
	c, err = jmespath.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("JMESPath %q: %w", expr, err)
	}
	jmespathCache.Store(expr, c)
	return c, nil
}

// A pathStep is a field name, a flatten ("[]") or an index ("[2]").
type pathStep struct {
	field   string
	flatten bool
	index   int
	isIndex bool
}

var simplePaths sync.Map

// simplePath parses expressions made of fields, [] and [n] only.
func simplePath(expr string) ([]pathStep, bool) {
	if s, ok := simplePaths.Load(expr); ok {
		steps := s.([]pathStep)
		return steps, steps != nil
	}
	steps := parseSimplePath(expr)
	simplePaths.Store(expr, steps)
	return steps, steps != nil
}

func parseSimplePath(expr string) []pathStep {
	var steps []pathStep
	for _, part := range strings.Split(expr, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			if !isIdent(name) {
				return nil
			}
			steps = append(steps, pathStep{field: name})
		}
		if rest == "" {
			continue
		}
		for _, idx := range strings.Split(strings.TrimSuffix("["+rest, "]"), "]") {
			idx = strings.TrimPrefix(idx, "[")
			if idx == "" {
				steps = append(steps, pathStep{flatten: true})
				continue
			}
			n, err := strconv.Atoi(idx)
			if err != nil {
				return nil
			}
			steps = append(steps, pathStep{index: n, isIndex: true})
		}
	}
	if len(steps) == 0 {
		return nil
	}
	return steps
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// walkPath follows steps as JMESPath does: a flatten merges nested lists
// one level, the steps up to the next flatten apply to each element, nulls
// drop out, and the next flatten applies to the projected list, so that
// "Reservations[].Instances[].InstanceId" is one flat list.
func walkPath(steps []pathStep, v any) any {
	for i, s := range steps {
		switch {
		case s.flatten:
			list, ok := v.([]any)
			if !ok {
				return nil
			}
			rest := steps[i+1:]
			next := len(rest)
			for j, st := range rest {
				if st.flatten {
					next = j
					break
				}
			}
			out := []any{}
			project := func(e any) {
				if r := walkPath(rest[:next], e); r != nil {
					out = append(out, r)
				}
			}
			for _, e := range list {
				if inner, ok := e.([]any); ok {
					for _, x := range inner {
						project(x)
					}
					continue
				}
				project(e)
			}
			if next == len(rest) {
				return out
			}
			return walkPath(rest[next:], out)
		case s.isIndex:
			list, ok := v.([]any)
			if !ok {
				return nil
			}
			n := s.index
			if n < 0 {
				n += len(list)
			}
			if n < 0 || n >= len(list) {
				return nil
			}
			v = list[n]
		default:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[s.field]
		}
	}
	return v
}
