package endpoint

import (
	"os"
	"path/filepath"
	"testing"
)

// testPartitions is a small partitions.json, so that the fuzz targets need
// no botocore.
const testPartitions = `{"version":"1.1","partitions":[
{"id":"aws","regionRegex":"^(us|eu)\\-\\w+\\-\\d+$","regions":{"us-east-1":{"description":"x"},"aws-global":{}},
 "outputs":{"dnsSuffix":"amazonaws.com","dualStackDnsSuffix":"api.aws","supportsFIPS":true,"supportsDualStack":true,"implicitGlobalRegion":"us-east-1"}},
{"id":"aws-cn","regionRegex":"^cn\\-\\w+\\-\\d+$","regions":{"cn-north-1":{"supportsFIPS":false}},
 "outputs":{"dnsSuffix":"amazonaws.com.cn","supportsFIPS":true,"supportsDualStack":true}}]}`

// allFunctions is a rule set that calls every function on its inputs.
const allFunctions = `{"version":"1.0","parameters":{
 "Region":{"type":"string","builtIn":"AWS::Region"},
 "Bucket":{"type":"string"},
 "Endpoint":{"type":"string","builtIn":"SDK::Endpoint"},
 "UseFIPS":{"type":"boolean","required":true,"default":false},
 "Ids":{"type":"stringArray","default":["a"]}},
"rules":[
 {"type":"tree","conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]},{"fn":"parseURL","argv":[{"ref":"Endpoint"}],"assign":"url"}],
  "rules":[{"type":"endpoint","conditions":[{"fn":"booleanEquals","argv":[{"fn":"getAttr","argv":[{"ref":"url"},"isIp"]},false]}],
    "endpoint":{"url":"{url#scheme}://{Bucket}.{url#authority}{url#normalizedPath}","properties":{"p":"{url#path}"},"headers":{}}},
   {"type":"error","conditions":[],"error":"ip {url#authority}"}]},
 {"type":"tree","conditions":[{"fn":"isSet","argv":[{"ref":"Bucket"}]},{"fn":"aws.parseArn","argv":[{"ref":"Bucket"}],"assign":"arn"},
   {"fn":"getAttr","argv":[{"ref":"arn"},"resourceId[1]"],"assign":"name"}],
  "rules":[{"type":"endpoint","conditions":[{"fn":"isValidHostLabel","argv":[{"ref":"name"},true]},{"fn":"aws.partition","argv":[{"fn":"getAttr","argv":[{"ref":"arn"},"region"]}],"assign":"p"}],
    "endpoint":{"url":"https://{name}-{arn#accountId}.{arn#region}.{p#dnsSuffix}","headers":{"x-id":["{arn#resourceId[0]}",{"fn":"uriEncode","argv":[{"ref":"name"}]}]}}},
   {"type":"error","conditions":[],"error":"bad arn {Bucket}"}]},
 {"type":"tree","conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]},{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"PartitionResult"}],
  "rules":[
   {"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Bucket"}]},{"fn":"aws.isVirtualHostableS3Bucket","argv":[{"ref":"Bucket"},false]},
     {"fn":"substring","argv":[{"ref":"Bucket"},0,3,true],"assign":"tail"},{"fn":"not","argv":[{"fn":"stringEquals","argv":[{"ref":"tail"},"{{}}"]}]},
     {"fn":"getAttr","argv":[{"ref":"Ids"},"[0]"],"assign":"id"}],
    "endpoint":{"url":"https://{Bucket}.s3.{Region}.{PartitionResult#dnsSuffix}","properties":{"authSchemes":[{"name":"sigv4","signingRegion":"{Region}","disableDoubleEncoding":true,"signingRegionSet":["*"],"n":1}],"tail":"{tail}-{id}"}}},
   {"type":"endpoint","conditions":[{"fn":"booleanEquals","argv":[{"ref":"UseFIPS"},true]}],"endpoint":{"url":"https://s3-fips.{Region}.{PartitionResult#dnsSuffix}"}},
   {"type":"endpoint","conditions":[],"endpoint":{"url":{"ref":"Region"}}}]},
 {"type":"error","conditions":[],"error":"Invalid Configuration: Missing Region"}]}`

