package protocol

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/awslua/awslua/sdk/model"
)

// ServiceError is an error response of the service: what botocore puts in
// ClientError.response["Error"], with the error shape's members.
type ServiceError struct {
	// Code is the error code as botocore reports it: for awsQuery-compatible
	// JSON services (SQS) the code of the x-amzn-query-error header; for
	// bodiless XML errors (S3 HEAD) the status code ("404").
	Code string
	// Message is the error message, "" when the service sent none (or
	// the status text for bodiless XML errors, as botocore does).
	Message string
	// Shape names the modeled error shape the code resolved to, "" when
	// the error is not modeled.
	Shape string
	// Fields holds the error shape's members as dynamic values, keyed by
	// member name; nil when the error is not modeled.
	Fields map[string]any
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Fault is "client", "server" or "" as the response or model says.
	Fault string
	// RequestID is the request's id, from the x-amzn-RequestId or
	// x-amz-request-id header, else from the XML error body (RequestId or
	// RequestID), which the caller cannot read any more.
	RequestID string
}

// Error returns the code, the message and the status.
func (e *ServiceError) Error() string {
	return fmt.Sprintf("%s: %s (HTTP %d)", e.Code, e.Message, e.StatusCode)
}

// ErrorCode returns Code, for smithy.APIError.
func (e *ServiceError) ErrorCode() string { return e.Code }

// ErrorMessage returns Message, for smithy.APIError.
func (e *ServiceError) ErrorMessage() string { return e.Message }

// ErrorFault returns the fault, for smithy.APIError.
func (e *ServiceError) ErrorFault() smithy.ErrorFault {
	switch e.Fault {
	case "client":
		return smithy.FaultClient
	case "server":
		return smithy.FaultServer
	}
	return smithy.FaultUnknown
}

var _ smithy.APIError = (*ServiceError)(nil)

// errorValue is a modeled error as the codecs see it: a Deserializable
// error created from the type registry by error code.
type errorValue struct {
	c     *Codec
	code  string
	shape string
	v     map[string]any
	msg   *string

	// ErrorCodeOverride is set by the awsJson and rpcv2Cbor codecs, by
	// reflection on this exact name, to the x-amzn-query-error code of
	// awsQuery-compatible services.
	ErrorCodeOverride *string
}

func (e *errorValue) Error() string { return e.code }

// Deserialize reads the error shape's members.
func (e *errorValue) Deserialize(d smithy.ShapeDeserializer) error {
	n, err := e.c.errorNode(e.shape)
	if err != nil {
		return err
	}
	r := &reader{c: e.c, d: d}
	v, err := r.structure(n, n.schema)
	if err != nil {
		return err
	}
	e.v = v.(map[string]any)
	e.msg = r.message
	return nil
}

func (c *Codec) errorNode(shape string) (*node, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b.node(shape)
}

// registry maps every error code and error shape name of the service to its
// shape, as botocore's shape_for_error_code looks errors up service-wide.
// Schemas are built only when an error is read.
func (c *Codec) registry() *smithy.TypeRegistry {
	c.errOnce.Do(func() {
		r := &smithy.TypeRegistry{Entries: map[string]*smithy.TypeRegistryEntry{}}
		add := func(key, shape string) {
			r.Entries[key] = &smithy.TypeRegistryEntry{New: func() any {
				return &errorValue{c: c, code: key, shape: shape}
			}}
		}
		for name := range c.svc.ErrorCodes {
			add(name, name)
		}
		// codes win over names when both exist
		for name, code := range c.svc.ErrorCodes {
			if code != name {
				add(code, name)
			}
		}
		c.errs = r
	})
	return c.errs
}

// requestID finds an error response's request id in its headers, else in
// its XML body.
func requestID(resp *smithyhttp.Response, body []byte) string {
	for _, h := range []string{"X-Amzn-Requestid", "X-Amz-Request-Id"} {
		if v := resp.Header.Get(h); v != "" {
			return v
		}
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok && strings.EqualFold(se.Name.Local, "RequestId") {
			var id string
			if dec.DecodeElement(&id, &se) == nil {
				return strings.TrimSpace(id)
			}
			return ""
		}
	}
}

// xmlErrorFault reads an XML error's <Type> (Sender or Receiver), which
// awsQuery and S3-style errors carry and smithy-go does not report.
func xmlErrorFault(body []byte) string {
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Type" {
			var typ string
			if dec.DecodeElement(&typ, &se) != nil {
				return ""
			}
			switch strings.TrimSpace(typ) {
			case "Sender":
				return "client"
			case "Receiver":
				return "server"
			}
			return ""
		}
	}
}

