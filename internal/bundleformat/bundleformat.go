// Package bundleformat holds the constants of the model bundle's binary
// tree, which internal/modelgen writes and sdk/model reads: one place, so
// that the two cannot drift apart.
//
// A tree is JSON's data model with every string (keys included) replaced
// by its index in a table written once at the front; each value is a tag
// byte and its payload.
package bundleformat

// The tags of a tree's values.
const (
	TagNull   = 0
	TagFalse  = 1
	TagTrue   = 2
	TagString = 3  // uvarint string index
	TagUint   = 4  // uvarint value
	TagNeg    = 5  // uvarint of the value's negation
	TagNumber = 6  // uvarint string index of the number's JSON text
	TagArray  = 7  // uvarint count, then the values
	TagObject = 8  // uvarint count, then (uvarint key index, value) pairs
	TagRaw    = 9  // uvarint length, then minified JSON text
	TagBytes  = 10 // uvarint length, then the bytes: a compiled rule set
	// TagIndex is an object whose values can be found without reading
	// those before them: uvarint count, count × uvarint key index (keys
	// in byte order), count × uvarint byte length of the value, then the
	// values. A service's shapes are stored so, for sdk/model to decode
	// only the shapes a program reaches.
	TagIndex = 11
)
