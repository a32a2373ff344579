package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awslua/awslua/sdk"
)

// FuzzEncode feeds arbitrary JSON values as the input of operations with
// nested lists, maps, blobs, timestamps and streams: checking and
// converting them must never panic, and every failure must be a
// validation error that names a member.
func FuzzEncode(f *testing.F) {
	for _, seed := range []string{
		`{"Bucket":"b","Key":"k","Body":"hi","Metadata":{"a":"b"},"Expires":"2026-01-02T03:04:05Z"}`,
		`{"TableName":"t","Item":{"pk":{"S":"a"},"n":{"N":"1"},"l":{"L":[{"M":{"x":{"BOOL":true}}}]}}}`,
		`{"TableName":"t","Item":{"pk":{"S":"a","N":"1"}}}`,
		`{"ImageId":"ami-1","MinCount":1,"MaxCount":1e40,"TagSpecifications":[{"Tags":[{"Key":1}]}]}`,
		`[1,2]`, `"x"`, `null`, `{"Bucket":{"a":[]}}`,
	} {
		f.Add([]byte(seed))
	}
	sess, err := sdk.NewSession(context.Background(), sdk.WithRegion("us-east-1"),
		sdk.WithCredentials("AK", "SK", ""), sdk.WithEndpointURL("http://127.0.0.1:9"))
	if err != nil {
		f.Fatal(err)
	}
	var clients []*sdk.Client
	for _, name := range []string{"s3", "dynamodb", "ec2"} {
		c, err := sess.Client(name)
		if err != nil {
			f.Fatal(err)
		}
		clients = append(clients, c)
	}
	ops := []string{"PutObject", "PutItem", "RunInstances"}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v map[string]any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		for i, c := range clients {
			if _, err := c.CheckParams(ops[i], v); err != nil {
				var pv *sdk.ParamValidationError
				if !errors.As(err, &pv) || len(pv.Problems) == 0 {
					t.Fatalf("CheckParams(%s): %T %v, want a ParamValidationError naming the problem", ops[i], err, err)
				}
			}
		}
	})
}

// FuzzStartingToken feeds arbitrary resume tokens to a paginator: they
// must be refused with a validation error, or accepted, never panic.
func FuzzStartingToken(f *testing.F) {
	for _, seed := range []string{
		"eyJFeGNsdXNpdmVTdGFydEtleSI6eyJwayI6eyJTIjoiYSJ9fSwiYm90b190cnVuY2F0ZV9hbW91bnQiOjF9",
		"eyJFeGNsdXNpdmVTdGFydEtleSI6bnVsbH0=", "e30=", "bm90IGpzb24=", "!!", "",
	} {
		f.Add(seed)
	}
	c, err := sdk.FromConfig(aws.Config{Region: "us-east-1"}).Client("dynamodb")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, token string) {
		_, err := c.Paginator("Scan", map[string]any{"TableName": "t"}, sdk.PaginationConfig{StartingToken: token})
		var pv *sdk.ParamValidationError
		if err != nil && !errors.As(err, &pv) {
			t.Fatalf("token %q: %T %v, want a ParamValidationError", token, err, err)
		}
	})
}

// FuzzSearch runs arbitrary JMESPath expressions over a page: errors are
// fine, panics are not.
func FuzzSearch(f *testing.F) {
	for _, seed := range []string{"Contents[].Key", "Contents[?Size > `1`].Key", "Contents[0]", "a.b[].c[-1]", "[", "Contents[]]"} {
		f.Add(seed)
	}
	c, err := sdk.FromConfig(aws.Config{Region: "us-east-1"}).Client("dynamodb")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		p, err := c.Paginator("Scan", map[string]any{"TableName": "t"}, sdk.PaginationConfig{})
		if err != nil {
			t.Fatal(err)
		}
		// No server: the first page fails to send, after the expression
		// compiled or was refused; either way nothing may panic.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for range p.Search(ctx, expr) {
			break
		}
	})
}
