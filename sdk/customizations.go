package sdk

import (
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
