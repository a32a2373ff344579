package tests

// Tests of the EC2 resource model (sdk/models/ec2.json): offline, that every
// request, path, waiter and shape of the model is one the SDK has; against
// moto, that every resource is constructed, loaded and listed, that
// collections page with limit and page_size, that every batch action and
// waiter runs, and that references, sub-resources and the actions that
// return resources give what boto3's would.
//
// moto (5.2.1) lacks some EC2 operations. The scripts run through
// ec2resFake, a proxy that passes every request to moto except those, which
// it answers itself and records, so that the tests can check what was sent:
// placement groups (CreatePlacementGroup, DescribePlacementGroups,
// DeletePlacementGroup, and DescribeInstances filtered by
// placement-group-name, which moto fails on) and MonitorInstances /
// UnmonitorInstances. moto also lacks ReportInstanceStatus,
// ResetInstanceAttribute, the ClassicLink operations,
// DescribeVolumeAttribute, DescribeVolumeStatus, EnableVolumeIO,
// ModifyVolumeAttribute, ResetSnapshotAttribute, ResetImageAttribute and
// ResetNetworkInterfaceAttribute: the actions on them are checked offline
// only (TestEC2ResourceModel).

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"html"
	"io"
	"maps"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/resourcemodel"
)

// ---- helpers ----

// ec2resFake is an EC2 endpoint that passes requests to moto, except the
// operations moto does not implement, which it answers and records.
type ec2resFake struct {
	url    string
	mu     sync.Mutex
	calls  []url.Values          // the requests it answered itself
	sent   []url.Values          // every request
	groups map[string]url.Values // placement groups by name
}

