package tests

// Resource models that boto3 does not have (Lambda, CloudWatch Logs, KMS,
// Secrets Manager, RDS: sdk/models/*.json), run against moto from Lua and
// from Go; and resource models loaded from a file at run time.

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/resourcemodel"
)

// ---- helpers ----

// extraZip returns a zip archive holding one Python handler, as Lambda
// takes code and layers.
func extraZip(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, err := w.Create("lambda_function.py")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(f, "def handler(event, context):\n    return {'ok': True}\n")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// extraRole creates an IAM role that moto's Lambda accepts (it checks that
// the role exists) and returns its ARN.
func extraRole(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	iam := testenv.Client(t, "moto", "iam")
	name := testenv.Name("awslua-lambda-role")
	out, err := iam.Call(ctx, "CreateRole", map[string]any{
		"RoleName":                 name,
		"AssumeRolePolicyDocument": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iam.Call(ctx, "DeleteRole", map[string]any{"RoleName": name}) })
	return out["Role"].(map[string]any)["Arn"].(string)
}

// extraResource returns the service resource of a service on moto.
func extraResource(t *testing.T, service string) *sdk.Resource {
	t.Helper()
	r, err := testenv.Session(t, "moto").Resource(service)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// extraAll collects a collection's resources, failing the test on error.
func extraAll(t *testing.T, c *sdk.Collection) []*sdk.Resource {
	t.Helper()
	var out []*sdk.Resource
	for r, err := range c.All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// extraPageSizes returns the number of resources in each page of a
// collection.
func extraPageSizes(t *testing.T, c *sdk.Collection) []int {
	t.Helper()
	var sizes []int
	for page, err := range c.Pages(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(page))
	}
	return sizes
}

// extraIDs returns one identifier of each resource.
func extraIDs(rs []*sdk.Resource, id string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprint(r.Identifiers()[id])
	}
	return out
}

var extraFastWait = sdk.WaiterConfig{Delay: 100 * time.Millisecond, MaxAttempts: 50}

// ---- Lambda ----

func TestResourceLambda(t *testing.T) {
	l := newLua(t, "moto", bindings.Options{})
	name := testenv.Name("awslua-fn")
	layer := testenv.Name("awslua-layer")
	out := l.must(t, `
local name, layer_name, role, zip = ...
local lambda = aws.resource("lambda")
local fn = lambda:create_function{FunctionName=name, Runtime="python3.12", Role=role,
  Handler="lambda_function.handler", Code={ZipFile=zip}, Description="first"}
assert(fn.name == name, tostring(fn))
-- the data of the response: no request
assert(fn.meta.data and fn.runtime == "python3.12", "data from create_function")
fn:wait_until_exists{WaiterConfig={Delay=0.1, MaxAttempts=50}}
fn:wait_until_active{WaiterConfig={Delay=0.1, MaxAttempts=50}}
fn:load()
assert(fn.state == "Active", tostring(fn.state))
assert(fn.function_arn:sub(-#name - 10) == ":function:" .. name, fn.function_arn)
assert(fn.description == "first")

-- an action clears the data: the next read loads again
fn:update_configuration{Description="second"}
fn:wait_until_updated{WaiterConfig={Delay=0.1, MaxAttempts=50}}
assert(fn.description == "second", tostring(fn.description))
assert(fn:get().Configuration.Description == "second")

fn:tag{Tags={team="lua"}}
assert(fn:list_tags{}.team == "lua")

-- versions and aliases
local v = fn:publish_version{Description="v1"}
assert(v.meta.resource_type == "Version" and v.function_name == name and v.version == "1", tostring(v))
v:wait_until_active{WaiterConfig={Delay=0.1, MaxAttempts=50}}
assert(v:Function() == fn)
local same = lambda:Version(name, "1")
same:load()
assert(same == v and same.description == "v1", tostring(same.description))
local versions = {}
for x in fn.versions:all() do versions[#versions+1] = x.version end
table.sort(versions)
assert(#versions == 2 and versions[1] == "$LATEST" and versions[2] == "1", table.concat(versions, ","))

local a = fn:create_alias{Name="live", FunctionVersion="1", Description="live one"}
assert(a.meta.resource_type == "Alias" and a.function_name == name and a.name == "live", tostring(a))
assert(a.function_version == "1")
local b = v:create_alias{Name="stable"}
assert(b.function_version == "1", tostring(b.function_version))
local byname = fn:Alias("live")
byname:load()
assert(byname == a and byname.description == "live one")
assert(a.version == v, "alias.version is the version it points at")
assert(a:Function() == fn)
a:update{Description="changed"}
assert(a.description == "changed")
local aliases = {}
for x in fn.aliases:all() do aliases[#aliases+1] = x.name end
table.sort(aliases)
assert(table.concat(aliases, ",") == "live,stable", table.concat(aliases, ","))
assert(#fn.aliases:limit(1):pages()() == 1)

-- invoke: moto runs code in Docker, which this machine lacks, so it
-- answers every invocation with a handled error that says so; that it
-- answers for this function (and not ResourceNotFound) is what we check.
for _, target in ipairs{fn, v, a} do
  local r = target:invoke{Payload='{"x": 1}'}
  assert(r.StatusCode == 200 and r.FunctionError == "Handled", tostring(target))
  assert(tostring(r.Payload):find("docker"), tostring(r.Payload))
end
local ok, err = pcall(function() return lambda:Function(name .. "-missing"):invoke{} end)
assert(not ok and tostring(err):find("ResourceNotFound"), tostring(err))

-- the function among all the account's functions, with its data
local found
for f in lambda.functions:all() do
  if f.name == name then found = f end
end
assert(found and found.meta.data and found.handler == "lambda_function.handler")
local n = 0
for f in lambda.functions:limit(1) do n = n + 1 end
assert(n == 1)

-- concurrency and permissions
fn:put_concurrency{ReservedConcurrentExecutions=3}
assert(fn:get_concurrency{}.ReservedConcurrentExecutions == 3)
fn:delete_concurrency()
fn:add_permission{StatementId="s1", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com"}
assert(fn:get_policy{}.Policy:find('"s1"'))
fn:remove_permission{StatementId="s1"}

-- layers
local lv = lambda:publish_layer_version{LayerName=layer_name, Content={ZipFile=zip}, CompatibleRuntimes={"python3.12"}}
assert(lv.meta.resource_type == "LayerVersion" and lv.layer_name == layer_name and lv.version == 1, tostring(lv))
local ly = lv:Layer()
assert(ly.name == layer_name)
ly:load()   -- by listing: Lambda has no GetLayer
assert(ly.layer_arn:sub(-#layer_name - 7) == ":layer:" .. layer_name, ly.layer_arn)
local lv2 = ly:publish_version{Content={ZipFile=zip}, Description="second"}
assert(lv2.version == 2)
local fresh = ly:Version(2)
fresh:load()
assert(fresh == lv2 and fresh.description == "second" and fresh.layer_version_arn:match(":2$"))
local lvs = {}
for x in ly.versions:all() do lvs[#lvs+1] = x.version end
table.sort(lvs)
assert(#lvs == 2 and lvs[1] == 1 and lvs[2] == 2, tostring(#lvs))
local listed
for x in lambda.layers:all() do if x.name == layer_name then listed = x end end
assert(listed and listed.latest_matching_version.Version == 2)
lv:delete()
lv2:delete()
local ok, err = pcall(function() return aws.resource("lambda"):Layer(layer_name):load() end)
assert(not ok and tostring(err):find("not found"), tostring(err))

-- clean up, and a deleted function no longer loads
b:delete()
a:delete()
local ok, err = pcall(function() return a:load() end)
assert(not ok, "a deleted alias loads")
fn:delete()
local ok, err = pcall(function() return fn:load() end)
assert(not ok and tostring(err):find("ResourceNotFound"), tostring(err))
print("ok")
`, name, layer, extraRole(t), extraZip(t))
	if out != "ok\n" {
		t.Fatalf("printed %q", out)
	}
}

// ---- CloudWatch Logs ----

func TestResourceLogs(t *testing.T) {
	l := newLua(t, "moto", bindings.Options{})
	prefix := "/awslua/" + testenv.Name("logs")
	out := l.must(t, `
local prefix, now = ...
now = tonumber(now)
local logs = aws.resource("logs")
-- seven groups: the API names members in camelCase, and so do targets
local groups = {}
for i = 1, 7 do
  groups[i] = logs:create_log_group{logGroupName=prefix .. "/g" .. i}
  assert(groups[i].name == prefix .. "/g" .. i, tostring(groups[i]))
end
local g = groups[1]
-- a group whose name begins with another's: loads must not mix them up
local longer = logs:LogGroup(prefix .. "/g1-longer")
longer:create()

g:put_retention_policy{retentionInDays=7}
assert(g.retention_in_days == 7, tostring(g.retention_in_days))
assert(g.log_group_name == g.name and g.arn ~= nil)
g:delete_retention_policy()
assert(g.retention_in_days == nil)
longer:load()
assert(longer.log_group_name == prefix .. "/g1-longer")
local missing = logs:LogGroup(prefix .. "/g")   -- a prefix of existing groups, not a group
local ok, err = pcall(function() return missing.creation_time end)
assert(not ok and tostring(err):find("not found"), tostring(err))

-- all groups under the prefix, three per page: 3 pages, and limit
local coll = logs.log_groups:filter{logGroupNamePrefix=prefix}
local n, pages = 0, 0
for page in coll:page_size(3):pages() do
  pages = pages + 1
  assert(#page <= 3)
  n = n + #page
  for _, x in ipairs(page) do assert(x.meta.data.logGroupName == x.name) end
end
assert(n == 8 and pages == 3, n .. " in " .. pages)
n = 0
for x in coll:page_size(2):limit(5) do n = n + 1 end
assert(n == 5, tostring(n))

-- streams
local streams = {}
for i = 1, 5 do streams[i] = g:create_log_stream{logStreamName="s" .. i} end
local s = streams[1]
assert(s.log_group_name == g.name and s.name == "s1", tostring(s))
assert(s:LogGroup() == g)
assert(g:LogStream("s1") == s)
local longs = g:create_log_stream{logStreamName="s1-longer"}
s:put_log_events{logEvents={{timestamp=now, message="hello"}, {timestamp=now + 1, message="world"}}}
local ev = s:get_log_events{startFromHead=true}.events
assert(#ev == 2 and ev[1].message == "hello" and ev[2].message == "world", tostring(#ev))
assert(#g:filter_log_events{filterPattern="world"}.events == 1)
s:load()
assert(s.log_stream_name == "s1" and s.creation_time ~= nil and s.arn ~= nil)
local fresh = logs:LogStream(g.name, "s1")
assert(fresh == s and fresh.log_stream_name == "s1")
n, pages = 0, 0
local names = {}
for page in g.log_streams:page_size(2):pages() do
  pages = pages + 1; n = n + #page
  for _, x in ipairs(page) do
    assert(x.log_group_name == g.name and x.meta.data.logStreamName == x.name, tostring(x))
    names[#names+1] = x.name
  end
end
assert(n == 6 and pages == 3, n .. " in " .. pages)
table.sort(names)
assert(table.concat(names, ",") == "s1,s1-longer,s2,s3,s4,s5", table.concat(names, ","))
n = 0
for x in g.log_streams:page_size(2):limit(3) do n = n + 1 end
assert(n == 3)

-- metric filters through the group
g:put_metric_filter{filterName="f", filterPattern="ERROR",
  metricTransformations={{metricName="errors", metricNamespace="awslua", metricValue="1"}}}
-- (moto leaves metricFilterCount at 0: ask the client)
assert(#g.meta.client:describe_metric_filters{logGroupName=g.name}.metricFilters == 1)
g:delete_metric_filter{filterName="f"}

-- deletes
longs:delete()
s:delete()
local ok, err = pcall(function() return s:load() end)
assert(not ok and tostring(err):find("not found"), tostring(err))
for _, x in ipairs(groups) do x:delete() end
longer:delete()
n = 0
for x in logs.log_groups:filter{logGroupNamePrefix=prefix} do n = n + 1 end
assert(n == 0, tostring(n))
print("ok")
`, prefix, fmt.Sprint(time.Now().UnixMilli()))
	if out != "ok\n" {
		t.Fatalf("printed %q", out)
	}
}

// ---- KMS ----

func TestResourceKMS(t *testing.T) {
	l := newLua(t, "moto", bindings.Options{})
	alias := "alias/" + testenv.Name("awslua")
	out := l.must(t, `
local alias_name = ...
local kms = aws.resource("kms")
local key = kms:create_key{Description="awslua test key"}
assert(key.meta.resource_type == "Key" and #key.id == 36, tostring(key))
-- the data of the response
assert(key.description == "awslua test key" and key.key_state == "Enabled")
local same = kms:Key(key.id)
same:load()
assert(same == key and same.arn == key.arn and same.key_id == key.id)

key:disable()
assert(key.enabled == false and key.key_state == "Disabled", tostring(key.key_state))
key:enable()
assert(key.enabled == true)
key:update_description{Description="changed"}
assert(key.description == "changed")
key:enable_rotation()
assert(key:get_rotation_status{}.KeyRotationEnabled == true)
key:disable_rotation()
assert(key:get_rotation_status{}.KeyRotationEnabled == false)

local ct = key:encrypt{Plaintext="secret text"}.CiphertextBlob
assert(key:decrypt{CiphertextBlob=ct}.Plaintext == "secret text")
assert(#key:generate_data_key{KeySpec="AES_256"}.Plaintext == 32)
assert(key:get_policy{PolicyName="default"}.Policy:find("Statement"))
key:tag{Tags={{TagKey="team", TagValue="lua"}}}
key:untag{TagKeys={"team"}}

-- aliases: made by the key and by the service; loaded by listing
local a = key:create_alias{AliasName=alias_name}
assert(a.meta.resource_type == "Alias" and a.name == alias_name)
local b = kms:create_alias{AliasName=alias_name .. "-2", TargetKeyId=key.id}
a:load()
assert(a.alias_name == alias_name and a.target_key_id == key.id, tostring(a.target_key_id))
assert(a.key == key, "alias.key is the key it names")
assert(b.key == key)
local mine = {}
for x in key.aliases:all() do mine[#mine+1] = x.name end
table.sort(mine)
assert(#mine == 2 and mine[1] == alias_name and mine[2] == alias_name .. "-2", table.concat(mine, ","))
local seen = 0
for x in kms.aliases:all() do
  if x.name == alias_name then seen = seen + 1; assert(x.meta.data.TargetKeyId == key.id) end
end
assert(seen == 1)
local other = kms:create_key{}
b:update{TargetKeyId=other.id}
b:load()
assert(b.key == other and b.key ~= key)

-- keys: listed without data, loaded on first read
local listed
for k in kms.keys:all() do if k.id == key.id then listed = k end end
assert(listed and listed.meta.data == nil and listed.description == "changed")
assert(#kms.keys:limit(1):pages()() == 1)

b:delete()
a:delete()
local ok, err = pcall(function() return kms:Alias(alias_name):load() end)
assert(not ok and tostring(err):find("not found"), tostring(err))

key:schedule_deletion{PendingWindowInDays=7}
assert(key.key_state == "PendingDeletion" and key.deletion_date ~= nil)
key:cancel_deletion()
assert(key.key_state == "Disabled", tostring(key.key_state))
key:schedule_deletion{PendingWindowInDays=7}
other:schedule_deletion{PendingWindowInDays=7}
print("ok")
`, alias)
	if out != "ok\n" {
		t.Fatalf("printed %q", out)
	}
}

// ---- Secrets Manager ----

func TestResourceSecretsManager(t *testing.T) {
	l := newLua(t, "moto", bindings.Options{})
	prefix := testenv.Name("awslua-secret")
	out := l.must(t, `
local prefix = ...
local sm = aws.resource("secretsmanager")
local s = sm:create_secret{Name=prefix .. "/main", SecretString="v1", Description="first"}
assert(s.meta.resource_type == "Secret" and s.name == prefix .. "/main", tostring(s))
assert(s:get_secret_value{}.SecretString == "v1")
s:put_secret_value{SecretString="v2"}
assert(s:get_secret_value{}.SecretString == "v2")
assert(s:get_secret_value{VersionStage="AWSPREVIOUS"}.SecretString == "v1")
local vs = s:list_version_ids{}.Versions
assert(#vs == 2, tostring(#vs))
s:load()
assert(s.description == "first" and s.arn:find(prefix, 1, true))
s:update{Description="second"}
assert(s.description == "second")
s:tag{Tags={{Key="team", Value="lua"}}}
assert(s.tags[1].Key == "team")
s:untag{TagKeys={"team"}}
s:put_resource_policy{ResourcePolicy='{"Version":"2012-10-17","Statement":[]}'}
assert(s:get_resource_policy{}.ResourcePolicy:find("Statement"))
s:delete_resource_policy()
local same = sm:Secret(prefix .. "/main")
assert(same == s and same.description == "second")

-- five more; collections across three pages of two, with limit
for i = 1, 5 do sm:create_secret{Name=prefix .. "/n" .. i, SecretString="x" .. i} end
local mine = sm.secrets:filter{Filters={{Key="name", Values={prefix}}}}
local n, pages = 0, 0
for page in mine:page_size(2):pages() do
  pages = pages + 1
  n = n + #page
  for _, x in ipairs(page) do assert(x.meta.data.Name == x.name and x.name:find(prefix, 1, true) == 1) end
end
assert(n == 6 and pages == 3, n .. " in " .. pages)
n = 0
for x in mine:page_size(2):limit(3) do n = n + 1 end
assert(n == 3, tostring(n))

-- delete with a recovery window, restore, then delete for good
s:delete{RecoveryWindowInDays=7}
s:load()
assert(s.deleted_date ~= nil)
s:restore()
assert(s.deleted_date == nil)
for x in mine:all() do x:delete{ForceDeleteWithoutRecovery=true} end
local ok, err = pcall(function() return s:load() end)
assert(not ok and tostring(err):find("ResourceNotFound"), tostring(err))
print("ok")
`, prefix)
	if out != "ok\n" {
		t.Fatalf("printed %q", out)
	}
}

// ---- RDS ----

func TestResourceRDS(t *testing.T) {
	l := newLua(t, "moto", bindings.Options{})
	prefix := testenv.Name("awslua-db")
	out := l.must(t, `
local prefix = ...
local rds = aws.resource("rds")
local fast = {WaiterConfig={Delay=0.1, MaxAttempts=50}}
local function instance(id, extra)
  local p = {DBInstanceIdentifier=id, DBInstanceClass="db.t3.micro", Engine="postgres",
    MasterUsername="awslua", MasterUserPassword="password123", AllocatedStorage=20}
  for k, v in pairs(extra or {}) do p[k] = v end
  return rds:create_db_instance(p)
end

local db = instance(prefix .. "-main")
assert(db.meta.resource_type == "DBInstance" and db.id == prefix .. "-main", tostring(db))
assert(db.engine == "postgres" and db.db_instance_class == "db.t3.micro")
db:wait_until_available(fast)
db:load()
assert(db.db_instance_status == "available", tostring(db.db_instance_status))
assert(db.cluster == nil, "no cluster")
assert(rds:DBInstance(db.id) == db)

local modified = db:modify{AllocatedStorage=30, ApplyImmediately=true}
assert(modified == db and modified.allocated_storage == 30)
db:add_tags{Tags={{Key="team", Value="lua"}}}
assert(db:list_tags{}[1].Key == "team")
db:remove_tags{TagKeys={"team"}}
assert(#db:list_tags{} == 0)
assert(db:stop().id == db.id)
assert(db.db_instance_status == "stopped", tostring(db.db_instance_status))
db:start()
db:reboot()
db:wait_until_available(fast)

-- snapshots: made by the instance, listed by it and by the service
local snaps = {}
for i = 1, 3 do
  snaps[i] = db:create_snapshot{DBSnapshotIdentifier=prefix .. "-snap" .. i}
  assert(snaps[i].meta.resource_type == "DBSnapshot" and snaps[i].id == prefix .. "-snap" .. i)
end
local snap = snaps[1]
snap:wait_until_available(fast)
snap:load()
assert(snap.status == "available" and snap.db_instance_identifier == db.id)
assert(snap.instance == db, "snapshot.instance")
local ids = {}
-- (moto also keeps an automated snapshot of each instance)
for s in db.snapshots:filter{SnapshotType="manual"} do ids[#ids+1] = s.id; assert(s.meta.data.DBInstanceIdentifier == db.id) end
table.sort(ids)
assert(#ids == 3 and ids[1] == snap.id, table.concat(ids, ","))
local copy = snap:copy{TargetDBSnapshotIdentifier=prefix .. "-copy"}
assert(copy.id == prefix .. "-copy" and copy ~= snap)
copy:wait_until_available(fast)

-- read replicas and restores make instances
local replica = db:create_read_replica{DBInstanceIdentifier=prefix .. "-replica"}
assert(replica.id == prefix .. "-replica")
replica:wait_until_available(fast)
replica:load()
assert(replica.read_replica_source == db, "replica.read_replica_source")
db:load()
local replicas = db.read_replicas
assert(type(replicas) == "table" and #replicas == 1 and replicas[1] == replica, "db.read_replicas")
local restored = snap:restore{DBInstanceIdentifier=prefix .. "-restored", DBInstanceClass="db.t3.micro"}
assert(restored.id == prefix .. "-restored")
restored:wait_until_available(fast)
local more = instance(prefix .. "-extra")

-- five instances under the prefix: pages of two
local mine = rds.db_instances:filter{Filters={{Name="db-instance-id",
  Values={db.id, replica.id, restored.id, more.id, prefix .. "-none"}}}}
local n, pages = 0, 0
for page in mine:page_size(1):pages() do pages = pages + 1; n = n + #page end
assert(n == 4 and pages == 4, n .. " in " .. pages)
n = 0
for x in mine:page_size(1):limit(3) do n = n + 1; assert(x.meta.data.DBInstanceIdentifier == x.id) end
assert(n == 3, tostring(n))
-- moto pages DescribeDBInstances only: the snapshots come in one page
n = 0
for x in rds.db_snapshots:filter{DBInstanceIdentifier=db.id, SnapshotType="manual"}:page_size(20) do
  n = n + 1
  assert(x.meta.data.DBInstanceIdentifier == db.id)
end
assert(n == 4, tostring(n))
n = 0
for x in rds.db_snapshots:filter{DBInstanceIdentifier=db.id}:limit(2) do n = n + 1 end
assert(n == 2, tostring(n))

-- deletes and the waiters that see them
for i = 2, 3 do snaps[i]:delete() end
copy:delete()
copy:wait_until_deleted(fast)
snap:delete()
snap:wait_until_deleted(fast)
for _, x in ipairs{replica, restored, more, db} do
  local gone = x:delete{SkipFinalSnapshot=true}
  assert(gone == x)
  x:wait_until_deleted(fast)
end
local ok, err = pcall(function() return db:load() end)
assert(not ok and tostring(err):find("DBInstanceNotFound"), tostring(err))
print("ok")
`, prefix)
	if out != "ok\n" {
		t.Fatalf("printed %q", out)
	}
}

func TestResourceRDSCluster(t *testing.T) {
	l := newLua(t, "moto", bindings.Options{})
	prefix := testenv.Name("awslua-cl")
	out := l.must(t, `
local prefix = ...
local rds = aws.resource("rds")
local fast = {WaiterConfig={Delay=0.1, MaxAttempts=50}}
local clusters = {}
for i = 1, 3 do
  clusters[i] = rds:create_db_cluster{DBClusterIdentifier=prefix .. i, Engine="aurora-postgresql",
    MasterUsername="awslua", MasterUserPassword="password123"}
  assert(clusters[i].meta.resource_type == "DBCluster" and clusters[i].id == prefix .. i)
end
local c = clusters[1]
c:wait_until_available(fast)
c:load()
assert(c.status == "available" and c.engine == "aurora-postgresql", tostring(c.status))
assert(rds:DBCluster(c.id) == c)

local i1 = c:create_instance{DBInstanceIdentifier=prefix .. "-i1", DBInstanceClass="db.r5.large", Engine="aurora-postgresql"}
local i2 = c:create_instance{DBInstanceIdentifier=prefix .. "-i2", DBInstanceClass="db.r5.large", Engine="aurora-postgresql"}
i1:load()
assert(i1.cluster == c, "instance.cluster")
c:load()
local members = c.members
table.sort(members, function(a, b) return a.id < b.id end)
assert(#members == 2 and members[1] == i1 and members[2] == i2, "cluster.members")
local ids = {}
for x in c.db_instances:all() do ids[#ids+1] = x.id; assert(x.meta.data.DBClusterIdentifier == c.id) end
table.sort(ids)
assert(table.concat(ids, ",") == i1.id .. "," .. i2.id, table.concat(ids, ","))
assert(#c.db_instances:limit(1):pages()() == 1)

local m = c:modify{BackupRetentionPeriod=5, ApplyImmediately=true}
assert(m == c and m.backup_retention_period == 5)
assert(c:create_snapshot{DBClusterSnapshotIdentifier=prefix .. "-snap"}.DBClusterSnapshotIdentifier == prefix .. "-snap")
c.meta.client:delete_db_cluster_snapshot{DBClusterSnapshotIdentifier=prefix .. "-snap"}
c:stop()
assert(c.status == "stopped", tostring(c.status))
c:start()

-- three clusters under the prefix (moto does not page DescribeDBClusters:
-- one page whatever the page size)
local mine = rds.db_clusters:filter{Filters={{Name="db-cluster-id", Values={prefix .. 1, prefix .. 2, prefix .. 3}}}}
local n = 0
for x in mine:page_size(20) do n = n + 1; assert(x.meta.data.DBClusterIdentifier == x.id) end
assert(n == 3, tostring(n))
n = 0
for x in mine:page_size(1):limit(2) do n = n + 1 end
assert(n == 2)

i1:delete{SkipFinalSnapshot=true}
i2:delete{SkipFinalSnapshot=true}
i2:wait_until_deleted(fast)
for _, x in ipairs(clusters) do
  assert(x:delete{SkipFinalSnapshot=true} == x)
  x:wait_until_deleted(fast)
end
local ok, err = pcall(function() return c:load() end)
assert(not ok and tostring(err):find("DBClusterNotFound"), tostring(err))
print("ok")
`, prefix)
	if out != "ok\n" {
		t.Fatalf("printed %q", out)
	}
}

// ---- models loaded at run time ----

// extraEventsModel is a resource model of EventBridge, which has no
// bundled one: rules, loaded, listed, enabled and disabled.
const extraEventsModel = `{
  "service": {
    "actions": {
      "PutRule": {
        "request": {"operation": "PutRule"},
        "resource": {"type": "Rule", "identifiers": [{"target": "Name", "source": "requestParameter", "path": "Name"}]}
      }
    },
    "has": {"Rule": {"resource": {"type": "Rule", "identifiers": [{"target": "Name", "source": "input"}]}}},
    "hasMany": {
      "Rules": {
        "request": {"operation": "ListRules"},
        "resource": {"type": "Rule", "identifiers": [{"target": "Name", "source": "response", "path": "Rules[].Name"}], "path": "Rules[]"}
      }
    }
  },
  "resources": {
    "Rule": {
      "identifiers": [{"name": "Name", "memberName": "Name"}],
      "shape": "DescribeRuleOutput",
      "load": {"request": {"operation": "DescribeRule", "params": [{"target": "Name", "source": "identifier", "name": "Name"}]}, "path": "@"},
      "actions": {
        "Enable": {"request": {"operation": "EnableRule", "params": [{"target": "Name", "source": "identifier", "name": "Name"}]}},
        "Disable": {"request": {"operation": "DisableRule", "params": [{"target": "Name", "source": "identifier", "name": "Name"}]}},
        "Delete": {"request": {"operation": "DeleteRule", "params": [{"target": "Name", "source": "identifier", "name": "Name"}]}},
        "PutTargets": {"request": {"operation": "PutTargets", "params": [{"target": "Rule", "source": "identifier", "name": "Name"}]}},
        "RemoveTargets": {"request": {"operation": "RemoveTargets", "params": [{"target": "Rule", "source": "identifier", "name": "Name"}]}},
        "ListTargets": {"request": {"operation": "ListTargetsByRule", "params": [{"target": "Rule", "source": "identifier", "name": "Name"}]}, "path": "Targets"}
      }
    }
  }
}`

// extraWrite writes a file in a fresh directory and returns its path.
func extraWrite(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestResourceModelLoadLua(t *testing.T) {
	path := extraWrite(t, "events.json", extraEventsModel)
	broken := extraWrite(t, "events.json", `{"service": {"hasMany": {"Rules": {"request": {"operation": "ListRules"}, "resource": {"type": "Rule"}}}}}`)
	lacking := extraWrite(t, "events.json", strings.Replace(extraEventsModel, `"EnableRule"`, `"EnableTheRule"`, 1))

	// The safe default opens no file access: loading a model is refused,
	// and says why.
	safe := newLua(t, "moto", bindings.Options{})
	_, err := safe.run(`aws.resource_model.load(...)`, path)
	if err == nil || !strings.Contains(err.Error(), "aws.resource_model.load reads files, and this runtime has no file access") {
		t.Fatalf("safe runtime: %v", err)
	}

	l := newLua(t, "moto", bindings.Options{Libs: bindings.AllLibs})
	prefix := testenv.Name("awslua-rule")
	out := l.must(t, `
local path, broken, lacking, prefix = ...
-- a broken file, and one that names an operation the client lacks: clear
-- errors, and nothing registered
local ok, err = pcall(aws.resource_model.load, broken)
assert(not ok and tostring(err):find('resource model: service: collection Rules: unknown resource type "Rule"', 1, true), tostring(err))
ok, err = pcall(aws.resource_model.load, lacking)
assert(not ok and tostring(err):find('Rule: action Enable: events has no operation "EnableTheRule"', 1, true), tostring(err))

aws.resource_model.load(path)   -- the service is the file's base name
local events = aws.resource("events")
local rules = {}
for i = 1, 4 do
  rules[i] = events:put_rule{Name=prefix .. "-" .. i, ScheduleExpression="rate(5 minutes)", Description="rule " .. i}
  assert(rules[i].meta.resource_type == "Rule" and rules[i].name == prefix .. "-" .. i, tostring(rules[i]))
end
local r = rules[1]
assert(r.state == "ENABLED" and r.description == "rule 1", tostring(r.state))
r:disable()
assert(r.state == "DISABLED", tostring(r.state))
r:enable()
assert(r.state == "ENABLED")
assert(events:Rule(r.name) == r)
r:put_targets{Targets={{Id="t1", Arn="arn:aws:sqs:us-east-1:123456789012:q"}}}
assert(r:list_targets{}[1].Id == "t1")
r:remove_targets{Ids={"t1"}}

local mine = events.rules:filter{NamePrefix=prefix}
local n = 0
for x in mine:all() do n = n + 1; assert(x.meta.data.Name == x.name) end
assert(n == 4, tostring(n))
n = 0
for x in mine:limit(2) do n = n + 1 end
assert(n == 2)
for _, x in ipairs(rules) do x:delete() end
ok, err = pcall(function() return r:load() end)
assert(not ok and tostring(err):find("ResourceNotFound"), tostring(err))
print("ok")
`, path, broken, lacking, prefix)
	if out != "ok\n" {
		t.Fatalf("printed %q", out)
	}
}

// extraSTSModel is a model of STS, which has no resources in boto3 either:
// the caller's identity as a resource without identifiers.
const extraSTSModel = `{
  "service": {
    "actions": {"WhoAmI": {"request": {"operation": "GetCallerIdentity"}, "path": "Arn"}},
    "has": {"Caller": {"resource": {"type": "Caller"}}}
  },
  "resources": {
    "Caller": {
      "shape": "GetCallerIdentityOutput",
      "load": {"request": {"operation": "GetCallerIdentity"}, "path": "@"}
    }
  }
}`

func TestResourceModelLoadGo(t *testing.T) {
	ctx := context.Background()
	sess := testenv.Session(t, "moto")
	stsModel := extraWrite(t, "model.json", extraSTSModel)
	if err := sdk.LoadResourceModel("sts", stsModel); err != nil {
		t.Fatal(err)
	}
	sts, err := sess.Resource("sts")
	if err != nil {
		t.Fatal(err)
	}
	arn, err := sts.Action(ctx, "WhoAmI", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := arn.(string); !strings.HasPrefix(s, "arn:aws:") {
		t.Errorf("WhoAmI = %v", arn)
	}
	caller, err := sts.Get("Caller")
	if err != nil {
		t.Fatal(err)
	}
	account, err := caller.Attribute(ctx, "account")
	if err != nil {
		t.Fatal(err)
	}
	if account != "123456789012" {
		t.Errorf("account = %v", account)
	}

	// The events model from Go, used against moto.
	if err := sdk.LoadResourceModel("events", extraWrite(t, "events.json", extraEventsModel)); err != nil {
		t.Fatal(err)
	}
	events, err := sess.Resource("events")
	if err != nil {
		t.Fatal(err)
	}
	prefix := testenv.Name("awslua-gorule")
	for i := range 3 {
		out, err := events.Action(ctx, "PutRule", map[string]any{"Name": fmt.Sprintf("%s-%d", prefix, i), "EventPattern": `{"source": ["awslua"]}`})
		if err != nil {
			t.Fatal(err)
		}
		if r, ok := out.(*sdk.Resource); !ok || r.Type() != "Rule" {
			t.Fatalf("PutRule made %v", out)
		}
	}
	rules, err := events.Collection("rules")
	if err != nil {
		t.Fatal(err)
	}
	got := extraIDs(extraAll(t, rules.Filter(map[string]any{"NamePrefix": prefix})), "Name")
	if strings.Join(got, ",") != prefix+"-0,"+prefix+"-1,"+prefix+"-2" {
		t.Errorf("rules: %v", got)
	}
	for _, r := range extraAll(t, rules.Filter(map[string]any{"NamePrefix": prefix})) {
		if p, err := r.Attribute(ctx, "EventPattern"); err != nil || !strings.Contains(fmt.Sprint(p), "awslua") {
			t.Errorf("%s: event pattern %v, %v", r, p, err)
		}
		if _, err := r.Action(ctx, "Delete", nil); err != nil {
			t.Error(err)
		}
	}

	// Files that do not load say why, and name the file.
	dir := t.TempDir()
	if err := sdk.LoadResourceModel("sts", filepath.Join(dir, "missing.json")); err == nil || !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
	for _, c := range []struct{ text, want string }{
		{`{"service": {}`, "resource model: unexpected EOF"},
		{`{"service": {}} {"service": {}}`, "resource model: data after the model's closing brace"},
		{`{"service": {"actions": {"X": null}}}`, "resource model: service: action X is null"},
		{`{"service": {"hasMany": {"Callers": {"request": {"operation": "ListCallers"}, "resource": {"type": "Caller"}}}}, "resources": {"Caller": {}}}`,
			`resource model for sts: service: collection Callers: sts has no operation "ListCallers"`},
		{`{"service": {}, "resources": {"Caller": {"waiters": {"Ready": {"waiterName": "CallerReady"}}}}}`,
			`resource model for sts: Caller: waiter Ready: sts has no waiter "CallerReady"`},
		{`{"service": {}, "resources": {"Caller": {"shape": "Callr"}}}`,
			`resource model for sts: Caller: sts has no structure "Callr" for the shape`},
		{`{"service": {"actions": {"X": {"request": {"operation": "GetCallerIdentity", "params": [{"target": "Filters[-1]", "source": "string", "value": "v"}]}}}}}`,
			`target "Filters[-1]": index "-1" is not [*] or a number from 0 to 999`},
		{`{"service": {"actions": {"X": {"request": {"operation": "GetCallerIdentity"}, "path": "Account[?"}}}}`,
			`resource model: service: action X: path: JMESPath "Account[?"`},
	} {
		p := extraWrite(t, "bad.json", c.text)
		err := sdk.LoadResourceModel("sts", p)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), p+": ") {
			t.Errorf("%s:\n got %v\nwant %s: ...%s...", c.text, err, p, c.want)
		}
	}
	// The model loaded before the failures is still the one in use.
	if _, err := sess.Resource("sts"); err != nil {
		t.Error(err)
	}

	// A model registered without the loader's service check fails on
	// first use, naming what the client lacks, and never panics.
	m, err := resourcemodel.Parse([]byte(`{"service": {"hasMany": {"Callers": {"request": {"operation": "ListCallers"}, "resource": {"type": "Caller"}}}}, "resources": {"Caller": {}}}`))
	if err != nil {
		t.Fatal(err)
	}
	sdk.RegisterResourceModel("sts", m)
	defer func() {
		if err := sdk.LoadResourceModel("sts", stsModel); err != nil {
			t.Error(err)
		}
	}()
	if _, err := sess.Resource("sts"); err == nil || !strings.Contains(err.Error(), `sts has no operation "ListCallers"`) {
		t.Errorf("use of a model naming a missing operation: %v", err)
	}
}

// ---- the Go API on the same models ----

func TestResourceExtraGo(t *testing.T) {
	ctx := context.Background()
	logs := extraResource(t, "logs")
	prefix := "/awslua/" + testenv.Name("go")
	for i := range 5 {
		out, err := logs.Action(ctx, "CreateLogGroup", map[string]any{"logGroupName": fmt.Sprintf("%s/%d", prefix, i)})
		if err != nil {
			t.Fatal(err)
		}
		if g := out.(*sdk.Resource); g.Type() != "LogGroup" || g.Identifiers()["Name"] != fmt.Sprintf("%s/%d", prefix, i) {
			t.Fatalf("CreateLogGroup made %v", g)
		}
	}
	groups, err := logs.Collection("log_groups")
	if err != nil {
		t.Fatal(err)
	}
	mine := groups.Filter(map[string]any{"logGroupNamePrefix": prefix})
	if got := fmt.Sprint(extraPageSizes(t, mine.PageSize(2))); got != "[2 2 1]" {
		t.Errorf("pages of 2: %s", got)
	}
	if got := fmt.Sprint(extraPageSizes(t, mine.PageSize(2).Limit(3))); got != "[2 1]" {
		t.Errorf("pages of 2, limit 3: %s", got)
	}
	all := extraAll(t, mine)
	if got := extraIDs(all, "Name"); len(got) != 5 || got[0] != prefix+"/0" || got[4] != prefix+"/4" {
		t.Errorf("groups: %v", got)
	}
	g, err := logs.Get("LogGroup", prefix+"/0")
	if err != nil {
		t.Fatal(err)
	}
	if !g.Equal(all[0]) {
		t.Errorf("%v != %v", g, all[0])
	}
	if _, err := g.Action(ctx, "put_retention_policy", map[string]any{"retentionInDays": 14}); err != nil {
		t.Fatal(err)
	}
	if err := g.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if v, _ := g.Attribute(ctx, "retention_in_days"); fmt.Sprint(v) != "14" {
		t.Errorf("retention_in_days = %v", v)
	}
	if _, err := g.Get("LogStream"); err == nil {
		t.Error("LogStream without its name")
	}
	s, err := g.Get("LogStream", "s")
	if err != nil {
		t.Fatal(err)
	}
	if s.String() != fmt.Sprintf("logs.LogStream(log_group_name='%s/0', name='s')", prefix) {
		t.Errorf("String() = %s", s)
	}
	if err := s.Load(ctx); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("load of a stream never created: %v", err)
	}
	for _, g := range all {
		if _, err := g.Action(ctx, "Delete", nil); err != nil {
			t.Error(err)
		}
	}

	// Waiters from Go: a Lambda function exists and is active.
	lambda := extraResource(t, "lambda")
	name := testenv.Name("awslua-gofn")
	fnv, err := lambda.Action(ctx, "CreateFunction", map[string]any{
		"FunctionName": name, "Runtime": "python3.12", "Role": extraRole(t),
		"Handler": "lambda_function.handler", "Code": map[string]any{"ZipFile": []byte(extraZip(t))},
	})
	if err != nil {
		t.Fatal(err)
	}
	fn := fnv.(*sdk.Resource)
	for _, w := range []string{"Exists", "active", "Updated"} {
		if err := fn.Wait(ctx, w, nil, extraFastWait); err != nil {
			t.Errorf("%s: %v", w, err)
		}
	}
	if _, err := fn.Action(ctx, "Delete", nil); err != nil {
		t.Fatal(err)
	}
	if err := fn.Wait(ctx, "Exists", nil, sdk.WaiterConfig{Delay: 10 * time.Millisecond, MaxAttempts: 2}); err == nil {
		t.Error("a deleted function exists")
	}
}

// TestResourceModelsMatchServices checks every bundled model against its
// service: the operations, waiters and shapes it names are the client's.
func TestResourceModelsMatchServices(t *testing.T) {
	sess := offlineSession(t)
	for _, name := range []string{"kms", "lambda", "logs", "rds", "secretsmanager"} {
		r, err := sess.Resource(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		// Every resource type has attributes from its shape.
		m, _ := sdk.LookupResourceModel(name)
		for typ, def := range m.Resources {
			var ids []any
			for range def.Identifiers {
				ids = append(ids, "x")
			}
			sub, err := r.Get(typ, ids...)
			if err != nil {
				t.Errorf("%s.%s: %v", name, typ, err)
				continue
			}
			if len(sub.AttributeNames()) == 0 {
				t.Errorf("%s.%s: no attributes from shape %q", name, typ, def.Shape)
			}
		}
	}
}
