// Command modelgen compiles botocore's JSON data into sdk/model's embedded
// bundle, data/models.bin. It is run by `go generate ./sdk/model`.
//
// For every service boto3 can create a client for (a data directory with a
// service-2 model), it takes the newest API version as botocore's loader
// does, merges the sdk-extras files, keeps only what sdk/model's types
// hold (so no documentation), normalizes paginators, records struct
// member order, and stores the service as its own compressed blob: a
// compact binary form of the JSON (binary.go) that decodes several times
// faster than JSON. -json writes the same data as JSON to read.
package main

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"hash/crc32"
	"io"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/awslua/awslua/sdk/endpoint"
)

// The bundle layout; sdk/model/bundle.go reads it and documents it.
const (
	magic         = "AWSLUAMB"
	formatVersion = 5
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("modelgen: ")
	dataDir := flag.String("data", os.Getenv("BOTOCORE_DATA"), "botocore's data directory (default: $BOTOCORE_DATA, else ask python3)")
	out := flag.String("o", "data/models.bin", "the bundle to write")
	types := flag.String("types", "model.go", "sdk/model's types, which decide what is kept")
	verbose := flag.Bool("v", false, "list the keys dropped from the models")
	jsonDir := flag.String("json", "", "also write each service's stripped model as DIR/NAME.json, to read")
	flag.Parse()

	if *dataDir == "" {
		dir, err := botocoreDataDir()
		if err != nil {
			log.Fatalf("cannot find botocore's data (set -data or BOTOCORE_DATA): %v", err)
		}
		*dataDir = dir
	}
	bundle, st, err := build(*dataDir, *types, *jsonDir)
	if err != nil {
		log.Fatal(err)
	}
	if err := writeFileAtomic(*out, bundle); err != nil {
		log.Fatal(err)
	}
	log.Printf("botocore %s: %d services, %.1f MB uncompressed, %.2f MB written to %s",
		st.version, st.services, float64(st.raw)/1e6, float64(len(bundle))/1e6, *out)
	sch := st.schema
	if *verbose {
		keys := make([]string, 0, len(sch.dropped))
		for k := range sch.dropped {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			log.Printf("dropped %-40s %d", k, sch.dropped[k])
		}
	}
}

// stats says what build did, for the log.
type stats struct {
	version  string
	services int
	raw      int // bytes before compression
	schema   *schema
}

// build compiles the bundle from botocore's data directory, reading what
// to keep from the Go types at typesPath; with jsonDir set it also writes
// each service's JSON there.
func build(dataDir, typesPath, jsonDir string) ([]byte, stats, error) {
	var st stats
	version, err := botocoreVersion(dataDir)
	if err != nil {
		return nil, st, err
	}
	sch, err := loadSchema(typesPath)
	if err != nil {
		return nil, st, err
	}
	names, err := serviceNames(dataDir)
	if err != nil {
		return nil, st, err
	}
	st = stats{version: version, services: len(names), schema: sch}

	parts, err := readJSON(filepath.Join(dataDir, "partitions"))
	if err != nil {
		return nil, st, err
	}
	var pbuf bytes.Buffer
	if err := encodeTree(&pbuf, parts); err != nil {
		return nil, st, err
	}
	partitions, err := endpoint.ParsePartitions(pbuf.Bytes())
	if err != nil {
		return nil, st, fmt.Errorf("partitions: %v", err)
	}

	var entries []entry
	for _, name := range names {
		tree, err := compileService(sch, dataDir, name, partitions)
		if err != nil {
			return nil, st, fmt.Errorf("%s: %v", name, err)
		}
		if jsonDir != "" {
			var buf bytes.Buffer
			if err := encodeTree(&buf, tree); err != nil {
				return nil, st, fmt.Errorf("%s: %v", name, err)
			}
			if err := writeFileAtomic(filepath.Join(jsonDir, name+".json"), buf.Bytes()); err != nil {
				return nil, st, err
			}
		}
		bin, err := encodeBinary(tree)
		if err != nil {
			return nil, st, fmt.Errorf("%s: %v", name, err)
		}
		st.raw += len(bin)
		e, err := newEntry(bin)
		if err != nil {
			return nil, st, err
		}
		entries = append(entries, e)
	}
	pe, err := newEntry(pbuf.Bytes())
	if err != nil {
		return nil, st, err
	}
	return writeBundle(version, names, entries, pe), st, nil
}

