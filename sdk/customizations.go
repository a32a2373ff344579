package sdk

import (
	"net/url"
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
