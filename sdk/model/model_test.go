package model

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// boto3Service is one line of testdata/services.txt: what boto3 itself
// reports for a service (written by internal/modelgen/snake_testdata.py).
type boto3Service struct {
	name, protocol                         string
	operations, shapes, paginators, waiter int
}

func readServices(t testing.TB) (version string, svcs []boto3Service) {
	t.Helper()
	b, err := os.ReadFile("testdata/services.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(line)
		if f[0] == "#" {
			version = strings.TrimSuffix(f[2], ":")
			continue
		}
		n := make([]int, 4)
		for i := range n {
			if n[i], err = strconv.Atoi(f[2+i]); err != nil {
				t.Fatalf("services.txt: %q: %v", line, err)
			}
		}
		svcs = append(svcs, boto3Service{f[0], f[1], n[0], n[1], n[2], n[3]})
	}
	return version, svcs
}

func mustLoad(t testing.TB, name string) *Service {
	t.Helper()
	s, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNamesAreBoto3s(t *testing.T) {
	version, svcs := readServices(t)
	var want []string
	for _, s := range svcs {
		want = append(want, s.name)
	}
	got := Names()
	if len(got) != 424 {
		t.Errorf("Names() has %d services, boto3 has 424", len(got))
	}
	if !slices.Equal(got, want) {
		t.Errorf("Names() differs from boto3's get_available_services()")
	}
	if !slices.IsSorted(got) {
		t.Error("Names() is not sorted")
	}
	if BotocoreVersion() != version {
		t.Errorf("BotocoreVersion() = %q, testdata was written by botocore %q", BotocoreVersion(), version)
	}
}

// TestAllServicesMatchBoto3 loads every service and compares it with what
// botocore itself reports: protocol and the number of operations, shapes,
// paginators and waiters. It also checks the invariants consumers rely on.
func TestAllServicesMatchBoto3(t *testing.T) {
	_, svcs := readServices(t)
	for _, want := range svcs {
		s, err := Load(want.name)
		if err != nil {
			t.Errorf("%s: %v", want.name, err)
			continue
		}
		if s.Name != want.name {
			t.Errorf("%s: Name = %q", want.name, s.Name)
		}
		if p := s.Protocol(); p != want.protocol {
			t.Errorf("%s: Protocol() = %q, boto3 uses %q", want.name, p, want.protocol)
		}
		got := [4]int{len(s.Operations), len(s.shapes.names), len(s.Paginators), len(s.Waiters)}
		if exp := [4]int{want.operations, want.shapes, want.paginators, want.waiter}; got != exp {
			t.Errorf("%s: operations, shapes, paginators, waiters = %v, boto3 has %v", want.name, got, exp)
		}
		if len(s.RuleSet) == 0 {
			t.Errorf("%s: no endpoint rule set", want.name)
		}
		checkRefs(t, s)
	}
}

// checkRefs checks that every reference names a shape of the service and
// that MemberOrder lists exactly the members.
func checkRefs(t *testing.T, s *Service) {
	t.Helper()
	ref := func(where string, r *ShapeRef) {
		if r == nil {
			return
		}
		if _, err := s.LookupShape(r.Shape); err != nil {
			t.Errorf("%s: %s refers to missing shape %q", s.Name, where, r.Shape)
		}
	}
	for name, op := range s.Operations {
		// The key is the API name; Name may differ (CloudFront's carry
		// their API version, "GetDistribution2020_05_31").
		if op.Name == "" {
			t.Errorf("%s: operation %q has no name", s.Name, name)
		}
		ref(name+" input", op.Input)
		ref(name+" output", op.Output)
		for i := range op.Errors {
			ref(name+" error", &op.Errors[i])
		}
	}
	errs := 0
	for _, name := range s.shapes.names {
		sh, err := s.LookupShape(name)
		if err != nil {
			t.Error(err)
			continue
		}
		if sh.Exception || sh.Error != nil {
			errs++
			code := name
			if sh.Error != nil && sh.Error.Code != "" {
				code = sh.Error.Code
			}
			if s.ErrorCodes[name] != code {
				t.Errorf("%s: error shape %s: ErrorCodes says %q, the shape %q", s.Name, name, s.ErrorCodes[name], code)
			}
		}
		ref(name+" member", sh.Member)
		ref(name+" key", sh.Key)
		ref(name+" value", sh.Value)
		for m, r := range sh.Members {
			ref(name+"."+m, r)
		}
		order := slices.Sorted(slices.Values(sh.MemberOrder))
		if !slices.Equal(order, sortedKeys(sh.Members)) {
			t.Errorf("%s: shape %s: memberOrder %v does not list its members", s.Name, name, sh.MemberOrder)
		}
	}
	if errs != len(s.ErrorCodes) {
		t.Errorf("%s: %d error shapes, %d ErrorCodes", s.Name, errs, len(s.ErrorCodes))
	}
	for name, p := range s.Paginators {
		if _, ok := s.Operation(name); !ok {
			t.Errorf("%s: paginator for missing operation %s", s.Name, name)
		}
		if len(p.InputToken) == 0 || len(p.OutputToken) == 0 {
			t.Errorf("%s: paginator %s has no tokens", s.Name, name)
		}
	}
	for name, w := range s.Waiters {
		if _, ok := s.Operation(w.Operation); !ok {
			t.Errorf("%s: waiter %s calls missing operation %s", s.Name, name, w.Operation)
		}
		if w.Delay <= 0 || w.MaxAttempts <= 0 || len(w.Acceptors) == 0 {
			t.Errorf("%s: waiter %s is incomplete: %+v", s.Name, name, w)
		}
	}
}

func TestEC2(t *testing.T) {
	s := mustLoad(t, "ec2")
	if len(s.Operations) < 765 || len(s.shapes.names) < 4000 {
		t.Errorf("ec2: %d operations, %d shapes", len(s.Operations), len(s.shapes.names))
	}
	op, ok := s.Operation("DescribeInstances")
	if !ok || op.Input == nil || op.Input.Shape != "DescribeInstancesRequest" || op.HTTP.Method != "POST" {
		t.Fatalf("DescribeInstances = %+v", op)
	}
	in := s.Shape("DescribeInstancesRequest")
	// botocore's order, not alphabetical.
	if want := []string{"InstanceIds", "IncludeManagedResources", "DryRun", "Filters", "NextToken", "MaxResults"}; !slices.Equal(in.MemberOrder, want) {
		t.Errorf("DescribeInstancesRequest memberOrder = %v, want %v", in.MemberOrder, want)
	}
	// An sdk-extras merge: botocore adds non_aggregate_keys here.
	p := s.Paginators["GetNetworkInsightsAccessScopeAnalysisFindings"]
	if p == nil || !slices.Contains(p.NonAggregateKeys, "AnalysisStatus") {
		t.Errorf("ec2 paginator extras not merged: %+v", p)
	}
	w := s.Waiters["InstanceRunning"]
	if w == nil || w.Operation != "DescribeInstances" || w.Delay != 15 || w.MaxAttempts != 40 {
		t.Fatalf("InstanceRunning waiter = %+v", w)
	}
	a := w.Acceptors[0]
	if a.Matcher != "pathAll" || a.Argument != "Reservations[].Instances[].State.Name" || a.Expected != "running" || a.State != "success" {
		t.Errorf("InstanceRunning first acceptor = %+v", a)
	}
}

func TestS3(t *testing.T) {
	s := mustLoad(t, "s3")
	// botocore writes ListObjects' input_token as a string; the bundle
	// always has lists.
	p := s.Paginators["ListObjects"]
	if p == nil {
		t.Fatal("s3 has no ListObjects paginator")
	}
	if !slices.Equal(p.InputToken, []string{"Marker"}) ||
		!slices.Equal(p.OutputToken, []string{"NextMarker || Contents[-1].Key"}) ||
		p.MoreResults != "IsTruncated" || p.LimitKey != "MaxKeys" ||
		!slices.Equal(p.ResultKey, []string{"Contents", "CommonPrefixes"}) {
		t.Errorf("ListObjects paginator = %+v", p)
	}
	if v2 := s.Paginators["ListObjectsV2"]; v2 == nil || !slices.Equal(v2.InputToken, []string{"ContinuationToken"}) {
		t.Errorf("ListObjectsV2 paginator = %+v", v2)
	}
	w := s.Waiters["BucketExists"]
	if w == nil || w.Operation != "HeadBucket" || w.Delay != 5 || w.MaxAttempts != 20 {
		t.Fatalf("BucketExists waiter = %+v", w)
	}
	var sawStatus bool
	for _, a := range w.Acceptors {
		if a.Matcher == "status" && a.Expected == float64(200) && a.State == "success" {
			sawStatus = true
		}
	}
	if !sawStatus {
		t.Errorf("BucketExists acceptors = %+v", w.Acceptors)
	}
	// S3's sdk-extras turn Expires into a timestamp.
	if sh := s.Shape("Expires"); sh == nil || sh.Type != "timestamp" {
		t.Errorf("s3 Expires shape = %+v", sh)
	}
	op, _ := s.Operation("GetObject")
	if op.HTTP.RequestURI != "/{Bucket}/{Key+}" || op.HTTPChecksum == nil {
		t.Errorf("GetObject = %+v", op)
	}
	// The Grantee's xsi namespace survives.
	if g := s.Shape("Grantee"); g == nil || g.XMLNamespace == nil || g.XMLNamespace.Prefix != "xsi" {
		t.Errorf("Grantee = %+v", g)
	}
	if len(s.ClientContextParams) == 0 {
		t.Error("s3 has no clientContextParams")
	}
}

func TestProtocol(t *testing.T) {
	for name, want := range map[string]string{
		"cloudwatch": "json", // listed with smithy-rpc-v2-cbor; boto3 prefers json
		"s3":         "rest-xml",
		"ec2":        "ec2",
		"sqs":        "json",
		"iam":        "query",
		"lambda":     "rest-json",
	} {
		if got := mustLoad(t, name).Protocol(); got != want {
			t.Errorf("%s: Protocol() = %q, want %q", name, got, want)
		}
	}
	s := &Service{Metadata: Metadata{Protocol: "query"}}
	if s.Protocol() != "query" {
		t.Error("without protocols, Protocol() is metadata.protocol")
	}
	s.Metadata.Protocols = []string{"smithy-rpc-v2-cbor", "json"}
	if s.Protocol() != "json" {
		t.Error("json is preferred over cbor whatever the model's order")
	}
}

func TestNoProse(t *testing.T) {
	for _, name := range []string{"s3", "ec2", "dynamodb", "sqs"} {
		ix, err := embeddedIndex()
		if err != nil {
			t.Fatal(err)
		}
		js, err := ix.inflate(ix.entries[name])
		if err != nil {
			t.Fatal(err)
		}
		// A key followed by a string is prose; a member may well be
		// called "description".
		for _, key := range []string{`"documentation":"`, `"documentationUrl":"`, `"deprecatedMessage":"`, `"examples":`, `"description":"`} {
			if bytes.Contains(js, []byte(key)) {
				t.Errorf("%s: the bundle holds %s", name, key)
			}
		}
	}
}

func TestUnknownService(t *testing.T) {
	for q, want := range map[string][]string{
		"sqs3":    {"s3", "sqs"},
		"cognito": {"cognito-idp", "cognito-identity", "cognito-sync"},
		"S3":      {"s3"},
		"dynamo":  {"dynamodb", "dynamodbstreams"},
	} {
		_, err := Load(q)
		if !errors.Is(err, ErrUnknownService) {
			t.Fatalf("Load(%q) = %v, want ErrUnknownService", q, err)
		}
		var ue *UnknownServiceError
		if !errors.As(err, &ue) {
			t.Fatalf("Load(%q): %T", q, err)
		}
		for _, w := range want {
			if !slices.Contains(ue.Suggestions, w) {
				t.Errorf("Load(%q) suggests %v, missing %s", q, ue.Suggestions, w)
			}
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Load(%q): %q does not name %s", q, err, w)
			}
		}
	}
	_, err := Load("sqs3")
	if got := err.Error(); got != `there is no AWS service named "sqs3"; did you mean sqs or s3?` {
		t.Errorf("message: %s", got)
	}
	_, err = Load("zzzzzzzzzzzz")
	if got := err.Error(); got != `there is no AWS service named "zzzzzzzzzzzz" (model.Names lists them)` {
		t.Errorf("message: %s", got)
	}
}

func TestLoadIsSharedAndConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	got := make([]*Service, 8)
	for i := range got {
		wg.Go(func() {
			s, err := Load("dynamodb")
			if err != nil {
				t.Error(err)
			}
			got[i] = s
		})
	}
	wg.Wait()
	for _, s := range got[1:] {
		if s != got[0] {
			t.Fatal("concurrent Loads decoded the service more than once")
		}
	}
}

func TestPartitions(t *testing.T) {
	var p struct {
		Partitions []struct {
			ID      string `json:"id"`
			Regions map[string]json.RawMessage
		} `json:"partitions"`
	}
	if err := json.Unmarshal(Partitions(), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Partitions) == 0 || p.Partitions[0].ID != "aws" || p.Partitions[0].Regions["us-east-1"] == nil {
		t.Errorf("partitions = %+v", p)
	}
}

func TestSnakeName(t *testing.T) {
	for api, want := range map[string]string{
		"ListObjectsV2":           "list_objects_v2",
		"DescribeDBInstances":     "describe_db_instances",
		"CreateIPSet":             "create_ip_set",
		"GetAPIKey":               "get_api_key",
		"ListWebACLs":             "list_web_acls",
		"CreateCachediSCSIVolume": "create_cached_iscsi_volume",
		"already_snake":           "already_snake",
		"":                        "",
	} {
		if got := SnakeName(api); got != want {
			t.Errorf("SnakeName(%q) = %q, want %q", api, got, want)
		}
	}
}

