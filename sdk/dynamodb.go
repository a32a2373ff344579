package sdk

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// DynamoDB resources take and return native values, as boto3's do: the
// resource engine applies this transform to every AttributeValue of their
// requests and responses (see resource_values.go). Clients keep the API's
// {S = "x"} form.
//
//	string           S     (a Go string)
//	number           N     int64 for integers below 2^53, float64 for other
//	                       numbers a float64 holds exactly, Decimal for the
//	                       rest; any Go integer or float, Decimal or
//	                       json.Number is written
//	bool             BOOL
//	nil              NULL
//	[]byte           B
//	[]any            L     (any slice but []byte)
//	map[string]any   M     (any map with string keys)
//	Set              SS, NS or BS, by what it holds
func init() {
	RegisterValueTransform("dynamodb", &ValueTransform{
		Union:   "AttributeValue",
		Wrap:    WrapAttributeValue,
		Unwrap:  UnwrapAttributeValue,
		Prepare: prepareDynamoDBRequest,
	})
}

// A Decimal is a DynamoDB number kept as its decimal digits, so that
// numbers a float64 cannot hold exactly (a 20-digit integer, 38 digits of
// precision) read and write back unchanged.
type Decimal string

// ParseDecimal checks that s is a number.
func ParseDecimal(s string) (Decimal, error) {
	if _, ok := new(big.Rat).SetString(strings.TrimSpace(s)); !ok || strings.ContainsAny(s, "/") {
		return "", fmt.Errorf("%q is not a decimal number", s)
	}
	return Decimal(strings.TrimSpace(s)), nil
}

// String returns the digits.
func (d Decimal) String() string { return string(d) }

// Rat returns the exact value.
func (d Decimal) Rat() (*big.Rat, bool) { return new(big.Rat).SetString(string(d)) }

// Float64 returns the nearest float64.
func (d Decimal) Float64() float64 {
	f, _ := strconv.ParseFloat(string(d), 64)
	return f
}

// Cmp compares d with a number: -1, 0 or +1; ok is false when either is not
// a number.
func (d Decimal) Cmp(n any) (c int, ok bool) {
	a, ok1 := d.Rat()
	b, ok2 := numberRat(n)
	if !ok1 || !ok2 {
		return 0, false
	}
	return a.Cmp(b), true
}

// A Set is a DynamoDB set: of strings (SS), numbers (NS) or binary values
// (BS). It holds each value once.
type Set struct {
	kind   string // "SS", "NS", "BS"; "" while empty
	values []any
	keys   map[string]bool
}

