// Package sdk is awslua's Go core: boto3's Session and Client model, with
// no Lua in it.
//
// A Session loads credentials, region and endpoints from the standard AWS
// chain. A Client calls any operation of any of boto3's services by name,
// with dynamic values (map[string]any and friends) in and out, and offers
// the service's paginators, waiters and presigned URLs by name.
//
// One engine makes every call from botocore's models, as botocore does:
// the models are embedded (sdk/model) and decoded per service on first
// use; a request is checked against the model, adapted by boto3's
// customizations (handlers.go), sent to the endpoint the service's rule
// set gives (sdk/endpoint), serialized and parsed by smithy-go's protocol
// codecs (sdk/protocol), and signed and retried by aws-sdk-go-v2.
//
// Names follow boto3: operations are accepted as "ListObjectsV2" or
// "list_objects_v2"; members keep the API's names ("Bucket", or
// "clusterArns" for ECS).
package sdk
