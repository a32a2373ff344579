package protocol

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/awslua/awslua/sdk/model"
)

// fuzzShapes is a small model that reaches every shape type and binding.
const fuzzShapes = `{
 "Out": {"type": "structure", "members": {
   "Str": {"shape": "S"}, "Int": {"shape": "I"}, "Long": {"shape": "L"},
   "F": {"shape": "F"}, "D": {"shape": "D"}, "B": {"shape": "Bool"},
   "T": {"shape": "T"}, "TS": {"shape": "T", "timestampFormat": "iso8601"},
   "Blob": {"shape": "Blob"}, "List": {"shape": "List"}, "Map": {"shape": "Map"},
   "Nested": {"shape": "Out"}, "Sparse": {"shape": "SparseList"},
   "Named": {"shape": "S", "locationName": "other"},
   "Flat": {"shape": "FlatList"}, "Union": {"shape": "U"},
   "H": {"shape": "S", "location": "header", "locationName": "x-h"},
   "HI": {"shape": "I", "location": "header", "locationName": "x-i"},
   "HT": {"shape": "T", "location": "header", "locationName": "x-t"},
   "HL": {"shape": "StrList", "location": "header", "locationName": "x-l"},
   "HJ": {"shape": "S", "location": "header", "locationName": "x-j", "jsonvalue": true},
   "Meta": {"shape": "StrMap", "location": "headers", "locationName": "x-m-"},
   "Code": {"shape": "I", "location": "statusCode"},
   "Doc": {"shape": "Doc"}, "Dec": {"shape": "Dec"}, "Big": {"shape": "BigI"}
 }},
 "Doc": {"type": "structure", "document": true, "members": {}},
 "Dec": {"type": "bigdecimal"}, "BigI": {"type": "biginteger"},
 "S": {"type": "string"}, "I": {"type": "integer"}, "L": {"type": "long"},
 "F": {"type": "float"}, "D": {"type": "double"}, "Bool": {"type": "boolean"},
 "T": {"type": "timestamp"}, "Blob": {"type": "blob"},
 "List": {"type": "list", "member": {"shape": "Out"}},
 "FlatList": {"type": "list", "member": {"shape": "S"}, "flattened": true},
 "StrList": {"type": "list", "member": {"shape": "S"}},
 "SparseList": {"type": "list", "member": {"shape": "S"}, "sparse": true},
 "Map": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "Out"}},
 "StrMap": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}},
 "U": {"type": "structure", "union": true, "members": {"A": {"shape": "S"}, "B": {"shape": "List"}}},
 "Oops": {"type": "structure", "exception": true, "error": {"code": "Oops", "httpStatusCode": 400},
   "members": {"Reason": {"shape": "S"}, "Inner": {"shape": "Out"}, "H": {"shape": "S", "location": "header", "locationName": "x-h"}}}
}`

// fuzzCodecs builds the small model's codec for each protocol.
func fuzzCodecs(t testing.TB) map[string]*Codec {
	var shapes map[string]*model.Shape
	if err := json.Unmarshal([]byte(fuzzShapes), &shapes); err != nil {
		t.Fatal(err)
	}
	codecs := map[string]*Codec{}
	for _, p := range priority {
		svc := &model.Service{
			Name: "fuzz",
			Metadata: model.Metadata{Protocol: p, APIVersion: "2020-01-01", JSONVersion: "1.1",
				TargetPrefix: "Fuzz", EndpointPrefix: "fuzz"},
			Operations: map[string]*model.Operation{"Op": {
				Name:   "Op",
				HTTP:   model.HTTP{Method: "POST", RequestURI: "/"},
				Input:  &model.ShapeRef{Shape: "Out"},
				Output: &model.ShapeRef{Shape: "Out", ResultWrapper: "OpResult"},
				Errors: []model.ShapeRef{{Shape: "Oops"}},
			}},
		}
		svc.SetShapes(shapes)
		c, err := New(svc)
		if err != nil {
			t.Fatal(err)
		}
		codecs[p] = c
	}
	return codecs
}

