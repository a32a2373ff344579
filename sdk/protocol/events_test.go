package protocol

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/aws/smithy-go/eventstream"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

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
	frame := func(headers map[string]string, payload string) []byte {
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