// FuzzResolve drives every library function with arbitrary strings.
func FuzzResolve(f *testing.F) {
	parts, err := ParsePartitions([]byte(testPartitions))
	if err != nil {
		f.Fatal(err)
	}
	rs, err := Parse([]byte(allFunctions), parts)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("us-west-2", "my-bucket", "", false)
	f.Add("cn-north-1", "arn:aws:s3:cn-north-1:123456789012:accesspoint/my.ap", "", true)
	f.Add("", "b", "http://10.0.0.1:80/a/b", false)
	f.Add("", "b", "https://[::1]/", false)
	f.Add("eu-west-1", "résumé", "https://example.com?q", false)
	f.Fuzz(func(t *testing.T, region, bucket, endpoint string, fips bool) {
		params := map[string]any{"Bucket": bucket, "UseFIPS": fips}
		if region != "" {
			params["Region"] = region
		}
		if endpoint != "" {
			params["Endpoint"] = endpoint
		}
		ep, err := rs.Resolve(params)
		if err == nil && ep.URL == "" && region != "" {
			t.Errorf("Resolve(%v): empty URL", params)
		}
		ep.AuthSchemes()
	})
}

// FuzzParse feeds Parse arbitrary rule sets and resolves those it accepts.
// Its seeds are kilobytes long, so pass -fuzzminimizetime=2s or so: the
// default minute of minimizing each new input looks like a hang.
func FuzzParse(f *testing.F) {
	parts, err := ParsePartitions([]byte(testPartitions))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(allFunctions))
	f.Add([]byte(`{"parameters":{"X":{"type":"string"}},"rules":[{"type":"error","conditions":[],"error":"{X}}}{{"}]}`))
	if d := os.Getenv("BOTOCORE_DATA"); d != "" {
		if data, err := os.ReadFile(filepath.Join(d, "partitions.json")); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if rs, err := Parse(data, parts); err == nil {
			exercise(rs)
		}
	})
}

// FuzzParsePartitions checks that bad partitions.json is an error.
func FuzzParsePartitions(f *testing.F) {
	f.Add([]byte(testPartitions))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePartitions(data)
		if err != nil {
			return
		}
		p.lookup("us-east-1")
		p.lookup("")
	})
}

// FuzzParseBinary checks that damaged binary rule sets are errors, and
// that whatever reads resolves without a panic.
func FuzzParseBinary(f *testing.F) {
	parts, err := ParsePartitions([]byte(testPartitions))
	if err != nil {
		f.Fatal(err)
	}
	rs, err := Parse([]byte(allFunctions), parts)
	if err != nil {
		f.Fatal(err)
	}
	seed, err := rs.AppendBinary(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		if rs, err := ParseBinary(data, parts); err == nil {
			exercise(rs)
		}
	})
}

// fuzzParams are the parameters the fuzzers resolve a rule set they
// accepted with: none, S3-like ones, and some of other types.
var fuzzParams = []map[string]any{
	{},
	{"Region": "us-east-1", "Bucket": "arn:aws:s3:us-east-1:1:a/b", "Endpoint": "https://a.b/c", "UseFIPS": true},
	{"X": "x", "Ids": []string{"a", "b"}},
	{"Region": "us-west-2", "Bucket": "my-bucket", "Ids": []string{"a", "b"}},
}

// exercise uses every part of an accepted rule set, for the fuzzers: any
// panic fails them.
func exercise(rs *RuleSet) {
	rs.Parameters()
	for _, p := range fuzzParams {
		ep, _ := rs.Resolve(p)
		ep.AuthSchemes()
	}
}
