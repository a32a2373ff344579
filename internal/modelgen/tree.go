package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// object is a JSON object that remembers its keys' order: botocore's
// member order is meaningful (it is the order boto3 serializes and lists
// members in), and a plain map would lose it.
type object struct {
	keys []string
	vals map[string]any
}

func newObject() *object { return &object{vals: map[string]any{}} }

// index marks an object the bundle stores with an index of its values
// (bundleformat.TagIndex), so that the reader can decode one value
// without the others: a service's shapes.
type index struct{ *object }

func (o *object) get(k string) (any, bool) {
	v, ok := o.vals[k]
	return v, ok
}

// set keeps an existing key where it is and appends a new one, as a
// Python dict does on assignment; botocore's extras merge relies on that.
func (o *object) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *object) obj(k string) *object {
	v, _ := o.vals[k].(*object)
	return v
}

// decodeTree reads one JSON value into objects, []any, string,
// json.Number, bool and nil. Numbers stay json.Number so they are written
// back exactly as botocore spells them.
func decodeTree(r io.Reader) (any, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := newObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string)
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				o.set(k, v)
			}
			_, err := dec.Token() // '}'
			return o, err
		case '[':
			l := []any{}
			for dec.More() {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			_, err := dec.Token() // ']'
			return l, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil
	}
}

// deepMerge folds an sdk-extras file's "merge" object into a model the way
// botocore's loader does: objects merge key by key, anything else replaces.
func deepMerge(base, extra *object) {
	for _, k := range extra.keys {
		ev := extra.vals[k]
		if bo, ok := base.vals[k].(*object); ok {
			if eo, ok := ev.(*object); ok {
				deepMerge(bo, eo)
				continue
			}
		}
		base.set(k, ev)
	}
}

// encodeTree writes v as minified JSON with every object's keys sorted,
// so that the same botocore data always yields the same bytes.
func encodeTree(buf *bytes.Buffer, v any) error {
	switch t := v.(type) {
	case *object:
		keys := slices.Clone(t.keys)
		slices.Sort(keys)
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeString(buf, k); err != nil {
				return err
			}
			buf.WriteByte(':')
			if err := encodeTree(buf, t.vals[k]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case []any:
		buf.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeTree(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case rawJSON:
		return encodeTree(buf, t.v)
	case index:
		return encodeTree(buf, t.object)
	case []byte: // as encoding/json writes bytes
		return encodeString(buf, base64.StdEncoding.EncodeToString(t))
	case string:
		return encodeString(buf, t)
	case json.Number:
		buf.WriteString(string(t))
	case bool:
		if t {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	case nil:
		buf.WriteString("null")
	default:
		return fmt.Errorf("cannot encode %T", v)
	}
	return nil
}

func encodeString(buf *bytes.Buffer, s string) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	buf.Write(b)
	return nil
}
