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
	// EC2's create_tags returns a Tag per resource and tag, on the service
	// resource and on every resource that can be tagged.
	for _, typ := range []string{"", "DhcpOptions", "Image", "Instance", "InternetGateway", "NetworkAcl", "NetworkInterface",
		"RouteTable", "SecurityGroup", "Snapshot", "Subnet", "Volume", "Vpc"} {
		resourceHooks["ec2."+typ] = resourceHook{actions: map[string]func(context.Context, *Resource, map[string]any) (any, error){
			"create_tags": ec2CreateTags,
		}}
	}
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

// Lambda layers and KMS aliases have no describe operation: they load by
// listing, as S3 buckets do. CloudWatch Logs describes groups and streams
// by name prefix only: the model's load asks for the prefix, and the hook
// makes sure that the first match is the resource itself, not another one
// whose name begins with its name.
func init() {
	resourceHooks["lambda.Layer"] = resourceHook{load: loadByListing("ListLayers", nil, "LayerName", "Name")}
	resourceHooks["kms.Alias"] = resourceHook{load: loadByListing("ListAliases", nil, "AliasName", "Name")}
	resourceHooks["logs.LogGroup"] = resourceHook{load: loadExactly("logGroupName", "Name")}
	resourceHooks["logs.LogStream"] = resourceHook{load: loadExactly("logStreamName", "Name")}
}

// loadByListing loads a resource from the items of a paginated listing:
// the one whose member equals identifier id.
func loadByListing(op string, params map[string]any, member, id string) func(context.Context, *Resource) error {
	return func(ctx context.Context, r *Resource) error {
		p, err := r.client.Paginator(op, params, PaginationConfig{})
		if err != nil {
			return err
		}
		for item, err := range p.Items(ctx) {
			if err != nil {
				return err
			}
			if m, ok := item.(map[string]any); ok && m[member] == r.ids[id] {
				r.data = m
				return nil
			}
		}
		return fmt.Errorf("%s: not found among what %s lists", r, op)
	}
}

// loadExactly runs the model's load and checks that the data loaded is
// the resource's own: that its member equals identifier id.
func loadExactly(member, id string) func(context.Context, *Resource) error {
	return func(ctx context.Context, r *Resource) error {
		load := r.def.Load
		if load == nil {
			return fmt.Errorf("%s has no load method", r.label())
		}
		params, err := r.params(ctx, load.Request.Params, nil)
		if err != nil {
			return err
		}
		out, err := r.call(ctx, load.Request.Operation, params)
		if err != nil {
			return err
		}
		d, err := search(load.Path, out)
		if err != nil {
			return err
		}
		data, _ := d.(map[string]any)
		if data == nil || data[member] != r.ids[id] {
			return fmt.Errorf("%s: not found (%s returned no %s %q)", r, load.Request.Operation, member, r.ids[id])
		}
		r.data = data
		return nil
	}
}

// ec2CreateTags tags EC2 resources and returns a Tag resource for every
// resource and tag, as boto3's code does. On a resource, Resources is the
// resource's own id unless the caller gives others.
func ec2CreateTags(ctx context.Context, r *Resource, input map[string]any) (any, error) {
	params := map[string]any{}
	if r.typ != "" {
		params["Resources"] = []any{r.ids["Id"]}
	}
	for k, v := range input {
		params[k] = v
	}
	if _, err := r.client.Call(ctx, "CreateTags", params); err != nil {
		return nil, err
	}
	r.data = nil // its tags changed
	ids, _ := params["Resources"].([]any)
	tags, _ := params["Tags"].([]any)
	def := r.model.Resources["Tag"]
	if def == nil {
		return nil, fmt.Errorf("%s: the model has no Tag resource", r.label())
	}
	out := make([]*Resource, 0, len(ids)*len(tags))
	for _, id := range ids {
		for _, t := range tags {
			tag, _ := t.(map[string]any)
			value := tag["Value"]
			if value == nil {
				value = "" // EC2 stores a tag without a value as ""
			}
			// Built directly: a Tag's Value may be "", which newResource refuses.
			out = append(out, &Resource{client: r.client, model: r.model, typ: "Tag", def: def,
				ids: map[string]any{"ResourceId": id, "Key": tag["Key"], "Value": value}})
		}
	}
	return out, nil
}
