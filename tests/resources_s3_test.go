package tests

// Integration tests of the S3 resource model (sdk/models/s3.json) against
// moto, and MinIO where it helps: every resource is constructed and loaded,
// every collection is listed across pages, every batch action and waiter
// runs, and the sub-resources, references and actions that return
// resources give what boto3's would.

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// ---- helpers ----

// s3resLua returns a Lua runtime on a server and a bucket name that the
// test's cleanup empties (every version) and deletes, whether or not the
// script created the bucket.
func s3resLua(t *testing.T, server string) (*luaRT, string) {
	t.Helper()
	l := newLua(t, server, bindings.Options{})
	c := testenv.Client(t, server, "s3")
	name := testenv.Name("awslua-s3res")
	t.Cleanup(func() { s3resDeleteBucket(t, c, name) })
	return l, name
}

// s3resDeleteBucket removes every version, delete marker and multipart
// upload of a bucket, then the bucket; a bucket that is gone is fine.
func s3resDeleteBucket(t *testing.T, c *sdk.Client, bucket string) {
	ctx := context.Background()
	if _, err := c.Call(ctx, "HeadBucket", map[string]any{"Bucket": bucket}); err != nil {
		return
	}
	// moto logs every request into a bucket that logs into itself.
	c.Call(ctx, "PutBucketLogging", map[string]any{"Bucket": bucket, "BucketLoggingStatus": map[string]any{}})
	for page, err := range c.Paginate(ctx, "ListObjectVersions", map[string]any{"Bucket": bucket}, sdk.PaginationConfig{}) {
		if err != nil {
			t.Errorf("cleanup of %s: %v", bucket, err)
			return
		}
		var objects []any
		for _, list := range []string{"Versions", "DeleteMarkers"} {
			items, _ := page[list].([]any)
			for _, it := range items {
				m := it.(map[string]any)
				objects = append(objects, map[string]any{"Key": m["Key"], "VersionId": m["VersionId"]})
			}
		}
		if len(objects) > 0 {
			if _, err := c.Call(ctx, "DeleteObjects", map[string]any{"Bucket": bucket, "Delete": map[string]any{"Objects": objects, "Quiet": true}}); err != nil {
				t.Errorf("cleanup of %s: %v", bucket, err)
			}
		}
	}
	for page, err := range c.Paginate(ctx, "ListMultipartUploads", map[string]any{"Bucket": bucket}, sdk.PaginationConfig{}) {
		if err != nil {
			t.Errorf("cleanup of %s: %v", bucket, err)
			return
		}
		uploads, _ := page["Uploads"].([]any)
		for _, u := range uploads {
			m := u.(map[string]any)
			c.Call(ctx, "AbortMultipartUpload", map[string]any{"Bucket": bucket, "Key": m["Key"], "UploadId": m["UploadId"]})
		}
	}
	if _, err := c.Call(ctx, "DeleteBucket", map[string]any{"Bucket": bucket}); err != nil {
		t.Errorf("cleanup of %s: %v", bucket, err)
	}
}

// s3resPrelude defines the assertions the scripts share.
const s3resPrelude = resAssertions + `
`

// ---- the model ----

