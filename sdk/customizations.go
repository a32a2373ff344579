package sdk

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
)

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
