package tests

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// ---- helpers ----

// svcMoto returns a client of service on the moto server.
func svcMoto(t *testing.T, service string) *sdk.Client {
	t.Helper()
	return testenv.Client(t, "moto", service)
}

// svcCall calls an operation and fails the test on an error.
func svcCall(t *testing.T, c *sdk.Client, op string, in map[string]any) map[string]any {
	t.Helper()
	out, err := c.Call(t.Context(), op, in)
	if err != nil {
		t.Fatalf("%s %s: %v", c.ServiceName(), op, err)
	}
	return out
}

// svcDig follows map keys (strings) and list indexes (ints) through a dynamic
// value and returns what it finds there as a T, failing the test if the
// path is missing or the value has another type.
func svcDig[T any](t *testing.T, v any, path ...any) T {
	t.Helper()
	cur := v
	for i, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("%v: %T is not a map", path[:i+1], cur)
			}
			if cur, ok = m[k]; !ok {
				t.Fatalf("%v: no member %q among %v", path[:i+1], k, svcKeys(m))
			}
		case int:
			l, ok := cur.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("%v: %T of length %d has no index %d", path[:i+1], cur, len(l), k)
			}
			cur = l[k]
		}
	}
	out, ok := cur.(T)
	if !ok {
		t.Fatalf("%v: got %T (%v), want %T", path, cur, cur, out)
	}
	return out
}

func svcKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// svcCollect drains an iterator, failing the test on an error.
func svcCollect[V any](t *testing.T, seq iter.Seq2[V, error]) []V {
	t.Helper()
	var out []V
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// svcResumeAll runs a paginator with cfg.MaxItems again and again, each run
// starting from the previous run's ResumeToken, until a run reads to the
// end; it returns the items of each run.
func svcResumeAll(t *testing.T, c *sdk.Client, op string, in map[string]any, cfg sdk.PaginationConfig) [][]any {
	t.Helper()
	var runs [][]any
	for len(runs) < 50 {
		p, err := c.Paginator(op, in, cfg)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, svcCollect(t, p.Items(t.Context())))
		if cfg.StartingToken = p.ResumeToken(); cfg.StartingToken == "" {
			return runs
		}
		if n := len(runs[len(runs)-1]); n != cfg.MaxItems {
			t.Fatalf("run %d stopped with a resume token after %d items, want MaxItems=%d", len(runs), n, cfg.MaxItems)
		}
	}
	t.Fatal("the paginator never finished")
	return nil
}

// svcLens returns the number of items of each run.
func svcLens(runs [][]any) []int {
	out := make([]int, len(runs))
	for i, r := range runs {
		out[i] = len(r)
	}
	return out
}

// svcResumeToken runs a paginator that MaxItems stops and returns its
// resume token, decoded.
func svcResumeToken(t *testing.T, c *sdk.Client, op string, in map[string]any, cfg sdk.PaginationConfig) map[string]any {
	t.Helper()
	p, err := c.Paginator(op, in, cfg)
	if err != nil {
		t.Fatal(err)
	}
	svcCollect(t, p.PageMaps(t.Context()))
	raw, err := base64.StdEncoding.DecodeString(p.ResumeToken())
	if err != nil {
		t.Fatalf("resume token %q: %v", p.ResumeToken(), err)
	}
	var tok map[string]any
	if err := json.Unmarshal(raw, &tok); err != nil {
		t.Fatalf("resume token %s: %v", raw, err)
	}
	return tok
}

// svcAPIError asserts that err is an *sdk.Error of code and HTTP status and
// returns it.
func svcAPIError(t *testing.T, err error, code string, status int) *sdk.Error {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T (%v), want *sdk.Error", err, err)
	}
	if e.Code != code || e.StatusCode != status {
		t.Fatalf("got code %q status %d, want %q %d: %v", e.Code, e.StatusCode, code, status, err)
	}
	if !errors.Is(err, sdk.CodeError(code)) || errors.Is(err, sdk.CodeError(code+"X")) {
		t.Errorf("errors.Is with sdk.CodeError does not match on the code alone")
	}
	return e
}

func svcContains(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%q does not contain %q", s, sub)
		}
	}
}

// ---- DynamoDB ----

