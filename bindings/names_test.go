package bindings

import (
	"slices"
	"testing"

	lua "github.com/yuin/gopher-lua"
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
