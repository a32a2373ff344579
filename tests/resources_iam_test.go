package tests

// Integration tests of the IAM resource model (sdk/models/iam.json) against
// moto: every resource is constructed, loaded where it loads and listed
// where a collection lists it; every waiter runs; the collections that
// moto pages (roles, policies, attached policies) are read across three
// pages or more with limit and page_size. What moto does not implement
// (ChangePassword, ResyncMFADevice, UpdateServerCertificate, and
// ListMFADevices and ListSigningCertificates for the caller, without a
// UserName) runs against a small fake IAM endpoint that records what it
// was sent and pages its answers.

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"maps"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// ---- helpers ----

// iamresLua returns a Lua runtime on moto and a suffix for the names of
// what the test creates (moto's state is shared by all tests).
func iamresLua(t *testing.T) (*luaRT, string) {
	t.Helper()
	return newLua(t, "moto", bindings.Options{}), strings.TrimPrefix(testenv.Name("x"), "x-")
}

// iamresCert returns a self-signed certificate and its private key in PEM,
// as moto checks that certificates parse.
func iamresCert(t *testing.T) (cert, key string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "awslua.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}))
}

// iamresPrelude defines what the scripts share: assertions, and the
// documents they put.
const iamresPrelude = resAssertions + `
-- names lists a collection's identifiers (or one attribute), sorted.
local function names(coll, attr)
  local out = {}
  for r in coll do out[#out + 1] = tostring(r[attr or "name"]) end
  table.sort(out)
  return table.concat(out, " ")
end
local function contains(coll, want)
  for r in coll do if r == want then return true end end
  return false
end
-- Policy documents come back parsed, as boto3 returns them.
local function decoded(doc)
  assert(type(doc) == "table", "a policy document is a table, not " .. type(doc))
  return aws.json.encode(doc)
end
local function policy(action)
  return '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"' .. action .. '","Resource":"*"}]}'
end
local function trust(service)
  return '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"' .. service .. '"},"Action":"sts:AssumeRole"}]}'
end
`

// ---- the model ----

// TestIAMResourceModel checks what needs no server: the 21 resources of
// boto3, each made from the service resource with its identifiers, their
// shapes are types of the SDK, and the has-entries split into
// sub-resources (methods) and references (attributes) as boto3's do.
func TestIAMResourceModel(t *testing.T) {
	sess := offlineSession(t)
	iam, err := sess.Resource("iam")
	if err != nil {
		t.Fatal(err)
	}
	m, err := sdk.LookupResourceModel("iam")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(m.Resources); got != 21 {
		t.Errorf("%d resources, want boto3's 21", got)
	}
	if subs := iam.SubResources(); len(subs) != 21 {
		t.Errorf("the service resource makes %d resources: %v", len(subs), subs)
	}
	refs := map[string][]string{}
	for _, typ := range slices.Sorted(maps.Keys(m.Resources)) {
		ids := make([]any, len(m.Resources[typ].Identifiers))
		for i := range ids {
			ids[i] = fmt.Sprint("id", i)
		}
		r, err := iam.Get(typ, ids...)
		if err != nil {
			t.Errorf("iam.%s: %v", typ, err)
			continue
		}
		// AssumeRolePolicy has no shape in boto3 either: it only updates.
		if len(r.AttributeNames()) == 0 && typ != "AssumeRolePolicy" {
			t.Errorf("%s: shape %q has no members: not a type of the SDK", typ, m.Resources[typ].Shape)
		}
		if rs := r.References(); len(rs) > 0 {
			refs[typ] = rs
		}
	}
	want := map[string][]string{
		"CurrentUser": {"User"}, "InstanceProfile": {"Roles"},
		"Policy": {"DefaultVersion"}, "VirtualMfaDevice": {"User"},
	}
	if !maps.EqualFunc(refs, want, slices.Equal[[]string]) {
		t.Errorf("references %v, want %v", refs, want)
	}
	// Attributes by the names boto3 gives them.
	for typ, attr := range map[string]string{
		"AccessKey": "Status", "AccessKeyPair": "SecretAccessKey", "AccountPasswordPolicy": "MinimumPasswordLength",
		"AccountSummary": "SummaryMap", "CurrentUser": "Arn", "Group": "GroupId", "GroupPolicy": "PolicyDocument",
		"InstanceProfile": "Roles", "LoginProfile": "PasswordResetRequired", "MfaDevice": "EnableDate",
		"Policy": "DefaultVersionId", "PolicyVersion": "IsDefaultVersion", "Role": "AssumeRolePolicyDocument",
		"RolePolicy": "PolicyDocument", "SamlProvider": "SAMLMetadataDocument", "ServerCertificate": "CertificateBody",
		"SigningCertificate": "UploadDate", "User": "PasswordLastUsed", "UserPolicy": "PolicyDocument",
		"VirtualMfaDevice": "Base32StringSeed",
	} {
		ids := make([]any, len(m.Resources[typ].Identifiers))
		for i := range ids {
			ids[i] = "x"
		}
		r, _ := iam.Get(typ, ids...)
		if r != nil && !slices.Contains(r.AttributeNames(), attr) {
			t.Errorf("%s has no attribute %s: %v", typ, attr, r.AttributeNames())
		}
	}
}

// ---- users and what belongs to them ----

