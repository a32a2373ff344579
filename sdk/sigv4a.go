package sdk

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/aws-http-auth/credentials"
	"github.com/aws/smithy-go/aws-http-auth/sigv4a"
	httpauth "github.com/aws/smithy-go/aws-http-auth/v4"

	"github.com/awslua/awslua/sdk/endpoint"
)

// signV4a signs a request with SigV4a, the asymmetric signature that the
// endpoint rules ask for where a request may be served in any of several
// regions (S3 Multi-Region Access Points): an ECDSA key derived from the
// credentials signs for the scheme's region set ("*" when it names none).
// payloadHash is the hex SHA-256 of the body, or UNSIGNED-PAYLOAD.
func signV4a(signer *sigv4a.Signer, req *http.Request, creds aws.Credentials, name string, scheme endpoint.AuthScheme, payloadHash string, now time.Time) error {
	return signV4aAs(signer, req, creds, name, scheme, payloadHash, now, httpauth.SignatureTypeHeader)
}

// presignV4a signs a request with SigV4a into its query string, signing
// its host and X-Amz-* headers.
func presignV4a(signer *sigv4a.Signer, req *http.Request, creds aws.Credentials, name string, scheme endpoint.AuthScheme, payloadHash string, now time.Time) error {
	return signV4aAs(signer, req, creds, name, scheme, payloadHash, now, httpauth.SignatureTypeQueryString)
}

func signV4aAs(signer *sigv4a.Signer, req *http.Request, creds aws.Credentials, name string, scheme endpoint.AuthScheme, payloadHash string, now time.Time, typ httpauth.SignatureType) error {
	hash, err := hex.DecodeString(payloadHash)
	if err != nil || payloadHash == "" {
		hash = []byte(payloadHash) // the UNSIGNED-PAYLOAD sentinel
	}
	regions := scheme.SigningRegionSet
	if len(regions) == 0 {
		regions = []string{"*"}
	}
	err = signer.SignRequest(&sigv4a.SignRequestInput{
		Request:     req,
		PayloadHash: hash,
		Credentials: credentials.Credentials{
			AccessKeyID:     creds.AccessKeyID,
			SecretAccessKey: creds.SecretAccessKey,
			SessionToken:    creds.SessionToken,
		},
		Service:       name,
		RegionSet:     regions,
		Time:          now,
		SignatureType: typ,
	}, func(o *httpauth.SignerOptions) {
		if typ == httpauth.SignatureTypeHeader {
			o.HeaderRules = v4aHeaders{}
		}
		o.DisableDoublePathEscape = scheme.DisableDoubleEncoding
	})
	if err != nil {
		return fmt.Errorf("signing the request with SigV4a: %w", err)
	}
	return nil
}

// v4aHeaders signs the headers SigV4 signs: all but those a proxy or the
// transport may change.
type v4aHeaders struct{}

func (v4aHeaders) IsSigned(h string) bool {
	switch strings.ToLower(h) {
	case "authorization", "user-agent", "x-amzn-trace-id", "expect", "transfer-encoding":
		return false
	}
	return true
}
