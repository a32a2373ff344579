package bindings

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// A usage is the line help() shows for a Go function of the module. It
// rides on the function as its upvalue, so that a function made on the fly
// (a client's upload_file, a table's put_item) describes itself and
// nothing has to remember which function is which.
type usage string

// documented makes a Go function that help() describes with use.
func documented(L *lua.LState, use string, fn lua.LGFunction) *lua.LFunction {
	return L.NewClosure(fn, &lua.LUserData{Value: usage(use)})
}

// usageOf returns the usage a function was documented with.
func usageOf(fn *lua.LFunction) (string, bool) {
	if !fn.IsG || len(fn.Upvalues) != 1 {
		return "", false
	}
	ud, ok := fn.Upvalues[0].Value().(*lua.LUserData)
	if !ok {
		return "", false
	}
	u, ok := ud.Value.(usage)
	return string(u), ok
}

// describe documents the Go functions of t that uses has a line for, by
// the name of each, with its usage.
func describe(L *lua.LState, t *lua.LTable, uses map[string]string) {
	t.ForEach(func(k, v lua.LValue) {
		fn, ok := v.(*lua.LFunction)
		use, has := uses[lua.LVAsString(k)]
		if ok && has && fn.IsG {
			t.RawSet(k, documented(L, use, fn.GFunction))
		}
	})
}

// usesByName indexes usage lines by the name they start with.
func usesByName(lines ...string) map[string]string {
	uses := map[string]string{}
	for _, line := range lines {
		name, _, _ := strings.Cut(line, " ")
		if i := strings.IndexAny(name, "({:"); i >= 0 {
			name = name[:i]
		}
		uses[name] = line
	}
	return uses
}

// moduleUses describe the functions of the aws module's parts.
var moduleUses = map[string]map[string]string{
	"base64": usesByName(
		"encode(s): s in base64",
		"decode(s): the bytes s holds in base64",
	),
	"checksum": usesByName(
		"etag(path [, part_size]): the ETag S3 gives the file when uploaded in parts of part_size bytes (8 MiB)",
	),
	"dynamodb": usesByName(
		"Key(name): a key condition, for KeyConditionExpression: Key(\"pk\"):eq(v), :begins_with(s), :between(a, b)...",
		"Attr(name): a condition on an attribute, for FilterExpression and ConditionExpression: Attr(\"n\"):gt(1), :exists()...",
		"binary(s): s as a binary value (B)",
		"decimal(s): a number of any precision (N), from a string of digits",
		"list{...}: the table marked as a list, so that an empty one is written as L",
		"set{v1, v2, ...}: a set of strings, numbers or binary values (SS, NS, BS)",
	),
	"fs": usesByName(
		"walk(dir): the regular files under dir, each {path=, rel=, size=, mtime=}",
	),
	"json": usesByName(
		"encode(v): v as JSON text",
		"decode(s): the value the JSON text s holds; null is aws.json.null",
	),
	"resource_model": usesByName(
		"load(path [, service]): adds the boto3 resources-1.json at path for service (the name in its path)",
	),
}

// describeModule documents the aws module's functions and those of its
// parts.
func describeModule(L *lua.LState, aws *lua.LTable) {
	describe(L, aws, moduleSignatures)
	for part, uses := range moduleUses {
		if t, ok := aws.RawGetString(part).(*lua.LTable); ok {
			describe(L, t, uses)
		}
	}
}
