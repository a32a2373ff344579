package sdk

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// DynamoDB conditions, as boto3.dynamodb.conditions: built from DynamoKey
// and DynamoAttr, and given to a DynamoDB resource's actions as
// KeyConditionExpression, FilterExpression or ConditionExpression. The
// resource turns them into the expression string and adds the names and
// values they use to ExpressionAttributeNames and ExpressionAttributeValues
// (beside any the caller gave):
//
//	table.Action(ctx, "Query", map[string]any{
//		"KeyConditionExpression": sdk.DynamoKey("pk").Eq("u1").And(sdk.DynamoKey("sk").BeginsWith("2026")),
//		"FilterExpression":       sdk.DynamoAttr("age").Gt(18).Or(sdk.DynamoAttr("vip").Exists()),
//	})

// A CondAttr names an attribute in a condition: a path such as "a.b[0].c",
// whose parts each get a name placeholder.
type CondAttr struct {
	name string
	key  bool // made by DynamoKey: allowed in key conditions
	size bool // size(name)
}

// DynamoKey names a key attribute, for key conditions (and filters).
func DynamoKey(name string) CondAttr { return CondAttr{name: name, key: true} }

// DynamoAttr names any attribute, for filter and condition expressions.
func DynamoAttr(name string) CondAttr { return CondAttr{name: name} }

// Name returns the attribute's path.
func (a CondAttr) Name() string { return a.name }

// IsKey reports whether DynamoKey made the attribute.
func (a CondAttr) IsKey() bool { return a.key }

// A Condition is a condition on attributes, built from CondAttr's methods
// and combined with And, Or and Not.
type Condition struct {
	op     string // "=", "BETWEEN", "begins_with", "AND", ...
	attr   CondAttr
	values []any // operands: values, or CondAttr for another attribute
	conds  []*Condition
}

func (a CondAttr) compare(op string, v any) *Condition {
	return &Condition{op: op, attr: a, values: []any{v}}
}

// Eq is a = v; v may be another attribute (DynamoAttr("b")).
func (a CondAttr) Eq(v any) *Condition { return a.compare("=", v) }

// Ne is a <> v.
func (a CondAttr) Ne(v any) *Condition { return a.compare("<>", v) }

// Lt is a < v.
func (a CondAttr) Lt(v any) *Condition { return a.compare("<", v) }

// Lte is a <= v.
func (a CondAttr) Lte(v any) *Condition { return a.compare("<=", v) }

// Gt is a > v.
func (a CondAttr) Gt(v any) *Condition { return a.compare(">", v) }

// Gte is a >= v.
func (a CondAttr) Gte(v any) *Condition { return a.compare(">=", v) }

// BeginsWith is begins_with(a, prefix).
func (a CondAttr) BeginsWith(prefix any) *Condition { return a.compare("begins_with", prefix) }

// Between is a BETWEEN low AND high.
func (a CondAttr) Between(low, high any) *Condition {
	return &Condition{op: "BETWEEN", attr: a, values: []any{low, high}}
}

// IsIn is a IN (v1, v2, ...).
func (a CondAttr) IsIn(values ...any) *Condition {
	return &Condition{op: "IN", attr: a, values: values}
}

// Exists is attribute_exists(a).
func (a CondAttr) Exists() *Condition { return &Condition{op: "attribute_exists", attr: a} }

// NotExists is attribute_not_exists(a).
func (a CondAttr) NotExists() *Condition { return &Condition{op: "attribute_not_exists", attr: a} }

// Contains is contains(a, v): a string holds a substring, or a set or list
// an element.
func (a CondAttr) Contains(v any) *Condition { return a.compare("contains", v) }

// AttributeType is attribute_type(a, t), t one of S, SS, N, NS, B, BS,
// BOOL, NULL, L, M.
func (a CondAttr) AttributeType(t any) *Condition { return a.compare("attribute_type", t) }

// Size is size(a), to compare: DynamoAttr("tags").Size().Gt(2).
func (a CondAttr) Size() CondAttr { a.size = true; return a }

// And is c AND o AND ...
func (c *Condition) And(o ...*Condition) *Condition { return c.join("AND", o) }

// Or is c OR o OR ...
func (c *Condition) Or(o ...*Condition) *Condition { return c.join("OR", o) }

func (c *Condition) join(op string, o []*Condition) *Condition {
	out := c
	for _, x := range o {
		out = &Condition{op: op, conds: []*Condition{out, x}}
	}
	return out
}

// Not is NOT c.
func (c *Condition) Not() *Condition { return &Condition{op: "NOT", conds: []*Condition{c}} }

