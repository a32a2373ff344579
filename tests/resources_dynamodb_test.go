package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// ddbCounter counts the DynamoDB requests a session sends, by operation,
// from its debug log.
type ddbCounter struct {
	mu  sync.Mutex
	ops map[string]int
}

func (c *ddbCounter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, line := range strings.Split(string(p), "\n") {
		if _, op, ok := strings.Cut(line, "X-Amz-Target: DynamoDB_20120810."); ok {
			c.ops[strings.TrimSpace(op)]++
		}
	}
	return len(p), nil
}

func (c *ddbCounter) take(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.ops[op]
	c.ops[op] = 0
	return n
}

// ddbSession is a moto session whose requests are counted.
func ddbSession(t *testing.T) (*sdk.Session, *ddbCounter) {
	t.Helper()
	c := &ddbCounter{ops: map[string]int{}}
	s, err := sdk.NewSession(context.Background(),
		sdk.WithRegion(testenv.Region),
		sdk.WithCredentials(testenv.AccessKey, testenv.SecretKey, ""),
		sdk.WithEndpointURL(testenv.URL(t, "moto")),
		sdk.WithDebugLog(c))
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

type ddbLua struct {
	rt  *bindings.Runtime
	out bytes.Buffer
}

func newDDBLua(t *testing.T, sess *sdk.Session) *ddbLua {
	t.Helper()
	l := &ddbLua{}
	rt, err := bindings.New(bindings.Options{Session: sess, Stdout: &l.out})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rt.Close)
	l.rt = rt
	// check(cond, ...) fails with its message; a prelude for every chunk.
	l.must(t, `
		function check(cond, ...)
			if not cond then error("check failed: " .. table.concat({...}, " "), 2) end
		end
		function sorted(t) table.sort(t, function(a, b) return tostring(a) < tostring(b) end) return t end
		function join(t) local s = {} for i, v in ipairs(t) do s[i] = tostring(v) end return table.concat(s, ",") end`)
	return l
}

func (l *ddbLua) must(t *testing.T, src string, args ...string) string {
	t.Helper()
	l.out.Reset()
	if err := l.rt.DoString(t.Context(), src, "ddb.lua", args...); err != nil {
		t.Fatalf("%v\noutput:\n%s", err, l.out.String())
	}
	return l.out.String()
}

