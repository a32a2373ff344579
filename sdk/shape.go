package sdk

import (
	"strings"

	"github.com/awslua/awslua/sdk/model"
)

// Kind is the kind of an API shape as dynamic values see it.
type Kind uint8

// The kinds of shapes.
const (
	KindString    Kind = iota + 1 // strings and enums
	KindBool                      // booleans
	KindInteger                   // int32, int64 and friends
	KindFloat                     // float32 and float64
	KindTimestamp                 // time.Time
	KindBlob                      // []byte
	KindStream                    // a streaming body: io.Reader in, io.ReadCloser out
	KindList                      // a list of Elem
	KindMap                       // a map of string to Elem
	KindStructure                 // a structure of Members
	KindUnion                     // exactly one of Variants
	KindDocument                  // an untyped document
)

var kindNames = [...]string{"", "string", "boolean", "integer", "float", "timestamp", "blob", "stream", "list", "map", "structure", "union", "document"}

func (k Kind) String() string { return kindNames[k] }

// A Shape describes a shape of a service's model as dynamic values see it.
// Shapes are built once per service and shared.
type Shape struct {
	Kind Kind
	// Elem is the element shape of a list or map.
	Elem *Shape
	// Members are a structure's members in API order.
	Members []*Member
	// Variants are a union's members by member name.
	Variants map[string]*Member

	byName    map[string]*Member
	byFold    map[string]*Member
	memberSet string // "A, B, C" for messages
	model     *model.Shape
	name      string
}

// A Member is one member of a structure, or one variant of a union.
type Member struct {
	Name  string // the API's member name
	Shape *Shape
	ref   *model.ShapeRef
}

// Member returns a structure's member by its API name or, failing that, a
// name that differs only in case (for completion and suggestions; a
// request must use the API's name).
func (s *Shape) Member(name string) (*Member, bool) {
	if m, ok := s.byName[name]; ok {
		return m, true
	}
	m, ok := s.byFold[strings.ToLower(name)]
	return m, ok
}

// ValueShape returns the shape of what a value of this shape holds at key:
// a structure's member, a union's variant or a map's value; nil for a key
// the shape does not have, for any other shape, and on a nil Shape.
func (s *Shape) ValueShape(key string) *Shape {
	if s == nil {
		return nil
	}
	switch s.Kind {
	case KindMap:
		return s.Elem
	case KindUnion:
		if m, ok := s.Variants[key]; ok {
			return m.Shape
		}
	case KindStructure:
		if m, ok := s.Member(key); ok {
			return m.Shape
		}
	}
	return nil
}

// MemberNames returns a structure's member names, sorted, joined by ", ".
func (s *Shape) MemberNames() string { return s.memberSet }
