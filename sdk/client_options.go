package sdk

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// boto3's defaults: a client that waits for a server without end hangs its
// script for good, so every call has both timeouts unless it sets its own.
const (
	DefaultConnectTimeout = 60 * time.Second
	DefaultReadTimeout    = 60 * time.Second
)

// An InvalidEndpointError is an endpoint URL that requests cannot be sent
// to; it is reported where the URL is given, not on the first call.
type InvalidEndpointError struct{ URL string }

func (e *InvalidEndpointError) Error() string {
	return fmt.Sprintf("Invalid endpoint: %s (an endpoint URL is http:// or https:// and a host, such as http://127.0.0.1:5081)", e.URL)
}

// CheckEndpointURL reports whether endpoint is a URL with a scheme the
// clients speak and a host, as botocore checks endpoint_url: "127.0.0.1:5081"
// parses as a URL of scheme "127.0.0.1", and would fail only later, inside
// the SDK, with a message that does not name it.
func CheckEndpointURL(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || strings.ContainsAny(endpoint, " \t\r\n") ||
		(u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return &InvalidEndpointError{URL: endpoint}
	}
	return nil
}

// checkTimeouts refuses a negative timeout: zero means the default, and a
// negative one would end every call at once.
func (o *ClientOptions) checkTimeouts() error {
	if o.ConnectTimeout < 0 {
		return fmt.Errorf("connect_timeout %v is negative: a timeout must be more than 0", o.ConnectTimeout.Seconds())
	}
	if o.ReadTimeout < 0 {
		return fmt.Errorf("read_timeout %v is negative: a timeout must be more than 0", o.ReadTimeout.Seconds())
	}
	return nil
}

// effectiveTimeouts fills in boto3's defaults where the options set none.
func (o *ClientOptions) effectiveTimeouts() (connect, read time.Duration) {
	connect, read = o.ConnectTimeout, o.ReadTimeout
	if connect <= 0 {
		connect = DefaultConnectTimeout
	}
	if read <= 0 {
		read = DefaultReadTimeout
	}
	return connect, read
}

// timeoutHTTPClient returns base with the timeouts applied: the connect
// timeout bounds dialing, and the read timeout each wait for data of a
// response (its headers, then every read of its body), never the whole
// call, so a long download that keeps coming is not cut off. A base that
// the program supplied and that is not the SDK's BuildableClient keeps its
// transport; only the read timeout of the body applies to it.
func timeoutHTTPClient(base aws.HTTPClient, connect, read time.Duration) aws.HTTPClient {
	bc, ok := base.(*awshttp.BuildableClient)
	if base == nil {
		bc, ok = awshttp.NewBuildableClient(), true
	}
	if ok {
		base = bc.
			WithDialerOptions(func(d *net.Dialer) { d.Timeout = connect }).
			WithTransportOptions(func(t *http.Transport) { t.ResponseHeaderTimeout = read })
	}
	return readTimeoutClient{base, read}
}

// verifyTLS applies NoVerifySSL and CABundle to the client that
// timeoutHTTPClient made.
func (o *ClientOptions) verifyTLS(c aws.HTTPClient) (aws.HTTPClient, error) {
	if !o.NoVerifySSL && o.CABundle == "" {
		return c, nil
	}
	rt, ok := c.(readTimeoutClient)
	bc, ok2 := rt.client.(*awshttp.BuildableClient)
	if !ok || !ok2 {
		return nil, errors.New("verify applies to the SDK's own HTTP client, and this session has another one")
	}
	var pool *x509.CertPool
	if o.CABundle != "" {
		pem, err := os.ReadFile(o.CABundle)
		if err != nil {
			return nil, fmt.Errorf("verify: reading the CA bundle: %w", err)
		}
		pool = x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("verify: %s holds no PEM certificate", o.CABundle)
		}
	}
	rt.client = bc.WithTransportOptions(func(t *http.Transport) {
		if t.TLSClientConfig == nil {
			t.TLSClientConfig = &tls.Config{}
		}
		t.TLSClientConfig.RootCAs = pool
		// The user asked for it by name, as in boto3: verify = false.
		t.TLSClientConfig.InsecureSkipVerify = o.NoVerifySSL
	})
	return rt, nil
}