// svcTable creates a table with a hash key pk of keyType and a numeric
// range key sk.
func svcTable(t *testing.T, ddb *sdk.Client, keyType string) string {
	t.Helper()
	name := testenv.Name("awslua-ddb")
	svcCall(t, ddb, "create_table", map[string]any{
		"TableName": name,
		"AttributeDefinitions": []any{
			map[string]any{"AttributeName": "pk", "AttributeType": keyType},
			map[string]any{"AttributeName": "sk", "AttributeType": "N"},
		},
		"KeySchema": []any{
			map[string]any{"AttributeName": "pk", "KeyType": "HASH"},
			map[string]any{"AttributeName": "sk", "KeyType": "RANGE"},
		},
		"BillingMode": "PAY_PER_REQUEST",
	})
	if err := ddb.Wait(t.Context(), "table_exists", map[string]any{"TableName": name}, sdk.WaiterConfig{Delay: 100 * time.Millisecond, MaxAttempts: 50}); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestSvcDynamoDBAttributeValues(t *testing.T) {
	t.Parallel()
	ddb := svcMoto(t, "dynamodb")
	table := svcTable(t, ddb, "S")
	item := map[string]any{
		"pk":    map[string]any{"S": "kinds"},
		"sk":    map[string]any{"N": "1"},
		"big":   map[string]any{"N": "12345678901234567890"},
		"bytes": map[string]any{"B": []byte{0, 1, 2, 0xfe, 0xff}},
		"ss":    map[string]any{"SS": []any{"a", "b", "c"}},
		"ns":    map[string]any{"NS": []any{"1", "2.5", "-3"}},
		"bs":    map[string]any{"BS": []any{[]byte{1}, []byte{2, 3}}},
		"map": map[string]any{"M": map[string]any{
			"s": map[string]any{"S": "inner"},
			"n": map[string]any{"N": "0.125"},
		}},
		"list": map[string]any{"L": []any{
			map[string]any{"S": "first"},
			map[string]any{"M": map[string]any{"deep": map[string]any{"BOOL": true}}},
			map[string]any{"L": []any{map[string]any{"NULL": true}}},
		}},
		"null":  map[string]any{"NULL": true},
		"true":  map[string]any{"BOOL": true},
		"false": map[string]any{"BOOL": false},
	}
	svcCall(t, ddb, "put_item", map[string]any{"TableName": table, "Item": item})
	out := svcCall(t, ddb, "GetItem", map[string]any{
		"TableName":      table,
		"Key":            map[string]any{"pk": map[string]any{"S": "kinds"}, "sk": map[string]any{"N": "1"}},
		"ConsistentRead": true,
	})
	got := svcDig[map[string]any](t, out, "Item")
	if !reflect.DeepEqual(got, item) {
		gj, _ := json.MarshalIndent(got, "", " ")
		wj, _ := json.MarshalIndent(item, "", " ")
		t.Fatalf("get_item returned\n%s\nwant\n%s", gj, wj)
	}
	// DeepEqual already says so; these name the promises one by one.
	if n := svcDig[string](t, got, "big", "N"); n != "12345678901234567890" {
		t.Errorf("N lost digits: %s", n)
	}
	if b := svcDig[[]byte](t, got, "bytes", "B"); !bytes.Equal(b, []byte{0, 1, 2, 0xfe, 0xff}) {
		t.Errorf("B = %v", b)
	}
	if code := svcDig[int64](t, out, "ResponseMetadata", "HTTPStatusCode"); code != 200 {
		t.Errorf("HTTPStatusCode = %d", code)
	}
}

// TestSvcDynamoDBUnionValidation: an AttributeValue is checked as boto3
// checks it, as a structure (botocore's model has no union trait for it),
// before anything is sent.
func TestSvcDynamoDBUnionValidation(t *testing.T) {
	t.Parallel()
	ddb := svcMoto(t, "dynamodb")
	const members = "B, BOOL, BS, L, M, N, NS, NULL, S, SS"
	for _, tc := range []struct {
		name  string
		value map[string]any
		path  string
	}{
		{"unknown member", map[string]any{"X": "1"}, "Item.a"},
		{"nested in L", map[string]any{"L": []any{map[string]any{"S": "x", "Y": true}}}, "Item.a.L[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ddb.Call(t.Context(), "PutItem", map[string]any{
				"TableName": "never-sent",
				"Item":      map[string]any{"a": tc.value},
			})
			var pv *sdk.ParamValidationError
			if !errors.As(err, &pv) {
				t.Fatalf("got %T (%v), want *sdk.ParamValidationError", err, err)
			}
			if pv.Operation != "PutItem" || len(pv.Problems) != 1 {
				t.Fatalf("operation %q, problems %q", pv.Operation, pv.Problems)
			}
			svcContains(t, pv.Error(), "Parameter validation failed", "Unknown parameter in "+tc.path+":", "must be one of: "+members)
		})
	}
}

// svcPutItems writes n items pk=pk, sk=0..n-1 with a payload attribute.
func svcPutItems(t *testing.T, ddb *sdk.Client, table string, pk map[string]any, n int) {
	t.Helper()
	for i := range n {
		svcCall(t, ddb, "PutItem", map[string]any{"TableName": table, "Item": map[string]any{
			"pk":      pk,
			"sk":      map[string]any{"N": fmt.Sprint(i)},
			"payload": map[string]any{"S": fmt.Sprintf("item %d", i)},
		}})
	}
}

// svcItemKeys turns DynamoDB items into "pk/sk" strings.
func svcItemKeys(t *testing.T, items []any) []string {
	t.Helper()
	out := make([]string, len(items))
	for i, it := range items {
		pk := svcDig[map[string]any](t, it, "pk")
		out[i] = fmt.Sprintf("%v/%s", pk, svcDig[string](t, it, "sk", "N"))
	}
	return out
}

// svcWantKeys is what svcItemKeys gives for the items svcPutItems writes.
func svcWantKeys(pk map[string]any, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%v/%d", pk, i)
	}
	return out
}

