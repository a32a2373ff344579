package sdk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/auth/bearer"
	"github.com/aws/smithy-go/aws-http-auth/sigv4a"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/private/requestcompression"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/awslua/awslua/sdk/endpoint"
	"github.com/awslua/awslua/sdk/model"
	"github.com/awslua/awslua/sdk/protocol"
)

// An engine makes the calls of one model-driven client, as botocore does:
// the request is serialized from the model by the protocol layer, sent to
// the endpoint the service's rule set resolves, signed, retried and parsed,
// on a smithy-go middleware stack built of aws-sdk-go-v2's public pieces.
type engine struct {
	svc      *model.Service
	codec    *protocol.Codec
	cfg      aws.Config
	endpoint string // the endpoint_url the user gave, "" for the rule set's
	retryer  aws.Retryer
	signer   *v4.Signer
	opts     ClientOptions
	// signerV4a keeps the keys it derives from the credentials, so it is
	// made with the client.
	signerV4a *sigv4a.Signer
	// bearer authorizes the requests instead of a signature when the
	// model and the configuration say so (bearerTokens).
	bearer bearer.TokenProvider

	endpoints     sync.Map // endpointKey -> endpoint.Endpoint
	endpointCount atomic.Int64
}

func newEngine(svc *model.Service, cfg aws.Config, endpointURL string, o ClientOptions) (*engine, error) {
	codec, err := protocol.New(svc)
	if err != nil {
		return nil, fmt.Errorf("client %s: %w", svc.Name, err)
	}
	e := &engine{svc: svc, codec: codec, cfg: cfg, endpoint: endpointURL, opts: o, signer: v4.NewSigner(), signerV4a: sigv4a.New()}
	e.bearer = bearerTokens(svc, e.signingName(), cfg.BearerAuthTokenProvider)
	attempts := func(so *retry.StandardOptions) {
		if cfg.RetryMaxAttempts > 0 {
			so.MaxAttempts = cfg.RetryMaxAttempts
		}
	}
	switch {
	case cfg.Retryer != nil:
		e.retryer = cfg.Retryer()
	case cfg.RetryMode == aws.RetryModeAdaptive:
		e.retryer = retry.NewAdaptiveMode(func(ao *retry.AdaptiveModeOptions) {
			ao.StandardOptions = append(ao.StandardOptions, attempts)
		})
	default:
		e.retryer = retry.NewStandard(attempts)
	}
	return e, nil
}

// ruleSet returns the service's endpoint rules, parsed on the first call
// of any of its clients, not when a client is made: a script that makes
// clients it never calls pays nothing, and clients share them.
func (e *engine) ruleSet() (*endpoint.RuleSet, error) {
	type parsed struct {
		rules *endpoint.RuleSet
		err   error
	}
	if p, ok := ruleSets.Load(e.svc); ok {
		return p.(parsed).rules, p.(parsed).err
	}
	parts, err := partitions()
	if err != nil {
		return nil, err
	}
	rules, err := endpoint.ParseBinary(e.svc.RuleSet, parts)
	if err != nil {
		err = fmt.Errorf("%s's endpoint rules: %w", e.svc.Name, err)
	}
	p, _ := ruleSets.LoadOrStore(e.svc, parsed{rules, err})
	return p.(parsed).rules, p.(parsed).err
}

// ruleSets holds each service's parsed endpoint rules.
var ruleSets sync.Map // *model.Service -> parsed

// partitions are botocore's, parsed once for every service.
var partitions = sync.OnceValues(func() (*endpoint.Partitions, error) {
	p, err := endpoint.ParsePartitions(model.Partitions())
	if err != nil {
		return nil, fmt.Errorf("the bundled partitions: %w", err)
	}
	return p, nil
})

// builtIns gives the client's value of each endpoint builtIn it sets.
func (e *engine) builtIns(rs *endpoint.RuleSet, region string) map[string]any {
	params := map[string]any{}
	for _, p := range rs.Parameters() {
		switch p.BuiltIn {
		case "AWS::Region":
			params[p.Name] = region
		case "SDK::Endpoint":
			if e.endpoint != "" {
				params[p.Name] = e.endpoint
			}
		case "AWS::UseFIPS", "AWS::UseDualStack", "AWS::S3::Accelerate", "AWS::S3::DisableMultiRegionAccessPoints", "AWS::STS::UseGlobalEndpoint":
			params[p.Name] = false
		case "AWS::S3::ForcePathStyle":
			params[p.Name] = e.opts.S3AddressingStyle == "path"
		}
	}
	return params
}

