package protocol

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/smithy-go/eventstream"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// eventFrame encodes one event stream message.
func eventFrame(t testing.TB, headers map[string]string, payload string) []byte {
	var msg eventstream.Message
	for k, v := range headers {
		msg.Headers.Set(k, eventstream.StringValue(v))
	}
	msg.Payload = []byte(payload)
	var b bytes.Buffer
	if err := eventstream.NewEncoder().Encode(&b, msg); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// FuzzEventStream reads any bytes as the event streams of S3's
// SelectObjectContent (restXml) and Kinesis's SubscribeToShard (awsJson,
// with its initial response): reading them to their end, or to an
// error, must not panic.
func FuzzEventStream(f *testing.F) {
	ops := map[string]string{"s3": "SelectObjectContent", "kinesis": "SubscribeToShard"}
	codecs := map[string]*Codec{}
	for name := range ops {
		c, err := New(loadService(f, botocoreData(f), name))
		if err != nil {
			f.Fatal(err)
		}
		codecs[name] = c
	}
	f.Add(append(eventFrame(f, map[string]string{":message-type": "event", ":event-type": "Records"}, "a,b\n"),
		eventFrame(f, map[string]string{":message-type": "event", ":event-type": "Stats", ":content-type": "text/xml"},
			"<Stats><BytesScanned>9</BytesScanned></Stats>")...))
	f.Add(append(eventFrame(f, map[string]string{":message-type": "event", ":event-type": "initial-response"}, "{}"),
		eventFrame(f, map[string]string{":message-type": "event", ":event-type": "SubscribeToShardEvent"},
			`{"Records":[{"Data":"eA==","SequenceNumber":"1","PartitionKey":"k"}],"ContinuationSequenceNumber":"2","MillisBehindLatest":0}`)...))
	f.Add(eventFrame(f, map[string]string{":message-type": "exception", ":exception-type": "ResourceNotFoundException"}, `{"message":"gone"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for name, c := range codecs {
			op := c.svc.Operations[ops[name]]
			resp := &smithyhttp.Response{Response: &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}}
			out, err := c.DeserializeResponse(context.Background(), op, resp)
			if err != nil {
				continue
			}
			for _, v := range out {
				if s, ok := v.(*EventStream); ok {
					for range 1000 {
						if _, err := s.Next(); err != nil {
							break
						}
					}
				}
			}
		}
	})
}

// TestEventStreamExceptions reads Bedrock Runtime's ConverseStream as the
// service frames it: an event, then an exception event, which ends the
// stream with a modeled error coded by its member name, as boto3's
// EventStreamError is; and an error message, coded by its header.
func TestEventStreamExceptions(t *testing.T) {
	svc := loadService(t, botocoreData(t), "bedrock-runtime")
	codec, err := New(svc)
	if err != nil {
		t.Fatal(err)
	}
	frame := func(headers map[string]string, payload string) []byte { return eventFrame(t, headers, payload) }
	delta := frame(map[string]string{":message-type": "event", ":event-type": "contentBlockDelta", ":content-type": "application/json"},
		`{"contentBlockIndex":0,"delta":{"text":"Hi"}}`)
	cases := []struct {
		name, code, message string
		last                []byte
	}{
		{"exception", "throttlingException", "slow down",
			frame(map[string]string{":message-type": "exception", ":exception-type": "throttlingException", ":content-type": "application/json"}, `{"message":"slow down"}`)},
		{"error", "InternalFailure", "it broke",
			frame(map[string]string{":message-type": "error", ":error-code": "InternalFailure", ":error-message": "it broke"}, "")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := append(append([]byte{}, delta...), c.last...)
			resp := &smithyhttp.Response{Response: &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}}
			out, err := codec.DeserializeResponse(context.Background(), svc.Operations["ConverseStream"], resp)
			if err != nil {
				t.Fatal(err)
			}
			stream := out["stream"].(*EventStream)
			ev, err := stream.Next()
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"contentBlockDelta": map[string]any{"contentBlockIndex": int64(0), "delta": map[string]any{"text": "Hi"}}}
			if !reflect.DeepEqual(ev, want) {
				t.Errorf("event %v, want %v", ev, want)
			}
			_, err = stream.Next()
			var se *ServiceError
			if !errors.As(err, &se) || se.Code != c.code || se.Message != c.message || se.StatusCode != 400 {
				t.Fatalf("got %#v, want a ServiceError %s: %s (400)", err, c.code, c.message)
			}
			if _, err := stream.Next(); !errors.Is(err, se) {
				t.Errorf("Next after the error: %v, want the error again", err)
			}
		})
	}
}

// TestEventStreamInitialResponse reads Kinesis's SubscribeToShard, an
// awsJson event stream, which starts with an initial-response event that
// boto3 reads before it returns, and fails without one, as boto3 does.
func TestEventStreamInitialResponse(t *testing.T) {
	svc := loadService(t, botocoreData(t), "kinesis")
	codec, err := New(svc)
	if err != nil {
		t.Fatal(err)
	}
	event := eventFrame(t, map[string]string{":message-type": "event", ":event-type": "SubscribeToShardEvent", ":content-type": "application/json"},
		`{"Records":[{"Data":"eA==","SequenceNumber":"1","PartitionKey":"k"}],"ContinuationSequenceNumber":"2","MillisBehindLatest":5}`)
	read := func(body []byte) (map[string]any, error) {
		resp := &smithyhttp.Response{Response: &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}}
		return codec.DeserializeResponse(context.Background(), svc.Operations["SubscribeToShard"], resp)
	}
	out, err := read(append(eventFrame(t, map[string]string{":message-type": "event", ":event-type": "initial-response"}, "{}"), event...))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := out["EventStream"].(*EventStream).Next()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"SubscribeToShardEvent": map[string]any{
		"Records":                    []any{map[string]any{"Data": []byte("x"), "SequenceNumber": "1", "PartitionKey": "k"}},
		"ContinuationSequenceNumber": "2", "MillisBehindLatest": int64(5),
	}}
	if !reflect.DeepEqual(ev, want) {
		t.Errorf("event %v, want %v", ev, want)
	}
	if _, err := read(event); err == nil || !strings.Contains(err.Error(), "initial-response") {
		t.Errorf("a stream without its initial response: %v", err)
	}
}
