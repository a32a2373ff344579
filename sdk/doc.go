// Package sdk is awslua's Go core: boto3's Session and Client model on
// aws-sdk-go-v2, with no Lua in it.
//
// A Session loads credentials, region and endpoints from the standard AWS
// chain. A Client calls any operation of a bundled service by name, with
// dynamic values (map[string]any and friends) in and out, and offers the
// service's paginators, waiters and presigners by name. The wire work
// (signing, retries, endpoint rules, checksums) is aws-sdk-go-v2's.
//
// Services are bundled by importing their packages, as database/sql drivers
// are:
//
//	import _ "github.com/awslua/awslua/sdk/services/s3"
//
// or all of them with sdk/services/all. The service packages are generated
// by internal/svcgen from the aws-sdk-go-v2 sources.
//
// Names follow boto3: operations are accepted as "ListObjectsV2" or
// "list_objects_v2"; members keep the API's names ("Bucket", or
// "clusterArns" for ECS).
package sdk
