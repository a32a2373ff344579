package sdk

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"os/exec"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// botocoreSigV2 signs a form POST with botocore's SigV2Auth at a fixed
// time and returns the signed form.
const botocoreSigV2 = `
import json, sys, time
from botocore.auth import SigV2Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
url, form, ak, sk, token, ts = sys.argv[1:]
fixed = time.strptime(ts, "%Y-%m-%dT%H:%M:%SZ")
time.gmtime = lambda *a: fixed
req = AWSRequest(method="POST", url=url, data=json.loads(form))
SigV2Auth(Credentials(ak, sk, token or None)).add_auth(req)
print(json.dumps(dict(req.data)))
`

// TestSignV2MatchesBotocore signs the same requests as botocore, at the
// same time with the same keys, and compares the signed forms.
func TestSignV2MatchesBotocore(t *testing.T) {
	if err := exec.Command("python3", "-c", "import botocore").Run(); err != nil {
		t.Skip("python3 with botocore is not installed: nothing to compare with")
	}
	now := time.Date(2026, 12, 2, 16, 4, 5, 0, time.UTC)
	cases := []struct {
		url   string
		form  map[string]string
		creds aws.Credentials
	}{
		{"https://sdb.amazonaws.com/", map[string]string{"Action": "CreateDomain", "Version": "2009-04-15", "DomainName": "d1"},
			aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}},
		{"http://127.0.0.1:5000", map[string]string{"Action": "PutAttributes", "Version": "2009-04-15", "DomainName": "d-1.x_y",
			"ItemName": "a b+c/é~*", "Attribute.1.Name": "Ünïcode", "Attribute.1.Value": "50% off & more=yes", "Attribute.1.Replace": "true"},
			aws.Credentials{AccessKeyID: "ASIA123", SecretAccessKey: "s3cr3t", SessionToken: "tok+en/=="}},
	}
	for _, c := range cases {
		form := url.Values{}
		for k, v := range c.form {
			form.Set(k, v)
		}
		u, _ := url.Parse(c.url)
		req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
		req.Method, req.URL = "POST", u
		req, _ = req.SetStream(bytes.NewReader([]byte(form.Encode())))
		if err := signV2(req, c.creds, now); err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(req.GetStream())
		signed, err := url.ParseQuery(string(body))
		if err != nil {
			t.Fatalf("signed form %q: %v", body, err)
		}
		got := map[string]string{}
		for k := range signed {
			got[k] = signed.Get(k)
		}
		if int64(len(body)) != req.ContentLength {
			t.Errorf("Content-Length %d for a %d-byte form", req.ContentLength, len(body))
		}

		in, _ := json.Marshal(c.form)
		out, err := exec.Command("python3", "-c", botocoreSigV2, c.url, string(in), c.creds.AccessKeyID, c.creds.SecretAccessKey,
			c.creds.SessionToken, now.Format("2006-01-02T15:04:05Z")).Output()
		if err != nil {
			t.Fatalf("botocore: %v", err)
		}
		var want map[string]string
		if err := json.Unmarshal(out, &want); err != nil {
			t.Fatalf("botocore printed %q: %v", out, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: signed\n%v\nbotocore signed\n%v", c.url, got, want)
		}
	}
}
