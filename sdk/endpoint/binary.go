package endpoint

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// A compiled rule set can be written in a binary form and read back
// without parsing JSON or compiling again: internal/modelgen compiles every
// bundled rule set when the bundle is generated, so that a client's first
// call only reads the result. Reading S3's rule set so takes a small part
// of what parsing its JSON does (BenchmarkParseS3JSON and
// BenchmarkParseResolveS3 in the tests).
//
// The form, in order: the magic "EPR1"; the parameters (a count, then for
// each its name, type, builtIn, whether it is required, and its default as
// a value); the number of slots; the rules. Counts and slots are uvarints,
// strings a uvarint length and their bytes. A rule is its kind, its
// conditions (a count, then each one's expression and its slot plus one, 0
// for none) and by kind: a tree's rules; an error's message; an
// endpoint's URL, headers (a count, then a name and a list of expressions
// each) and properties (0, or 1 and an object expression). An expression
// is a tag byte and its operands.

const binaryMagic = "EPR1"

// The tags of expressions and values in the binary form.
const (
	binNil = iota
	binString
	binTrue
	binFalse
	binFloat // 8 bytes, little-endian IEEE 754
	binRef
	binCall    // name, count, arguments
	binGetAttr // target, count, then each step's key and index plus one
	binTemplate
	binObject // count, then key and value pairs
	binList
)

var paramTypes = [...]string{"string", "boolean", "stringArray"}

// AppendBinary appends the rule set's binary form to b.
func (r *RuleSet) AppendBinary(b []byte) ([]byte, error) {
	w := binWriter{b: append(b, binaryMagic...)}
	w.count(len(r.params))
	for i, p := range r.params {
		w.str(p.Name)
		t := 0
		for t < len(paramTypes) && paramTypes[t] != p.Type {
			t++
		}
		if t == len(paramTypes) {
			return nil, fmt.Errorf("endpoint: parameter %s has type %q", p.Name, p.Type)
		}
		w.b = append(w.b, byte(t))
		w.str(p.BuiltIn)
		w.bool(p.Required)
		w.value(r.defaults[i])
	}
	w.count(r.nslots)
	w.rules(r.rules)
	return w.b, w.err
}

type binWriter struct {
	b   []byte
	err error
}

func (w *binWriter) count(n int) { w.b = binary.AppendUvarint(w.b, uint64(n)) }

func (w *binWriter) str(s string) {
	w.count(len(s))
	w.b = append(w.b, s...)
}

func (w *binWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *binWriter) rules(rules []*rule) {
	w.count(len(rules))
	for _, r := range rules {
		w.b = append(w.b, byte(r.kind))
		w.count(len(r.conditions))
		for _, c := range r.conditions {
			w.expr(c.fn)
			w.count(c.slot + 1)
		}
		switch r.kind {
		case treeRule:
			w.rules(r.rules)
		case errorRule:
			w.expr(r.message)
		default:
			w.expr(r.url)
			w.count(len(r.headers))
			for _, h := range r.headers {
				w.str(h.name)
				w.exprs(h.values)
			}
			w.bool(r.properties != nil)
			if r.properties != nil {
				w.expr(r.properties)
			}
		}
	}
}

func (w *binWriter) exprs(es []expr) {
	w.count(len(es))
	for _, e := range es {
		w.expr(e)
	}
}

func (w *binWriter) expr(e expr) {
	switch e := e.(type) {
	case literal:
		w.value(e.v)
	case ref:
		w.b = append(w.b, binRef)
		w.count(e.slot)
	case *call:
		w.b = append(w.b, binCall)
		w.str(e.name)
		w.exprs(e.args)
	case *getAttr:
		w.b = append(w.b, binGetAttr)
		w.expr(e.target)
		w.count(len(e.path))
		for _, st := range e.path {
			w.str(st.key)
			w.count(st.index + 1)
		}
	case *template:
		w.b = append(w.b, binTemplate)
		w.exprs(e.parts)
	case *objectExpr:
		w.b = append(w.b, binObject)
		w.count(len(e.keys))
		for i, k := range e.keys {
			w.str(k)
			w.expr(e.vals[i])
		}
	case *listExpr:
		w.b = append(w.b, binList)
		w.exprs(e.items)
	default:
		w.fail("expression %T", e)
	}
}

// value writes a literal: a default or a constant of the rules.
func (w *binWriter) value(v any) {
	switch v := v.(type) {
	case nil:
		w.b = append(w.b, binNil)
	case string:
		w.b = append(w.b, binString)
		w.str(v)
	case bool:
		if v {
			w.b = append(w.b, binTrue)
		} else {
			w.b = append(w.b, binFalse)
		}
	case float64:
		w.b = binary.LittleEndian.AppendUint64(append(w.b, binFloat), math.Float64bits(v))
	case []any: // a stringArray default
		w.b = append(w.b, binList)
		w.count(len(v))
		for _, x := range v {
			w.value(x)
		}
	default:
		w.fail("value %T", v)
	}
}

