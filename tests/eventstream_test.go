package tests

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// selectBucket makes a moto bucket holding people.csv and people.json.
func selectBucket(t *testing.T) (*sdk.Client, string) {
	t.Helper()
	s3 := svcMoto(t, "s3")
	bucket := testenv.Name("select")
	svcCall(t, s3, "CreateBucket", map[string]any{"Bucket": bucket})
	svcCall(t, s3, "PutObject", map[string]any{"Bucket": bucket, "Key": "people.csv", "Body": "name,n\nann,1\nbob,2\ncat,3\n"})
	svcCall(t, s3, "PutObject", map[string]any{"Bucket": bucket, "Key": "people.json", "Body": "{\"name\":\"ann\",\"n\":1}\n{\"name\":\"bob\",\"n\":2}\n"})
	return s3, bucket
}

func selectInput(bucket, key string, in, out map[string]any) map[string]any {
	return map[string]any{
		"Bucket": bucket, "Key": key, "Expression": "SELECT * FROM S3Object", "ExpressionType": "SQL",
		"InputSerialization": in, "OutputSerialization": out,
	}
}

// TestEventStreamSelectGo reads S3 SelectObjectContent's event stream from
// moto, from Go: records, then the stats event, then the end event, as
// boto3 shapes them.
func TestEventStreamSelectGo(t *testing.T) {
	s3, bucket := selectBucket(t)
	in := selectInput(bucket, "people.json", map[string]any{"JSON": map[string]any{"Type": "LINES"}}, map[string]any{"JSON": map[string]any{}})
	out := svcCall(t, s3, "SelectObjectContent", in)
	stream, ok := out["Payload"].(*sdk.EventStream)
	if !ok {
		t.Fatalf("Payload is %T, want *sdk.EventStream", out["Payload"])
	}
	var names []string
	var records strings.Builder
	var stats map[string]any
	for ev, err := range stream.Events(t.Context()) {
		if err != nil {
			t.Fatal(err)
		}
		if len(ev) != 1 {
			t.Fatalf("event %v has %d keys, want one", ev, len(ev))
		}
		for name, v := range ev {
			names = append(names, name)
			switch name {
			case "Records":
				records.Write(svcDig[[]byte](t, v, "Payload"))
			case "Stats":
				stats = svcDig[map[string]any](t, v, "Details")
			}
		}
	}
	if got := strings.Join(names, " "); got != "Records Stats End" {
		t.Errorf("events %q, want Records Stats End", got)
	}
	if want := "{\"name\":\"ann\",\"n\":1}\n{\"name\":\"bob\",\"n\":2}\n"; records.String() != want {
		t.Errorf("records %q, want %q", records.String(), want)
	}
	if stats["BytesReturned"] != int64(records.Len()) || stats["BytesScanned"].(int64) <= 0 {
		t.Errorf("stats %v, want BytesReturned %d and some bytes scanned", stats, records.Len())
	}
	if _, err := stream.Next(t.Context()); err == nil {
		t.Error("Next after the end: no error")
	}
}

// TestEventStreamClose stops reading early: Close and a done context end
// the stream, and Next says so.
func TestEventStreamClose(t *testing.T) {
	s3, bucket := selectBucket(t)
	in := selectInput(bucket, "people.csv", map[string]any{"CSV": map[string]any{"FileHeaderInfo": "USE"}}, map[string]any{"CSV": map[string]any{}})

	stream := svcCall(t, s3, "SelectObjectContent", in)["Payload"].(*sdk.EventStream)
	for ev, err := range stream.Events(t.Context()) {
		if err != nil || ev["Records"] == nil {
			t.Fatalf("first event %v, %v; want Records", ev, err)
		}
		break
	}
	if _, err := stream.Next(t.Context()); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Next after a loop that broke: %v, want a closed stream", err)
	}

	stream = svcCall(t, s3, "SelectObjectContent", in)["Payload"].(*sdk.EventStream)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := stream.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Next with a cancelled context: %v", err)
	}
}

// TestEventStreamSelectLua iterates the event stream from Lua as a boto3
// user does, and prints it.
func TestEventStreamSelectLua(t *testing.T) {
	_, bucket := selectBucket(t)
	l := newLua(t, "moto", bindings.Options{})
	l.expect(t, `
		local s3 = aws.client("s3")
		local r = s3:select_object_content{Bucket = ..., Key = "people.csv", Expression = "SELECT * FROM S3Object",
			ExpressionType = "SQL", InputSerialization = {CSV = {FileHeaderInfo = "USE"}}, OutputSerialization = {CSV = {}}}
		print(tostring(r.Payload))
		local records, kinds = "", {}
		for event in r.Payload do
			for k in pairs(event) do kinds[#kinds + 1] = k end
			if event.Records then records = records .. event.Records.Payload end
			if event.Stats then print("returned", event.Stats.Details.BytesReturned == #records) end
		end
		print(table.concat(kinds, " "))
		print(records:find("ann,1\nbob,2\ncat,3\n", 1, true) == 1)
		print(r.Payload())
		local again = s3:select_object_content{Bucket = ..., Key = "people.csv", Expression = "SELECT * FROM S3Object",
			ExpressionType = "SQL", InputSerialization = {CSV = {}}, OutputSerialization = {CSV = {}}}.Payload
		again:close()
		local ok, err = pcall(function() return again() end)
		print(ok, err, err.where)
		-- a loop left with break leaves the stream to the collector
		for event in s3:select_object_content{Bucket = ..., Key = "people.csv", Expression = "SELECT * FROM S3Object",
			ExpressionType = "SQL", InputSerialization = {CSV = {}}, OutputSerialization = {CSV = {}}}.Payload do
			break
		end`,
		"<event stream of SelectObjectContent>\nreturned\ttrue\nRecords Stats End\ntrue\nnil\nfalse\tread from a closed event stream\t"+luaChunk+":18:\n", bucket)
}
