package model

import (
	"encoding/binary"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/awslua/awslua/internal/bundleformat"
)

// smallBundle is a valid bundle of the embedded data cut down to a few
// small services, so corruption tests and the fuzzer work on little input.
func smallBundle(t testing.TB, names ...string) []byte {
	t.Helper()
	ix, err := embeddedIndex()
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	var h []byte
	h = append(h, bundleMagic...)
	h = le.AppendUint32(h, bundleFormat)
	h = le.AppendUint16(h, uint16(len(ix.botocore)))
	h = append(h, ix.botocore...)
	h = le.AppendUint32(h, uint32(len(names)))
	size := len(h) + 16
	for _, n := range names {
		size += 1 + len(n) + 16
	}
	var blobs []byte
	off := size
	for _, n := range names {
		e := ix.entries[n]
		h = append(h, byte(len(n)))
		h = append(h, n...)
		h = le.AppendUint32(h, uint32(off))
		h = le.AppendUint32(h, e.size)
		h = le.AppendUint32(h, e.raw)
		h = le.AppendUint32(h, e.crc)
		blobs = append(blobs, ix.bundle[e.off:e.off+e.size]...)
		off += int(e.size)
	}
	p := ix.partitions
	h = le.AppendUint32(h, uint32(off))
	h = le.AppendUint32(h, p.size)
	h = le.AppendUint32(h, p.raw)
	h = le.AppendUint32(h, p.crc)
	blobs = append(blobs, ix.bundle[p.off:p.off+p.size]...)
	return append(h, blobs...)
}

func TestSmallBundle(t *testing.T) {
	b := smallBundle(t, "sqs", "sts")
	s, err := loadFrom(b, "sts")
	if err != nil || s.Name != "sts" || len(s.Operations) == 0 {
		t.Fatalf("loadFrom(sts) = %v, %v", s, err)
	}
	if _, err := loadFrom(b, "s3"); err == nil {
		t.Error("a service not in the bundle loaded")
	}
}

func TestCorruptBundle(t *testing.T) {
	good := smallBundle(t, "sts")
	ix, err := parseIndex(good)
	if err != nil {
		t.Fatal(err)
	}
	e := ix.entries["sts"]
	cases := map[string]func(b []byte) []byte{
		"flipped deflate bytes": func(b []byte) []byte {
			for i := e.off + 10; i < e.off+e.size; i += 97 {
				b[i] ^= 0x5a
			}
			return b
		},
		"truncated entry":  func(b []byte) []byte { return b[:e.off+e.size/2] },
		"truncated header": func(b []byte) []byte { return b[:20] },
		"bad magic":        func(b []byte) []byte { b[0] = 'X'; return b },
		"newer format": func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[8:], bundleFormat+1)
			return b
		},
		"huge claimed size": func(b []byte) []byte {
			// The entry's decompressed length is the last field of its index entry.
			i := strings.Index(string(b), "sts") + 3 + 8
			binary.LittleEndian.PutUint32(b[i:], 1<<31)
			return b
		},
		"wrong claimed size": func(b []byte) []byte {
			i := strings.Index(string(b), "sts") + 3 + 8
			binary.LittleEndian.PutUint32(b[i:], e.raw-1)
			return b
		},
		"wrong checksum": func(b []byte) []byte {
			i := strings.Index(string(b), "sts") + 3 + 12
			b[i] ^= 1
			return b
		},
		"empty": func(b []byte) []byte { return nil },
	}
	for name, damage := range cases {
		b := damage(append([]byte(nil), good...))
		s, err := loadFrom(b, "sts")
		if err == nil {
			t.Errorf("%s: loaded %v", name, s.Name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "model: ") {
			t.Errorf("%s: error %q does not say where it comes from", name, err)
		}
	}
}

// TestCorruptStream damages the last of several DEFLATE streams of an
// entry, which inflate on their own goroutines, and an entry stored as it
// is, which only its checksum guards.
func TestCorruptStream(t *testing.T) {
	defer func(p int) { parallelProcs = p }(parallelProcs)
	parallelProcs = 2
	all, err := embeddedIndex()
	if err != nil {
		t.Fatal(err)
	}
	// The first compressed service of several streams, and ec2, stored
	// as it is.
	i := slices.IndexFunc(all.names, func(n string) bool {
		e := all.entries[n]
		return e.size != e.raw && e.raw > 128<<10
	})
	if i < 0 {
		t.Fatal("no service is compressed in several streams")
	}
	for _, name := range []string{all.names[i], "ec2"} {
		good := smallBundle(t, name)
		ix, err := parseIndex(good)
		if err != nil {
			t.Fatal(err)
		}
		e := ix.entries[name]
		if _, err := loadFrom(good, name); err != nil {
			t.Fatal(err)
		}
		for _, at := range []uint32{e.size - 40, e.size - 200, 3} {
			b := append([]byte(nil), good...)
			b[e.off+at] ^= 0x44
			if _, err := loadFrom(b, name); err == nil {
				t.Errorf("%s: damage at %d of %d went unnoticed", name, at, e.size)
			}
		}
	}
}

