package sdk

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go/logging"
)

// A Session holds the configuration that clients share: credentials,
// region, profile and endpoint. It is safe for concurrent use.
type Session struct {
	cfg       aws.Config
	profile   string
	endpoint  string
	endpoints map[string]string
	policy    policy
	// httpClients holds an HTTP client per set of timeouts and TLS
	// options, shared by the session's clients (see httpClientFor).
	httpClients *sync.Map
}

// An Option configures NewSession.
type Option func(*sessionOptions)

type sessionOptions struct {
	profile, region, endpoint string
	endpoints                 map[string]string
	creds                     aws.CredentialsProvider
	load                      []func(*config.LoadOptions) error
	policy                    policy
}

// WithProfile selects a profile of the shared config and credentials files.
func WithProfile(name string) Option { return func(o *sessionOptions) { o.profile = name } }

// WithRegion sets the region, overriding the environment and profile.
func WithRegion(region string) Option { return func(o *sessionOptions) { o.region = region } }

// WithCredentials uses static keys instead of the credential chain.
func WithCredentials(accessKeyID, secretAccessKey, sessionToken string) Option {
	return func(o *sessionOptions) {
		o.creds = credentials.NewStaticCredentialsProvider(accessKeyID, secretAccessKey, sessionToken)
	}
}

// WithEndpointURL sends every client's requests to url, overriding
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>.
func WithEndpointURL(url string) Option { return func(o *sessionOptions) { o.endpoint = url } }

// WithServiceEndpointURL sends one service's requests to url; it takes
// precedence over WithEndpointURL.
func WithServiceEndpointURL(service, url string) Option {
	return func(o *sessionOptions) {
		if o.endpoints == nil {
			o.endpoints = map[string]string{}
		}
		o.endpoints[service] = url
	}
}

// WithLoadOptions passes options to config.LoadDefaultConfig.
func WithLoadOptions(fns ...func(*config.LoadOptions) error) Option {
	return func(o *sessionOptions) { o.load = append(o.load, fns...) }
}

// NewSession loads configuration from the standard AWS chain: environment,
// shared config and credentials files, profiles, SSO, assume-role, IMDS,
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>.
func NewSession(ctx context.Context, opts ...Option) (*Session, error) {
	var o sessionOptions
	for _, fn := range opts {
		fn(&o)
	}
	if err := o.checkEndpoints(); err != nil {
		return nil, err
	}
	// The SDK's default logger writes warnings to stderr, such as "failed
	// to discard remaining HTTP response body" whenever a server closes a
	// kept-alive connection: a script's output must stay its own (and a
	// test that reads it failed now and then). WithDebugLog, later in the
	// list, still gets them.
	load := append([]func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}, o.load...)
	if o.profile != "" {
		load = append(load, config.WithSharedConfigProfile(o.profile))
	}
	if o.region != "" {
		load = append(load, config.WithRegion(o.region))
	}
	if o.creds != nil {
		load = append(load, config.WithCredentialsProvider(o.creds))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration: %w", err)
	}
	if o.creds == nil {
		reportMissingCredentials(&cfg)
	}
	if cfg.BaseEndpoint != nil && o.endpoint == "" {
		if err := CheckEndpointURL(*cfg.BaseEndpoint); err != nil {
			return nil, fmt.Errorf("the configured endpoint URL (AWS_ENDPOINT_URL, or endpoint_url in the profile): %w", err)
		}
	}
	s := FromConfig(cfg)
	s.endpoint, s.endpoints = o.endpoint, o.endpoints
	s.policy = o.policy
	if o.profile != "" {
		s.profile = o.profile
	}
	return s, nil
}

// checkEndpoints refuses an endpoint URL where it is given, not on the
// first call.
func (o *sessionOptions) checkEndpoints() error {
	if o.endpoint != "" {
		if err := CheckEndpointURL(o.endpoint); err != nil {
			return err
		}
	}
	for service, u := range o.endpoints {
		if err := CheckEndpointURL(u); err != nil {
			return fmt.Errorf("%s: %w", service, err)
		}
	}
	return nil
}

// FromConfig makes a session of a configuration a program already has.
func FromConfig(cfg aws.Config) *Session {
	profile := os.Getenv("AWS_PROFILE")
	if profile == "" {
		profile = "default"
	}
	return &Session{cfg: cfg, profile: profile, httpClients: &sync.Map{}}
}

// Config returns a copy of the session's aws-sdk-go-v2 configuration.
func (s *Session) Config() aws.Config { return s.cfg.Copy() }

// Region returns the session's region, "" if none is configured.
func (s *Session) Region() string { return s.cfg.Region }

// Profile returns the name of the profile in use.
func (s *Session) Profile() string { return s.profile }

// EndpointURL returns the endpoint set with WithEndpointURL, if any.
func (s *Session) EndpointURL() string { return s.endpoint }

