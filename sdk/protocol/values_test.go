package protocol

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/awslua/awslua/sdk/model"
)

const valueShapes = `{
 "In": {"type": "structure", "members": {
   "Doc": {"shape": "Doc"}, "Dec": {"shape": "Dec"}, "Big": {"shape": "BigI"},
   "J": {"shape": "S", "location": "header", "locationName": "x-j", "jsonvalue": true},
   "T": {"shape": "T"}, "U": {"shape": "U"}, "Raw": {"shape": "Blob"}, "N": {"shape": "I"}
 }},
 "S": {"type": "string"}, "T": {"type": "timestamp"}, "I": {"type": "integer"}, "Blob": {"type": "blob"},
 "Doc": {"type": "structure", "document": true, "members": {}},
 "Dec": {"type": "bigdecimal"}, "BigI": {"type": "biginteger"},
 "U": {"type": "structure", "union": true, "members": {"A": {"shape": "S"}, "B": {"shape": "I"}}}
}`

func valueCodec(t *testing.T, proto string) (*Codec, *model.Operation) {
	t.Helper()
	var shapes map[string]*model.Shape
	if err := json.Unmarshal([]byte(valueShapes), &shapes); err != nil {
		t.Fatal(err)
	}
	op := &model.Operation{Name: "Op", HTTP: model.HTTP{Method: "POST", RequestURI: "/op"},
		Input: &model.ShapeRef{Shape: "In"}, Output: &model.ShapeRef{Shape: "In"}}
	svc := &model.Service{Name: "v", Operations: map[string]*model.Operation{"Op": op},
		Metadata: model.Metadata{Protocol: proto, APIVersion: "2020-01-01", TargetPrefix: "V", JSONVersion: "1.0"}}
	svc.SetShapes(shapes)
	c, err := New(svc)
	if err != nil {
		t.Fatal(err)
	}
	return c, op
}

