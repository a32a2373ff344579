package protocol

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/awslua/awslua/sdk/model"
)

// botocoreData finds botocore's model data on this machine: $BOTOCORE_DATA,
// else the image's Python packages. Tests that need it skip without it.
func botocoreData(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("BOTOCORE_DATA"); d != "" {
		return d
	}
	for _, pat := range []string{
		"/root/.pyenv/versions/*/lib/python3*/site-packages/botocore/data",
		"/usr/lib/python3/dist-packages/botocore/data",
		"/usr/local/lib/python3*/site-packages/botocore/data",
	} {
		if m, _ := filepath.Glob(pat); len(m) > 0 {
			return m[0]
		}
	}
	t.Skip("botocore data not found; set BOTOCORE_DATA")
	return ""
}

// loadService decodes one botocore service model, the newest API version.
func loadService(t testing.TB, dir, name string) *model.Service {
	t.Helper()
	versions, _ := filepath.Glob(filepath.Join(dir, name, "*", "service-2.json*"))
	if len(versions) == 0 {
		t.Skipf("no model for %s in %s", name, dir)
	}
	sort.Strings(versions)
	f, err := os.Open(versions[len(versions)-1])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(f.Name(), ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = gz
	}
	svc := &model.Service{Name: name}
	if err := json.NewDecoder(r).Decode(svc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for opName, op := range svc.Operations {
		if op.Name == "" {
			op.Name = opName
		}
	}
	return svc
}

// TestAllModels builds the schema of every operation of every botocore
// service: no model may be refused.
func TestAllModels(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every operation of every service")
	}
	dir := botocoreData(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skip(err)
	}
	protos := map[string]int{}
	var services, ops int
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if m, _ := filepath.Glob(filepath.Join(dir, e.Name(), "*", "service-2.json*")); len(m) == 0 {
			continue
		}
		svc := loadService(t, dir, e.Name())
		c, err := New(svc)
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		services++
		protos[c.ProtocolName()]++
		for name, op := range svc.Operations {
			if _, err := c.schema(op); err != nil {
				t.Errorf("%s.%s: %v", e.Name(), name, err)
			}
			ops++
		}
		// error shapes too
		for name := range svc.ErrorCodes {
			if _, err := c.errorNode(name); err != nil {
				t.Errorf("%s error %s: %v", e.Name(), name, err)
			}
		}
	}
	t.Logf("%d services, %d operations; protocols %v", services, ops, protos)
}

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		protocol  string
		protocols []string
		want      string
	}{
		{"smithy-rpc-v2-cbor", []string{"smithy-rpc-v2-cbor", "json"}, "json"},
		{"smithy-rpc-v2-cbor", []string{"smithy-rpc-v2-cbor", "json", "query"}, "json"},
		{"smithy-rpc-v2-cbor", []string{"smithy-rpc-v2-cbor"}, "smithy-rpc-v2-cbor"},
		{"query", []string{"query"}, "query"},
		{"ec2", nil, "ec2"},
		{"rest-xml", nil, "rest-xml"},
	} {
		got, err := Resolve(&model.Service{Metadata: model.Metadata{Protocol: tc.protocol, Protocols: tc.protocols}})
		if err != nil || got != tc.want {
			t.Errorf("Resolve(%s, %v) = %q, %v; want %q", tc.protocol, tc.protocols, got, err, tc.want)
		}
	}
	if _, err := Resolve(&model.Service{Metadata: model.Metadata{Protocol: "sdb-v2"}}); err == nil {
		t.Error("an unknown protocol resolved")
	}
}

func newRequest() *smithyhttp.Request {
	req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	req.URL, _ = url.Parse("https://example.com")
	return req
}