// TestIAMResourceUsers: users, access keys and key pairs, the current user,
// login profiles, signing certificates, inline and attached policies,
// groups, MFA and virtual MFA devices, and the user waiter.
func TestIAMResourceUsers(t *testing.T) {
	l, s := iamresLua(t)
	cert, _ := iamresCert(t)
	out := l.must(t, iamresPrelude+`
local S, endpoint, cert = ...
local iam = aws.resource("iam")
local P = "/awslua-" .. S .. "/"
local name = "u-" .. S

-- A user from the service's action, its waiter, its data and its load.
local u = iam:create_user{UserName = name, Path = P}
eq(tostring(u), "iam.User(name='" .. name .. "')", "create_user returns")
eq(u, iam:User(name), "iam:User(name)")
u:wait_until_exists()
eq(u.path, P, "the data CreateUser returned")
u:reload()
eq(u.user_name, name, "user loads")
assert(u.arn:find(name, 1, true) and u.user_id and u.create_date, "arn, id, date")

-- User.create, User.update (which returns the renamed user).
local other = iam:User("v-" .. S)
raises(function() return other.arn end, "NoSuchEntity")
eq(other:create{Path = P}, other, "user:create() returns the user")
other:wait_until_exists()
local renamed = other:update{NewUserName = "w-" .. S}
eq(renamed, iam:User("w-" .. S), "user:update() returns the renamed user")
eq(renamed.path, P, "the renamed user loads")
raises(function() other:reload() end, "NoSuchEntity")

-- iam.users: moto answers ListUsers whole (it ignores MaxItems), so the
-- pages are one; limit still stops early.
eq(names(iam.users:filter{PathPrefix = P}), name .. " w-" .. S, "iam.users by path")
eq(count(iam.users:filter{PathPrefix = P}:limit(1)), 1, "limit 1")
eq(count(iam.users:filter{PathPrefix = P}:page_size(1)), 2, "page_size")
for x in iam.users:filter{PathPrefix = P}:limit(1) do
  eq(x.meta.data.Path, P, "listed users carry their data")
end

-- Access key pairs (CreateAccessKey is the only time the secret shows)
-- and the access keys the user lists.
local kp = u:create_access_key_pair()
eq(kp.user_name, name, "key pair's user")
assert(#kp.id > 0 and #kp.secret > 0, "key pair's id and secret")
eq(kp.access_key_id, kp.id, "the data CreateAccessKey returned")
eq(kp.secret_access_key, kp.secret, "its secret")
eq(kp.status, "Active", "a new key is active")
eq(tostring(kp), "iam.AccessKeyPair(user_name='" .. name .. "', id='" .. kp.id .. "', secret='" .. kp.secret .. "')", "tostring")
local kp2 = u:create_access_key_pair()
local ids = {kp.id, kp2.id}
table.sort(ids)
eq(names(u.access_keys:all(), "id"), table.concat(ids, " "), "user.access_keys")
local function key_status(id)
  for k in u.access_keys:all() do if k.id == id then return k.status end end
end
local k = u:AccessKey(kp.id)
eq(k, iam:AccessKey(name, kp.id), "iam:AccessKey()")
eq(k:User(), u, "access_key:User()")
raises(function() return k.status end, "no load")
k:deactivate()
eq(key_status(kp.id), "Inactive", "access_key:deactivate()")
k:activate()
eq(key_status(kp.id), "Active", "access_key:activate()")
kp2:deactivate()
eq(key_status(kp2.id), "Inactive", "access_key_pair:deactivate()")
kp2:activate()
eq(key_status(kp2.id), "Active", "access_key_pair:activate()")
kp2:delete()
eq(count(u.access_keys:all()), 1, "access_key_pair:delete()")
local same = iam:AccessKeyPair(name, kp.id, kp.secret)
eq(same.secret, kp.secret, "iam:AccessKeyPair()")
raises(function() same:load() end, "no load")

-- The current user: the user whose key signs the requests.
local me = aws.Session{aws_access_key_id = kp.id, aws_secret_access_key = kp.secret, region_name = "us-east-1"}
  :resource("iam", {endpoint_url = endpoint}):CurrentUser()
eq(tostring(me), "iam.CurrentUser()", "CurrentUser")
eq(me.user_name, name, "the current user loads")
eq(me.user, u, "current_user.user")
eq(names(me.access_keys:all(), "id"), kp.id, "current_user.access_keys")
for x in me.access_keys:all() do eq(x.user_name, name, "its keys' user") end

-- Login profiles.
local lp = u:create_login_profile{Password = "Pa55word!" .. S}
eq(lp, u:LoginProfile(), "user:LoginProfile()")
eq(lp, iam:LoginProfile(name), "iam:LoginProfile()")
eq(lp:User(), u, "login_profile:User()")
assert(lp.create_date, "the data CreateLoginProfile returned")
-- (moto drops the profile on an update without a password)
lp:update{Password = "Chang3d!" .. S}
lp:load()
eq(lp.user_name, name, "login_profile loads")
lp:delete()
raises(function() lp:load() end, "NoSuchEntity")
eq(iam:LoginProfile(name):create{Password = "Ag4in!" .. S}, lp, "login_profile:create()")
lp:load()
lp:delete()

-- Signing certificates.
local sc = iam:create_signing_certificate{UserName = name, CertificateBody = cert}
eq(sc.user_name, name, "the certificate's user")
eq(sc.status, "Active", "the data UploadSigningCertificate returned")
eq(sc, u:SigningCertificate(sc.id), "user:SigningCertificate()")
eq(sc, iam:SigningCertificate(name, sc.id), "iam:SigningCertificate()")
eq(sc:User(), u, "signing_certificate:User()")
local function cert_status()
  for c in u.signing_certificates:all() do if c == sc then return c.status end end
end
sc:deactivate()
eq(cert_status(), "Inactive", "signing_certificate:deactivate()")
sc:activate()
eq(cert_status(), "Active", "signing_certificate:activate()")
sc:delete()
eq(count(u.signing_certificates:all()), 0, "signing_certificate:delete()")

-- Inline policies.
local up = u:create_policy{PolicyName = "one", PolicyDocument = policy("s3:GetObject")}
eq(up, u:Policy("one"), "user:Policy()")
eq(up, iam:UserPolicy(name, "one"), "iam:UserPolicy()")
eq(up:User(), u, "user_policy:User()")
eq(up.policy_name, "one", "user_policy loads")
assert(decoded(up.policy_document):find("s3:GetObject", 1, true), "its document")
up:put{PolicyDocument = policy("s3:PutObject")}
assert(decoded(up.policy_document):find("s3:PutObject", 1, true), "user_policy:put()")
iam:UserPolicy(name, "two"):put{PolicyDocument = policy("sqs:*")}
eq(names(u.policies:all()), "one two", "user.policies")
for p in u.policies:all() do eq(p.user_name, name, "listed policies' user") end
up:delete()
eq(names(u.policies:all()), "two", "user_policy:delete()")
u:Policy("two"):delete()

-- Managed policies attached to the user.
local managed = iam:create_policy{PolicyName = "m-" .. S, Path = P, PolicyDocument = policy("ec2:*")}
u:attach_policy{PolicyArn = managed.arn}
eq(names(u.attached_policies:all(), "arn"), managed.arn, "user.attached_policies")
u:detach_policy{PolicyArn = managed.arn}
eq(count(u.attached_policies:all()), 0, "user:detach_policy()")
managed:delete()

-- Groups.
local g = iam:create_group{GroupName = "g-" .. S, Path = P}
u:add_group{GroupName = g.name}
eq(names(u.groups:all()), g.name, "user.groups")
for x in u.groups:all() do eq(x.meta.data.Path, P, "listed groups carry their data") end
u:remove_group{GroupName = g.name}
eq(count(u.groups:all()), 0, "user:remove_group()")
g:delete()

-- Virtual MFA devices and MFA devices.
local v = iam:create_virtual_mfa_device{VirtualMFADeviceName = "mfa-" .. S}
eq(v, iam:VirtualMfaDevice(v.serial_number), "iam:VirtualMfaDevice()")
assert(v.base32_string_seed, "the data CreateVirtualMFADevice returned")
eq(v.user, nil, "an unassigned device has no user")
raises(function() return iam:VirtualMfaDevice(v.serial_number).user end, "no load")
local m = u:enable_mfa{SerialNumber = v.serial_number, AuthenticationCode1 = "123456", AuthenticationCode2 = "654321"}
eq(m, u:MfaDevice(v.serial_number), "user:enable_mfa() returns the device")
eq(m, iam:MfaDevice(name, v.serial_number), "iam:MfaDevice()")
eq(m:User(), u, "mfa_device:User()")
eq(names(u.mfa_devices:all(), "serial_number"), v.serial_number, "user.mfa_devices")
for d in u.mfa_devices:all() do assert(d.enable_date, "listed devices carry their data") end
local assigned
for d in iam.virtual_mfa_devices:filter{AssignmentStatus = "Assigned"} do
  if d == v then assigned = d end
end
assert(assigned, "iam.virtual_mfa_devices lists the assigned device")
eq(assigned.user, u, "virtual_mfa_device.user")
m:disassociate()
eq(count(u.mfa_devices:all()), 0, "mfa_device:disassociate()")
m:associate{AuthenticationCode1 = "111111", AuthenticationCode2 = "222222"}
eq(count(u.mfa_devices:all()), 1, "mfa_device:associate()")
m:disassociate()
v:delete()
eq(contains(iam.virtual_mfa_devices:all(), v), false, "virtual_mfa_device:delete()")

-- moto pages ListVirtualMFADevices; other tests' devices may be listed too.
local extra = {}
for i = 1, 3 do extra[i] = iam:create_virtual_mfa_device{VirtualMFADeviceName = "mfa" .. i .. "-" .. S} end
local total = count(iam.virtual_mfa_devices:all())
local want = {}
for i = 1, math.floor(total / 2) do want[#want + 1] = "2" end
if total % 2 == 1 then want[#want + 1] = "1" end
eq(page_sizes(iam.virtual_mfa_devices:page_size(2)), table.concat(want, ","), "virtual MFA devices in pages of 2")
eq(page_sizes(iam.virtual_mfa_devices:page_size(1):limit(3)), "1,1,1", "limit 3 in pages of 1")
for _, d in ipairs(extra) do
  assert(contains(iam.virtual_mfa_devices:page_size(2), d), "listed across pages")
  d:delete()
end

-- The user goes.
k:delete()
u:delete()
raises(function() u:reload() end, "NoSuchEntity")
renamed:delete()
eq(count(iam.users:filter{PathPrefix = P}), 0, "user:delete()")
print("ok")
`, s, testenv.URL(t, "moto"), cert)
	if out != "ok\n" {
		t.Errorf("printed %q", out)
	}
}

