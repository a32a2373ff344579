package bindings_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/sdk"
)

// TestJSONRoundTrip: what aws.json.decode reads, aws.json.encode writes
// back the same: arrays stay arrays, null stays null, big integers keep
// every digit.
func TestJSONRoundTrip(t *testing.T) {
	rt, err := bindings.New(bindings.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	err = rt.DoString(context.Background(), `
		local J = aws.json
		for _, s in ipairs{'[]', '{}', '[1,2,3]', '{"a":[],"b":null,"c":[null,1,[]]}', '12345678901234567890',
				'-12345678901234567890', '9007199254740993', '[{"x":[[]]}]', '0.1', 'null', '"s"', 'true',
				'[1e+300]', '{"n":-5}'} do
			local back = J.encode(J.decode(s))
			assert(back == s, s .. " came back as " .. back)
		end
		assert(J.decode('null') == J.null and tostring(J.null) == "aws.json.null")
		assert(J.decode('{"n": null}').n == J.null)
		assert(#J.decode('[1,null,3]') == 3)
		assert(#J.decode('[]') == 0 and next(J.decode('[]')) == nil)
		assert(tostring(J.decode('12345678901234567890')) == '12345678901234567890')
		assert(J.decode('9007199254740993') == J.decode('9007199254740993'))
		assert(J.decode('9007199254740993') > J.decode('9007199254740992'))
		assert(J.encode({J.null, aws.dynamodb.null}) == '[null,null]')
		-- A decoded empty array goes out as an array in a request too.
		assert(J.encode({list = J.decode('[]'), map = {}}) == '{"list":[],"map":{}}')`, "json.lua")
	if err != nil {
		t.Fatal(err)
	}
}

// TestTimestamps: timestamps compare with each other, meet os.time()
// numbers through arithmetic and aws.timestamp, and aws.timestamp reads
// RFC 3339 and epoch seconds.
func TestTimestamps(t *testing.T) {
	rt, err := bindings.New(bindings.Options{Libs: bindings.AllLibs})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	err = rt.DoString(context.Background(), `
		local a, b = aws.timestamp("2026-01-02T03:04:05Z"), aws.timestamp(1767323045)
		assert(a == b and a <= b and a >= b and not (a < b), tostring(a) .. " " .. tostring(b))
		assert(aws.timestamp(a) == a)
		assert(aws.timestamp("2026-01-02T04:04:05+01:00") == a)
		local later = a + 60
		assert(a < later and later > a and later >= a and a ~= later)
		assert(60 + a == later)
		assert(later - a == 60 and a - later == -60)
		assert(a - 1767323045 == 0 and 1767323045 - later == -60)
		assert(a - os.time() < 0 and aws.timestamp(os.time()) > a)
		assert(a + -3600 < a)
		-- Lua 5.1 compares a userdata with a number by no metamethod.
		assert(a ~= 1767323045)
		assert(not pcall(function() return a < os.time() end))
		assert(tostring(aws.timestamp(0)) == "1970-01-01T00:00:00Z")
		assert(aws.timestamp(1.5):unix() == 1.5)
		local ok, err = pcall(aws.timestamp, "yesterday")
		assert(not ok and tostring(err):find("RFC 3339"), tostring(err))
		assert(not pcall(aws.timestamp, {}))
		assert(aws.json.encode({t = aws.timestamp(0)}) == '{"t":"1970-01-01T00:00:00Z"}')`, "time.lua")
	if err != nil {
		t.Fatal(err)
	}
}

// TestGoValue converts what scripts return into plain Go values.
func TestGoValue(t *testing.T) {
	rt, err := bindings.New(bindings.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	values, err := rt.Eval(context.Background(), `1, 2.5, "s", true, nil, {1, 2, {a = {}, b = false}}, aws.json.decode('{"l": [], "n": null, "big": 12345678901234567890}'), aws.timestamp(0)`)
	if err != nil {
		t.Fatal(err)
	}
	var got []any
	for _, v := range values {
		got = append(got, bindings.GoValue(v))
	}
	want := []any{int64(1), 2.5, "s", true, nil,
		[]any{int64(1), int64(2), map[string]any{"a": map[string]any{}, "b": false}},
		map[string]any{"l": []any{}, "n": nil, "big": sdk.Decimal("12345678901234567890")},
		time.Unix(0, 0).UTC()}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

// TestJSONNullInRequests: aws.json.null in a request is no value, and in a
// DynamoDB item it is NULL, so that decoded JSON can be sent as it is.
func TestJSONNullInRequests(t *testing.T) {
	sess, stop := localSession()
	defer stop()
	var out strings.Builder
	rt, err := bindings.New(bindings.Options{Session: sess, Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	err = rt.DoString(context.Background(), `
		local s3 = aws.client("s3")
		s3:create_bucket(aws.json.decode('{"Bucket": "nulls", "CreateBucketConfiguration": null}'))
		print(s3:list_objects_v2(aws.json.decode('{"Bucket": "nulls", "Prefix": null}')).Contents == nil)`, "null.lua")
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != "true\n" {
		t.Errorf("printed %q", out.String())
	}
}
