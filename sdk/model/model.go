// Package model holds botocore's service models as data: the bundle that
// internal/modelgen compiles from botocore's JSON, embedded in the binary,
// and the types a service decodes into on first use.
//
// The types mirror botocore's service-2.json, paginators-1.json and
// waiters-2.json with the documentation stripped, so that a reader who knows
// botocore's data knows these; the JSON tags are botocore's own keys.
package model

import "encoding/json"

// A Service is one service's model: its metadata, operations and shapes,
// with its paginators, waiters and endpoint rule set. Its shapes are
// decoded one by one when first asked for (Shape, LookupShape, Shapes). A
// Service is safe for concurrent use; callers must not modify it or what
// it returns.
type Service struct {
	// Name is boto3's name for the service ("s3", "cognito-idp").
	Name       string                `json:"-"`
	Metadata   Metadata              `json:"metadata"`
	Operations map[string]*Operation `json:"operations"`
	// shapes are botocore's "shapes", each decoded on first use: read
	// them with Shape, LookupShape and Shapes. The bundle tag tells
	// internal/modelgen to store them with an index.
	shapes *shapeTable `bundle:"shapes"`
	// ErrorCodes maps the name of each error shape (an exception, or a
	// shape with an error trait) to the code error responses give it: the
	// error trait's code, else the name. internal/modelgen computes it, so
	// that a client lists its errors without decoding shapes.
	ErrorCodes map[string]string `json:"errorCodes,omitempty"`
	// Paginators maps an operation's API name to its paginator.
	Paginators map[string]*Paginator `json:"paginators,omitempty"`
	// Waiters maps a waiter's API name ("BucketExists") to its definition.
	Waiters map[string]*Waiter `json:"waiters,omitempty"`
	// RuleSet is the endpoint rule set, compiled when the bundle was
	// generated: endpoint.ParseBinary reads it, several times faster than
	// endpoint.Parse reads botocore's JSON.
	RuleSet []byte `json:"ruleSet,omitempty"`
	// ClientContextParams declares the client settings the rule set reads
	// (S3's ForcePathStyle and the like), keyed by parameter name.
	ClientContextParams json.RawMessage `json:"clientContextParams,omitempty"`
}

// Metadata is a service model's metadata block.
type Metadata struct {
	APIVersion         string          `json:"apiVersion"`
	EndpointPrefix     string          `json:"endpointPrefix"`
	GlobalEndpoint     string          `json:"globalEndpoint,omitempty"`
	JSONVersion        string          `json:"jsonVersion,omitempty"`
	Protocol           string          `json:"protocol"`
	Protocols          []string        `json:"protocols,omitempty"`
	ServiceFullName    string          `json:"serviceFullName,omitempty"`
	ServiceID          string          `json:"serviceId"`
	SignatureVersion   string          `json:"signatureVersion,omitempty"`
	SigningName        string          `json:"signingName,omitempty"`
	TargetPrefix       string          `json:"targetPrefix,omitempty"`
	UID                string          `json:"uid,omitempty"`
	XMLNamespace       string          `json:"xmlNamespace,omitempty"`
	Auth               []string        `json:"auth,omitempty"`
	ChecksumFormat     string          `json:"checksumFormat,omitempty"`
	AWSQueryCompatible json.RawMessage `json:"awsQueryCompatible,omitempty"`
	ProtocolSettings   json.RawMessage `json:"protocolSettings,omitempty"`
}

// An Operation is one API operation.
type Operation struct {
	Name   string     `json:"name"`
	HTTP   HTTP       `json:"http"`
	Input  *ShapeRef  `json:"input,omitempty"`
	Output *ShapeRef  `json:"output,omitempty"`
	Errors []ShapeRef `json:"errors,omitempty"`
	// Endpoint carries the operation's hostPrefix.
	Endpoint *struct {
		HostPrefix string `json:"hostPrefix"`
	} `json:"endpoint,omitempty"`
	HTTPChecksum         *HTTPChecksum `json:"httpChecksum,omitempty"`
	HTTPChecksumRequired bool          `json:"httpChecksumRequired,omitempty"`
	RequestCompression   *struct {
		Encodings []string `json:"encodings"`
	} `json:"requestcompression,omitempty"`
	Auth                []string `json:"auth,omitempty"`
	AuthType            string   `json:"authtype,omitempty"`
	Readonly            bool     `json:"readonly,omitempty"`
	Idempotent          bool     `json:"idempotent,omitempty"`
	Deprecated          bool     `json:"deprecated,omitempty"`
	UnsignedPayload     bool     `json:"unsignedPayload,omitempty"`
	StaticContextParams map[string]struct {
		Value any `json:"value"`
	} `json:"staticContextParams,omitempty"`
	OperationContextParams map[string]struct {
		Path string `json:"path"`
	} `json:"operationContextParams,omitempty"`
	EndpointDiscovery json.RawMessage `json:"endpointdiscovery,omitempty"`
	// EndpointOperation marks the operation that endpoint discovery calls.
	EndpointOperation bool `json:"endpointoperation,omitempty"`
}

// HTTP is an operation's HTTP binding.
type HTTP struct {
	Method       string `json:"method"`
	RequestURI   string `json:"requestUri"`
	ResponseCode int    `json:"responseCode,omitempty"`
}

// HTTPChecksum is an operation's flexible-checksum settings.
type HTTPChecksum struct {
	RequestAlgorithmMember      string   `json:"requestAlgorithmMember,omitempty"`
	RequestChecksumRequired     bool     `json:"requestChecksumRequired,omitempty"`
	RequestValidationModeMember string   `json:"requestValidationModeMember,omitempty"`
	ResponseAlgorithms          []string `json:"responseAlgorithms,omitempty"`
}