// ---- groups ----

// TestIAMResourceGroups: groups, their users, inline and attached policies,
// renaming, iam.groups and deletion.
func TestIAMResourceGroups(t *testing.T) {
	l, s := iamresLua(t)
	out := l.must(t, iamresPrelude+`
local S = ...
local iam = aws.resource("iam")
local P = "/awslua-" .. S .. "/"
local g = iam:create_group{GroupName = "g-" .. S, Path = P}
eq(tostring(g), "iam.Group(name='g-" .. S .. "')", "create_group returns")
eq(g.path, P, "the data CreateGroup returned")
g:reload()
eq(g.group_name, g.name, "group loads")
assert(g.arn and g.group_id and g.create_date, "arn, id, date")
local g2 = iam:Group("h-" .. S)
raises(function() g2:load() end, "NoSuchEntity")
eq(g2:create{Path = P}, g2, "group:create()")
eq(g2.path, P, "the created group loads")

-- iam.groups: moto ignores PathPrefix and MaxItems for ListGroups, so
-- the groups are looked for among all.
assert(contains(iam.groups:all(), g) and contains(iam.groups:all(), g2), "iam.groups")
eq(count(iam.groups:limit(1)), 1, "limit 1")

-- Members: group.users comes from GetGroup (which moto does not page).
for i = 1, 4 do
  iam:create_user{UserName = "gu" .. i .. "-" .. S}
  g:add_user{UserName = "gu" .. i .. "-" .. S}
end
eq(names(g.users:all()), "gu1-" .. S .. " gu2-" .. S .. " gu3-" .. S .. " gu4-" .. S, "group.users")
eq(count(g.users:limit(3)), 3, "group.users limit 3")
eq(count(g.users:page_size(2)), 4, "group.users page_size 2")
for x in g.users:limit(1) do assert(x.meta.data.Arn, "listed users carry their data") end
g:remove_user{UserName = "gu4-" .. S}
eq(count(g.users:all()), 3, "group:remove_user()")

-- Inline policies.
local gp = g:create_policy{PolicyName = "gp", PolicyDocument = policy("s3:ListBucket")}
eq(gp, g:Policy("gp"), "group:Policy()")
eq(gp, iam:GroupPolicy(g.name, "gp"), "iam:GroupPolicy()")
eq(gp:Group(), g, "group_policy:Group()")
eq(gp.group_name, g.name, "group_policy loads")
assert(decoded(gp.policy_document):find("s3:ListBucket", 1, true), "its document")
gp:put{PolicyDocument = policy("s3:DeleteBucket")}
assert(decoded(gp.policy_document):find("s3:DeleteBucket", 1, true), "group_policy:put()")
g:Policy("gp2"):put{PolicyDocument = policy("sns:*")}
eq(names(g.policies:all()), "gp gp2", "group.policies")
gp:delete()
raises(function() gp:reload() end, "NoSuchEntity")
eq(names(g.policies:all()), "gp2", "group_policy:delete()")
g:Policy("gp2"):delete()

-- Attached policies.
local managed = iam:create_policy{PolicyName = "gm-" .. S, PolicyDocument = policy("ec2:*")}
g:attach_policy{PolicyArn = managed.arn}
eq(names(g.attached_policies:all(), "arn"), managed.arn, "group.attached_policies")
g:detach_policy{PolicyArn = managed.arn}
eq(count(g.attached_policies:all()), 0, "group:detach_policy()")
managed:delete()

-- Renaming returns the renamed group; then everything goes.
local renamed = g2:update{NewGroupName = "i-" .. S}
eq(renamed, iam:Group("i-" .. S), "group:update() returns the renamed group")
eq(renamed.path, P, "the renamed group loads")
raises(function() g2:reload() end, "NoSuchEntity")
renamed:delete()
for i = 1, 4 do
  if i < 4 then g:remove_user{UserName = "gu" .. i .. "-" .. S} end
  iam:User("gu" .. i .. "-" .. S):delete()
end
g:delete()
raises(function() g:reload() end, "NoSuchEntity")
eq(contains(iam.groups:all(), g), false, "group:delete()")
print("ok")
`, s)
	if out != "ok\n" {
		t.Errorf("printed %q", out)
	}
}

