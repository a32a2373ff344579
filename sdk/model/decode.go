package model

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/awslua/awslua/internal/bundleformat"
)

// A service's entry, once inflated, is its model as a binary tree (written
// by internal/modelgen/binary.go): JSON's data model with every string
// replaced by an index into a table at the front,
//
//	uvarint count, count × uvarint length, the strings' bytes, the tree
//
// and each value a tag byte and its payload. Decoding it by hand into the
// types below is several times faster than encoding/json on the same data
// (ec2: 38 ms as JSON), which matters because a script pays it on its
// first call of a service. The tests check that the result equals what
// encoding/json makes of the same tree.
//
// The shapes are stored with an index (bundleformat.TagIndex): a service
// loads with their names and offsets only, and each shape is decoded when
// first asked for (shapes.go).

// decoder reads one tree. The first error stops it: every later read
// returns a zero value and every loop ends, so the decode functions need
// not check after each read.
type decoder struct {
	b     []byte
	off   int
	strs  string   // the string table's bytes
	ends  []uint32 // where each string ends in strs
	err   error
	depth int // of any's recursion, bounded so damage cannot exhaust the stack

	// Slabs that small slices and references are carved from: a service
	// has tens of thousands of them, and one allocation per few hundred
	// costs the allocator and the collector far less than one each.
	refSlab []ShapeRef
	strSlab []string
}

const slabSize = 512

// newRefs returns n zeroed references from the slab. The slice's capacity
// is its length, so a caller's append cannot reach a neighbour's.
func (d *decoder) newRefs(n int) []ShapeRef {
	if n == 0 {
		return []ShapeRef{} // empty, not nil, as encoding/json makes it
	}
	if n > len(d.refSlab) {
		if n > slabSize/4 {
			return make([]ShapeRef, n)
		}
		d.refSlab = make([]ShapeRef, slabSize)
	}
	r := d.refSlab[:n:n]
	d.refSlab = d.refSlab[n:]
	return r
}

// newStrings is newRefs for string lists.
func (d *decoder) newStrings(n int) []string {
	if n == 0 {
		return []string{}
	}
	if n > len(d.strSlab) {
		if n > slabSize/4 {
			return make([]string, n)
		}
		d.strSlab = make([]string, slabSize)
	}
	r := d.strSlab[:n:n]
	d.strSlab = d.strSlab[n:]
	return r
}

