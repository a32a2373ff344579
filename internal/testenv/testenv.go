// Package testenv connects tests to the AWS-compatible servers that
// tests/servers.sh starts. A test that needs a server skips when none is
// configured, and fails when AWSLUA_TEST_SERVERS=1 says they should be there
// (as the README's test command does), so a missing server never passes
// silently in CI.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/awslua/awslua/sdk"
)

// The keys the servers accept; MinIO checks them.
const (
	AccessKey = "backendtest"
	SecretKey = "backendtest-secret"
	Region    = "us-east-1"
)

// URL returns the base URL of a server ("moto" or "minio"), skipping or
// failing the test when it is not running.
func URL(t testing.TB, server string) string {
	t.Helper()
	u := os.Getenv("AWSLUA_TEST_" + strings.ToUpper(server))
	if u == "" {
		if os.Getenv("AWSLUA_TEST_SERVERS") == "1" {
			t.Fatalf("AWSLUA_TEST_%s is not set although AWSLUA_TEST_SERVERS=1", strings.ToUpper(server))
		}
		t.Skipf("no %s server: run the tests with `make test`", server)
	}
	return u
}

// Session returns a session whose clients all talk to the named server.
func Session(t testing.TB, server string) *sdk.Session {
	t.Helper()
	s, err := sdk.NewSession(context.Background(),
		sdk.WithRegion(Region),
		sdk.WithCredentials(AccessKey, SecretKey, ""),
		sdk.WithEndpointURL(URL(t, server)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Client returns a client of service on the named server.
func Client(t testing.TB, server, service string, opts ...func(*sdk.ClientOptions)) *sdk.Client {
	t.Helper()
	c, err := Session(t, server).Client(service, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Name returns a name no other test uses, valid as an S3 bucket name.
func Name(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

// Env returns the environment for a child process (such as the awslua
// command) that should reach the named server through the standard chain.
func Env(t testing.TB, server string) []string {
	t.Helper()
	u := URL(t, server)
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"AWS_ACCESS_KEY_ID="+AccessKey,
		"AWS_SECRET_ACCESS_KEY="+SecretKey,
		"AWS_REGION="+Region,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_ENDPOINT_URL="+u,
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	)
}