// ---- roles and instance profiles ----

// TestIAMResourceRoles: roles across pages, their trust policy, inline and
// attached policies, instance profiles and both waiters.
func TestIAMResourceRoles(t *testing.T) {
	l, s := iamresLua(t)
	out := l.must(t, iamresPrelude+`
local S = ...
local iam = aws.resource("iam")
local P = "/awslua-" .. S .. "/"
local roles = {}
for i = 1, 5 do
  roles[i] = iam:create_role{RoleName = "r" .. i .. "-" .. S, Path = P, AssumeRolePolicyDocument = trust("ec2.amazonaws.com")}
end
local r = roles[1]
eq(tostring(r), "iam.Role(name='r1-" .. S .. "')", "create_role returns")
eq(r, iam:Role("r1-" .. S), "iam:Role()")
r:wait_until_exists()
eq(r.path, P, "the data CreateRole returned")
r:reload()
eq(r.role_name, r.name, "role loads")
assert(r.arn and r.role_id and r.create_date, "arn, id, date")
assert(decoded(r.assume_role_policy_document):find("ec2.amazonaws.com", 1, true), "its trust policy")

-- iam.roles: moto pages ListRoles.
local all = {}
for i = 1, 5 do all[i] = "r" .. i .. "-" .. S end
eq(names(iam.roles:filter{PathPrefix = P}), table.concat(all, " "), "iam.roles by path")
eq(page_sizes(iam.roles:filter{PathPrefix = P}:page_size(2)), "2,2,1", "pages of 2")
eq(page_sizes(iam.roles:filter{PathPrefix = P}:page_size(2):limit(3)), "2,1", "limit 3 in pages of 2")
eq(page_sizes(iam.roles:filter{PathPrefix = P}:page_size(1):limit(4)), "1,1,1,1", "limit 4 in pages of 1")
eq(count(iam.roles:filter{PathPrefix = P}:page_size(3)), 5, "pages of 3")
for x in iam.roles:filter{PathPrefix = P}:limit(1) do eq(x.meta.data.Path, P, "listed roles carry their data") end

-- The trust policy.
local arp = r:AssumeRolePolicy()
eq(arp, iam:AssumeRolePolicy(r.name), "iam:AssumeRolePolicy()")
eq(arp:Role(), r, "assume_role_policy:Role()")
raises(function() arp:load() end, "no load")
arp:update{PolicyDocument = trust("lambda.amazonaws.com")}
r:reload()
assert(decoded(r.assume_role_policy_document):find("lambda.amazonaws.com", 1, true), "assume_role_policy:update()")

-- Inline policies (a role has no create_policy: RolePolicy.put makes one).
local rp = r:Policy("rp")
eq(rp, iam:RolePolicy(r.name, "rp"), "iam:RolePolicy()")
raises(function() rp:load() end, "NoSuchEntity")
rp:put{PolicyDocument = policy("dynamodb:GetItem")}
eq(rp.role_name, r.name, "role_policy loads")
assert(decoded(rp.policy_document):find("dynamodb:GetItem", 1, true), "its document")
eq(rp:Role(), r, "role_policy:Role()")
r:Policy("rp2"):put{PolicyDocument = policy("sqs:*")}
eq(names(r.policies:all()), "rp rp2", "role.policies")
rp:delete()
eq(names(r.policies:all()), "rp2", "role_policy:delete()")
r:Policy("rp2"):delete()

-- Attached policies.
local managed = iam:create_policy{PolicyName = "rm-" .. S, PolicyDocument = policy("ec2:*")}
r:attach_policy{PolicyArn = managed.arn}
eq(names(r.attached_policies:all(), "arn"), managed.arn, "role.attached_policies")
r:detach_policy{PolicyArn = managed.arn}
eq(count(r.attached_policies:all()), 0, "role:detach_policy()")
managed:delete()

-- Instance profiles, and their roles (a reference that is a list).
local ip = iam:create_instance_profile{InstanceProfileName = "ip-" .. S, Path = P}
eq(ip, iam:InstanceProfile("ip-" .. S), "create_instance_profile returns")
ip:wait_until_exists()
eq(#ip.roles, 0, "no roles yet")
ip:add_role{RoleName = r.name}
eq(#ip.roles, 1, "instance_profile:add_role()")
eq(ip.roles[1], r, "instance_profile.roles")
eq(ip.instance_profile_name, ip.name, "instance profile loads")
assert(ip.arn and ip.instance_profile_id, "arn and id")
local ip2 = iam:create_instance_profile{InstanceProfileName = "ip2-" .. S, Path = P}
ip2:add_role{RoleName = r.name}
eq(names(r.instance_profiles:all()), "ip-" .. S .. " ip2-" .. S, "role.instance_profiles")
for x in r.instance_profiles:limit(1) do eq(x.meta.data.Path, P, "listed profiles carry their data") end
-- moto ignores PathPrefix and MaxItems for ListInstanceProfiles.
assert(contains(iam.instance_profiles:all(), ip) and contains(iam.instance_profiles:all(), ip2), "iam.instance_profiles")
eq(count(iam.instance_profiles:limit(1)), 1, "limit 1")
ip:remove_role{RoleName = r.name}
eq(#ip.roles, 0, "instance_profile:remove_role()")
ip2:remove_role{RoleName = r.name}
ip:delete()
ip2:delete()
raises(function() ip:reload() end, "NoSuchEntity")
raises(function() iam:InstanceProfile("ip-" .. S):wait_until_exists{WaiterConfig = {Delay = 1, MaxAttempts = 1}} end, "InstanceProfileExists")

-- A waiter that never succeeds fails.
raises(function() iam:Role("nobody-" .. S):wait_until_exists{WaiterConfig = {Delay = 1, MaxAttempts = 1}} end, "RoleExists")

for _, x in ipairs(roles) do x:delete() end
raises(function() r:reload() end, "NoSuchEntity")
eq(count(iam.roles:filter{PathPrefix = P}), 0, "role:delete()")
print("ok")
`, s)
	if out != "ok\n" {
		t.Errorf("printed %q", out)
	}
}