// TestS3ResourceModel checks what needs no server: every resource's shape
// is a type the SDK has (so its attributes resolve), and the has-entries
// split into sub-resources and references as boto3's do.
func TestS3ResourceModel(t *testing.T) {
	sess := offlineSession(t)
	s3, err := sess.Resource("s3")
	if err != nil {
		t.Fatal(err)
	}
	m, err := sdk.LookupResourceModel("s3")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(m.Resources); got != 18 {
		t.Errorf("%d resources, want boto3's 18", got)
	}
	for _, typ := range slices.Sorted(maps.Keys(m.Resources)) {
		ids := make([]any, len(m.Resources[typ].Identifiers))
		for i := range ids {
			ids[i] = fmt.Sprint("id", i)
		}
		r, err := s3.Get(typ, ids...)
		if err != nil {
			t.Errorf("s3.%s: %v", typ, err)
			continue
		}
		if len(r.AttributeNames()) == 0 {
			t.Errorf("%s: shape %q has no members: not a type of the SDK", typ, m.Resources[typ].Shape)
		}
		// boto3: a has-entry is a reference only when it takes the
		// resource's data; S3 has none, so all are sub-resources (methods).
		if refs := r.References(); len(refs) != 0 {
			t.Errorf("%s: references %v, want none", typ, refs)
		}
		if subs := r.SubResources(); len(subs) != len(m.Resources[typ].Has) {
			t.Errorf("%s: sub-resources %v, want %d", typ, subs, len(m.Resources[typ].Has))
		}
	}
	// A few attributes by the names boto3 gives them.
	for typ, attr := range map[string]string{
		"Bucket": "CreationDate", "Object": "ContentLength", "ObjectSummary": "Size", "ObjectVersion": "IsLatest",
		"MultipartUpload": "Initiated", "MultipartUploadPart": "PartNumber", "BucketAcl": "Grants", "ObjectAcl": "Grants",
		"BucketCors": "CORSRules", "BucketLifecycle": "Rules", "BucketLifecycleConfiguration": "Rules",
		"BucketLogging": "LoggingEnabled", "BucketNotification": "QueueConfigurations", "BucketPolicy": "Policy",
		"BucketRequestPayment": "Payer", "BucketTagging": "TagSet", "BucketVersioning": "MFADelete", "BucketWebsite": "IndexDocument",
	} {
		def := m.Resources[typ]
		ids := make([]any, len(def.Identifiers))
		for i := range ids {
			ids[i] = "x"
		}
		r, _ := s3.Get(typ, ids...)
		if r != nil && !slices.Contains(r.AttributeNames(), attr) {
			t.Errorf("%s has no attribute %s: %v", typ, attr, r.AttributeNames())
		}
	}
}

// ---- buckets, objects and object summaries ----

