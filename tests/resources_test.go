package tests

import (
	"context"
	"testing"

	"github.com/awslua/awslua/sdk"
)

// resAssertions are the Lua assertions the resource tests' scripts share.
const resAssertions = `
local function eq(got, want, what)
  if got ~= want then error(string.format("%s: got %s, want %s", what, tostring(got), tostring(want)), 2) end
end
local function count(coll)
  local n = 0
  for _ in coll do n = n + 1 end
  return n
end
local function page_sizes(coll)
  local sizes = {}
  for page in coll:pages() do sizes[#sizes + 1] = #page end
  return table.concat(sizes, ",")
end
local function raises(f, want)
  local ok, err = pcall(f)
  if ok then error("did not raise " .. want, 2) end
  if not tostring(err):find(want, 1, true) then error("raised " .. tostring(err) .. ", want " .. want, 2) end
end
`

// offlineSession is a session for checking models without a server: it has
// a region and keys, and sends nothing until a test calls something.
func offlineSession(t *testing.T) *sdk.Session {
	t.Helper()
	sess, err := sdk.NewSession(context.Background(), sdk.WithRegion("us-east-1"), sdk.WithCredentials("a", "b", ""))
	if err != nil {
		t.Fatal(err)
	}
	return sess
}
