package sdk

import (
	"context"
	"errors"
	"io"
	"iter"

	"github.com/awslua/awslua/sdk/protocol"
)

// An EventStream is the event stream member of an operation's output (S3
// SelectObjectContent's Payload, Lambda InvokeWithResponseStream's
// EventStream, Bedrock Runtime ConverseStream's stream): the events are
// read from the response body as the service sends them, never buffered
// whole. Read them with Events or Next, and Close the stream when not read
// to its end.
type EventStream struct {
	svc *Service
	op  *Operation
	r   *protocol.EventStream
}

// Next returns the next event, shaped as boto3 yields it: a map with one
// key, the event's name, whose value holds the event's members:
//
//	{"Records": {"Payload": []byte("...")}}
//	{"Stats": {"Details": {"BytesScanned": int64(...), ...}}}
//	{"End": {}}
//
// It returns io.EOF at the end of the stream, an *Error for an exception
// the service sent in the stream (its Code is the exception's name, as
// boto3's EventStreamError has it), and ctx's error when ctx is done first.
// The stream is closed once Next has returned an error.
func (s *EventStream) Next(ctx context.Context) (map[string]any, error) {
	if err := ctx.Err(); err != nil {
		s.r.Close()
		return nil, err
	}
	// A read blocked on a quiet stream (a live tail) ends when ctx does.
	stop := context.AfterFunc(ctx, func() { s.r.Close() })
	ev, err := s.r.Next()
	stop()
	switch {
	case err == nil:
		return ev, nil
	case err == io.EOF:
		return nil, io.EOF
	case ctx.Err() != nil:
		return nil, ctx.Err()
	}
	var se *protocol.ServiceError
	if !errors.As(err, &se) {
		return nil, err
	}
	err = wrapError(s.svc, s.op, err, 0)
	if e, ok := err.(*Error); ok {
		e.StatusCode = se.StatusCode
	}
	return nil, err
}

// Events returns the stream's events in order, as Next reads them; the
// sequence ends at the end of the stream or with Next's error. The stream
// is closed when the sequence ends, also when the loop breaks early.
func (s *EventStream) Events(ctx context.Context) iter.Seq2[map[string]any, error] {
	return func(yield func(map[string]any, error) bool) {
		defer s.Close()
		for {
			ev, err := s.Next(ctx)
			if err == io.EOF {
				return
			}
			if !yield(ev, err) || err != nil {
				return
			}
		}
	}
}

// Close closes the response body. Closing twice is harmless.
func (s *EventStream) Close() error { return s.r.Close() }

// String names the stream, for printing an output.
func (s *EventStream) String() string { return "<event stream of " + s.op.Name + ">" }

// wrapEventStreams gives an output's event stream the sdk's type, whose
// errors are the sdk's.
func wrapEventStreams(svc *Service, op *Operation, out map[string]any) {
	for k, v := range out {
		if r, ok := v.(*protocol.EventStream); ok {
			out[k] = &EventStream{svc: svc, op: op, r: r}
		}
	}
}