// ---- managed policies and their versions ----

// TestIAMResourcePolicies: managed policies across pages, their versions,
// the entities they are attached to, attached policies across pages, and
// the policy waiter.
func TestIAMResourcePolicies(t *testing.T) {
	l, s := iamresLua(t)
	out := l.must(t, iamresPrelude+`
local S = ...
local iam = aws.resource("iam")
local P = "/awslua-" .. S .. "/"
local ps = {}
for i = 1, 5 do
  ps[i] = iam:create_policy{PolicyName = "p" .. i .. "-" .. S, Path = P, PolicyDocument = policy("s3:Get" .. i)}
end
local p = ps[1]
assert(p.arn:find("p1-" .. S, 1, true), "create_policy returns the policy")
eq(p, iam:Policy(p.arn), "iam:Policy()")
p:wait_until_exists()
eq(p.default_version_id, "v1", "the data CreatePolicy returned")
p:reload()
eq(p.policy_name, "p1-" .. S, "policy loads")
eq(p.attachment_count, 0, "not attached yet")

-- iam.policies: moto pages ListPolicies.
local arns = {}
for i = 1, 5 do arns[i] = ps[i].arn end
table.sort(arns)
eq(names(iam.policies:filter{Scope = "Local", PathPrefix = P}, "arn"), table.concat(arns, " "), "iam.policies")
eq(page_sizes(iam.policies:filter{Scope = "Local", PathPrefix = P}:page_size(2)), "2,2,1", "pages of 2")
eq(page_sizes(iam.policies:filter{Scope = "Local", PathPrefix = P}:page_size(2):limit(3)), "2,1", "limit 3 in pages of 2")
for x in iam.policies:filter{Scope = "Local", PathPrefix = P}:limit(1) do eq(x.meta.data.Path, P, "listed policies carry their data") end

-- Versions.
local v1 = p.default_version
eq(v1, iam:PolicyVersion(p.arn, "v1"), "policy.default_version")
assert(decoded(v1.document):find("s3:Get1", 1, true), "policy_version loads")
eq(v1.is_default_version, true, "v1 is the default")
local v2 = p:create_version{PolicyDocument = policy("s3:Put"), SetAsDefault = true}
eq(v2, iam:PolicyVersion(p.arn, "v2"), "policy:create_version() returns the version")
eq(p.default_version, v2, "the new default")
local v3 = p:create_version{PolicyDocument = policy("s3:Delete")}
eq(names(p.versions:all(), "version_id"), "v1 v2 v3", "policy.versions")
eq(count(p.versions:limit(2)), 2, "versions limit 2")
for x in p.versions:all() do eq(x.is_default_version, x == v2, "listed versions carry their data") end
v1:set_as_default()
p:reload()
eq(p.default_version_id, "v1", "policy_version:set_as_default()")
v3:delete()
raises(function() v3:reload() end, "NoSuchEntity")
eq(names(p.versions:all(), "version_id"), "v1 v2", "policy_version:delete()")

-- Entities: one of each, attached from the policy's side.
local u = iam:create_user{UserName = "pu-" .. S}
local g = iam:create_group{GroupName = "pg-" .. S}
local r = iam:create_role{RoleName = "pr-" .. S, AssumeRolePolicyDocument = trust("ec2.amazonaws.com")}
p:attach_user{UserName = u.name}
p:attach_group{GroupName = g.name}
p:attach_role{RoleName = r.name}
eq(names(p.attached_users:all()), u.name, "policy.attached_users")
eq(names(p.attached_groups:all()), g.name, "policy.attached_groups")
eq(names(p.attached_roles:all()), r.name, "policy.attached_roles")
eq(p.attachment_count, 3, "attached thrice")
p:detach_user{UserName = u.name}
p:detach_group{GroupName = g.name}
p:detach_role{RoleName = r.name}
eq(count(p.attached_users:all()) + count(p.attached_groups:all()) + count(p.attached_roles:all()), 0, "detached")

-- Attached policies page in moto: all five on each entity.
for _, x in ipairs(ps) do
  u:attach_policy{PolicyArn = x.arn}
  g:attach_policy{PolicyArn = x.arn}
  r:attach_policy{PolicyArn = x.arn}
end
for _, e in ipairs({u, g, r}) do
  local what = tostring(e) .. ".attached_policies"
  eq(names(e.attached_policies:all(), "arn"), table.concat(arns, " "), what)
  eq(page_sizes(e.attached_policies:page_size(2)), "2,2,1", what .. " in pages of 2")
  eq(page_sizes(e.attached_policies:page_size(2):limit(3)), "2,1", what .. " limit 3")
  for _, x in ipairs(ps) do e:detach_policy{PolicyArn = x.arn} end
end
u:delete()
g:delete()
r:delete()

-- Deleting; the waiter fails for a policy that is gone.
v2:delete()
for _, x in ipairs(ps) do x:delete() end
raises(function() p:reload() end, "NoSuchEntity")
raises(function() p:wait_until_exists{WaiterConfig = {Delay = 1, MaxAttempts = 1}} end, "PolicyExists")
eq(count(iam.policies:filter{Scope = "Local", PathPrefix = P}), 0, "policy:delete()")
print("ok")
`, s)
	if out != "ok\n" {
		t.Errorf("printed %q", out)
	}
}

