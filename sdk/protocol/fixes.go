package protocol

// The fix-ups around smithy-go v1.28.8, each in one place, each named by
// the case it fixes: first smithy-go's bugs, then the places where boto3
// behaves otherwise than Smithy's protocols and the codec follows boto3.
// Run the botocore vectors on every smithy-go upgrade and delete what the
// upgrade fixes.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/document"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/awslua/awslua/sdk/model"
)

// rawJSON is a document already rendered as JSON.
type rawJSON []byte

func (r rawJSON) MarshalSmithyDocument() ([]byte, error) { return r, nil }

// documentValue renders a dynamic document for WriteDocument.
//
// Fix: the JSON codec's WriteDocument walks document.List and document.Map
// with the schema's list member, and a document schema has none, so a list
// nested in a document panics (nil *Schema). An opaque value that marshals
// itself is written raw instead, so the codec never walks it.
func documentValue(v any) (document.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return document.Opaque{Value: rawJSON(b)}, nil
}

// writeDocument guards WriteDocument.
//
// Fix: the CBOR and XML codecs panic on WriteDocument (unimplemented);
// botocore models have no documents in those protocols, and an error beats
// a crash if one appears.
func (w *walker) writeDocument(sch *smithy.Schema, v any) {
	switch w.c.name {
	case "json", "rest-json":
	default:
		w.fail("document values are not supported over %s", w.c.name)
		return
	}
	d, err := documentValue(v)
	if err != nil {
		w.fail("document: %v", err)
		return
	}
	w.s.WriteDocument(sch, d)
}

// readDocument reads a document as plain Go values.
//
// Fix: the CBOR codec panics on ReadDocument (unimplemented), so it is not
// called there.
func readDocument(proto string, d smithy.ShapeDeserializer, sch *smithy.Schema) (any, error) {
	switch proto {
	case "json", "rest-json":
	default:
		return nil, fmt.Errorf("protocol: document values are not supported over %s", proto)
	}
	var v document.Value
	if err := d.ReadDocument(sch, &v); err != nil {
		return nil, err
	}
	return plain(v), nil
}

// writeBig writes a bigdecimal or biginteger given as decimal text.
//
// Fix: every codec's WriteBigInt and WriteBigFloat panic (unimplemented).
// JSON takes the text as a raw number through a document; the XML and query
// codecs write text anyway; CBOR has no way, so the value is refused.
func writeBig(w *walker, sch *smithy.Schema, text string) {
	switch w.c.name {
	case "json", "rest-json":
		w.s.WriteDocument(sch, document.Number(text))
	case "rest-xml", "query", "ec2":
		w.s.WriteString(sch, text)
	default:
		w.fail("big numbers are not supported over %s", w.c.name)
	}
}

// readBig reads a bigdecimal or biginteger.
//
// Fix: every codec's ReadBigInt and ReadBigFloat return "unimplemented".
// JSON numbers come back through ReadDocument as their text; XML as text.
func readBig(proto string, d smithy.ShapeDeserializer, sch *smithy.Schema, integer bool) (any, error) {
	var text string
	switch proto {
	case "json", "rest-json":
		var v document.Value
		if err := d.ReadDocument(sch, &v); err != nil {
			return nil, err
		}
		switch x := plainNumber(v).(type) {
		case json.Number:
			text = x.String()
		case string:
			text = x
		default:
			return nil, fmt.Errorf("protocol: want a number, got %T", x)
		}
	case "rest-xml", "query", "ec2":
		if err := d.ReadString(sch, &text); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("protocol: big numbers are not supported over %s", proto)
	}
	return bigValue(text, integer)
}

func plainNumber(v document.Value) any {
	if o, ok := v.(document.Opaque); ok {
		return o.Value
	}
	return v
}

// genericError answers an error response that is not the protocol's.
//
// Fix: the XML codecs fail with EOF on an error response without a body
// (S3's HEAD 404); botocore reports the status code as the code and the
// status text as the message ("404", "Not Found").
//
// boto3: a 5xx with no body or an HTML body (a proxy, a load balancer) is
// reported the same way in every protocol, where smithy-go fails to decode
// it or makes up a code.
func (c *Codec) genericError(resp *smithyhttp.Response, body []byte) *ServiceError {
	trimmed := bytes.TrimSpace(body)
	generic := resp.StatusCode >= 500 && (len(trimmed) == 0 || bytes.HasPrefix(trimmed, []byte("<html>")))
	switch c.name {
	case "rest-xml", "query", "ec2":
		generic = generic || len(trimmed) == 0
	}
	if !generic {
		return nil
	}
	return &ServiceError{
		Code:       strconv.Itoa(resp.StatusCode),
		Message:    http.StatusText(resp.StatusCode),
		StatusCode: resp.StatusCode,
	}
}