// A ShapeRef points at a shape and carries the traits of the reference:
// a structure member, an operation's input or output, a list's member.
type ShapeRef struct {
	Shape            string        `json:"shape"`
	Location         string        `json:"location,omitempty"` // uri, querystring, header, headers, statusCode
	LocationName     string        `json:"locationName,omitempty"`
	QueryName        string        `json:"queryName,omitempty"`
	Flattened        bool          `json:"flattened,omitempty"`
	XMLNamespace     *XMLNamespace `json:"xmlNamespace,omitempty"`
	XMLAttribute     bool          `json:"xmlAttribute,omitempty"`
	IdempotencyToken bool          `json:"idempotencyToken,omitempty"`
	HostLabel        bool          `json:"hostLabel,omitempty"`
	JSONValue        bool          `json:"jsonvalue,omitempty"`
	Streaming        bool          `json:"streaming,omitempty"`
	EventPayload     bool          `json:"eventpayload,omitempty"`
	EventHeader      bool          `json:"eventheader,omitempty"`
	TimestampFormat  string        `json:"timestampFormat,omitempty"`
	ContextParam     *struct {
		Name string `json:"name"`
	} `json:"contextParam,omitempty"`
	ResultWrapper string `json:"resultWrapper,omitempty"` // on an operation's output
	Deprecated    bool   `json:"deprecated,omitempty"`
}

// XMLNamespace is an XML namespace trait. botocore writes it either as an
// object or as a plain URI string; both decode here.
type XMLNamespace struct {
	Prefix string `json:"prefix,omitempty"`
	URI    string `json:"uri"`
}

// UnmarshalJSON accepts botocore's two spellings.
func (n *XMLNamespace) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &n.URI)
	}
	type plain XMLNamespace
	return json.Unmarshal(b, (*plain)(n))
}

// A Shape is a named type of a service model.
type Shape struct {
	// Type is botocore's: structure, list, map, string, integer, long,
	// float, double, boolean, blob, timestamp, bigdecimal, biginteger.
	Type    string               `json:"type"`
	Members map[string]*ShapeRef `json:"members,omitempty"`
	// MemberOrder lists Members' names in the model's order, for protocols
	// and listings that need a stable order.
	MemberOrder []string `json:"memberOrder,omitempty"`
	// XMLOrder is the element order a few rest-xml structures require.
	XMLOrder        []string        `json:"xmlOrder,omitempty"`
	Required        []string        `json:"required,omitempty"`
	Payload         string          `json:"payload,omitempty"`
	Member          *ShapeRef       `json:"member,omitempty"` // list
	Key             *ShapeRef       `json:"key,omitempty"`    // map
	Value           *ShapeRef       `json:"value,omitempty"`  // map
	Enum            []string        `json:"enum,omitempty"`
	Min             *float64        `json:"min,omitempty"`
	Max             *float64        `json:"max,omitempty"`
	Pattern         string          `json:"pattern,omitempty"`
	Flattened       bool            `json:"flattened,omitempty"`
	LocationName    string          `json:"locationName,omitempty"`
	XMLNamespace    *XMLNamespace   `json:"xmlNamespace,omitempty"`
	TimestampFormat string          `json:"timestampFormat,omitempty"`
	Streaming       bool            `json:"streaming,omitempty"`
	RequiresLength  bool            `json:"requiresLength,omitempty"`
	EventStream     bool            `json:"eventstream,omitempty"`
	Event           bool            `json:"event,omitempty"`
	Exception       bool            `json:"exception,omitempty"`
	Fault           bool            `json:"fault,omitempty"`
	Error           *ErrorTrait     `json:"error,omitempty"`
	Union           bool            `json:"union,omitempty"`
	Document        bool            `json:"document,omitempty"`
	Sensitive       bool            `json:"sensitive,omitempty"`
	Sparse          bool            `json:"sparse,omitempty"`
	Wrapper         bool            `json:"wrapper,omitempty"`
	Retryable       json.RawMessage `json:"retryable,omitempty"`
	Deprecated      bool            `json:"deprecated,omitempty"`
}

// ErrorTrait is an error shape's code and status.
type ErrorTrait struct {
	Code           string `json:"code,omitempty"`
	HTTPStatusCode int    `json:"httpStatusCode,omitempty"`
	SenderFault    bool   `json:"senderFault,omitempty"`
}

// A Paginator is one entry of paginators-1.json. InputToken, OutputToken
// and ResultKey may each be one string or a list in botocore's data; here
// they are always lists.
type Paginator struct {
	InputToken       []string `json:"input_token"`
	OutputToken      []string `json:"output_token"`
	LimitKey         string   `json:"limit_key,omitempty"`
	MoreResults      string   `json:"more_results,omitempty"`
	ResultKey        []string `json:"result_key,omitempty"`
	NonAggregateKeys []string `json:"non_aggregate_keys,omitempty"`
}

// A Waiter is one entry of waiters-2.json.
type Waiter struct {
	Operation   string     `json:"operation"`
	Delay       int        `json:"delay"`
	MaxAttempts int        `json:"maxAttempts"`
	Acceptors   []Acceptor `json:"acceptors"`
}

// An Acceptor is one rule of a waiter: when Matcher (path, pathAll,
// pathAny, status, error) sees Expected, the waiter takes State (success,
// failure, retry).
type Acceptor struct {
	Matcher  string `json:"matcher"`
	Argument string `json:"argument,omitempty"`
	Expected any    `json:"expected"`
	State    string `json:"state"`
}