func TestValuesRestJSON(t *testing.T) {
	c, op := valueCodec(t, "rest-json")
	ctx := context.Background()
	req := newRequest()
	in := map[string]any{
		// a list nested in a document panics smithy-go's own walk
		"Doc": map[string]any{"a": []any{1, []any{"x", true}, map[string]any{"b": nil}}},
		"Dec": "12345678901234567890.123456789",
		"Big": new(big.Int).Lsh(big.NewInt(1), 80),
		"J":   map[string]any{"k": []any{1, 2}},
		"T":   time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC),
		"U":   map[string]any{"B": int32(7)},
		"Raw": "text as blob",
		"N":   json.Number("42"),
	}
	if err := c.SerializeRequest(ctx, op, in, req); err != nil {
		t.Fatal(err)
	}
	b := body(t, req)
	for _, want := range []string{`"Doc":{"a":[1,["x",true],{"b":null}]}`, `"Dec":12345678901234567890.123456789`,
		`"Big":1208925819614629174706176`, `"T":1577934245`, `"U":{"B":7}`, `"Raw":"dGV4dCBhcyBibG9i"`, `"N":42`} {
		if !strings.Contains(b, want) {
			t.Errorf("body %s lacks %s", b, want)
		}
	}
	if h := req.Header.Get("X-J"); h != "eyJrIjpbMSwyXX0=" { // base64 of {"k":[1,2]}
		t.Errorf("jsonvalue header %q", h)
	}

	h := http.Header{"X-J": {"eyJrIjpbMSwyXX0="}}
	out, err := c.DeserializeResponse(ctx, op, httpResponse(200, h, b))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := json.Marshal(out["Doc"]); string(d) != `{"a":[1,["x",true],{"b":null}]}` {
		t.Errorf("Doc %s", d)
	}
	if bi, ok := out["Big"].(*big.Int); !ok || bi.Cmp(in["Big"].(*big.Int)) != 0 {
		t.Errorf("Big %v", out["Big"])
	}
	if bf, ok := out["Dec"].(*big.Float); !ok || bf.Text('f', 9) != "12345678901234567890.123456789" {
		t.Errorf("Dec %v", out["Dec"])
	}
	if j, _ := json.Marshal(out["J"]); string(j) != `{"k":[1,2]}` {
		t.Errorf("J %s", j)
	}
	if tm, ok := out["T"].(time.Time); !ok || !tm.Equal(in["T"].(time.Time)) {
		t.Errorf("T %v", out["T"])
	}
	if u, _ := out["U"].(map[string]any); u["B"] != int64(7) {
		t.Errorf("U %v", out["U"])
	}
	if string(out["Raw"].([]byte)) != "text as blob" || out["N"] != int64(42) {
		t.Errorf("Raw/N %v", out)
	}

	// wrong types are refused with the member's path
	for _, bad := range []map[string]any{
		{"N": 1.5}, {"T": "yesterday"}, {"U": map[string]any{"A": "x", "B": 1}}, {"Raw": 3}, {"Dec": "x"},
	} {
		if err := c.SerializeRequest(ctx, op, bad, newRequest()); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestValuesRestXMLBigNumbers(t *testing.T) {
	c, op := valueCodec(t, "rest-xml")
	req := newRequest()
	if err := c.SerializeRequest(context.Background(), op, map[string]any{"Dec": 1.25, "Big": "123"}, req); err != nil {
		t.Fatal(err)
	}
	b := body(t, req)
	if !strings.Contains(b, "<Dec>1.25</Dec>") || !strings.Contains(b, "<Big>123</Big>") {
		t.Errorf("body %s", b)
	}
	out, err := c.DeserializeResponse(context.Background(), op, httpResponse(200, nil, b))
	if err != nil {
		t.Fatal(err)
	}
	if bi, ok := out["Big"].(*big.Int); !ok || bi.Int64() != 123 {
		t.Errorf("Big %v", out)
	}
	// documents are JSON-only
	if err := c.SerializeRequest(context.Background(), op, map[string]any{"Doc": map[string]any{}}, newRequest()); err == nil {
		t.Error("a document was accepted over rest-xml")
	}
}

func TestHostPrefix(t *testing.T) {
	svc := &model.Service{}
	svc.SetShapes(map[string]*model.Shape{
		"In": {Type: "structure", Members: map[string]*model.ShapeRef{"AccountId": {Shape: "S", HostLabel: true}}},
		"S":  {Type: "string"},
	})
	op := &model.Operation{Name: "Op", Input: &model.ShapeRef{Shape: "In"}}
	op.Endpoint = &struct {
		HostPrefix string `json:"hostPrefix"`
	}{HostPrefix: "{AccountId}.control."}
	if p, err := HostPrefix(svc, op, map[string]any{"AccountId": "123"}); err != nil || p != "123.control." {
		t.Errorf("%q %v", p, err)
	}
	if _, err := HostPrefix(svc, op, map[string]any{"AccountId": "a/b"}); err == nil {
		t.Error("a label with a slash was accepted")
	}
	if p, err := HostPrefix(svc, &model.Operation{Name: "X"}, nil); p != "" || err != nil {
		t.Errorf("%q %v", p, err)
	}
}

func TestGenericErrors(t *testing.T) {
	ctx := context.Background()
	for _, p := range []string{"json", "rest-json", "rest-xml", "query", "ec2"} {
		c, op := valueCodec(t, p)
		for _, tc := range []struct {
			status        int
			body          string
			code, message string
		}{
			{503, "", "503", "Service Unavailable"},
			{502, "<html><body>Bad Gateway</body></html>", "502", "Bad Gateway"},
		} {
			_, err := c.DeserializeResponse(ctx, op, httpResponse(tc.status, nil, tc.body))
			var se *ServiceError
			if !errors.As(err, &se) || se.Code != tc.code || se.Message != tc.message {
				t.Errorf("%s %d %q: %v", p, tc.status, tc.body, err)
			}
		}
	}
	for _, p := range []string{"json", "rest-json"} {
		c, op := valueCodec(t, p)
		_, err := c.DeserializeResponse(ctx, op, httpResponse(404, nil, `{}`))
		var se *ServiceError
		if !errors.As(err, &se) || se.Code != "404" || se.Message != "" {
			t.Errorf("%s: %#v", p, err)
		}
	}
}

func TestErrorRequestID(t *testing.T) {
	c, op := valueCodec(t, "query")
	_, err := c.DeserializeResponse(context.Background(), op, httpResponse(400, nil,
		`<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>slow down</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>`))
	var se *ServiceError
	if !errors.As(err, &se) || se.RequestID != "rid-1" || se.Code != "Throttling" || se.Fault != "client" {
		t.Errorf("%#v", err)
	}
	c, op = valueCodec(t, "json")
	_, err = c.DeserializeResponse(context.Background(), op, httpResponse(400, http.Header{"X-Amzn-Requestid": {"rid-2"}},
		`{"__type":"ThrottlingException","message":"slow down"}`))
	if !errors.As(err, &se) || se.RequestID != "rid-2" || se.Code != "ThrottlingException" || se.Message != "slow down" {
		t.Errorf("%#v", err)
	}
}
