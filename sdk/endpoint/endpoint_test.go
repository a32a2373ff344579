package endpoint

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/awslua/awslua/sdk/model"
)

// vectorsDir holds botocore's endpoint test vectors, one directory per
// service; shared/ sits beside the project's root.
const vectorsDir = "../../../shared/testdata/botocore-1.43.11/tests/functional/endpoint-rules"

// ruleSetFor returns a service's endpoint rule set from the bundle the
// engine uses, so that the vectors test what ships.
func ruleSetFor(t testing.TB, service string) []byte {
	t.Helper()
	svc, err := model.Load(service)
	if err != nil {
		t.Fatal(err)
	}
	return svc.RuleSet
}

func partitionsJSON(t testing.TB) []byte {
	t.Helper()
	return model.Partitions()
}

func loadPartitions(t testing.TB) *Partitions {
	t.Helper()
	p, err := ParsePartitions(partitionsJSON(t))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type testCase struct {
	Documentation string         `json:"documentation"`
	Params        map[string]any `json:"params"`
	Expect        struct {
		Error    *string `json:"error"`
		Endpoint *struct {
			URL        string              `json:"url"`
			Headers    map[string][]string `json:"headers"`
			Properties map[string]any      `json:"properties"`
		} `json:"endpoint"`
	} `json:"expect"`
}

// TestVectors runs every case of botocore's endpoint test vectors for every
// service on the case's params.
func TestVectors(t *testing.T) {
	entries, err := os.ReadDir(vectorsDir)
	if os.IsNotExist(err) {
		t.Skipf("no test vectors: %s is missing (shared/ belongs beside the project root)", vectorsDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	parts := loadPartitions(t)
	var passed, total, services int
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		service := e.Name()
		services++
		t.Run(service, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(vectorsDir, service, "endpoint-tests-1.json"))
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				TestCases []testCase `json:"testCases"`
			}
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			total += len(doc.TestCases)
			rs, err := ParseBinary(ruleSetFor(t, service), parts)
			if err != nil {
				t.Fatalf("ParseBinary: %v", err)
			}
			for i, tc := range doc.TestCases {
				if msg := check(rs, tc); msg != "" {
					t.Errorf("case %d (%s), params %v: %s", i, tc.Documentation, tc.Params, msg)
					continue
				}
				passed++
			}
		})
	}
	t.Logf("%d/%d cases passed, %d services", passed, total, services)
}

