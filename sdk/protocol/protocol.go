package protocol

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/traits"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"
	"github.com/aws/smithy-go/transport/http/protocol/ec2query"
	"github.com/aws/smithy-go/transport/http/protocol/restjson1"
	"github.com/aws/smithy-go/transport/http/protocol/restxml"
	"github.com/aws/smithy-go/transport/http/protocol/rpcv2"

	"github.com/awslua/awslua/sdk/model"
)

// priority is botocore's PRIORITY_ORDERED_SUPPORTED_PROTOCOLS: of the
// protocols a model lists, boto3 speaks the first one in this order, so the
// services listed as CBOR-first (CloudWatch and others) speak JSON.
var priority = []string{"json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2"}

// Resolve returns the botocore name of the protocol boto3 uses for svc: the
// first of botocore's supported protocols, in botocore's priority order,
// that metadata.protocols lists, else metadata.protocol.
func Resolve(svc *model.Service) (string, error) {
	md := svc.Metadata
	if len(md.Protocols) > 0 {
		for _, p := range priority {
			for _, q := range md.Protocols {
				if p == q {
					return p, nil
				}
			}
		}
		return "", fmt.Errorf("protocol: %s: none of the protocols %v is supported", svc.Name, md.Protocols)
	}
	for _, p := range priority {
		if p == md.Protocol {
			return p, nil
		}
	}
	return "", fmt.Errorf("protocol: %s: protocol %q is not supported", svc.Name, md.Protocol)
}

// Protocol returns the smithy-go client protocol boto3 would use for svc,
// configured from the model's metadata (jsonVersion, targetPrefix,
// apiVersion, awsQueryCompatible).
func Protocol(svc *model.Service) (smithyhttp.ClientProtocol, error) {
	name, err := Resolve(svc)
	if err != nil {
		return nil, err
	}
	return newProtocol(svc, name), nil
}

func newProtocol(svc *model.Service, name string) smithyhttp.ClientProtocol {
	md := svc.Metadata
	var ts []smithy.Trait
	if queryCompatible(svc) {
		ts = append(ts, &traits.AWSQueryCompatible{})
	}
	// The service shape's name is what awsJson puts before the operation in
	// X-Amz-Target and what rpcv2Cbor puts in the path: botocore's
	// targetPrefix.
	id := smithy.ShapeID{Namespace: namespace(svc), Name: md.TargetPrefix}
	if id.Name == "" {
		id.Name = md.ServiceID
	}
	ss := smithy.NewServiceSchema(smithy.NewSchema(id, smithy.ShapeTypeService, 0, ts...), md.APIVersion)
	switch name {
	case "json":
		if md.JSONVersion == "1.1" {
			return awsjson.New11(ss)
		}
		return awsjson.New10(ss)
	case "rest-json":
		return restjson1.New(ss)
	case "rest-xml":
		return restxml.New(ss)
	case "query":
		return awsquery.New(ss)
	case "ec2":
		return ec2query.New(ss)
	default: // smithy-rpc-v2-cbor, as Resolve returns no other
		return rpcv2.NewCBOR(ss)
	}
}

func queryCompatible(svc *model.Service) bool {
	raw := strings.TrimSpace(string(svc.Metadata.AWSQueryCompatible))
	return raw != "" && raw != "null" && raw != "false"
}

func namespace(svc *model.Service) string {
	p := svc.Metadata.EndpointPrefix
	if p == "" {
		p = svc.Name
	}
	return "com.amazonaws." + p
}

// A Codec serializes requests and parses responses of one service, from its
// model, with dynamic values (see the package documentation for their Go
// types). It is safe for concurrent use; schemas are built on an
// operation's first use and kept.
type Codec struct {
	svc   *model.Service
	name  string
	proto smithyhttp.ClientProtocol

	mu  sync.Mutex
	b   *builder
	ops sync.Map // operation name -> *opSchema

	errOnce sync.Once
	errs    *smithy.TypeRegistry
}

// opSchema is an operation's schemas, built once.
type opSchema struct {
	op      *smithy.OperationSchema
	in, out *node
	stream  *member // the output's streaming blob payload, if any
	event   *member // the output's event stream member, if any
}