// AvailableServices returns the sorted names of the services this program
// bundles.
func (s *Session) AvailableServices() []string { return Services() }

// String and GoString have value receivers, so that no way of printing a
// Session, *Session or not, shows its configuration: cfg.ConfigSources
// holds the loaded environment and profile, secret key included.
func (s Session) String() string {
	return fmt.Sprintf("Session(region_name=%q, profile_name=%q)", s.cfg.Region, s.profile)
}

func (s Session) GoString() string { return s.String() }

// CredentialsInfo describes the credentials in use without their secrets.
type CredentialsInfo struct {
	AccessKey string
	// Method is where they came from, in boto3's words: "env",
	// "shared-credentials-file", "explicit", "sso", "assume-role", ...
	Method  string
	Expires time.Time // zero when they do not expire
}

func (c CredentialsInfo) String() string {
	return fmt.Sprintf("Credentials(access_key=%q, method=%q)", c.AccessKey, c.Method)
}

var credentialMethods = map[string]string{
	"EnvConfigCredentials":        "env",
	"SharedConfigCredentials":     "shared-credentials-file",
	"StaticCredentials":           "explicit",
	"SSOProvider":                 "sso",
	"AssumeRoleProvider":          "assume-role",
	"WebIdentityCredentials":      "assume-role-with-web-identity",
	"EC2RoleProvider":             "iam-role",
	"CredentialsEndpointProvider": "container-role",
	"ProcessProvider":             "custom-process",
	"LoginProvider":               "login",
}

// Credentials retrieves the session's credentials and says where they came
// from. It never returns the secret key.
func (s *Session) Credentials(ctx context.Context) (CredentialsInfo, error) {
	if s.cfg.Credentials == nil {
		return CredentialsInfo{}, fmt.Errorf("no credentials configured")
	}
	c, err := s.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return CredentialsInfo{}, fmt.Errorf("retrieving credentials: %w", err)
	}
	source, file, _ := strings.Cut(c.Source, ":")
	method, ok := credentialMethods[source]
	if !ok {
		method = strings.ToLower(source)
	}
	if source == "SharedConfigCredentials" && isConfigFile(strings.TrimSpace(file)) {
		method = "config-file"
	}
	info := CredentialsInfo{AccessKey: c.AccessKeyID, Method: method}
	if c.CanExpire {
		info.Expires = c.Expires
	}
	return info, nil
}

// isConfigFile reports whether path is the shared config file: the SDK
// names keys from it and from the credentials file alike
// ("SharedConfigCredentials: <path>"), where boto3 says "config-file".
func isConfigFile(path string) bool {
	cfg := os.Getenv("AWS_CONFIG_FILE")
	if cfg == "" {
		cfg = config.DefaultSharedConfigFilename()
	}
	return path != "" && filepath.Clean(path) == filepath.Clean(cfg)
}

// ClientOptions are the settings of one client; the zero value takes
// everything from the session.
type ClientOptions struct {
	Region      string
	EndpointURL string
	// RetryMode is "standard" or "adaptive"; MaxAttempts counts the first.
	RetryMode   string
	MaxAttempts int
	// ConnectTimeout bounds opening a connection; ReadTimeout bounds each
	// wait for data of a response, for its headers and then for every read
	// of its body, as botocore's read_timeout does.
	ConnectTimeout time.Duration
	ReadTimeout    time.Duration
	// S3AddressingStyle is "path", "virtual" or "auto" (the SDK's choice).
	S3AddressingStyle string
	// NoVerifySSL skips checking the server's TLS certificate, as boto3's
	// verify=False does; CABundle is a PEM file of the certificate
	// authorities to trust instead of the system's, as verify="path".
	NoVerifySSL bool
	CABundle    string
	// RequestMinCompressionSizeBytes and DisableRequestCompression are
	// boto3's options of the same names, for operations the model marks
	// compressible (CloudWatch PutMetricData): a body of at least that many
	// bytes (1 to 1048576) is sent gzipped. Unset (0, nil), they come from
	// AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES and
	// AWS_DISABLE_REQUEST_COMPRESSION or the profile's settings, else 10240
	// bytes and enabled.
	RequestMinCompressionSizeBytes int64
	DisableRequestCompression      *bool
}