// NewSet makes a set of values, dropping repeats. All values must be of
// one kind: strings, numbers or []byte.
func NewSet(values ...any) (*Set, error) {
	s := &Set{}
	for _, v := range values {
		if err := s.Add(v); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Add adds a value; a value the set holds already is left out.
func (s *Set) Add(v any) error {
	kind, key, ok := setKey(v)
	if !ok {
		return fmt.Errorf("a set holds strings, numbers or binary values, not %s", typeName(v))
	}
	if s.kind != "" && s.kind != kind {
		return fmt.Errorf("a set holds values of one kind: %s and %s do not mix", setKinds[s.kind], setKinds[kind])
	}
	s.kind = kind
	if s.keys == nil {
		s.keys = map[string]bool{}
	}
	if s.keys[key] {
		return nil
	}
	s.keys[key] = true
	s.values = append(s.values, v)
	return nil
}

var setKinds = map[string]string{"SS": "strings", "NS": "numbers", "BS": "binary values"}

// Kind returns "SS", "NS" or "BS", "" for an empty set.
func (s *Set) Kind() string { return s.kind }

// Len returns the number of values.
func (s *Set) Len() int { return len(s.values) }

// Values returns the values, in the order they were added (or the order
// DynamoDB returned them).
func (s *Set) Values() []any { return append([]any(nil), s.values...) }

// Contains reports whether the set holds v; numbers compare by value
// (5, 5.0 and Decimal("5") are one number).
func (s *Set) Contains(v any) bool {
	kind, key, ok := setKey(v)
	return ok && kind == s.kind && s.keys[key]
}

// String shows the set as {a, b}.
func (s *Set) String() string {
	parts := make([]string, len(s.values))
	for i, v := range s.values {
		parts[i] = fmt.Sprint(v)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// setKey returns a value's kind of set and a key that is equal for equal
// values.
func setKey(v any) (kind, key string, ok bool) {
	switch x := v.(type) {
	case string:
		return "SS", x, true
	case []byte:
		return "BS", string(x), true
	}
	if r, ok := numberRat(v); ok {
		return "NS", r.RatString(), true
	}
	return "", "", false
}

// numberRat returns the exact value of a Go number, Decimal or json.Number.
func numberRat(v any) (*big.Rat, bool) {
	switch n := v.(type) {
	case Decimal:
		return n.Rat()
	case json.Number:
		return new(big.Rat).SetString(string(n))
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return nil, false
		}
		// By its shortest decimal, so that 0.1 is the number written "0.1".
		return new(big.Rat).SetString(strconv.FormatFloat(n, 'g', -1, 64))
	case float32:
		return numberRat(float64FromFloat32(n))
	case *big.Int:
		return new(big.Rat).SetInt(n), true
	}
	if i, ok := toInt64(v); ok {
		return new(big.Rat).SetInt64(i), true
	}
	if u, ok := v.(uint64); ok {
		return new(big.Rat).SetInt(new(big.Int).SetUint64(u)), true
	}
	if u, ok := v.(uint); ok {
		return new(big.Rat).SetInt(new(big.Int).SetUint64(uint64(u))), true
	}
	return nil, false
}

func float64FromFloat32(f float32) float64 {
	g, _ := strconv.ParseFloat(strconv.FormatFloat(float64(f), 'g', -1, 32), 64)
	return g
}

// formatNumber writes a native number as DynamoDB's N.
func formatNumber(v any) (string, bool) {
	switch n := v.(type) {
	case Decimal:
		if _, ok := n.Rat(); !ok {
			return "", false
		}
		return string(n), true
	case json.Number:
		if _, ok := new(big.Rat).SetString(string(n)); !ok {
			return "", false
		}
		return string(n), true
	case float32:
		return formatNumber(float64FromFloat32(n))
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return "", false
		}
		if a := math.Abs(n); a != 0 && (a < 1e-6 || a >= 1e21) {
			return strconv.FormatFloat(n, 'e', -1, 64), true
		}
		return strconv.FormatFloat(n, 'f', -1, 64), true
	case *big.Int:
		return n.String(), true
	case uint64:
		return strconv.FormatUint(n, 10), true
	case uint:
		return strconv.FormatUint(uint64(n), 10), true
	}
	if i, ok := toInt64(v); ok {
		return strconv.FormatInt(i, 10), true
	}
	return "", false
}

// ParseNumber reads DynamoDB's N as a native number: int64 for an integer
// below 2^53 in size, float64 for another number whose shortest float64
// form is the same number (0.1, 2.5), and Decimal for the rest, so that
// nothing is lost.
func ParseNumber(s string) any {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return Decimal(s)
	}
	if r.IsInt() {
		if n := r.Num(); n.IsInt64() && n.Int64() > -1<<53 && n.Int64() < 1<<53 {
			return n.Int64()
		}
		return Decimal(s)
	}
	f, _ := r.Float64()
	back, ok := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	if ok && back.Cmp(r) == 0 {
		return f
	}
	return Decimal(s)
}

// WrapAttributeValue turns a native value into an AttributeValue's dynamic
// form ({"S": "x"}).
func WrapAttributeValue(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return map[string]any{"NULL": true}, nil
	case string:
		return map[string]any{"S": x}, nil
	case bool:
		return map[string]any{"BOOL": x}, nil
	case []byte:
		return map[string]any{"B": x}, nil
	case *Set:
		return wrapSet(x)
	case Set:
		return wrapSet(&x)
	case []any:
		return wrapList(x)
	case map[string]any:
		return wrapMap(x)
	}
	if n, ok := formatNumber(v); ok {
		return map[string]any{"N": n}, nil
	}
	if _, isNum := numberRat(v); isNum || isFloat(v) {
		return nil, fmt.Errorf("%v is not a number DynamoDB can store", v)
	}
	if l, ok := asList(v); ok {
		return wrapList(l)
	}
	if m, ok := asStringMap(v); ok {
		return wrapMap(m)
	}
	return nil, fmt.Errorf("a %s is not a DynamoDB value (string, number, boolean, nil, []byte, list, map or *sdk.Set)", typeName(v))
}

func isFloat(v any) bool {
	switch v.(type) {
	case float32, float64:
		return true
	}
	return false
}

func wrapList(l []any) (any, error) {
	out := make([]any, len(l))
	for i, e := range l {
		w, err := WrapAttributeValue(e)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out[i] = w
	}
	return map[string]any{"L": out}, nil
}