// check runs one case and describes how it failed, or returns "".
func check(rs *RuleSet, tc testCase) string {
	ep, err := rs.Resolve(tc.Params)
	if want := tc.Expect.Error; want != nil {
		if err == nil {
			return "got endpoint " + ep.URL + ", want error " + *want
		}
		if err.Error() != *want {
			return "got error " + err.Error() + ", want " + *want
		}
		if _, ok := err.(*Error); !ok {
			return "error is not an *Error"
		}
		return ""
	}
	want := tc.Expect.Endpoint
	if err != nil {
		return "got error " + err.Error() + ", want " + want.URL
	}
	if ep.URL != want.URL {
		return "got " + ep.URL + ", want " + want.URL
	}
	if (len(ep.Headers) > 0 || len(want.Headers) > 0) && !reflect.DeepEqual(ep.Headers, want.Headers) {
		return "headers: got " + jsonString(ep.Headers) + ", want " + jsonString(want.Headers)
	}
	if (len(ep.Properties) > 0 || len(want.Properties) > 0) && !reflect.DeepEqual(ep.Properties, want.Properties) {
		return "properties: got " + jsonString(ep.Properties) + ", want " + jsonString(want.Properties)
	}
	return ""
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestAuthSchemes(t *testing.T) {
	rs, err := ParseBinary(ruleSetFor(t, "s3"), loadPartitions(t))
	if err != nil {
		t.Fatal(err)
	}
	ep, err := rs.Resolve(map[string]any{
		"Region": "us-west-2",
		"Bucket": "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap",
	})
	if err != nil {
		t.Fatal(err)
	}
	got := ep.AuthSchemes()
	want := []AuthScheme{{Name: "sigv4a", SigningName: "s3", SigningRegionSet: []string{"*"}, DisableDoubleEncoding: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AuthSchemes() = %+v, want %+v", got, want)
	}
}

func TestParameters(t *testing.T) {
	rs, err := ParseBinary(ruleSetFor(t, "s3"), loadPartitions(t))
	if err != nil {
		t.Fatal(err)
	}
	byBuiltIn := map[string]Parameter{}
	for _, p := range rs.Parameters() {
		if p.BuiltIn != "" {
			byBuiltIn[p.BuiltIn] = p
		}
	}
	for builtIn, want := range map[string]Parameter{
		"AWS::Region":                {Name: "Region", Type: "string", BuiltIn: "AWS::Region"},
		"AWS::UseFIPS":               {Name: "UseFIPS", Type: "boolean", BuiltIn: "AWS::UseFIPS", Required: true, Default: false},
		"AWS::S3::ForcePathStyle":    {Name: "ForcePathStyle", Type: "boolean", BuiltIn: "AWS::S3::ForcePathStyle", Required: true, Default: false},
		"SDK::Endpoint":              {Name: "Endpoint", Type: "string", BuiltIn: "SDK::Endpoint"},
		"AWS::S3::UseGlobalEndpoint": {Name: "UseGlobalEndpoint", Type: "boolean", BuiltIn: "AWS::S3::UseGlobalEndpoint", Required: true, Default: false},
	} {
		if got := byBuiltIn[builtIn]; !reflect.DeepEqual(got, want) {
			t.Errorf("parameter for %s = %+v, want %+v", builtIn, got, want)
		}
	}

	rs, err = ParseBinary(ruleSetFor(t, "dynamodb"), loadPartitions(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rs.Parameters() {
		if p.Type == "stringArray" {
			return
		}
	}
	t.Error("dynamodb: no stringArray parameter")
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, json string }{
		{"not JSON", `{`},
		{"no rules", `{"version":"1.0","parameters":{},"rules":[]}`},
		{"unknown function", `{"parameters":{},"rules":[{"type":"error","conditions":[{"fn":"nope","argv":[]}],"error":"x"}]}`},
		{"arity", `{"parameters":{},"rules":[{"type":"error","conditions":[{"fn":"isSet","argv":[]}],"error":"x"}]}`},
		{"unbound reference", `{"parameters":{},"rules":[{"type":"error","conditions":[{"fn":"isSet","argv":[{"ref":"X"}]}],"error":"x"}]}`},
		{"unbound template", `{"parameters":{},"rules":[{"type":"error","conditions":[],"error":"{X}"}]}`},
		{"unclosed template", `{"parameters":{"X":{"type":"string"}},"rules":[{"type":"error","conditions":[],"error":"{X"}]}`},
		{"bad path", `{"parameters":{"X":{"type":"string"}},"rules":[{"type":"error","conditions":[{"fn":"getAttr","argv":[{"ref":"X"},"a[x]"]}],"error":"x"}]}`},
		{"shadowing", `{"parameters":{"X":{"type":"string"}},"rules":[{"type":"error","conditions":[{"fn":"isSet","argv":[{"ref":"X"}],"assign":"X"}],"error":"x"}]}`},
		{"assignment out of scope", `{"parameters":{"X":{"type":"string"}},"rules":[{"type":"tree","conditions":[{"fn":"isSet","argv":[{"ref":"X"}],"assign":"Y"}],"rules":[]},{"type":"error","conditions":[],"error":"{Y}"}]}`},
		{"bad type", `{"parameters":{"X":{"type":"integer"}},"rules":[{"type":"error","conditions":[],"error":"x"}]}`},
		{"bad default", `{"parameters":{"X":{"type":"boolean","default":"yes"}},"rules":[{"type":"error","conditions":[],"error":"x"}]}`},
		{"endpoint without endpoint", `{"parameters":{},"rules":[{"type":"endpoint","conditions":[]}]}`},
		{"no partitions", `{"parameters":{"R":{"type":"string"}},"rules":[{"type":"error","conditions":[{"fn":"aws.partition","argv":[{"ref":"R"}]}],"error":"x"}]}`},
	} {
		if _, err := Parse([]byte(tc.json), nil); err == nil {
			t.Errorf("%s: Parse succeeded", tc.name)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	rs, err := Parse([]byte(`{"parameters":{"R":{"type":"string","required":true},"B":{"type":"boolean"}},
		"rules":[{"type":"tree","conditions":[{"fn":"booleanEquals","argv":[{"ref":"B"},true]}],
		"rules":[{"type":"endpoint","conditions":[{"fn":"stringEquals","argv":[{"ref":"R"},"a"]}],"endpoint":{"url":"https://{R}"}}]}]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, params := range []map[string]any{
		{},                            // missing required
		{"R": true},                   // wrong type
		{"R": "b", "B": true},         // tree exhausted
		{"R": "a"},                    // no rule
		{"R": "a", "B": []string{""}}, // wrong type
	} {
		if ep, err := rs.Resolve(params); err == nil {
			t.Errorf("Resolve(%v) = %v, want an error", params, ep)
		}
	}
	ep, err := rs.Resolve(map[string]any{"R": "a", "B": true})
	if err != nil || ep.URL != "https://a" {
		t.Errorf("Resolve = %v, %v", ep, err)
	}
}

// BenchmarkParseResolveS3 is what a client's first S3 call pays: reading
// the biggest rule set from the bundle, then one resolution.
func BenchmarkParseResolveS3(b *testing.B) {
	data := ruleSetFor(b, "s3")
	parts := loadPartitions(b)
	params := map[string]any{"Region": "us-west-2", "Bucket": "my-bucket", "UseFIPS": false}
	b.ReportAllocs()
	for b.Loop() {
		rs, err := ParseBinary(data, parts)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := rs.Resolve(params); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseS3JSON parses S3's rule set from botocore's JSON, as the
// client's first call did before the bundle held it compiled.
func BenchmarkParseS3JSON(b *testing.B) {
	data := botocoreRuleSet(b, "s3")
	parts := loadPartitions(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, parts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolveS3(b *testing.B) {
	rs, err := ParseBinary(ruleSetFor(b, "s3"), loadPartitions(b))
	if err != nil {
		b.Fatal(err)
	}
	params := map[string]any{"Region": "us-west-2", "Bucket": "my-bucket", "UseFIPS": false}
	for b.Loop() {
		if _, err := rs.Resolve(params); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePartitions(b *testing.B) {
	data := partitionsJSON(b)
	for b.Loop() {
		if _, err := ParsePartitions(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrentResolve shares one RuleSet between goroutines, as clients
// do; run it with -race.
func TestConcurrentResolve(t *testing.T) {
	rs, err := ParseBinary(ruleSetFor(t, "s3"), loadPartitions(t))
	if err != nil {
		t.Fatal(err)
	}
	params := []map[string]any{
		{"Region": "us-west-2", "Bucket": "my-bucket"},
		{"Region": "us-east-1", "Bucket": "arn:aws:s3:us-east-1:123456789012:accesspoint:ap", "UseArnRegion": true},
		{"Region": "cn-north-1", "UseDualStack": true},
		{"Region": "us-west-2", "Bucket": "my.bucket", "ForcePathStyle": true},
	}
	want := make([]string, len(params))
	for i, p := range params {
		ep, err := rs.Resolve(p)
		want[i] = jsonString(ep) + fmt.Sprint(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				j := (g + i) % len(params)
				ep, err := rs.Resolve(params[j])
				if got := jsonString(ep) + fmt.Sprint(err); got != want[j] {
					t.Errorf("concurrent Resolve(%v) = %s, want %s", params[j], got, want[j])
					return
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkParseAll parses every service's rule set, as a process that
// used all 424 services would.
func BenchmarkParseAll(b *testing.B) {
	var sets [][]byte
	for _, name := range model.Names() {
		sets = append(sets, ruleSetFor(b, name))
	}
	parts := loadPartitions(b)
	b.ReportMetric(float64(len(sets)), "services")
	for b.Loop() {
		for _, s := range sets {
			if _, err := ParseBinary(s, parts); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// botocoreRuleSet reads a service's endpoint-rule-set-1.json from the
// botocore data directory $BOTOCORE_DATA names, skipping without it.
func botocoreRuleSet(t testing.TB, service string) []byte {
	t.Helper()
	dir := os.Getenv("BOTOCORE_DATA")
	if dir == "" {
		t.Skip("BOTOCORE_DATA is not set")
	}
	paths, _ := filepath.Glob(filepath.Join(dir, service, "*", "endpoint-rule-set-1.json*"))
	if len(paths) == 0 {
		t.Fatalf("no rule set of %s under %s", service, dir)
	}
	data, err := os.ReadFile(paths[len(paths)-1])
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(paths[len(paths)-1], ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return data
}

// TestBinaryRoundTrip reads every bundled rule set and writes it again:
// the bytes must be the same, so the reader misses nothing the writer
// wrote.
func TestBinaryRoundTrip(t *testing.T) {
	parts := loadPartitions(t)
	for _, name := range model.Names() {
		data := ruleSetFor(t, name)
		rs, err := ParseBinary(data, parts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		again, err := rs.AppendBinary(nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(again, data) {
			t.Errorf("%s: written again, the rule set's %d bytes become %d", name, len(data), len(again))
		}
	}
}

// TestBinaryResolvesAsParsed compiles a rule set that uses every function
// and every kind of expression, writes and reads it, and checks that both
// resolve alike.
func TestBinaryResolvesAsParsed(t *testing.T) {
	parts, err := ParsePartitions([]byte(testPartitions))
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := Parse([]byte(allFunctions), parts)
	if err != nil {
		t.Fatal(err)
	}
	data, err := parsed.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	read, err := ParseBinary(data, parts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(read.Parameters(), parsed.Parameters()) {
		t.Errorf("parameters %v, parsed %v", read.Parameters(), parsed.Parameters())
	}
	for _, params := range []map[string]any{
		{"Region": "us-west-2", "Bucket": "my-bucket"},
		{"Region": "us-west-2", "Bucket": "my-bucket", "Ids": []string{"x", "y"}},
		{"Region": "cn-north-1", "Bucket": "arn:aws:s3:cn-north-1:123456789012:accesspoint/my.ap"},
		{"Bucket": "b", "Endpoint": "http://10.0.0.1:80/a/b"},
		{"Bucket": "b", "Endpoint": "https://example.com/p"},
		{"Region": "eu-west-1", "UseFIPS": true},
		{},
	} {
		want, werr := parsed.Resolve(params)
		got, gerr := read.Resolve(params)
		if !reflect.DeepEqual(got, want) || fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Errorf("Resolve(%v) = %s, %v; parsed: %s, %v", params, jsonString(got), gerr, jsonString(want), werr)
		}
	}
	if _, err := ParseBinary(data, nil); err == nil || !strings.Contains(err.Error(), "aws.partition") {
		t.Errorf("without partitions: %v", err)
	}
	for n := range len(data) {
		if _, err := ParseBinary(data[:n], parts); err == nil {
			t.Errorf("cut to %d of %d bytes: no error", n, len(data))
		}
	}
}
