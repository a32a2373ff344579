package sdk

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// signV2 signs a query-protocol request with AWS Signature Version 2, which
// the models of SimpleDB and Import/Export ask for and aws-sdk-go-v2 does
// not implement: the authentication parameters join the form, and the
// signature is an HMAC-SHA256 of the method, host, path and sorted form
// (https://docs.aws.amazon.com/AmazonSimpleDB/latest/DeveloperGuide/HMACAuth.html).
func signV2(req *smithyhttp.Request, creds aws.Credentials, now time.Time) error {
	var body []byte
	if s := req.GetStream(); s != nil {
		b, err := io.ReadAll(s)
		if err != nil {
			return fmt.Errorf("signing the request: %w", err)
		}
		body = b
	}
	params, err := url.ParseQuery(string(body))
	if err != nil {
		return fmt.Errorf("signing the request: the form does not parse: %w", err)
	}
	// A retried attempt comes back with the last attempt's parameters.
	params.Del("Signature")
	params.Del("SecurityToken")
	params.Set("AWSAccessKeyId", creds.AccessKeyID)
	params.Set("SignatureVersion", "2")
	params.Set("SignatureMethod", "HmacSHA256")
	params.Set("Timestamp", now.UTC().Format("2006-01-02T15:04:05Z"))
	if creds.SessionToken != "" {
		params.Set("SecurityToken", creds.SessionToken)
	}
	path := req.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	form := v2Form(params)
	mac := hmac.New(sha256.New, []byte(creds.SecretAccessKey))
	fmt.Fprintf(mac, "%s\n%s\n%s\n%s", req.Method, req.URL.Host, path, form)
	form += "&Signature=" + v2Escape(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	r, err := req.SetStream(bytes.NewReader([]byte(form)))
	if err != nil {
		return fmt.Errorf("signing the request: %w", err)
	}
	*req = *r
	req.ContentLength = int64(len(form))
	return nil
}

// v2Form is the form in the order and encoding SigV2 signs: keys sorted,
// keys and values percent-encoded but for A-Z a-z 0-9 - _ . ~.
func v2Form(params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range params[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(v2Escape(k) + "=" + v2Escape(v))
		}
	}
	return b.String()
}

// v2Escape percent-encodes s as RFC 3986 asks, which SigV2 signs.
func v2Escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