// resolve finds the endpoint of one request from the rule set, with the
// client's settings for the builtIns and the input for the context
// parameters.
func (e *engine) resolve(op *model.Operation, input map[string]any) (endpoint.Endpoint, error) {
	return e.resolveIn(e.cfg.Region, op, input)
}

// resolveIn is resolve for another region than the client's: the source
// region of a cross-region copy.
func (e *engine) resolveIn(region string, op *model.Operation, input map[string]any) (endpoint.Endpoint, error) {
	rs, err := e.ruleSet()
	if err != nil {
		return endpoint.Endpoint{}, err
	}
	params := e.builtIns(rs, region)
	for name, v := range op.StaticContextParams {
		params[name] = v.Value
	}
	if in := e.svc.Shape(inputShape(op)); in != nil {
		for member, ref := range in.Members {
			if ref.ContextParam == nil {
				continue
			}
			if v, ok := input[member]; ok {
				params[ref.ContextParam.Name] = v
			}
		}
	}
	// Resolving S3's rules costs tens of microseconds, more than the rest
	// of a head_object's client side; a script repeats the same
	// parameters (its bucket, its prefix) call after call.
	key := endpointKey(params)
	if ep, ok := e.endpoints.Load(key); ok {
		return ep.(endpoint.Endpoint), nil
	}
	ep, err := rs.Resolve(params)
	if err != nil {
		return ep, err
	}
	if e.endpointCount.Add(1) > maxCachedEndpoints {
		e.endpoints.Clear()
		e.endpointCount.Store(0)
	}
	e.endpoints.Store(key, ep)
	return ep, nil
}

// maxCachedEndpoints bounds a client's endpoint cache: a script that
// touches a million keys must not keep a million endpoints.
const maxCachedEndpoints = 1024

// endpointKey is the cache key of a set of endpoint parameters.
func endpointKey(params map[string]any) string {
	var b strings.Builder
	for _, k := range sortedKeys(params) {
		fmt.Fprintf(&b, "%s=%v\x00", k, params[k])
	}
	return b.String()
}

func inputShape(op *model.Operation) string {
	if op.Input == nil {
		return ""
	}
	return op.Input.Shape
}

