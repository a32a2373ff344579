package tests

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// boto3Authorization calls op of service with boto3 through the proxy
// in the environment the test set, and returns the Authorization header
// it sent.
func boto3Authorization(t *testing.T, proxy string, sent func() []sentRequest, service, op string) string {
	t.Helper()
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		t.Skip("python3 with boto3 is not installed: nothing to compare with")
	}
	script := `
import boto3, botocore.config, sys
c = boto3.client(sys.argv[2], endpoint_url=sys.argv[1], region_name="us-east-1",
    config=botocore.config.Config(retries={"total_max_attempts": 1}))
try:
    getattr(c, sys.argv[3])()
except Exception as e:
    print(e)
`
	if out, err := exec.Command("python3", "-c", script, proxy, service, op).CombinedOutput(); err != nil {
		t.Fatalf("boto3: %v\n%s", err, out)
	}
	reqs := sent()
	if len(reqs) != 1 {
		t.Fatalf("boto3 sent %d requests, want 1", len(reqs))
	}
	return reqs[0].header.Get("Authorization")
}

// TestBearerBedrock calls Bedrock on moto with AWS_BEARER_TOKEN_BEDROCK
// set, which makes boto3 authorize with the token instead of signing, and
// without it. moto 5.2.1 finds the service of a request by its SigV4
// credential scope, so it answers a bearer-authorized request with 404,
// boto3's as ours: that request is checked as it leaves, against boto3's.
func TestBearerBedrock(t *testing.T) {
	proxy, sent := recordingProxy(t, testenv.URL(t, "moto"))
	client := func() *sdk.Client {
		s, err := sdk.NewSession(context.Background(), sdk.WithRegion(testenv.Region),
			sdk.WithCredentials(testenv.AccessKey, testenv.SecretKey, ""), sdk.WithEndpointURL(proxy))
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Client("bedrock")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	call := func() (string, error) {
		_, err := client().Call(t.Context(), "ListCustomModels", nil)
		reqs := sent()
		if len(reqs) != 1 {
			t.Fatalf("%d requests sent, want 1", len(reqs))
		}
		return reqs[0].header.Get("Authorization"), err
	}
	if auth, err := call(); err != nil || !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+testenv.AccessKey+"/") {
		t.Errorf("without a token: Authorization %q, error %v; want SigV4 and an answer", auth, err)
	}
	t.Setenv("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-123")
	auth, err := call()
	if auth != "Bearer bedrock-api-key-123" {
		t.Errorf("with AWS_BEARER_TOKEN_BEDROCK: Authorization %q", auth)
	}
	t.Logf("moto answers a bearer-authorized request: %v", err)
	t.Setenv("AWS_ACCESS_KEY_ID", testenv.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testenv.SecretKey)
	if auth := boto3Authorization(t, proxy, sent, "bedrock", "list_custom_models"); auth != "Bearer bedrock-api-key-123" {
		t.Errorf("boto3 sent Authorization %q", auth)
	}
}

// TestBearerCodeCatalyst makes a CodeCatalyst client, whose model
// authorizes with a bearer token, from a profile whose SSO session has a
// cached token, as `aws sso login` leaves it; the request goes through
// the proxy to moto, which has no CodeCatalyst and answers with an error.
func TestBearerCodeCatalyst(t *testing.T) {
	svcIsolateEnv(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	config := svcWriteFile(t, "config", `
[profile dev]
sso_session = corp
region = us-east-1

[profile plain]
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
`)
	t.Setenv("AWS_CONFIG_FILE", config)
	key := sha1.Sum([]byte("corp"))
	cache := filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(key[:])+".json")
	if err := os.MkdirAll(filepath.Dir(cache), 0o700); err != nil {
		t.Fatal(err)
	}
	token := `{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "sso-access-token", "expiresAt": "2099-01-01T00:00:00Z"}`
	if err := os.WriteFile(cache, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	proxy, sent := recordingProxy(t, testenv.URL(t, "moto"))
	authorization := func(profile string) (string, error) {
		s, err := sdk.NewSession(context.Background(), sdk.WithProfile(profile), sdk.WithEndpointURL(proxy))
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Client("codecatalyst", func(o *sdk.ClientOptions) { o.MaxAttempts = 1 })
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Call(t.Context(), "ListSpaces", nil)
		reqs := sent()
		if len(reqs) == 0 {
			return "", err
		}
		return reqs[0].header.Get("Authorization"), err
	}
	if auth, _ := authorization("dev"); auth != "Bearer sso-access-token" {
		t.Errorf("from the SSO session's cached token: Authorization %q", auth)
	}
	t.Setenv("AWS_PROFILE", "dev")
	if auth := boto3Authorization(t, proxy, sent, "codecatalyst", "list_spaces"); auth != "Bearer sso-access-token" {
		t.Errorf("boto3 sent Authorization %q", auth)
	}
	t.Setenv("AWS_PROFILE", "")

	t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", "env-token")
	if auth, _ := authorization("dev"); auth != "Bearer env-token" {
		t.Errorf("with AWS_BEARER_TOKEN_CODECATALYST: Authorization %q", auth)
	}
	t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", "")

	auth, err := authorization("plain")
	if auth != "" || err == nil || !strings.Contains(err.Error(), "no authorization token") {
		t.Errorf("a profile without a token: sent %q, error %v", auth, err)
	}
}