// s3resObjectsScript: buckets and their objects through the resource
// interface, on any server.
const s3resObjectsScript = s3resPrelude + `
local name = ...
local s3 = aws.resource("s3")

-- An action that returns a resource; the bucket's waiter; its load
-- (through ListBuckets) and the service's collection.
local b = s3:create_bucket{Bucket = name}
eq(tostring(b), "s3.Bucket(name='" .. name .. "')", "create_bucket returns")
eq(b, s3:Bucket(name), "the bucket")
b:wait_until_exists()
assert(b.creation_date ~= nil, "a bucket loads its creation date")
local listed = false
for x in s3.buckets:all() do
  if x == b then listed = true; assert(x.creation_date ~= nil, "listed buckets carry data") end
end
assert(listed, "s3.buckets lists the bucket")

-- put_object returns an Object; 7 objects under p/ and one under q/.
for i = 1, 7 do
  local key = string.format("p/%02d", i)
  local o = b:put_object{Key = key, Body = "body-" .. i}
  eq(tostring(o), "s3.Object(bucket_name='" .. name .. "', key='" .. key .. "')", "put_object returns")
end
b:put_object{Key = "q/x", Body = "x"}

-- The collection pages: 7 objects in pages of 2, limit across pages.
eq(count(b.objects:all()), 8, "objects")
eq(page_sizes(b.objects:filter{Prefix = "p/"}:page_size(2)), "2,2,2,1", "pages of 2")
eq(page_sizes(b.objects:filter{Prefix = "p/"}:page_size(2):limit(5)), "2,2,1", "limit 5 in pages of 2")
eq(count(b.objects:page_size(3):limit(4)), 4, "limit 4 in pages of 3")
local keys = {}
for o in b.objects:filter{Prefix = "p/"}:page_size(2) do keys[#keys + 1] = o.key end
eq(table.concat(keys, " "), "p/01 p/02 p/03 p/04 p/05 p/06 p/07", "keys in order")

-- ObjectSummary: data from the listing, a load through HeadObject, and
-- the Object it stands for.
local first
for o in b.objects:limit(1) do first = o end
eq(tostring(first), "s3.ObjectSummary(bucket_name='" .. name .. "', key='p/01')", "a summary")
eq(first.size, 6, "size from the listing")
assert(first.e_tag and first.last_modified, "etag and time from the listing")
local s = s3:ObjectSummary(name, "p/02")
eq(s.size, 6, "a summary loads")
local obj = s:Object()
eq(obj, s3:Object(name, "p/02"), "summary:Object()")
eq(obj, b:Object("p/02"), "bucket:Object(key)")
eq(obj.content_length, 6, "object loads through HeadObject")
eq(obj:Bucket(), b, "object:Bucket()")
eq(s:Bucket(), b, "summary:Bucket()")
eq(obj:get().Body:read(), "body-2", "object:get()")
eq(s:get().Body:read(), "body-2", "summary:get()")

-- put, reload, copy_from; Object and ObjectSummary alike.
obj:put{Body = "changed!"}
eq(obj.content_length, 8, "an action clears the data")
s:put{Body = "summary"}
eq(s:get().Body:read(), "summary", "summary:put()")
local copy = b:Object("copy")
copy:copy_from{CopySource = name .. "/p/03"}
eq(copy:get().Body:read(), "body-3", "object:copy_from()")
local scopy = s3:ObjectSummary(name, "scopy")
scopy:copy_from{CopySource = name .. "/p/04"}
eq(scopy.size, 6, "summary:copy_from()")

-- Waiters of Object and ObjectSummary.
obj:wait_until_exists()
s:wait_until_exists()
copy:delete()
copy:wait_until_not_exists()
scopy:delete()
s3:ObjectSummary(name, "scopy"):wait_until_not_exists()
raises(function() return copy.content_length end, "404")

-- delete_objects on the bucket.
b:delete_objects{Delete = {Objects = {{Key = "q/x"}}}}
b:Object("q/x"):wait_until_not_exists()

-- The batch action: one DeleteObjects per page of 3.
local out = b.objects:filter{Prefix = "p/"}:page_size(3):delete()
eq(#out, 3, "one request per page")
eq(#out[1].Deleted, 3, "the first page's objects")
eq(count(b.objects:all()), 0, "batch delete emptied the bucket")

b:delete()
b:wait_until_not_exists()
local bb = s3:Bucket(name)
bb:create()
bb:wait_until_exists()
bb:delete()
bb:wait_until_not_exists()
print("ok")
`

func TestS3ResourceObjects(t *testing.T) {
	for _, server := range []string{"moto", "minio"} {
		t.Run(server, func(t *testing.T) {
			l, name := s3resLua(t, server)
			if out := l.must(t, s3resObjectsScript, name); out != "ok\n" {
				t.Errorf("printed %q", out)
			}
		})
	}
}

// ---- versions ----