// call runs one operation and returns its output and response metadata.
func (e *engine) call(ctx context.Context, cl *call) (map[string]any, middleware.Metadata, error) {
	op, input := cl.op.model, cl.params
	ep, err := e.resolve(op, input)
	if err != nil {
		return nil, middleware.Metadata{}, err
	}
	stack := middleware.NewStack(op.Name, smithyhttp.NewStackRequest)
	steps := []func(*middleware.Stack) error{
		func(s *middleware.Stack) error {
			return s.Serialize.Add(&serializeStep{e: e, op: op, endpoint: ep}, middleware.After)
		},
		func(s *middleware.Stack) error {
			return s.Build.Add(&requestHandlersStep{call: cl}, middleware.After)
		},
		func(s *middleware.Stack) error {
			return s.Finalize.Add(&signStep{e: e, endpoint: ep}, middleware.After)
		},
		// Before signing, so that every attempt is signed anew.
		func(s *middleware.Stack) error {
			return retry.AddRetryMiddlewares(s, retry.AddRetryMiddlewaresOptions{
				Retryer:          e.retryer,
				LogRetryAttempts: e.cfg.ClientLogMode.IsRetries(),
			})
		},
		// v4.AddComputePayloadSHA256Middleware places it after the typed
		// clients' endpoint step, which this stack does not have.
		func(s *middleware.Stack) error {
			return s.Finalize.Insert(&v4.ComputePayloadSHA256{}, "Signing", middleware.Before)
		},
		func(s *middleware.Stack) error {
			return s.Deserialize.Add(&deserializeStep{e: e, call: cl}, middleware.After)
		},
		awsmiddleware.AddRawResponseToMetadata,
		func(s *middleware.Stack) error {
			return s.Deserialize.Insert(requestIDStep{}, "OperationDeserializer", middleware.Before)
		},
		awshttp.AddResponseErrorMiddleware,
		func(s *middleware.Stack) error {
			return s.Deserialize.Add(&smithyhttp.RequestResponseLogger{
				LogRequest:          e.cfg.ClientLogMode.IsRequest(),
				LogRequestWithBody:  e.cfg.ClientLogMode.IsRequestWithBody(),
				LogResponse:         e.cfg.ClientLogMode.IsResponse(),
				LogResponseWithBody: e.cfg.ClientLogMode.IsResponseWithBody(),
			}, middleware.After)
		},
	}
	if isS3Like(e.svc) {
		steps = append(steps, v4.AddContentSHA256HeaderMiddleware)
	}
	if rc := op.RequestCompression; rc != nil && !e.cfg.DisableRequestCompression {
		// After the serializer, before the payload is hashed and signed.
		steps = append(steps, func(s *middleware.Stack) error {
			return requestcompression.AddRequestCompression(s, false, e.cfg.RequestMinCompressSizeBytes, rc.Encodings)
		})
	}
	steps = append(steps, e.cfg.APIOptions...)
	for _, add := range steps {
		if err := add(stack); err != nil {
			return nil, middleware.Metadata{}, fmt.Errorf("building the %s request: %w", op.Name, err)
		}
	}
	if e.cfg.Logger != nil {
		ctx = middleware.SetLogger(ctx, e.cfg.Logger)
		if e.cfg.ClientLogMode.IsRequest() {
			e.cfg.Logger.Logf(logging.Debug, "calling %s %s", e.svc.Metadata.ServiceID, op.Name)
		}
	}
	client := e.cfg.HTTPClient
	if client == nil {
		client = awshttp.NewBuildableClient()
	}
	handler := middleware.DecorateHandler(smithyhttp.NewClientHandlerWithOptions(client), stack)
	out, md, err := handler.Handle(ctx, input)
	if err != nil {
		var api smithy.APIError
		if !errors.As(err, &api) {
			// As the typed clients say it: "operation error S3: PutObject, ...".
			err = &smithy.OperationError{ServiceID: e.svc.Metadata.ServiceID, OperationName: op.Name, Err: err}
		}
		return nil, md, err
	}
	m, _ := out.(map[string]any)
	return m, md, nil
}

// isS3Like reports whether a service wants the payload's hash in the
// X-Amz-Content-Sha256 header, as S3 and its relatives do.
func isS3Like(svc *model.Service) bool {
	return svc.Metadata.SignatureVersion == "s3" || svc.Metadata.SignatureVersion == "s3v4" || svc.Name == "s3control"
}

// serializeStep builds the HTTP request from the input.
type serializeStep struct {
	e        *engine
	op       *model.Operation
	endpoint endpoint.Endpoint
}

func (*serializeStep) ID() string { return "awslua.Serialize" }