// TestCorruptTree damages the inflated tree itself, where DEFLATE's checks
// and the checksum cannot catch it (a bug in the generator would): every
// decode must end in a service or an error, and so must every shape's.
func TestCorruptTree(t *testing.T) {
	tree := stsTree(t)
	for i := 0; i < len(tree); i += 7 {
		b := append([]byte(nil), tree...)
		b[i] ^= 0x21
		if s, err := decodeService("sts", b); err == nil {
			for _, name := range s.shapes.names {
				s.LookupShape(name)
			}
		}
	}
	for i := 0; i < len(tree); i += 101 {
		if _, err := decodeService("sts", tree[:i]); err == nil {
			t.Errorf("a tree cut at %d of %d decoded", i, len(tree))
		}
	}
}

// TestCorruptShape damages one shape's encoding: the service loads, and
// the shape is an error naming it when first used, each time it is asked
// for, while the others decode.
func TestCorruptShape(t *testing.T) {
	tree := stsTree(t)
	good, err := decodeService("sts", tree)
	if err != nil {
		t.Fatal(err)
	}
	const name = "GetCallerIdentityRequest"
	i := good.shapes.index(name)
	if i < 0 {
		t.Fatalf("sts has no %s", name)
	}
	b := append([]byte(nil), tree...)
	b[good.shapes.offs[i]] = bundleformat.TagTrue
	s, err := decodeService("sts", b)
	if err != nil {
		t.Fatalf("a damaged shape failed the whole service: %v", err)
	}
	for range 2 {
		_, err := s.LookupShape(name)
		if err == nil || !strings.Contains(err.Error(), `shape "GetCallerIdentityRequest": corrupt bundle entry`) {
			t.Errorf("LookupShape(%s) = %v", name, err)
		}
	}
	if s.Shape(name) != nil {
		t.Error("Shape returned a damaged shape")
	}
	n := 0
	for range s.Shapes() {
		n++
	}
	if n != len(s.shapes.names)-1 {
		t.Errorf("Shapes yielded %d of %d shapes, one damaged", n, len(s.shapes.names))
	}
	if s.Shape("GetCallerIdentityResponse") == nil {
		t.Error("an intact shape did not decode")
	}
}

// FuzzLoad feeds damaged bundles to the loader: it must return an error or
// a service, never panic or hang.
func FuzzLoad(f *testing.F) {
	good := smallBundle(f, "sts")
	f.Add(good, uint(0), byte(0))
	f.Add(good, uint(40), byte(1))
	f.Add(good, uint(len(good)/2), byte(0xff))
	f.Fuzz(func(t *testing.T, b []byte, at uint, x byte) {
		b = append([]byte(nil), b...)
		if len(b) > 0 {
			b[at%uint(len(b))] ^= x
		}
		s, err := loadFrom(b, "sts")
		if err != nil {
			return
		}
		if s.Name != "sts" {
			t.Fatalf("loaded %q as sts", s.Name)
		}
		for range s.Shapes() {
		}
	})
}

// TestShapesConcurrently decodes a fresh service's shapes from several
// goroutines at once, as clients shared across goroutines do: each shape
// must be decoded once, every goroutine seeing the same one (run it with
// -race).
func TestShapesConcurrently(t *testing.T) {
	ix, err := embeddedIndex()
	if err != nil {
		t.Fatal(err)
	}
	s, err := ix.decode("sqs")
	if err != nil {
		t.Fatal(err)
	}
	names := s.shapes.names
	const workers = 8
	got := make([][]*Shape, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			got[w] = make([]*Shape, len(names))
			for k := range names {
				i := (k + w*len(names)/workers) % len(names) // each starts elsewhere
				got[w][i] = s.Shape(names[i])
			}
		})
	}
	wg.Wait()
	for i, name := range names {
		for w := range workers {
			if got[w][i] == nil || got[w][i] != got[0][i] {
				t.Fatalf("shape %s: goroutine %d got %p, goroutine 0 %p", name, w, got[w][i], got[0][i])
			}
		}
	}
}

// stsTree is the inflated tree of sts's entry in a bundle of its own.
func stsTree(t *testing.T) []byte {
	t.Helper()
	ix, err := parseIndex(smallBundle(t, "sts"))
	if err != nil {
		t.Fatal(err)
	}
	tree, err := ix.inflate(ix.entries["sts"])
	if err != nil {
		t.Fatal(err)
	}
	return tree
}