func body(t *testing.T, req *smithyhttp.Request) string {
	t.Helper()
	if req.GetStream() == nil {
		return ""
	}
	b, err := io.ReadAll(req.GetStream())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func httpResponse(status int, header http.Header, b string) *smithyhttp.Response {
	if header == nil {
		header = http.Header{}
	}
	return &smithyhttp.Response{Response: &http.Response{
		StatusCode: status, Header: header, Body: io.NopCloser(strings.NewReader(b)), ContentLength: int64(len(b)),
	}}
}

func TestS3(t *testing.T) {
	svc := loadService(t, botocoreData(t), "s3")
	c, err := New(svc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// CreateBucket without a configuration sends no body (smithy-go: "{}").
	req := newRequest()
	if err := c.SerializeRequest(ctx, svc.Operations["CreateBucket"], map[string]any{"Bucket": "b"}, req); err != nil {
		t.Fatal(err)
	}
	if b := body(t, req); b != "" || req.Method != "PUT" || req.URL.Path != "/b" {
		t.Errorf("CreateBucket: %s %s body %q", req.Method, req.URL.Path, b)
	}
	req = newRequest()
	err = c.SerializeRequest(ctx, svc.Operations["CreateBucket"], map[string]any{"Bucket": "b",
		"CreateBucketConfiguration": map[string]any{"LocationConstraint": "eu-west-1"}}, req)
	if b := body(t, req); err != nil || !strings.Contains(b, `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint>`) {
		t.Errorf("CreateBucket with configuration: %v %q", err, b)
	}

	// Grantee's xsi namespace reaches the element, with its xsi:type.
	req = newRequest()
	err = c.SerializeRequest(ctx, svc.Operations["PutBucketAcl"], map[string]any{"Bucket": "b",
		"AccessControlPolicy": map[string]any{"Grants": []any{map[string]any{
			"Grantee":    map[string]any{"Type": "CanonicalUser", "ID": "abc"},
			"Permission": "READ",
		}}}}, req)
	if b := body(t, req); err != nil || !strings.Contains(b, `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`) || !strings.Contains(b, `xsi:type="CanonicalUser"`) {
		t.Errorf("PutBucketAcl: %v %q", err, b)
	}

	// A key with slashes goes in the greedy label unescaped.
	req = newRequest()
	payload := strings.NewReader("hello")
	err = c.SerializeRequest(ctx, svc.Operations["PutObject"], map[string]any{"Bucket": "b", "Key": "a/b c.txt",
		"Body": payload, "Metadata": map[string]any{"k": "v"}, "ContentLength": 5}, req)
	if err != nil || req.URL.EscapedPath() != "/b/a/b%20c.txt" || req.Header.Get("X-Amz-Meta-K") != "v" || body(t, req) != "hello" {
		t.Errorf("PutObject: %v %s %v", err, req.URL.EscapedPath(), req.Header)
	}

	// GetObject hands the body back unread.
	h := http.Header{"Content-Length": {"5"}, "Last-Modified": {"Wed, 02 Dec 2026 10:00:00 GMT"}, "X-Amz-Meta-Foo": {"bar"}}
	out, err := c.DeserializeResponse(ctx, svc.Operations["GetObject"], httpResponse(200, h, "hello"))
	if err != nil {
		t.Fatal(err)
	}
	rc, ok := out["Body"].(io.ReadCloser)
	if !ok {
		t.Fatalf("GetObject Body is %T", out["Body"])
	}
	if b, _ := io.ReadAll(rc); string(b) != "hello" || out["ContentLength"] != int64(5) {
		t.Errorf("GetObject: %q %v", b, out)
	}
	if m, _ := out["Metadata"].(map[string]any); m["foo"] != "bar" {
		t.Errorf("GetObject Metadata %v", out["Metadata"])
	}

	// HEAD 404 has no body: the status is the code, as in botocore.
	_, err = c.DeserializeResponse(ctx, svc.Operations["HeadObject"], httpResponse(404, nil, ""))
	var se *ServiceError
	if !errors.As(err, &se) || se.Code != "404" || se.Message != "Not Found" || se.StatusCode != 404 {
		t.Errorf("HeadObject 404: %#v", err)
	}

	// A modeled error with an empty shape still has its message.
	_, err = c.DeserializeResponse(ctx, svc.Operations["GetObject"], httpResponse(404, nil,
		`<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key></Error>`))
	if !errors.As(err, &se) || se.Code != "NoSuchKey" || se.Message != "The specified key does not exist." || se.Shape != "NoSuchKey" {
		t.Errorf("NoSuchKey: %#v", err)
	}
}

func TestSQSQueryCompatibleError(t *testing.T) {
	svc := loadService(t, botocoreData(t), "sqs")
	c, err := New(svc)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"X-Amzn-Query-Error": {"AWS.SimpleQueueService.NonExistentQueue;Sender"}}
	_, err = c.DeserializeResponse(context.Background(), svc.Operations["GetQueueUrl"], httpResponse(400, h,
		`{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}`))
	var se *ServiceError
	if !errors.As(err, &se) || se.Code != "AWS.SimpleQueueService.NonExistentQueue" || se.Message != "The specified queue does not exist." {
		t.Errorf("%#v", err)
	}
	req := newRequest()
	if err := c.SerializeRequest(context.Background(), svc.Operations["GetQueueUrl"], map[string]any{"QueueName": "q"}, req); err != nil {
		t.Fatal(err)
	}
	if req.Header.Get("X-Amz-Target") != "AmazonSQS.GetQueueUrl" || req.Header.Get("X-Amzn-Query-Mode") != "true" {
		t.Errorf("headers %v", req.Header)
	}
}

func TestCloudWatchSpeaksJSON(t *testing.T) {
	svc := loadService(t, botocoreData(t), "cloudwatch")
	c, err := New(svc)
	if err != nil {
		t.Fatal(err)
	}
	if c.ProtocolName() != "json" {
		t.Fatalf("cloudwatch speaks %s", c.ProtocolName())
	}
}

func TestEC2(t *testing.T) {
	svc := loadService(t, botocoreData(t), "ec2")
	c, err := New(svc)
	if err != nil {
		t.Fatal(err)
	}
	req := newRequest()
	err = c.SerializeRequest(context.Background(), svc.Operations["DescribeInstances"], map[string]any{
		"InstanceIds": []any{"i-1", "i-2"},
		"Filters":     []any{map[string]any{"Name": "tag:Name", "Values": []any{"web"}}},
		"MaxResults":  float64(10), // as Lua numbers arrive
	}, req)
	want := "Action=DescribeInstances&Filter.1.Name=tag%3AName&Filter.1.Value.1=web&InstanceId.1=i-1&InstanceId.2=i-2&MaxResults=10&Version=2016-11-15"
	if b := body(t, req); err != nil || b != want {
		t.Errorf("DescribeInstances: %v\n%s\nwant\n%s", err, b, want)
	}
	_, err = c.DeserializeResponse(context.Background(), svc.Operations["DescribeInstances"], httpResponse(400, nil,
		`<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>nope</Message></Error></Errors><RequestID>r</RequestID></Response>`))
	var se *ServiceError
	if !errors.As(err, &se) || se.Code != "InvalidInstanceID.NotFound" || se.Message != "nope" {
		t.Errorf("%#v", err)
	}
}

// TestConcurrent builds and uses schemas from many goroutines; run with
// -race.
func TestConcurrent(t *testing.T) {
	svc := loadService(t, botocoreData(t), "dynamodb")
	c, err := New(svc)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range svc.Operations {
		names = append(names, n)
	}
	sort.Strings(names)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i, n := range names {
				op := svc.Operations[names[(i+g*7)%len(names)]]
				req := newRequest()
				_ = c.SerializeRequest(context.Background(), op, map[string]any{}, req)
				_, _ = c.DeserializeResponse(context.Background(), op, httpResponse(200, nil, `{}`))
				_, _ = c.DeserializeResponse(context.Background(), op, httpResponse(400, nil,
					`{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"x"}`))
				_ = n
			}
		}(g)
	}
	wg.Wait()
}