func (s *serializeStep) HandleSerialize(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (middleware.SerializeOutput, middleware.Metadata, error) {
	req := in.Request.(*smithyhttp.Request)
	u, err := url.Parse(s.endpoint.URL)
	if err != nil {
		return middleware.SerializeOutput{}, middleware.Metadata{}, fmt.Errorf("endpoint %q: %w", s.endpoint.URL, err)
	}
	input, _ := in.Parameters.(map[string]any)
	if err := s.e.codec.SerializeRequest(ctx, s.op, input, req); err != nil {
		return middleware.SerializeOutput{}, middleware.Metadata{}, fmt.Errorf("serializing %s: %w", s.op.Name, err)
	}
	// The operation's path goes after the endpoint's: S3's rules put the
	// bucket there for path-style addressing.
	opPath, opRawPath := req.URL.Path, req.URL.RawPath
	if opRawPath == "" {
		opRawPath = req.URL.EscapedPath()
	}
	req.URL.Scheme, req.URL.Host = u.Scheme, u.Host
	req.URL.Path = smithyhttp.JoinPath(u.Path, opPath)
	req.URL.RawPath = smithyhttp.JoinPath(u.EscapedPath(), opRawPath)
	for k, vs := range s.endpoint.Headers {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	// botocore puts the operation's host prefix ("{AccountId}.") before
	// every endpoint's host, a custom one included.
	prefix, err := protocol.HostPrefix(s.e.svc, s.op, input)
	if err != nil {
		return middleware.SerializeOutput{}, middleware.Metadata{}, &ParamValidationError{Operation: s.op.Name, Problems: []string{err.Error()}}
	}
	req.URL.Host = prefix + req.URL.Host
	return next.HandleSerialize(ctx, in)
}

// requestHandlersStep runs the checksum and the handlers that change the
// serialized request, once, before the attempts are signed.
type requestHandlersStep struct{ call *call }

func (*requestHandlersStep) ID() string { return "awslua.RequestHandlers" }

func (s *requestHandlersStep) HandleBuild(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
	req := in.Request.(*smithyhttp.Request)
	if err := requestChecksum(s.call, req); err != nil {
		return middleware.BuildOutput{}, middleware.Metadata{}, err
	}
	for _, h := range handlersFor(s.call.op.svc.Name, s.call.op.Name) {
		if h.request != nil {
			if err := h.request(s.call, req); err != nil {
				return middleware.BuildOutput{}, middleware.Metadata{}, err
			}
		}
	}
	return next.HandleBuild(ctx, in)
}

// signStep signs each attempt with SigV4, under the signing name and
// region the endpoint's auth scheme gives, else the model's; with SigV4a
// where the endpoint's auth scheme asks for it; with SigV2 where the model
// does; or authorizes it with a bearer token (bearerTokens).
type signStep struct {
	e        *engine
	endpoint endpoint.Endpoint
}

// ID is the one aws-sdk-go-v2's retry middleware places itself before.
func (*signStep) ID() string { return "Signing" }

func (s *signStep) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
	req := in.Request.(*smithyhttp.Request)
	if s.e.bearer != nil {
		// boto3 sends the token over plain HTTP too (a local endpoint);
		// smithy-go's bearer signer refuses it.
		tok, err := s.e.bearer.RetrieveBearerToken(ctx)
		if err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("retrieving the authorization token: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+tok.Value)
		return next.HandleFinalize(ctx, in)
	}
	name, region, scheme := s.e.signing(s.endpoint, s.e.cfg.Region)
	if s.e.cfg.Credentials == nil || anonymous(s.e.cfg.Credentials) {
		return next.HandleFinalize(ctx, in)
	}
	creds, err := s.e.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("retrieving credentials: %w", err)
	}
	if s.e.svc.Metadata.SignatureVersion == "v2" {
		if err := signV2(req, creds, time.Now()); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
		return next.HandleFinalize(ctx, in)
	}
	hash := v4.GetPayloadHash(ctx)
	if scheme.Name == "sigv4a" {
		if err := signV4a(s.e.signerV4a, req.Request, creds, name, scheme, hash, time.Now().UTC()); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
		return next.HandleFinalize(ctx, in)
	}
	err = s.e.signer.SignHTTP(ctx, creds, req.Request, hash, name, region, time.Now().UTC(), func(o *v4.SignerOptions) {
		o.DisableURIPathEscaping = scheme.DisableDoubleEncoding || isS3Like(s.e.svc)
		o.Logger = s.e.cfg.Logger
		o.LogSigning = s.e.cfg.ClientLogMode.IsSigning()
	})
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("signing the request: %w", err)
	}
	return next.HandleFinalize(ctx, in)
}

// signing returns the name and region to sign for, from the endpoint's
// auth scheme where it has one, else from the model and the client.
func (e *engine) signing(ep endpoint.Endpoint, clientRegion string) (name, region string, scheme endpoint.AuthScheme) {
	name, region = e.signingName(), clientRegion
	if schemes := ep.AuthSchemes(); len(schemes) > 0 {
		scheme = schemes[0]
	}
	if scheme.SigningName != "" {
		name = scheme.SigningName
	}
	if scheme.SigningRegion != "" {
		region = scheme.SigningRegion
	}
	return name, region, scheme
}

// signingName is the model's name to sign for, when the endpoint's auth
// scheme names none.
func (e *engine) signingName() string {
	if n := e.svc.Metadata.SigningName; n != "" {
		return n
	}
	return e.svc.Metadata.EndpointPrefix
}

