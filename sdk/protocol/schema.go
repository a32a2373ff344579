package protocol

import (
	"fmt"
	"regexp"
	"sort"

	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/traits"

	"github.com/awslua/awslua/sdk/model"
)

// A node is one shape of the model turned into a smithy schema, with what the
// dynamic walkers need that the schema does not say: the model's member names
// (the keys of the dynamic values) and the botocore traits that have no
// Smithy equivalent (jsonvalue).
//
// Nodes are built under Codec.mu and never changed once the operation that
// reached them is published, so readers need no lock.
type node struct {
	name   string
	shape  *model.Shape
	kind   smithy.ShapeType
	schema *smithy.Schema

	// structures and unions: members by model name, in model order
	members map[string]*member
	order   []string
	// byWire finds a member from the member schema a deserializer yields
	byWire map[*smithy.Schema]*member

	elem  *member // list member or map value
	key   *member // map key
	event bool    // an event stream (a union marked streaming)
}

// A member is a reference to a node from a structure, list or map, with the
// member schema the codecs see.
type member struct {
	name      string
	schema    *smithy.Schema
	node      *node
	ref       *model.ShapeRef
	jsonValue bool // a header whose value is JSON text, as botocore's jsonvalue
	streaming bool // a streaming blob payload
}

// builder turns a service's shapes into schemas. The service's protocol
// decides which botocore trait becomes which Smithy trait.
type builder struct {
	svc   *model.Service
	proto string // botocore's protocol name as resolved
	ns    string
	nodes map[string]*node
}

// rpcNames reports whether the protocol names JSON/CBOR keys by the member
// name alone (awsJson and rpcv2Cbor ignore @jsonName), so that a botocore
// locationName must become the schema member's name.
func (b *builder) rpcNames() bool {
	return b.proto == "json" || b.proto == "smithy-rpc-v2-cbor"
}

func (b *builder) xmlish() bool {
	switch b.proto {
	case "rest-xml", "query", "ec2":
		return true
	}
	return false
}

var shapeTypes = map[string]smithy.ShapeType{
	"blob":       smithy.ShapeTypeBlob,
	"boolean":    smithy.ShapeTypeBoolean,
	"string":     smithy.ShapeTypeString,
	"character":  smithy.ShapeTypeString, // older models' one-character strings
	"timestamp":  smithy.ShapeTypeTimestamp,
	"byte":       smithy.ShapeTypeByte,
	"short":      smithy.ShapeTypeShort,
	"integer":    smithy.ShapeTypeInteger,
	"long":       smithy.ShapeTypeLong,
	"float":      smithy.ShapeTypeFloat,
	"double":     smithy.ShapeTypeDouble,
	"bigdecimal": smithy.ShapeTypeBigDecimal,
	"biginteger": smithy.ShapeTypeBigInteger,
	"list":       smithy.ShapeTypeList,
	"map":        smithy.ShapeTypeMap,
	"structure":  smithy.ShapeTypeStructure,
}

// timestampFormats renames botocore's timestampFormat values to Smithy's.
var timestampFormats = map[string]string{
	"iso8601":       "date-time",
	"rfc822":        "http-date",
	"unixTimestamp": "epoch-seconds",
}

func (b *builder) shape(name string) (*model.Shape, error) {
	s, err := b.svc.LookupShape(name)
	if err != nil {
		return nil, fmt.Errorf("protocol: %w", err)
	}
	return s, nil
}

// shapeTraits are the traits a shape carries whatever refers to it.
func (b *builder) shapeTraits(s *model.Shape) []smithy.Trait {
	var ts []smithy.Trait
	if f, ok := timestampFormats[s.TimestampFormat]; ok {
		ts = append(ts, &traits.TimestampFormat{Format: f})
	}
	if s.Flattened && b.xmlish() {
		ts = append(ts, &traits.XMLFlattened{})
	}
	if s.Streaming || s.EventStream {
		ts = append(ts, &traits.Streaming{})
	}
	if s.Exception || s.Error != nil {
		typ := "client"
		if s.Fault {
			typ = "server"
		}
		ts = append(ts, &traits.Error{Type: typ})
		if s.Error != nil {
			if s.Error.HTTPStatusCode != 0 {
				ts = append(ts, &traits.HTTPError{Code: s.Error.HTTPStatusCode})
			}
			if s.Error.Code != "" {
				ts = append(ts, &traits.AWSQueryError{ErrorCode: s.Error.Code, StatusCode: s.Error.HTTPStatusCode})
			}
		}
	}
	return ts
}

