package sdk

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/awslua/awslua/sdk/model"
)

// A handler is one of boto3's customizations of a service: a small named
// function on one event of a call, as botocore's handlers.py registers
// its own. The engine runs every handler whose service and operations
// match: params on the caller's input before it is checked against the
// model, send on the checked input just before it is sent (with the
// client's engine, to presign with), request on the serialized request
// before it is signed, response
// on each attempt's response before it is parsed, output on the parsed
// output.
type handler struct {
	name     string   // botocore's name for the customization
	service  string   // boto3's service name
	ops      []string // the API names it applies to; nil for every operation
	params   func(c *call) error
	send     func(ctx context.Context, c *call, e *engine) error
	request  func(c *call, req *smithyhttp.Request) error
	response func(c *call, resp *smithyhttp.Response) error
	output   func(c *call, out map[string]any)
}

// A call is what the handlers of one call share.
type call struct {
	op     *Operation
	params map[string]any
	// autoEncoding is set when a handler asked S3 for URL-encoded keys
	// on the caller's behalf, so that they are decoded again.
	autoEncoding bool
}

// handlers is the one list of boto3's customizations the engine applies.
var handlers = []handler{
	{name: "validate_bucket_name", service: "s3", params: validateBucketName},
	{name: "handle_copy_source_param", service: "s3", ops: []string{"CopyObject", "UploadPartCopy"}, params: s3CopySource},
	{name: "sse_md5", service: "s3", params: sseCustomerKeyMD5},
	{name: "set_list_objects_encoding_type_url", service: "s3", ops: []string{"ListObjects", "ListObjectsV2", "ListObjectVersions"},
		params: listObjectsEncoding, output: decodeListObjects},
	{name: "handle_200_error", service: "s3", ops: []string{"CompleteMultipartUpload", "CopyObject", "UploadPartCopy"}, response: s3ErrorIn200},
	{name: "inject_presigned_url_rds", service: "rds", ops: rdsCopies, send: injectPresignedURLRDS},
	{name: "inject_presigned_url_rds", service: "neptune", ops: rdsCopies, send: injectPresignedURLRDS},
	{name: "inject_presigned_url_rds", service: "docdb", ops: rdsCopies, send: injectPresignedURLRDS},
	{name: "inject_presigned_url_ec2", service: "ec2", ops: []string{"CopySnapshot"}, send: injectPresignedURLEC2},
	{name: "add_glacier_version", service: "glacier", params: glacierAccountID, request: glacierVersion},
	{name: "add_glacier_checksums", service: "glacier", ops: []string{"UploadArchive", "UploadMultipartPart"}, request: glacierChecksums},
	{name: "fix_route53_ids", service: "route53", params: route53IDs},
	{name: "base64_encode_user_data", service: "ec2", ops: []string{"RunInstances", "RequestSpotInstances", "RequestSpotFleet"}, params: base64UserData},
	{name: "base64_encode_user_data", service: "autoscaling", ops: []string{"CreateLaunchConfiguration"}, params: base64UserData},
	{name: "decode_console_output", service: "ec2", ops: []string{"GetConsoleOutput"}, output: decodeConsoleOutput},
	{name: "json_decode_policies", service: "iam", output: decodePolicies},
	{name: "json_decode_template_body", service: "cloudformation", ops: []string{"GetTemplate"}, output: decodeTemplateBody},
	{name: "add_accept_header", service: "apigateway", request: acceptJSON},
}

// modelCustomizations change a service's model before a client uses it,
// as botocore's handlers on creating-client-class do.
var modelCustomizations = map[string]func(*model.Service) *model.Service{
	"s3": removeBucketFromURLPaths,
}

// removeBucketFromURLPaths takes {Bucket} out of S3's request paths: the
// endpoint rules put the bucket in the host or at the front of the path.
func removeBucketFromURLPaths(m *model.Service) *model.Service {
	cp := *m
	cp.Operations = make(map[string]*model.Operation, len(m.Operations))
	for name, op := range m.Operations {
		o := *op
		uri := strings.Replace(o.HTTP.RequestURI, "/{Bucket}", "", 1)
		if uri == "" || uri[0] == '?' {
			uri = "/" + uri
		}
		o.HTTP.RequestURI = uri
		cp.Operations[name] = &o
	}
	return &cp
}

// handlersFor returns the handlers of one operation, in the list's order.
func handlersFor(service, op string) []*handler {
	var hs []*handler
	for i := range handlers {
		h := &handlers[i]
		if h.service == service && (h.ops == nil || slices.Contains(h.ops, op)) {
			hs = append(hs, h)
		}
	}
	return hs
}