// Client returns a client of a bundled service, by boto3's name ("s3").
func (s *Session) Client(service string, opts ...func(*ClientOptions)) (*Client, error) {
	svc, err := engineService(service)
	if err != nil {
		return nil, err
	}
	if err := s.policy.allowService(service); err != nil {
		return nil, err
	}
	var o ClientOptions
	for _, fn := range opts {
		fn(&o)
	}
	cfg := s.cfg.Copy()
	if o.Region != "" {
		cfg.Region = o.Region
	}
	if cfg.Region == "" {
		// Without it the SDK fails later, inside its endpoint rules.
		return nil, fmt.Errorf("client %s: no region: set AWS_REGION, a region in the profile, or the client's region", service)
	}
	if o.MaxAttempts > 0 {
		cfg.RetryMaxAttempts = o.MaxAttempts
	}
	if o.RetryMode != "" {
		mode, err := aws.ParseRetryMode(o.RetryMode)
		if err != nil {
			return nil, fmt.Errorf("client %s: %w", service, err)
		}
		cfg.RetryMode = mode
	}
	if err := o.checkTimeouts(); err != nil {
		return nil, fmt.Errorf("client %s: %w", service, err)
	}
	connect, read := o.effectiveTimeouts()
	if cfg.HTTPClient, err = s.httpClientFor(&o, connect, read); err != nil {
		return nil, fmt.Errorf("client %s: %w", service, err)
	}
	if err := requestCompression(&cfg, &o); err != nil {
		return nil, fmt.Errorf("client %s: %w", service, err)
	}
	switch o.S3AddressingStyle {
	case "", "auto", "path", "virtual":
	default:
		return nil, fmt.Errorf("client %s: S3 addressing style %q is not one of path, virtual, auto", service, o.S3AddressingStyle)
	}
	cfg.APIOptions = append(cfg.APIOptions[:len(cfg.APIOptions):len(cfg.APIOptions)], addAttemptCounter)
	endpoint := o.EndpointURL
	if endpoint != "" {
		if err := CheckEndpointURL(endpoint); err != nil {
			return nil, fmt.Errorf("client %s: %w", service, err)
		}
	}
	if endpoint == "" {
		endpoint = s.endpoints[service]
	}
	if endpoint == "" {
		endpoint = s.endpoint
	}
	if endpoint == "" {
		endpoint = configuredEndpoint(cfg, svc.ID)
		if err := CheckEndpointURL(endpoint); endpoint != "" && err != nil {
			return nil, fmt.Errorf("client %s: %w", service, err)
		}
	}
	e, err := newEngine(svc.model, cfg, endpoint, o)
	if err != nil {
		return nil, err
	}
	c := &Client{svc: svc, region: cfg.Region, policy: s.policy, engine: e, config: clientConfig(service, cfg, connect, read)}
	return c, nil
}

// configuredEndpoint is the endpoint the environment sets for a service, as
// aws-sdk-go-v2 and boto3 read it: AWS_ENDPOINT_URL_<SERVICE ID>, then
// AWS_ENDPOINT_URL (the configuration's BaseEndpoint).
func configuredEndpoint(cfg aws.Config, serviceID string) string {
	if v, _ := strconv.ParseBool(os.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")); v {
		return ""
	}
	name := "AWS_ENDPOINT_URL_" + strings.ToUpper(strings.ReplaceAll(serviceID, " ", "_"))
	if v := os.Getenv(name); v != "" {
		return v
	}
	if cfg.BaseEndpoint != nil {
		return *cfg.BaseEndpoint
	}
	return ""
}

// readTimeoutClient bounds every read of a response's body. The transport's
// ResponseHeaderTimeout ends only the wait for the headers: a body that
// stopped coming (get_object().Body:read()) hung the call, and the script,
// for good. The SDK's own BuildableClient.WithReadTimeout sets a deadline on
// every read of the connection, which also ends an upload that takes longer
// than the timeout to send (nothing comes back while it is sent), so this
// times the body's reads alone.
type readTimeoutClient struct {
	client  aws.HTTPClient
	timeout time.Duration
}

func (c readTimeoutClient) Do(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancel(req.Context())
	resp, err := c.client.Do(req.WithContext(ctx))
	if err != nil {
		cancel()
		return resp, err
	}
	resp.Body = &readTimeoutBody{body: resp.Body, timeout: c.timeout, cancel: cancel, url: req.URL.String()}
	return resp, nil
}

type readTimeoutBody struct {
	body    io.ReadCloser
	timeout time.Duration
	cancel  context.CancelFunc // ends the request, and so a read that waits
	url     string             // for the error, which names it
}

func (b *readTimeoutBody) Read(p []byte) (int, error) {
	timer := time.AfterFunc(b.timeout, b.cancel)
	n, err := b.body.Read(p)
	if !timer.Stop() && err != nil {
		// The SDK's error for it: a timeout, which its retryer retries.
		// The SDK's error for it: a timeout, which its retryer retries; in
		// a url.Error, as the transport's own errors are, to name the URL.
		return n, &url.Error{Op: "Read", URL: b.url, Err: &awshttp.ResponseTimeoutError{TimeoutDur: b.timeout}}
	}
	return n, err
}

func (b *readTimeoutBody) Close() error {
	err := b.body.Close()
	b.cancel()
	return err
}
