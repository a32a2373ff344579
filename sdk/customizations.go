package sdk

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
)

// operationSuccessors name, by service, operations that botocore still has
// and aws-sdk-go-v2 dropped for their successors, which take and return
// the same members (boto3's own S3 resource model uses the old ones for
// BucketLifecycle). Looking an operation up by the old name finds the new.
var operationSuccessors = map[string]map[string]string{
	"s3": {
		"GetBucketLifecycle": "GetBucketLifecycleConfiguration",
		"PutBucketLifecycle": "PutBucketLifecycleConfiguration",
	},
}

// operationSuccessor returns the operation that stands for a dropped one,
// or "".
func operationSuccessor(service, name string) string {
	return operationSuccessors[service][name]
}

// botocoreShapes name, by service, the structures that botocore names
// unlike the operation whose output they are, where a resource model names
// them as its shape (EC2's CreateKeyPair returns the shape "KeyPair").
var botocoreShapes = map[string]map[string]string{
	"ec2": {"KeyPair": "CreateKeyPairOutput"},
}

// sdkShapeName returns the aws-sdk-go-v2 name of a structure that botocore
// names otherwise: an output botocore calls <Operation>Response or
// <Operation>Result (GetTopicAttributesResponse) is <Operation>Output to
// the SDK; "" when there is no other name to try.
func sdkShapeName(service, name string) string {
	if n, ok := botocoreShapes[service][name]; ok {
		return n
	}
	for _, suffix := range []string{"Response", "Result", "Output"} {
		if op, ok := strings.CutSuffix(name, suffix); ok && op != "" {
			if succ := operationSuccessor(service, op); succ != "" {
				op = succ
			}
			if n := op + "Output"; n != name {
				return n
			}
		}
	}
	return ""
}

// inputCustomizations adapt a dynamic input before it is converted, where
// boto3 accepts more than the API's shape, by service.
var inputCustomizations = map[string]func(op string, in map[string]any){
	"s3": s3CopySource,
}

// s3CopySource accepts CopySource as {Bucket=, Key=, VersionId=}, as boto3
// does, besides the API's "bucket/key?versionId=v".
func s3CopySource(op string, in map[string]any) {
	src, ok := in["CopySource"].(map[string]any)
	if !ok || (op != "CopyObject" && op != "UploadPartCopy") {
		return
	}
	bucket, _ := src["Bucket"].(string)
	key, _ := src["Key"].(string)
	if bucket == "" || key == "" {
		return // the conversion names the wrong type
	}
	v := url.PathEscape(bucket) + "/" + url.PathEscape(key)
	if ver, _ := src["VersionId"].(string); ver != "" {
		v += "?versionId=" + url.QueryEscape(ver)
	}
	in["CopySource"] = v
}

// memberDecoder returns how a member's string is decoded on output, where
// boto3 decodes it: IAM sends policy documents URL-encoded, and boto3
// returns them as parsed JSON.
func memberDecoder(owner reflect.Type, f reflect.StructField) func(string) any {
	if !strings.Contains(owner.PkgPath(), "/service/iam") || f.Type.Kind() != reflect.Pointer || f.Type.Elem().Kind() != reflect.String {
		return nil
	}
	if !strings.HasSuffix(f.Name, "PolicyDocument") && f.Name != "Document" {
		return nil
	}
	return decodePolicy
}

func decodePolicy(s string) any {
	text, err := url.QueryUnescape(s)
	if err != nil {
		text = s
	}
	var doc map[string]any
	if json.Unmarshal([]byte(text), &doc) != nil {
		return s // not JSON after all: as sent
	}
	return doc
}
