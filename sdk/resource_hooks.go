package sdk

import (
	"context"
	"fmt"
)

// The code that some resources need beyond their models, where boto3 has
// code too.
func init() {
	resourceHooks["s3.Bucket"] = resourceHook{load: loadBucket}
	resourceHooks["s3.ObjectSummary"] = resourceHook{load: loadObjectSummary}
}

// loadBucket loads a bucket through ListBuckets: S3 has no operation that
// describes one bucket.
func loadBucket(ctx context.Context, r *Resource) error {
	name := r.ids["Name"]
	p, err := r.client.Paginator("ListBuckets", nil, PaginationConfig{})
	if err != nil {
		return err
	}
	for b, err := range p.Items(ctx) {
		if err != nil {
			return err
		}
		if m, ok := b.(map[string]any); ok && m["Name"] == name {
			r.data = m
			return nil
		}
	}
	return fmt.Errorf("%s: the bucket is not among the buckets this account lists", r)
}

// loadObjectSummary loads an object summary with HeadObject, renaming the
// members that differ between the two shapes.
func loadObjectSummary(ctx context.Context, r *Resource) error {
	out, err := r.client.Call(ctx, "HeadObject", map[string]any{"Bucket": r.ids["BucketName"], "Key": r.ids["Key"]})
	if err != nil {
		return err
	}
	data := map[string]any{"Key": r.ids["Key"]}
	for from, to := range map[string]string{"ContentLength": "Size", "ETag": "ETag", "LastModified": "LastModified", "StorageClass": "StorageClass"} {
		if v, ok := out[from]; ok {
			data[to] = v
		}
	}
	r.data = data
	return nil
}