func newDecoder(b []byte) *decoder {
	d := &decoder{b: b}
	n := d.count()
	if d.err != nil {
		return d
	}
	// String i is strs[ends[i-1]:ends[i]]: one allocation holds every
	// string of the service, and the ends cost a quarter of as many
	// string headers.
	ends := make([]uint32, n)
	total := 0
	for i := range ends {
		total += d.count()
		if total > len(d.b)-d.off {
			d.fail("string table overruns the entry")
			return d
		}
		ends[i] = uint32(total)
	}
	if d.err != nil {
		return d
	}
	d.strs, d.ends = string(d.b[d.off:d.off+total]), ends
	d.off += total
	return d
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("at byte %d: %s", d.off, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	// Most values are string indexes and lengths below 128: one byte.
	if d.off < len(d.b) && d.b[d.off] < 0x80 {
		d.off++
		return uint64(d.b[d.off-1])
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.off += n
	return v
}

// count reads a length; every counted thing takes at least one byte, so a
// count beyond the bytes left is damage, caught before it sizes anything.
func (d *decoder) count() int {
	v := d.uvarint()
	if v > uint64(len(d.b)-d.off) {
		d.fail("count %d overruns the entry", v)
		return 0
	}
	return int(v)
}

func (d *decoder) tag() byte {
	if d.err != nil {
		return bundleformat.TagNull
	}
	if d.off >= len(d.b) {
		d.fail("entry cut short")
		return bundleformat.TagNull
	}
	t := d.b[d.off]
	d.off++
	return t
}

func (d *decoder) strIndex() string {
	i := d.uvarint()
	if i >= uint64(len(d.ends)) {
		d.fail("string index %d out of range", i)
		return ""
	}
	start := uint32(0)
	if i > 0 {
		start = d.ends[i-1]
	}
	return d.strs[start:d.ends[i]]
}

// object reads an object, calling field for each key; field must read the
// key's value. A null is an empty object, as encoding/json treats it.
func (d *decoder) object(field func(key string)) {
	switch t := d.tag(); t {
	case bundleformat.TagObject:
		for n := d.count(); n > 0 && d.err == nil; n-- {
			field(d.strIndex())
		}
	case bundleformat.TagNull:
	default:
		d.fail("want an object, have tag %d", t)
	}
}

// objectLen reads an object's tag and count, for maps sized up front.
func (d *decoder) objectLen() int {
	switch t := d.tag(); t {
	case bundleformat.TagObject:
		return d.count()
	case bundleformat.TagNull:
	default:
		d.fail("want an object, have tag %d", t)
	}
	return 0
}

func (d *decoder) arrayLen() (int, bool) {
	switch t := d.tag(); t {
	case bundleformat.TagArray:
		return d.count(), true
	case bundleformat.TagNull:
	default:
		d.fail("want a list, have tag %d", t)
	}
	return 0, false
}

func (d *decoder) str() string {
	switch t := d.tag(); t {
	case bundleformat.TagString:
		return d.strIndex()
	case bundleformat.TagNull:
	default:
		d.fail("want a string, have tag %d", t)
	}
	return ""
}

func (d *decoder) bool() bool {
	switch t := d.tag(); t {
	case bundleformat.TagTrue:
		return true
	case bundleformat.TagFalse, bundleformat.TagNull:
	default:
		d.fail("want a boolean, have tag %d", t)
	}
	return false
}

func (d *decoder) float() float64 {
	switch t := d.tag(); t {
	case bundleformat.TagUint:
		return float64(d.uvarint())
	case bundleformat.TagNeg:
		return -float64(d.uvarint())
	case bundleformat.TagNumber:
		f, err := strconv.ParseFloat(d.strIndex(), 64)
		if err != nil {
			d.fail("bad number: %v", err)
		}
		return f
	case bundleformat.TagNull:
	default:
		d.fail("want a number, have tag %d", t)
	}
	return 0
}

func (d *decoder) int() int {
	switch t := d.tag(); t {
	case bundleformat.TagUint:
		return int(d.uvarint())
	case bundleformat.TagNeg:
		return -int(d.uvarint())
	case bundleformat.TagNull:
	default:
		d.fail("want an integer, have tag %d", t)
	}
	return 0
}

func (d *decoder) floatPtr() *float64 {
	if d.peek() == bundleformat.TagNull {
		d.off++
		return nil
	}
	f := d.float()
	return &f
}

func (d *decoder) peek() byte {
	if d.err != nil || d.off >= len(d.b) {
		return 0xff
	}
	return d.b[d.off]
}

// null consumes a null and reports whether there was one, for pointers.
func (d *decoder) null() bool {
	if d.peek() == bundleformat.TagNull {
		d.off++
		return true
	}
	return false
}

func (d *decoder) strings() []string {
	n, ok := d.arrayLen()
	if !ok {
		return nil
	}
	out := d.newStrings(n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

// raw returns a json.RawMessage field's text; it shares the inflated entry.
func (d *decoder) raw() json.RawMessage {
	switch t := d.tag(); t {
	case bundleformat.TagRaw:
		n := d.count()
		if d.err != nil {
			return nil
		}
		r := json.RawMessage(d.b[d.off : d.off+n : d.off+n])
		d.off += n
		return r
	case bundleformat.TagNull:
	default:
		d.fail("want JSON text, have tag %d", t)
	}
	return nil
}

// bytes returns a []byte field's bytes; they share the inflated entry.
func (d *decoder) bytes() []byte {
	switch t := d.tag(); t {
	case bundleformat.TagBytes:
		n := d.count()
		if d.err != nil {
			return nil
		}
		b := d.b[d.off : d.off+n : d.off+n]
		d.off += n
		return b
	case bundleformat.TagNull:
	default:
		d.fail("want bytes, have tag %d", t)
	}
	return nil
}

// any decodes a value as encoding/json does into an interface: numbers
// are float64, objects map[string]any; raw JSON stays json.RawMessage.
func (d *decoder) any() any {
	if d.depth++; d.depth > 1000 {
		d.fail("values nested too deep")
		return nil
	}
	defer func() { d.depth-- }()
	switch t := d.tag(); t {
	case bundleformat.TagNull:
		return nil
	case bundleformat.TagFalse:
		return false
	case bundleformat.TagTrue:
		return true
	case bundleformat.TagString:
		return d.strIndex()
	case bundleformat.TagUint, bundleformat.TagNeg, bundleformat.TagNumber:
		d.off--
		return d.float()
	case bundleformat.TagArray:
		out := make([]any, d.count())
		for i := range out {
			out[i] = d.any()
		}
		return out
	case bundleformat.TagObject:
		n := d.count()
		out := make(map[string]any, n)
		for ; n > 0 && d.err == nil; n-- {
			k := d.strIndex()
			out[k] = d.any()
		}
		return out
	case bundleformat.TagIndex:
		keys := make([]string, d.count())
		for i := range keys {
			keys[i] = d.strIndex()
		}
		for range keys {
			d.uvarint() // the values' lengths, which a walk in order needs not
		}
		out := make(map[string]any, len(keys))
		for _, k := range keys {
			out[k] = d.any()
		}
		return out
	case bundleformat.TagRaw:
		d.off--
		return d.raw()
	case bundleformat.TagBytes:
		d.off--
		return d.bytes()
	default:
		d.fail("unknown tag %d", t)
		return nil
	}
}

// skip passes over a value of a key this build does not know, so that a
// bundle with more than the types hold still loads.
func (d *decoder) skip() { d.any() }

func (d *decoder) service(s *Service) {
	d.object(func(k string) {
		switch k {
		case "metadata":
			d.metadata(&s.Metadata)
		case "operations":
			s.Operations = d.operations()
		case "shapes":
			s.shapes = d.shapeIndex(s.Name)
		case "errorCodes":
			n := d.objectLen()
			s.ErrorCodes = make(map[string]string, n)
			for ; n > 0 && d.err == nil; n-- {
				k := d.strIndex()
				s.ErrorCodes[k] = d.str()
			}
		case "paginators":
			s.Paginators = d.paginators()
		case "waiters":
			s.Waiters = d.waiters()
		case "ruleSet":
			s.RuleSet = d.bytes()
		case "clientContextParams":
			s.ClientContextParams = d.raw()
		default:
			d.skip()
		}
	})
}

func (d *decoder) metadata(m *Metadata) {
	d.object(func(k string) {
		switch k {
		case "apiVersion":
			m.APIVersion = d.str()
		case "endpointPrefix":
			m.EndpointPrefix = d.str()
		case "globalEndpoint":
			m.GlobalEndpoint = d.str()
		case "jsonVersion":
			m.JSONVersion = d.str()
		case "protocol":
			m.Protocol = d.str()
		case "protocols":
			m.Protocols = d.strings()
		case "serviceFullName":
			m.ServiceFullName = d.str()
		case "serviceId":
			m.ServiceID = d.str()
		case "signatureVersion":
			m.SignatureVersion = d.str()
		case "signingName":
			m.SigningName = d.str()
		case "targetPrefix":
			m.TargetPrefix = d.str()
		case "uid":
			m.UID = d.str()
		case "xmlNamespace":
			m.XMLNamespace = d.str()
		case "auth":
			m.Auth = d.strings()
		case "checksumFormat":
			m.ChecksumFormat = d.str()
		case "awsQueryCompatible":
			m.AWSQueryCompatible = d.raw()
		case "protocolSettings":
			m.ProtocolSettings = d.raw()
		default:
			d.skip()
		}
	})
}

func (d *decoder) operations() map[string]*Operation {
	n := d.objectLen()
	if d.err != nil {
		return nil
	}
	out := make(map[string]*Operation, n)
	ops := make([]Operation, n) // one allocation for all
	for i := 0; i < n && d.err == nil; i++ {
		k := d.strIndex()
		d.operation(&ops[i])
		out[k] = &ops[i]
	}
	return out
}

func (d *decoder) operation(op *Operation) {
	d.object(func(k string) {
		switch k {
		case "name":
			op.Name = d.str()
		case "http":
			d.object(func(k string) {
				switch k {
				case "method":
					op.HTTP.Method = d.str()
				case "requestUri":
					op.HTTP.RequestURI = d.str()
				case "responseCode":
					op.HTTP.ResponseCode = d.int()
				default:
					d.skip()
				}
			})
		case "input":
			op.Input = d.refPtr()
		case "output":
			op.Output = d.refPtr()
		case "errors":
			if n, ok := d.arrayLen(); ok {
				op.Errors = d.newRefs(n)
				for i := range op.Errors {
					d.ref(&op.Errors[i])
				}
			}
		case "endpoint":
			if !d.null() {
				op.Endpoint = &struct {
					HostPrefix string `json:"hostPrefix"`
				}{}
				d.object(func(k string) {
					if k == "hostPrefix" {
						op.Endpoint.HostPrefix = d.str()
					} else {
						d.skip()
					}
				})
			}
		case "httpChecksum":
			if !d.null() {
				c := new(HTTPChecksum)
				op.HTTPChecksum = c
				d.object(func(k string) {
					switch k {
					case "requestAlgorithmMember":
						c.RequestAlgorithmMember = d.str()
					case "requestChecksumRequired":
						c.RequestChecksumRequired = d.bool()
					case "requestValidationModeMember":
						c.RequestValidationModeMember = d.str()
					case "responseAlgorithms":
						c.ResponseAlgorithms = d.strings()
					default:
						d.skip()
					}
				})
			}
		case "httpChecksumRequired":
			op.HTTPChecksumRequired = d.bool()
		case "requestcompression":
			if !d.null() {
				op.RequestCompression = &struct {
					Encodings []string `json:"encodings"`
				}{}
				d.object(func(k string) {
					if k == "encodings" {
						op.RequestCompression.Encodings = d.strings()
					} else {
						d.skip()
					}
				})
			}
		case "auth":
			op.Auth = d.strings()
		case "authtype":
			op.AuthType = d.str()
		case "readonly":
			op.Readonly = d.bool()
		case "idempotent":
			op.Idempotent = d.bool()
		case "deprecated":
			op.Deprecated = d.bool()
		case "unsignedPayload":
			op.UnsignedPayload = d.bool()
		case "staticContextParams":
			n := d.objectLen()
			if d.err != nil {
				return
			}
			op.StaticContextParams = make(map[string]struct {
				Value any `json:"value"`
			}, n)
			for ; n > 0 && d.err == nil; n-- {
				name := d.strIndex()
				var v any
				d.object(func(k string) {
					if k == "value" {
						v = d.any()
					} else {
						d.skip()
					}
				})
				op.StaticContextParams[name] = struct {
					Value any `json:"value"`
				}{v}
			}
		case "operationContextParams":
			n := d.objectLen()
			if d.err != nil {
				return
			}
			op.OperationContextParams = make(map[string]struct {
				Path string `json:"path"`
			}, n)
			for ; n > 0 && d.err == nil; n-- {
				name := d.strIndex()
				var p string
				d.object(func(k string) {
					if k == "path" {
						p = d.str()
					} else {
						d.skip()
					}
				})
				op.OperationContextParams[name] = struct {
					Path string `json:"path"`
				}{p}
			}
		case "endpointdiscovery":
			op.EndpointDiscovery = d.raw()
		case "endpointoperation":
			op.EndpointOperation = d.bool()
		default:
			d.skip()
		}
	})
}

func (d *decoder) refPtr() *ShapeRef {
	if d.null() {
		return nil
	}
	r := &d.newRefs(1)[0]
	d.ref(r)
	return r
}

func (d *decoder) ref(r *ShapeRef) {
	d.object(func(k string) {
		switch k {
		case "shape":
			r.Shape = d.str()
		case "location":
			r.Location = d.str()
		case "locationName":
			r.LocationName = d.str()
		case "queryName":
			r.QueryName = d.str()
		case "flattened":
			r.Flattened = d.bool()
		case "xmlNamespace":
			r.XMLNamespace = d.xmlNamespace()
		case "xmlAttribute":
			r.XMLAttribute = d.bool()
		case "idempotencyToken":
			r.IdempotencyToken = d.bool()
		case "hostLabel":
			r.HostLabel = d.bool()
		case "jsonvalue":
			r.JSONValue = d.bool()
		case "streaming":
			r.Streaming = d.bool()
		case "eventpayload":
			r.EventPayload = d.bool()
		case "eventheader":
			r.EventHeader = d.bool()
		case "timestampFormat":
			r.TimestampFormat = d.str()
		case "contextParam":
			if !d.null() {
				r.ContextParam = &struct {
					Name string `json:"name"`
				}{}
				d.object(func(k string) {
					if k == "name" {
						r.ContextParam.Name = d.str()
					} else {
						d.skip()
					}
				})
			}
		case "resultWrapper":
			r.ResultWrapper = d.str()
		case "deprecated":
			r.Deprecated = d.bool()
		default:
			d.skip()
		}
	})
}

// xmlNamespace takes botocore's two spellings, as XMLNamespace's
// UnmarshalJSON does.
func (d *decoder) xmlNamespace() *XMLNamespace {
	switch d.peek() {
	case bundleformat.TagNull:
		d.off++
		return nil
	case bundleformat.TagString:
		return &XMLNamespace{URI: d.str()}
	}
	n := new(XMLNamespace)
	d.object(func(k string) {
		switch k {
		case "prefix":
			n.Prefix = d.str()
		case "uri":
			n.URI = d.str()
		default:
			d.skip()
		}
	})
	return n
}

func (d *decoder) shape(s *Shape) {
	d.object(func(k string) {
		switch k {
		case "type":
			s.Type = d.str()
		case "members":
			n := d.objectLen()
			if d.err != nil {
				return
			}
			s.Members = make(map[string]*ShapeRef, n)
			refs := d.newRefs(n)
			for i := 0; i < n && d.err == nil; i++ {
				name := d.strIndex()
				d.ref(&refs[i])
				s.Members[name] = &refs[i]
			}
		case "memberOrder":
			s.MemberOrder = d.strings()
		case "xmlOrder":
			s.XMLOrder = d.strings()
		case "required":
			s.Required = d.strings()
		case "payload":
			s.Payload = d.str()
		case "member":
			s.Member = d.refPtr()
		case "key":
			s.Key = d.refPtr()
		case "value":
			s.Value = d.refPtr()
		case "enum":
			s.Enum = d.strings()
		case "min":
			s.Min = d.floatPtr()
		case "max":
			s.Max = d.floatPtr()
		case "pattern":
			s.Pattern = d.str()
		case "flattened":
			s.Flattened = d.bool()
		case "locationName":
			s.LocationName = d.str()
		case "xmlNamespace":
			s.XMLNamespace = d.xmlNamespace()
		case "timestampFormat":
			s.TimestampFormat = d.str()
		case "streaming":
			s.Streaming = d.bool()
		case "requiresLength":
			s.RequiresLength = d.bool()
		case "eventstream":
			s.EventStream = d.bool()
		case "event":
			s.Event = d.bool()
		case "exception":
			s.Exception = d.bool()
		case "fault":
			s.Fault = d.bool()
		case "error":
			if !d.null() {
				e := new(ErrorTrait)
				s.Error = e
				d.object(func(k string) {
					switch k {
					case "code":
						e.Code = d.str()
					case "httpStatusCode":
						e.HTTPStatusCode = d.int()
					case "senderFault":
						e.SenderFault = d.bool()
					default:
						d.skip()
					}
				})
			}
		case "union":
			s.Union = d.bool()
		case "document":
			s.Document = d.bool()
		case "sensitive":
			s.Sensitive = d.bool()
		case "sparse":
			s.Sparse = d.bool()
		case "wrapper":
			s.Wrapper = d.bool()
		case "retryable":
			s.Retryable = d.raw()
		case "deprecated":
			s.Deprecated = d.bool()
		default:
			d.skip()
		}
	})
}

func (d *decoder) paginators() map[string]*Paginator {
	n := d.objectLen()
	if d.err != nil {
		return nil
	}
	out := make(map[string]*Paginator, n)
	for ; n > 0 && d.err == nil; n-- {
		name := d.strIndex()
		if d.null() {
			out[name] = nil
			continue
		}
		p := new(Paginator)
		d.object(func(k string) {
			switch k {
			case "input_token":
				p.InputToken = d.strings()
			case "output_token":
				p.OutputToken = d.strings()
			case "limit_key":
				p.LimitKey = d.str()
			case "more_results":
				p.MoreResults = d.str()
			case "result_key":
				p.ResultKey = d.strings()
			case "non_aggregate_keys":
				p.NonAggregateKeys = d.strings()
			default:
				d.skip()
			}
		})
		out[name] = p
	}
	return out
}

func (d *decoder) waiters() map[string]*Waiter {
	n := d.objectLen()
	if d.err != nil {
		return nil
	}
	out := make(map[string]*Waiter, n)
	for ; n > 0 && d.err == nil; n-- {
		name := d.strIndex()
		if d.null() {
			out[name] = nil
			continue
		}
		w := new(Waiter)
		d.object(func(k string) {
			switch k {
			case "operation":
				w.Operation = d.str()
			case "delay":
				w.Delay = d.int()
			case "maxAttempts":
				w.MaxAttempts = d.int()
			case "acceptors":
				if n, ok := d.arrayLen(); ok {
					w.Acceptors = make([]Acceptor, n)
					for i := range w.Acceptors {
						a := &w.Acceptors[i]
						d.object(func(k string) {
							switch k {
							case "matcher":
								a.Matcher = d.str()
							case "argument":
								a.Argument = d.str()
							case "expected":
								a.Expected = d.any()
							case "state":
								a.State = d.str()
							default:
								d.skip()
							}
						})
					}
				}
			default:
				d.skip()
			}
		})
		out[name] = w
	}
	return out
}