// TestS3ResourceVersions: BucketVersioning's actions, the object_versions
// collection with delete markers across pages, ObjectVersion's actions
// and its batch delete.
func TestS3ResourceVersions(t *testing.T) {
	l, name := s3resLua(t, "moto")
	out := l.must(t, s3resPrelude+`
local name = ...
local s3 = aws.resource("s3")
local b = s3:create_bucket{Bucket = name}
local v = b:Versioning()
eq(v, s3:BucketVersioning(name), "bucket:Versioning()")
eq(v:Bucket(), b, "versioning:Bucket()")
eq(v.status, nil, "a new bucket is not versioned")
v:enable()
eq(v.status, "Enabled", "enable()")

-- Three versions of a, two of b, then a delete marker on b: 6 entries.
local ids = {}
for i = 1, 3 do ids[#ids + 1] = b:Object("a"):put{Body = "a" .. i}.VersionId end
b:put_object{Key = "b", Body = "b1"}
b:put_object{Key = "b", Body = "b2"}
local marker = b:Object("b"):delete()
assert(marker.DeleteMarker, "deleting a versioned object leaves a marker")

eq(count(b.object_versions:all()), 6, "versions and delete markers")
eq(page_sizes(b.object_versions:page_size(2)), "2,2,2", "pages of 2")
eq(page_sizes(b.object_versions:page_size(2):limit(5)), "2,2,1", "limit 5 in pages of 2")
eq(count(b.object_versions:filter{Prefix = "a"}), 3, "filter")
-- b.objects shows only what is current: a.
eq(count(b.objects:all()), 1, "current objects")

-- The versions of a, with their data from the listing.
local latest, markers = 0, 0
local av = {}
for ov in b.object_versions:page_size(2) do
  if ov.object_key == "a" then
    av[#av + 1] = ov
    eq(ov.size, 2, "size from the listing")
    if ov.is_latest then latest = latest + 1; eq(ov.id, ids[3], "the latest version") end
  elseif ov.id == marker.VersionId then
    markers = markers + 1
  end
end
eq(#av, 3, "versions of a"); eq(latest, 1, "one latest"); eq(markers, 1, "the delete marker is listed")

-- An ObjectVersion: get, head, Object(), object:Version(id).
local first = b:Object("a"):Version(ids[1])
eq(tostring(first), "s3.ObjectVersion(bucket_name='" .. name .. "', object_key='a', id='" .. ids[1] .. "')", "tostring")
eq(first, s3:ObjectVersion(name, "a", ids[1]), "object:Version(id)")
eq(first:get().Body:read(), "a1", "version:get()")
eq(first:head().VersionId, ids[1], "version:head()")
eq(first:Object(), s3:Object(name, "a"), "version:Object()")
eq(s3:ObjectSummary(name, "a"):Version(ids[2]):get().Body:read(), "a2", "summary:Version(id)")

-- Delete one version, then the rest with the batch action, one request
-- per page of 4. moto ends a listing whose marker names a version that is
-- gone, so the first run deletes one page of 4 and the second the last.
first:delete()
eq(count(b.object_versions:filter{Prefix = "a"}), 2, "a version deleted")
local out = b.object_versions:page_size(4):delete()
eq(#out[1].Deleted, 4, "a page of versions deleted")
eq(out[1].Deleted[1].VersionId ~= nil, true, "by version")
eq(count(b.object_versions:all()), math.max(0, 5 - 4 * #out), "what is left")
if #out == 1 then b.object_versions:page_size(4):delete() end
eq(count(b.object_versions:all()), 0, "every version and marker deleted")

v:suspend()
eq(v.status, "Suspended", "suspend()")
v:put{VersioningConfiguration = {Status = "Enabled"}}
v:load()
eq(v.status, "Enabled", "put()")
print("ok")
`, name)
	if out != "ok\n" {
		t.Errorf("printed %q", out)
	}
}

// ---- multipart uploads ----

