package model

//go:generate go run ../../internal/modelgen
//go:generate python3 ../../internal/modelgen/snake_testdata.py

import (
	"bytes"
	"compress/flate"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"slices"
	"sync"
)

// The bundle, data/models.bin, is written by internal/modelgen:
//
//	magic     "AWSLUAMB"
//	version   uint32, bundleFormat
//	botocore  uint16 length, then the version string
//	count     uint32, then count index entries in name order:
//	          uint8 name length, name, then the entry's uint32 offset,
//	          stored length, decompressed length and CRC-32 (IEEE) of
//	          the decompressed bytes
//	partitions the same four uint32s for partitions.json
//	blobs     each service's model as a binary tree (decode.go), then
//	          partitions.json, minified; each compressed as a table of
//	          raw DEFLATE streams of up to 128 KiB (inflate), except that
//	          the largest trees are stored as they are, read in place:
//	          an entry whose stored and decompressed lengths are equal
//
// Integers are little-endian; offsets count from the start of the file.
// Each service is compressed alone so that loading one costs only its own
// inflate and decode.
//
//go:embed data/models.bin
var embedded []byte

const (
	bundleMagic  = "AWSLUAMB"
	bundleFormat = 5
)

// A blob locates one compressed entry of the bundle.
type blob struct {
	off, size, raw, crc uint32
}

// fits reports whether the entry lies inside a bundle of n bytes and
// claims no more output than DEFLATE can produce from its size (about
// 1032:1), so that a damaged index cannot demand a huge allocation.
func (e blob) fits(n int) bool {
	return uint64(e.off)+uint64(e.size) <= uint64(n) &&
		uint64(e.raw) <= 1032*uint64(e.size)+64
}

// An index is a parsed bundle header.
type index struct {
	bundle     []byte
	botocore   string
	names      []string // sorted, as written
	entries    map[string]blob
	partitions blob
}

// parseIndex reads a bundle's header. It checks every bound so that a
// damaged bundle is an error, not a panic.
func parseIndex(b []byte) (*index, error) {
	r := reader{b: b}
	if string(r.bytes(len(bundleMagic))) != bundleMagic {
		return nil, errors.New("model: the bundle is not a models.bin (bad magic)")
	}
	if v := r.u32(); v != bundleFormat {
		if r.err != nil {
			return nil, r.corrupt()
		}
		return nil, fmt.Errorf("model: the bundle has format %d, this build reads %d: run go generate ./sdk/model", v, bundleFormat)
	}
	ix := &index{bundle: b, entries: map[string]blob{}}
	ix.botocore = string(r.bytes(int(r.u16())))
	n := int(r.u32())
	if r.err != nil || n > len(b) {
		return nil, r.corrupt()
	}
	ix.names = make([]string, 0, n)
	for range n {
		name := string(r.bytes(int(r.u8())))
		e := r.blob()
		if r.err != nil {
			return nil, r.corrupt()
		}
		if !e.fits(len(b)) {
			return nil, fmt.Errorf("model: the bundle's entry for %q is damaged", name)
		}
		ix.names = append(ix.names, name)
		ix.entries[name] = e
	}
	ix.partitions = r.blob()
	if r.err != nil {
		return nil, r.corrupt()
	}
	if !ix.partitions.fits(len(b)) {
		return nil, errors.New("model: the bundle's partitions entry is damaged")
	}
	if !slices.IsSorted(ix.names) {
		slices.Sort(ix.names)
	}
	return ix, nil
}