// TestSnakeNameMatchesBoto3 checks every operation, paginator and waiter
// name of the 424 services against botocore's xform_name.
func TestSnakeNameMatchesBoto3(t *testing.T) {
	f, err := os.Open("testdata/snake_names.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	n, bad := 0, 0
	for sc.Scan() {
		api, want, _ := strings.Cut(sc.Text(), " ")
		n++
		if got := SnakeName(api); got != want {
			if bad++; bad <= 20 {
				t.Errorf("SnakeName(%q) = %q, boto3 says %q", api, got, want)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 14000 {
		t.Errorf("only %d names in testdata", n)
	}
	if bad > 0 {
		t.Errorf("%d of %d names differ from boto3", bad, n)
	}
}

// FuzzSnakeName checks what holds for any input: no panic, and a name
// without an underscore comes out with no ASCII capitals.
func FuzzSnakeName(f *testing.F) {
	for _, s := range []string{"ListObjectsV2", "ListWebACLs", "ABCs", "aBs", "É", "X\nYz", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SnakeName(s)
		if strings.Contains(s, "_") {
			if got != s {
				t.Fatalf("SnakeName(%q) = %q, want it unchanged", s, got)
			}
			return
		}
		for _, r := range got {
			if 'A' <= r && r <= 'Z' {
				t.Fatalf("SnakeName(%q) = %q", s, got)
			}
		}
	})
}