// svcSameSet fails unless got has exactly the elements of want, each once.
func svcSameSet(t *testing.T, got, want []string) {
	t.Helper()
	seen := map[string]int{}
	for _, g := range got {
		if seen[g]++; seen[g] == 2 {
			t.Errorf("duplicate %s", g)
		}
	}
	for _, w := range want {
		if seen[w] == 0 {
			t.Errorf("missing %s", w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d items, want %d", len(got), len(want))
	}
}

func TestSvcDynamoDBScanPaginator(t *testing.T) {
	t.Parallel()
	ddb := svcMoto(t, "dynamodb")
	table := svcTable(t, ddb, "S")
	const n = 10
	pk := map[string]any{"S": "page"}
	svcPutItems(t, ddb, table, pk, n)
	want := svcWantKeys(pk, n)
	in := map[string]any{"TableName": table}

	pages := svcCollect(t, ddb.Paginate(t.Context(), "scan", in, sdk.PaginationConfig{PageSize: 3}))
	if len(pages) < 4 {
		t.Fatalf("%d pages of 3 for %d items", len(pages), n)
	}
	var all []any
	for i, page := range pages {
		items := svcDig[[]any](t, page, "Items")
		if len(items) > 3 {
			t.Errorf("page %d has %d items, PageSize is 3", i, len(items))
		}
		all = append(all, items...)
		if i < len(pages)-1 {
			// The token is a map of AttributeValues, not a string.
			last := svcDig[map[string]any](t, page, "LastEvaluatedKey")
			if svcDig[string](t, last, "pk", "S") != "page" {
				t.Errorf("LastEvaluatedKey %v", last)
			}
		}
	}
	svcSameSet(t, svcItemKeys(t, all), want)

	// MaxItems 4 over pages of 3 stops inside the second page; each run
	// resumes where the last stopped.
	runs := svcResumeAll(t, ddb, "Scan", in, sdk.PaginationConfig{PageSize: 3, MaxItems: 4})
	if len(runs) != 3 || len(runs[2]) != 2 {
		t.Errorf("runs of %v items, want 4, 4, 2", svcLens(runs))
	}
	svcSameSet(t, svcItemKeys(t, slices.Concat(runs...)), want)

	// The resume token is boto3's: base64 of JSON with the input token.
	tok := svcResumeToken(t, ddb, "Scan", in, sdk.PaginationConfig{PageSize: 3, MaxItems: 4})
	svcDig[string](t, tok, "ExclusiveStartKey", "pk", "S")
	if svcDig[float64](t, tok, "boto_truncate_amount") != 1 {
		t.Errorf("token %v", tok)
	}

	// A token that is not one is refused before anything is sent.
	_, err := ddb.Paginator("Scan", in, sdk.PaginationConfig{StartingToken: "not a token"})
	var pv *sdk.ParamValidationError
	if !errors.As(err, &pv) {
		t.Errorf("bad StartingToken: got %v", err)
	}
}

// A binary key goes through the resume token as bytes, not as the base64
// text of them.
func TestSvcDynamoDBBinaryKeyResume(t *testing.T) {
	t.Parallel()
	ddb := svcMoto(t, "dynamodb")
	table := svcTable(t, ddb, "B")
	pk := map[string]any{"B": []byte{0, 0xff, 'k'}}
	svcPutItems(t, ddb, table, pk, 7)
	want := svcWantKeys(pk, 7)
	in := map[string]any{
		"TableName":                 table,
		"KeyConditionExpression":    "pk = :pk",
		"ExpressionAttributeValues": map[string]any{":pk": pk},
	}
	cfg := sdk.PaginationConfig{PageSize: 2, MaxItems: 3}
	runs := svcResumeAll(t, ddb, "Query", in, cfg)
	svcSameSet(t, svcItemKeys(t, slices.Concat(runs...)), want)
	// As botocore's TokenEncoder, the token says where bytes are.
	tok := svcResumeToken(t, ddb, "Query", in, cfg)
	if enc := fmt.Sprint(tok["boto_encoded_keys"]); enc != "[[ExclusiveStartKey pk B]]" {
		t.Errorf("boto_encoded_keys %s", enc)
	}
	if b64 := svcDig[string](t, tok, "ExclusiveStartKey", "pk", "B"); b64 != base64.StdEncoding.EncodeToString(pk["B"].([]byte)) {
		t.Errorf("B in the token is %q", b64)
	}
}

func TestSvcDynamoDBQuery(t *testing.T) {
	t.Parallel()
	ddb := svcMoto(t, "dynamodb")
	table := svcTable(t, ddb, "S")
	svcPutItems(t, ddb, table, map[string]any{"S": "q"}, 8)
	svcPutItems(t, ddb, table, map[string]any{"S": "other"}, 3)
	out := svcCall(t, ddb, "query", map[string]any{
		"TableName":                 table,
		"KeyConditionExpression":    "pk = :pk AND sk >= :from",
		"ExpressionAttributeValues": map[string]any{":pk": map[string]any{"S": "q"}, ":from": map[string]any{"N": "5"}},
		"ScanIndexForward":          false,
	})
	if c := svcDig[int64](t, out, "Count"); c != 3 {
		t.Errorf("Count = %d, want 3", c)
	}
	var sks []string
	for _, it := range svcDig[[]any](t, out, "Items") {
		sks = append(sks, svcDig[string](t, it, "sk", "N"))
		if p := svcDig[string](t, it, "payload", "S"); p != "item "+sks[len(sks)-1] {
			t.Errorf("payload %q", p)
		}
	}
	if !slices.Equal(sks, []string{"7", "6", "5"}) {
		t.Errorf("sort keys %v, want 7 6 5 (descending)", sks)
	}
}

// ---- SQS and SNS ----

// svcQueue creates a queue and returns its URL and ARN.
func svcQueue(t *testing.T, sqs *sdk.Client, tags map[string]any) (url, arn string) {
	t.Helper()
	in := map[string]any{"QueueName": testenv.Name("awslua-q")}
	if tags != nil {
		in["tags"] = tags
	}
	url = svcDig[string](t, svcCall(t, sqs, "create_queue", in), "QueueUrl")
	attrs := svcCall(t, sqs, "get_queue_attributes", map[string]any{"QueueUrl": url, "AttributeNames": []any{"All"}})
	arn = svcDig[string](t, attrs, "Attributes", "QueueArn")
	svcContains(t, arn, in["QueueName"].(string))
	return url, arn
}

// svcReceive waits for one message on a queue and deletes it.
func svcReceive(t *testing.T, sqs *sdk.Client, url string) map[string]any {
	t.Helper()
	out := svcCall(t, sqs, "receive_message", map[string]any{
		"QueueUrl":              url,
		"MaxNumberOfMessages":   10,
		"WaitTimeSeconds":       2,
		"MessageAttributeNames": []any{"All"},
	})
	msgs := svcDig[[]any](t, out, "Messages")
	if len(msgs) != 1 {
		t.Fatalf("received %d messages, want 1", len(msgs))
	}
	msg := msgs[0].(map[string]any)
	svcCall(t, sqs, "delete_message", map[string]any{"QueueUrl": url, "ReceiptHandle": svcDig[string](t, msg, "ReceiptHandle")})
	return msg
}

func TestSvcSQS(t *testing.T) {
	t.Parallel()
	sqs := svcMoto(t, "sqs")
	url, _ := svcQueue(t, sqs, map[string]any{"team": "awslua"})
	tags := svcCall(t, sqs, "list_queue_tags", map[string]any{"QueueUrl": url})
	if got := svcDig[string](t, tags, "Tags", "team"); got != "awslua" {
		t.Errorf("tag team = %q", got)
	}

	// The member is "tags" in the API, as boto3 spells it.
	_, err := sqs.Call(t.Context(), "create_queue", map[string]any{"QueueName": "never-sent", "Labels": nil})
	svcContains(t, fmt.Sprint(err), `Unknown parameter in input: "Labels", must be one of: Attributes, QueueName, tags`)

	body := "hello from awslua " + testenv.Name("msg")
	sent := svcCall(t, sqs, "send_message", map[string]any{
		"QueueUrl":    url,
		"MessageBody": body,
		"MessageAttributes": map[string]any{
			"kind": map[string]any{"DataType": "String", "StringValue": "greeting"},
		},
	})
	sum := md5.Sum([]byte(body))
	if got := svcDig[string](t, sent, "MD5OfMessageBody"); got != hex.EncodeToString(sum[:]) {
		t.Errorf("MD5OfMessageBody %s", got)
	}
	msg := svcReceive(t, sqs, url)
	if svcDig[string](t, msg, "Body") != body || svcDig[string](t, msg, "MessageId") != svcDig[string](t, sent, "MessageId") {
		t.Errorf("received %v, sent %v", msg, sent)
	}
	if v := svcDig[string](t, msg, "MessageAttributes", "kind", "StringValue"); v != "greeting" {
		t.Errorf("attribute kind = %q", v)
	}
	attrs := svcCall(t, sqs, "GetQueueAttributes", map[string]any{
		"QueueUrl":       url,
		"AttributeNames": []any{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"},
	})
	for _, a := range []string{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"} {
		if n := svcDig[string](t, attrs, "Attributes", a); n != "0" {
			t.Errorf("%s = %s after delete_message", a, n)
		}
	}

	// SQS keeps its query-protocol codes: boto3's Error.Code reads
	// AWS.SimpleQueueService.NonExistentQueue, and both that and the
	// modeled QueueDoesNotExist (a query-compatible service's two names of
	// the error) must match it.
	_, err = sqs.Call(t.Context(), "get_queue_url", map[string]any{"QueueName": testenv.Name("missing")})
	e := svcAPIError(t, err, "AWS.SimpleQueueService.NonExistentQueue", 400)
	if !errors.Is(err, sdk.CodeError("QueueDoesNotExist")) {
		t.Errorf("errors.Is does not match the modeled QueueDoesNotExist")
	}
	if errors.Is(err, sdk.CodeError("QueueDeletedRecently")) {
		t.Errorf("errors.Is matches another modeled error")
	}
	if e.Service != "sqs" || e.Operation != "GetQueueUrl" || e.RequestID == "" {
		t.Errorf("%+v", e)
	}
	svcContains(t, e.Error(), "An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation")
}

func TestSvcSNS(t *testing.T) {
	t.Parallel()
	sns, sqs := svcMoto(t, "sns"), svcMoto(t, "sqs")
	var topics []string
	for range 3 {
		out := svcCall(t, sns, "create_topic", map[string]any{"Name": testenv.Name("awslua-topic")})
		topics = append(topics, svcDig[string](t, out, "TopicArn"))
	}
	url, queueArn := svcQueue(t, sqs, nil)
	sub := svcCall(t, sns, "subscribe", map[string]any{
		"TopicArn":              topics[0],
		"Protocol":              "sqs",
		"Endpoint":              queueArn,
		"ReturnSubscriptionArn": true,
	})
	svcContains(t, svcDig[string](t, sub, "SubscriptionArn"), topics[0]+":")

	message := "published " + testenv.Name("m")
	pub := svcCall(t, sns, "publish", map[string]any{"TopicArn": topics[0], "Message": message, "Subject": "awslua"})
	var envelope map[string]any
	if err := json.Unmarshal([]byte(svcDig[string](t, svcReceive(t, sqs, url), "Body")), &envelope); err != nil {
		t.Fatal(err)
	}
	if envelope["Message"] != message || envelope["TopicArn"] != topics[0] || envelope["MessageId"] != svcDig[string](t, pub, "MessageId") {
		t.Errorf("delivered %v", envelope)
	}

	p, err := sns.Paginator("list_topics", nil, sdk.PaginationConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for arn, err := range p.Search(t.Context(), "Topics[].TopicArn") {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, arn.(string))
	}
	for _, arn := range topics {
		if !slices.Contains(listed, arn) {
			t.Errorf("list_topics misses %s", arn)
		}
	}
}

// ---- IAM ----

// svcIAMNames returns the values of member key of a list of IAM entities.
func svcIAMNames(t *testing.T, items []any, key string) []string {
	t.Helper()
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = svcDig[string](t, it, key)
	}
	return out
}

func TestSvcIAM(t *testing.T) {
	t.Parallel()
	iam := svcMoto(t, "iam")
	path := "/" + testenv.Name("awslua") + "/"
	in := map[string]any{"PathPrefix": path}
	var users, roles []string
	for i := range 7 {
		name := fmt.Sprintf("%s-%d", strings.Trim(path, "/"), i)
		out := svcCall(t, iam, "create_user", map[string]any{"UserName": name, "Path": path})
		if svcDig[string](t, out, "User", "Path") != path {
			t.Errorf("create_user %v", out)
		}
		users = append(users, name)
		svcCall(t, iam, "create_role", map[string]any{"RoleName": name, "Path": path, "AssumeRolePolicyDocument": `{"Version":"2012-10-17","Statement":[]}`})
		roles = append(roles, name)
	}

	// moto 5.2.1 ignores MaxItems and Marker in ListUsers (it returns every
	// user, IsTruncated false), so the service's own paging is checked
	// with ListRoles, which moto does page, and ListUsers with what the
	// paginator does itself: MaxItems and resuming inside a page.
	var byHand []any
	pages := 0
	for marker := ""; pages < 10; {
		req := map[string]any{"PathPrefix": path, "MaxItems": 3}
		if marker != "" {
			req["Marker"] = marker
		}
		out := svcCall(t, iam, "list_roles", req)
		pages++
		byHand = append(byHand, svcDig[[]any](t, out, "Roles")...)
		if !svcDig[bool](t, out, "IsTruncated") {
			break
		}
		marker = svcDig[string](t, out, "Marker")
	}
	if pages != 3 {
		t.Errorf("list_roles by hand: %d pages of 3 for 7 roles", pages)
	}
	svcSameSet(t, svcIAMNames(t, byHand, "RoleName"), roles)

	pageMaps := svcCollect(t, iam.Paginate(t.Context(), "ListRoles", in, sdk.PaginationConfig{PageSize: 2}))
	var all []any
	for _, pm := range pageMaps {
		all = append(all, svcDig[[]any](t, pm, "Roles")...)
	}
	if len(pageMaps) != 4 {
		t.Errorf("list_roles paginator: %d pages of 2 for 7 roles", len(pageMaps))
	}
	svcSameSet(t, svcIAMNames(t, all, "RoleName"), roles)

	for _, tc := range []struct {
		op, key string
		want    []string
	}{{"list_roles", "RoleName", roles}, {"list_users", "UserName", users}} {
		runs := svcResumeAll(t, iam, tc.op, in, sdk.PaginationConfig{PageSize: 2, MaxItems: 3})
		if !slices.Equal(svcLens(runs), []int{3, 3, 1}) {
			t.Errorf("%s: runs of %v, want 3 3 1", tc.op, svcLens(runs))
		}
		svcSameSet(t, svcIAMNames(t, slices.Concat(runs...), tc.key), tc.want)
	}

	got := svcCall(t, iam, "get_user", map[string]any{"UserName": users[0]})
	if svcDig[string](t, got, "User", "UserName") != users[0] {
		t.Errorf("get_user %v", got)
	}
	svcContains(t, svcDig[string](t, got, "User", "Arn"), ":user"+path+users[0])
	if created := svcDig[time.Time](t, got, "User", "CreateDate"); time.Since(created) > time.Hour || created.Location() != time.UTC {
		t.Errorf("CreateDate %v", created)
	}

	_, err := iam.Call(t.Context(), "GetUser", map[string]any{"UserName": testenv.Name("nobody")})
	e := svcAPIError(t, err, "NoSuchEntity", 404)
	if !errors.Is(err, sdk.CodeError("NoSuchEntity")) {
		t.Errorf("errors.Is does not match NoSuchEntity")
	}
	if e.RequestID == "" || e.Service != "iam" || e.Operation != "GetUser" || e.Message == "" {
		t.Errorf("%+v", e)
	}
}

// ---- EC2 ----

// svcInstancesTagged finds the instances tagged Name=name.
func svcInstancesTagged(t *testing.T, ec2 *sdk.Client, name string) []any {
	t.Helper()
	p, err := ec2.Paginator("describe_instances", map[string]any{
		"Filters": []any{map[string]any{"Name": "tag:Name", "Values": []any{name}}},
	}, sdk.PaginationConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return svcCollect(t, p.Search(t.Context(), "Reservations[].Instances[]"))
}

func TestSvcEC2(t *testing.T) {
	t.Parallel()
	ec2 := svcMoto(t, "ec2")
	name := testenv.Name("awslua-vm")
	run := svcCall(t, ec2, "run_instances", map[string]any{
		"ImageId":      "ami-12c6146b",
		"InstanceType": "t2.micro",
		"MinCount":     1,
		"MaxCount":     1,
		"TagSpecifications": []any{map[string]any{
			"ResourceType": "instance",
			"Tags":         []any{map[string]any{"Key": "Name", "Value": name}},
		}},
	})
	id := svcDig[string](t, run, "Instances", 0, "InstanceId")
	svcCall(t, ec2, "create_tags", map[string]any{
		"Resources": []any{id},
		"Tags":      []any{map[string]any{"Key": "Team", "Value": "awslua"}},
	})

	found := svcInstancesTagged(t, ec2, name)
	if len(found) != 1 || svcDig[string](t, found[0], "InstanceId") != id {
		t.Fatalf("describe_instances by tag found %v, want %s", found, id)
	}
	tags := map[string]string{}
	for _, tag := range svcDig[[]any](t, found[0], "Tags") {
		tags[svcDig[string](t, tag, "Key")] = svcDig[string](t, tag, "Value")
	}
	if tags["Name"] != name || tags["Team"] != "awslua" {
		t.Errorf("tags %v", tags)
	}
	if n := len(svcInstancesTagged(t, ec2, name+"-other")); n != 0 {
		t.Errorf("a tag nobody has matched %d instances", n)
	}

	wait := sdk.WaiterConfig{Delay: 50 * time.Millisecond, MaxAttempts: 40}
	if err := ec2.Wait(t.Context(), "instance_running", map[string]any{"InstanceIds": []any{id}}, wait); err != nil {
		t.Fatal(err)
	}
	state := svcInstancesTagged(t, ec2, name)[0]
	if s := svcDig[string](t, state, "State", "Name"); s != "running" {
		t.Errorf("after instance_running the state is %s", s)
	}

	term := svcCall(t, ec2, "terminate_instances", map[string]any{"InstanceIds": []any{id}})
	if got := svcDig[string](t, term, "TerminatingInstances", 0, "InstanceId"); got != id {
		t.Errorf("terminated %s", got)
	}
	if err := ec2.Wait(t.Context(), "InstanceTerminated", map[string]any{"InstanceIds": []any{id}}, wait); err != nil {
		t.Fatal(err)
	}
	// instance_stopped fails at once on a terminated instance.
	err := ec2.Wait(t.Context(), "instance_stopped", map[string]any{"InstanceIds": []any{id}}, wait)
	var we *sdk.WaiterError
	if !errors.As(err, &we) || we.Name != "InstanceStopped" {
		t.Fatalf("got %T %v, want a WaiterError of InstanceStopped", err, err)
	}
	svcContains(t, err.Error(), "Waiter InstanceStopped failed", "terminal failure state")
}

// ---- STS, KMS, ECS, CloudWatch Logs ----

func TestSvcSTS(t *testing.T) {
	t.Parallel()
	out := svcCall(t, svcMoto(t, "sts"), "get_caller_identity", nil)
	account := svcDig[string](t, out, "Account")
	if len(account) != 12 || strings.Trim(account, "0123456789") != "" {
		t.Errorf("Account %q", account)
	}
	svcContains(t, svcDig[string](t, out, "Arn"), "arn:aws:", ":"+account+":")
	svcDig[string](t, out, "UserId")
}

func TestSvcKMS(t *testing.T) {
	t.Parallel()
	kms := svcMoto(t, "kms")
	key := svcCall(t, kms, "create_key", map[string]any{"Description": testenv.Name("awslua-key")})
	id := svcDig[string](t, key, "KeyMetadata", "KeyId")
	plain := make([]byte, 256)
	for i := range plain {
		plain[i] = byte(i)
	}
	enc := svcCall(t, kms, "encrypt", map[string]any{"KeyId": id, "Plaintext": plain})
	blob := svcDig[[]byte](t, enc, "CiphertextBlob")
	if bytes.Contains(blob, plain[32:64]) {
		t.Errorf("the ciphertext holds the plaintext")
	}
	dec := svcCall(t, kms, "decrypt", map[string]any{"CiphertextBlob": blob})
	if got := svcDig[[]byte](t, dec, "Plaintext"); !bytes.Equal(got, plain) {
		t.Errorf("decrypt gave %x, want %x", got, plain)
	}
	svcContains(t, svcDig[string](t, dec, "KeyId"), id)
}

func TestSvcECS(t *testing.T) {
	t.Parallel()
	ecs := svcMoto(t, "ecs")
	name := testenv.Name("awslua-cluster")
	created := svcCall(t, ecs, "create_cluster", map[string]any{"clusterName": name})
	arn := svcDig[string](t, created, "cluster", "clusterArn")
	if svcDig[string](t, created, "cluster", "clusterName") != name {
		t.Errorf("create_cluster %v", created)
	}
	list := svcCall(t, ecs, "list_clusters", nil)
	if _, ok := list["ClusterArns"]; ok {
		t.Errorf("list_clusters has the Go field name ClusterArns: %v", svcKeys(list))
	}
	if arns := svcDig[[]any](t, list, "clusterArns"); !slices.Contains(arns, any(arn)) {
		t.Errorf("clusterArns %v lacks %s", arns, arn)
	}
	desc := svcCall(t, ecs, "describe_clusters", map[string]any{"clusters": []any{name}})
	if got := svcDig[string](t, desc, "clusters", 0, "clusterArn"); got != arn {
		t.Errorf("describe_clusters %v", desc)
	}
}

func TestSvcLogs(t *testing.T) {
	t.Parallel()
	logs := svcMoto(t, "logs")
	group, stream := testenv.Name("/awslua/group"), "stream"
	svcCall(t, logs, "create_log_group", map[string]any{"logGroupName": group})
	svcCall(t, logs, "create_log_stream", map[string]any{"logGroupName": group, "logStreamName": stream})
	now := time.Now().UnixMilli()
	var events []any
	for i := range 3 {
		events = append(events, map[string]any{"timestamp": now + int64(i), "message": fmt.Sprintf("line %d", i)})
	}
	svcCall(t, logs, "put_log_events", map[string]any{"logGroupName": group, "logStreamName": stream, "logEvents": events})

	groups := svcCall(t, logs, "describe_log_groups", map[string]any{"logGroupNamePrefix": group})
	if got := svcDig[string](t, groups, "logGroups", 0, "logGroupName"); got != group {
		t.Errorf("describe_log_groups %v", groups)
	}
	// boto3 has no paginator for GetLogEvents (it hands back the token it
	// was given at the end); the events come in one call.
	if logs.CanPaginate("get_log_events") {
		t.Error("get_log_events has a paginator; boto3 has none")
	}
	evs := svcCall(t, logs, "get_log_events", map[string]any{"logGroupName": group, "logStreamName": stream, "startFromHead": true})
	var messages []string
	for i := range 3 {
		messages = append(messages, svcDig[string](t, evs, "events", i, "message"))
	}
	if !slices.Equal(messages, []string{"line 0", "line 1", "line 2"}) {
		t.Errorf("messages %q", messages)
	}
}

// ---- Sessions ----

// svcIsolateEnv clears every AWS_ variable for the test and points the
// shared files at files that do not exist, so that nothing on the machine
// leaks into a session.
func svcIsolateEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func svcWriteFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// svcCheckCredentials asserts the session's credentials and that the secret
// shows in none of the ways to print them.
func svcCheckCredentials(t *testing.T, s *sdk.Session, accessKey, secret, method string) {
	t.Helper()
	info, err := s.Credentials(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if info.AccessKey != accessKey || info.Method != method {
		t.Errorf("credentials %+v, want access key %s, method %s", info, accessKey, method)
	}
	svcContains(t, info.String(), accessKey, method)
	for _, shown := range []string{info.String(), fmt.Sprintf("%+v", info), fmt.Sprintf("%#v", info), fmt.Sprint(s), fmt.Sprintf("%+v", s), fmt.Sprintf("%#v", s), fmt.Sprintf("%+v", *s)} {
		if strings.Contains(shown, secret) {
			t.Errorf("the secret key shows in %q", shown)
		}
	}
}

func TestSessionProfile(t *testing.T) {
	svcIsolateEnv(t)
	t.Setenv("AWS_CONFIG_FILE", svcWriteFile(t, "config", "[default]\nregion = us-west-2\n\n[profile dev]\nregion = eu-west-1\n\n"+
		"[profile inconfig]\nregion = eu-north-1\naws_access_key_id = AKIACFG\naws_secret_access_key = cfg-secret-key\n"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", svcWriteFile(t, "credentials",
		"[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = default-secret\n\n"+
			"[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = dev-secret-key\n"))

	s, err := sdk.NewSession(t.Context(), sdk.WithProfile("dev"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Region() != "eu-west-1" || s.Profile() != "dev" {
		t.Errorf("region %q profile %q", s.Region(), s.Profile())
	}
	svcCheckCredentials(t, s, "AKIADEV", "dev-secret-key", "shared-credentials-file")
	svcContains(t, s.String(), `region_name="eu-west-1"`, `profile_name="dev"`)

	// AWS_PROFILE selects the profile as well, and WithRegion wins over it.
	t.Setenv("AWS_PROFILE", "dev")
	s, err = sdk.NewSession(t.Context(), sdk.WithRegion("ap-south-1"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Region() != "ap-south-1" || s.Profile() != "dev" {
		t.Errorf("region %q profile %q", s.Region(), s.Profile())
	}
	svcCheckCredentials(t, s, "AKIADEV", "dev-secret-key", "shared-credentials-file")

	// Keys in the config file rather than the credentials file, as boto3
	// names them.
	s, err = sdk.NewSession(t.Context(), sdk.WithProfile("inconfig"))
	if err != nil {
		t.Fatal(err)
	}
	svcCheckCredentials(t, s, "AKIACFG", "cfg-secret-key", "config-file")

	if _, err := sdk.NewSession(t.Context(), sdk.WithProfile("nope")); err == nil {
		t.Error("a profile that does not exist made a session")
	}
}

func TestSessionCredentialSources(t *testing.T) {
	svcIsolateEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "env-secret-key")
	t.Setenv("AWS_REGION", "us-east-2")
	s, err := sdk.NewSession(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if s.Region() != "us-east-2" || s.Profile() != "default" {
		t.Errorf("region %q profile %q", s.Region(), s.Profile())
	}
	svcCheckCredentials(t, s, "AKIAENV", "env-secret-key", "env")

	s, err = sdk.NewSession(t.Context(), sdk.WithCredentials("AKIAEXPLICIT", "explicit-secret-key", "token"))
	if err != nil {
		t.Fatal(err)
	}
	svcCheckCredentials(t, s, "AKIAEXPLICIT", "explicit-secret-key", "explicit")
}

func TestSessionServiceEndpointFromEnv(t *testing.T) {
	url := testenv.URL(t, "moto")
	svcIsolateEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", testenv.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testenv.SecretKey)
	t.Setenv("AWS_REGION", testenv.Region)
	t.Setenv("AWS_ENDPOINT_URL_STS", url)
	s, err := sdk.NewSession(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if s.EndpointURL() != "" {
		t.Errorf("session endpoint %q, want none", s.EndpointURL())
	}
	sts, err := s.Client("sts")
	if err != nil {
		t.Fatal(err)
	}
	if sts.EndpointURL() != url {
		t.Errorf("sts endpoint %q, want %q", sts.EndpointURL(), url)
	}
	svcDig[string](t, svcCall(t, sts, "GetCallerIdentity", nil), "Account")
	// The variable is STS's alone.
	sqs, err := s.Client("sqs")
	if err != nil {
		t.Fatal(err)
	}
	if sqs.EndpointURL() == url {
		t.Errorf("AWS_ENDPOINT_URL_STS moved sqs to %s", url)
	}
}

func TestSessionFromConfig(t *testing.T) {
	url := testenv.URL(t, "moto")
	svcIsolateEnv(t)
	cfg, err := config.LoadDefaultConfig(t.Context(),
		config.WithRegion("eu-central-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(testenv.AccessKey, testenv.SecretKey, "")))
	if err != nil {
		t.Fatal(err)
	}
	cfg.BaseEndpoint = aws.String(url)
	s := sdk.FromConfig(cfg)
	if s.Region() != "eu-central-1" || s.Profile() != "default" || s.Config().Region != "eu-central-1" {
		t.Errorf("region %q profile %q", s.Region(), s.Profile())
	}
	svcCheckCredentials(t, s, testenv.AccessKey, testenv.SecretKey, "explicit")
	sts, err := s.Client("sts")
	if err != nil {
		t.Fatal(err)
	}
	if sts.Region() != "eu-central-1" || sts.EndpointURL() != url {
		t.Errorf("sts client in %q at %q", sts.Region(), sts.EndpointURL())
	}
	svcContains(t, svcDig[string](t, svcCall(t, sts, "get_caller_identity", nil), "Arn"), "arn:aws:")
}

func TestSessionAvailableServices(t *testing.T) {
	s := sdk.FromConfig(aws.Config{Region: testenv.Region})
	got := s.AvailableServices()
	if !sort.StringsAreSorted(got) {
		t.Errorf("not sorted: %v", got)
	}
	for _, name := range []string{"dynamodb", "ec2", "ecs", "iam", "kms", "logs", "rds", "s3", "sns", "sqs", "sts"} {
		if !slices.Contains(got, name) {
			t.Errorf("%s is imported but not available: %v", name, got)
		}
	}
	_, err := s.Client("no-such-service")
	if err == nil {
		t.Fatal("a client of an unknown service")
	}
	svcContains(t, err.Error(), `there is no AWS service named "no-such-service"`)
	_, err = s.Client("dynamo")
	svcContains(t, err.Error(), `did you mean`, "dynamodb")
}

// ---- Names ----

func TestNamesSnakeCase(t *testing.T) {
	for api, want := range map[string]string{
		"ListObjectsV2":                         "list_objects_v2",
		"DescribeDBInstances":                   "describe_db_instances",
		"GetBucketAcl":                          "get_bucket_acl",
		"ListARNs":                              "list_arns",
		"ListWebACLs":                           "list_web_acls",
		"DescribeVpcEndpointServicePermissions": "describe_vpc_endpoint_service_permissions",
		"AssignIpv6Addresses":                   "assign_ipv6_addresses",
		"GetCallerIdentity":                     "get_caller_identity",
		"list_objects_v2":                       "list_objects_v2",
	} {
		if got := sdk.SnakeCase(api); got != want {
			t.Errorf("SnakeCase(%q) = %q, want %q", api, got, want)
		}
	}
}

// svcNotInSDK are operations botocore has that the
// bundled aws-sdk-go-v2 does not, because the two releases differ.
var svcNotInSDK = map[string]bool{
	// Deprecated S3 operations, superseded by the *Configuration ones,
	// that aws-sdk-go-v2 has never had.
	"s3.GetBucketLifecycle":    true,
	"s3.PutBucketLifecycle":    true,
	"s3.GetBucketNotification": true,
	"s3.PutBucketNotification": true,
}

// TestNamesBotocoreParity checks every operation of some services against
// botocore: the SDK has it, and SnakeCase names it as xform_name does.
func TestNamesBotocoreParity(t *testing.T) {
	services := []string{"s3", "dynamodb", "sqs", "sns", "ec2", "iam", "sts", "kms", "ecs", "logs", "rds"}
	script := `
import sys, botocore.session
from botocore import xform_name
s = botocore.session.get_session()
for name in sys.argv[1:]:
    for op in s.get_service_model(name).operation_names:
        print(name, op, xform_name(op))
`
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	if err := exec.Command("python3", "-c", "import botocore").Run(); err != nil {
		t.Skip("python3 has no botocore")
	}
	out, err := exec.Command("python3", append([]string{"-c", script}, services...)...).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	sess := sdk.FromConfig(aws.Config{Region: testenv.Region})
	clients := map[string]*sdk.Client{}
	for _, name := range services {
		c, err := sess.Client(name)
		if err != nil {
			t.Fatal(err)
		}
		clients[name] = c
	}
	var missing []string
	count := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("python3 printed %q", line)
		}
		svc, op, want := f[0], f[1], f[2]
		count++
		if got := sdk.SnakeCase(op); got != want {
			t.Errorf("%s: SnakeCase(%q) = %q, botocore says %q", svc, op, got, want)
		}
		if !slices.Contains(clients[svc].Operations(), op) {
			if !svcNotInSDK[svc+"."+op] {
				missing = append(missing, svc+"."+op)
			}
			continue
		}
		// The generated packages spell the snake_case names out.
		if o, err := clients[svc].Operation(want); err != nil || o.Name != op || o.SnakeName != want {
			t.Errorf("%s: Operation(%q) = %+v, %v", svc, want, o, err)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d operations of botocore are missing: %s", len(missing), strings.Join(missing, ", "))
	}
	if count < 1000 {
		t.Errorf("botocore listed only %d operations", count)
	}
}
