package protocol

import (
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"time"

	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/document"
)

// outputValue builds an operation's dynamic output from a ShapeDeserializer.
type outputValue struct {
	c    *Codec
	root *node
	v    map[string]any
}

var _ smithy.Deserializable = (*outputValue)(nil)

// Deserialize reads the output structure.
func (o *outputValue) Deserialize(d smithy.ShapeDeserializer) error {
	r := &reader{c: o.c, d: d}
	v, err := r.structure(o.root, o.root.schema)
	if err != nil {
		return err
	}
	if m, ok := v.(map[string]any); ok {
		for k, x := range m {
			o.v[k] = x
		}
	}
	return nil
}

// streamingOutput is the output of an operation whose payload is a
// streaming blob: the codecs check for smithy.StreamingOutput on the value
// and hand it the body unread.
type streamingOutput struct {
	outputValue
	member string
}

var _ smithy.StreamingOutput = (*streamingOutput)(nil)

// SetPayloadStream keeps the body, unread, as the payload member's value.
func (o *streamingOutput) SetPayloadStream(rc io.ReadCloser) {
	o.v[o.member] = rc
}

// reader turns what a ShapeDeserializer yields into dynamic values.
type reader struct {
	c *Codec
	d smithy.ShapeDeserializer
	// message is the synthetic message member's value, for errors
	message *string
	// The scalars are read into these: a local whose address goes to the
	// deserializer, an interface, escapes, and that was an allocation per
	// value on top of the one that boxes it (a listing's page: 5,000).
	str string
	b   bool
	i8  int8
	i16 int16
	i32 int32
	i64 int64
	f32 float32
	f64 float64
	ts  time.Time
}

func (r *reader) structure(n *node, sch *smithy.Schema) (any, error) {
	out := map[string]any{}
	err := smithy.ReadStruct(r.d, sch, func(ms *smithy.Schema) error {
		m := n.byWire[ms]
		if m == nil {
			return fmt.Errorf("protocol: %s: member %q is not in the model", n.name, ms.MemberName())
		}
		if m.name == syntheticMessage {
			var s string
			if err := r.d.ReadString(ms, &s); err != nil {
				return err
			}
			r.message = &s
			return nil
		}
		v, err := r.value(m, ms)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", n.name, m.name, err)
		}
		out[m.name] = v
		return nil
	})
	return out, err
}

// value reads one value of member m. A nil result with a nil error is a
// null in the payload.
func (r *reader) value(m *member, sch *smithy.Schema) (any, error) {
	n := m.node
	d := r.d
	switch n.kind {
	case smithy.ShapeTypeStructure:
		return r.structure(n, sch)
	case smithy.ShapeTypeUnion:
		if n.event {
			// Event streams are the caller's to read from the body; the
			// codecs leave the body alone for them.
			return nil, nil
		}
		out := map[string]any{}
		err := smithy.ReadUnion(d, sch, func(ms *smithy.Schema) error {
			vm := n.byWire[ms]
			if vm == nil {
				return nil
			}
			v, err := r.value(vm, ms)
			if err != nil {
				return err
			}
			out[vm.name] = v
			return nil
		})
		return out, err
	case smithy.ShapeTypeList:
		out := []any{}
		err := smithy.ReadList(d, sch, func() error {
			isNil, err := d.ReadNil(n.elem.schema)
			if err != nil {
				return err
			}
			if isNil {
				if n.shape.Sparse {
					out = append(out, nil)
				}
				return nil
			}
			v, err := r.value(n.elem, n.elem.schema)
			if err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
		return out, err
	case smithy.ShapeTypeMap:
		out := map[string]any{}
		err := smithy.ReadMap(d, sch, func(k string) error {
			isNil, err := d.ReadNil(n.elem.schema)
			if err != nil {
				return err
			}
			if isNil {
				if n.shape.Sparse {
					out[k] = nil
				}
				return nil
			}
			v, err := r.value(n.elem, n.elem.schema)
			if err != nil {
				return err
			}
			out[k] = v
			return nil
		})
		return out, err
	case smithy.ShapeTypeString, smithy.ShapeTypeEnum:
		r.str = ""
		if err := d.ReadString(sch, &r.str); err != nil {
			return nil, err
		}
		s := r.str
		if m.jsonValue {
			var v any
			if err := json.Unmarshal([]byte(s), &v); err != nil {
				return nil, fmt.Errorf("jsonvalue: %w", err)
			}
			return v, nil
		}
		return s, nil
	case smithy.ShapeTypeBoolean:
		r.b = false
		err := d.ReadBool(sch, &r.b)
		return r.b, err
	case smithy.ShapeTypeByte:
		r.i8 = 0
		err := d.ReadInt8(sch, &r.i8)
		return int64(r.i8), err
	case smithy.ShapeTypeShort:
		r.i16 = 0
		err := d.ReadInt16(sch, &r.i16)
		return int64(r.i16), err
	case smithy.ShapeTypeInteger, smithy.ShapeTypeIntEnum:
		r.i32 = 0
		err := d.ReadInt32(sch, &r.i32)
		return int64(r.i32), err
	case smithy.ShapeTypeLong:
		r.i64 = 0
		err := d.ReadInt64(sch, &r.i64)
		return r.i64, err
	case smithy.ShapeTypeFloat:
		r.f32 = 0
		err := d.ReadFloat32(sch, &r.f32)
		return float64(r.f32), err
	case smithy.ShapeTypeDouble:
		r.f64 = 0
		err := d.ReadFloat64(sch, &r.f64)
		return r.f64, err
	case smithy.ShapeTypeTimestamp:
		r.ts = time.Time{}
		err := d.ReadTime(sch, &r.ts)
		return r.ts.UTC(), err
	case smithy.ShapeTypeBlob:
		var b []byte
		if err := d.ReadBlob(sch, &b); err != nil {
			return nil, err
		}
		if b == nil {
			b = []byte{}
		}
		return b, nil
	case smithy.ShapeTypeBigInteger, smithy.ShapeTypeBigDecimal:
		return readBig(r.c.name, d, sch, n.kind == smithy.ShapeTypeBigInteger)
	case smithy.ShapeTypeDocument:
		return readDocument(r.c.name, d, sch)
	}
	return nil, fmt.Errorf("protocol: unsupported shape type %v", n.kind)
}

// plain turns a decoded document into plain Go values: map[string]any,
// []any, string, bool, nil, and numbers as int64 when integral, else
// float64.
func plain(v any) any {
	switch x := v.(type) {
	case document.Opaque:
		return plain(x.Value)
	case *document.Opaque:
		return plain(x.Value)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plain(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	}
	return v
}

// bigValue parses decimal text into the Go type of a big number shape:
// *big.Int for biginteger, *big.Float for bigdecimal.
func bigValue(s string, integer bool) (any, error) {
	if integer {
		i, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, fmt.Errorf("protocol: bad big integer %q", s)
		}
		return i, nil
	}
	f, _, err := big.ParseFloat(s, 10, 256, big.ToNearestEven)
	if err != nil {
		return nil, fmt.Errorf("protocol: bad big decimal %q", s)
	}
	return f, nil
}