func (w *binWriter) fail(format string, args ...any) {
	if w.err == nil {
		w.err = fmt.Errorf("endpoint: cannot write a rule set holding a %s", fmt.Sprintf(format, args...))
	}
}

// ParseBinary reads a rule set that AppendBinary wrote, against the
// partitions its aws.partition calls consult. It checks what Parse checks,
// so that damaged input is an error, never a rule set that fails when it
// resolves.
func ParseBinary(data []byte, partitions *Partitions) (*RuleSet, error) {
	if len(data) < len(binaryMagic) || string(data[:len(binaryMagic)]) != binaryMagic {
		return nil, errors.New("endpoint: not a binary rule set")
	}
	// One string holds the bytes, so that names and literals are slices
	// of it rather than an allocation each.
	rd := &binReader{s: string(data), off: len(binaryMagic), parts: partitions}
	r := &RuleSet{parts: partitions}
	n := rd.count()
	for i := 0; i < n && rd.err == nil; i++ {
		p := Parameter{Name: rd.str()}
		if t := rd.byte(); int(t) < len(paramTypes) {
			p.Type = paramTypes[t]
		} else {
			rd.fail("parameter %s has type %d", p.Name, t)
		}
		p.BuiltIn = rd.str()
		p.Required = rd.byte() == 1
		def, err := p.setDefault(rd.value(0))
		if err != nil {
			rd.fail("default of %v", err)
		}
		r.params = append(r.params, p)
		r.defaults = append(r.defaults, def)
	}
	r.nslots = rd.count()
	if rd.err == nil && r.nslots < len(r.params) {
		rd.fail("%d slots for %d parameters", r.nslots, len(r.params))
	}
	rd.nslots = r.nslots
	r.rules = rd.rules(0)
	if rd.err == nil && len(r.rules) == 0 {
		rd.fail("no rules")
	}
	if rd.err == nil && rd.off != len(rd.s) {
		rd.fail("%d bytes left over", len(rd.s)-rd.off)
	}
	if rd.err != nil {
		return nil, rd.err
	}
	return r, nil
}

// binReader reads the binary form. The first error stops it: every later
// read returns a zero value and every loop ends.
type binReader struct {
	s      string
	off    int
	nslots int
	parts  *Partitions
	err    error

	// Slabs that expressions and their lists are carved from: S3's rule
	// set has thousands, and an allocation per few hundred costs a
	// client's first call far less than one each.
	calls    []call
	attrs    []getAttr
	exprList []expr
}

const slabSize = 64

// carve returns n zeroed values from a slab, with the capacity of their
// length so that an append cannot reach a neighbour's.
func carve[T any](slab *[]T, n int) []T {
	if n > len(*slab) {
		if n > slabSize/4 {
			return make([]T, n)
		}
		*slab = make([]T, slabSize)
	}
	s := (*slab)[:n:n]
	*slab = (*slab)[n:]
	return s
}

// maxDepth bounds the nesting of rules and expressions, so that damaged
// input cannot exhaust the stack; the bundled rule sets nest under 25
// levels of rules and expressions.
const maxDepth = 200

func (rd *binReader) fail(format string, args ...any) {
	if rd.err == nil {
		rd.err = fmt.Errorf("endpoint: binary rule set at byte %d: %s", rd.off, fmt.Sprintf(format, args...))
	}
}

func (rd *binReader) byte() byte {
	if rd.err != nil {
		return 0
	}
	if rd.off >= len(rd.s) {
		rd.fail("cut short")
		return 0
	}
	b := rd.s[rd.off]
	rd.off++
	return b
}

func (rd *binReader) uvarint() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		b := rd.byte()
		if rd.err != nil {
			return 0
		}
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return v
		}
	}
	rd.fail("bad varint")
	return 0
}

// count reads a length; every counted thing takes at least a byte, so a
// count beyond the bytes left is damage, caught before it sizes anything.
func (rd *binReader) count() int {
	v := rd.uvarint()
	if v > uint64(len(rd.s)-rd.off) {
		rd.fail("count %d overruns the data", v)
		return 0
	}
	return int(v)
}

func (rd *binReader) str() string {
	n := rd.count()
	if rd.err != nil {
		return ""
	}
	s := rd.s[rd.off : rd.off+n]
	rd.off += n
	return s
}

// slot reads a slot number, which must be below the rule set's count.
func (rd *binReader) slot() int {
	v := rd.uvarint()
	if v >= uint64(rd.nslots) {
		rd.fail("slot %d of %d", v, rd.nslots)
		return 0
	}
	return int(v)
}

