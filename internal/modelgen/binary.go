package main

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/awslua/awslua/internal/bundleformat"
)

// The bundle's binary tree (internal/bundleformat) costs sdk/model one
// string allocation per service instead of one per value, and its string
// table makes the data smaller before DEFLATE sees it.

// encodeBinary writes v as the string table followed by the tree:
//
//	uvarint count, count × uvarint length, the strings' bytes, the tree
//
// Strings are numbered by falling frequency (ties in byte order) so that
// the common ones take one byte and the output is deterministic.
func encodeBinary(v any) ([]byte, error) {
	freq := map[string]int{}
	countStrings(v, freq)
	strs := make([]string, 0, len(freq))
	for s := range freq {
		strs = append(strs, s)
	}
	slices.SortFunc(strs, func(a, b string) int {
		if c := cmp.Compare(freq[b], freq[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	ids := make(map[string]uint64, len(strs))
	for i, s := range strs {
		ids[s] = uint64(i)
	}
	var out []byte
	out = binary.AppendUvarint(out, uint64(len(strs)))
	for _, s := range strs {
		out = binary.AppendUvarint(out, uint64(len(s)))
	}
	for _, s := range strs {
		out = append(out, s...)
	}
	return appendValue(out, v, ids)
}

func countStrings(v any, freq map[string]int) {
	switch t := v.(type) {
	case *object:
		for _, k := range t.keys {
			freq[k]++
			countStrings(t.vals[k], freq)
		}
	case index:
		countStrings(t.object, freq)
	case []any:
		for _, e := range t {
			countStrings(e, freq)
		}
	case string:
		freq[t]++
	case json.Number:
		if _, ok := integer(t); !ok {
			freq[string(t)]++
		}
	}
}

// integer reports a number written as an integer that fits in an int64.
func integer(n json.Number) (int64, bool) {
	i, err := strconv.ParseInt(string(n), 10, 64)
	return i, err == nil
}

func appendValue(out []byte, v any, ids map[string]uint64) ([]byte, error) {
	switch t := v.(type) {
	case nil:
		return append(out, bundleformat.TagNull), nil
	case bool:
		if t {
			return append(out, bundleformat.TagTrue), nil
		}
		return append(out, bundleformat.TagFalse), nil
	case string:
		return binary.AppendUvarint(append(out, bundleformat.TagString), ids[t]), nil
	case json.Number:
		if i, ok := integer(t); ok {
			if i >= 0 {
				return binary.AppendUvarint(append(out, bundleformat.TagUint), uint64(i)), nil
			}
			return binary.AppendUvarint(append(out, bundleformat.TagNeg), uint64(-i)), nil
		}
		return binary.AppendUvarint(append(out, bundleformat.TagNumber), ids[string(t)]), nil
	case []any:
		out = binary.AppendUvarint(append(out, bundleformat.TagArray), uint64(len(t)))
		for _, e := range t {
			var err error
			if out, err = appendValue(out, e, ids); err != nil {
				return nil, err
			}
		}
		return out, nil
	case *object:
		// Keys in sorted order, as in the JSON form, so the bytes do not
		// depend on the source's key order except through memberOrder.
		keys := slices.Sorted(slices.Values(t.keys))
		out = binary.AppendUvarint(append(out, bundleformat.TagObject), uint64(len(keys)))
		for _, k := range keys {
			out = binary.AppendUvarint(out, ids[k])
			var err error
			if out, err = appendValue(out, t.vals[k], ids); err != nil {
				return nil, err
			}
		}
		return out, nil
	case index:
		keys := slices.Sorted(slices.Values(t.keys))
		vals := make([][]byte, len(keys))
		out = binary.AppendUvarint(append(out, bundleformat.TagIndex), uint64(len(keys)))
		for i, k := range keys {
			out = binary.AppendUvarint(out, ids[k])
			var err error
			if vals[i], err = appendValue(nil, t.vals[k], ids); err != nil {
				return nil, err
			}
		}
		for _, v := range vals {
			out = binary.AppendUvarint(out, uint64(len(v)))
		}
		for _, v := range vals {
			out = append(out, v...)
		}
		return out, nil
	case []byte:
		out = binary.AppendUvarint(append(out, bundleformat.TagBytes), uint64(len(t)))
		return append(out, t...), nil
	case rawJSON:
		var buf bytes.Buffer
		if err := encodeTree(&buf, t.v); err != nil {
			return nil, err
		}
		out = binary.AppendUvarint(append(out, bundleformat.TagRaw), uint64(buf.Len()))
		return append(out, buf.Bytes()...), nil
	}
	return nil, fmt.Errorf("cannot encode %T", v)
}
