package bindings_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/sdk"
)

// FuzzLuaParams passes arbitrary Lua expressions as an operation's
// parameters, through the Lua ⇄ Go conversion and validation, to a client
// whose endpoint refuses connections: whatever the script does, the
// runtime reports an error or succeeds, and never panics.
func FuzzLuaParams(f *testing.F) {
	for _, seed := range []string{
		`{Bucket = "b", Key = "k", Body = "x", Metadata = {a = "b"}}`,
		`{Bucket = 1}`, `{Bucket = {1, 2}}`, `{Delete = {Objects = {{Key = "a"}, {Kee = 1}}}}`,
		`{Bucket = "b", Expires = 1e308}`, `{[1] = "x"}`, `setmetatable({}, {__index = error})`,
		`{Bucket = "b", Key = string.rep("k", 1e5)}`, `nil`, `"x"`,
	} {
		f.Add(seed)
	}
	sess := sdk.FromConfig(aws.Config{Region: "us-east-1", RetryMaxAttempts: 1,
		BaseEndpoint: aws.String("http://127.0.0.1:1")})
	f.Fuzz(func(t *testing.T, params string) {
		if strings.Contains(params, "while") || strings.Contains(params, "repeat") || strings.Contains(params, "goto") {
			return // loops are the timeout's business, not this target's
		}
		rt, err := bindings.New(bindings.Options{Session: sess})
		if err != nil {
			t.Fatal(err)
		}
		defer rt.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		// Memory is not this target's business either: gopher-lua has no
		// limit, and string.rep("0", 1e9) in a key took gigabytes on its way
		// to the URL, until the fuzzing process was killed.
		const capRep = "do local rep = string.rep; string.rep = function(s, n, ...) assert(#s * (tonumber(n) or 0) <= 1e6, 'too long') return rep(s, n, ...) end end\n"
		rt.DoString(ctx, capRep+"local s3 = aws.client('s3')\nreturn s3:put_object("+params+")", "fuzz.lua")
	})
}