func (rd *binReader) rules(depth int) []*rule {
	n := rd.count()
	if rd.err != nil || depth > maxDepth {
		rd.fail("rules nested too deep")
		return nil
	}
	out := make([]*rule, 0, n)
	for i := 0; i < n && rd.err == nil; i++ {
		r := &rule{kind: int(rd.byte())}
		nc := rd.count()
		if nc > 0 {
			r.conditions = make([]condition, nc)
		}
		for j := range r.conditions {
			c := &r.conditions[j]
			c.fn = rd.expr(depth + 1)
			c.slot = -1
			if s := rd.uvarint(); s > uint64(rd.nslots) {
				rd.fail("slot %d of %d", s-1, rd.nslots)
			} else {
				c.slot = int(s) - 1
			}
		}
		switch r.kind {
		case treeRule:
			r.rules = rd.rules(depth + 1)
		case errorRule:
			r.message = rd.expr(depth + 1)
		case endpointRule:
			r.url = rd.expr(depth + 1)
			nh := rd.count()
			for k := 0; k < nh && rd.err == nil; k++ {
				r.headers = append(r.headers, header{name: rd.str(), values: rd.exprs(depth + 1)})
			}
			if rd.byte() == 1 {
				o, ok := rd.expr(depth + 1).(*objectExpr)
				if !ok {
					rd.fail("properties are not an object")
				}
				r.properties = o
			}
		default:
			rd.fail("rule kind %d", r.kind)
		}
		out = append(out, r)
	}
	return out
}

func (rd *binReader) exprs(depth int) []expr {
	n := rd.count()
	out := carve(&rd.exprList, n)[:0]
	for i := 0; i < n && rd.err == nil; i++ {
		out = append(out, rd.expr(depth))
	}
	return out
}

// expr reads an expression; on damage it returns a literal, so that the
// caller's structures hold no nil expression even before the error stops
// the read.
func (rd *binReader) expr(depth int) expr {
	if depth > maxDepth {
		rd.fail("expressions nested too deep")
		return literal{}
	}
	if rd.err != nil || rd.off >= len(rd.s) {
		rd.fail("cut short")
		return literal{}
	}
	switch tag := rd.s[rd.off]; tag {
	case binRef:
		rd.off++
		return ref{rd.slot()}
	case binCall:
		rd.off++
		name := rd.str()
		args := rd.exprs(depth + 1)
		f, ok := functions[name]
		switch {
		case rd.err != nil:
		case !ok || f.fn == nil:
			rd.fail("unknown function %q", name)
		case len(args) != f.arity:
			rd.fail("%s takes %d arguments, not %d", name, f.arity, len(args))
		case name == "aws.partition" && rd.parts == nil:
			rd.fail("the rule set calls aws.partition, but no partitions were given")
		default:
			c := &carve(&rd.calls, 1)[0]
			*c = call{name: name, fn: f.fn, args: args}
			return c
		}
		return literal{}
	case binGetAttr:
		rd.off++
		e := &carve(&rd.attrs, 1)[0]
		e.target = rd.expr(depth + 1)
		n := rd.count()
		e.path = make([]step, 0, n)
		for i := 0; i < n && rd.err == nil; i++ {
			st := step{key: rd.str(), index: int(rd.uvarint()) - 1}
			if st.index < -1 || st.index > math.MaxInt32 || st.key == "" && st.index < 0 {
				rd.fail("bad getAttr step")
			}
			e.path = append(e.path, st)
		}
		return e
	case binTemplate:
		rd.off++
		return &template{parts: rd.exprs(depth + 1)}
	case binObject:
		rd.off++
		n := rd.count()
		o := &objectExpr{keys: make([]string, 0, n), vals: carve(&rd.exprList, n)[:0]}
		for i := 0; i < n && rd.err == nil; i++ {
			o.keys = append(o.keys, rd.str())
			o.vals = append(o.vals, rd.expr(depth+1))
		}
		return o
	case binList:
		rd.off++
		return &listExpr{items: rd.exprs(depth + 1)}
	}
	return literal{rd.value(depth)}
}

// value reads a literal value.
func (rd *binReader) value(depth int) any {
	switch tag := rd.byte(); tag {
	case binNil:
		return nil
	case binString:
		return rd.str()
	case binTrue:
		return true
	case binFalse:
		return false
	case binFloat:
		if rd.err != nil || len(rd.s)-rd.off < 8 {
			rd.fail("cut short")
			return nil
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64([]byte(rd.s[rd.off : rd.off+8])))
		rd.off += 8
		return v
	case binList:
		if depth > maxDepth {
			rd.fail("values nested too deep")
			return nil
		}
		n := rd.count()
		out := make([]any, 0, n)
		for i := 0; i < n && rd.err == nil; i++ {
			out = append(out, rd.value(depth+1))
		}
		return out
	default:
		rd.fail("value tag %d", tag)
		return nil
	}
}
