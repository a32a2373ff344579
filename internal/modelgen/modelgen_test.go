package main

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"go/ast"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/awslua/awslua/internal/bundleformat"
	"github.com/awslua/awslua/sdk/endpoint"
)

func tree(t *testing.T, js string) *object {
	t.Helper()
	v, err := decodeTree(strings.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return v.(*object)
}

func encode(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := encodeTree(&buf, v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestDecodeTreeKeepsOrder(t *testing.T) {
	o := tree(t, `{"b":1,"a":{"z":true,"y":null},"c":[1.50,"x"]}`)
	if got := strings.Join(o.keys, ","); got != "b,a,c" {
		t.Errorf("keys = %s", got)
	}
	if got := strings.Join(o.obj("a").keys, ","); got != "z,y" {
		t.Errorf("nested keys = %s", got)
	}
	// Sorted on the way out, numbers as written.
	if got := encode(t, o); got != `{"a":{"y":null,"z":true},"b":1,"c":[1.50,"x"]}` {
		t.Errorf("encoded %s", got)
	}
	if _, err := decodeTree(strings.NewReader(`{} {}`)); err == nil {
		t.Error("trailing data accepted")
	}
}

func TestDeepMergeIsBotocores(t *testing.T) {
	base := tree(t, `{"shapes":{"A":{"type":"string"},"B":{"members":{"x":{}}}},"list":[1],"k":"v"}`)
	extra := tree(t, `{"shapes":{"B":{"members":{"y":{"shape":"S"}}},"C":{"type":"timestamp"}},"list":[2],"k":{"now":"object"}}`)
	deepMerge(base, extra)
	// New keys come last, existing ones stay put, lists and scalars are replaced.
	if got := strings.Join(base.obj("shapes").keys, ","); got != "A,B,C" {
		t.Errorf("shapes order = %s", got)
	}
	if got := strings.Join(base.obj("shapes").obj("B").obj("members").keys, ","); got != "x,y" {
		t.Errorf("members order = %s", got)
	}
	if got := encode(t, base); got != `{"k":{"now":"object"},"list":[2],"shapes":{"A":{"type":"string"},"B":{"members":{"x":{},"y":{"shape":"S"}}},"C":{"type":"timestamp"}}}` {
		t.Errorf("merged = %s", got)
	}
}

func TestNormalizePaginators(t *testing.T) {
	p := tree(t, `{"ListThings":{"input_token":"NextToken","output_token":["A","B"],"result_key":"Things","limit_key":"MaxResults","more_results":"IsTruncated"}}`)
	normalizePaginators(p)
	want := `{"ListThings":{"input_token":["NextToken"],"limit_key":"MaxResults","more_results":"IsTruncated","output_token":["A","B"],"result_key":["Things"]}}`
	if got := encode(t, p); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func testSchema(t *testing.T) *schema {
	t.Helper()
	s, err := loadSchema("../../sdk/model/model.go")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFilterKeepsOnlyWhatTheTypesHold(t *testing.T) {
	sch := testSchema(t)
	svc := tree(t, `{
		"version":"2.0","documentation":"<p>Prose.</p>",
		"metadata":{"apiVersion":"2020-01-01","serviceAbbreviation":"X","protocol":"rest-xml"},
		"operations":{"Op":{"name":"Op","http":{"method":"GET","requestUri":"/"},"documentation":"Prose","deprecatedMessage":"old",
			"staticContextParams":{"UseS3ExpressControlEndpoint":{"value":true}}}},
		"shapes":{"S":{"type":"structure","members":{"m":{"shape":"T","documentation":"Prose","xmlNamespace":"http://x"}},"box":true,"memberOrder":["m"]}}
	}`)
	kept, err := sch.filter(svc, ast.NewIdent("Service"), "Service")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"metadata":{"apiVersion":"2020-01-01","protocol":"rest-xml"},` +
		`"operations":{"Op":{"http":{"method":"GET","requestUri":"/"},"name":"Op","staticContextParams":{"UseS3ExpressControlEndpoint":{"value":true}}}},` +
		`"shapes":{"S":{"memberOrder":["m"],"members":{"m":{"shape":"T","xmlNamespace":"http://x"}},"type":"structure"}}}`
	if got := encode(t, kept); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, k := range []string{"Service.documentation", "Operation.documentation", "ShapeRef.documentation", "Shape.box", "Metadata.serviceAbbreviation"} {
		if sch.dropped[k] == 0 {
			t.Errorf("%s not counted as dropped", k)
		}
	}
}

func TestEncodeBinary(t *testing.T) {
	v := tree(t, `{"b":"x","a":["x","y",-3,7,1.5,true,false,null]}`)
	b, err := encodeBinary(v)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := encodeBinary(tree(t, `{"a":["x","y",-3,7,1.5,true,false,null],"b":"x"}`))
	if !bytes.Equal(b, b2) {
		t.Error("key order in the source changed the output")
	}
	// The table: "x" (used twice) first, then "1.5", "a", "b", "y" in byte order.
	n, off := binary.Uvarint(b)
	if n != 5 {
		t.Fatalf("%d strings", n)
	}
	var lens []int
	for range n {
		l, k := binary.Uvarint(b[off:])
		lens = append(lens, int(l))
		off += k
	}
	var strs []string
	for _, l := range lens {
		strs = append(strs, string(b[off:off+l]))
		off += l
	}
	if got := strings.Join(strs, " "); got != "x 1.5 a b y" {
		t.Errorf("table = %q", got)
	}
	want := []byte{bundleformat.TagObject, 2,
		2, bundleformat.TagArray, 8, bundleformat.TagString, 0, bundleformat.TagString, 4, bundleformat.TagNeg, 3, bundleformat.TagUint, 7, bundleformat.TagNumber, 1, bundleformat.TagTrue, bundleformat.TagFalse, bundleformat.TagNull,
		3, bundleformat.TagString, 0}
	if !bytes.Equal(b[off:], want) {
		t.Errorf("tree = %v\nwant   %v", b[off:], want)
	}
}

// TestEncodeIndex checks an indexed object's layout: the keys, then each
// value's length, so that a reader finds any value without the others.
func TestEncodeIndex(t *testing.T) {
	o := tree(t, `{"b":"x","a":[1,2]}`)
	b, err := encodeBinary(index{o})
	if err != nil {
		t.Fatal(err)
	}
	// The table is "a", "b", "x"; its count and lengths take 4 bytes.
	want := []byte{bundleformat.TagIndex, 2, 0, 1, 6, 2,
		bundleformat.TagArray, 2, bundleformat.TagUint, 1, bundleformat.TagUint, 2,
		bundleformat.TagString, 2}
	if got := b[4+3:]; !bytes.Equal(got, want) {
		t.Errorf("tree = %v\nwant   %v", got, want)
	}
}

// TestRecordErrorCodes checks that errorCodes lists the exceptions and
// the shapes with an error trait, by their code when they have one.
func TestRecordErrorCodes(t *testing.T) {
	shapes := tree(t, `{"Plain":{"type":"structure"},"Exc":{"exception":true},
		"Coded":{"exception":true,"error":{"code":"Throttling","httpStatusCode":400}},"Trait":{"error":{}}}`)
	svc := newObject()
	svc.set("shapes", index{shapes})
	recordErrorCodes(svc)
	if got := encode(t, svc.vals["errorCodes"]); got != `{"Coded":"Throttling","Exc":"Exc","Trait":"Trait"}` {
		t.Errorf("errorCodes = %s", got)
	}
}

// TestCompileFakeData runs the compiler on a small botocore-like data
// directory: newest version wins, .json.gz is read, extras merge, a
// directory without a service model is no service.
func TestCompileFakeData(t *testing.T) {
	dir := fakeData(t)
	names, err := serviceNames(dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, ",") != "svc" {
		t.Fatalf("names = %v", names)
	}
	v, err := compileService(testSchema(t), dir, "svc", nil)
	if err != nil {
		t.Fatal(err)
	}
	// The rule set is compiled: it resolves as the JSON says.
	svc := v.(*object)
	compiled, _ := svc.get("ruleSet")
	rules, err := endpoint.ParseBinary(compiled.([]byte), nil)
	if err != nil {
		t.Fatal(err)
	}
	if ep, err := rules.Resolve(map[string]any{"Region": "eu-west-3"}); err != nil || ep.URL != "https://eu-west-3.example.com" {
		t.Errorf("compiled rule set resolves to %v, %v", ep, err)
	}
	svc.keys = slices.DeleteFunc(svc.keys, func(k string) bool { return k == "ruleSet" })
	want := `{"metadata":{"apiVersion":"2021-01-01","protocol":"json"},"operations":{},` +
		`"paginators":{"List":{"input_token":["T"],"output_token":["N"],"result_key":["R"]}},` +
		`"shapes":{"In":{"memberOrder":["Zeta","Alpha","Mid"],"members":{"Alpha":{"shape":"S"},"Mid":{"shape":"S"},"Zeta":{"shape":"S"}},"type":"structure"}},` +
		`"waiters":{"Ready":{"acceptors":[{"expected":200,"matcher":"status","state":"success"}],"delay":5,"maxAttempts":3,"operation":"Get"}}}`
	if got := encode(t, v); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestBuildIsDeterministic builds the fake data's bundle twice: Go's
// random map order must not reach the bytes.
func TestBuildIsDeterministic(t *testing.T) {
	dir := fakeData(t)
	a, st, err := build(dir, "../../sdk/model/model.go", "")
	if err != nil {
		t.Fatal(err)
	}
	if st.version != "9.9.9" || st.services != 1 {
		t.Errorf("stats = %+v", st)
	}
	for range 5 {
		b, _, err := build(dir, "../../sdk/model/model.go", "")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatal("two builds differ")
		}
	}
}

// TestCommittedBundleIsCurrent rebuilds the bundle from the botocore on
// this machine and compares it with sdk/model/data/models.bin, when that
// botocore is the version the bundle was built from. It says when someone
// changed the types or the generator without running go generate.
func TestCommittedBundleIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("rebuilds the whole bundle")
	}
	committed, err := os.ReadFile("../../sdk/model/data/models.bin")
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("BOTOCORE_DATA")
	if dir == "" {
		if dir, err = botocoreDataDir(); err != nil {
			t.Skipf("no botocore here: %v", err)
		}
	}
	version, err := botocoreVersion(dir)
	if err != nil {
		t.Skip(err)
	}
	// The header: magic, format, then the version string.
	if len(committed) < 14 || string(committed[14:14+int(binary.LittleEndian.Uint16(committed[12:]))]) != version {
		t.Skipf("the bundle was built from another botocore than %s", version)
	}
	fresh, _, err := build(dir, "../../sdk/model/model.go", "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Error("sdk/model/data/models.bin is stale: run go generate ./sdk/model")
	}
}

// fakeData writes a small botocore-like data directory: two API versions
// of one service (the newer gzipped, with sdk-extras, paginators and
// waiters, and a still newer version with no model), a directory with no
// model at all, partitions.json and an __init__.py to take the version
// from.
func fakeData(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	write := func(path, body string) {
		t.Helper()
		p := filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		data := []byte(body)
		if strings.HasSuffix(path, ".gz") {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(data)
			zw.Close()
			data = buf.Bytes()
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("svc/2019-01-01/service-2.json", `{"metadata":{"apiVersion":"2019-01-01"},"operations":{},"shapes":{}}`)
	write("svc/2021-01-01/service-2.json.gz", `{"metadata":{"apiVersion":"2021-01-01","protocol":"json"},"operations":{},
		"shapes":{"In":{"type":"structure","members":{"Zeta":{"shape":"S"},"Alpha":{"shape":"S"}}}}}`)
	write("svc/2021-01-01/service-2.sdk-extras.json", `{"version":1.0,"merge":{"shapes":{"In":{"members":{"Mid":{"shape":"S"}}}}}}`)
	write("svc/2021-01-01/paginators-1.json", `{"pagination":{"List":{"input_token":"T","output_token":"N","result_key":"R"}}}`)
	write("svc/2021-01-01/waiters-2.json", `{"version":2,"waiters":{"Ready":{"description":"Prose","delay":5,"maxAttempts":3,"operation":"Get","acceptors":[{"matcher":"status","expected":200,"state":"success"}]}}}`)
	write("svc/2021-01-01/endpoint-rule-set-1.json", `{"version":"1.0","parameters":{"Region":{"type":"String","builtIn":"AWS::Region","documentation":"Prose"}},
		"rules":[{"type":"endpoint","conditions":[],"endpoint":{"url":"https://{Region}.example.com"}}]}`)
	write("svc/2022-01-01/paginators-1.json", `{"pagination":{}}`) // no model: not the newest version
	write("nomodel/2020-01-01/paginators-1.json", `{"pagination":{}}`)
	write("partitions.json", `{"partitions":[{"id":"aws","regionRegex":"^eu\\-\\w+\\-\\d+$","regions":{},"outputs":{"dnsSuffix":"example.com"}}]}`)
	write("../__init__.py", "__version__ = '9.9.9'\n")
	return dir
}

func TestWriteBundleHeader(t *testing.T) {
	b := writeBundle("1.2.3", []string{"a", "bb"},
		[]entry{{[]byte{1, 2}, 10, 0xdead}, {[]byte{3}, 20, 0xbeef}}, entry{[]byte{4, 5, 6}, 30, 7})
	le := binary.LittleEndian
	if string(b[:8]) != magic || le.Uint32(b[8:]) != formatVersion {
		t.Fatalf("header %q", b[:12])
	}
	// magic 8, format 4, version 2+5, count 4, entries (1+1+16)+(1+2+16), partitions 16.
	const size = 8 + 4 + 7 + 4 + 18 + 19 + 16
	if len(b) != size+6 {
		t.Fatalf("len %d", len(b))
	}
	first := b[8+4+7+4+2:]
	if off, n, raw, crc := le.Uint32(first), le.Uint32(first[4:]), le.Uint32(first[8:]), le.Uint32(first[12:]); off != size || n != 2 || raw != 10 || crc != 0xdead {
		t.Errorf("first entry %d %d %d %x", off, n, raw, crc)
	}
	if !bytes.Equal(b[size:], []byte{1, 2, 3, 4, 5, 6}) {
		t.Errorf("blobs %v", b[size:])
	}
}

func TestDeflateChunks(t *testing.T) {
	b := bytes.Repeat([]byte("abcdefgh"), chunkSize/8*2+3) // two streams and a bit
	z, err := deflateChunks(b, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	n, k := binary.Uvarint(z)
	if n != 3 {
		t.Fatalf("%d streams", n)
	}
	var total uint64
	for range n {
		_, k1 := binary.Uvarint(z[k:])
		k += k1
		l, k2 := binary.Uvarint(z[k:])
		k += k2
		total += l
	}
	if total != uint64(len(b)) {
		t.Errorf("streams hold %d bytes of %d", total, len(b))
	}
	if z, _ := deflateChunks(nil, flate.BestCompression); len(z) == 0 || z[0] != 1 {
		t.Errorf("empty input: %v", z)
	}
	// A large entry is stored, not compressed.
	big := bytes.Repeat([]byte("abcdefgh"), storedFrom/8+1)
	if e, err := newEntry(big); err != nil || len(e.z) < len(big) {
		t.Errorf("an entry of %d bytes takes %d, %v", len(big), len(e.z), err)
	}
	if e, err := newEntry(big[:storedFrom]); err != nil || len(e.z) > len(big)/10 {
		t.Errorf("an entry of %d bytes takes %d, %v", storedFrom, len(e.z), err)
	}
}
