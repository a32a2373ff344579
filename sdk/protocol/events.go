package protocol

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// An EventStream is an operation's output event stream (S3's
// SelectObjectContent Payload, Bedrock's ConverseStream stream): the
// response body, read one event at a time as the service sends them.
// smithy-go's protocol decodes the frames and the event's members (headers,
// payload, body) as the protocol serializes them; Next shapes each event
// as boto3 does.
type EventStream struct {
	c     *Codec
	proto smithyhttp.ClientProtocol
	union *node
	types *smithy.TypeRegistry
	body  io.ReadCloser

	once   sync.Once
	closed chan struct{}
	err    error // the error that ended the stream, io.EOF at its end
}

// newEventStream reads the events of the union n from body.
//
// Fix: smithy-go's event stream codec keeps its frame decoder and payload
// buffer in the protocol value, so two streams read at once through one
// protocol would share them; each stream gets a protocol of its own.
func (c *Codec) newEventStream(n *node, body io.ReadCloser) *EventStream {
	s := &EventStream{
		c:      c,
		proto:  newProtocol(c.svc, c.name),
		union:  n,
		types:  &smithy.TypeRegistry{Entries: map[string]*smithy.TypeRegistryEntry{}},
		body:   body,
		closed: make(chan struct{}),
	}
	// The codec finds an event's or an exception's type by the target of
	// the union member the message names.
	for _, name := range n.order {
		m := n.members[name]
		id := m.schema.TargetID().String()
		if m.node.shape.Exception || m.node.shape.Error != nil {
			shape, code := m.node.name, name
			s.types.Entries[id] = &smithy.TypeRegistryEntry{New: func() any {
				// boto3 reports the :exception-type header, the member's
				// name, as the code.
				return &errorValue{c: c, code: code, shape: shape}
			}}
			continue
		}
		s.types.Entries[id] = &smithy.TypeRegistryEntry{New: func() any {
			return &eventValue{c: c, n: m.node, name: name}
		}}
	}
	return s
}

// eventValue is one event as the codec deserializes it.
type eventValue struct {
	c    *Codec
	n    *node
	name string
	v    any
}

func (e *eventValue) Deserialize(d smithy.ShapeDeserializer) error {
	r := &reader{c: e.c, d: d}
	v, err := r.structure(e.n, e.n.schema)
	e.v = v
	return err
}

// Next returns the next event as boto3 yields it: a map with one key, the
// event's member name in the stream, whose value is the event's members
// ({"Records": {"Payload": []byte}}). Events of a type the model does not
// know are skipped, as boto3 skips them. At the end of the stream Next
// returns io.EOF; an exception event is a *ServiceError, coded by the
// exception's member name as boto3 codes it. The stream is closed when Next
// returns an error.
func (s *EventStream) Next() (map[string]any, error) {
	select {
	case <-s.closed:
		if s.err != nil {
			return nil, s.err
		}
		return nil, errors.New("read from a closed event stream")
	default:
	}
	for {
		v, err := s.proto.DeserializeEventMessage(s.union.schema, s.types, s.body)
		if err != nil {
			return nil, s.end(s.eventError(err))
		}
		if ev, ok := v.(*eventValue); ok {
			return map[string]any{ev.name: ev.v}, nil
		}
		// else an *eventstream.UnknownUnionMember: an event newer than
		// the model
	}
}

// end closes the stream for good with err, and returns err.
func (s *EventStream) end(err error) error {
	s.once.Do(func() {
		s.err = err
		close(s.closed)
		s.body.Close()
	})
	return err
}

// Close closes the response body; Next then fails. Closing twice is harmless.
func (s *EventStream) Close() error {
	s.end(nil)
	return nil
}

// eventError turns what the codec returned into the error Next returns.
func (s *EventStream) eventError(err error) error {
	if errors.Is(err, io.EOF) {
		return io.EOF
	}
	var ev *errorValue
	var ge *smithy.GenericAPIError
	if errors.As(err, &ev) || errors.As(err, &ge) {
		// boto3 gives an exception or error message the status 400.
		resp := &smithyhttp.Response{Response: &http.Response{StatusCode: http.StatusBadRequest, Header: http.Header{}}}
		return s.c.toServiceError(err, resp, nil)
	}
	select {
	case <-s.closed:
		// the body was closed under a read (Close from another goroutine)
		return errors.New("read from a closed event stream")
	default:
	}
	return fmt.Errorf("reading the event stream: %w", err)
}