// refuse makes a handler's ParamValidationError.
func refuse(c *call, format string, args ...any) error {
	return &ParamValidationError{Operation: c.op.Name, Problems: []string{fmt.Sprintf(format, args...)}}
}

// S3 accepts a bucket name or an access point ARN in Bucket; anything else
// would be sent as a request for the wrong resource (a bucket of "" lists
// the account's buckets), so boto3 refuses it before sending, with these
// two patterns.
var (
	validBucket = regexp.MustCompile(`^[a-zA-Z0-9.\-_]{1,255}$`)
	validS3ARN  = regexp.MustCompile(`^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-.]{1,63}$` +
		`|^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\-]{1,63}$`)
)

// validateBucketName refuses a Bucket that is neither a bucket name nor an
// access point ARN, with boto3's message.
func validateBucketName(c *call) error {
	v, ok := c.params["Bucket"]
	if !ok {
		return nil
	}
	bucket, isString := v.(string)
	if !isString || validBucket.MatchString(bucket) || validS3ARN.MatchString(bucket) {
		return nil // a wrong type is the validator's to report
	}
	return refuse(c, `Invalid bucket name "%s": Bucket name must match the regex "%s" or be an ARN matching the regex "%s"`,
		bucket, validBucket.String(), validS3ARN.String())
}

// s3CopySource accepts CopySource as {Bucket=, Key=, VersionId=}, as boto3
// does, besides the API's "bucket/key?versionId=v".
func s3CopySource(c *call) error {
	src, ok := c.params["CopySource"].(map[string]any)
	if !ok {
		return nil
	}
	bucket, _ := src["Bucket"].(string)
	key, _ := src["Key"].(string)
	if bucket == "" || key == "" {
		return refuse(c, "Invalid value for parameter CopySource: a table needs Bucket and Key")
	}
	v := url.PathEscape(bucket) + "/" + url.PathEscape(key)
	if ver, _ := src["VersionId"].(string); ver != "" {
		v += "?versionId=" + url.QueryEscape(ver)
	}
	c.params["CopySource"] = v
	return nil
}

// sseCustomerKeyMD5 sends an SSE-C key base64-encoded with its MD5, which
// S3 requires and boto3 computes.
func sseCustomerKeyMD5(c *call) error {
	for _, prefix := range []string{"SSECustomer", "CopySourceSSECustomer"} {
		key, ok := c.params[prefix+"Key"].(string)
		if !ok {
			continue
		}
		sum := md5.Sum([]byte(key))
		c.params[prefix+"Key"] = base64.StdEncoding.EncodeToString([]byte(key))
		c.params[prefix+"KeyMD5"] = base64.StdEncoding.EncodeToString(sum[:])
	}
	return nil
}

// listObjectsEncoding asks S3 for URL-encoded keys, as boto3 does, so that
// keys with characters XML cannot carry come back; decodeListObjects
// decodes them again.
func listObjectsEncoding(c *call) error {
	if _, ok := c.params["EncodingType"]; !ok {
		c.params["EncodingType"] = "url"
		c.autoEncoding = true
	}
	return nil
}

func decodeListObjects(c *call, out map[string]any) {
	if !c.autoEncoding {
		return
	}
	unescape := func(m map[string]any, names ...string) {
		for _, n := range names {
			if s, ok := m[n].(string); ok {
				if d, err := url.QueryUnescape(s); err == nil {
					m[n] = d
				}
			}
		}
	}
	unescape(out, "Delimiter", "Marker", "NextMarker", "Prefix", "StartAfter", "KeyMarker", "NextKeyMarker")
	for _, list := range []string{"Contents", "Versions", "DeleteMarkers", "CommonPrefixes"} {
		items, _ := out[list].([]any)
		for _, item := range items {
			if m, ok := item.(map[string]any); ok {
				unescape(m, "Key", "Prefix")
			}
		}
	}
}

