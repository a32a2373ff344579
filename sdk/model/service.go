package model

// Operation returns the operation with the given API name ("ListObjectsV2").
func (s *Service) Operation(name string) (*Operation, bool) {
	op, ok := s.Operations[name]
	return op, ok && op != nil
}

// supportedProtocols are the protocols botocore speaks, in the order it
// prefers them when a model lists several (botocore's
// PRIORITY_ORDERED_SUPPORTED_PROTOCOLS): JSON before CBOR, so the services
// that also offer rpcv2Cbor speak JSON from boto3.
var supportedProtocols = [...]string{"json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2"}

// Protocol is the wire protocol boto3 uses for the service: the first of
// botocore's protocols, in botocore's order of preference, that the model
// lists in metadata.protocols; metadata.protocol when it lists none (or
// none botocore speaks, where botocore itself would refuse the service).
func (s *Service) Protocol() string {
	for _, p := range supportedProtocols {
		for _, q := range s.Metadata.Protocols {
			if p == q {
				return p
			}
		}
	}
	return s.Metadata.Protocol
}
