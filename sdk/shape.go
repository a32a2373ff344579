package sdk

import (
	"io"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	smithydocument "github.com/aws/smithy-go/document"
	"github.com/aws/smithy-go/middleware"

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

// A Shape describes how one Go type of an aws-sdk-go-v2 service maps to
// dynamic values. Shapes are compiled once per type and shared.
type Shape struct {
	Kind Kind
	Type reflect.Type // the Go type, with pointers removed
	// Pointer is true when the Go value is a pointer, so nil means absent.
	Pointer bool
	// Elem is the element shape of a list or map.
	Elem *Shape
	// Members are a structure's members in API order.
	Members []*Member
	// Variants are a union's members by member name.
	Variants map[string]*Member

	byName    map[string]*Member
	byFold    map[string]*Member
	newDoc    func(any) any // for documents
	memberSet string        // "A, B, C" for messages
	// model is the botocore shape of a model-driven service's Shape.
	model *model.Shape
	name  string
}

// A Member is one member of a structure, or one variant of a union.
type Member struct {
	Name  string // the API's member name
	Field string // the Go field name
	Shape *Shape
	index int
	// variant is the struct type of a union variant, such as
	// types.AttributeValueMemberS; its one field holds the value.
	variant reflect.Type
	// Decode, when set, turns the member's string into what boto3 returns
	// for it (IAM's URL-encoded policy documents become maps).
	Decode func(string) any
	// ref is the member's reference in a model-driven service's model.
	ref *model.ShapeRef
}

var (
	shapes    sync.Map // reflect.Type -> *Shape
	shapeMu   sync.Mutex
	unionsOf  = map[reflect.Type]map[string]reflect.Type{}
	docsOf    = map[reflect.Type]func(any) any{}
	renamesOf = map[reflect.Type]map[string]string{}

	typeTime     = reflect.TypeFor[time.Time]()
	typeBytes    = reflect.TypeFor[[]byte]()
	typeReader   = reflect.TypeFor[io.Reader]()
	typeMetadata = reflect.TypeFor[middleware.Metadata]()
	typeDocument = reflect.TypeFor[smithydocument.Marshaler]()
)

func registerShapes(s *Service) {
	shapeMu.Lock()
	defer shapeMu.Unlock()
	for t, m := range s.Unions {
		unionsOf[t] = m
	}
	for t, f := range s.Documents {
		docsOf[t] = f
	}
	for t, m := range s.Members {
		renamesOf[t] = m
	}
}

// ShapeOf returns the shape of a Go type of a registered service.
func ShapeOf(t reflect.Type) *Shape {
	if s, ok := shapes.Load(t); ok {
		return s.(*Shape)
	}
	shapeMu.Lock()
	defer shapeMu.Unlock()
	seen := map[reflect.Type]*Shape{}
	s := compile(t, seen)
	// Publish only complete shapes: a recursive shape is finished only
	// when the outermost compile returns.
	for t, s := range seen {
		shapes.Store(t, s)
	}
	return s
}

// compile builds the shape of t. Recursive structures (a DynamoDB
// AttributeValue holds AttributeValues) are tied through seen.
func compile(t reflect.Type, seen map[reflect.Type]*Shape) *Shape {
	if s, ok := shapes.Load(t); ok {
		return s.(*Shape)
	}
	if s, ok := seen[t]; ok {
		return s
	}
	s := &Shape{Type: t}
	if t.Kind() == reflect.Pointer {
		s.Pointer = true
		s.Type = t.Elem()
	}
	seen[t] = s
	et := s.Type
	switch {
	case et == typeTime:
		s.Kind = KindTimestamp
	case et == typeBytes:
		s.Kind = KindBlob
	case et.Kind() == reflect.Interface:
		if m, ok := unionsOf[et]; ok {
			s.Kind = KindUnion
			s.Variants = map[string]*Member{}
			for name, vt := range m {
				// A variant is a struct with one field, Value.
				s.Variants[name] = &Member{Name: name, Field: "Value", Shape: compile(vt.Field(0).Type, seen), variant: vt}
			}
			s.Type = et
		} else if f, ok := docsOf[et]; ok {
			s.Kind, s.newDoc = KindDocument, f
		} else if et == typeReader || et.Implements(typeReader) || typeReader.Implements(et) {
			s.Kind = KindStream
		} else if et.Implements(typeDocument) {
			s.Kind = KindDocument
		} else {
			s.Kind = KindDocument
		}
	case et.Kind() == reflect.String:
		s.Kind = KindString
	case et.Kind() == reflect.Bool:
		s.Kind = KindBool
	case et.Kind() >= reflect.Int && et.Kind() <= reflect.Uint64:
		s.Kind = KindInteger
	case et.Kind() == reflect.Float32 || et.Kind() == reflect.Float64:
		s.Kind = KindFloat
	case et.Kind() == reflect.Slice:
		s.Kind = KindList
		s.Elem = compile(et.Elem(), seen)
	case et.Kind() == reflect.Map:
		s.Kind = KindMap
		s.Elem = compile(et.Elem(), seen)
	case et.Kind() == reflect.Struct:
		s.Kind = KindStructure
		renames := renamesOf[et]
		s.byName = map[string]*Member{}
		s.byFold = map[string]*Member{}
		var names []string
		for i := range et.NumField() {
			f := et.Field(i)
			if !f.IsExported() || f.Anonymous || f.Type == typeMetadata {
				continue
			}
			name := f.Name
			if r, ok := renames[f.Name]; ok {
				name = r
			}
			m := &Member{Name: name, Field: f.Name, Shape: compile(f.Type, seen), index: i}
			s.Members = append(s.Members, m)
			s.byName[name] = m
			s.byName[f.Name] = m
			s.byFold[strings.ToLower(name)] = m
			names = append(names, name)
		}
		sort.Strings(names)
		s.memberSet = strings.Join(names, ", ")
	default:
		s.Kind = KindDocument
	}
	return s
}

// Member returns a structure's member by its API name, its Go field name, or
// failing both, a name that differs only in case.
func (s *Shape) Member(name string) (*Member, bool) {
	if m, ok := s.byName[name]; ok {
		return m, true
	}
	m, ok := s.byFold[strings.ToLower(name)]
	return m, ok
}

// MemberNames returns a structure's member names, sorted, joined by ", ".
func (s *Shape) MemberNames() string { return s.memberSet }

// Get returns member m of the structure value v (a struct, not a pointer).
func (m *Member) Get(v reflect.Value) reflect.Value { return v.Field(m.index) }
