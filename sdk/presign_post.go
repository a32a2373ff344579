package sdk

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"
)

// A PresignedPost is what a browser form or a plain HTTP client needs to
// upload one object without credentials: a multipart/form-data POST to URL
// with Fields first and the file last, as boto3's generate_presigned_post
// returns it.
type PresignedPost struct {
	URL    string
	Fields map[string]string
}

// PresignPost signs an S3 POST policy for bucket/key, as boto3's
// generate_presigned_post does: fields are sent as they are (and each
// becomes a condition), conditions are added to the policy (a map such as
// {"acl": "public-read"}, or a list such as ["content-length-range", 1,
// 1048576]), and the policy expires after expires (an hour when zero). A
// key ending in ${filename} takes the name of the uploaded file.
func (c *Client) PresignPost(ctx context.Context, bucket, key string, fields map[string]string, conditions []any, expires time.Duration) (*PresignedPost, error) {
	if c.svc.Name != "s3" {
		return nil, fmt.Errorf("presigned POSTs are S3's, not %s's", c.svc.Name)
	}
	op, _ := c.svc.Operation("PutObject")
	if err := c.policy.allowOperation(c.svc, op); err != nil {
		return nil, err
	}
	cl, err := op.prepare(map[string]any{"Bucket": bucket, "Key": key})
	if err != nil {
		return nil, err
	}
	if expires <= 0 {
		expires = time.Hour
	}
	ep, err := c.engine.resolve(op.model, cl.params)
	if err != nil {
		return nil, err
	}
	if c.engine.cfg.Credentials == nil {
		return nil, fmt.Errorf("presigning a POST: no credentials")
	}
	creds, err := c.engine.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("retrieving credentials: %w", err)
	}
	name, region, _ := c.engine.signing(ep, c.engine.cfg.Region)
	now := time.Now().UTC()
	date := now.Format("20060102")

	out := maps.Clone(fields)
	if out == nil {
		out = map[string]string{}
	}
	conds := append([]any(nil), conditions...)
	for k, v := range fields {
		conds = append(conds, map[string]string{k: v})
	}
	if prefix, ok := strings.CutSuffix(key, "${filename}"); ok {
		conds = append(conds, []any{"starts-with", "$key", prefix})
	} else {
		conds = append(conds, map[string]string{"key": key})
	}
	out["key"] = key
	conds = append(conds, map[string]string{"bucket": bucket})
	signed := map[string]string{
		"x-amz-algorithm":  "AWS4-HMAC-SHA256",
		"x-amz-credential": strings.Join([]string{creds.AccessKeyID, date, region, name, "aws4_request"}, "/"),
		"x-amz-date":       now.Format("20060102T150405Z"),
	}
	if creds.SessionToken != "" {
		signed["x-amz-security-token"] = creds.SessionToken
	}
	for _, k := range sortedKeys(signed) {
		out[k] = signed[k]
		conds = append(conds, map[string]string{k: signed[k]})
	}
	policy, err := json.Marshal(map[string]any{
		"expiration": now.Add(expires).Format("2006-01-02T15:04:05Z"),
		"conditions": conds,
	})
	if err != nil {
		return nil, fmt.Errorf("presigning a POST: %w", err)
	}
	encoded := base64.StdEncoding.EncodeToString(policy)
	out["policy"] = encoded
	key4 := hmacSHA256([]byte("AWS4"+creds.SecretAccessKey), date)
	for _, part := range []string{region, name, "aws4_request"} {
		key4 = hmacSHA256(key4, part)
	}
	out["x-amz-signature"] = hex.EncodeToString(hmacSHA256(key4, encoded))
	url := ep.URL
	if !strings.HasSuffix(url, "/") && !strings.Contains(strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://"), "/") {
		url += "/"
	}
	return &PresignedPost{URL: url, Fields: out}, nil
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}