func (l *ddbLua) expect(t *testing.T, src, want string, args ...string) {
	t.Helper()
	if got := l.must(t, src, args...); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

// ddbDeleteTable removes a table at the end of a test.
func ddbDeleteTable(t *testing.T, sess *sdk.Session, name string) {
	t.Cleanup(func() {
		if c, err := sess.Client("dynamodb"); err == nil {
			c.Call(context.Background(), "DeleteTable", map[string]any{"TableName": name})
		}
	})
}

// TestDynamoDBResourceLua runs a table's life from Lua: created from the
// service resource, waited for, loaded, written and read with every kind
// of native value, queried and scanned with every condition, batch
// written, paged, updated and deleted.
func TestDynamoDBResourceLua(t *testing.T) {
	sess, count := ddbSession(t)
	name := testenv.Name("awslua-ddb")
	ddbDeleteTable(t, sess, name)
	l := newDDBLua(t, sess)

	t.Run("create, wait, load", func(t *testing.T) {
		l.expect(t, `
			local name = ...
			local ddb = aws.resource("dynamodb")
			local t = ddb:create_table{TableName = name, BillingMode = "PAY_PER_REQUEST",
				AttributeDefinitions = {{AttributeName = "pk", AttributeType = "S"}, {AttributeName = "sk", AttributeType = "S"}},
				KeySchema = {{AttributeName = "pk", KeyType = "HASH"}, {AttributeName = "sk", KeyType = "RANGE"}}}
			print(tostring(t), t.name == name, t == ddb:Table(name))
			t:wait_until_exists{WaiterConfig = {Delay = 0.1, MaxAttempts = 50}}
			t:load()
			print(t.table_status, t.item_count, #t.key_schema, t.key_schema[1].AttributeName, t.key_schema[2].KeyType)
			print(t.table_name == name, t.billing_mode_summary.BillingMode, t.meta.data.TableArn ~= nil)
		`, fmt.Sprintf("dynamodb.Table(name='%s')\ttrue\ttrue\n", name)+
			"ACTIVE\t0\t2\tpk\tRANGE\ntrue\tPAY_PER_REQUEST\ttrue\n", name)
	})

	t.Run("native values", func(t *testing.T) {
		l.expect(t, `
			local name = ...
			local D = aws.dynamodb
			local t = aws.resource("dynamodb"):Table(name)
			local big = D.decimal("12345678901234567890")
			local out = t:put_item{Item = {pk = "kinds", sk = "1", s = "text", n = 42, neg = -7, f = 2.5,
				big = big, pi = D.decimal("3.1415926535897932384626433832795028"),
				yes = true, no = false, none = D.null, bin = D.binary("\0\1\255"),
				ss = D.set{"a", "b", "a"}, ns = D.set{1, 2.5, big}, bs = D.set{D.binary("x"), D.binary("\0")},
				list = {1, "two", {three = 3}, {4, {5}}}, map = {inner = {deep = {x = D.null, l = {true}}}},
				empty_map = {}, empty_list = D.list{}},
				ReturnValues = "NONE"}
			print(out.ResponseMetadata.HTTPStatusCode)
			local item = t:get_item{Key = {pk = "kinds", sk = "1"}, ConsistentRead = true}.Item
			print(item.s, item.n, item.neg, item.f, type(item.n))
			print(type(item.big), tostring(item.big), item.big == big, tostring(item.pi))
			print(item.yes, item.no, item.none == D.null, tostring(item.none))
			print(type(item.bin), #item.bin, item.bin.value == "\0\1\255", item.bin == D.binary("\0\1\255"))
			print(#item.ss, join(sorted(item.ss:values())), item.ss:contains("a"), item.ss:contains("c"), item.ss:kind())
			print(#item.ns, item.ns:contains(1), item.ns:contains(2.5), item.ns:contains(big), item.ns:contains(3), item.ns:kind())
			print(#item.bs, item.bs:contains(D.binary("x")), item.bs:contains("x"), item.bs:kind())
			print(item.list[1], item.list[2], item.list[3].three, item.list[4][2][1], #item.list)
			print(item.map.inner.deep.x == D.null, item.map.inner.deep.l[1])
			print(next(item.empty_map), #item.empty_list, getmetatable(item.empty_list) ~= nil)
			-- Everything read writes back unchanged: the decimals keep every digit.
			item.sk = "2"
			t:put_item{Item = item}
			local again = t:get_item{Key = {pk = "kinds", sk = "2"}}.Item
			print(tostring(again.big), tostring(again.pi), again.ss == item.ss, again.ns == item.ns)
			print(#again.empty_list, getmetatable(again.empty_list) ~= nil, next(again.empty_map), again.bin == item.bin)
			-- The client still sees the wire form: the resource wrote real types.
			local raw = aws.client("dynamodb"):get_item{TableName = name, Key = {pk = {S = "kinds"}, sk = {S = "2"}}}.Item
			print(raw.big.N, raw.empty_list.L ~= nil, raw.empty_map.M ~= nil, raw.none.NULL, raw.bin.B == "\0\1\255", #raw.ss.SS, raw.f.N)
		`, "200\n"+
			"text\t42\t-7\t2.5\tnumber\n"+
			"userdata\t12345678901234567890\ttrue\t3.1415926535897932384626433832795028\n"+
			"true\tfalse\ttrue\taws.dynamodb.null\n"+
			"userdata\t3\ttrue\ttrue\n"+
			"2\ta,b\ttrue\tfalse\tSS\n"+
			"3\ttrue\ttrue\ttrue\tfalse\tNS\n"+
			"2\ttrue\tfalse\tBS\n"+
			"1\ttwo\t3\t5\t4\n"+
			"true\ttrue\n"+
			"nil\t0\ttrue\n"+
			"12345678901234567890\t3.1415926535897932384626433832795028\ttrue\ttrue\n"+
			"0\ttrue\tnil\ttrue\n"+
			"12345678901234567890\ttrue\ttrue\ttrue\ttrue\t2\t2.5\n", name)
	})

	t.Run("update and delete items, conditions on writes", func(t *testing.T) {
		l.expect(t, `
			local name = ...
			local D, A = aws.dynamodb, aws.dynamodb.Attr
			local t = aws.resource("dynamodb"):Table(name)
			t:put_item{Item = {pk = "u", sk = "1", count = 1, tags = D.set{"x"}}}
			local r = t:update_item{Key = {pk = "u", sk = "1"},
				UpdateExpression = "SET #c = #c + :one, profile = :p ADD tags :t",
				ExpressionAttributeNames = {["#c"] = "count"},
				ExpressionAttributeValues = {[":one"] = 1, [":p"] = {city = "Oslo", zip = D.decimal("00001")}, [":t"] = D.set{"y"}},
				ConditionExpression = A("count"):eq(1):And(A("tags"):contains("x")),
				ReturnValues = "ALL_NEW"}
			print(r.Attributes.count, r.Attributes.profile.city, #r.Attributes.tags, r.Attributes.tags:contains("y"))
			-- a condition that fails
			local ok, err = pcall(t.put_item, t, {Item = {pk = "u", sk = "1"}, ConditionExpression = A("pk"):not_exists()})
			print(ok, err.code)
			-- a condition merged with names and values of the caller's own
			r = t:update_item{Key = {pk = "u", sk = "1"}, UpdateExpression = "SET #n0 = :v0",
				ExpressionAttributeNames = {["#n0"] = "note"}, ExpressionAttributeValues = {[":v0"] = "hi"},
				ConditionExpression = A("count"):gte(2):And(A("profile.city"):begins_with("Os")), ReturnValues = "UPDATED_NEW"}
			print(r.Attributes.note)
			r = t:delete_item{Key = {pk = "u", sk = "1"}, ConditionExpression = A("note"):eq("hi"), ReturnValues = "ALL_OLD"}
			print(r.Attributes.note, r.Attributes.count, t:get_item{Key = {pk = "u", sk = "1"}}.Item)
		`, "2\tOslo\t2\ttrue\nfalse\tConditionalCheckFailedException\nhi\nhi\t2\tnil\n", name)
	})

	t.Run("query and scan with every condition", func(t *testing.T) {
		// Items q/01 .. q/12 with n = i, odd ones tagged, every third without a note.
		l.must(t, `
			local name = ...
			local D = aws.dynamodb
			local t = aws.resource("dynamodb"):Table(name)
			for i = 1, 12 do
				local item = {pk = "q", sk = string.format("%02d", i), n = i, word = (i % 2 == 1) and "odd" or "even",
					tags = D.set{"t" .. i, (i % 2 == 1) and "odd" or "even"}, list = {i, i + 1}}
				if i % 3 ~= 0 then item.note = "note " .. i end
				if i == 12 then item.word = 12 end
				t:put_item{Item = item}
			end`, name)
		l.expect(t, `
			local name = ...
			local K, A = aws.dynamodb.Key, aws.dynamodb.Attr
			local t = aws.resource("dynamodb"):Table(name)
			local function q(cond, filter)
				local r = t:query{KeyConditionExpression = K("pk"):eq("q"):And(cond), FilterExpression = filter}
				local out = {}
				for _, item in ipairs(r.Items) do out[#out + 1] = item.sk end
				return join(out)
			end
			print("eq", q(K("sk"):eq("05")))
			print("lt", q(K("sk"):lt("03")))
			print("lte", q(K("sk"):lte("03")))
			print("gt", q(K("sk"):gt("10")))
			print("gte", q(K("sk"):gte("10")))
			print("between", q(K("sk"):between("04", "06")))
			print("begins_with", q(K("sk"):begins_with("1")))
			local r = t:query{KeyConditionExpression = K("pk"):eq("q")}
			print("all", r.Count, r.Items[1].sk, r.Items[12].sk)
			local function s(filter)
				local r = t:scan{FilterExpression = A("pk"):eq("q"):And(filter)}
				local out = {}
				for _, item in ipairs(r.Items) do out[#out + 1] = item.n end
				table.sort(out)
				return join(out)
			end
			print("ne", s(A("word"):ne("odd")))
			print("is_in", s(A("n"):is_in{2, 4, 99}))
			print("exists", s(A("note"):not_exists()))
			print("not_exists", s(A("note"):exists():Not()))
			print("contains", s(A("note"):contains("1")))
			print("contains set", s(A("tags"):contains("t7")))
			print("size", s(A("tags"):size():gt(1):And(A("n"):gt(10))))
			print("size of list", s(A("list"):size():eq(2):And(A("n"):lt(2))))
			print("attribute_type", s(A("word"):attribute_type("N")))
			print("or", s(A("n"):eq(1):Or(A("n"):eq(12))))
			print("and not", s(A("n"):lte(4):And(A("word"):eq("odd"):Not())))
			print("two attributes", s(A("n"):lt(A("list[1]")):Or(A("n"):eq(3))))
			print("nested", s(A("list[0]"):between(5, 6)))
			print(tostring(K("pk"):eq("q"):And(A("n"):gt(1):Or(A("x"):exists()))))
			-- a key condition takes Key, not Attr
			local ok, err = pcall(t.query, t, {KeyConditionExpression = A("pk"):eq("q")})
			print(ok, err.code, (tostring(err):find("use Key", 1, true)) ~= nil)
		`, "eq\t05\nlt\t01,02\nlte\t01,02,03\ngt\t11,12\ngte\t10,11,12\nbetween\t04,05,06\nbegins_with\t10,11,12\n"+
			"all\t12\t01\t12\n"+
			"ne\t2,4,6,8,10,12\nis_in\t2,4\nexists\t3,6,9,12\nnot_exists\t3,6,9,12\ncontains\t1,10,11\ncontains set\t7\n"+
			"size\t11,12\nsize of list\t1\nattribute_type\t12\nor\t1,12\nand not\t2,4\ntwo attributes\t1,2,3,4,5,6,7,8,9,10,11,12\nnested\t5,6\n"+
			"pk = \"q\" AND (n > 1 OR attribute_exists(x))\n"+
			"false\tParamValidationError\ttrue\n", name)
	})

	t.Run("query_items and scan_items page through", func(t *testing.T) {
		count.take("Query")
		count.take("Scan")
		l.expect(t, `
			local name = ...
			local K, A = aws.dynamodb.Key, aws.dynamodb.Attr
			local t = aws.resource("dynamodb"):Table(name)
			-- one page of 5 has more after it
			local r = t:query{KeyConditionExpression = K("pk"):eq("q"), Limit = 5}
			print(r.Count, r.LastEvaluatedKey.pk, r.LastEvaluatedKey.sk)
			local seen = {}
			for item in t:query_items({KeyConditionExpression = K("pk"):eq("q"), ScanIndexForward = false}, {page_size = 5}) do
				seen[#seen + 1] = item.sk
			end
			print(#seen, seen[1], seen[12])
			local n = 0
			for item in t:scan_items({FilterExpression = A("pk"):eq("q"), Limit = 4}) do n = n + 1 end
			print(n)
			n = 0
			for item in t:query_items({KeyConditionExpression = K("pk"):eq("q")}, {page_size = 2, max_items = 5}) do n = n + 1 end
			print(n)
		`, "5\tq\t05\n12\t12\t01\n12\n5\n", name)
		// 1 Query; 12 items in pages of 5: 3 pages (moto may add an empty
		// fourth); pages of 2 until 5 items: 3.
		if q := count.take("Query"); q < 7 || q > 8 {
			t.Errorf("%d Query requests, want 1 + 3 (or 4) + 3", q)
		}
		// Scan pages of 4 over the whole table (items of other subtests too).
		if s := count.take("Scan"); s < 4 {
			t.Errorf("%d Scan requests, want at least 4 pages", s)
		}
	})

	t.Run("batch_writer", func(t *testing.T) {
		count.take("BatchWriteItem")
		l.expect(t, `
			local name = ...
			local A = aws.dynamodb.Attr
			local t = aws.resource("dynamodb"):Table(name)
			local w = t:batch_writer(function(batch)
				for i = 1, 60 do batch:put_item{Item = {pk = "batch", sk = string.format("%03d", i), n = i}} end
				print("pending", batch.pending, "sent", batch.requests)
			end)
			print("requests", w.requests, w.pending)
			local n, sum = 0, 0
			for item in t:scan_items{FilterExpression = A("pk"):eq("batch")} do n, sum = n + 1, sum + item.n end
			print(n, sum)
			-- deletes, and a flush at the end even when the function fails
			local ok, err = pcall(t.batch_writer, t, function(batch)
				for i = 1, 30 do batch:delete_item{Key = {pk = "batch", sk = string.format("%03d", i)}} end
				error("boom")
			end)
			print(ok, (tostring(err):find("boom", 1, true)) ~= nil)
			n = 0
			for item in t:scan_items{FilterExpression = A("pk"):eq("batch")} do n = n + 1 end
			print(n)
			-- overwrite_by_pkeys keeps the last request for a key
			w = t:batch_writer({overwrite_by_pkeys = {"pk", "sk"}}, function(batch)
				batch:put_item{Item = {pk = "dup", sk = "1", v = "first"}}
				batch:put_item{Item = {pk = "dup", sk = "1", v = "second"}}
				batch:delete_item{Key = {pk = "dup", sk = "2"}}
				batch:put_item{Item = {pk = "dup", sk = "2", v = "kept"}}
				print("pending", batch.pending)
			end)
			print(t:get_item{Key = {pk = "dup", sk = "1"}}.Item.v, t:get_item{Key = {pk = "dup", sk = "2"}}.Item.v)
			-- without a function: the caller flushes
			w = t:batch_writer()
			w:put_item{Item = {pk = "dup", sk = "3"}}
			print(w.pending, t:get_item{Key = {pk = "dup", sk = "3"}}.Item)
			w:flush()
			print(w.pending, w.requests, t:get_item{Key = {pk = "dup", sk = "3"}}.Item.sk)
			print(pcall(w.put_item, w, {Key = {pk = "x"}}))
		`, "pending\t10\tsent\t2\nrequests\t3\t0\n60\t1830\n"+
			"false\ttrue\n30\n"+
			"pending\t2\nsecond\tkept\n"+
			"1\tnil\n0\t1\t3\n"+
			"false\tddb.lua:37: batch:put_item takes {Item = ...}, not \"Key\"\n", name)
		if n := count.take("BatchWriteItem"); n != 3+2+1+1 {
			t.Errorf("%d BatchWriteItem requests, want 7", n)
		}
	})

	t.Run("service batch_get_item and batch_write_item", func(t *testing.T) {
		l.expect(t, `
			local name = ...
			local D = aws.dynamodb
			local ddb = aws.resource("dynamodb")
			local r = ddb:batch_write_item{RequestItems = {[name] = {
				{PutRequest = {Item = {pk = "bw", sk = "1", v = D.set{1, 2}}}},
				{PutRequest = {Item = {pk = "bw", sk = "2", v = {nested = D.binary("b")}}}},
				{DeleteRequest = {Key = {pk = "dup", sk = "1"}}}}}}
			print(next(r.UnprocessedItems))
			r = ddb:batch_get_item{RequestItems = {[name] = {Keys = {{pk = "bw", sk = "1"}, {pk = "bw", sk = "2"}, {pk = "dup", sk = "1"}},
				ConsistentRead = true}}}
			local got = {}
			for _, item in ipairs(r.Responses[name]) do got[item.sk] = item end
			print(#r.Responses[name], got["1"].v:contains(2), tostring(got["2"].v.nested), got["2"].pk)
		`, "nil\n2\ttrue\tb\tbw\n", name)
	})

	t.Run("tables collection", func(t *testing.T) {
		// Two more tables, so that there are at least three to page through.
		var names []string
		for i := range 2 {
			n := testenv.Name(fmt.Sprintf("awslua-ddb-list%d", i))
			ddbDeleteTable(t, sess, n)
			names = append(names, n)
		}
		count.take("ListTables")
		l.expect(t, `
			local ddb = aws.resource("dynamodb")
			local args = {...}
			local main = table.remove(args, 1)
			for _, n in ipairs(args) do
				ddb:create_table{TableName = n, BillingMode = "PAY_PER_REQUEST",
					AttributeDefinitions = {{AttributeName = "id", AttributeType = "S"}},
					KeySchema = {{AttributeName = "id", KeyType = "HASH"}}}:wait_until_exists()
			end
			local mine = {[main] = true}
			for _, n in ipairs(args) do mine[n] = true end
			local found, total = 0, 0
			for tbl in ddb.tables:all() do
				total = total + 1
				if mine[tbl.name] then found = found + 1; check(tbl.table_status == "ACTIVE") end
			end
			print(found, total >= 3)
			local n = 0
			for tbl in ddb.tables:page_size(1):limit(3) do n = n + 1 end
			print(n)
			local pages = 0
			for page in ddb.tables:page_size(1):limit(3):pages() do pages = pages + 1; check(#page == 1) end
			print(pages)
		`, "3\ttrue\n3\n3\n", name, names[0], names[1])
		// all(): one page; then two runs of three pages of one.
		if n := count.take("ListTables"); n < 7 {
			t.Errorf("%d ListTables requests, want at least 7", n)
		}
	})

	t.Run("update, delete, wait_until_not_exists", func(t *testing.T) {
		l.expect(t, `
			local name = ...
			local t = aws.resource("dynamodb"):Table(name)
			local u = t:update{BillingMode = "PROVISIONED", ProvisionedThroughput = {ReadCapacityUnits = 3, WriteCapacityUnits = 4}}
			print(tostring(u) == tostring(t), u.meta.data ~= nil, u.provisioned_throughput.ReadCapacityUnits)
			t:reload()
			print(t.provisioned_throughput.WriteCapacityUnits, t.item_count >= 0)
			local r = t:delete()
			print(r.TableDescription.TableName == name)
			t:wait_until_not_exists{WaiterConfig = {Delay = 0.1, MaxAttempts = 50}}
			local ok, err = pcall(t.load, t)
			print(ok, err.code)
		`, "true\ttrue\t3\n4\ttrue\ntrue\nfalse\tResourceNotFoundException\n", name)
	})
}

// TestDynamoDBResourceGo uses the same from Go: native values, Decimal,
// Set, conditions, the batch writer and the item iterators.
func TestDynamoDBResourceGo(t *testing.T) {
	ctx := t.Context()
	sess, count := ddbSession(t)
	name := testenv.Name("awslua-ddb-go")
	ddbDeleteTable(t, sess, name)
	ddb, err := sess.Resource("dynamodb")
	if err != nil {
		t.Fatal(err)
	}
	out, err := ddb.Action(ctx, "CreateTable", map[string]any{"TableName": name, "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "pk", "AttributeType": "S"}, map[string]any{"AttributeName": "sk", "AttributeType": "N"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"}, map[string]any{"AttributeName": "sk", "KeyType": "RANGE"}}})
	if err != nil {
		t.Fatal(err)
	}
	table, ok := out.(*sdk.Resource)
	if !ok || table.Type() != "Table" || table.Identifiers()["Name"] != name {
		t.Fatalf("create_table returned %v", out)
	}
	if err := table.Wait(ctx, "Exists", nil, sdk.WaiterConfig{Delay: 100 * time.Millisecond, MaxAttempts: 50}); err != nil {
		t.Fatal(err)
	}
	if ks, err := table.Attribute(ctx, "key_schema"); err != nil || len(ks.([]any)) != 2 {
		t.Fatalf("key_schema %v, %v", ks, err)
	}

	big := sdk.Decimal("98765432109876543210")
	tags, _ := sdk.NewSet("a", "b")
	nums, _ := sdk.NewSet(1, 2.5, big)
	item := map[string]any{"pk": "go", "sk": 1, "big": big, "f": 0.1, "i": int32(7), "nil": nil, "bin": []byte{0, 1},
		"tags": tags, "nums": nums, "list": []string{"x", "y"}, "m": map[string]int{"a": 1}}
	if _, err := table.Action(ctx, "PutItem", map[string]any{"Item": item}); err != nil {
		t.Fatal(err)
	}
	got, err := table.Action(ctx, "GetItem", map[string]any{"Key": map[string]any{"pk": "go", "sk": 1}})
	if err != nil {
		t.Fatal(err)
	}
	it := got.(map[string]any)["Item"].(map[string]any)
	gotTags := it["tags"].(*sdk.Set)
	gotNums := it["nums"].(*sdk.Set)
	if it["big"] != big || it["f"] != 0.1 || it["i"] != int64(7) || it["sk"] != int64(1) || !bytes.Equal(it["bin"].([]byte), []byte{0, 1}) ||
		gotTags.Len() != 2 || !gotTags.Contains("b") || gotTags.Kind() != "SS" ||
		!gotNums.Contains(sdk.Decimal("2.50")) || !gotNums.Contains(big) || gotNums.Contains(3) ||
		fmt.Sprint(it["list"]) != "[x y]" || fmt.Sprint(it["m"]) != "map[a:1]" {
		t.Errorf("item read back: %#v", it)
	}
	if v, ok := it["nil"]; !ok || v != nil {
		t.Errorf("NULL read back as %v, %v", v, ok)
	}

	// A query with a condition, and one that a key condition refuses.
	q, err := table.Action(ctx, "Query", map[string]any{
		"KeyConditionExpression": sdk.DynamoKey("pk").Eq("go").And(sdk.DynamoKey("sk").Between(0, 5)),
		"FilterExpression":       sdk.DynamoAttr("tags").Contains("a").And(sdk.DynamoAttr("big").Gt(sdk.Decimal("98765432109876543209"))),
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := q.(map[string]any)["Count"]; n != int64(1) {
		t.Errorf("query counted %v", n)
	}
	if _, err := table.Action(ctx, "Query", map[string]any{"KeyConditionExpression": sdk.DynamoAttr("pk").Eq("go")}); err == nil || !strings.Contains(err.Error(), "use Key") {
		t.Errorf("a key condition on Attr: %v", err)
	}
	// A value DynamoDB cannot hold is refused before anything is sent.
	if _, err := table.Action(ctx, "PutItem", map[string]any{"Item": map[string]any{"pk": "x", "sk": 1, "c": make(chan int)}}); err == nil ||
		!strings.Contains(err.Error(), "Item.c") {
		t.Errorf("a channel in an item: %v", err)
	}

	// The batch writer: 60 items in 3 requests, then the iterators.
	count.take("BatchWriteItem")
	w, err := table.BatchWriter()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 60 {
		if err := w.PutItem(ctx, map[string]any{"pk": "many", "sk": i, "even": i%2 == 0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if w.Requests() != 3 || count.take("BatchWriteItem") != 3 {
		t.Errorf("%d requests for 60 items, want 3", w.Requests())
	}
	count.take("Query")
	n := 0
	for item, err := range table.QueryItems(ctx, map[string]any{"KeyConditionExpression": sdk.DynamoKey("pk").Eq("many"),
		"FilterExpression": sdk.DynamoAttr("even").Eq(true)}, sdk.PaginationConfig{PageSize: 20}) {
		if err != nil {
			t.Fatal(err)
		}
		if item["sk"].(int64)%2 != 0 {
			t.Errorf("filter let %v through", item)
		}
		n++
	}
	if q := count.take("Query"); n != 30 || q < 3 {
		t.Errorf("%d items in %d pages, want 30 in 3 or more", n, q)
	}
	n = 0
	for _, err := range table.ScanItems(ctx, nil, sdk.PaginationConfig{PageSize: 7, MaxItems: 15}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 15 {
		t.Errorf("scan with MaxItems 15 gave %d", n)
	}
	// The service resource's tables collection finds the table.
	found := false
	tables, _ := ddb.Collection("tables")
	for tb, err := range tables.PageSize(2).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		found = found || tb.Identifiers()["Name"] == name
	}
	if !found {
		t.Errorf("tables collection misses %s", name)
	}
	if _, err := table.Action(ctx, "Delete", nil); err != nil {
		t.Fatal(err)
	}
	if err := table.Wait(ctx, "NotExists", nil, sdk.WaiterConfig{Delay: 100 * time.Millisecond, MaxAttempts: 50}); err != nil {
		t.Fatal(err)
	}
}

// TestDynamoDBValuesAndConditions checks the native values and the
// expressions conditions build, without a server.
func TestDynamoDBValuesAndConditions(t *testing.T) {
	for _, c := range []struct {
		n    string
		want any
	}{
		{"1", int64(1)}, {"-9007199254740991", int64(-9007199254740991)}, {"9007199254740992", sdk.Decimal("9007199254740992")},
		{"2.5", 2.5}, {"0.1", 0.1}, {"1E+2", int64(100)}, {"12345678901234567890", sdk.Decimal("12345678901234567890")},
		{"0.30000000000000000001", sdk.Decimal("0.30000000000000000001")}, {"1e-130", 1e-130}, {"123456789.123456789123", sdk.Decimal("123456789.123456789123")},
	} {
		if got := sdk.ParseNumber(c.n); got != c.want {
			t.Errorf("ParseNumber(%s) = %#v, want %#v", c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		v    any
		want string
	}{
		{nil, "map[NULL:true]"}, {"s", "map[S:s]"}, {int64(3), "map[N:3]"}, {2.5, "map[N:2.5]"}, {1e300, "map[N:1e+300]"},
		{sdk.Decimal("1.000"), "map[N:1.000]"}, {[]byte("b"), "map[B:[98]]"}, {true, "map[BOOL:true]"},
		{[]any{1, "a"}, "map[L:[map[N:1] map[S:a]]]"}, {map[string]any{"k": nil}, "map[M:map[k:map[NULL:true]]]"},
	} {
		got, err := sdk.WrapAttributeValue(c.v)
		if err != nil || fmt.Sprint(got) != c.want {
			t.Errorf("WrapAttributeValue(%#v) = %v, %v; want %s", c.v, got, err, c.want)
		}
	}
	if _, err := sdk.NewSet("a", 1); err == nil {
		t.Error("a set of a string and a number was made")
	}
	if s, _ := sdk.NewSet(1, 1.0, sdk.Decimal("1.00")); s.Len() != 1 {
		t.Errorf("a set of one number three ways holds %d", s.Len())
	}
	if _, err := sdk.WrapAttributeValue(&sdk.Set{}); err == nil {
		t.Error("an empty set was written")
	}

	K, A := sdk.DynamoKey, sdk.DynamoAttr
	for _, c := range []struct {
		c    *sdk.Condition
		key  bool
		want string
	}{
		{K("pk").Eq(1), true, "#n0 = :v0 [#n0=pk] [:v0=1]"},
		{K("pk").Eq("a").And(K("sk").Between(1, 9)), true, "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2 [#n0=pk #n1=sk] [:v0=a :v1=1 :v2=9]"},
		{A("a").Ne(1).Or(A("a").Lt(2)).Or(A("a").Lte(3)), false, "(#n0 <> :v0 OR #n0 < :v1) OR #n0 <= :v2 [#n0=a] [:v0=1 :v1=2 :v2=3]"},
		{A("a.b[2].c").Gt(1).And(A("d").Gte(2).Not()), false, "#n0.#n1[2].#n2 > :v0 AND (NOT #n3 >= :v1) [#n0=a #n1=b #n2=c #n3=d] [:v0=1 :v1=2]"},
		{A("s").BeginsWith("x"), false, "begins_with(#n0, :v0) [#n0=s] [:v0=x]"},
		{A("s").IsIn(1, 2, 3), false, "#n0 IN (:v0, :v1, :v2) [#n0=s] [:v0=1 :v1=2 :v2=3]"},
		{A("s").Exists().And(A("t").NotExists()), false, "attribute_exists(#n0) AND attribute_not_exists(#n1) [#n0=s #n1=t] []"},
		{A("s").Contains("x"), false, "contains(#n0, :v0) [#n0=s] [:v0=x]"},
		{A("s").Size().Gte(A("t").Size()), false, "size(#n0) >= size(#n1) [#n0=s #n1=t] []"},
		{A("s").AttributeType("SS"), false, "attribute_type(#n0, :v0) [#n0=s] [:v0=SS]"},
	} {
		e, err := c.c.Build(c.key)
		if err != nil {
			t.Errorf("%s: %v", c.c, err)
			continue
		}
		if got := fmt.Sprintf("%s %v %v", e.Expression, mapPairs(e.Names), mapPairs(e.Values)); got != c.want {
			t.Errorf("%s built\n%s\nwant\n%s", c.c, got, c.want)
		}
	}
	if _, err := A("pk").Eq(1).Build(true); err == nil {
		t.Error("a key condition took Attr")
	}
}

// mapPairs shows a map sorted, as [k=v ...].
func mapPairs[V any](m map[string]V) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%s=%v", k, v))
	}
	sort.Strings(parts)
	return "[" + strings.Join(parts, " ") + "]"
}

// TestDynamoDBReadmeExample runs the README's DynamoDB example against
// moto, on a table of its own.
func TestDynamoDBReadmeExample(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "### DynamoDB\n")
	_, block, ok2 := strings.Cut(section, "```lua\n")
	src, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README.md has no DynamoDB example")
	}
	sess, _ := ddbSession(t)
	name := testenv.Name("awslua-ddb-readme")
	ddbDeleteTable(t, sess, name)
	src = strings.NewReplacer(`"users"`, strconv.Quote(name), "{users =", "{[\""+name+"\"] =", ".users[", "[\""+name+"\"][").Replace(src)
	l := newDDBLua(t, sess)
	l.expect(t, src, "0\tpk\n30\ten\t2\ttrue\t12345678901234567890.01\n1\t31\n2026-01-02\nx\n8\n1\n")
}

// TestDynamoDBBatchWriterUnprocessed checks that the batch writer sends
// again what DynamoDB leaves unprocessed: moto never does, so a small
// server plays DynamoDB, leaving 5 of the first request and 3 of the
// second unprocessed.
func TestDynamoDBBatchWriterUnprocessed(t *testing.T) {
	var mu sync.Mutex
	var calls []int
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".BatchWriteItem") {
			http.Error(w, "unexpected "+r.Header.Get("X-Amz-Target"), http.StatusBadRequest)
			return
		}
		var in struct{ RequestItems map[string][]map[string]any }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		reqs := in.RequestItems["t"]
		calls = append(calls, len(reqs))
		for _, req := range reqs {
			b, _ := json.Marshal(req)
			seen[string(b)]++
		}
		var back []map[string]any
		switch len(calls) {
		case 1:
			back = reqs[:5]
		case 2:
			back = reqs[len(reqs)-3:]
		}
		body, _ := json.Marshal(map[string]any{"UnprocessedItems": map[string]any{"t": back}})
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.Header().Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10))
		w.Write(body)
	}))
	defer srv.Close()
	sess, err := sdk.NewSession(context.Background(), sdk.WithRegion(testenv.Region),
		sdk.WithCredentials(testenv.AccessKey, testenv.SecretKey, ""), sdk.WithEndpointURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	l := newDDBLua(t, sess)
	l.expect(t, `
		local w = aws.resource("dynamodb"):Table("t"):batch_writer(function(batch)
			for i = 1, 30 do batch:put_item{Item = {pk = "k" .. i, big = aws.dynamodb.decimal("123456789012345678901234567890")}} end
			print(batch.pending, batch.requests)
		end)
		print(w.pending, w.requests)
	`, "10\t1\n0\t3\n")
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(calls) != "[25 10 3]" {
		t.Errorf("requests of %v items, want [25 10 3]", calls)
	}
	twice := 0
	for req, n := range seen {
		if n == 2 {
			twice++
		}
		if !strings.Contains(req, `"N":"123456789012345678901234567890"`) {
			t.Errorf("request sent as %s", req)
		}
	}
	if len(seen) != 30 || twice != 8 {
		t.Errorf("%d items sent, %d of them twice; want 30 and 8", len(seen), twice)
	}
}