// inflate decompresses one entry: a table of DEFLATE streams, each a
// slice of the entry's bytes, inflated side by side when there are
// several. The lengths in the index and the table size the output once
// and bound it, so a damaged entry cannot make the reader allocate
// without limit.
func (ix *index) inflate(e blob) ([]byte, error) {
	src := ix.bundle[e.off : e.off+e.size : e.off+e.size]
	if e.size == e.raw {
		// Stored as it is: read in place, which spares a large service
		// (ec2: 450 KB) a copy.
		return src, checksum(src, e)
	}
	r := &decoder{b: src}
	n := r.count()
	type chunk struct{ zoff, zlen, off, len int }
	chunks := make([]chunk, n)
	zoff, off := 0, 0
	for i := range chunks {
		zlen, l := r.count(), r.uvarint()
		if l > uint64(e.raw) {
			return nil, errors.New("a stream is longer than the entry")
		}
		chunks[i] = chunk{zoff, zlen, off, int(l)}
		zoff += zlen
		off += int(l)
	}
	if r.err != nil {
		return nil, r.err
	}
	if zoff != len(src)-r.off || off != int(e.raw) {
		return nil, errors.New("its stream table does not add up")
	}
	data := src[r.off:]
	out := make([]byte, e.raw)
	one := func(c chunk) error {
		return inflateInto(out[c.off:c.off+c.len], data[c.zoff:c.zoff+c.zlen])
	}
	if n == 1 || !goParallel() {
		for _, c := range chunks {
			if err := one(c); err != nil {
				return nil, err
			}
		}
		return out, checksum(out, e)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, c := range chunks {
		wg.Go(func() { errs[i] = one(c) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, checksum(out, e)
}

// parallelProcs is the GOMAXPROCS from which a large service inflates on
// several goroutines. Below it the process has too few cores for the
// split to pay: on a 2-core machine that other work kept busy, the
// parallel paths measured about 1 ms slower than the serial ones for ec2,
// while on idle cores they should save most of the inflate.
var parallelProcs = 4

func goParallel() bool { return runtime.GOMAXPROCS(0) >= parallelProcs }

// checksum catches the damage DEFLATE cannot see: a changed literal
// inflates fine into a wrong name.
func checksum(out []byte, e blob) error {
	if crc32.ChecksumIEEE(out) != e.crc {
		return errors.New("its checksum does not match")
	}
	return nil
}

// inflateInto fills out from one DEFLATE stream, which must hold exactly
// that many bytes.
func inflateInto(out, z []byte) error {
	zr := flate.NewReader(bytes.NewReader(z))
	defer zr.Close()
	if _, err := io.ReadFull(zr, out); err != nil {
		return err
	}
	var one [1]byte
	if n, _ := zr.Read(one[:]); n != 0 {
		return errors.New("a stream is longer than its table says")
	}
	return nil
}

// decode builds one service from the bundle, uncached.
func (ix *index) decode(name string) (*Service, error) {
	e, ok := ix.entries[name]
	if !ok {
		return nil, unknownService(name, ix.names)
	}
	tree, err := ix.inflate(e)
	if err != nil {
		return nil, fmt.Errorf("model: service %q: corrupt bundle entry: %w", name, err)
	}
	return decodeService(name, tree)
}

// decodeService builds a service from its inflated tree. The shapes stay
// undecoded but for their index, which is checked here.
func decodeService(name string, tree []byte) (*Service, error) {
	s := &Service{Name: name}
	d := newDecoder(tree)
	d.service(s)
	if d.err == nil && d.off != len(d.b) {
		d.fail("%d bytes left over", len(d.b)-d.off)
	}
	if d.err != nil {
		return nil, fmt.Errorf("model: service %q: corrupt bundle entry: %w", name, d.err)
	}
	if s.Operations == nil {
		s.Operations = map[string]*Operation{}
	}
	if s.shapes == nil {
		s.shapes = &shapeTable{service: name}
	}
	// The shapes carve what is left of the slabs, now that nothing else
	// will.
	s.shapes.d.refSlab, s.shapes.d.strSlab = d.refSlab, d.strSlab
	return s, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// reader walks the header; the first short read sets err and every later
// read returns zero values, so callers check once.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || r.off+n > len(r.b) {
		r.err = io.ErrUnexpectedEOF
		return nil
	}
	p := r.b[r.off : r.off+n]
	r.off += n
	return p
}

func (r *reader) u8() uint8 {
	if p := r.bytes(1); p != nil {
		return p[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if p := r.bytes(2); p != nil {
		return binary.LittleEndian.Uint16(p)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if p := r.bytes(4); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (r *reader) blob() blob {
	return blob{r.u32(), r.u32(), r.u32(), r.u32()}
}

func (r *reader) corrupt() error {
	return fmt.Errorf("model: the bundle's header is cut short at byte %d", r.off)
}

// The embedded bundle's index and the services decoded so far.
var (
	embeddedIndex = sync.OnceValues(func() (*index, error) { return parseIndex(embedded) })

	cacheMu sync.Mutex
	cache   = map[string]*cached{}
)

// cached is one service's decode, done once however many goroutines ask.
type cached struct {
	once sync.Once
	svc  *Service
	err  error
}

// Names returns boto3's service names, sorted: the services Load knows.
func Names() []string {
	ix, err := embeddedIndex()
	if err != nil {
		return nil
	}
	return slices.Clone(ix.names)
}

// Load returns the named service's model, decoding it on first use. The
// result is shared: callers must not modify it. An unknown name is an
// error that matches ErrUnknownService and suggests boto3's closest names.
func Load(name string) (*Service, error) {
	ix, err := embeddedIndex()
	if err != nil {
		return nil, err
	}
	if _, ok := ix.entries[name]; !ok {
		return nil, unknownService(name, ix.names)
	}
	cacheMu.Lock()
	c := cache[name]
	if c == nil {
		c = new(cached)
		cache[name] = c
	}
	cacheMu.Unlock()
	c.once.Do(func() { c.svc, c.err = ix.decode(name) })
	return c.svc, c.err
}

// loadFrom decodes one service from any bundle, uncached: the seam the
// tests use to feed damaged bundles.
func loadFrom(bundle []byte, name string) (*Service, error) {
	ix, err := parseIndex(bundle)
	if err != nil {
		return nil, err
	}
	return ix.decode(name)
}

// BotocoreVersion is the version of botocore whose data the bundle holds.
func BotocoreVersion() string {
	ix, err := embeddedIndex()
	if err != nil {
		return ""
	}
	return ix.botocore
}

// Partitions returns botocore's partitions.json (minified), which the
// endpoint rule sets' aws.partition function reads. It returns nil if the
// bundle is damaged.
func Partitions() []byte {
	b, err := partitions()
	if err != nil {
		return nil
	}
	return slices.Clone(b)
}

var partitions = sync.OnceValues(func() ([]byte, error) {
	ix, err := embeddedIndex()
	if err != nil {
		return nil, err
	}
	b, err := ix.inflate(ix.partitions)
	if err != nil {
		return nil, fmt.Errorf("model: partitions: corrupt bundle entry: %w", err)
	}
	return b, nil
})