// String shows the condition with names and values in place, for people:
// age > 18 OR attribute_exists(vip).
func (c *Condition) String() string {
	b := &exprBuilder{display: true}
	s, err := b.expr(c, false, false)
	if err != nil {
		return "<bad condition: " + err.Error() + ">"
	}
	return s
}

// An Expression is a condition built for a request.
type Expression struct {
	Expression string
	Names      map[string]string // #n0 -> name
	Values     map[string]any    // :v0 -> native value
}

// Build turns the condition into an expression with placeholders #n0 and
// :v0; key is true for a KeyConditionExpression, which takes DynamoKey
// attributes only.
func (c *Condition) Build(key bool) (*Expression, error) {
	b := &exprBuilder{names: map[string]any{}, values: map[string]any{}, nameOf: map[string]string{}}
	s, err := b.build(c, key)
	if err != nil {
		return nil, err
	}
	e := &Expression{Expression: s, Names: map[string]string{}, Values: b.values}
	for k, v := range b.names {
		e.Names[k], _ = v.(string)
	}
	return e, nil
}

// exprBuilder numbers placeholders across the conditions of one request,
// skipping those the caller's own names and values use.
type exprBuilder struct {
	names   map[string]any    // placeholder -> attribute name
	values  map[string]any    // placeholder -> native value
	nameOf  map[string]string // attribute name -> its placeholder
	n, v    int
	display bool // names and values in place, for String
}

func (b *exprBuilder) build(c *Condition, key bool) (string, error) {
	if c == nil {
		return "", errors.New("no condition")
	}
	return b.expr(c, key, false)
}

func (b *exprBuilder) expr(c *Condition, key, nested bool) (string, error) {
	switch c.op {
	case "AND", "OR":
		l, err := b.expr(c.conds[0], key, true)
		if err != nil {
			return "", err
		}
		r, err := b.expr(c.conds[1], key, true)
		if err != nil {
			return "", err
		}
		return paren(l+" "+c.op+" "+r, nested), nil
	case "NOT":
		in, err := b.expr(c.conds[0], key, true)
		if err != nil {
			return "", err
		}
		return paren("NOT "+in, nested), nil
	}
	a, err := b.path(c.attr, key)
	if err != nil {
		return "", err
	}
	vals := make([]string, len(c.values))
	for i, v := range c.values {
		if vals[i], err = b.value(v, key); err != nil {
			return "", err
		}
	}
	switch c.op {
	case "attribute_exists", "attribute_not_exists":
		return c.op + "(" + a + ")", nil
	case "begins_with", "contains", "attribute_type":
		return c.op + "(" + a + ", " + vals[0] + ")", nil
	case "BETWEEN":
		return a + " BETWEEN " + vals[0] + " AND " + vals[1], nil
	case "IN":
		if len(vals) == 0 {
			return "", fmt.Errorf("%s IN needs at least one value", c.attr.name)
		}
		return a + " IN (" + strings.Join(vals, ", ") + ")", nil
	}
	return a + " " + c.op + " " + vals[0], nil
}

func paren(s string, nested bool) string {
	if nested {
		return "(" + s + ")"
	}
	return s
}

// path returns the placeholders of an attribute path: "a.b[0]" is
// "#n0.#n1[0]".
func (b *exprBuilder) path(a CondAttr, key bool) (string, error) {
	if a.name == "" {
		return "", errors.New("a condition names no attribute")
	}
	if key && !a.key && !b.display {
		return "", fmt.Errorf("%s: a key condition takes key attributes: use Key(%q), not Attr", a.name, a.name)
	}
	var out string
	if b.display {
		out = a.name
	} else {
		parts := strings.Split(a.name, ".")
		for i, p := range parts {
			name, index, _ := strings.Cut(p, "[")
			if index != "" {
				index = "[" + index
			}
			if name == "" {
				return "", fmt.Errorf("bad attribute path %q", a.name)
			}
			ph, ok := b.nameOf[name]
			if !ok {
				for {
					ph = "#n" + strconv.Itoa(b.n)
					b.n++
					if _, taken := b.names[ph]; !taken {
						break
					}
				}
				b.nameOf[name] = ph
				b.names[ph] = name
			}
			parts[i] = ph + index
		}
		out = strings.Join(parts, ".")
	}
	if a.size {
		out = "size(" + out + ")"
	}
	return out, nil
}

// value returns the placeholder of an operand: a new value, or another
// attribute's path.
func (b *exprBuilder) value(v any, key bool) (string, error) {
	if a, ok := v.(CondAttr); ok {
		return b.path(a, key)
	}
	if b.display {
		return show(v), nil
	}
	for {
		ph := ":v" + strconv.Itoa(b.v)
		b.v++
		if _, taken := b.values[ph]; !taken {
			b.values[ph] = v
			return ph, nil
		}
	}
}