// TestS3ResourceMultipart: an upload begun from an Object, its parts
// uploaded and copied, the parts collection across pages, complete
// returning the Object; the bucket's multipart_uploads across pages, and
// abort.
func TestS3ResourceMultipart(t *testing.T) {
	l, name := s3resLua(t, "moto")
	out := l.must(t, s3resPrelude+`
local name = ...
local s3 = aws.resource("s3")
local b = s3:create_bucket{Bucket = name}
local five = string.rep("x", 5 * 1024 * 1024)
b:put_object{Key = "src", Body = five}

local obj = b:Object("big")
local mpu = obj:initiate_multipart_upload{ContentType = "text/plain"}
eq(mpu.bucket_name, name, "bucket_name"); eq(mpu.object_key, "big", "object_key")
assert(type(mpu.id) == "string" and #mpu.id > 0, "an upload id")
eq(mpu, s3:MultipartUpload(name, "big", mpu.id), "the upload")
eq(mpu, obj:MultipartUpload(mpu.id), "object:MultipartUpload(id)")
eq(mpu:Object(), obj, "upload:Object()")
raises(function() return mpu.initiated end, "no load method")

-- Part 1 uploaded, part 2 copied from src, part 3 a short last part.
local p1 = mpu:Part(1)
eq(tostring(p1), "s3.MultipartUploadPart(bucket_name='" .. name .. "', object_key='big', multipart_upload_id='" .. mpu.id .. "', part_number='1')", "tostring")
eq(p1:MultipartUpload(), mpu, "part:MultipartUpload()")
local e1 = p1:upload{Body = five}.ETag
local e2 = mpu:Part(2):copy_from{CopySource = name .. "/src"}.CopyPartResult.ETag
local e3 = s3:MultipartUploadPart(name, "big", mpu.id, 3):upload{Body = "tail"}.ETag

-- The parts collection: pages of 1, limit 2.
eq(page_sizes(mpu.parts:page_size(1)), "1,1,1", "parts in pages of 1")
eq(page_sizes(mpu.parts:page_size(1):limit(2)), "1,1", "limit 2")
local etags = {}
for p in mpu.parts:all() do
  etags[#etags + 1] = p.e_tag
  eq(p, mpu:Part(p.part_number), "a listed part")
  eq(p.size, p.part_number == 3 and 4 or #five, "size from the listing")
end
eq(table.concat(etags, " "), table.concat({e1, e2, e3}, " "), "the parts' etags")

local done = mpu:complete{MultipartUpload = {Parts = {
  {ETag = e1, PartNumber = 1}, {ETag = e2, PartNumber = 2}, {ETag = e3, PartNumber = 3}}}}
eq(done, obj, "complete returns the Object")
eq(done.content_length, 2 * #five + 4, "the completed object")
eq(done.content_type, "text/plain", "initiate_multipart_upload's parameters")

-- Three uploads in progress: the bucket's collection pages through them;
-- abort them all.
local started = {}
for i = 1, 3 do
  started[#started + 1] = s3:ObjectSummary(name, "up/" .. i):initiate_multipart_upload()
end
-- moto (and MinIO) ignore MaxUploads and answer with one page:
-- TestS3ResourceMultipartUploadPages pages through a fake S3 instead.
eq(count(b.multipart_uploads:page_size(1):limit(2)), 2, "limit 2")
local n = 0
for u in b.multipart_uploads:all() do
  n = n + 1
  eq(u, started[n], "listed in order")
  assert(u.initiated ~= nil, "data from the listing")
end
eq(n, 3, "uploads")
for _, u in ipairs(started) do u:abort() end
eq(count(b.multipart_uploads:all()), 0, "aborted")
print("ok")
`, name)
	if out != "ok\n" {
		t.Errorf("printed %q", out)
	}
}

