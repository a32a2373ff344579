package sdk

import (
	"bytes"
	"io"
	"strings"
	"testing"

	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// handlerCall makes the call a handler sees, for an operation of a service.
func handlerCall(t *testing.T, service, operation string, params map[string]any) *call {
	t.Helper()
	svc, err := engineService(service)
	if err != nil {
		t.Fatal(err)
	}
	op, ok := svc.Operation(operation)
	if !ok {
		t.Fatalf("%s has no %s", service, operation)
	}
	return &call{op: op, params: params}
}

// prepared runs an operation's handlers and checks, as a call does.
func prepared(t *testing.T, service, operation string, params map[string]any) map[string]any {
	t.Helper()
	svc, err := engineService(service)
	if err != nil {
		t.Fatal(err)
	}
	op, _ := svc.Operation(operation)
	c, err := op.prepare(params)
	if err != nil {
		t.Fatal(err)
	}
	return c.params
}

func TestValidateBucketName(t *testing.T) {
	for bucket, ok := range map[string]bool{
		"my.bucket-1_x": true,
		"arn:aws:s3:us-west-2:123456789012:accesspoint/ap-1":                                     true,
		"arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01ac5d28a6a232904/accesspoint/ap": true,
		"":               false,
		"a/b":            false,
		"arn:aws:s3:::b": false,
	} {
		err := validateBucketName(handlerCall(t, "s3", "GetObject", map[string]any{"Bucket": bucket}))
		if (err == nil) != ok {
			t.Errorf("%q: got %v, want ok=%v", bucket, err, ok)
		}
	}
}

func TestHandlersOnParams(t *testing.T) {
	for _, tc := range []struct {
		service, op string
		in          map[string]any
		member      string
		want        any
	}{
		{"s3", "CopyObject", map[string]any{"Bucket": "b", "Key": "k", "CopySource": map[string]any{"Bucket": "src", "Key": "a b", "VersionId": "v1"}},
			"CopySource", "src/a%20b?versionId=v1"},
		{"s3", "GetObject", map[string]any{"Bucket": "b", "Key": "k", "SSECustomerAlgorithm": "AES256", "SSECustomerKey": "0123456789abcdef0123456789abcdef"},
			"SSECustomerKeyMD5", "hRasmdxgYDKV3nvbahU1MA=="},
		{"s3", "ListObjectsV2", map[string]any{"Bucket": "b"}, "EncodingType", "url"},
		{"glacier", "ListVaults", map[string]any{}, "accountId", "-"},
		{"route53", "GetHostedZone", map[string]any{"Id": "/hostedzone/Z123"}, "Id", "Z123"},
		{"ec2", "RunInstances", map[string]any{"MinCount": 1, "MaxCount": 1, "UserData": "#!/bin/sh\necho hi\n"}, "UserData", "IyEvYmluL3NoCmVjaG8gaGkK"},
		{"autoscaling", "CreateLaunchConfiguration", map[string]any{"LaunchConfigurationName": "l", "UserData": "x"}, "UserData", "eA=="},
	} {
		got := prepared(t, tc.service, tc.op, tc.in)[tc.member]
		if got != tc.want {
			t.Errorf("%s %s: %s = %v, want %v", tc.service, tc.op, tc.member, got, tc.want)
		}
	}
}

func TestHandlersOnOutput(t *testing.T) {
	c := handlerCall(t, "s3", "ListObjectsV2", map[string]any{})
	c.autoEncoding = true
	out := map[string]any{"Prefix": "a%20b/", "Contents": []any{map[string]any{"Key": "a%20b/c%2Bd"}}}
	decodeListObjects(c, out)
	if out["Prefix"] != "a b/" || out["Contents"].([]any)[0].(map[string]any)["Key"] != "a b/c+d" {
		t.Errorf("ListObjectsV2 not decoded: %v", out)
	}

	out = map[string]any{"Output": "aGVsbG8="}
	decodeConsoleOutput(nil, out)
	if out["Output"] != "hello" {
		t.Errorf("console output %v", out["Output"])
	}

	out = map[string]any{"Role": map[string]any{"AssumeRolePolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%7D"}}
	decodePolicies(nil, out)
	if doc, ok := out["Role"].(map[string]any)["AssumeRolePolicyDocument"].(map[string]any); !ok || doc["Version"] != "2012-10-17" {
		t.Errorf("policy %v", out)
	}

	out = map[string]any{"TemplateBody": `{"Resources": {}}`}
	decodeTemplateBody(nil, out)
	if _, ok := out["TemplateBody"].(map[string]any); !ok {
		t.Errorf("template %v", out)
	}
	out = map[string]any{"TemplateBody": "Resources: {}"}
	decodeTemplateBody(nil, out)
	if out["TemplateBody"] != "Resources: {}" {
		t.Errorf("a YAML template changed: %v", out)
	}
}

func TestHandlersOnRequest(t *testing.T) {
	req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	if err := glacierVersion(handlerCall(t, "glacier", "ListVaults", nil), req); err != nil || req.Header.Get("X-Amz-Glacier-Version") != "2012-06-01" {
		t.Errorf("glacier version header %q, %v", req.Header.Get("X-Amz-Glacier-Version"), err)
	}
	if err := acceptJSON(nil, req); err != nil || req.Header.Get("Accept") != "application/json" {
		t.Errorf("accept header %q", req.Header.Get("Accept"))
	}

	// DeleteObjects requires a checksum: CRC32 of the body, as botocore
	// sends by default.
	req = smithyhttp.NewStackRequest().(*smithyhttp.Request)
	req, _ = req.SetStream(bytes.NewReader([]byte("<Delete/>")))
	if err := requestChecksum(handlerCall(t, "s3", "DeleteObjects", map[string]any{}), req); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("X-Amz-Checksum-Crc32"); got != "DY2k5w==" {
		t.Errorf("DeleteObjects checksum %q", got)
	}
	// The algorithm the caller chose.
	req = smithyhttp.NewStackRequest().(*smithyhttp.Request)
	req, _ = req.SetStream(bytes.NewReader([]byte("hello")))
	if err := requestChecksum(handlerCall(t, "s3", "PutObject", map[string]any{"ChecksumAlgorithm": "SHA256"}), req); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("X-Amz-Checksum-Sha256"); got != "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=" {
		t.Errorf("PutObject SHA256 checksum %q", got)
	}
}

func TestGlacierChecksums(t *testing.T) {
	// 3 MiB and a bit: four leaves, two levels; the values are botocore's
	// calculate_tree_hash and hashlib's.
	body := bytes.Repeat(func() []byte {
		b := make([]byte, 256)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}(), 4096*3+100)
	req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	req, _ = req.SetStream(bytes.NewReader(body))
	if err := glacierChecksums(handlerCall(t, "glacier", "UploadArchive", nil), req); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("X-Amz-Sha256-Tree-Hash"); got != "cc9e6e0b0d98d4d966ce7be12ca66f2067f25aae797574559187b130c6b7be47" {
		t.Errorf("tree hash %s", got)
	}
	if got := req.Header.Get("X-Amz-Content-Sha256"); got != "24f5357a8345c2547106d97cd9c3a0be86caacabfcf3e4535d2660af223862f2" {
		t.Errorf("linear hash %s", got)
	}
	if b, _ := io.ReadAll(req.GetStream()); len(b) != len(body) {
		t.Errorf("the body was not rewound: %d bytes left", len(b))
	}
}

func TestRemoveBucketFromURLPaths(t *testing.T) {
	svc, err := engineService("s3")
	if err != nil {
		t.Fatal(err)
	}
	for op, want := range map[string]string{"GetObject": "/{Key+}", "ListObjectsV2": "/?list-type=2", "ListBuckets": "/"} {
		o, _ := svc.Operation(op)
		if got := o.model.HTTP.RequestURI; got != want || strings.Contains(got, "{Bucket}") {
			t.Errorf("%s: %q, want %q", op, got, want)
		}
	}
}