func anonymous(p aws.CredentialsProvider) bool {
	_, ok := p.(aws.AnonymousCredentials)
	return ok
}

// deserializeStep parses the response into the output, or the error the
// service sent.
type deserializeStep struct {
	e    *engine
	call *call
}

// ID is the one aws-sdk-go-v2's request-id and error middleware place
// themselves around.
func (*deserializeStep) ID() string { return "OperationDeserializer" }

func (d *deserializeStep) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
	out, md, err := next.HandleDeserialize(ctx, in)
	if err != nil {
		return out, md, err
	}
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok {
		return out, md, fmt.Errorf("unexpected response %T", out.RawResponse)
	}
	for _, h := range handlersFor(d.call.op.svc.Name, d.call.op.Name) {
		if h.response != nil {
			if err := h.response(d.call, resp); err != nil {
				return out, md, err
			}
		}
	}
	result, err := d.e.codec.DeserializeResponse(ctx, d.call.op.model, resp)
	if err != nil {
		var se *protocol.ServiceError
		if errors.As(err, &se) {
			return out, md, se
		}
		if resp.StatusCode >= 300 {
			// Not an AWS error body: an HTML page of a proxy, a load
			// balancer or a wrong endpoint. boto3 makes the status its code.
			return out, md, &protocol.ServiceError{Code: strconv.Itoa(resp.StatusCode), Message: http.StatusText(resp.StatusCode), StatusCode: resp.StatusCode}
		}
		return out, md, &smithyDeserializationError{err}
	}
	out.Result = result
	return out, md, nil
}

// requestIDStep reads the request id of a response. aws-sdk-go-v2's
// RequestIDRetriever misses S3's x-amz-request-id header, which its typed
// S3 client reads with middleware of its own; this one reads every
// service's. Its ID is the one aws-sdk-go-v2's error wrapper places itself
// before, to put the id in the error.
type requestIDStep struct{}

func (requestIDStep) ID() string { return "RequestIDRetriever" }

func (requestIDStep) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
	out, md, err := next.HandleDeserialize(ctx, in)
	id := ""
	if resp, ok := out.RawResponse.(*smithyhttp.Response); ok {
		for _, h := range []string{"X-Amzn-Requestid", "X-Amz-Request-Id", "X-Amz-Requestid"} {
			if id = resp.Header.Get(h); id != "" {
				break
			}
		}
	}
	var se *protocol.ServiceError
	if id == "" && errors.As(err, &se) {
		id = se.RequestID // query protocols send it in the body
	}
	if id != "" {
		awsmiddleware.SetRequestIDMetadata(&md, id)
	}
	return out, md, err
}

type smithyDeserializationError struct{ err error }

func (e *smithyDeserializationError) Error() string {
	return "the response could not be read: " + e.err.Error()
}
func (e *smithyDeserializationError) Unwrap() error { return e.err }

// invoke makes a prepared call and its Result, counting attempts as
// ResponseMetadata.RetryAttempts reports them.
func (e *engine) invoke(ctx context.Context, svc *Service, cl *call) (*Result, error) {
	for _, h := range handlersFor(svc.Name, cl.op.Name) {
		if h.send != nil {
			if err := h.send(ctx, cl, e); err != nil {
				return nil, err
			}
		}
	}
	attempts := 0
	ctx = context.WithValue(ctx, attemptsKey{}, &attempts)
	out, md, err := e.call(ctx, cl)
	if err != nil {
		return nil, wrapError(svc, cl.op, err, attempts)
	}
	if out == nil {
		out = map[string]any{}
	}
	wrapEventStreams(svc, cl.op, out)
	for _, h := range handlersFor(svc.Name, cl.op.Name) {
		if h.output != nil {
			h.output(cl, out)
		}
	}
	return &Result{Operation: cl.op, Output: out, Metadata: responseMetadata(md, attempts)}, nil
}

// endpointURL is the endpoint the client sends an operation without
// context parameters to, for client.meta.endpoint_url.
func (e *engine) endpointURL() string {
	if e.endpoint != "" {
		return e.endpoint
	}
	rs, err := e.ruleSet()
	if err != nil {
		return ""
	}
	params := e.builtIns(rs, e.cfg.Region)
	ep, err := rs.Resolve(params)
	if err != nil {
		return ""
	}
	return ep.URL
}

