package repl

import (
	"context"
	"io"
	"net"
	"testing"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/sdk"
)

// FuzzComplete runs completion on any text before the cursor, as Tab does
// on whatever a user typed: it may offer anything or nothing, but must not
// panic. The session's endpoint refuses connections, so that the names
// completion lists (buckets, tables) fail at once.
func FuzzComplete(f *testing.F) {
	for _, seed := range []string{
		`s3:get_pa`, `aws.client("s3"):list_obj`, `aws.resource('s3'):Bucket("b").obj`,
		`ddb:create_table{KeySchema={{Att`, `ddb:create_table{BillingMode="PAY_`, `s3:list_objects_v2{Bucket="`,
		`aws.Session{pro`, `r.Reservations[1].`, `x = {[ "a"] = `, `--[[ s3:`, `"unclosed`, `a.b:c(`, `f("a", 'b'):`,
	} {
		f.Add(seed)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	refused := "http://" + l.Addr().String()
	l.Close()
	sess, err := sdk.NewSession(context.Background(), sdk.WithRegion("us-east-1"),
		sdk.WithCredentials("key", "secret", ""), sdk.WithEndpointURL(refused))
	if err != nil {
		f.Fatal(err)
	}
	rt, err := bindings.New(bindings.Options{Session: sess, Stdout: io.Discard})
	if err != nil {
		f.Fatal(err)
	}
	defer rt.Close()
	if _, err := rt.Eval(context.Background(), `s3, ddb, r = aws.client("s3"), aws.client("dynamodb"), {Reservations = {{Instances = {}}}}`); err != nil {
		f.Fatal(err)
	}
	c := &completer{L: rt.L}
	f.Fuzz(func(t *testing.T, before string) {
		c.Do([]rune(before), len([]rune(before)))
	})
}