// s3ErrorIn200 turns a 200 whose body is an S3 error into the error: S3
// answers 200 before it knows whether a copy or the completion of a
// multipart upload will work, and sends the failure in the body. botocore
// makes it a 500, which is retried and parsed as the error it is.
func s3ErrorIn200(_ *call, resp *smithyhttp.Response) error {
	if resp.StatusCode != 200 || resp.Body == nil {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("reading the response: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	start := bytes.TrimSpace(body)
	if bytes.HasPrefix(start, []byte("<?xml")) {
		if i := bytes.Index(start, []byte("?>")); i >= 0 {
			start = bytes.TrimSpace(start[i+2:])
		}
	}
	if bytes.HasPrefix(start, []byte("<Error>")) {
		resp.StatusCode = 500
	}
	return nil
}

// rdsCopies are the operations whose SourceRegion becomes a presigned
// request in the source region, as boto3 makes it.
var rdsCopies = []string{"CopyDBSnapshot", "CreateDBInstanceReadReplica", "CopyDBClusterSnapshot",
	"CreateDBCluster", "StartDBInstanceAutomatedBackupsReplication"}

// injectPresignedURLRDS turns SourceRegion, which the API does not take,
// into the PreSignedUrl it does: the same request, presigned for an hour
// in the source region, with the client's region as DestinationRegion.
func injectPresignedURLRDS(ctx context.Context, c *call, e *engine) error {
	src, ok := c.params["SourceRegion"].(string)
	if !ok {
		return nil // a copy within the region
	}
	delete(c.params, "SourceRegion")
	if _, set := c.params["PreSignedUrl"]; set {
		return nil
	}
	p, err := e.presign(ctx, c, time.Hour, src, url.Values{"DestinationRegion": {e.cfg.Region}})
	if err != nil {
		return err
	}
	c.params["PreSignedUrl"] = p.URL
	return nil
}

// injectPresignedURLEC2 gives CopySnapshot the PresignedUrl EC2 needs to
// copy from another region, as boto3 does.
func injectPresignedURLEC2(ctx context.Context, c *call, e *engine) error {
	src, _ := c.params["SourceRegion"].(string)
	if _, set := c.params["PresignedUrl"]; set || src == "" {
		return nil
	}
	c.params["DestinationRegion"] = e.cfg.Region
	p, err := e.presign(ctx, c, time.Hour, src, nil)
	if err != nil {
		return err
	}
	c.params["PresignedUrl"] = p.URL
	return nil
}

// glacierAccountID defaults accountId to "-", the caller's account, as
// boto3 does.
func glacierAccountID(c *call) error {
	if _, ok := c.op.InputShape().byName["accountId"]; ok {
		if _, set := c.params["accountId"]; !set {
			c.params["accountId"] = "-"
		}
	}
	return nil
}

// glacierVersion sends the API version header Glacier requires.
func glacierVersion(c *call, req *smithyhttp.Request) error {
	req.Header.Set("X-Amz-Glacier-Version", c.op.svc.model.Metadata.APIVersion)
	return nil
}

// glacierChecksums sends the tree hash and the linear hash of an upload's
// body, which Glacier requires and boto3 computes when the caller did not.
// A body that cannot be read twice is left alone.
func glacierChecksums(_ *call, req *smithyhttp.Request) error {
	if req.Header.Get("X-Amz-Sha256-Tree-Hash") != "" && req.Header.Get("X-Amz-Content-Sha256") != "" {
		return nil
	}
	stream := req.GetStream()
	if stream != nil && !req.IsStreamSeekable() {
		return nil
	}
	var body []byte
	if stream != nil {
		b, err := io.ReadAll(stream)
		if err != nil {
			return fmt.Errorf("computing Glacier's checksums: %w", err)
		}
		if err := req.RewindStream(); err != nil {
			return fmt.Errorf("computing Glacier's checksums: %w", err)
		}
		body = b
	}
	if req.Header.Get("X-Amz-Sha256-Tree-Hash") == "" {
		req.Header.Set("X-Amz-Sha256-Tree-Hash", hex.EncodeToString(treeHash(body)))
	}
	if req.Header.Get("X-Amz-Content-Sha256") == "" {
		sum := sha256.Sum256(body)
		req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
	}
	return nil
}

// treeHash is Glacier's SHA-256 tree hash: the hashes of each MiB, paired
// up level by level until one is left.
func treeHash(body []byte) []byte {
	const mib = 1 << 20
	var level [][]byte
	for off := 0; off < len(body) || off == 0; off += mib {
		sum := sha256.Sum256(body[off:min(off+mib, len(body))])
		level = append(level, sum[:])
	}
	for len(level) > 1 {
		var next [][]byte
		for i := 0; i < len(level); i += 2 {
			if i+1 == len(level) {
				next = append(next, level[i])
				continue
			}
			sum := sha256.Sum256(append(append([]byte{}, level[i]...), level[i+1]...))
			next = append(next, sum[:])
		}
		level = next
	}
	return level[0]
}

// route53IDs accepts the ids Route53 returns ("/hostedzone/Z1") where it
// takes the bare id, as boto3 does.
func route53IDs(c *call) error {
	for _, name := range []string{"Id", "HostedZoneId", "DelegationSetId"} {
		if s, ok := c.params[name].(string); ok {
			for _, prefix := range []string{"/hostedzone/", "/change/", "/delegationset/"} {
				s = strings.TrimPrefix(s, prefix)
			}
			c.params[name] = s
		}
	}
	return nil
}

// base64UserData encodes UserData, which the API takes in base64 and boto3
// takes as text.
func base64UserData(c *call) error {
	if s, ok := c.params["UserData"].(string); ok {
		c.params["UserData"] = base64.StdEncoding.EncodeToString([]byte(s))
	}
	if spec, ok := c.params["LaunchSpecification"].(map[string]any); ok {
		if s, ok := spec["UserData"].(string); ok {
			spec["UserData"] = base64.StdEncoding.EncodeToString([]byte(s))
		}
	}
	return nil
}

// decodeConsoleOutput returns the console output as text, as boto3 does.
func decodeConsoleOutput(_ *call, out map[string]any) {
	if s, ok := out["Output"].(string); ok {
		if b, err := base64.StdEncoding.DecodeString(s); err == nil {
			out["Output"] = string(b)
		}
	}
}

// decodePolicies returns IAM's policy documents, which the API sends
// URL-encoded, as parsed JSON, as boto3 does.
func decodePolicies(_ *call, out map[string]any) {
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if s, ok := e.(string); ok && (strings.HasSuffix(k, "PolicyDocument") || k == "Document") {
					v[k] = decodePolicy(s)
					continue
				}
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(out)
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

// decodeTemplateBody returns a JSON template as parsed JSON, as boto3
// does; YAML stays text.
func decodeTemplateBody(_ *call, out map[string]any) {
	if s, ok := out["TemplateBody"].(string); ok {
		var doc map[string]any
		if json.Unmarshal([]byte(s), &doc) == nil {
			out["TemplateBody"] = doc
		}
	}
}

// acceptJSON asks API Gateway for JSON, which it otherwise may not send.
func acceptJSON(_ *call, req *smithyhttp.Request) error {
	req.Header.Set("Accept", "application/json")
	return nil
}

// The checksums S3 and other services take on a request body, by the
// algorithm names of the model's httpChecksum trait.
var checksums = map[string]func() hash.Hash{
	"CRC32":  func() hash.Hash { return crc32.NewIEEE() },
	"CRC32C": func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) },
	"SHA1":   sha1.New,
	"SHA256": sha256.New,
}

// requestChecksum adds the checksum the model asks for, as botocore does by
// default ("when_supported"): the algorithm the caller chose, else CRC32;
// an operation that requires a checksum and has no algorithm member gets
// Content-MD5. A body that cannot be read twice is left alone.
func requestChecksum(c *call, req *smithyhttp.Request) error {
	m := c.op.model
	algorithm := ""
	if m.HTTPChecksum != nil {
		if member := m.HTTPChecksum.RequestAlgorithmMember; member != "" {
			algorithm, _ = c.params[member].(string)
			if algorithm == "" {
				algorithm = "CRC32"
			}
		}
	}
	required := m.HTTPChecksumRequired || m.HTTPChecksum != nil && m.HTTPChecksum.RequestChecksumRequired
	if algorithm == "" && !required {
		return nil
	}
	for name := range req.Header {
		if strings.HasPrefix(strings.ToLower(name), "x-amz-checksum-") || strings.EqualFold(name, "Content-MD5") {
			return nil // the caller sent one
		}
	}
	stream := req.GetStream()
	var h hash.Hash
	header := "Content-MD5"
	if algorithm != "" {
		newHash, ok := checksums[strings.ToUpper(algorithm)]
		if !ok {
			return refuse(c, "Invalid value for parameter ChecksumAlgorithm: %q is not one of CRC32, CRC32C, SHA1, SHA256", algorithm)
		}
		h, header = newHash(), "X-Amz-Checksum-"+strings.ToLower(algorithm)
	} else {
		h = md5.New()
	}
	if stream != nil {
		if !req.IsStreamSeekable() {
			return nil
		}
		if _, err := io.Copy(h, stream); err != nil {
			return fmt.Errorf("computing the request's checksum: %w", err)
		}
		if err := req.RewindStream(); err != nil {
			return fmt.Errorf("computing the request's checksum: %w", err)
		}
	} else {
		h.Write(nil)
	}
	req.Header.Set(header, base64.StdEncoding.EncodeToString(h.Sum(nil)))
	return nil
}