func ec2resNewFake(t *testing.T) *ec2resFake {
	t.Helper()
	moto, err := url.Parse(testenv.URL(t, "moto"))
	if err != nil {
		t.Fatal(err)
	}
	f := &ec2resFake{groups: map[string]url.Values{}}
	proxy := httputil.NewSingleHostReverseProxy(moto)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		f.mu.Lock()
		f.sent = append(f.sent, form)
		f.mu.Unlock()
		if form.Get("Action") == "DescribeNetworkInterfaces" && form.Get("Filter.1.Name") == "association.association-id" {
			// moto fails on this filter: ask moto which interface has the
			// association, and describe that one.
			eni := f.interfaceOf(t, r.Header, form.Get("Filter.1.Value.1"))
			body = []byte(url.Values{"Action": {"DescribeNetworkInterfaces"}, "Version": {form.Get("Version")}, "NetworkInterfaceId.1": {eni}}.Encode())
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
		}
		if reply, ok := f.answer(form); ok {
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><%[1]sResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId>%[2]s</%[1]sResponse>`,
				form.Get("Action"), reply)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

// answer replies to what moto lacks; ok is false for everything else.
func (f *ec2resFake) answer(form url.Values) (reply string, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	group := func(v url.Values) string {
		return fmt.Sprintf("<groupName>%s</groupName><strategy>%s</strategy><state>available</state>",
			html.EscapeString(v.Get("GroupName")), html.EscapeString(v.Get("Strategy")))
	}
	switch form.Get("Action") {
	case "CreatePlacementGroup":
		f.groups[form.Get("GroupName")] = form
		reply = "<placementGroup>" + group(form) + "</placementGroup>"
	case "DescribePlacementGroups":
		names := ec2resList(form, "GroupName")
		if len(names) == 0 {
			names = slices.Sorted(maps.Keys(f.groups))
		}
		reply = "<placementGroupSet>"
		for _, n := range names {
			if g, ok := f.groups[n]; ok {
				reply += "<item>" + group(g) + "</item>"
			}
		}
		reply += "</placementGroupSet>"
	case "DeletePlacementGroup":
		delete(f.groups, form.Get("GroupName"))
		reply = "<return>true</return>"
	case "DescribeInstances":
		if form.Get("Filter.1.Name") != "placement-group-name" {
			return "", false
		}
		reply = "<reservationSet/>" // the fake's groups hold no instances
	case "MonitorInstances", "UnmonitorInstances":
		state := map[string]string{"MonitorInstances": "pending", "UnmonitorInstances": "disabling"}[form.Get("Action")]
		reply = "<instancesSet>"
		for _, id := range ec2resList(form, "InstanceId") {
			reply += fmt.Sprintf("<item><instanceId>%s</instanceId><monitoring><state>%s</state></monitoring></item>", html.EscapeString(id), state)
		}
		reply += "</instancesSet>"
	default:
		return "", false
	}
	f.calls = append(f.calls, form)
	return reply, true
}

// interfaceOf asks moto for the network interface of an address
// association.
func (f *ec2resFake) interfaceOf(t *testing.T, h http.Header, association string) string {
	moto := testenv.URL(t, "moto")
	body := url.Values{"Action": {"DescribeAddresses"}, "Version": {"2016-11-15"},
		"Filter.1.Name": {"association-id"}, "Filter.1.Value.1": {association}}.Encode()
	req, err := http.NewRequest("POST", moto, strings.NewReader(body))
	if err != nil {
		return ""
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", h.Get("Authorization")) // moto reads the service and region from it
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if m := regexp.MustCompile(`<networkInterfaceId>([^<]+)</networkInterfaceId>`).FindSubmatch(out); m != nil {
		return string(m[1])
	}
	return "eni-none"
}

// sentWith returns every request of an action that had member name = value.
func (f *ec2resFake) sentWith(action, name, value string) []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []url.Values
	for _, c := range f.sent {
		if c.Get("Action") == action && c.Get(name) == value {
			out = append(out, c)
		}
	}
	return out
}

// requests returns the recorded requests of an action.
func (f *ec2resFake) requests(action string) []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []url.Values
	for _, c := range f.calls {
		if c.Get("Action") == action {
			out = append(out, c)
		}
	}
	return out
}

// ec2resList reads a query-protocol list: Name.1, Name.2, ...
func ec2resList(form url.Values, name string) []string {
	var out []string
	for i := 1; form.Has(fmt.Sprintf("%s.%d", name, i)); i++ {
		out = append(out, form.Get(fmt.Sprintf("%s.%d", name, i)))
	}
	return out
}

// ec2resSession is a session whose EC2 requests go through the fake.
func ec2resSession(t *testing.T, f *ec2resFake) *sdk.Session {
	t.Helper()
	s, err := sdk.NewSession(context.Background(), sdk.WithRegion(testenv.Region),
		sdk.WithCredentials(testenv.AccessKey, testenv.SecretKey, ""), sdk.WithEndpointURL(f.url))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ec2resLua returns a Lua runtime on the fake and a name for the run, whose
// instances the test's cleanup terminates.
func ec2resLua(t *testing.T, f *ec2resFake) (*luaRT, string) {
	t.Helper()
	sess := ec2resSession(t, f)
	l := newLua(t, "", bindings.Options{Session: sess})
	run := testenv.Name("awslua-ec2")
	t.Cleanup(func() { ec2resCleanup(t, sess, run) })
	return l, run
}

// ec2resCleanup terminates the instances left in the run's VPCs (tagged
// awslua-test=run).
func ec2resCleanup(t *testing.T, sess *sdk.Session, run string) {
	ctx := context.Background()
	c, err := sess.Client("ec2")
	if err != nil {
		t.Error(err)
		return
	}
	vpcs, err := c.Call(ctx, "DescribeVpcs", map[string]any{"Filters": []any{map[string]any{"Name": "tag:awslua-test", "Values": []any{run}}}})
	if err != nil {
		t.Errorf("cleanup: %v", err)
		return
	}
	for _, v := range vpcs["Vpcs"].([]any) {
		id := v.(map[string]any)["VpcId"]
		out, err := c.Call(ctx, "DescribeInstances", map[string]any{"Filters": []any{map[string]any{"Name": "vpc-id", "Values": []any{id}}}})
		if err != nil {
			t.Errorf("cleanup: %v", err)
			continue
		}
		var ids []any
		for _, r := range out["Reservations"].([]any) {
			for _, i := range r.(map[string]any)["Instances"].([]any) {
				ids = append(ids, i.(map[string]any)["InstanceId"])
			}
		}
		if len(ids) > 0 {
			if _, err := c.Call(ctx, "TerminateInstances", map[string]any{"InstanceIds": ids}); err != nil {
				t.Errorf("cleanup: %v", err)
			}
		}
	}
}

// ec2resPublicKey returns a new RSA public key in OpenSSH's format, for
// ImportKeyPair.
func ec2resPublicKey(t *testing.T) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	put := func(p []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(p)))
		b.Write(p)
	}
	mpint := func(n *big.Int) {
		p := n.Bytes()
		if len(p) > 0 && p[0]&0x80 != 0 {
			p = append([]byte{0}, p...)
		}
		put(p)
	}
	put([]byte("ssh-rsa"))
	mpint(big.NewInt(int64(k.E)))
	mpint(k.N)
	return "ssh-rsa " + base64.StdEncoding.EncodeToString(b.Bytes()) + " awslua-test"
}

// ec2resPrelude defines what the scripts share; the run's name is "...".
const ec2resPrelude = resAssertions + `
local ec2 = aws.resource("ec2")
local RUN = ...
local function truthy(v, what) if not v then error(what .. ": not true", 2) end end
local function contains(coll, res)
  for r in coll do if r == res then return true end end
  return false
end
local function tag(res, key)
  for _, t in ipairs(res.tags or {}) do if t.Key == key then return t.Value end end
end
local function new_vpc(cidr)
  local vpc = ec2:create_vpc{CidrBlock = cidr}
  vpc:create_tags{Tags = {{Key = "awslua-test", Value = RUN}}}
  return vpc
end
local function an_image()
  for i in ec2.images:filter{Owners = {"amazon"}}:limit(1) do return i end
end
`

// ---- the model ----

// TestEC2ResourceModel checks, without a server, that the model only
// names what the SDK has: operations, the members its requests set, the
// paths it reads from responses and data, waiters, and shapes; that load
// and collection paths lead to the resource's own shape; and that the
// has-entries split into sub-resources and references as boto3's do.
func TestEC2ResourceModel(t *testing.T) {
	sess := offlineSession(t)
	ec2, err := sess.Resource("ec2")
	if err != nil {
		t.Fatal(err)
	}
	client := ec2.Client()
	m, err := sdk.LookupResourceModel("ec2")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(m.Resources); got != 22 {
		t.Errorf("%d resources, want boto3's 22", got)
	}
	waiters := map[string]string{}
	for _, w := range client.Service().Waiters {
		waiters[w.Name] = w.Operation
	}
	shapes := map[string]*sdk.Shape{} // every structure the operations use, by Go type name
	var visit func(s *sdk.Shape)
	visit = func(s *sdk.Shape) {
		if s == nil {
			return
		}
		if s.Kind == sdk.KindStructure {
			if _, ok := shapes[s.Name()]; ok {
				return
			}
			shapes[s.Name()] = s
			for _, mem := range s.Members {
				visit(mem.Shape)
			}
		}
		visit(s.Elem)
	}
	op := func(where, name string) (in, out *sdk.Shape) {
		o, err := client.Operation(name)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			return nil, nil
		}
		visit(o.InputShape())
		visit(o.OutputShape())
		return o.InputShape(), o.OutputShape()
	}
	for _, name := range client.Operations() {
		op("", name)
	}
	for typ, def := range m.Resources {
		if client.Service().Shape(def.Shape) == nil {
			t.Errorf("%s: shape %q is no structure of the SDK", typ, def.Shape)
		}
	}
	shapeOf := func(typ string) *sdk.Shape {
		if typ == "" {
			return nil
		}
		return client.Service().Shape(m.Resources[typ].Shape)
	}
	params := func(where string, in *sdk.Shape, ps []resourcemodel.ParamDef) {
		for _, p := range ps {
			if _, err := ec2resPath(in, strings.ReplaceAll(p.Target, "[*]", "[0]")); err != nil {
				t.Errorf("%s: parameter %s: %v", where, p.Target, err)
			}
		}
	}
	// built checks what an action, has-entry or collection builds: response
	// paths into the output, data paths into the resource's own shape,
	// request parameters into the input, and that "path" is the type's shape.
	built := func(where string, self string, in, out *sdk.Shape, r *resourcemodel.ResponseResourceDef, dataAsResponse bool) {
		if dataAsResponse {
			out = shapeOf(self)
		}
		for _, id := range r.Identifiers {
			var err error
			switch id.Source {
			case "response":
				_, err = ec2resPath(out, id.Path)
			case "data":
				_, err = ec2resPath(shapeOf(self), id.Path)
			case "requestParameter":
				_, err = ec2resPath(in, id.Path)
			}
			if err != nil {
				t.Errorf("%s: identifier %s: %v", where, id.Target, err)
			}
		}
		if r.Path != "" {
			s, err := ec2resPath(out, r.Path)
			if err != nil {
				t.Errorf("%s: path: %v", where, err)
			} else if extra := ec2resExtraMembers(s, client.Service().Shape(m.Resources[r.Type].Shape)); len(extra) > 0 {
				// The data may be another structure (CreateVolumeOutput for
				// a Volume), as long as its members are the resource's.
				t.Errorf("%s: path %s is a %s, whose members %v %s's shape lacks", where, r.Path, s.Name(), extra, r.Type)
			}
		}
	}
	all := map[string]*resourcemodel.ResourceDef{"": m.Service}
	maps.Copy(all, m.Resources)
	for typ, def := range all {
		if def.Load != nil {
			in, out := op(typ+" load", def.Load.Request.Operation)
			params(typ+" load", in, def.Load.Request.Params)
			if s, err := ec2resPath(out, def.Load.Path); err != nil {
				t.Errorf("%s load: %v", typ, err)
			} else if s.Name() != def.Shape {
				t.Errorf("%s load: %s is a %s, not the shape %s", typ, def.Load.Path, s.Name(), def.Shape)
			}
		}
		for name, a := range def.Actions {
			where := typ + " action " + name
			in, out := op(where, a.Request.Operation)
			params(where, in, a.Request.Params)
			if a.Resource != nil {
				built(where, typ, in, out, a.Resource, false)
			}
		}
		for name, a := range def.BatchActions {
			where := typ + " batch action " + name
			in, _ := op(where, a.Request.Operation)
			params(where, in, a.Request.Params)
		}
		for name, h := range def.HasMany {
			where := typ + " collection " + name
			in, out := op(where, h.Request.Operation)
			params(where, in, h.Request.Params)
			built(where, typ, in, out, &h.Resource, false)
		}
		for name, h := range def.Has {
			built(typ+" has "+name, typ, nil, nil, &h.Resource, true)
		}
		for name, w := range def.Waiters {
			where := typ + " waiter " + name
			opName, ok := waiters[w.WaiterName]
			if !ok {
				t.Errorf("%s: the client has no waiter %s", where, w.WaiterName)
				continue
			}
			in, _ := op(where, opName)
			params(where, in, w.Params)
		}
	}

	// References (attributes) and sub-resources (methods), as boto3 splits them.
	inst, err := ec2.Get("Instance", "i-1")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := inst.References(), []string{"ClassicAddress", "Image", "KeyPair", "NetworkInterfaces", "PlacementGroup", "Subnet", "Vpc"}; !reflect.DeepEqual(ec2resSorted(got), want) {
		t.Errorf("instance references %v, want %v", got, want)
	}
	route, err := ec2.Get("Route", "rtb-1", "0.0.0.0/0")
	if err != nil {
		t.Fatal(err)
	}
	if got := route.SubResources(); !reflect.DeepEqual(got, []string{"RouteTable"}) {
		t.Errorf("route sub-resources %v, want [RouteTable]", got)
	}
	// boto3's ec2.KeyPair(name) is a KeyPairInfo, which loads.
	kp, err := ec2.Get("KeyPair", "k")
	if err != nil {
		t.Fatal(err)
	}
	if kp.Type() != "KeyPairInfo" {
		t.Errorf("ec2.KeyPair is a %s, want KeyPairInfo", kp.Type())
	}
}

// ec2resExtraMembers names the members of data that shape lacks.
func ec2resExtraMembers(data, shape *sdk.Shape) []string {
	if shape == nil || data == shape {
		return nil
	}
	var extra []string
	for _, m := range data.Members {
		if _, ok := shape.Member(m.Name); !ok {
			extra = append(extra, m.Name)
		}
	}
	return extra
}

func ec2resSorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

var ec2resStep = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9]*)?((?:\[-?\d*\])*)$`)

// ec2resPath follows a model path ("Reservations[0].Instances[].InstanceId",
// "Filters[0].Values[0]", "@") through a shape by exact member names and
// returns the shape it leads to.
func ec2resPath(s *sdk.Shape, path string) (*sdk.Shape, error) {
	if s == nil {
		return nil, fmt.Errorf("no shape to follow %q in", path)
	}
	if path == "@" || path == "$" {
		return s, nil
	}
	for _, step := range strings.Split(path, ".") {
		m := ec2resStep.FindStringSubmatch(step)
		if m == nil {
			return nil, fmt.Errorf("%q: bad step %q", path, step)
		}
		if m[1] != "" {
			if s.Kind != sdk.KindStructure {
				return nil, fmt.Errorf("%q: %s is not a structure", path, s.Name())
			}
			var next *sdk.Shape
			for _, mem := range s.Members {
				if mem.Name == m[1] {
					next = mem.Shape
				}
			}
			if next == nil {
				return nil, fmt.Errorf("%q: %s has no member %s", path, s.Name(), m[1])
			}
			s = next
		}
		for range strings.Count(m[2], "[") {
			if s.Kind != sdk.KindList {
				return nil, fmt.Errorf("%q: %s is not a list", path, step)
			}
			s = s.Elem
		}
	}
	return s, nil
}

// ---- against moto ----

// TestEC2ResourceInstances runs instances in a VPC and checks loading,
// references, the instance collections across pages with limit and
// page_size, every Instance batch action and waiter, and the actions.
func TestEC2ResourceInstances(t *testing.T) {
	f := ec2resNewFake(t)
	l, run := ec2resLua(t, f)
	l.must(t, ec2resPrelude+ec2resInstancesScript, run)
	// moto has no MonitorInstances: the fake answered; one request per page
	// of three, with the page's instances.
	for _, action := range []string{"MonitorInstances", "UnmonitorInstances"} {
		reqs := f.requests(action)
		var sizes []int
		seen := map[string]bool{}
		for _, r := range reqs[:min(len(reqs), 3)] {
			ids := ec2resList(r, "InstanceId")
			sizes = append(sizes, len(ids))
			for _, id := range ids {
				seen[id] = true
			}
		}
		if !reflect.DeepEqual(sizes, []int{3, 3, 1}) || len(seen) != 7 {
			t.Errorf("%s batch: pages %v over %d instances, want [3 3 1] over 7", action, sizes, len(seen))
		}
		if len(reqs) != 4 || len(ec2resList(reqs[3], "InstanceId")) != 1 {
			t.Errorf("%s: %d requests, want 3 from the batch and 1 from instance:%s()", action, len(reqs), sdk.SnakeCase(strings.TrimSuffix(action, "Instances")))
		}
	}
}

const ec2resInstancesScript = `
-- a VPC with a subnet, and a key pair
local vpc = new_vpc("10.50.0.0/16")
vpc:wait_until_exists()
vpc:wait_until_available()
eq(vpc.cidr_block, "10.50.0.0/16", "vpc.cidr_block")
eq(tag(vpc, "awslua-test"), RUN, "vpc tag")
local subnet = vpc:create_subnet{CidrBlock = "10.50.1.0/24"}
eq(subnet.vpc, vpc, "subnet.vpc")
eq(subnet.cidr_block, "10.50.1.0/24", "subnet.cidr_block")
local img = an_image()
truthy(img.name, "an image's name")
local kp = ec2:create_key_pair{KeyName = RUN .. "-kp"}

-- seven reservations of one instance each: moto pages DescribeInstances by reservation
local all = {}
for i = 1, 7 do
  local got = subnet:create_instances{ImageId = img.id, MinCount = 1, MaxCount = 1, KeyName = kp.name,
    TagSpecifications = {{ResourceType = "instance", Tags = {{Key = "n", Value = tostring(i)}}}}}
  eq(#got, 1, "create_instances returns a list")
  all[i] = got[1]
end
local first = all[1]
eq(first.meta.data.State.Name, "pending", "data from RunInstances")
first:wait_until_exists()
first:wait_until_running()
first:reload()
eq(first.state.Name, "running", "state after wait_until_running")
eq(first.vpc, vpc, "instance.vpc")
eq(first.subnet, subnet, "instance.subnet")
eq(first.image, img, "instance.image")
eq(first.image.name, img.name, "instance.image.name loads the image")
eq(first.key_pair, ec2:KeyPair(kp.name), "instance.key_pair")
eq(first.key_pair.meta.resource_type, "KeyPairInfo", "instance.key_pair's type")
eq(first.key_pair.key_fingerprint, kp.key_fingerprint, "instance.key_pair loads")
-- moto leaves Placement.GroupName "": no placement group
eq(first.placement_group, nil, "instance outside a group has no placement_group")
eq(first.classic_address, nil, "instance without a public address")
local enis = first.network_interfaces
eq(#enis, 1, "instance.network_interfaces")
eq(enis[1].meta.data.SubnetId, subnet.id, "network interface data from the instance's")
eq(enis[1].vpc, vpc, "eni.vpc")
-- the attribute the reference took the name of, as boto3 names it
eq(first.network_interfaces_attribute[1].NetworkInterfaceId, enis[1].id, "instance.network_interfaces_attribute")
-- a fresh resource loads by itself
local again = ec2:Instance(first.id)
eq(again.instance_type, first.instance_type, "attributes load")
eq(again, first, "equality by id")
eq(tostring(again), "ec2.Instance(id='" .. first.id .. "')", "tostring")
eq(again.instance_id, first.id, "the identifier's member")

-- collections: 7 across pages
eq(count(vpc.instances:all()), 7, "vpc.instances")
eq(page_sizes(vpc.instances:page_size(2)), "2,2,2,1", "vpc.instances pages of 2")
eq(page_sizes(vpc.instances:page_size(3)), "3,3,1", "vpc.instances pages of 3")
eq(count(vpc.instances:page_size(2):limit(5)), 5, "limit across pages")
eq(page_sizes(vpc.instances:page_size(2):limit(3)), "2,1", "limit cuts the last page")
eq(count(subnet.instances:all()), 7, "subnet.instances")
eq(page_sizes(subnet.instances:page_size(5)), "5,2", "subnet.instances pages of 5")
-- a filter adds to the collection's own filter: tag n=3 in this VPC only
local other = new_vpc("10.51.0.0/16")
local osub = other:create_subnet{CidrBlock = "10.51.1.0/24"}
local stray = osub:create_instances{ImageId = img.id, MinCount = 1, MaxCount = 1,
  TagSpecifications = {{ResourceType = "instance", Tags = {{Key = "n", Value = "3"}}}}}[1]
local tagged = {}
for i in vpc.instances:filter{Filters = {{Name = "tag:n", Values = {"3"}}}} do tagged[#tagged + 1] = i end
eq(#tagged, 1, "filtered vpc.instances")
eq(tagged[1], all[3], "filtered vpc.instances")
local found = 0
for i in ec2.instances:filter{Filters = {{Name = "tag:n", Values = {"3"}}, {Name = "vpc-id", Values = {vpc.id, other.id}}}}:page_size(5) do
  if i == all[3] or i == stray then found = found + 1 end
end
eq(found, 2, "ec2.instances across VPCs")
stray:terminate()
stray:wait_until_terminated()
eq(ec2:Instance(stray.id).state.Name, "terminated", "instance:terminate")

-- batch actions: one request per page
local coll = vpc.instances:page_size(3)
eq(#coll:stop(), 3, "stop: one response per page")
for _, i in ipairs(all) do i:wait_until_stopped() end
eq(ec2:Instance(all[7].id).state.Name, "stopped", "stopped by the batch")
first:modify_attribute{InstanceType = {Value = "t2.small"}}
eq(first:describe_attribute{Attribute = "instanceType"}.InstanceType.Value, "t2.small", "modify_attribute")
eq(#coll:start(), 3, "start")
for _, i in ipairs(all) do i:wait_until_running() end
eq(ec2:Instance(all[5].id).state.Name, "running", "started by the batch")
eq(#coll:reboot(), 3, "reboot")
-- moto has no MonitorInstances: the fake answers; the Go test checks the requests
eq(#coll:monitor(), 3, "monitor")
eq(#coll:unmonitor(), 3, "unmonitor")
eq(#coll:create_tags{Tags = {{Key = "batch", Value = "yes"}}}, 3, "create_tags")
for _, i in ipairs(all) do eq(tag(ec2:Instance(i.id), "batch"), "yes", "batch create_tags on " .. i.id) end

-- single-instance actions
first:stop(); first:wait_until_stopped()
eq(ec2:Instance(first.id).state.Name, "stopped", "instance:stop")
first:start(); first:wait_until_running()
eq(ec2:Instance(first.id).state.Name, "running", "instance:start")
first:reboot()
eq(first:monitor().InstanceMonitorings[1].InstanceId, first.id, "instance:monitor")
first:unmonitor()
eq(first:console_output().InstanceId, first.id, "console_output")
eq(first:password_data().InstanceId, first.id, "password_data")
first:delete_tags{Tags = {{Key = "batch"}}}
eq(tag(ec2:Instance(first.id), "batch"), nil, "delete_tags")
-- create_tags returns Tags (code, as boto3's); ec2:create_tags makes one per resource and tag
local tags = first:create_tags{Tags = {{Key = "a", Value = "1"}, {Key = "b", Value = "2"}}}
eq(#tags, 2, "instance:create_tags")
eq(tostring(tags[2]), "ec2.Tag(resource_id='" .. first.id .. "', key='b', value='2')", "instance:create_tags")
eq(tags[1].resource_type, "instance", "a Tag loads")
local many = ec2:create_tags{Resources = {all[2].id, all[3].id}, Tags = {{Key = "x", Value = "1"}, {Key = "y", Value = "2"}}}
eq(#many, 4, "ec2:create_tags: resources times tags")
eq(many[4], ec2:Tag(all[3].id, "y", "2"), "ec2:create_tags")
eq(tag(ec2:Instance(all[3].id), "y"), "2", "ec2:create_tags tagged")
-- create_image makes an Image
local image = first:create_image{Name = RUN .. "-img"}
eq(image.meta.resource_type, "Image", "create_image")
image:wait_until_exists()
eq(image.name, RUN .. "-img", "image.name")
local itags = image:create_tags{Tags = {{Key = "k", Value = "v"}}}
eq(itags[1], ec2:Tag(image.id, "k", "v"), "image:create_tags")
eq(count(ec2.images:filter{ImageIds = {image.id}}), 1, "ec2.images")
image:modify_attribute{LaunchPermission = {Add = {{UserId = "123456789012"}}}}
eq(image:describe_attribute{Attribute = "launchPermission"}.LaunchPermissions[1].UserId, "123456789012", "image:modify_attribute")
local reg = ec2:register_image{Name = RUN .. "-reg", RootDeviceName = "/dev/sda1"}
eq(reg.meta.resource_type, "Image", "register_image")
eq(reg.name, RUN .. "-reg", "registered image")
reg:deregister()
image:deregister()
eq(count(ec2.images:filter{ImageIds = {image.id}}), 0, "image:deregister")

-- terminate all
eq(#vpc.instances:terminate(), 1, "terminate")
for _, i in ipairs(all) do i:wait_until_terminated() end
eq(ec2:Instance(all[4].id).state.Name, "terminated", "terminated by the batch")
kp:delete()
raises(function() ec2:KeyPair(kp.name):load() end, "InvalidKeyPair.NotFound")
`

// TestEC2ResourceStorage covers volumes, snapshots and key pairs: attach
// and detach, snapshots of a volume, the Completed waiter, and key pairs
// made and imported.
func TestEC2ResourceStorage(t *testing.T) {
	f := ec2resNewFake(t)
	l, run := ec2resLua(t, f)
	l.must(t, ec2resPrelude+ec2resStorageScript, run, ec2resPublicKey(t))
}

const ec2resStorageScript = `
local PUBLIC_KEY = select(2, ...)
local vpc = new_vpc("10.60.0.0/16")
local subnet = vpc:create_subnet{CidrBlock = "10.60.1.0/24"}
local inst = ec2:create_instances{ImageId = an_image().id, MinCount = 1, MaxCount = 1, SubnetId = subnet.id}[1]
eq(inst.meta.resource_type, "Instance", "ec2:create_instances")
inst:wait_until_running()
eq(inst.subnet, subnet, "ec2:create_instances in the subnet")

-- volumes
local vol = ec2:create_volume{AvailabilityZone = subnet.availability_zone, Size = 2,
  TagSpecifications = {{ResourceType = "volume", Tags = {{Key = "awslua-test", Value = RUN}}}}}
eq(vol.meta.resource_type, "Volume", "create_volume")
eq(vol.meta.data.Size, 2, "data from CreateVolume")
eq(ec2:Volume(vol.id).state, "available", "a volume loads")
eq(count(ec2.volumes:filter{VolumeIds = {vol.id}}), 1, "ec2.volumes")
eq(count(ec2.volumes:filter{Filters = {{Name = "tag:awslua-test", Values = {RUN}}}}), 1, "ec2.volumes by tag")
eq(vol:create_tags{Tags = {{Key = "k", Value = "v"}}}[1], ec2:Tag(vol.id, "k", "v"), "volume:create_tags")
vol:attach_to_instance{InstanceId = inst.id, Device = "/dev/sdf"}
vol:reload()
eq(vol.attachments[1].InstanceId, inst.id, "volume:attach_to_instance")
truthy(contains(inst.volumes:all(), vol), "instance.volumes has the volume")
vol:detach_from_instance{InstanceId = inst.id}
vol:reload()
eq(#vol.attachments, 0, "volume:detach_from_instance")
eq(contains(inst.volumes:all(), vol), false, "instance.volumes after the detach")
inst:attach_volume{VolumeId = vol.id, Device = "/dev/sdg"}
eq(ec2:Volume(vol.id).attachments[1].Device, "/dev/sdg", "instance:attach_volume")
inst:detach_volume{VolumeId = vol.id}
eq(#ec2:Volume(vol.id).attachments, 0, "instance:detach_volume")

-- snapshots
local snap = vol:create_snapshot{Description = RUN}
eq(snap.meta.resource_type, "Snapshot", "volume:create_snapshot")
eq(snap.meta.data.Description, RUN, "data from CreateSnapshot")
snap:wait_until_completed()
eq(ec2:Snapshot(snap.id).state, "completed", "snapshot:wait_until_completed")
eq(snap.volume, vol, "snapshot.volume")
eq(snap.volume.size, 2, "snapshot.volume loads")
local snap2 = ec2:create_snapshot{VolumeId = vol.id, Description = RUN .. "-2"}
local ids = {}
for s in vol.snapshots:all() do ids[#ids + 1] = s.id end
table.sort(ids)
local want = {snap.id, snap2.id}
table.sort(want)
eq(table.concat(ids, ","), table.concat(want, ","), "volume.snapshots")
eq(count(ec2.snapshots:filter{SnapshotIds = {snap.id, snap2.id}}), 2, "ec2.snapshots")
eq(count(ec2.snapshots:filter{SnapshotIds = {snap.id, snap2.id}}:limit(1)), 1, "ec2.snapshots:limit")
eq(snap:create_tags{Tags = {{Key = "k", Value = "v"}}}[1].resource_id, snap.id, "snapshot:create_tags")
snap:modify_attribute{Attribute = "createVolumePermission", OperationType = "add", UserIds = {"123456789012"}}
eq(snap:describe_attribute{Attribute = "createVolumePermission"}.CreateVolumePermissions[1].UserId, "123456789012", "snapshot:modify_attribute")
local copy = snap:copy{SourceRegion = "us-east-1", Description = "copied"}
truthy(copy.SnapshotId and copy.SnapshotId ~= snap.id, "snapshot:copy returns the response")
eq(ec2:Snapshot(copy.SnapshotId).description, "copied", "the copy")
ec2:Snapshot(copy.SnapshotId):delete()
snap2:delete()
snap:delete()
eq(count(vol.snapshots:all()), 0, "snapshot:delete")
vol:delete()
eq(count(ec2.volumes:filter{Filters = {{Name = "tag:awslua-test", Values = {RUN}}}}), 0, "volume:delete")

-- key pairs: create_key_pair gives a KeyPair with the key material; it does not load
local kp = ec2:create_key_pair{KeyName = RUN .. "-made"}
eq(kp.meta.resource_type, "KeyPair", "create_key_pair")
eq(kp.name, RUN .. "-made", "key_pair.name")
truthy(kp.key_material:find("PRIVATE KEY", 1, true), "key_pair.key_material")
raises(function() kp:reload() end, "ec2.KeyPair has no load method")
local info = ec2:KeyPair(kp.name)
eq(info.key_fingerprint, kp.key_fingerprint, "KeyPairInfo loads")
local imported = ec2:import_key_pair{KeyName = RUN .. "-imported", PublicKeyMaterial = PUBLIC_KEY}
eq(imported.meta.resource_type, "KeyPairInfo", "import_key_pair")
truthy(imported.key_fingerprint, "imported key's fingerprint")
local names = {}
for k in ec2.key_pairs:filter{KeyNames = {kp.name, imported.name}} do names[#names + 1] = k.name end
table.sort(names)
eq(table.concat(names, ","), RUN .. "-imported," .. RUN .. "-made", "ec2.key_pairs")
truthy(contains(ec2.key_pairs:all(), info), "ec2.key_pairs:all()")
kp:delete()
imported:delete()
eq(count(ec2.key_pairs:filter{Filters = {{Name = "key-name", Values = {kp.name, imported.name}}}}), 0, "key pairs deleted")
inst:terminate()
`

// TestEC2ResourceNetwork covers the VPC's parts: subnets and security
// groups (ingress and egress rules, the collections with limit and
// page_size), internet gateways, route tables with their routes and
// associations, network ACLs, network interfaces, DHCP options, addresses
// and their associations, and peering connections.
func TestEC2ResourceNetwork(t *testing.T) {
	f := ec2resNewFake(t)
	l, run := ec2resLua(t, f)
	ids := strings.Fields(l.must(t, ec2resPrelude+ec2resNetworkScript, run))
	if len(ids) != 2 {
		t.Fatalf("the script printed %q, want two VPC ids", ids)
	}
	// moto ignores these filters; the collections must have sent them.
	for filter, vpc := range map[string]string{"requester-vpc-info.vpc-id": ids[0], "accepter-vpc-info.vpc-id": ids[1]} {
		sent := f.sentWith("DescribeVpcPeeringConnections", "Filter.1.Name", filter)
		if len(sent) == 0 || sent[0].Get("Filter.1.Value.1") != vpc {
			t.Errorf("no DescribeVpcPeeringConnections with %s = %s: %v", filter, vpc, sent)
		}
	}
	// moto answers DescribeSubnets and DescribeSecurityGroups in one page
	// whatever MaxResults says; page_size must still have asked for pages.
	for _, action := range []string{"DescribeSubnets", "DescribeSecurityGroups"} {
		if len(f.sentWith(action, "MaxResults", "5")) == 0 {
			t.Errorf("page_size(5) sent no %s with MaxResults=5", action)
		}
	}
}

const ec2resNetworkScript = `
local vpc = new_vpc("10.80.0.0/16")
local peer = new_vpc("10.81.0.0/16")
eq(count(ec2.vpcs:filter{VpcIds = {vpc.id, peer.id}}), 2, "ec2.vpcs")
eq(count(ec2.vpcs:filter{Filters = {{Name = "tag:awslua-test", Values = {RUN}}}}:limit(1)), 1, "ec2.vpcs:limit")

-- subnets: eight, through the VPC and the service
local subnets = {}
for i = 1, 8 do
  local s = i % 2 == 0 and vpc:create_subnet{CidrBlock = "10.80." .. i .. ".0/24"}
    or ec2:create_subnet{VpcId = vpc.id, CidrBlock = "10.80." .. i .. ".0/24"}
  eq(s.meta.resource_type, "Subnet", "create_subnet")
  subnets[i] = s
end
local subnet = subnets[1]
eq(count(vpc.subnets:all()), 8, "vpc.subnets")
eq(count(vpc.subnets:page_size(5)), 8, "vpc.subnets:page_size")
eq(count(vpc.subnets:limit(3)), 3, "vpc.subnets:limit")
eq(count(vpc.subnets:page_size(5):limit(6)), 6, "vpc.subnets:page_size:limit")
eq(count(vpc.subnets:filter{Filters = {{Name = "cidr-block", Values = {"10.80.3.0/24"}}}}), 1, "vpc.subnets:filter")
eq(count(ec2.subnets:filter{SubnetIds = {subnets[2].id, subnets[3].id}}), 2, "ec2.subnets")
eq(ec2:Subnet(subnets[2].id).cidr_block, "10.80.2.0/24", "a subnet loads")
eq(subnet:create_tags{Tags = {{Key = "k", Value = "v"}}}[1].resource_id, subnet.id, "subnet:create_tags")
subnets[8]:delete()
eq(count(vpc.subnets:all()), 7, "subnet:delete")

-- security groups: the default one and six more
local groups = {}
for i = 1, 6 do
  groups[i] = (i % 2 == 0 and vpc:create_security_group{GroupName = RUN .. "-" .. i, Description = "d"})
    or ec2:create_security_group{VpcId = vpc.id, GroupName = RUN .. "-" .. i, Description = "d"}
  eq(groups[i].meta.resource_type, "SecurityGroup", "create_security_group")
end
local sg = groups[1]
eq(sg.group_name, RUN .. "-1", "a security group loads")
eq(sg.vpc_id, vpc.id, "security group's vpc")
eq(count(vpc.security_groups:all()), 7, "vpc.security_groups")
eq(count(vpc.security_groups:page_size(5)), 7, "vpc.security_groups:page_size")
eq(count(vpc.security_groups:page_size(5):limit(4)), 4, "vpc.security_groups:limit")
eq(count(ec2.security_groups:filter{GroupIds = {sg.id, groups[2].id}}), 2, "ec2.security_groups")
sg:authorize_ingress{IpPermissions = {
  {IpProtocol = "tcp", FromPort = 22, ToPort = 22, IpRanges = {{CidrIp = "10.0.0.0/8"}}},
  {IpProtocol = "tcp", FromPort = 443, ToPort = 443, UserIdGroupPairs = {{GroupId = groups[2].id}}}}}
sg:reload()
eq(#sg.ip_permissions, 2, "authorize_ingress")
local ssh
for _, p in ipairs(sg.ip_permissions) do if p.FromPort == 22 then ssh = p end end
eq(ssh.IpRanges[1].CidrIp, "10.0.0.0/8", "the ingress rule")
sg:revoke_ingress{IpPermissions = {{IpProtocol = "tcp", FromPort = 22, ToPort = 22, IpRanges = {{CidrIp = "10.0.0.0/8"}}}}}
sg:reload()
eq(#sg.ip_permissions, 1, "revoke_ingress")
eq(sg.ip_permissions[1].UserIdGroupPairs[1].GroupId, groups[2].id, "the rule left")
local egress = #sg.ip_permissions_egress
sg:authorize_egress{IpPermissions = {{IpProtocol = "udp", FromPort = 53, ToPort = 53, IpRanges = {{CidrIp = "10.1.0.0/16"}}}}}
eq(#ec2:SecurityGroup(sg.id).ip_permissions_egress, egress + 1, "authorize_egress")
sg:revoke_egress{IpPermissions = {{IpProtocol = "udp", FromPort = 53, ToPort = 53, IpRanges = {{CidrIp = "10.1.0.0/16"}}}}}
eq(#ec2:SecurityGroup(sg.id).ip_permissions_egress, egress, "revoke_egress")
eq(sg:create_tags{Tags = {{Key = "k", Value = "v"}}}[1], ec2:Tag(sg.id, "k", "v"), "security_group:create_tags")
groups[6]:delete()
eq(count(vpc.security_groups:all()), 6, "security_group:delete")

-- internet gateways
local igw = ec2:create_internet_gateway()
eq(igw.meta.resource_type, "InternetGateway", "create_internet_gateway")
igw:attach_to_vpc{VpcId = vpc.id}
eq(ec2:InternetGateway(igw.id).attachments[1].VpcId, vpc.id, "internet_gateway:attach_to_vpc")
eq(count(vpc.internet_gateways:all()), 1, "vpc.internet_gateways")
eq(count(ec2.internet_gateways:filter{InternetGatewayIds = {igw.id}}), 1, "ec2.internet_gateways")
eq(igw:create_tags{Tags = {{Key = "k", Value = "v"}}}[1].resource_id, igw.id, "internet_gateway:create_tags")
local igw2 = ec2:create_internet_gateway()
vpc:detach_internet_gateway{InternetGatewayId = igw.id}
eq(count(vpc.internet_gateways:all()), 0, "vpc:detach_internet_gateway")
vpc:attach_internet_gateway{InternetGatewayId = igw.id}
eq(count(vpc.internet_gateways:all()), 1, "vpc:attach_internet_gateway")

-- route tables, routes and associations
local rt = vpc:create_route_table()
eq(rt.meta.resource_type, "RouteTable", "vpc:create_route_table")
eq(rt.vpc, vpc, "route_table.vpc")
local rt2 = ec2:create_route_table{VpcId = vpc.id}
eq(count(vpc.route_tables:all()), 3, "vpc.route_tables: the main one and two")
eq(count(ec2.route_tables:filter{RouteTableIds = {rt.id, rt2.id}}), 2, "ec2.route_tables")
local route = rt:create_route{DestinationCidrBlock = "0.0.0.0/0", GatewayId = igw.id}
eq(tostring(route), "ec2.Route(route_table_id='" .. rt.id .. "', destination_cidr_block='0.0.0.0/0')", "route_table:create_route")
eq(route:RouteTable(), rt, "route:RouteTable()")
local routes = {}
for _, r in ipairs(rt.routes) do routes[r.destination_cidr_block] = r end
eq(routes["0.0.0.0/0"], route, "route_table.routes")
eq(routes["0.0.0.0/0"].gateway_id, igw.id, "a route's data comes from its table")
eq(routes["10.80.0.0/16"].gateway_id, "local", "the local route")
eq(#rt.routes_attribute, 2, "route_table.routes_attribute")
igw2:attach_to_vpc{VpcId = peer.id}
route:replace{GatewayId = igw2.id}
for _, r in ipairs(ec2:RouteTable(rt.id).routes) do
  if r.destination_cidr_block == "0.0.0.0/0" then eq(r.gateway_id, igw2.id, "route:replace") end
end
route:delete()
eq(#ec2:RouteTable(rt.id).routes, 1, "route:delete")
local assoc = rt:associate_with_subnet{SubnetId = subnet.id}
eq(assoc.meta.resource_type, "RouteTableAssociation", "route_table:associate_with_subnet")
local assocs = ec2:RouteTable(rt.id).associations
eq(#assocs, 1, "route_table.associations")
eq(assocs[1], assoc, "route_table.associations")
eq(assocs[1].subnet, subnet, "association.subnet")
eq(assocs[1].route_table, rt, "association.route_table")
local assoc2 = assoc:replace_subnet{RouteTableId = rt2.id}
eq(assoc2.meta.resource_type, "RouteTableAssociation", "association:replace_subnet")
eq(ec2:RouteTable(rt2.id).associations[1].subnet, subnet, "replace_subnet moved the subnet")
eq(#ec2:RouteTable(rt.id).associations, 0, "replace_subnet left the first table")
assoc2:delete()
eq(#ec2:RouteTable(rt2.id).associations, 0, "association:delete")
local assoc3 = rt2:associate_with_subnet{SubnetId = subnets[2].id}
ec2:disassociate_route_table{AssociationId = assoc3.id}
eq(#ec2:RouteTable(rt2.id).associations, 0, "ec2:disassociate_route_table")
eq(rt:create_tags{Tags = {{Key = "k", Value = "v"}}}[1].resource_id, rt.id, "route_table:create_tags")
rt2:delete()
eq(count(vpc.route_tables:all()), 2, "route_table:delete")

-- network ACLs
local acl = vpc:create_network_acl()
eq(acl.meta.resource_type, "NetworkAcl", "vpc:create_network_acl")
eq(acl.vpc, vpc, "network_acl.vpc")
local acl2 = ec2:create_network_acl{VpcId = vpc.id}
eq(count(vpc.network_acls:all()), 3, "vpc.network_acls: the default one and two")
eq(count(ec2.network_acls:filter{NetworkAclIds = {acl.id, acl2.id}}), 2, "ec2.network_acls")
acl:create_entry{RuleNumber = 100, Protocol = "6", RuleAction = "allow", Egress = false, CidrBlock = "10.0.0.0/8", PortRange = {From = 80, To = 80}}
local function entry(a, n)
  for _, e in ipairs(ec2:NetworkAcl(a.id).entries) do if e.RuleNumber == n and not e.Egress then return e end end
end
eq(entry(acl, 100).RuleAction, "allow", "network_acl:create_entry")
acl:replace_entry{RuleNumber = 100, Protocol = "6", RuleAction = "deny", Egress = false, CidrBlock = "10.0.0.0/8", PortRange = {From = 80, To = 80}}
eq(entry(acl, 100).RuleAction, "deny", "network_acl:replace_entry")
acl:delete_entry{RuleNumber = 100, Egress = false}
eq(entry(acl, 100), nil, "network_acl:delete_entry")
-- the subnet's association with the default ACL moves to acl
local default_assoc
for a in vpc.network_acls:filter{Filters = {{Name = "default", Values = {"true"}}}} do
  for _, x in ipairs(a.associations) do if x.SubnetId == subnet.id then default_assoc = x.NetworkAclAssociationId end end
end
truthy(default_assoc, "the subnet's default ACL association")
local moved = acl:replace_association{AssociationId = default_assoc}
truthy(moved.NewAssociationId, "network_acl:replace_association")
eq(ec2:NetworkAcl(acl.id).associations[1].SubnetId, subnet.id, "the subnet's ACL")
eq(acl2:create_tags{Tags = {{Key = "k", Value = "v"}}}[1].resource_id, acl2.id, "network_acl:create_tags")
acl2:delete()
eq(count(vpc.network_acls:all()), 2, "network_acl:delete")

-- network interfaces
local inst = subnet:create_instances{ImageId = an_image().id, MinCount = 1, MaxCount = 1}[1]
inst:wait_until_running()
local eni = subnet:create_network_interface{Description = "one"}
eq(eni.meta.resource_type, "NetworkInterface", "subnet:create_network_interface")
eq(eni.meta.data.Description, "one", "data from CreateNetworkInterface")
local eni2 = ec2:create_network_interface{SubnetId = subnets[2].id}
eq(eni.subnet, subnet, "network_interface.subnet")
eq(eni.vpc, vpc, "network_interface.vpc")
eq(count(subnet.network_interfaces:all()), 2, "subnet.network_interfaces: the instance's and one")
eq(count(vpc.network_interfaces:all()), 3, "vpc.network_interfaces")
eq(count(ec2.network_interfaces:filter{NetworkInterfaceIds = {eni.id, eni2.id}}), 2, "ec2.network_interfaces")
eni:modify_attribute{Description = {Value = "two"}}
eq(eni:describe_attribute{Attribute = "description"}.Description.Value, "two", "network_interface:modify_attribute")
eni:assign_private_ip_addresses{SecondaryPrivateIpAddressCount = 1}
eni:reload()
eq(#eni.private_ip_addresses, 2, "network_interface:assign_private_ip_addresses")
local secondary
for _, p in ipairs(eni.private_ip_addresses) do if not p.Primary then secondary = p.PrivateIpAddress end end
eni:unassign_private_ip_addresses{PrivateIpAddresses = {secondary}}
eq(#ec2:NetworkInterface(eni.id).private_ip_addresses, 1, "network_interface:unassign_private_ip_addresses")
eq(eni:create_tags{Tags = {{Key = "k", Value = "v"}}}[1].resource_id, eni.id, "network_interface:create_tags")
local att = eni:attach{InstanceId = inst.id, DeviceIndex = 1}
truthy(att.AttachmentId, "network_interface:attach")
eni:reload()
eq(eni.attachment.InstanceId, inst.id, "the attachment")
eq(#ec2:Instance(inst.id).network_interfaces, 2, "instance.network_interfaces after attach")
eni:detach() -- the attachment id comes from the loaded data
eq(ec2:NetworkInterface(eni.id).attachment, nil, "network_interface:detach")

-- addresses: a VPC address and its association, and a classic one
local a = ec2.meta.client:allocate_address{Domain = "vpc"}
local va = ec2:VpcAddress(a.AllocationId)
eq(va.public_ip, a.PublicIp, "a vpc address loads")
truthy(contains(ec2.vpc_addresses:all(), va), "ec2.vpc_addresses")
eq(count(ec2.vpc_addresses:filter{AllocationIds = {va.allocation_id}}), 1, "ec2.vpc_addresses:filter")
local ok = va:associate{NetworkInterfaceId = eni.id}
eni:reload()
local association = eni.association
eq(association, ec2:NetworkInterfaceAssociation(ok.AssociationId), "network_interface.association")
eq(association.meta.data.PublicIp, a.PublicIp, "the association's data comes from the interface")
va:reload()
eq(va.association, association, "vpc_address.association")
local loaded = ec2:NetworkInterfaceAssociation(ok.AssociationId)
eq(loaded.public_ip, a.PublicIp, "a network interface association loads")
eq(loaded.address, va, "association.address")
association:delete()
eq(ec2:VpcAddress(va.allocation_id).association_id, nil, "network_interface_association:delete")
va:associate{InstanceId = inst.id}
eq(count(inst.vpc_addresses:all()), 1, "instance.vpc_addresses")
eq(inst.vpc_addresses:limit(1)(), va, "instance.vpc_addresses")
ec2:VpcAddress(va.allocation_id).association:delete()
va:release()
eq(count(ec2.vpc_addresses:filter{Filters = {{Name = "allocation-id", Values = {va.allocation_id}}}}), 0, "vpc_address:release")
local c = ec2.meta.client:allocate_address{Domain = "standard"}
local ca = ec2:ClassicAddress(c.PublicIp)
eq(ca.domain, "standard", "a classic address loads")
truthy(contains(ec2.classic_addresses:all(), ca), "ec2.classic_addresses")
eq(contains(ec2.vpc_addresses:all(), ca), false, "a classic address is no vpc address")
ca:associate{InstanceId = inst.id}
eq(ec2:ClassicAddress(ca.public_ip).instance_id, inst.id, "classic_address:associate")
eq(ec2:Instance(inst.id).classic_address, ca, "instance.classic_address")
ca:disassociate()
eq(ec2:ClassicAddress(ca.public_ip).instance_id or "", "", "classic_address:disassociate")
ca:release()
eq(contains(ec2.classic_addresses:all(), ca), false, "classic_address:release")
inst:terminate()
inst:wait_until_terminated()
eni2:delete()
eq(count(ec2.network_interfaces:filter{Filters = {{Name = "network-interface-id", Values = {eni2.id}}}}), 0, "network_interface:delete")

-- DHCP options
local dopt = ec2:create_dhcp_options{DhcpConfigurations = {{Key = "domain-name", Values = {"example.com"}}}}
eq(dopt.meta.resource_type, "DhcpOptions", "create_dhcp_options")
eq(ec2:DhcpOptions(dopt.id).dhcp_configurations[1].Key, "domain-name", "dhcp options load")
eq(count(ec2.dhcp_options_sets:filter{DhcpOptionsIds = {dopt.id}}), 1, "ec2.dhcp_options_sets")
dopt:associate_with_vpc{VpcId = vpc.id}
eq(ec2:Vpc(vpc.id).dhcp_options, dopt, "dhcp_options:associate_with_vpc, vpc.dhcp_options")
local dopt2 = ec2:create_dhcp_options{DhcpConfigurations = {{Key = "domain-name", Values = {"example.org"}}}}
vpc:associate_dhcp_options{DhcpOptionsId = dopt2.id}
eq(ec2:Vpc(vpc.id).dhcp_options, dopt2, "vpc:associate_dhcp_options")
eq(dopt:create_tags{Tags = {{Key = "k", Value = "v"}}}[1].resource_id, dopt.id, "dhcp_options:create_tags")
-- moto keeps a set it once associated "assigned": delete one never associated
local dopt3 = ec2:create_dhcp_options{DhcpConfigurations = {{Key = "domain-name", Values = {"example.net"}}}}
dopt3:delete()
eq(count(ec2.dhcp_options_sets:filter{Filters = {{Name = "dhcp-options-id", Values = {dopt3.id}}}}), 0, "dhcp_options:delete")

-- VPC attributes
vpc:modify_attribute{EnableDnsHostnames = {Value = true}}
eq(vpc:describe_attribute{Attribute = "enableDnsHostnames"}.EnableDnsHostnames.Value, true, "vpc:modify_attribute")

-- peering: one accepted, one rejected, one deleted
local pcx = vpc:request_vpc_peering_connection{PeerVpcId = peer.id}
eq(pcx.meta.resource_type, "VpcPeeringConnection", "vpc:request_vpc_peering_connection")
pcx:wait_until_exists()
eq(pcx.requester_vpc, vpc, "requester_vpc")
eq(pcx.accepter_vpc, peer, "accepter_vpc")
eq(contains(vpc.requested_vpc_peering_connections:all(), pcx), true, "vpc.requested_vpc_peering_connections")
eq(contains(peer.accepted_vpc_peering_connections:all(), pcx), true, "vpc.accepted_vpc_peering_connections")
-- moto ignores the accepter/requester filters (the Go test checks that they were sent)
pcx:accept()
eq(ec2:VpcPeeringConnection(pcx.id).status.Code, "active", "accept")
local pcx2 = ec2:create_vpc_peering_connection{VpcId = peer.id, PeerVpcId = vpc.id}
eq(pcx2.meta.resource_type, "VpcPeeringConnection", "ec2:create_vpc_peering_connection")
pcx2:reject()
eq(ec2:VpcPeeringConnection(pcx2.id).status.Code, "rejected", "reject")
eq(count(ec2.vpc_peering_connections:filter{VpcPeeringConnectionIds = {pcx.id, pcx2.id}}), 2, "ec2.vpc_peering_connections")
pcx:delete()
eq(ec2:VpcPeeringConnection(pcx.id).status.Code, "deleted", "delete")

-- take it down
igw:detach_from_vpc{VpcId = vpc.id}
eq(#ec2:InternetGateway(igw.id).attachments, 0, "internet_gateway:detach_from_vpc")
igw:delete()
eq(count(ec2.internet_gateways:filter{Filters = {{Name = "internet-gateway-id", Values = {igw.id}}}}), 0, "internet_gateway:delete")
igw2:detach_from_vpc{VpcId = peer.id}
igw2:delete()
peer:delete()
eq(count(ec2.vpcs:filter{Filters = {{Name = "vpc-id", Values = {peer.id}}}}), 0, "vpc:delete")
print(vpc.id, peer.id)
`

// TestEC2ResourceGoAPI drives the model from Go: placement groups (on the
// fake, as moto has none), instances with waiters and a batch action, and
// tags: create_tags's Tag resources, their load and delete, and the Tag
// batch Delete.
func TestEC2ResourceGoAPI(t *testing.T) {
	ctx := context.Background()
	f := ec2resNewFake(t)
	sess := ec2resSession(t, f)
	run := testenv.Name("awslua-ec2")
	t.Cleanup(func() { ec2resCleanup(t, sess, run) })
	ec2, err := sess.Resource("ec2")
	if err != nil {
		t.Fatal(err)
	}
	must := func(v any, err error) any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	all := func(c *sdk.Collection) []*sdk.Resource {
		t.Helper()
		var out []*sdk.Resource
		for r, err := range c.All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	coll := func(r *sdk.Resource, name string) *sdk.Collection {
		t.Helper()
		return must(r.Collection(name)).(*sdk.Collection)
	}

	// placement groups
	pg := must(ec2.Action(ctx, "CreatePlacementGroup", map[string]any{"GroupName": run, "Strategy": "cluster"})).(*sdk.Resource)
	if s := must(pg.Attribute(ctx, "strategy")); s != "cluster" {
		t.Errorf("placement_group.strategy = %v, want cluster (loaded)", s)
	}
	if got := all(coll(ec2, "PlacementGroups")); len(got) != 1 || !got[0].Equal(pg) {
		t.Errorf("ec2.placement_groups = %v, want [%v]", got, pg)
	}
	if got := all(coll(pg, "Instances")); len(got) != 0 {
		t.Errorf("placement_group.instances = %v, want none", got)
	}
	if sent := f.sentWith("DescribeInstances", "Filter.1.Name", "placement-group-name"); len(sent) != 1 || sent[0].Get("Filter.1.Value.1") != run {
		t.Errorf("placement_group.instances sent %v", sent)
	}
	inst := must(ec2.Get("Instance", "i-0")).(*sdk.Resource)
	inst.SetData(map[string]any{"Placement": map[string]any{"GroupName": run}})
	if refs := must(inst.Reference(ctx, "PlacementGroup")).([]*sdk.Resource); len(refs) != 1 || !refs[0].Equal(pg) {
		t.Errorf("instance.placement_group = %v, want %v", refs, pg)
	}
	must(pg.Action(ctx, "Delete", nil))
	if got := all(coll(ec2, "PlacementGroups")); len(got) != 0 {
		t.Errorf("after placement_group:delete, ec2.placement_groups = %v", got)
	}

	// instances
	vpc := must(ec2.Action(ctx, "CreateVpc", map[string]any{"CidrBlock": "10.100.0.0/16"})).(*sdk.Resource)
	must(vpc.Action(ctx, "CreateTags", map[string]any{"Tags": []any{map[string]any{"Key": "awslua-test", "Value": run}}}))
	if err := vpc.Wait(ctx, "Available", nil, sdk.WaiterConfig{}); err != nil {
		t.Fatal(err)
	}
	subnet := must(vpc.Action(ctx, "CreateSubnet", map[string]any{"CidrBlock": "10.100.1.0/24"})).(*sdk.Resource)
	var image string
	for img, err := range coll(ec2, "Images").Filter(map[string]any{"Owners": []any{"amazon"}}).Limit(1).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		image = fmt.Sprint(img.Identifiers()["Id"])
	}
	var instances []*sdk.Resource
	for range 5 {
		got := must(subnet.Action(ctx, "CreateInstances", map[string]any{"ImageId": image, "MinCount": 1, "MaxCount": 1})).([]*sdk.Resource)
		instances = append(instances, got...)
	}
	for _, i := range instances {
		if err := i.Wait(ctx, "Running", nil, sdk.WaiterConfig{}); err != nil {
			t.Fatal(err)
		}
	}
	var sizes []int
	for page, err := range coll(vpc, "Instances").PageSize(2).Pages(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(page))
	}
	if !reflect.DeepEqual(sizes, []int{2, 2, 1}) {
		t.Errorf("vpc.instances pages of 2: %v, want [2 2 1]", sizes)
	}

	// tags: ec2:create_tags gives a Tag per instance and tag
	ids := []any{}
	for _, i := range instances[:3] {
		ids = append(ids, i.Identifiers()["Id"])
	}
	tags := must(ec2.Action(ctx, "CreateTags", map[string]any{"Resources": ids,
		"Tags": []any{map[string]any{"Key": "a", "Value": "1"}, map[string]any{"Key": "b", "Value": "2"}}})).([]*sdk.Resource)
	if len(tags) != 6 {
		t.Fatalf("create_tags returned %d tags, want 6", len(tags))
	}
	if rt := must(tags[5].Attribute(ctx, "resource_type")); rt != "instance" {
		t.Errorf("tag.resource_type = %v, want instance (loaded)", rt)
	}
	must(tags[0].Action(ctx, "Delete", nil))
	if err := tags[0].Load(ctx); err == nil {
		t.Errorf("%v loads after tag:delete", tags[0])
	}

	// boto3 has no collection of tags, so its Tag batch Delete runs through
	// a model with one added for the test.
	orig := must(sdk.LookupResourceModel("ec2")).(*resourcemodel.ResourceModel)
	svc := *orig.Service
	svc.HasMany = maps.Clone(orig.Service.HasMany)
	svc.HasMany["Tags"] = &resourcemodel.HasManyDef{
		Request: resourcemodel.RequestDef{Operation: "DescribeTags"},
		Resource: resourcemodel.ResponseResourceDef{Type: "Tag", Path: "Tags[]", Identifiers: []resourcemodel.ResourceIdentifierDef{
			{Target: "ResourceId", Source: "response", Path: "Tags[].ResourceId"},
			{Target: "Key", Source: "response", Path: "Tags[].Key"},
			{Target: "Value", Source: "response", Path: "Tags[].Value"}}},
	}
	sdk.RegisterResourceModel("ec2", &resourcemodel.ResourceModel{Service: &svc, Resources: orig.Resources})
	t.Cleanup(func() { sdk.RegisterResourceModel("ec2", orig) })
	withTags := must(sess.Resource("ec2")).(*sdk.Resource)
	mine := coll(withTags, "Tags").Filter(map[string]any{"Filters": []any{
		map[string]any{"Name": "resource-id", "Values": ids}, map[string]any{"Name": "key", "Values": []any{"a", "b"}}}})
	if got := all(mine); len(got) != 5 {
		t.Errorf("tags listed: %v, want 5", got)
	}
	out := must(mine.Batch(ctx, "Delete", nil)).([]map[string]any)
	if len(out) != 1 {
		t.Errorf("tag batch delete made %d requests, want 1", len(out))
	}
	if got := all(mine); len(got) != 0 {
		t.Errorf("tags after the batch delete: %v", got)
	}

	must(coll(vpc, "Instances").Batch(ctx, "Terminate", nil))
	for _, i := range instances {
		if err := i.Wait(ctx, "Terminated", nil, sdk.WaiterConfig{}); err != nil {
			t.Fatal(err)
		}
	}
}