// httpClientKey is what makes HTTP clients of a session differ.
type httpClientKey struct {
	connect, read time.Duration
	noVerify      bool
	caBundle      string
}

// httpClientFor returns the HTTP client of a client's timeouts and TLS
// options: one per distinct set in a session, so that its clients share
// connections (a client of its own for each aws.client call would open
// new ones every time).
func (s *Session) httpClientFor(o *ClientOptions, connect, read time.Duration) (aws.HTTPClient, error) {
	key := httpClientKey{connect, read, o.NoVerifySSL, o.CABundle}
	if s.httpClients != nil {
		if c, ok := s.httpClients.Load(key); ok {
			return c.(aws.HTTPClient), nil
		}
	}
	c, err := o.verifyTLS(timeoutHTTPClient(s.cfg.HTTPClient, connect, read))
	if err != nil {
		return nil, err
	}
	if s.httpClients != nil {
		actual, _ := s.httpClients.LoadOrStore(key, c)
		c = actual.(aws.HTTPClient)
	}
	return c, nil
}

// maxMinCompressionSize is the largest request_min_compression_size_bytes
// botocore accepts.
const maxMinCompressionSize = 1 << 20

// requestCompression settles the client's request compression settings in
// cfg, the client's options over the environment's and the profile's,
// which aws-sdk-go-v2 read into cfg, refusing a size botocore refuses.
func requestCompression(cfg *aws.Config, o *ClientOptions) error {
	if o.RequestMinCompressionSizeBytes != 0 {
		cfg.RequestMinCompressSizeBytes = o.RequestMinCompressionSizeBytes
	}
	if cfg.RequestMinCompressSizeBytes == 0 {
		cfg.RequestMinCompressSizeBytes = 10240 // what boto3 and the SDK default to
	}
	if n := cfg.RequestMinCompressSizeBytes; n < 1 || n > maxMinCompressionSize {
		return fmt.Errorf("request_min_compression_size_bytes %d is not between 1 and %d", n, maxMinCompressionSize)
	}
	if o.DisableRequestCompression != nil {
		cfg.DisableRequestCompression = *o.DisableRequestCompression
	}
	return nil
}

// ClientConfig is the effective configuration of a client, as boto3 shows
// it in client.meta.config.
type ClientConfig struct {
	RegionName     string
	ConnectTimeout time.Duration
	ReadTimeout    time.Duration
	// MaxAttempts counts every attempt, the first included (boto3's
	// total_max_attempts); RetryMode is "standard" or "adaptive".
	MaxAttempts int
	RetryMode   string
	// SignatureVersion is botocore's name of the signer: "s3v4" for S3,
	// "v4" for the others.
	SignatureVersion string
	// RequestMinCompressionSizeBytes and DisableRequestCompression say
	// when a compressible operation's body is gzipped.
	RequestMinCompressionSizeBytes int64
	DisableRequestCompression      bool
}

// clientConfig works out what a client runs with from its aws.Config and
// timeouts, with the SDK's defaults where the configuration leaves them
// unset.
func clientConfig(service string, cfg aws.Config, connect, read time.Duration) ClientConfig {
	c := ClientConfig{RegionName: cfg.Region, ConnectTimeout: connect, ReadTimeout: read,
		MaxAttempts: cfg.RetryMaxAttempts, RetryMode: string(cfg.RetryMode), SignatureVersion: "v4",
		RequestMinCompressionSizeBytes: cfg.RequestMinCompressSizeBytes, DisableRequestCompression: cfg.DisableRequestCompression}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 3 // the SDK's standard retryer's
	}
	if c.RetryMode == "" {
		c.RetryMode = string(aws.RetryModeStandard)
	}
	if service == "s3" {
		c.SignatureVersion = "s3v4"
	}
	return c
}

// Config returns the client's effective configuration.
func (c *Client) Config() ClientConfig { return c.config }