// ---- the account ----

// TestIAMResourceAccount: the account summary, the password policy, an
// alias, SAML providers and server certificates.
func TestIAMResourceAccount(t *testing.T) {
	l, s := iamresLua(t)
	cert, key := iamresCert(t)
	out := l.must(t, iamresPrelude+`
local S, cert, key = ...
local iam = aws.resource("iam")

-- The summary counts what the account has.
local summary = iam:AccountSummary()
eq(summary, iam:AccountSummary(), "iam:AccountSummary()")
local before = summary.summary_map.Users
assert(before >= 0, "summary loads")
local u = iam:create_user{UserName = "su-" .. S}
summary:reload()
assert(summary.summary_map.Users >= before + 1, "the summary counts the new user")
u:delete()

-- The password policy (kept easy to meet, as other tests make logins).
local pp = iam:create_account_password_policy{MinimumPasswordLength = 8, RequireSymbols = true}
eq(pp, iam:AccountPasswordPolicy(), "create_account_password_policy returns the policy")
eq(pp.minimum_password_length, 8, "password policy loads")
eq(pp.require_symbols, true, "symbols")
pp:update{MinimumPasswordLength = 9, RequireSymbols = false}
eq(pp.minimum_password_length, 9, "account_password_policy:update()")
eq(pp.require_symbols, false, "symbols no longer")
pp:delete()
raises(function() pp:reload() end, "NoSuchEntity")

-- An alias.
iam:create_account_alias{AccountAlias = "alias-" .. S}
local found = false
for _, a in ipairs(iam.meta.client:list_account_aliases().AccountAliases) do found = found or a == "alias-" .. S end
assert(found, "create_account_alias()")
iam.meta.client:delete_account_alias{AccountAlias = "alias-" .. S}

-- SAML providers.
local metadata = "<EntityDescriptor>" .. string.rep("x", 1000) .. "</EntityDescriptor>"
local sp = iam:create_saml_provider{Name = "saml-" .. S, SAMLMetadataDocument = metadata}
assert(sp.arn:find("saml-provider/saml-" .. S, 1, true), "create_saml_provider returns the provider")
eq(sp, iam:SamlProvider(sp.arn), "iam:SamlProvider()")
eq(sp.saml_metadata_document, metadata, "saml_provider loads")
assert(sp.create_date, "its date")
sp:update{SAMLMetadataDocument = metadata .. "<!-- v2 -->"}
eq(sp.saml_metadata_document, metadata .. "<!-- v2 -->", "saml_provider:update()")
assert(contains(iam.saml_providers:all(), sp), "iam.saml_providers")
sp:delete()
eq(contains(iam.saml_providers:all(), sp), false, "saml_provider:delete()")

-- Server certificates.
local sc = iam:create_server_certificate{ServerCertificateName = "srv-" .. S, Path = "/awslua/", CertificateBody = cert, PrivateKey = key}
eq(sc, iam:ServerCertificate("srv-" .. S), "create_server_certificate returns the certificate")
eq(sc.server_certificate_metadata.ServerCertificateName, "srv-" .. S, "server_certificate loads")
eq(sc.server_certificate_metadata.Path, "/awslua/", "its path")
eq((sc.certificate_body:gsub("%s+$", "")), (cert:gsub("%s+$", "")), "its body")
assert(contains(iam.server_certificates:all(), sc), "iam.server_certificates")
eq(count(iam.server_certificates:limit(1)), 1, "limit 1")
sc:delete()
raises(function() sc:reload() end, "NoSuchEntity")
eq(contains(iam.server_certificates:all(), sc), false, "server_certificate:delete()")
print("ok")
`, s, cert, key)
	if out != "ok\n" {
		t.Errorf("printed %q", out)
	}
}