// unknownJSONCode fixes the code of a JSON error that names none.
//
// boto3: a JSON error with no __type, no code and no X-Amzn-ErrorType is
// reported with the status code as its code ("404") and an empty message;
// smithy-go says "UnknownError" for both.
func unknownJSONCode(proto string, se *ServiceError, resp *smithyhttp.Response, body []byte) {
	if proto != "json" && proto != "rest-json" || se.Code != "UnknownError" || resp.Header.Get("X-Amzn-ErrorType") != "" {
		return
	}
	var named struct {
		Type *string `json:"__type"`
		Code *string `json:"code"`
	}
	if json.Unmarshal(body, &named) == nil && (named.Type != nil || named.Code != nil) {
		return
	}
	se.Code = strconv.Itoa(resp.StatusCode)
	if se.Message == "UnknownError" {
		se.Message = ""
	}
}

// afterSerialize adjusts a request the codec built.
//
// Fix: restXml sends "{}" as the body when an optional structure payload is
// absent (S3 CreateBucket without CreateBucketConfiguration), which is not
// XML; botocore sends no body.
//
// botocore declares the form's charset on query and ec2 requests; smithy-go
// does not. Services accept both; boto3's form is kept.
func (c *Codec) afterSerialize(o *opSchema, v *inputValue, req *smithyhttp.Request) error {
	if c.name == "query" || c.name == "ec2" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		return nil
	}
	if c.name != "rest-xml" || req.GetStream() == nil || v.stream != nil {
		return nil
	}
	if o.in == nil || o.in.shape.Payload == "" {
		return nil
	}
	if pm := o.in.members[o.in.shape.Payload]; pm == nil || pm.node.kind != smithy.ShapeTypeStructure {
		return nil
	}
	if x, ok := v.v[o.in.shape.Payload]; ok && x != nil {
		return nil
	}
	b, err := io.ReadAll(req.GetStream())
	if err != nil {
		return err
	}
	if string(b) == "{}" {
		req.Header.Del("Content-Type")
		r, err := req.SetStream(http.NoBody)
		if err != nil {
			return err
		}
		*req = *r
		return nil
	}
	r, err := req.SetStream(bytes.NewReader(b))
	if err != nil {
		return err
	}
	*req = *r
	return nil
}

// boundValue adjusts the value of an HTTP-bound input member before it is
// written, as botocore sends it; false drops the member.
//
// boto3: no header for an empty list (smithy-go sends an empty header).
//
// boto3: a key of a free-form query map (httpQueryParams) that a member
// also sets is sent once; smithy-go sends both (ENGINE.md's restJson
// vector failures). See explicitQuery.
func boundValue(mem *member, v any, explicit map[string]bool) (any, bool) {
	switch {
	case mem.ref.Location == "header" && mem.node.kind == smithy.ShapeTypeList:
		if l, ok := asList(v); ok && len(l) == 0 {
			return nil, false
		}
	case mem.ref.Location == "querystring" && mem.node.kind == smithy.ShapeTypeMap && len(explicit) > 0:
		return dropKeys(v, explicit), true
	}
	return v, true
}

// explicitQuery names the query parameters that members of the input set.
// botocore gathers the query into one dict, so a map key a member also sets
// is sent once; the member wins, as Smithy's httpQueryParams asks.
func explicitQuery(n *node, m map[string]any) map[string]bool {
	var out map[string]bool
	for name, v := range m {
		mem := n.members[name]
		if v == nil || mem == nil || mem.ref.Location != "querystring" || mem.node.kind == smithy.ShapeTypeMap {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[locationName(mem.ref, mem.node.shape)] = true
	}
	return out
}

func dropKeys(v any, drop map[string]bool) any {
	m, ok := asMap(v)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for k, x := range m {
		if !drop[k] {
			out[k] = x
		}
	}
	return out
}

// emptyPrefixHeaders gives absent prefix-header members an empty map.
//
// boto3: a "headers" member is always in the output, empty when no header
// has the prefix; smithy-go yields nothing.
func emptyPrefixHeaders(out map[string]any, root *node) {
	for _, name := range root.order {
		if m := root.members[name]; m.ref.Location == "headers" && out[name] == nil {
			out[name] = map[string]any{}
		}
	}
}

// missingResult reports an awsQuery response without its result element.
//
// boto3: a response without its <OpResult> element parses as an empty
// output; smithy-go's awsQuery fails with EOF looking for it.
func missingResult(proto string, err error) bool {
	return proto == "query" && errors.Is(err, io.EOF)
}

// flattenedQueryName is the name of an awsQuery member whose value is a
// flattened list with a named member, "" for any other member.
//
// boto3: botocore's query serializer and XML parser name a flattened list
// by its list member's locationName, where it has one, over the
// structure member's name (SimpleDB's Attributes are sent and read as
// Attribute.1.Name, <Attribute>); smithy-go names it by the structure
// member. Only sdb's models and legacy vectors have such lists.
func flattenedQueryName(proto string, ref *model.ShapeRef, target *node) string {
	if proto != "query" || target.kind != smithy.ShapeTypeList || target.shape.Member == nil {
		return ""
	}
	if !target.shape.Flattened && !ref.Flattened {
		return ""
	}
	return target.shape.Member.LocationName
}
