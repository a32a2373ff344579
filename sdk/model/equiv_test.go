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
		slow.complete()
		if !reflect.DeepEqual(fast, slow) {
			diffService(t, name, fast, slow)
		}
	}
}

// diffService names the first parts that differ, to say which field the
// decoder gets wrong.
func diffService(t *testing.T, name string, fast, slow *Service) {
	t.Helper()
	fv, sv := reflect.ValueOf(fast).Elem(), reflect.ValueOf(slow).Elem()
	for i := range fv.NumField() {
		if !reflect.DeepEqual(fv.Field(i).Interface(), sv.Field(i).Interface()) {
			t.Errorf("%s: field %s differs", name, fv.Type().Field(i).Name)
		}
	}
	for k, a := range fast.Shapes {
		if b := slow.Shapes[k]; !reflect.DeepEqual(a, b) {
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
