package bindings

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	smithyhttp "github.com/aws/smithy-go/transport/http"
	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/model"
	"github.com/awslua/awslua/sdk/protocol"
)

// The listing benchmarks split a ListObjectsV2 page of 1,000 objects, as
// MinIO sends it, into the two halves of its way to Lua: the XML decoded
// into dynamic Go values (the intermediate map), and those values made
// into Lua tables. Both run in process, on no server, so their CPU and
// allocations are the client's alone.
//
//	go test ./bindings -run '^$' -bench ListPage -benchmem

// listPage is a ListObjectsV2 response body of n objects, with the members
// MinIO sends.
func listPage(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bench-list-20000</Name><Prefix></Prefix>` +
		`<NextContinuationToken>1fBklrn4Aef0bTbkq2RlZjY4NTYyLWM3ODQtNDM2ZS1iNTQ2LTcxMDZiNjhiMDZhNg==</NextContinuationToken>` +
		fmt.Sprintf(`<KeyCount>%d</KeyCount><MaxKeys>1000</MaxKeys><Delimiter></Delimiter><IsTruncated>true</IsTruncated>`, n))
	for i := range n {
		fmt.Fprintf(&b, `<Contents><Key>object-%06d</Key><LastModified>2026-12-02T15:04:05.123Z</LastModified>`+
			`<ETag>&#34;d41d8cd98f00b204e9800998ecf8427e&#34;</ETag><Size>%d</Size><StorageClass>STANDARD</StorageClass></Contents>`, i, 1000+i)
	}
	b.WriteString(`</ListBucketResult>`)
	return b.Bytes()
}

type listBench struct {
	codec *protocol.Codec
	op    *model.Operation
	body  []byte
}

func newListBench(b *testing.B) *listBench {
	svc, err := model.Load("s3")
	if err != nil {
		b.Fatal(err)
	}
	codec, err := protocol.New(svc)
	if err != nil {
		b.Fatal(err)
	}
	op, _ := svc.Operation("ListObjectsV2")
	return &listBench{codec: codec, op: op, body: listPage(1000)}
}

func (lb *listBench) decode(b *testing.B) map[string]any {
	resp := &smithyhttp.Response{Response: &http.Response{
		StatusCode: 200, Header: http.Header{"Content-Type": {"application/xml"}},
		Body: io.NopCloser(bytes.NewReader(lb.body)),
	}}
	out, err := lb.codec.DeserializeResponse(context.Background(), lb.op, resp)
	if err != nil {
		b.Fatal(err)
	}
	if got := len(out["Contents"].([]any)); got != 1000 {
		b.Fatalf("%d objects", got)
	}
	return out
}

// BenchmarkListPageDecode is the XML to dynamic Go values: smithy-go's
// XML decoder and the maps and lists the protocol layer builds.
func BenchmarkListPageDecode(b *testing.B) {
	lb := newListBench(b)
	b.ReportAllocs()
	for b.Loop() {
		lb.decode(b)
	}
}

// BenchmarkListPageToLua is the dynamic Go values to Lua tables, as a
// script receives a page.
func BenchmarkListPageToLua(b *testing.B) {
	lb := newListBench(b)
	out := lb.decode(b)
	L := lua.NewState()
	defer L.Close()
	L.NewTypeMetatable(timestampType)
	res := &sdk.Result{Output: out, Metadata: sdk.ResponseMetadata{HTTPStatusCode: 200, HTTPHeaders: http.Header{"X-Amz-Request-Id": {"18A"}}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := resultToLua(L, res).(*lua.LTable); !ok {
			b.Fatal("not a table")
		}
	}
}
