package model

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestDecoderMatchesEncodingJSON decodes every service twice: with the
// hand-written decoder, and generically into JSON and through
// encoding/json into the same types. The two must be equal, so a field
// added to the types but not to the decoder shows up here.
func TestDecoderMatchesEncodingJSON(t *testing.T) {
	ix, err := embeddedIndex()
	if err != nil {
		t.Fatal(err)
	}
	// Take the parallel paths wherever the machine can, as users' will.
	defer func(p int) { parallelProcs = p }(parallelProcs)
	parallelProcs = 2
	names := ix.names
	if testing.Short() {
		names = []string{"s3", "ec2", "dynamodb", "sqs", "lambda", "cloudfront", "sts", "kinesis"}
	}
	for _, name := range names {
		fast, err := ix.decode(name)
		if err != nil {
			t.Fatal(err)
		}
		tree, err := ix.inflate(ix.entries[name])
		if err != nil {
			t.Fatal(err)
		}
		d := newDecoder(tree)
		generic := d.any()
		if d.err != nil {
			t.Fatalf("%s: %v", name, d.err)
		}
		js, err := json.Marshal(generic)
		if err != nil {
			t.Fatal(err)
		}
		slow := &Service{Name: name}
		if err := json.Unmarshal(js, slow); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if slow.Operations == nil {
			slow.Operations = map[string]*Operation{}
		}
		var slowShapes struct {
			Shapes map[string]*Shape `json:"shapes"`
		}
		if err := json.Unmarshal(js, &slowShapes); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, sh := range slowShapes.Shapes {
			if len(sh.MemberOrder) != len(sh.Members) {
				sh.MemberOrder = sortedKeys(sh.Members)
			}
		}
		diffService(t, name, fast, slow, slowShapes.Shapes)
	}
}

// diffService names the first parts that differ, to say which field the
// decoder gets wrong.
func diffService(t *testing.T, name string, fast, slow *Service, slowShapes map[string]*Shape) {
	t.Helper()
	fv, sv := reflect.ValueOf(fast).Elem(), reflect.ValueOf(slow).Elem()
	for i := range fv.NumField() {
		if !fv.Type().Field(i).IsExported() {
			continue
		}
		if !reflect.DeepEqual(fv.Field(i).Interface(), sv.Field(i).Interface()) {
			t.Errorf("%s: field %s differs", name, fv.Type().Field(i).Name)
		}
	}
	if len(fast.shapes.names) != len(slowShapes) {
		t.Errorf("%s: %d shapes, encoding/json finds %d", name, len(fast.shapes.names), len(slowShapes))
	}
	for k, b := range slowShapes {
		a, err := fast.LookupShape(k)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: shape %s:\n fast %+v\n json %+v", name, k, a, b)
			return
		}
	}
	for k, a := range fast.Operations {
		if b := slow.Operations[k]; !reflect.DeepEqual(a, b) {
			t.Errorf("%s: operation %s:\n fast %+v\n json %+v", name, k, a, b)
			return
		}
	}
}