// botocoreDataDir asks python3 where the botocore it imports keeps its data.
func botocoreDataDir() (string, error) {
	return python("import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), 'data'))")
}

func python(code string) (string, error) {
	out, err := exec.Command("python3", "-c", code).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("python3: %v: %s", err, ee.Stderr)
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

var versionRE = regexp.MustCompile(`(?m)^__version__\s*=\s*['"]([^'"]+)['"]`)

// botocoreVersion reads __version__ from the botocore package that holds
// the data, so the bundle names the data it was built from even when
// python3 would import another botocore.
func botocoreVersion(dataDir string) (string, error) {
	if b, err := os.ReadFile(filepath.Join(dataDir, "..", "__init__.py")); err == nil {
		if m := versionRE.FindSubmatch(b); m != nil {
			return string(m[1]), nil
		}
	}
	v, err := python("import botocore; print(botocore.__version__)")
	if err != nil {
		return "", fmt.Errorf("cannot tell botocore's version: %v", err)
	}
	return v, nil
}

// serviceNames lists the directories with a service-2 model in some API
// version: boto3's get_available_services().
func serviceNames(dataDir string) ([]string, error) {
	ents, err := os.ReadDir(dataDir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		if _, err := latestVersion(filepath.Join(dataDir, e.Name())); err == nil {
			names = append(names, e.Name())
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no service models", dataDir)
	}
	return names, nil
}

// latestVersion is the newest API version directory holding a service-2
// model: botocore sorts the names and takes the last.
func latestVersion(serviceDir string) (string, error) {
	ents, err := os.ReadDir(serviceDir)
	if err != nil {
		return "", err
	}
	var versions []string
	for _, e := range ents {
		if e.IsDir() && exists(filepath.Join(serviceDir, e.Name(), "service-2")) {
			versions = append(versions, e.Name())
		}
	}
	if len(versions) == 0 {
		return "", fs.ErrNotExist
	}
	slices.Sort(versions)
	return versions[len(versions)-1], nil
}

func exists(base string) bool {
	for _, ext := range []string{".json", ".json.gz"} {
		if _, err := os.Stat(base + ext); err == nil {
			return true
		}
	}
	return false
}

// readJSON reads base.json, or base.json.gz, in the order botocore tries
// them. A missing file is fs.ErrNotExist.
func readJSON(base string) (any, error) {
	if f, err := os.Open(base + ".json"); err == nil {
		defer f.Close()
		return decodeTree(f)
	}
	f, err := os.Open(base + ".json.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s.json.gz: %v", base, err)
	}
	v, err := decodeTree(zr)
	if err != nil {
		return nil, fmt.Errorf("%s.json.gz: %v", base, err)
	}
	return v, nil
}

// loadModel reads one of a service's files with its sdk-extras merged in;
// nil when the service has no such file.
func loadModel(dir, typeName string) (*object, error) {
	v, err := readJSON(filepath.Join(dir, typeName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", typeName, err)
	}
	o, ok := v.(*object)
	if !ok {
		return nil, fmt.Errorf("%s: not a JSON object", typeName)
	}
	extras, err := readJSON(filepath.Join(dir, typeName+".sdk-extras"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("%s.sdk-extras: %v", typeName, err)
	default:
		if eo, ok := extras.(*object); ok {
			if m := eo.obj("merge"); m != nil {
				deepMerge(o, m)
			}
		}
	}
	return o, nil
}

// compileService builds one service's stripped model as a tree, with its
// endpoint rule set compiled against partitions.
func compileService(sch *schema, dataDir, name string, partitions *endpoint.Partitions) (any, error) {
	sdir := filepath.Join(dataDir, name)
	version, err := latestVersion(sdir)
	if err != nil {
		return nil, err
	}
	// Paginators, waiters and the rule set come from the same API version
	// as the service model: botocore loads them by the model's apiVersion.
	dir := filepath.Join(sdir, version)
	svc, err := loadModel(dir, "service-2")
	if err != nil {
		return nil, err
	}
	if md := svc.obj("metadata"); md != nil {
		if av, _ := md.get("apiVersion"); av != version {
			log.Printf("%s: metadata.apiVersion %v is not its directory %s", name, av, version)
		}
	}
	recordMemberOrder(svc)

	if p, err := loadModel(dir, "paginators-1"); err != nil {
		return nil, err
	} else if p != nil {
		pag := p.obj("pagination")
		if pag == nil {
			return nil, fmt.Errorf("paginators-1: no pagination object")
		}
		normalizePaginators(pag)
		svc.set("paginators", pag)
	}
	if w, err := loadModel(dir, "waiters-2"); err != nil {
		return nil, err
	} else if w != nil {
		if ws := w.obj("waiters"); ws != nil {
			svc.set("waiters", ws)
		}
	}
	if rs, err := loadModel(dir, "endpoint-rule-set-1"); err != nil {
		return nil, err
	} else if rs != nil {
		// Compiled here, so that a client's first call reads the rules
		// rather than parsing JSON and compiling it (S3: 3.4 ms).
		var buf bytes.Buffer
		if err := encodeTree(&buf, stripProse(rs)); err != nil {
			return nil, err
		}
		rules, err := endpoint.Parse(buf.Bytes(), partitions)
		if err != nil {
			return nil, fmt.Errorf("endpoint-rule-set-1: %v", err)
		}
		compiled, err := rules.AppendBinary(nil)
		if err != nil {
			return nil, fmt.Errorf("endpoint-rule-set-1: %v", err)
		}
		svc.set("ruleSet", compiled)
	}

	out, err := sch.filter(svc, ast.NewIdent("Service"), "Service")
	if err != nil {
		return nil, err
	}
	recordErrorCodes(out.(*object))
	return out, nil
}

// recordErrorCodes writes errorCodes, each error shape's name and the code
// an error response names it by, so that a client lists and matches its
// service's errors without decoding every shape.
func recordErrorCodes(svc *object) {
	shapes, ok := svc.vals["shapes"].(index)
	if !ok {
		return
	}
	codes := newObject()
	for _, name := range shapes.keys {
		sh, _ := shapes.vals[name].(*object)
		if sh == nil {
			continue
		}
		errTrait, isErr := sh.vals["error"].(*object)
		if exc, _ := sh.vals["exception"].(bool); !exc && !isErr {
			continue
		}
		code := name
		if errTrait != nil {
			if c, _ := errTrait.vals["code"].(string); c != "" {
				code = c
			}
		}
		codes.set(name, code)
	}
	if len(codes.keys) > 0 {
		svc.set("errorCodes", codes)
	}
}

// recordMemberOrder writes each structure's member names, in the model's
// order, as memberOrder: the bundle's objects are written with sorted keys,
// and a Go map would not keep the order anyway.
func recordMemberOrder(svc *object) {
	shapes := svc.obj("shapes")
	if shapes == nil {
		return
	}
	for _, k := range shapes.keys {
		sh, _ := shapes.vals[k].(*object)
		if sh == nil {
			continue
		}
		if m := sh.obj("members"); m != nil && len(m.keys) > 0 {
			order := make([]any, len(m.keys))
			for i, mk := range m.keys {
				order[i] = mk
			}
			sh.set("memberOrder", order)
		}
	}
}

// normalizePaginators makes input_token, output_token and result_key
// lists: botocore writes each as a string when there is only one.
func normalizePaginators(pag *object) {
	for _, k := range pag.keys {
		p, _ := pag.vals[k].(*object)
		if p == nil {
			continue
		}
		for _, f := range []string{"input_token", "output_token", "result_key"} {
			if s, ok := p.vals[f].(string); ok {
				p.vals[f] = []any{s}
			}
		}
	}
}

// An entry is one compressed blob of the bundle with what the index says
// of it.
type entry struct {
	z   []byte // the stream table and the streams, or the bytes as they are
	raw int    // the uncompressed length
	crc uint32 // CRC-32 (IEEE) of the uncompressed bytes
}

// newEntry compresses b, unless it is larger than storedFrom or would not
// shrink: then the entry is b itself, which the index says by giving it
// the same stored and decompressed lengths. The checksum is there because
// raw DEFLATE has none: without it a damaged byte could decode into a
// wrong name rather than an error.
func newEntry(b []byte) (entry, error) {
	e := entry{b, len(b), crc32.ChecksumIEEE(b)}
	if len(b) > storedFrom {
		return e, nil
	}
	z, err := deflateChunks(b, flate.BestCompression)
	if err != nil || len(z) >= len(b) {
		return e, err
	}
	e.z = z
	return e, nil
}

// storedFrom is the size above which a service's tree is stored as it is,
// which the reader reads in place rather than inflates: inflating ec2's
// 450 KB took 2.3 ms of its first call, and even a copy of it costs its
// allocation. The four services above it (ec2, sagemaker, quicksight,
// connect) add 0.75 MB to the binary.
const storedFrom = 192 << 10

// chunkSize is how much of an entry one DEFLATE stream holds. Streams
// inflate independently, so a large service (ec2: 450 KB) inflates on
// several cores; 128 KiB costs about 1% of the bundle's size.
const chunkSize = 128 << 10

// deflateChunks compresses b as independent DEFLATE streams of chunkSize
// bytes each, behind a table: uvarint count, then per stream uvarint
// compressed length and uvarint length; then the streams.
func deflateChunks(b []byte, level int) ([]byte, error) {
	var table, data []byte
	n := 0
	for off := 0; off == 0 || off < len(b); off += chunkSize {
		part := b[off:min(off+chunkSize, len(b))]
		z, err := deflate(part, level)
		if err != nil {
			return nil, err
		}
		table = binary.AppendUvarint(table, uint64(len(z)))
		table = binary.AppendUvarint(table, uint64(len(part)))
		data = append(data, z...)
		n++
	}
	out := binary.AppendUvarint(nil, uint64(n))
	out = append(out, table...)
	return append(out, data...), nil
}

func deflate(b []byte, level int) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := flate.NewWriter(&buf, level)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeBundle lays out the header, the index and the blobs; see
// sdk/model/bundle.go for the format.
func writeBundle(version string, names []string, entries []entry, partitions entry) []byte {
	var h bytes.Buffer
	le := binary.LittleEndian
	h.WriteString(magic)
	h.Write(le.AppendUint32(nil, formatVersion))
	h.Write(le.AppendUint16(nil, uint16(len(version))))
	h.WriteString(version)
	h.Write(le.AppendUint32(nil, uint32(len(names))))
	// The header's size is known before the offsets are: each index entry
	// is a length byte, the name and four uint32s; then the partitions'.
	size := h.Len() + 16
	for _, n := range names {
		size += 1 + len(n) + 16
	}
	off := size
	put := func(e entry) {
		h.Write(le.AppendUint32(nil, uint32(off)))
		h.Write(le.AppendUint32(nil, uint32(len(e.z))))
		h.Write(le.AppendUint32(nil, uint32(e.raw)))
		h.Write(le.AppendUint32(nil, e.crc))
		off += len(e.z)
	}
	for i, n := range names {
		h.WriteByte(byte(len(n)))
		h.WriteString(n)
		put(entries[i])
	}
	put(partitions)
	if h.Len() != size {
		panic("modelgen: bundle header size miscounted")
	}
	for _, e := range entries {
		h.Write(e.z)
	}
	h.Write(partitions.z)
	return h.Bytes()
}

func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".models-*.tmp")
	if err != nil {
		return err
	}
	if _, err := io.Copy(tmp, bytes.NewReader(b)); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