// FuzzDeserialize feeds random bodies, statuses and headers to every
// protocol's parser: nothing may panic.
func FuzzDeserialize(f *testing.F) {
	seeds := []string{
		`{"Str":"a","Int":1,"Long":2,"F":1.5,"D":"NaN","B":true,"T":1.5,"TS":"2020-01-01T00:00:00Z","Blob":"AQI=",` +
			`"List":[{"Str":"x"},null],"Map":{"k":{"Int":3}},"Nested":{"Nested":{}},"Sparse":["a",null],"other":"o","Union":{"A":"x"},` +
			`"Doc":{"a":[1,[2]]},"Dec":1.5e3,"Big":123456789012345678901234567890}`,
		`{"__type":"Oops","message":"m","Reason":"r","Inner":{"List":[]}}`,
		`<OpResponse><OpResult><Str>a</Str><Int>1</Int><List><member><Str>x</Str></member></List>` +
			`<Map><entry><key>k</key><value><Int>2</Int></value></entry></Map><Flat>a</Flat><Flat>b</Flat><T>2020-01-01T00:00:00Z</T></OpResult></OpResponse>`,
		`<Out><Str>a</Str><Nested><Blob>AQI=</Blob></Nested><Union><A>x</A></Union></Out>`,
		`<ErrorResponse><Error><Code>Oops</Code><Message>m</Message><Reason>r</Reason></Error></ErrorResponse>`,
		`<Response><Errors><Error><Code>Oops</Code><Message>m</Message></Error></Errors></Response>`,
		"\xbf\x63Str\x61a\x63Int\x01\x64List\x9f\xbf\xff\xff\xff",
		"\xbf\x66__type\x64Oops\x67message\x61m\xff",
		``, `{`, `<`, `null`, `[]`, `{"List":{}}`, `{"Map":[]}`, `<Out><List><member>`,
	}
	for i, s := range seeds {
		f.Add([]byte(s), uint8(i), "v", "1")
	}
	codecs := fuzzCodecs(f)
	f.Fuzz(func(t *testing.T, body []byte, sel uint8, hv, hi string) {
		statuses := []int{200, 400, 404, 500}
		status := statuses[int(sel)%len(statuses)]
		for _, p := range priority {
			c := codecs[p]
			h := http.Header{}
			h.Set("x-h", hv)
			h.Set("x-i", hi)
			h.Set("x-t", hv)
			h.Set("x-l", hv)
			h.Set("x-j", hv)
			h.Set("x-m-a", hi)
			h.Set("X-Amzn-Query-Error", hv)
			h.Set("X-Amzn-Errortype", hv)
			resp := &smithyhttp.Response{Response: &http.Response{
				StatusCode: status, Header: h,
				Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
			}}
			_, _ = c.DeserializeResponse(context.Background(), c.svc.Operations["Op"], resp)
		}
	})
}

// FuzzSerialize feeds random dynamic values (JSON turned into Go values) to
// every protocol's serializer: wrong types must come back as errors, never
// as panics.
func FuzzSerialize(f *testing.F) {
	seeds := []string{
		`{"Str":"a","Int":1,"Long":2,"F":1.5,"D":"NaN","B":true,"T":1.5,"TS":"2020-01-01T00:00:00Z","Blob":"AQI=",` +
			`"List":[{"Str":"x"},null],"Map":{"k":{"Int":3},"":{}},"Nested":{"Nested":{}},"Sparse":["a",null],"Named":"o","Union":{"A":"x"},` +
			`"H":"h","HI":3,"HT":0,"HL":["a","b,c"],"HJ":{"x":[1]},"Meta":{"a":"b"},"Doc":{"a":[1,[2]]},"Dec":"1.5","Big":12}`,
		`{"Int":"x"}`, `{"List":{}}`, `{"Map":[]}`, `{"Union":{"A":"x","B":[]}}`, `{"Nope":1}`, `{"Map":{"":5}}`,
		`{"T":"yesterday"}`, `{"Dec":{}}`, `{"Nested":[]}`, `{"F":1e400}`, `{"Int":9999999999999}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	codecs := fuzzCodecs(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		dec := json.NewDecoder(bytes.NewReader(in))
		dec.UseNumber()
		var v map[string]any
		if dec.Decode(&v) != nil {
			return
		}
		for _, p := range priority {
			c := codecs[p]
			req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
			_ = c.SerializeRequest(context.Background(), c.svc.Operations["Op"], v, req)
		}
	})
}
