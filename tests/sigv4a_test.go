package tests

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/awslua/awslua/sdk"
)

// keepingClient is an HTTP client that keeps the request it is asked to
// send and sends nothing: no server answers for an S3 Multi-Region Access
// Point here.
type keepingClient struct{ req *http.Request }

func (c *keepingClient) Do(r *http.Request) (*http.Response, error) {
	c.req = r
	return nil, errors.New("not sent: kept by the test")
}

// checkECDSASignature checks that hexSig is a DER-encoded ECDSA signature
// whose numbers fit P-256.
func checkECDSASignature(t *testing.T, hexSig string) {
	t.Helper()
	der, err := hex.DecodeString(hexSig)
	if err != nil {
		t.Fatalf("signature %q is not hex: %v", hexSig, err)
	}
	var sig struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(der, &sig); err != nil || len(rest) > 0 {
		t.Fatalf("signature is not an ASN.1 ECDSA signature: %v", err)
	}
	n := elliptic.P256().Params().N
	if sig.R.Sign() <= 0 || sig.S.Sign() <= 0 || sig.R.Cmp(n) >= 0 || sig.S.Cmp(n) >= 0 {
		t.Errorf("signature numbers out of P-256's range: %v", sig)
	}
}

// sigV4aPublicKey derives the public key of SigV4a's signing key from
// the credentials, as the SigV4a specification derives the private key
// (NIST SP 800-108 counter-mode KDF over HMAC-SHA256, FIPS 186-4 B.4.2),
// written here from the specification to check the signer independently.
func sigV4aPublicKey(t *testing.T, akid, secret string) *ecdsa.PublicKey {
	t.Helper()
	curve := elliptic.P256()
	nMinus2 := new(big.Int).Sub(curve.Params().N, big.NewInt(2))
	for counter := 1; counter <= 0xff; counter++ {
		mac := hmac.New(sha256.New, []byte("AWS4A"+secret))
		binary.Write(mac, binary.BigEndian, uint32(1))
		mac.Write([]byte("AWS4-ECDSA-P256-SHA256\x00" + akid))
		mac.Write([]byte{byte(counter)})
		binary.Write(mac, binary.BigEndian, uint32(256))
		c := new(big.Int).SetBytes(mac.Sum(nil))
		if c.Cmp(nMinus2) < 0 {
			d := c.Add(c, big.NewInt(1))
			priv, err := ecdsa.ParseRawPrivateKey(curve, d.FillBytes(make([]byte, 32)))
			if err != nil {
				t.Fatal(err)
			}
			return &priv.PublicKey
		}
	}
	t.Fatal("no key derived")
	return nil
}

// verifySigV4a checks a header-signed GET without a query string against
// the credentials' public key: its canonical request, string to sign and
// signature as the SigV4a specification defines them.
func verifySigV4a(t *testing.T, req *http.Request, pub *ecdsa.PublicKey) {
	t.Helper()
	m := regexp.MustCompile(`Credential=[^/]+/([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$`).FindStringSubmatch(req.Header.Get("Authorization"))
	if m == nil {
		t.Fatalf("Authorization %q", req.Header.Get("Authorization"))
	}
	var canon strings.Builder
	fmt.Fprintf(&canon, "%s\n%s\n%s\n", req.Method, req.URL.EscapedPath(), req.URL.RawQuery)
	for _, h := range strings.Split(m[2], ";") {
		v := strings.Join(req.Header.Values(h), ",")
		if h == "host" {
			v = req.URL.Host
		}
		fmt.Fprintf(&canon, "%s:%s\n", h, strings.TrimSpace(v))
	}
	fmt.Fprintf(&canon, "\n%s\n%s", m[2], req.Header.Get("X-Amz-Content-Sha256"))
	sum := sha256.Sum256([]byte(canon.String()))
	toSign := fmt.Sprintf("AWS4-ECDSA-P256-SHA256\n%s\n%s\n%x", req.Header.Get("X-Amz-Date"), m[1], sum)
	der, _ := hex.DecodeString(m[3])
	digest := sha256.Sum256([]byte(toSign))
	if !ecdsa.VerifyASN1(pub, digest[:], der) {
		t.Errorf("the signature does not verify with the credentials' public key; canonical request:\n%s", canon.String())
	}
}

// TestSigV4aMultiRegionAccessPoint sends S3 requests to a Multi-Region
// Access Point, whose endpoint rules ask for SigV4a, and checks how they
// are signed: ECDSA P-256, for the region set "*", with a credential scope
// without a region, and a signature that verifies with the public key of
// the credentials (smithy-go's sigv4a does not expose it; the test derives
// it).
func TestSigV4aMultiRegionAccessPoint(t *testing.T) {
	keep := &keepingClient{}
	s := sdk.FromConfig(aws.Config{Region: "us-east-1", HTTPClient: keep,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")})
	s3, err := s.Client("s3", func(o *sdk.ClientOptions) { o.MaxAttempts = 1 })
	if err != nil {
		t.Fatal(err)
	}
	const mrap = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap"
	day := time.Now().UTC().Format("20060102")

	if _, err := s3.Call(t.Context(), "GetObject", map[string]any{"Bucket": mrap, "Key": "a/b.txt"}); err == nil {
		t.Fatal("the call succeeded with nothing sent")
	}
	req := keep.req
	if req == nil {
		t.Fatal("nothing was to be sent")
	}
	if req.URL.Host != "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com" {
		t.Errorf("host %s", req.URL.Host)
	}
	if got := req.Header.Get("X-Amz-Region-Set"); got != "*" {
		t.Errorf("X-Amz-Region-Set %q, want *", got)
	}
	auth := regexp.MustCompile(`^AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/(\d{8})/s3/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]+)$`).
		FindStringSubmatch(req.Header.Get("Authorization"))
	if auth == nil {
		t.Fatalf("Authorization %q is not SigV4a's", req.Header.Get("Authorization"))
	}
	if auth[1] != day {
		t.Errorf("credential scope day %s, want %s", auth[1], day)
	}
	for _, h := range []string{"host", "x-amz-content-sha256", "x-amz-date", "x-amz-region-set"} {
		if !strings.Contains(";"+auth[2]+";", ";"+h+";") {
			t.Errorf("SignedHeaders %s lacks %s", auth[2], h)
		}
	}
	checkECDSASignature(t, auth[3])
	verifySigV4a(t, req, sigV4aPublicKey(t, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))

	// The same client signs an ordinary bucket's request with SigV4.
	s3.Call(t.Context(), "GetObject", map[string]any{"Bucket": "plain-bucket", "Key": "k"})
	if a := keep.req.Header.Get("Authorization"); !strings.HasPrefix(a, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"+day+"/us-east-1/s3/aws4_request") {
		t.Errorf("a plain bucket's Authorization %q", a)
	}

	p, err := s3.Presign(t.Context(), "GetObject", map[string]any{"Bucket": mrap, "Key": "a/b.txt"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(p.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Host != "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com" || q.Get("X-Amz-Algorithm") != "AWS4-ECDSA-P256-SHA256" ||
		q.Get("X-Amz-Region-Set") != "*" || q.Get("X-Amz-Expires") != "3600" || q.Get("X-Amz-Credential") != "AKIDEXAMPLE/"+day+"/s3/aws4_request" {
		t.Errorf("presigned URL %s", p.URL)
	}
	checkECDSASignature(t, q.Get("X-Amz-Signature"))
}
