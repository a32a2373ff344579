package sdk

import "github.com/awslua/awslua/sdk/model"

// SnakeCase turns an API name into boto3's Python name, as botocore's
// xform_name does: ListObjectsV2 → list_objects_v2, DescribeDBInstances →
// describe_db_instances.
func SnakeCase(name string) string { return model.SnakeName(name) }
