// Package protocol serializes requests and parses responses of any botocore
// service model with smithy-go's schema-driven protocol codecs, carrying
// dynamic Go values instead of generated types.
//
// New builds a Codec for a service; the Codec picks the protocol boto3 would
// (Resolve), turns the model's shapes into smithy schemas on an operation's
// first use (translating botocore's conventions into Smithy traits), and
// drives the smithy-go ClientProtocol with the dynamic values:
//
//	c, err := protocol.New(svc)
//	err = c.SerializeRequest(ctx, op, input, req)
//	out, err := c.DeserializeResponse(ctx, op, resp) // or *ServiceError
//
// # Dynamic values
//
// Input, by the shape's type (anything else is an error naming the path):
//
//	structure   map[string]any keyed by member name; nil values are absent
//	union       map[string]any with exactly one non-nil member
//	list        []any (or any Go slice); nil items are sent as null
//	map         map[string]any (or any map keyed by string)
//	string      string (jsonvalue headers: any value json.Marshal takes)
//	boolean     bool
//	integers    any Go integer, json.Number, or a float holding an integer
//	float       float64, float32, any integer, json.Number, "NaN", "Infinity", "-Infinity"
//	timestamp   time.Time, epoch seconds as a number, or ISO 8601 / HTTP date text
//	blob        []byte or string; a streaming payload also takes an io.Reader
//	bigdecimal  *big.Float, *big.Rat, *big.Int, decimal text, or a number
//	biginteger  *big.Int, decimal text, or an integer
//	document    any value encoding/json marshals
//
// Output, by the shape's type; members absent from the response are absent
// from the map:
//
//	structure   map[string]any keyed by member name
//	union       map[string]any with the one member that was set
//	list        []any (nulls dropped unless the list is sparse)
//	map         map[string]any
//	string      string (jsonvalue headers: the decoded JSON value)
//	boolean     bool
//	byte, short, integer, long   int64
//	float, double                float64
//	timestamp   time.Time in UTC
//	blob        []byte (empty, not nil, when present but empty)
//	streaming blob payload   the body, an io.ReadCloser, unread
//	event stream             *EventStream, reading the body event by event
//	bigdecimal  *big.Float (256-bit mantissa)
//	biginteger  *big.Int
//	document    map[string]any, []any, string, bool, nil, int64 or float64
//
// Errors come back as *ServiceError: botocore's code and message, the error
// shape's members as dynamic values, the HTTP status.
//
// # From botocore's model to Smithy schemas
//
// Schemas are built per operation, from the shapes it reaches, and kept per
// Codec. botocore's conventions become Smithy traits: location header,
// headers, uri, querystring (a map: httpQueryParams) and statusCode become
// the HTTP binding traits, on the operation's input and output and on error
// shapes; a shape's payload becomes httpPayload on that member; locationName
// becomes jsonName (restJson), xmlName (restXml, awsQuery, ec2Query) or the
// member's wire name (awsJson, rpcv2Cbor, which ignore jsonName), and URI
// labels naming a locationName are rewritten to the member name, greedy
// labels kept; queryName becomes ec2QueryName; flattened, xmlAttribute and
// xmlNamespace (of the reference or its target, as botocore merges them) go
// on the member, the input reference's locationName and xmlNamespace on the
// restXml root; timestampFormat iso8601, rfc822 and unixTimestamp become
// date-time, http-date and epoch-seconds; jsonvalue headers get a JSON media
// type; streaming blobs and event streams get streaming, eventheader and
// eventpayload members eventHeader and eventPayload; error shapes get
// error, httpError and awsQueryError (their code). awsQuery reads the
// result from <OperationNameResult>, which is every model's resultWrapper.
//
// HostPrefix expands an operation's hostPrefix for the caller, who owns the
// endpoint. Not done here, as botocore does not do them in its serializers
// either: idempotency tokens and checksums. Event streams are read on
// output only, as boto3 reads them; as input they are refused.
//
// smithy-go's bugs met on the way, and the places where boto3 differs from
// Smithy's protocols and the codec follows boto3, are in fixes.go, one
// function per case.
package protocol