// node returns the node for a named shape, building it (and everything it
// reaches) on first use. The node is cached before its members are attached,
// so recursive shapes end on the cached node.
func (b *builder) node(name string) (*node, error) {
	if n := b.nodes[name]; n != nil {
		return n, nil
	}
	s, err := b.shape(name)
	if err != nil {
		return nil, err
	}
	n := &node{name: name, shape: s}
	switch {
	case s.Document:
		n.kind = smithy.ShapeTypeDocument
	case s.EventStream:
		n.kind, n.event = smithy.ShapeTypeUnion, true
	case s.Union:
		n.kind = smithy.ShapeTypeUnion
	default:
		t, ok := shapeTypes[s.Type]
		if !ok {
			return nil, fmt.Errorf("protocol: shape %q has unknown type %q", name, s.Type)
		}
		n.kind = t
	}
	n.schema = smithy.NewSchema(smithy.ShapeID{Namespace: b.ns, Name: name}, n.kind, len(s.Members), b.shapeTraits(s)...)
	b.nodes[name] = n
	if err := b.attach(n, nil); err != nil {
		delete(b.nodes, name)
		return nil, err
	}
	return n, nil
}

// root builds the schema of an operation's input or output: its own schema
// (not the cached shape's), because the operation's reference carries traits
// (locationName, xmlNamespace) that belong on the root and must be set
// before members are attached, as AddMember copies the target's traits.
func (b *builder) root(ref *model.ShapeRef, input bool) (*node, error) {
	s, err := b.shape(ref.Shape)
	if err != nil {
		return nil, err
	}
	ts := b.shapeTraits(s)
	if b.proto == "rest-xml" && input {
		if ref.LocationName != "" {
			ts = append(ts, &traits.XMLName{Name: ref.LocationName})
		}
		ns := ref.XMLNamespace
		if ns == nil {
			ns = s.XMLNamespace
		}
		if ns != nil {
			ts = append(ts, &traits.XMLNamespace{URI: ns.URI, Prefix: ns.Prefix})
		}
	}
	n := &node{name: ref.Shape, shape: s, kind: smithy.ShapeTypeStructure}
	n.schema = smithy.NewSchema(smithy.ShapeID{Namespace: b.ns, Name: ref.Shape}, n.kind, len(s.Members), ts...)
	return n, b.attach(n, s)
}

// attach adds the members of a structure, union, list or map. top is the
// operation's input or output shape when n is its root: HTTP bindings
// (location, payload) apply there and on error shapes only.
func (b *builder) attach(n *node, top *model.Shape) error {
	s := n.shape
	switch n.kind {
	case smithy.ShapeTypeStructure, smithy.ShapeTypeUnion:
		n.members = make(map[string]*member, len(s.Members))
		n.byWire = make(map[*smithy.Schema]*member, len(s.Members))
		n.order = memberOrder(s)
		// HTTP bindings apply to an operation's input and output, and to
		// error shapes, which are a response's top level too.
		bound := top != nil || s.Exception || s.Error != nil
		for _, name := range n.order {
			ref := s.Members[name]
			m, err := b.member(n, name, ref, bound && s.Payload == name, bound)
			if err != nil {
				return err
			}
			n.members[name] = m
			n.byWire[m.schema] = m
		}
		if n.shape.Exception || n.shape.Error != nil {
			b.errorMessage(n)
		}
	case smithy.ShapeTypeList:
		if s.Member == nil {
			return fmt.Errorf("protocol: list %q has no member", n.name)
		}
		m, err := b.member(n, "member", s.Member, false, false)
		if err != nil {
			return err
		}
		n.elem = m
	case smithy.ShapeTypeMap:
		if s.Key == nil || s.Value == nil {
			return fmt.Errorf("protocol: map %q has no key or value", n.name)
		}
		k, err := b.member(n, "key", s.Key, false, false)
		if err != nil {
			return err
		}
		v, err := b.member(n, "value", s.Value, false, false)
		if err != nil {
			return err
		}
		n.key, n.elem = k, v
	}
	return nil
}

