package endpoint_test

import (
	"fmt"

	"github.com/awslua/awslua/sdk/endpoint"
)

func Example() {
	// In the engine both come from the model bundle; the partitions are
	// parsed once per process, a rule set on a client's first use.
	parts, err := endpoint.ParsePartitions([]byte(`{"partitions": [{"id": "aws",
		"regionRegex": "^(us|eu)\\-\\w+\\-\\d+$", "regions": {},
		"outputs": {"dnsSuffix": "amazonaws.com", "supportsFIPS": true}}]}`))
	if err != nil {
		panic(err)
	}
	rs, err := endpoint.Parse([]byte(`{"version": "1.0",
		"parameters": {
			"Region": {"type": "string", "builtIn": "AWS::Region"},
			"UseFIPS": {"type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false}},
		"rules": [
			{"type": "tree", "conditions": [
				{"fn": "isSet", "argv": [{"ref": "Region"}]},
				{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
			 "rules": [
				{"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
				 "endpoint": {"url": "https://svc-fips.{Region}.{p#dnsSuffix}"}},
				{"type": "endpoint", "conditions": [],
				 "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}",
					"properties": {"authSchemes": [{"name": "sigv4", "signingName": "svc", "signingRegion": "{Region}"}]}}}]},
			{"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}]}`), parts)
	if err != nil {
		panic(err)
	}
	for _, p := range rs.Parameters() {
		fmt.Printf("%s feeds %s (default %v)\n", p.BuiltIn, p.Name, p.Default)
	}
	ep, err := rs.Resolve(map[string]any{"Region": "eu-west-1"})
	fmt.Println(ep.URL, ep.AuthSchemes()[0].SigningRegion, err)
	_, err = rs.Resolve(nil)
	fmt.Println(err)
	// Output:
	// AWS::Region feeds Region (default <nil>)
	// AWS::UseFIPS feeds UseFIPS (default false)
	// https://svc.eu-west-1.amazonaws.com eu-west-1 <nil>
	// Invalid Configuration: Missing Region
}