// New returns the codec of svc, speaking the protocol Resolve picks.
func New(svc *model.Service) (*Codec, error) {
	name, err := Resolve(svc)
	if err != nil {
		return nil, err
	}
	return newCodec(svc, name), nil
}

func newCodec(svc *model.Service, name string) *Codec {
	return &Codec{
		svc:   svc,
		name:  name,
		proto: newProtocol(svc, name),
		b:     &builder{svc: svc, proto: name, ns: namespace(svc), nodes: map[string]*node{}},
	}
}

// ProtocolName is the botocore name of the protocol the codec speaks
// ("json", "rest-json", "rest-xml", "query", "ec2", "smithy-rpc-v2-cbor").
func (c *Codec) ProtocolName() string { return c.name }

// ClientProtocol is the smithy-go protocol the codec drives.
func (c *Codec) ClientProtocol() smithyhttp.ClientProtocol { return c.proto }

func (c *Codec) schema(op *model.Operation) (*opSchema, error) {
	if op == nil || op.Name == "" {
		return nil, fmt.Errorf("protocol: an operation needs its name")
	}
	if v, ok := c.ops.Load(op.Name); ok {
		return v.(*opSchema), nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.ops.Load(op.Name); ok {
		return v.(*opSchema), nil
	}
	o := &opSchema{}
	var inShape *model.Shape
	if op.Input != nil {
		n, err := c.b.root(op.Input, true)
		if err != nil {
			return nil, err
		}
		o.in, inShape = n, n.shape
	}
	if op.Output != nil {
		n, err := c.b.root(op.Output, false)
		if err != nil {
			return nil, err
		}
		o.out = n
		if p := n.shape.Payload; p != "" {
			if m := n.members[p]; m != nil && m.streaming {
				o.stream = m
			}
		}
		for _, name := range n.order {
			if m := n.members[name]; m.node.event {
				o.event = m
			}
		}
	}
	code := op.HTTP.ResponseCode
	if code == 0 {
		code = 200
	}
	method := op.HTTP.Method
	if method == "" {
		method = "POST"
	}
	uri := op.HTTP.RequestURI
	if uri == "" {
		uri = "/"
	}
	opSch := smithy.NewSchema(smithy.ShapeID{Namespace: c.b.ns, Name: op.Name}, smithy.ShapeTypeOperation, 0,
		&traits.HTTP{Method: method, URI: requestURI(uri, inShape), Code: code})
	var in, out *smithy.Schema
	if o.in != nil {
		in = o.in.schema
	}
	if o.out != nil {
		out = o.out.schema
	}
	o.op = smithy.NewOperationSchema(opSch, in, out)
	c.ops.Store(op.Name, o)
	return o, nil
}

// SerializeRequest fills req (method, path, query, headers, body) for op
// with the dynamic input. req's URL should hold the endpoint; the protocol
// sets the path from the operation's URI. hostPrefix and idempotency tokens
// are the caller's: botocore fills them outside its serializers too.
func (c *Codec) SerializeRequest(ctx context.Context, op *model.Operation, input map[string]any, req *smithyhttp.Request) error {
	o, err := c.schema(op)
	if err != nil {
		return err
	}
	if middleware.GetOperationName(ctx) == "" {
		// rpcv2Cbor builds its path from the operation name in the context
		ctx = middleware.WithOperationName(ctx, op.Name)
	}
	if o.in == nil && len(input) > 0 {
		return fmt.Errorf("protocol: %s takes no input", op.Name)
	}
	v := &inputValue{c: c, root: o.in, v: input}
	if o.in != nil {
		if err := v.prepare(); err != nil {
			return err
		}
	}
	if err := c.proto.SerializeRequest(ctx, o.op, v, req); err != nil {
		return fmt.Errorf("protocol: serialize %s: %w", op.Name, err)
	}
	if v.err != nil {
		return v.err
	}
	return c.afterSerialize(o, v, req)
}

// jsonText renders a value as JSON for jsonvalue headers, as botocore does
// (compact separators).
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