// memberOrder is the model's member order when the loader kept it, else the
// names sorted, so that bodies are deterministic.
func memberOrder(s *model.Shape) []string {
	if len(s.MemberOrder) == len(s.Members) {
		ok := true
		for _, name := range s.MemberOrder {
			ok = ok && s.Members[name] != nil
		}
		if ok {
			return s.MemberOrder
		}
	}
	names := make([]string, 0, len(s.Members))
	for k, ref := range s.Members {
		if ref != nil {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}

// member translates one botocore member reference into a Smithy member.
// botocore merges a reference's traits over its target's, so the effective
// locationName and xmlNamespace are set directly on the member: the XML codec
// reads them as direct traits only.
func (b *builder) member(parent *node, name string, ref *model.ShapeRef, payload, bound bool) (*member, error) {
	target, err := b.node(ref.Shape)
	if err != nil {
		return nil, err
	}
	ts := b.memberTraits(target, ref, payload, bound)
	wire := name
	if b.rpcNames() && parent.kind != smithy.ShapeTypeList && parent.kind != smithy.ShapeTypeMap {
		if ln := locationName(ref, target.shape); ln != "" {
			wire = ln
		}
	}
	m := &member{name: name, node: target, ref: ref}
	m.schema = parent.schema.AddMember(wire, target.schema, ts...)
	// botocore honours jsonvalue on headers only; in a JSON body the
	// string is sent as given.
	m.jsonValue = ref.JSONValue && bound && ref.Location == "header"
	m.streaming = payload && target.kind == smithy.ShapeTypeBlob && (target.shape.Streaming || ref.Streaming)
	return m, nil
}

func locationName(ref *model.ShapeRef, target *model.Shape) string {
	if ref.LocationName != "" {
		return ref.LocationName
	}
	return target.LocationName
}

func (b *builder) memberTraits(target *node, ref *model.ShapeRef, payload, bound bool) []smithy.Trait {
	var ts []smithy.Trait
	ln := locationName(ref, target.shape)
	if n := flattenedQueryName(b.proto, ref, target); n != "" {
		ln = n
	}
	if bound {
		switch ref.Location {
		case "header":
			ts = append(ts, &traits.HTTPHeader{Name: ln})
		case "headers":
			ts = append(ts, &traits.HTTPPrefixHeaders{Prefix: ln})
		case "uri":
			ts = append(ts, &traits.HTTPLabel{})
		case "querystring":
			if target.kind == smithy.ShapeTypeMap {
				ts = append(ts, &traits.HTTPQueryParams{})
			} else {
				ts = append(ts, &traits.HTTPQuery{Name: ln})
			}
		case "statusCode":
			ts = append(ts, &traits.HTTPResponseCode{})
		}
		if payload {
			ts = append(ts, &traits.HTTPPayload{})
		}
	}
	if ref.Location == "" || payload {
		switch b.proto {
		case "rest-json":
			if ln != "" {
				ts = append(ts, &traits.JSONName{Name: ln})
			}
		case "rest-xml", "query", "ec2":
			if ln != "" {
				ts = append(ts, &traits.XMLName{Name: ln})
			}
		}
	}
	if b.proto == "ec2" && ref.QueryName != "" {
		ts = append(ts, &traits.EC2QueryName{Name: ref.QueryName})
	}
	if b.xmlish() {
		ns := ref.XMLNamespace
		if ns == nil {
			ns = target.shape.XMLNamespace
		}
		if ns != nil {
			ts = append(ts, &traits.XMLNamespace{URI: ns.URI, Prefix: ns.Prefix})
		}
		if ref.XMLAttribute {
			ts = append(ts, &traits.XMLAttribute{})
		}
		if ref.Flattened {
			ts = append(ts, &traits.XMLFlattened{})
		}
	}
	if f, ok := timestampFormats[ref.TimestampFormat]; ok {
		ts = append(ts, &traits.TimestampFormat{Format: f})
	}
	if ref.JSONValue && bound && ref.Location == "header" {
		ts = append(ts, &traits.MediaType{Type: "application/json"})
	}
	if ref.Streaming {
		ts = append(ts, &traits.Streaming{})
	}
	if ref.HostLabel {
		ts = append(ts, &traits.HostLabel{})
	}
	if ref.EventHeader {
		ts = append(ts, &traits.EventHeader{})
	}
	if ref.EventPayload {
		ts = append(ts, &traits.EventPayload{})
	}
	return ts
}

// errorMessage gives an error shape synthetic message members, so the
// codecs read the message of modeled errors too: S3's error shapes have no
// members, and botocore takes the message from "message" or "Message"
// whatever the shape calls its member. A synthetic member is added for each
// of those wire names no member has; it is not a member of the dynamic
// value, its text goes to ServiceError.Message.
func (b *builder) errorMessage(n *node) {
	wire := map[string]bool{}
	for name, m := range n.members {
		wire[name] = true
		if ln := locationName(m.ref, m.node.shape); ln != "" {
			wire[ln] = true
		}
	}
	names := []string{"Message"}
	if !b.xmlish() {
		names = append(names, "message")
	}
	str := smithy.NewSchema(smithy.ShapeID{Namespace: "smithy.api", Name: "String"}, smithy.ShapeTypeString, 0)
	for _, name := range names {
		if wire[name] {
			continue
		}
		ms := n.schema.AddMember(name, str)
		n.byWire[ms] = &member{name: syntheticMessage, schema: ms, node: &node{kind: smithy.ShapeTypeString}}
	}
}

// syntheticMessage marks the synthetic message member of error shapes.
const syntheticMessage = "\x00message"

var uriLabel = regexp.MustCompile(`\{([^}+]+)(\+?)\}`)

// requestURI rewrites botocore's URI labels, which name the member's
// locationName, to the member names smithy-go's encoder looks up.
func requestURI(uri string, in *model.Shape) string {
	if in == nil {
		return uri
	}
	byLoc := map[string]string{}
	for name, ref := range in.Members {
		if ref.Location == "uri" {
			ln := ref.LocationName
			if ln == "" {
				ln = name
			}
			byLoc[ln] = name
		}
	}
	return uriLabel.ReplaceAllStringFunc(uri, func(l string) string {
		sm := uriLabel.FindStringSubmatch(l)
		if name, ok := byLoc[sm[1]]; ok {
			return "{" + name + sm[2] + "}"
		}
		return l
	})
}