func TestDynamicValues(t *testing.T) {
	svc := loadService(t, botocoreData(t), "dynamodb")
	c, err := New(svc)
	if err != nil {
		t.Fatal(err)
	}
	req := newRequest()
	err = c.SerializeRequest(context.Background(), svc.Operations["PutItem"], map[string]any{
		"TableName": "t",
		"Item": map[string]any{
			"id":   map[string]any{"S": "1"},
			"n":    map[string]any{"N": "5"},
			"b":    map[string]any{"B": []byte{1, 2}},
			"l":    map[string]any{"L": []any{map[string]any{"BOOL": true}}},
			"null": map[string]any{"NULL": true},
		},
	}, req)
	var got map[string]any
	if err != nil || json.Unmarshal([]byte(body(t, req)), &got) != nil {
		t.Fatalf("PutItem: %v", err)
	}
	item := got["Item"].(map[string]any)
	if item["b"].(map[string]any)["B"] != "AQI=" || item["l"].(map[string]any)["L"].([]any)[0].(map[string]any)["BOOL"] != true {
		t.Errorf("PutItem body %v", got)
	}

	// type errors name the path
	err = c.SerializeRequest(context.Background(), svc.Operations["PutItem"], map[string]any{"TableName": 5}, newRequest())
	if err == nil || !strings.Contains(err.Error(), "TableName") {
		t.Errorf("bad TableName: %v", err)
	}
	err = c.SerializeRequest(context.Background(), svc.Operations["PutItem"], map[string]any{"Nope": 5}, newRequest())
	if err == nil || !strings.Contains(err.Error(), "Nope") {
		t.Errorf("unknown member: %v", err)
	}

	out, err := c.DeserializeResponse(context.Background(), svc.Operations["GetItem"], httpResponse(200, nil,
		`{"Item":{"id":{"S":"1"},"n":{"N":"5"},"b":{"B":"AQI="},"ss":{"SS":["a","b"]}},"ConsumedCapacity":{"CapacityUnits":0.5,"TableName":"t"}}`))
	if err != nil {
		t.Fatal(err)
	}
	item = out["Item"].(map[string]any)
	if !bytes.Equal(item["b"].(map[string]any)["B"].([]byte), []byte{1, 2}) ||
		out["ConsumedCapacity"].(map[string]any)["CapacityUnits"] != 0.5 ||
		len(item["ss"].(map[string]any)["SS"].([]any)) != 2 {
		t.Errorf("GetItem %v", out)
	}
}