// toServiceError turns what a codec returned for an error response into a
// *ServiceError; decoding failures pass through.
func (c *Codec) toServiceError(err error, resp *smithyhttp.Response, body []byte) error {
	se := &ServiceError{StatusCode: resp.StatusCode}
	var ev *errorValue
	var ge *smithy.GenericAPIError
	switch {
	case errors.As(err, &ev):
		se.Code, se.Shape, se.Fields = ev.code, ev.shape, ev.v
		if se.Fields == nil {
			se.Fields = map[string]any{}
		}
		if ev.ErrorCodeOverride != nil {
			se.Code = *ev.ErrorCodeOverride
		}
		if ev.msg != nil {
			se.Message = *ev.msg
		} else {
			for _, k := range []string{"Message", "message", "errorMessage"} {
				if s, ok := se.Fields[k].(string); ok {
					se.Message = s
					break
				}
			}
		}
		if s := c.svc.Shape(ev.shape); s != nil && s.Fault {
			se.Fault = "server"
		} else {
			se.Fault = "client"
		}
		if q := resp.Header.Get("X-Amzn-Query-Error"); q != "" && queryCompatible(c.svc) {
			// "Code;Sender": the query-compatible fault wins, as the code does
			switch _, f, _ := strings.Cut(q, ";"); f {
			case "Sender":
				se.Fault = "client"
			case "Receiver":
				se.Fault = "server"
			}
		}
	case errors.As(err, &ge):
		se.Code, se.Message = ge.Code, ge.Message
		switch ge.Fault {
		case smithy.FaultClient:
			se.Fault = "client"
		case smithy.FaultServer:
			se.Fault = "server"
		}
		unknownJSONCode(c.name, se, resp, body)
		if se.Fault == "" && c.b.xmlish() {
			se.Fault = xmlErrorFault(body)
		}
	default:
		return err
	}
	return se
}

// DeserializeResponse parses a response of op into its dynamic output, or
// returns a *ServiceError for an error response. An operation without
// output gives an empty map. A streaming blob payload comes back unread, as
// the response body (an io.ReadCloser) under the payload member's name, and
// an event stream as an *EventStream reading the body: the caller closes
// either. Otherwise the body is read to its end; closing it stays the
// caller's.
func (c *Codec) DeserializeResponse(ctx context.Context, op *model.Operation, resp *smithyhttp.Response) (map[string]any, error) {
	o, err := c.schema(op)
	if err != nil {
		return nil, err
	}
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, &smithy.DeserializationError{Err: err}
		}
		if se := c.genericError(resp, body); se != nil {
			se.RequestID = requestID(resp, body)
			return nil, se
		}
		// the codec reads the buffered body; closing still closes the
		// connection's
		resp.Body = struct {
			io.Reader
			io.Closer
		}{bytes.NewReader(body), resp.Body}
		err = c.proto.DeserializeResponse(ctx, o.op, c.registry(), resp, &outputValue{})
		if err == nil {
			err = fmt.Errorf("protocol: %s: status %d without an error", op.Name, resp.StatusCode)
		}
		err = c.toServiceError(err, resp, body)
		if se, ok := err.(*ServiceError); ok {
			se.RequestID = requestID(resp, body)
		}
		return nil, err
	}
	out := map[string]any{}
	if o.out == nil {
		return out, nil
	}
	ov := outputValue{c: c, root: o.out, v: out}
	var target smithy.Deserializable = &ov
	if o.stream != nil {
		target = &streamingOutput{outputValue: ov, member: o.stream.name}
	} else if c.b.xmlish() && !hasBodyMembers(o.out) {
		// An output all in headers (S3's PutObject) has no body to parse;
		// whatever a server or proxy sends there is ignored, as botocore
		// ignores it.
		resp.Body = http.NoBody
	}
	if err := c.proto.DeserializeResponse(ctx, o.op, nil, resp, target); err != nil {
		if missingResult(c.name, err) {
			return out, nil
		}
		return nil, err
	}
	if o.event != nil {
		es := c.newEventStream(o.event.node, resp.Body)
		if c.proto.HasInitialEventMessage() {
			// The RPC protocols send the output's other members as the
			// stream's first event, which boto3 reads before it returns.
			if err := es.proto.DeserializeInitialResponse(o.out.schema, resp.Body, &ov); err != nil {
				es.Close()
				return nil, &smithy.DeserializationError{Err: err}
			}
		}
		out[o.event.name] = es
	}
	emptyPrefixHeaders(out, o.out)
	return out, nil
}

// hasBodyMembers reports whether an output has members in the body, not
// only in headers and the status code.
func hasBodyMembers(n *node) bool {
	for _, m := range n.members {
		switch m.ref.Location {
		case "header", "headers", "statusCode":
		default:
			return true // a query or URI binding means nothing in a response
		}
	}
	return false
}