// TestS3ResourceMultipartUploadPages pages through multipart_uploads on a
// fake S3 that honours max-uploads and the key marker, since moto and
// MinIO answer ListMultipartUploads with one page whatever it asks.
func TestS3ResourceMultipartUploadPages(t *testing.T) {
	var mu sync.Mutex
	var requests []string
	url, _ := s3Fake(t, func(n int32, w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if _, ok := q["uploads"]; !ok || r.Method != http.MethodGet {
			http.Error(w, "unexpected "+r.Method+" "+r.URL.String(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		requests = append(requests, q.Get("max-uploads")+"@"+q.Get("key-marker"))
		mu.Unlock()
		limit, _ := strconv.Atoi(q.Get("max-uploads"))
		if limit == 0 {
			limit = 1000
		}
		var body strings.Builder
		last, shown := "", 0
		for i := 1; i <= 5; i++ {
			key := fmt.Sprintf("k%d", i)
			if key <= q.Get("key-marker") {
				continue
			}
			if shown == limit {
				break
			}
			fmt.Fprintf(&body, "<Upload><Key>%s</Key><UploadId>id-%d</UploadId><StorageClass>STANDARD</StorageClass></Upload>", key, i)
			last, shown = key, shown+1
		}
		truncated := last != "" && last < "k5"
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><KeyMarker>%s</KeyMarker><NextKeyMarker>%s</NextKeyMarker><NextUploadIdMarker>id-%s</NextUploadIdMarker><MaxUploads>%d</MaxUploads><IsTruncated>%t</IsTruncated>%s</ListMultipartUploadsResult>`,
			q.Get("key-marker"), last, strings.TrimPrefix(last, "k"), limit, truncated, body.String())
	})
	sess, err := sdk.NewSession(context.Background(), sdk.WithRegion("us-east-1"),
		sdk.WithCredentials("a", "b", ""), sdk.WithEndpointURL(url))
	if err != nil {
		t.Fatal(err)
	}
	l := newLua(t, "", bindings.Options{Session: sess})
	l.expect(t, s3resPrelude+`
local b = aws.resource("s3", {config = {s3 = {addressing_style = "path"}}}):Bucket("b")
eq(page_sizes(b.multipart_uploads:page_size(2)), "2,2,1", "pages of 2")
eq(page_sizes(b.multipart_uploads:page_size(2):limit(3)), "2,1", "limit 3 in pages of 2")
for u in b.multipart_uploads:page_size(2):limit(4) do print(tostring(u), u.storage_class) end
`, `s3.MultipartUpload(bucket_name='b', object_key='k1', id='id-1')	STANDARD
s3.MultipartUpload(bucket_name='b', object_key='k2', id='id-2')	STANDARD
s3.MultipartUpload(bucket_name='b', object_key='k3', id='id-3')	STANDARD
s3.MultipartUpload(bucket_name='b', object_key='k4', id='id-4')	STANDARD
`)
	want := "2@ 2@k2 2@k4 2@ 2@k2 2@ 2@k2"
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(requests, " "); got != want {
		t.Errorf("requests (max-uploads@key-marker) %s, want %s", got, want)
	}
}

// ---- the bucket's and the object's settings ----

// TestS3ResourceSettings: each of the bucket's configuration resources
// (bucket:Acl(), bucket:Cors(), ...) loads, puts and deletes; an object's
// Acl and restore_object.
func TestS3ResourceSettings(t *testing.T) {
	l, name := s3resLua(t, "moto")
	out := l.must(t, s3resPrelude+`
local name = ...
local s3 = aws.resource("s3")
local b = s3:create_bucket{Bucket = name}

-- Every configuration resource is a sub-resource of the bucket and of the
-- service, and refers back to the bucket.
for _, sub in ipairs{"Acl", "Cors", "Lifecycle", "LifecycleConfiguration", "Logging", "Notification",
                     "Policy", "RequestPayment", "Tagging", "Versioning", "Website"} do
  local r = b[sub](b)
  eq(r, s3["Bucket" .. sub](s3, name), "bucket:" .. sub .. "()")
  eq(r.bucket_name, name, sub .. ".bucket_name")
  eq(r:Bucket(), b, sub .. ":Bucket()")
end

-- Whether grants let everyone read.
local function public(grants)
  for _, g in ipairs(grants) do
    if g.Grantee.URI == "http://acs.amazonaws.com/groups/global/AllUsers" and g.Permission == "READ" then return true end
  end
  return false
end
local acl = b:Acl()
assert(acl.owner.ID, "the acl loads its owner")
eq(public(acl.grants), false, "a new bucket is private")
acl:put{ACL = "public-read"}
eq(public(acl.grants), true, "put() made the bucket public")

local cors = b:Cors()
raises(function() return cors.cors_rules end, "NoSuchCORSConfiguration")
cors:put{CORSConfiguration = {CORSRules = {{AllowedMethods = {"GET"}, AllowedOrigins = {"*"}, MaxAgeSeconds = 60}}}}
eq(cors.cors_rules[1].AllowedMethods[1], "GET", "cors rules")
eq(cors.cors_rules[1].MaxAgeSeconds, 60, "cors max age")
cors:delete()
raises(function() cors:load() end, "NoSuchCORSConfiguration")

-- Lifecycle (through the lifecycle configuration operations: S3 retired
-- the old ones) and LifecycleConfiguration see the same rules.
local rule = {ID = "tmp", Status = "Enabled", Filter = {Prefix = "tmp/"}, Expiration = {Days = 3}}
b:LifecycleConfiguration():put{LifecycleConfiguration = {Rules = {rule}}}
eq(b:Lifecycle().rules[1].ID, "tmp", "lifecycle rules")
b:Lifecycle():put{LifecycleConfiguration = {Rules = {{ID = "old", Status = "Enabled", Filter = {Prefix = "old/"}, Expiration = {Days = 9}}}}}
local lc = b:LifecycleConfiguration()
eq(lc.rules[1].ID, "old", "lifecycle configuration rules")
eq(lc.rules[1].Expiration.Days, 9, "expiration days")
lc:delete()
raises(function() lc:load() end, "NoSuchLifecycleConfiguration")
b:LifecycleConfiguration():put{LifecycleConfiguration = {Rules = {rule}}}
b:Lifecycle():delete()
raises(function() b:Lifecycle():load() end, "NoSuchLifecycleConfiguration")

-- Logging into the bucket itself, which lets the log delivery group write.
local logging = b:Logging()
eq(logging.logging_enabled, nil, "no logging yet")
acl:put{ACL = "log-delivery-write"}
logging:put{BucketLoggingStatus = {LoggingEnabled = {TargetBucket = name, TargetPrefix = "logs/"}}}
eq(logging.logging_enabled.TargetPrefix, "logs/", "logging")
-- moto writes an access log object for every request from now on: stop.
logging:put{BucketLoggingStatus = {}}
eq(logging.logging_enabled, nil, "logging stopped")

local note = b:Notification()
eq(note.queue_configurations, nil, "no notifications yet")
note:put{NotificationConfiguration = {QueueConfigurations = {{
  Id = "q", QueueArn = "arn:aws:sqs:us-east-1:123456789012:awslua-q", Events = {"s3:ObjectCreated:*"}}}}}
eq(note.queue_configurations[1].QueueArn, "arn:aws:sqs:us-east-1:123456789012:awslua-q", "notification")
eq(note.queue_configurations[1].Events[1], "s3:ObjectCreated:*", "notification events")

local policy = b:Policy()
raises(function() return policy.policy end, "NoSuchBucketPolicy")
local doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::' .. name .. '/*"}]}'
policy:put{Policy = doc}
assert(policy.policy:find("s3:GetObject", 1, true), "the policy")
policy:delete()
raises(function() policy:load() end, "NoSuchBucketPolicy")

-- moto has no GetBucketRequestPayment (it answers with a listing) and
-- MinIO no PutBucketRequestPayment: TestS3ResourceRequestPayment.

local tagging = b:Tagging()
tagging:put{Tagging = {TagSet = {{Key = "team", Value = "lua"}}}}
eq(tagging.tag_set[1].Key, "team", "tags"); eq(tagging.tag_set[1].Value, "lua", "tag value")
tagging:delete()
raises(function() tagging:load() end, "NoSuchTagSet")

local web = b:Website()
raises(function() return web.index_document end, "NoSuchWebsiteConfiguration")
web:put{WebsiteConfiguration = {IndexDocument = {Suffix = "index.html"}, ErrorDocument = {Key = "404.html"}}}
eq(web.index_document.Suffix, "index.html", "website index")
eq(web.error_document.Key, "404.html", "website error document")
web:delete()
raises(function() web:load() end, "NoSuchWebsiteConfiguration")

-- An object's Acl, from Object and ObjectSummary.
local obj = b:put_object{Key = "k", Body = "v"}
local oacl = obj:Acl()
eq(oacl, s3:ObjectAcl(name, "k"), "object:Acl()")
eq(oacl, s3:ObjectSummary(name, "k"):Acl(), "summary:Acl()")
eq(oacl:Object(), obj, "acl:Object()")
eq(oacl.object_key, "k", "object_key")
eq(public(oacl.grants), false, "a new object is private")
oacl:put{ACL = "public-read"}
eq(public(oacl.grants), true, "put() made the object public")

-- restore_object on an archived object, from Object and ObjectSummary.
local cold = b:put_object{Key = "cold", Body = "ice", StorageClass = "GLACIER"}
eq(cold.restore, nil, "not restored")
cold:restore_object{RestoreRequest = {Days = 1}}
assert(cold.restore and cold.restore:find("ongoing-request", 1, true), "restore requested: " .. tostring(cold.restore))
local cold2 = b:put_object{Key = "cold2", Body = "ice", StorageClass = "GLACIER"}
s3:ObjectSummary(name, "cold2"):restore_object{RestoreRequest = {Days = 1}}
assert(cold2.restore, "summary:restore_object()")
print("ok")
`, name)
	if out != "ok\n" {
		t.Errorf("printed %q", out)
	}
}

// TestS3ResourceRequestPayment: BucketRequestPayment loads on MinIO (moto
// answers GetBucketRequestPayment with a listing); its put, which neither
// server implements, goes to a fake S3 that checks the request.
func TestS3ResourceRequestPayment(t *testing.T) {
	t.Run("minio", func(t *testing.T) {
		l, name := s3resLua(t, "minio")
		l.expect(t, `
local b = aws.resource("s3"):create_bucket{Bucket = ...}
print(b:RequestPayment().payer)
`, "BucketOwner\n", name)
	})
	t.Run("fake", func(t *testing.T) {
		var mu sync.Mutex
		var puts []string
		url, hits := s3Fake(t, func(n int32, w http.ResponseWriter, r *http.Request) {
			if _, ok := r.URL.Query()["requestPayment"]; !ok || r.URL.Path != "/b" {
				http.Error(w, "unexpected "+r.Method+" "+r.URL.String(), http.StatusBadRequest)
				return
			}
			if r.Method == http.MethodPut {
				body, _ := io.ReadAll(r.Body)
				mu.Lock()
				puts = append(puts, string(body))
				mu.Unlock()
				return
			}
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<RequestPaymentConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Payer>Requester</Payer></RequestPaymentConfiguration>`)
		})
		sess, err := sdk.NewSession(context.Background(), sdk.WithRegion("us-east-1"),
			sdk.WithCredentials("a", "b", ""), sdk.WithEndpointURL(url))
		if err != nil {
			t.Fatal(err)
		}
		newLua(t, "", bindings.Options{Session: sess}).expect(t, `
local pay = aws.resource("s3", {config = {s3 = {addressing_style = "path"}}}):Bucket("b"):RequestPayment()
print(pay.payer)
pay:put{RequestPaymentConfiguration = {Payer = "Requester"}}
print(pay.payer)
`, "Requester\nRequester\n")
		mu.Lock()
		defer mu.Unlock()
		if len(puts) != 1 || !strings.Contains(puts[0], "<Payer>Requester</Payer>") {
			t.Errorf("PutBucketRequestPayment bodies: %q", puts)
		}
		if hits.Load() != 3 {
			t.Errorf("%d requests, want 3: get, put, get after the put", hits.Load())
		}
	})
}

// TestS3ResourceObjectBatchDelete runs Object's batch action, which boto3
// has although none of its S3 collections yields Objects: through a copy
// of the model with one more collection, of Objects.
func TestS3ResourceObjectBatchDelete(t *testing.T) {
	m, err := sdk.LookupResourceModel("s3")
	if err != nil {
		t.Fatal(err)
	}
	cp := *m
	cp.Resources = maps.Clone(m.Resources)
	bucket := *m.Resources["Bucket"]
	bucket.HasMany = maps.Clone(bucket.HasMany)
	objects := *bucket.HasMany["Objects"]
	objects.Resource.Type = "Object"
	bucket.HasMany["TestObjects"] = &objects
	cp.Resources["Bucket"] = &bucket
	sdk.RegisterResourceModel("s3", &cp)
	t.Cleanup(func() { sdk.RegisterResourceModel("s3", m) })

	l, name := s3resLua(t, "moto")
	l.expect(t, s3resPrelude+`
local b = aws.resource("s3"):create_bucket{Bucket = ...}
for i = 1, 5 do b:put_object{Key = "o" .. i, Body = "x"} end
local first
for o in b.test_objects:limit(1) do first = o end
eq(tostring(first), "s3.Object(bucket_name='" .. b.name .. "', key='o1')", "a collection of Objects")
local out = b.test_objects:page_size(2):delete()
eq(#out, 3, "one DeleteObjects per page of 2")
eq(out[3].Deleted[1].Key, "o5", "the last page")
print(count(b.objects:all()))
`, "0\n", name)
}
