package bindings

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/awslua/awslua/sdk"
)

// TestCollectionMethods: the methods a collection has are those
// CollectionMethods names, which awslua check relies on.
func TestCollectionMethods(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	m := &module{}
	m.registerResource(L)
	var got []string
	for name := range m.collectionMethods {
		got = append(got, name)
	}
	slices.Sort(got)
	if want := CollectionMethods(); !slices.Equal(got, want) {
		t.Errorf("collections have %v, CollectionMethods names %v", got, want)
	}
}

// TestOptionNames: the options OptionNames gives are those the runtime
// names when it refuses one it does not take.
func TestOptionNames(t *testing.T) {
	rt, err := New(Options{SessionOptions: []sdk.Option{sdk.WithRegion("us-east-1"), sdk.WithCredentials("AK", "SK", "")}})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	for what, code := range map[string]string{
		"Session":  `aws.Session{no_such_option = 1}`,
		"client":   `aws.client("s3", {no_such_option = 1})`,
		"resource": `aws.resource("s3", {no_such_option = 1})`,
	} {
		err := rt.DoString(t.Context(), code, "test")
		_, listed, ok := strings.Cut(fmt.Sprint(err), "the options are: ")
		listed, _, _ = strings.Cut(listed, "\n")
		if want := strings.Join(OptionNames(what), ", "); !ok || listed != want {
			t.Errorf("%s: the runtime says %v; OptionNames gives %s", what, err, want)
		}
	}
}