func wrapMap(m map[string]any) (any, error) {
	out := make(map[string]any, len(m))
	for _, k := range sortedMapKeys(m) {
		w, err := WrapAttributeValue(m[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = w
	}
	return map[string]any{"M": out}, nil
}

func wrapSet(s *Set) (any, error) {
	if s == nil || s.kind == "" {
		return nil, errors.New("DynamoDB cannot store an empty set")
	}
	out := make([]any, len(s.values))
	for i, v := range s.values {
		if s.kind == "NS" {
			n, ok := formatNumber(v)
			if !ok {
				return nil, fmt.Errorf("%v is not a number DynamoDB can store", v)
			}
			out[i] = n
			continue
		}
		out[i] = v
	}
	return map[string]any{s.kind: out}, nil
}

// UnwrapAttributeValue turns an AttributeValue's dynamic form into a native
// value.
func UnwrapAttributeValue(v any) (any, error) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return nil, fmt.Errorf("not an AttributeValue: %v", show(v))
	}
	for tag, x := range m {
		switch tag {
		case "S", "BOOL", "B":
			return x, nil
		case "NULL":
			return nil, nil
		case "N":
			s, _ := x.(string)
			return ParseNumber(s), nil
		case "SS", "NS", "BS":
			list, _ := x.([]any)
			set := &Set{kind: tag, keys: map[string]bool{}}
			for _, e := range list {
				if tag == "NS" {
					s, _ := e.(string)
					e = ParseNumber(s)
				}
				_, key, _ := setKey(e)
				if !set.keys[key] {
					set.keys[key] = true
					set.values = append(set.values, e)
				}
			}
			return set, nil
		case "L":
			list, _ := x.([]any)
			out := make([]any, len(list))
			for i, e := range list {
				u, err := UnwrapAttributeValue(e)
				if err != nil {
					return nil, err
				}
				out[i] = u
			}
			return out, nil
		case "M":
			mm, _ := x.(map[string]any)
			out := make(map[string]any, len(mm))
			for k, e := range mm {
				u, err := UnwrapAttributeValue(e)
				if err != nil {
					return nil, err
				}
				out[k] = u
			}
			return out, nil
		}
		return nil, fmt.Errorf("an AttributeValue of unknown type %s", tag)
	}
	return nil, nil
}

// The request members that take conditions, in the order their
// placeholders are numbered.
var conditionMembers = []string{"KeyConditionExpression", "FilterExpression", "ConditionExpression"}

// prepareDynamoDBRequest turns conditions (DynamoKey("pk").Eq("a")) into
// expression strings, adding their names and values to
// ExpressionAttributeNames and ExpressionAttributeValues, as boto3 does.
func prepareDynamoDBRequest(op *Operation, params map[string]any) error {
	var b *exprBuilder
	for _, member := range conditionMembers {
		var c *Condition
		switch x := params[member].(type) {
		case *Condition:
			c = x
		case Condition:
			c = &x
		default:
			continue
		}
		if b == nil {
			var err error
			if b, err = newExprBuilder(params); err != nil {
				return err
			}
		}
		expr, err := b.build(c, member == "KeyConditionExpression")
		if err != nil {
			return fmt.Errorf("%s: %w", member, err)
		}
		params[member] = expr
	}
	if b == nil {
		return nil
	}
	if len(b.names) > 0 {
		params["ExpressionAttributeNames"] = b.names
	}
	if len(b.values) > 0 {
		params["ExpressionAttributeValues"] = b.values
	}
	return nil
}

// newExprBuilder starts from the names and values the caller gave.
func newExprBuilder(params map[string]any) (*exprBuilder, error) {
	b := &exprBuilder{names: map[string]any{}, values: map[string]any{}, nameOf: map[string]string{}}
	if v, ok := params["ExpressionAttributeNames"]; ok && v != nil {
		m, ok := asStringMap(v)
		if !ok {
			return nil, fmt.Errorf("ExpressionAttributeNames must be a map, not %s", typeName(v))
		}
		for k, n := range m {
			b.names[k] = n
		}
	}
	if v, ok := params["ExpressionAttributeValues"]; ok && v != nil {
		m, ok := asStringMap(v)
		if !ok {
			return nil, fmt.Errorf("ExpressionAttributeValues must be a map, not %s", typeName(v))
		}
		for k, x := range m {
			b.values[k] = x
		}
	}
	return b, nil
}