// ---- what moto does not implement ----

// iamresFake is an IAM endpoint for the operations moto lacks: it records
// each request's form and answers from canned XML, paging the caller's
// MFA devices and signing certificates one a page by Marker.
type iamresFake struct {
	mu       sync.Mutex
	requests []url.Values
}

func (f *iamresFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, r.PostForm)
	f.mu.Unlock()
	action := r.PostForm.Get("Action")
	// page returns the member of page n (from the Marker) and the next
	// Marker, three pages in all.
	page := func(member func(i int) string) string {
		n := 1
		fmt.Sscan(strings.TrimPrefix(r.PostForm.Get("Marker"), "m"), &n)
		more := ""
		if n < 3 {
			more = fmt.Sprintf("<IsTruncated>true</IsTruncated><Marker>m%d</Marker>", n+1)
		} else {
			more = "<IsTruncated>false</IsTruncated>"
		}
		return member(n) + more
	}
	var result string
	switch action {
	case "GetUser":
		result = `<User><UserName>me</UserName><UserId>AIDME</UserId><Arn>arn:aws:iam::123456789012:user/me</Arn><Path>/</Path><CreateDate>2024-01-02T03:04:05Z</CreateDate></User>`
	case "ListMFADevices":
		result = page(func(i int) string {
			return fmt.Sprintf(`<MFADevices><member><UserName>me</UserName><SerialNumber>arn:aws:iam::123456789012:mfa/me%d</SerialNumber><EnableDate>2024-01-02T03:04:05Z</EnableDate></member></MFADevices>`, i)
		})
	case "ListSigningCertificates":
		result = page(func(i int) string {
			return fmt.Sprintf(`<Certificates><member><UserName>me</UserName><CertificateId>CERT%d</CertificateId><CertificateBody>body</CertificateBody><Status>Active</Status><UploadDate>2024-01-02T03:04:05Z</UploadDate></member></Certificates>`, i)
		})
	case "ChangePassword", "ResyncMFADevice", "UpdateServerCertificate":
	default:
		http.Error(w, "<ErrorResponse><Error><Code>InvalidAction</Code><Message>"+action+"</Message></Error></ErrorResponse>", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%[1]sResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><%[1]sResult>%[2]s</%[1]sResult><ResponseMetadata><RequestId>req</RequestId></ResponseMetadata></%[1]sResponse>`, action, result)
}

// sent returns the requests of an action, as "Name=value&..." without
// Action and Version.
func (f *iamresFake) sent(action string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, v := range f.requests {
		if v.Get("Action") != action {
			continue
		}
		v = maps.Clone(v)
		delete(v, "Action")
		delete(v, "Version")
		out = append(out, v.Encode())
	}
	return out
}

// TestIAMResourceNotInMoto runs what moto does not implement against a
// fake endpoint: ChangePassword, MfaDevice.resync, ServerCertificate.update
// (moto answers all three with a 500), and the current user's MFA devices
// and signing certificates (moto's ListMFADevices and
// ListSigningCertificates require a UserName), read across three pages.
func TestIAMResourceNotInMoto(t *testing.T) {
	fake := &iamresFake{}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	sess, err := sdk.NewSession(context.Background(), sdk.WithRegion("us-east-1"),
		sdk.WithCredentials("a", "b", ""), sdk.WithEndpointURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	l := newLua(t, "", bindings.Options{Session: sess})
	l.must(t, iamresPrelude+`
local iam = aws.resource("iam")
iam:change_password{OldPassword = "old", NewPassword = "new"}
iam:MfaDevice("bob", "arn:mfa/bob"):resync{AuthenticationCode1 = "111111", AuthenticationCode2 = "222222"}
local renamed = iam:ServerCertificate("a"):update{NewServerCertificateName = "b", NewPath = "/p/"}
eq(renamed, iam:ServerCertificate("b"), "server_certificate:update() returns the renamed certificate")

local me = iam:CurrentUser()
eq(me.user_name, "me", "current user loads")
eq(me.user, iam:User("me"), "current_user.user")
eq(names(me.mfa_devices:all(), "serial_number"), "arn:aws:iam::123456789012:mfa/me1 arn:aws:iam::123456789012:mfa/me2 arn:aws:iam::123456789012:mfa/me3", "current_user.mfa_devices")
eq(page_sizes(me.mfa_devices:page_size(1)), "1,1,1", "three pages")
eq(page_sizes(me.mfa_devices:page_size(1):limit(2)), "1,1", "limit 2")
for d in me.mfa_devices:limit(1) do
  eq(d, iam:MfaDevice("me", "arn:aws:iam::123456789012:mfa/me1"), "a device of the current user")
  assert(d.enable_date, "with its data")
end
eq(names(me.signing_certificates:all(), "id"), "CERT1 CERT2 CERT3", "current_user.signing_certificates")
eq(page_sizes(me.signing_certificates:page_size(1):limit(3)), "1,1,1", "three pages")
for c in me.signing_certificates:limit(1) do
  eq(c, iam:SigningCertificate("me", "CERT1"), "a certificate of the current user")
  eq(c.status, "Active", "with its data")
end
`)
	for action, want := range map[string][]string{
		"ChangePassword":          {"NewPassword=new&OldPassword=old"},
		"ResyncMFADevice":         {"AuthenticationCode1=111111&AuthenticationCode2=222222&SerialNumber=arn%3Amfa%2Fbob&UserName=bob"},
		"UpdateServerCertificate": {"NewPath=%2Fp%2F&NewServerCertificateName=b&ServerCertificateName=a"},
		// No UserName: the caller's. The first page of the page_size(1)
		// listings asks for one item.
		"ListMFADevices": {"", "Marker=m2", "Marker=m3", "MaxItems=1", "Marker=m2&MaxItems=1", "Marker=m3&MaxItems=1", "MaxItems=1", "Marker=m2&MaxItems=1", ""},
	} {
		if got := fake.sent(action); !slices.Equal(got, want) {
			t.Errorf("%s sent %q, want %q", action, got, want)
		}
	}
}

// ---- the Go API ----

// TestIAMResourceGoAPI drives the same model from Go: an action that
// returns a resource, a waiter, a load, a collection's pages and a
// reference that is a list.
func TestIAMResourceGoAPI(t *testing.T) {
	ctx := context.Background()
	iam, err := testenv.Session(t, "moto").Resource("iam")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.TrimPrefix(testenv.Name("x"), "x-")
	path := "/awslua-go-" + s + "/"
	trust := `{"Version":"2012-10-17","Statement":[]}`
	var roles []*sdk.Resource
	for i := range 4 {
		out, err := iam.Action(ctx, "CreateRole", map[string]any{"RoleName": fmt.Sprintf("go%d-%s", i, s), "Path": path, "AssumeRolePolicyDocument": trust})
		if err != nil {
			t.Fatal(err)
		}
		roles = append(roles, out.(*sdk.Resource))
	}
	t.Cleanup(func() {
		for _, r := range roles {
			if _, err := r.Action(ctx, "Delete", nil); err != nil {
				t.Error(err)
			}
		}
	})
	if err := roles[0].Wait(ctx, "Exists", nil, sdk.WaiterConfig{}); err != nil {
		t.Fatal(err)
	}
	if arn, err := roles[0].Attribute(ctx, "arn"); err != nil || !strings.HasSuffix(fmt.Sprint(arn), "/go0-"+s) {
		t.Errorf("arn %v, %v", arn, err)
	}
	c, err := iam.Collection("roles")
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	var got []string
	for page, err := range c.Filter(map[string]any{"PathPrefix": path}).PageSize(1).Limit(3).Pages(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(page))
		for _, r := range page {
			got = append(got, r.Identifiers()["Name"].(string))
		}
	}
	if !slices.Equal(sizes, []int{1, 1, 1}) || len(got) != 3 {
		t.Errorf("pages %v of %v", sizes, got)
	}

	ip, err := iam.Get("InstanceProfile", "go-ip-"+s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := iam.Action(ctx, "CreateInstanceProfile", map[string]any{"InstanceProfileName": "go-ip-" + s}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ip.Action(ctx, "RemoveRole", map[string]any{"RoleName": "go1-" + s})
		if _, err := ip.Action(ctx, "Delete", nil); err != nil {
			t.Error(err)
		}
	})
	if err := ip.Wait(ctx, "Exists", nil, sdk.WaiterConfig{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ip.Action(ctx, "add_role", map[string]any{"RoleName": "go1-" + s}); err != nil {
		t.Fatal(err)
	}
	refs, err := ip.Reference(ctx, "Roles")
	if err != nil || len(refs) != 1 || !refs[0].Equal(roles[1]) {
		t.Errorf("instance profile's roles %v, %v", refs, err)
	}
}