// TestModeledErrors reads a modeled error in every protocol: its code,
// its message (the shape has no message member), its members, its header.
func TestModeledErrors(t *testing.T) {
	bodies := map[string]string{
		"json":      `{"__type":"com.example#Oops","message":"m","Reason":"r"}`,
		"rest-json": `{"message":"m","Reason":"r"}`,
		"rest-xml":  `<ErrorResponse><Error><Type>Sender</Type><Code>Oops</Code><Message>m</Message><Reason>r</Reason></Error><RequestId>x</RequestId></ErrorResponse>`,
		"query":     `<ErrorResponse><Error><Type>Sender</Type><Code>Oops</Code><Message>m</Message><Reason>r</Reason></Error><RequestId>x</RequestId></ErrorResponse>`,
		"ec2":       `<Response><Errors><Error><Code>Oops</Code><Message>m</Message><Reason>r</Reason></Error></Errors><RequestID>x</RequestID></Response>`,
	}
	for p, c := range fuzzCodecs(t) {
		b, ok := bodies[p]
		if !ok {
			continue
		}
		h := http.Header{"X-Amzn-Errortype": {"Oops"}, "X-H": {"hv"}}
		_, err := c.DeserializeResponse(context.Background(), c.svc.Operations["Op"], httpResponse(400, h, b))
		var se *ServiceError
		if !errors.As(err, &se) {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if se.Code != "Oops" || se.Message != "m" || se.Shape != "Oops" || se.Fields["Reason"] != "r" || se.StatusCode != 400 || se.Fault != "client" {
			t.Errorf("%s: %#v", p, se)
		}
		if _, ok := se.Fields["Message"]; ok {
			t.Errorf("%s: the synthetic message leaked into Fields: %v", p, se.Fields)
		}
		if strings.HasPrefix(p, "rest") && se.Fields["H"] != "hv" {
			t.Errorf("%s: header member of the error: %v", p, se.Fields)
		}
	}
}

// TestRealResponses parses responses as the services send them.
func TestRealResponses(t *testing.T) {
	dir := botocoreData(t)
	ctx := context.Background()

	iam := loadService(t, dir, "iam")
	c, _ := New(iam)
	out, err := c.DeserializeResponse(ctx, iam.Operations["ListUsers"], httpResponse(200, nil, `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListUsersResult>
    <IsTruncated>false</IsTruncated>
    <Users>
      <member><Path>/</Path><UserName>alice</UserName><UserId>AID1</UserId><Arn>arn:aws:iam::1:user/alice</Arn><CreateDate>2020-01-02T03:04:05Z</CreateDate></member>
      <member><Path>/</Path><UserName>bob</UserName><UserId>AID2</UserId><Arn>arn:aws:iam::1:user/bob</Arn><CreateDate>2020-01-02T03:04:05Z</CreateDate></member>
    </Users>
  </ListUsersResult>
  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
</ListUsersResponse>`))
	if err != nil {
		t.Fatal(err)
	}
	users, _ := out["Users"].([]any)
	if len(users) != 2 || users[1].(map[string]any)["UserName"] != "bob" || out["IsTruncated"] != false {
		t.Errorf("ListUsers %v", out)
	}
	if tm, _ := users[0].(map[string]any)["CreateDate"].(time.Time); tm.Year() != 2020 {
		t.Errorf("CreateDate %v", users[0])
	}

	ec2 := loadService(t, dir, "ec2")
	c, _ = New(ec2)
	out, err = c.DeserializeResponse(ctx, ec2.Operations["DescribeInstances"], httpResponse(200, nil, `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>r</requestId>
  <reservationSet><item><reservationId>r-1</reservationId><ownerId>1</ownerId>
    <instancesSet><item><instanceId>i-1</instanceId><instanceState><code>16</code><name>running</name></instanceState>
      <tagSet><item><key>Name</key><value>web</value></item></tagSet></item></instancesSet>
  </item></reservationSet>
</DescribeInstancesResponse>`))
	if err != nil {
		t.Fatal(err)
	}
	res := out["Reservations"].([]any)[0].(map[string]any)
	inst := res["Instances"].([]any)[0].(map[string]any)
	if inst["InstanceId"] != "i-1" || inst["State"].(map[string]any)["Code"] != int64(16) ||
		inst["Tags"].([]any)[0].(map[string]any)["Value"] != "web" {
		t.Errorf("DescribeInstances %v", out)
	}

	s3 := loadService(t, dir, "s3")
	c, _ = New(s3)
	out, err = c.DeserializeResponse(ctx, s3.Operations["ListObjectsV2"], httpResponse(200, nil, `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>
<Contents><Key>a.txt</Key><LastModified>2020-01-02T03:04:05.000Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>5</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>`))
	if err != nil {
		t.Fatal(err)
	}
	contents := out["Contents"].([]any)
	if len(contents) != 1 || contents[0].(map[string]any)["ETag"] != `"abc"` || contents[0].(map[string]any)["Size"] != int64(5) || out["KeyCount"] != int64(1) {
		t.Errorf("ListObjectsV2 %v", out)
	}
}

func TestQueryWithoutResult(t *testing.T) {
	svc := loadService(t, botocoreData(t), "iam")
	c, _ := New(svc)
	out, err := c.DeserializeResponse(context.Background(), svc.Operations["ListUsers"], httpResponse(200, nil,
		`<ListUsersResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListUsersResponse>`))
	if err != nil || len(out) != 0 {
		t.Errorf("%v %v", out, err)
	}
}

func BenchmarkEC2Schemas(b *testing.B) {
	svc := loadService(b, botocoreData(b), "ec2")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, _ := New(svc)
		for _, op := range svc.Operations {
			if _, err := c.schema(op); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkDynamoDBPutItem(b *testing.B) {
	svc := loadService(b, botocoreData(b), "dynamodb")
	c, _ := New(svc)
	op := svc.Operations["PutItem"]
	in := map[string]any{"TableName": "t", "Item": map[string]any{
		"id": map[string]any{"S": "1"}, "n": map[string]any{"N": "5"},
		"l": map[string]any{"L": []any{map[string]any{"S": "a"}, map[string]any{"BOOL": true}}},
	}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := c.SerializeRequest(context.Background(), op, in, newRequest()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDynamoDBGetItem(b *testing.B) {
	svc := loadService(b, botocoreData(b), "dynamodb")
	c, _ := New(svc)
	op := svc.Operations["GetItem"]
	body := `{"Item":{"id":{"S":"1"},"n":{"N":"5"},"l":{"L":[{"S":"a"},{"BOOL":true}]}}}`
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.DeserializeResponse(context.Background(), op, httpResponse(200, nil, body)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestS3GetBucketAcl(t *testing.T) {
	svc := loadService(t, botocoreData(t), "s3")
	c, _ := New(svc)
	out, err := c.DeserializeResponse(context.Background(), svc.Operations["GetBucketAcl"], httpResponse(200, nil, `<?xml version="1.0" encoding="UTF-8"?>
<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o</ID></Owner><AccessControlList>
<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>o</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>
</AccessControlList></AccessControlPolicy>`))
	if err != nil {
		t.Fatal(err)
	}
	g := out["Grants"].([]any)[0].(map[string]any)
	if g["Grantee"].(map[string]any)["Type"] != "CanonicalUser" || g["Permission"] != "FULL_CONTROL" {
		t.Errorf("%v", out)
	}
}

func TestMoreServices(t *testing.T) {
	dir := botocoreData(t)
	ctx := context.Background()

	// Lambda Invoke: a blob payload both ways, headers, the status code.
	lambda := loadService(t, dir, "lambda")
	c, _ := New(lambda)
	req := newRequest()
	err := c.SerializeRequest(ctx, lambda.Operations["Invoke"], map[string]any{
		"FunctionName": "f", "InvocationType": "RequestResponse", "Payload": `{"a":1}`, "Qualifier": "v1"}, req)
	if err != nil || req.URL.Path != "/2015-03-31/functions/f/invocations" || req.URL.RawQuery != "Qualifier=v1" ||
		req.Header.Get("X-Amz-Invocation-Type") != "RequestResponse" || body(t, req) != `{"a":1}` {
		t.Errorf("Invoke: %v %s?%s %v", err, req.URL.Path, req.URL.RawQuery, req.Header)
	}
	out, err := c.DeserializeResponse(ctx, lambda.Operations["Invoke"], httpResponse(200,
		http.Header{"X-Amz-Executed-Version": {"1"}}, `{"ok":true}`))
	if err != nil || string(out["Payload"].([]byte)) != `{"ok":true}` || out["StatusCode"] != int64(200) || out["ExecutedVersion"] != "1" {
		t.Errorf("Invoke output: %v %v", out, err)
	}

	// Route53: restXml with the input's own namespace.
	r53 := loadService(t, dir, "route53")
	c, _ = New(r53)
	req = newRequest()
	err = c.SerializeRequest(ctx, r53.Operations["ChangeResourceRecordSets"], map[string]any{
		"HostedZoneId": "Z1",
		"ChangeBatch": map[string]any{"Changes": []any{map[string]any{"Action": "UPSERT",
			"ResourceRecordSet": map[string]any{"Name": "a.example.com", "Type": "A", "TTL": 60,
				"ResourceRecords": []any{map[string]any{"Value": "1.2.3.4"}}}}}},
	}, req)
	b := body(t, req)
	if err != nil || req.URL.Path != "/2013-04-01/hostedzone/Z1/rrset/" ||
		!strings.HasPrefix(b, `<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change><Action>UPSERT</Action>`) ||
		!strings.Contains(b, `<ResourceRecords><ResourceRecord><Value>1.2.3.4</Value></ResourceRecord></ResourceRecords>`) {
		t.Errorf("ChangeResourceRecordSets: %v %s %s", err, req.URL.Path, b)
	}

	// SNS Publish: a map of structures in an awsQuery form.
	sns := loadService(t, dir, "sns")
	c, _ = New(sns)
	req = newRequest()
	err = c.SerializeRequest(ctx, sns.Operations["Publish"], map[string]any{"TopicArn": "arn", "Message": "hi",
		"MessageAttributes": map[string]any{"k": map[string]any{"DataType": "String", "StringValue": "v"}}}, req)
	b = body(t, req)
	if err != nil || !strings.Contains(b, "MessageAttributes.entry.1.Name=k") || !strings.Contains(b, "MessageAttributes.entry.1.Value.StringValue=v") {
		t.Errorf("Publish: %v %s", err, b)
	}
}
