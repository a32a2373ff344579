package model

import (
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/awslua/awslua/internal/bundleformat"
)

// A shapeTable holds a service's shapes, each decoded from the bundle on
// first use: a call reaches a few of a service's shapes (ec2's
// DescribeInstances about 100 of 4,014), and decoding them all was most of
// the first call's cost.
type shapeTable struct {
	service string
	names   []string // sorted
	// offs locates shape i's encoded value at tree[offs[i]:offs[i+1]];
	// nil when the shapes were built in code (SetShapes).
	offs []int
	tree []byte
	done []atomic.Pointer[Shape]

	mu sync.Mutex // serializes decoding, which shares d's string table and slabs
	d  decoder
}

// index returns the position of a shape's name, -1 when there is none.
func (t *shapeTable) index(name string) int {
	if t == nil {
		return -1
	}
	if i, ok := slices.BinarySearch(t.names, name); ok {
		return i
	}
	return -1
}

// at returns shape i, decoding it on first use.
func (t *shapeTable) at(i int) (*Shape, error) {
	if s := t.done[i].Load(); s != nil {
		return s, nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := t.done[i].Load(); s != nil {
		return s, nil
	}
	d := &t.d
	end := t.offs[i+1]
	d.b, d.off, d.err = t.tree[:end], t.offs[i], nil
	s := new(Shape)
	d.shape(s)
	if d.err == nil && d.off != end {
		d.fail("%d bytes left over", end-d.off)
	}
	if d.err != nil {
		return nil, fmt.Errorf("model: service %q: shape %q: corrupt bundle entry: %w", t.service, t.names[i], d.err)
	}
	if len(s.MemberOrder) != len(s.Members) {
		s.MemberOrder = sortedKeys(s.Members)
	}
	t.done[i].Store(s)
	return s, nil
}

// LookupShape returns the named shape, decoding it on first use. It is an
// error if the model has no such shape or the bundle cannot decode it.
func (s *Service) LookupShape(name string) (*Shape, error) {
	i := s.shapes.index(name)
	if i < 0 {
		return nil, fmt.Errorf("model: service %q has no shape %q", s.Name, name)
	}
	return s.shapes.at(i)
}

// Shape returns the named shape, decoding it on first use; nil if the
// model has no such shape or the bundle cannot decode it (LookupShape
// says which).
func (s *Service) Shape(name string) *Shape {
	sh, _ := s.LookupShape(name)
	return sh
}

// Shapes yields every shape of the service with its name, in name order,
// decoding each on first use; a shape the bundle cannot decode is left out
// (LookupShape reports it). Only what needs every shape should range over
// them: ec2 has 4,014.
func (s *Service) Shapes() iter.Seq2[string, *Shape] {
	return func(yield func(string, *Shape) bool) {
		t := s.shapes
		if t == nil {
			return
		}
		for i, name := range t.names {
			if sh, err := t.at(i); err == nil && !yield(name, sh) {
				return
			}
		}
	}
}

// SetShapes gives a Service made in code (a test's model, say) its
// shapes, and ErrorCodes from them. It must be called before the Service
// is shared.
func (s *Service) SetShapes(shapes map[string]*Shape) {
	t := &shapeTable{service: s.Name, names: sortedKeys(shapes)}
	t.done = make([]atomic.Pointer[Shape], len(t.names))
	s.ErrorCodes = nil
	for i, name := range t.names {
		sh := shapes[name]
		if sh == nil {
			sh = new(Shape)
		}
		t.done[i].Store(sh)
		if sh.Exception || sh.Error != nil {
			code := name
			if sh.Error != nil && sh.Error.Code != "" {
				code = sh.Error.Code
			}
			if s.ErrorCodes == nil {
				s.ErrorCodes = map[string]string{}
			}
			s.ErrorCodes[name] = code
		}
	}
	s.shapes = t
}

// shapeIndex reads the shapes' index (bundleformat.TagIndex): their names
// and where each is encoded. The values stay undecoded; the index is
// checked whole, so that a damaged one is an error when the service loads.
func (d *decoder) shapeIndex(service string) *shapeTable {
	t := &shapeTable{service: service}
	switch tag := d.tag(); tag {
	case bundleformat.TagIndex:
	case bundleformat.TagNull:
		return t
	default:
		d.fail("want the shapes' index, have tag %d", tag)
		return nil
	}
	n := d.count()
	if d.err != nil {
		return nil
	}
	t.names = make([]string, n)
	for i := range t.names {
		t.names[i] = d.strIndex()
		if i > 0 && d.err == nil && t.names[i-1] >= t.names[i] {
			d.fail("shape %q is out of order", t.names[i])
		}
	}
	t.offs = make([]int, n+1)
	for i := range n {
		t.offs[i+1] = t.offs[i] + d.count()
	}
	if d.err == nil && t.offs[n] > len(d.b)-d.off {
		d.fail("the shapes overrun the entry")
	}
	if d.err != nil {
		return nil
	}
	for i := range t.offs {
		t.offs[i] += d.off
	}
	d.off += t.offs[n] - t.offs[0]
	t.tree = d.b
	t.d = decoder{strs: d.strs, ends: d.ends}
	t.done = make([]atomic.Pointer[Shape], n)
	return t
}

// UnmarshalJSON decodes botocore's service-2.json, shapes included (a
// test's model, say).
func (s *Service) UnmarshalJSON(b []byte) error {
	type plain Service
	v := struct {
		*plain
		Shapes map[string]*Shape `json:"shapes"`
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	s.SetShapes(v.Shapes)
	return nil
}