// presign signs a request for op into its URL, as botocore's
// generate_presigned_url does: the body is not signed (a form body goes
// into the query string, and the method becomes GET), and the signature
// is valid for expires (15 minutes when zero; at most 7 days). region is
// where the request goes, "" for the client's; extra is added to the query
// before signing.
func (e *engine) presign(ctx context.Context, cl *call, expires time.Duration, region string, extra url.Values) (*PresignedRequest, error) {
	op, input := cl.op.model, cl.params
	if e.svc.Metadata.SignatureVersion == "v2" {
		// botocore has no query form of SigV2 either.
		return nil, fmt.Errorf("presigning %s: %s signs with Signature Version 2, which has no presigned URLs", op.Name, e.svc.Name)
	}
	if expires <= 0 {
		expires = 15 * time.Minute
	}
	if expires > 7*24*time.Hour {
		return nil, fmt.Errorf("a presigned URL is valid for at most 7 days (604800 seconds), not %v", expires)
	}
	if region == "" {
		region = e.cfg.Region
	}
	ep, err := e.resolveIn(region, op, input)
	if err != nil {
		return nil, err
	}
	req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	step := &serializeStep{e: e, op: op, endpoint: ep}
	_, _, err = step.HandleSerialize(ctx, middleware.SerializeInput{Request: req, Parameters: input},
		middleware.SerializeHandlerFunc(func(context.Context, middleware.SerializeInput) (middleware.SerializeOutput, middleware.Metadata, error) {
			return middleware.SerializeOutput{}, middleware.Metadata{}, nil
		}))
	if err != nil {
		return nil, err
	}
	q := req.URL.Query()
	payloadHash := "UNSIGNED-PAYLOAD"
	if !isS3Like(e.svc) {
		// The query protocols' form body goes into the URL, and what is
		// signed is then an empty body.
		if strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") && req.GetStream() != nil {
			body, err := io.ReadAll(req.GetStream())
			if err != nil {
				return nil, fmt.Errorf("presigning %s: %w", op.Name, err)
			}
			form, err := url.ParseQuery(string(body))
			if err != nil {
				return nil, fmt.Errorf("presigning %s: %w", op.Name, err)
			}
			for k, vs := range form {
				q[k] = vs
			}
			req, _ = req.SetStream(nil)
			req.Method = http.MethodGet
			req.Header.Del("Content-Type")
			req.ContentLength = 0
		}
		payloadHash = emptySHA256
	}
	for k, vs := range extra {
		q[k] = vs
	}
	q.Set("X-Amz-Expires", strconv.FormatInt(int64(expires/time.Second), 10))
	req.URL.RawQuery = q.Encode()
	name, signRegion, scheme := e.signing(ep, region)
	if e.cfg.Credentials == nil {
		return nil, fmt.Errorf("presigning %s: no credentials", op.Name)
	}
	creds, err := e.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("retrieving credentials: %w", err)
	}
	hr := req.Build(ctx)
	if scheme.Name == "sigv4a" {
		if err := presignV4a(e.signerV4a, hr, creds, name, scheme, payloadHash, time.Now().UTC()); err != nil {
			return nil, fmt.Errorf("presigning %s: %w", op.Name, err)
		}
		header := http.Header{}
		for k, vs := range hr.Header {
			if strings.HasPrefix(strings.ToLower(k), "x-amz-") {
				header[k] = vs
			}
		}
		return &PresignedRequest{URL: hr.URL.String(), Method: hr.Method, SignedHeader: header}, nil
	}
	signed, header, err := e.signer.PresignHTTP(ctx, creds, hr, payloadHash, name, signRegion, time.Now().UTC(), func(o *v4.SignerOptions) {
		o.DisableURIPathEscaping = scheme.DisableDoubleEncoding || isS3Like(e.svc)
	})
	if err != nil {
		return nil, fmt.Errorf("presigning %s: %w", op.Name, err)
	}
	return &PresignedRequest{URL: signed, Method: hr.Method, SignedHeader: header}, nil
}

// emptySHA256 is the hex SHA-256 of no bytes.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
