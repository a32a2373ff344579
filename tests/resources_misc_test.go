package tests

// Integration tests of the resource models of CloudFormation, CloudWatch,
// Glacier, SNS and SQS (sdk/models/{cloudformation,cloudwatch,glacier,
// sns,sqs}.json) against moto: every resource is constructed, loaded where
// it loads and listed where a collection lists it; every action, batch
// action, sub-resource and reference runs. boto3 has no resource waiters
// for these five services, so there are none to run.
//
// moto 5.2.1 lacks a few operations. A recording proxy in front of moto
// answers those itself (and says so where it does), so that the test can
// still check what our models send: CloudFormation's CancelUpdateStack,
// CloudWatch's DescribeAlarmHistory and Enable/DisableAlarmActions, and
// Glacier's multipart uploads and vault notifications. moto pages only
// SNS's listings (by 100); the other collections are paged across three
// pages, with limit and page_size, against a small fake server
// (TestMiscResourcePaging).

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/resourcemodel"
)

// ---- helpers ----

// miscServices are the services whose models this file tests.
var miscServices = []string{"cloudformation", "cloudwatch", "glacier", "sns", "sqs"}

// miscLua returns a Lua runtime whose clients all talk to url.
func miscLua(t *testing.T, url string) *luaRT {
	t.Helper()
	return newLua(t, "", bindings.Options{Session: luaSession(t, url)})
}

// miscPrelude defines the assertions the scripts share.
const miscPrelude = resAssertions + `
local function ok(v, what)
  if not v then error(what, 2) end
  return v
end
`

// A miscRequest is a request the proxy or a fake server saw.
type miscRequest struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Target       string     // X-Amz-Target, without the service prefix
	Form         url.Values // a query-protocol body
	Body         []byte
}

// JSON decodes a JSON body.
func (r miscRequest) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("%s %s: body %q: %v", r.Method, r.Path, r.Body, err)
	}
	return m
}

// miscLog records requests.
type miscLog struct {
	mu   sync.Mutex
	reqs []miscRequest
}

func (l *miscLog) add(r miscRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, r)
}

// find returns the requests that match.
func (l *miscLog) find(match func(miscRequest) bool) []miscRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []miscRequest
	for _, r := range l.reqs {
		if match(r) {
			out = append(out, r)
		}
	}
	return out
}

// op matches the requests of a JSON or query-protocol operation.
func miscOp(name string) func(miscRequest) bool {
	return func(r miscRequest) bool { return r.Target == name || r.Form.Get("Action") == name }
}

// miscRecord reads a request into a miscRequest and restores its body.
func miscRecord(r *http.Request) miscRequest {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	req := miscRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		_, req.Target, _ = strings.Cut(target, ".")
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		req.Form, _ = url.ParseQuery(string(body))
	}
	return req
}

// miscProxy starts a proxy in front of target that records every request
// and lets answer reply to those it wants (the operations moto lacks);
// the rest go to target.
func miscProxy(t *testing.T, target string, answer func(w http.ResponseWriter, r miscRequest) bool) (string, *miscLog) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	log := &miscLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := miscRecord(r)
		log.add(req)
		if answer != nil && answer(w, req) {
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, log
}

// miscJSON writes v as an AWS JSON 1.0 response.
func miscJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// ---- the models ----

// TestMiscResourceModels checks what needs no server: every resource is
// constructible from the service resource and its shape is a type of the
// SDK; every operation the models name exists; every request parameter
// targets a member of the operation's input; and the has-entries split
// into sub-resources (methods) and references (attributes) as boto3's do.
func TestMiscResourceModels(t *testing.T) {
	sess := offlineSession(t)
	wantRefs := map[string][]string{"cloudwatch.Alarm": {"Metric"}}
	for _, svc := range miscServices {
		t.Run(svc, func(t *testing.T) {
			root, err := sess.Resource(svc)
			if err != nil {
				t.Fatal(err)
			}
			c := root.Client()
			m, err := sdk.LookupResourceModel(svc)
			if err != nil {
				t.Fatal(err)
			}
			// checkRequest checks an operation and its parameters' targets.
			checkRequest := func(where, opName string, params []resourcemodel.ParamDef) {
				op, err := c.Operation(opName)
				if err != nil {
					t.Errorf("%s: %v", where, err)
					return
				}
				for _, p := range params {
					if err := miscTarget(op.InputShape(), p.Target); err != nil {
						t.Errorf("%s: %s parameter %s: %v", where, opName, p.Target, err)
					}
				}
			}
			defs := map[string]*resourcemodel.ResourceDef{"": m.Service}
			for name, def := range m.Resources {
				defs[name] = def
			}
			for typ, def := range defs {
				where := svc + "." + typ
				if def.Load != nil {
					checkRequest(where+" load", def.Load.Request.Operation, def.Load.Request.Params)
				}
				for name, a := range def.Actions {
					checkRequest(where+" action "+name, a.Request.Operation, a.Request.Params)
				}
				for name, a := range def.BatchActions {
					checkRequest(where+" batch action "+name, a.Request.Operation, a.Request.Params)
				}
				for name, h := range def.HasMany {
					checkRequest(where+" collection "+name, h.Request.Operation, h.Request.Params)
				}
				if len(def.Waiters) > 0 {
					t.Errorf("%s: waiters %v; boto3 has none here", where, slices.Collect(func(yield func(string) bool) {
						for k := range def.Waiters {
							yield(k)
						}
					}))
				}
				if typ == "" {
					continue
				}
				ids := make([]any, len(def.Identifiers))
				for i := range ids {
					ids[i] = fmt.Sprint("id", i)
				}
				r, err := root.Get(typ, ids...)
				if err != nil {
					t.Errorf("%s: %v", where, err)
					continue
				}
				if def.Shape != "" && len(r.AttributeNames()) == 0 {
					t.Errorf("%s: shape %q has no members: not a type of the SDK", where, def.Shape)
				}
				if got := r.References(); !slices.Equal(got, wantRefs[where]) {
					t.Errorf("%s: references %v, want %v", where, got, wantRefs[where])
				}
			}
		})
	}
}

// miscTarget checks that a parameter path ("Entries[*].Id",
// "JobParameters.Type") names members of shape s by their API names.
func miscTarget(s *sdk.Shape, path string) error {
	for _, step := range strings.Split(path, ".") {
		name, _, indexed := strings.Cut(step, "[")
		if s == nil || s.Kind != sdk.KindStructure {
			return fmt.Errorf("%s: not a structure", name)
		}
		var m *sdk.Member
		for _, x := range s.Members {
			if x.Name == name {
				m = x
			}
		}
		if m == nil {
			return fmt.Errorf("no member %q", name)
		}
		s = m.Shape
		if indexed {
			if s.Kind != sdk.KindList {
				return fmt.Errorf("%s is not a list", name)
			}
			s = s.Elem
		}
	}
	return nil
}

// ---- CloudFormation ----

// TestCloudFormationResources runs a stack of an SQS queue and an SNS
// topic through the Stack, Event, StackResource and StackResourceSummary
// resources.
func TestCloudFormationResources(t *testing.T) {
	moto := testenv.URL(t, "moto")
	proxy, log := miscProxy(t, moto, func(w http.ResponseWriter, r miscRequest) bool {
		// moto 5.2.1: "The cancel_update_stack action has not been implemented".
		if r.Form.Get("Action") != "CancelUpdateStack" {
			return false
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<CancelUpdateStackResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">`+
			`<ResponseMetadata><RequestId>test-proxy</RequestId></ResponseMetadata></CancelUpdateStackResponse>`)
		return true
	})
	name := testenv.Name("awslua-cfn")
	cf := testenv.Client(t, "moto", "cloudformation")
	sqsc := testenv.Client(t, "moto", "sqs")
	snsc := testenv.Client(t, "moto", "sns")
	t.Cleanup(func() {
		ctx := context.Background()
		cf.Call(ctx, "DeleteStack", map[string]any{"StackName": name})
		snsc.Call(ctx, "DeleteTopic", map[string]any{"TopicArn": "arn:aws:sns:us-east-1:123456789012:" + name + "-t"})
		if out, err := sqsc.Call(ctx, "GetQueueUrl", map[string]any{"QueueName": name + "-q"}); err == nil {
			sqsc.Call(ctx, "DeleteQueue", map[string]any{"QueueUrl": out["QueueUrl"]})
		}
	})
	template := func(withTopic bool) string {
		res := map[string]any{"Queue": map[string]any{"Type": "AWS::SQS::Queue", "Properties": map[string]any{"QueueName": name + "-q"}}}
		if withTopic {
			res["Topic"] = map[string]any{"Type": "AWS::SNS::Topic", "Properties": map[string]any{"TopicName": name + "-t"}}
		}
		b, _ := json.Marshal(map[string]any{"Resources": res})
		return string(b)
	}
	l := miscLua(t, proxy)
	l.must(t, miscPrelude+`
		local name, tmpl, tmpl2 = ...
		local cf = aws.resource("cloudformation")
		local st = cf:create_stack{StackName = name, TemplateBody = tmpl}
		eq(tostring(st), "cloudformation.Stack(name='" .. name .. "')", "repr")
		eq(st.name, name, "identifier")
		eq(st.meta.data, nil, "data before the first read")
		eq(st.stack_status, "CREATE_COMPLETE", "status, loaded")
		eq(st.stack_name, name, "stack_name")
		ok(st.stack_id:find(name, 1, true), "stack id " .. st.stack_id)
		eq(cf:Stack(name), st, "cf:Stack")

		-- the service's stacks, with their data
		local found
		for s in cf.stacks:all() do
		  if s.name == name then found = s end
		end
		ok(found, "cf.stacks lists the stack")
		eq(found.meta.data.StackStatus, "CREATE_COMPLETE", "collection data")
		eq(found, st, "equal by name")

		-- events: a collection of resources without a load
		local n, stackEvent, firstId = 0, false, nil
		for e in st.events:all() do
		  n = n + 1
		  firstId = firstId or e.id
		  eq(e.id, e.event_id, "event id")
		  eq(e.stack_name, name, "event's stack")
		  if e.logical_resource_id == name and e.resource_status == "CREATE_COMPLETE" then stackEvent = true end
		end
		ok(n >= 1 and stackEvent, "the stack's CREATE_COMPLETE event among " .. n)
		local ev = cf:Event(firstId)
		eq(tostring(ev), "cloudformation.Event(id='" .. firstId .. "')", "event repr")
		raises(function() return ev.resource_status end, "has no load method")

		-- resource summaries, and the resources they lead to
		local types = {}
		for s in st.resource_summaries:all() do
		  eq(s.stack_name, name, "summary's stack")
		  types[s.logical_id] = s.resource_type
		end
		eq(types.Queue, "AWS::SQS::Queue", "queue summary")
		eq(types.Topic, "AWS::SNS::Topic", "topic summary")
		local sum = cf:StackResourceSummary(name, "Queue")
		local res = sum:Resource()
		eq(tostring(res), "cloudformation.StackResource(stack_name='" .. name .. "', logical_id='Queue')", "resource repr")
		eq(res.resource_type, "AWS::SQS::Queue", "resource type, loaded")
		eq(res.resource_status, "CREATE_COMPLETE", "resource status")
		ok(res.physical_resource_id:find(name .. "-q", 1, true), "physical id " .. tostring(res.physical_resource_id))
		eq(res:Stack(), st, "resource's stack")
		eq(st:Resource("Topic").resource_type, "AWS::SNS::Topic", "st:Resource")
		eq(cf:StackResource(name, "Queue"), res, "cf:StackResource")
		-- the queue is real
		local q = aws.resource("sqs"):get_queue_by_name{QueueName = name .. "-q"}
		ok(q.url:find(name .. "-q", 1, true), "queue " .. q.url)

		-- update drops the topic
		st:update{TemplateBody = tmpl2}
		eq(st.stack_status, "UPDATE_COMPLETE", "status after update, reloaded")
		eq(count(st.resource_summaries:all()), 1, "resources after update")
		st:cancel_update()

		st:delete()
		raises(function() st:reload() end, "does not exist")
	`, name, template(true), template(false))
	cancels := log.find(miscOp("CancelUpdateStack"))
	if len(cancels) != 1 || cancels[0].Form.Get("StackName") != name {
		t.Errorf("CancelUpdateStack requests: %+v", cancels)
	}
}

// ---- CloudWatch ----

// TestCloudWatchResources puts metric data and alarms, and runs every
// action and batch action of Alarm and Metric.
func TestCloudWatchResources(t *testing.T) {
	moto := testenv.URL(t, "moto")
	proxy, log := miscProxy(t, moto, func(w http.ResponseWriter, r miscRequest) bool {
		// moto 5.2.1 raises NotImplementedError for these three.
		switch r.Target {
		case "DisableAlarmActions", "EnableAlarmActions":
			miscJSON(w, 200, map[string]any{})
			return true
		case "DescribeAlarmHistory":
			var in struct{ AlarmName string }
			json.Unmarshal(r.Body, &in)
			miscJSON(w, 200, map[string]any{"AlarmHistoryItems": []any{map[string]any{
				"AlarmName": in.AlarmName, "HistoryItemType": "StateUpdate", "HistorySummary": "from the test's proxy"}}})
			return true
		}
		return false
	})
	ns := testenv.Name("awslua-cw")
	cw := miscClient(t, proxy, "cloudwatch")
	t.Cleanup(func() {
		ctx := context.Background()
		out, err := cw.Call(ctx, "DescribeAlarms", map[string]any{"AlarmNamePrefix": ns})
		if err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
		var names []any
		for _, a := range out["MetricAlarms"].([]any) {
			names = append(names, a.(map[string]any)["AlarmName"])
		}
		if len(names) > 0 {
			cw.Call(ctx, "DeleteAlarms", map[string]any{"AlarmNames": names})
		}
	})
	l := miscLua(t, proxy)
	l.must(t, miscPrelude+`
		local ns, now = ...
		now = tonumber(now)
		local cw = aws.resource("cloudwatch")
		local m = cw:Metric(ns, "Latency")
		eq(tostring(m), "cloudwatch.Metric(namespace='" .. ns .. "', name='Latency')", "repr")
		m:put_data{MetricData = {
		  {MetricName = "Latency", Value = 5, Unit = "Milliseconds", Timestamp = now - 30},
		  {MetricName = "Latency", Value = 7, Unit = "Milliseconds", Timestamp = now - 20},
		}}
		cw:Metric(ns, "Errors"):put_data{MetricData = {{MetricName = "Errors", Value = 1}}}
		eq(m.metric_name, "Latency", "metric_name, loaded")
		eq(m.namespace, ns, "namespace")
		local stats = m:get_statistics{StartTime = now - 600, EndTime = now + 600, Period = 60, Statistics = {"Sum", "SampleCount"}}
		local sum, samples = 0, 0
		for _, d in ipairs(stats.Datapoints) do sum = sum + d.Sum; samples = samples + d.SampleCount end
		eq(sum, 12, "sum")
		eq(samples, 2, "samples")

		-- the service's metrics, with their data (moto lists a metric once
		-- per data point; AWS once)
		local names, seen = {}, {}
		for x in cw.metrics:filter{Namespace = ns} do
		  ok(x.meta.data, "collection data")
		  local key = x.name .. "=" .. x.metric_name
		  if not seen[key] then names[#names + 1] = key end
		  seen[key] = true
		end
		table.sort(names)
		eq(table.concat(names, ","), "Errors=Errors,Latency=Latency", "metrics")

		-- an alarm on the metric
		local a = m:put_alarm{AlarmName = ns .. "-high", Statistic = "Sum", Period = 60, EvaluationPeriods = 1,
		  Threshold = 10, ComparisonOperator = "GreaterThanThreshold"}
		eq(tostring(a), "cloudwatch.Alarm(name='" .. ns .. "-high')", "alarm repr")
		eq(a.threshold, 10, "threshold, loaded")
		eq(a.metric_name, "Latency", "alarm's metric name")
		eq(a.metric, m, "reference to the metric")
		eq(cw:Alarm(ns .. "-high"), a, "cw:Alarm")
		local n = 0
		for x in m.alarms:all() do n = n + 1; eq(x, a, "metric's alarm"); eq(x.meta.data.Threshold, 10, "its data") end
		eq(n, 1, "metric's alarms")
		a:set_state{StateValue = "ALARM", StateReason = "a test"}
		eq(a.state_value, "ALARM", "state, reloaded")
		eq(a.state_reason, "a test", "state reason")
		eq(a:describe_history{HistoryItemType = "StateUpdate"}.AlarmHistoryItems[1].AlarmName, a.name, "history")
		a:disable_actions()
		a:enable_actions()

		-- the service's alarms and their batch actions
		for i = 1, 3 do
		  m:put_alarm{AlarmName = ns .. "-b" .. i, Statistic = "Sum", Period = 60, EvaluationPeriods = 1,
		    Threshold = i, ComparisonOperator = "GreaterThanThreshold"}
		end
		names = {}
		for x in cw.alarms:filter{AlarmNamePrefix = ns} do names[#names + 1] = x.name .. "/" .. x.threshold end
		table.sort(names)
		eq(table.concat(names, ","), ns .. "-b1/1," .. ns .. "-b2/2," .. ns .. "-b3/3," .. ns .. "-high/10", "alarms")
		local batch = cw.alarms:filter{AlarmNamePrefix = ns .. "-b"}
		batch:disable_actions()
		batch:enable_actions()
		eq(#batch:delete(), 1, "one DeleteAlarms request")
		eq(count(cw.alarms:filter{AlarmNamePrefix = ns}), 1, "alarms left")
		a:delete()
		eq(count(cw.alarms:filter{AlarmNamePrefix = ns}), 0, "alarms left")
		raises(function() a:reload() end, "returned no data")
	`, ns, strconv.FormatInt(time.Now().Unix(), 10))

	// What moto could not answer, the proxy did: the requests must be the
	// model's.
	bs := []any{ns + "-b1", ns + "-b2", ns + "-b3"}
	for _, op := range []string{"DisableAlarmActions", "EnableAlarmActions"} {
		reqs := log.find(miscOp(op))
		if len(reqs) != 2 {
			t.Fatalf("%s: %d requests, want 2", op, len(reqs))
		}
		if got := reqs[0].JSON(t)["AlarmNames"]; !reflect.DeepEqual(got, []any{ns + "-high"}) {
			t.Errorf("%s of the alarm: AlarmNames %v", op, got)
		}
		got, _ := reqs[1].JSON(t)["AlarmNames"].([]any)
		slices.SortFunc(got, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
		if !reflect.DeepEqual(got, bs) {
			t.Errorf("%s of the collection: AlarmNames %v, want %v", op, got, bs)
		}
	}
	if h := log.find(miscOp("DescribeAlarmHistory")); len(h) != 1 || h[0].JSON(t)["AlarmName"] != ns+"-high" {
		t.Errorf("DescribeAlarmHistory requests: %v", h)
	}
}

// miscClient returns a client of service whose requests go to url.
func miscClient(t *testing.T, url, service string) *sdk.Client {
	t.Helper()
	c, err := luaSession(t, url).Client(service)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ---- Glacier ----

// glacierFake answers the Glacier operations that moto 5.2.1 lacks (it
// answers 404): multipart uploads and vault notifications, kept in memory.
type glacierFake struct {
	mu       sync.Mutex
	uploads  map[string]map[string]any // by upload id
	parts    map[string][]any
	notifies map[string]map[string]any // by vault
	n        int
}

func (f *glacierFake) answer(w http.ResponseWriter, r miscRequest) bool {
	// /{account}/vaults/{vault}/multipart-uploads[/{id}] and
	// /{account}/vaults/{vault}/notification-configuration
	parts := strings.Split(strings.TrimPrefix(r.Path, "/"), "/")
	if len(parts) < 4 || parts[1] != "vaults" {
		return false
	}
	vault := parts[2]
	arn := "arn:aws:glacier:us-east-1:123456789012:vaults/" + vault
	f.mu.Lock()
	defer f.mu.Unlock()
	notFound := func() {
		w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(404)
		fmt.Fprint(w, `{"code":"ResourceNotFoundException","message":"not found (the test's fake)","type":"Client"}`)
	}
	switch {
	case parts[3] == "notification-configuration":
		switch r.Method {
		case "PUT":
			var cfg map[string]any
			json.Unmarshal(r.Body, &cfg)
			f.notifies[vault] = cfg
			w.WriteHeader(204)
		case "GET":
			cfg, ok := f.notifies[vault]
			if !ok {
				notFound()
				return true
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(cfg)
		case "DELETE":
			delete(f.notifies, vault)
			w.WriteHeader(204)
		}
		return true
	case parts[3] == "multipart-uploads" && len(parts) == 4:
		switch r.Method {
		case "POST":
			f.n++
			id := fmt.Sprintf("upload-%d", f.n)
			size, _ := strconv.Atoi(r.Header.Get("X-Amz-Part-Size"))
			f.uploads[id] = map[string]any{"MultipartUploadId": id, "VaultARN": arn, "PartSizeInBytes": size,
				"ArchiveDescription": r.Header.Get("X-Amz-Archive-Description"), "CreationDate": "2026-01-01T00:00:00.000Z"}
			w.Header().Set("Location", r.Path+"/"+id)
			w.Header().Set("X-Amz-Multipart-Upload-Id", id)
			w.WriteHeader(201)
		case "GET":
			var list []any
			for _, id := range slices.Sorted(func(yield func(string) bool) {
				for k := range f.uploads {
					yield(k)
				}
			}) {
				if f.uploads[id]["VaultARN"] == arn {
					list = append(list, f.uploads[id])
				}
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"UploadsList": list, "Marker": nil})
		}
		return true
	case parts[3] == "multipart-uploads":
		id := parts[4]
		up, ok := f.uploads[id]
		if !ok {
			notFound()
			return true
		}
		switch r.Method {
		case "PUT": // a part
			rng := strings.TrimSuffix(strings.TrimPrefix(r.Header.Get("Content-Range"), "bytes "), "/*")
			f.parts[id] = append(f.parts[id], map[string]any{"RangeInBytes": rng, "SHA256TreeHash": r.Header.Get("X-Amz-Sha256-Tree-Hash")})
			w.Header().Set("X-Amz-Sha256-Tree-Hash", r.Header.Get("X-Amz-Sha256-Tree-Hash"))
			w.WriteHeader(204)
		case "GET": // the parts
			out := map[string]any{"Parts": f.parts[id], "Marker": nil}
			for k, v := range up {
				out[k] = v
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(out)
		case "POST": // complete
			delete(f.uploads, id)
			w.Header().Set("X-Amz-Archive-Id", "archive-of-"+id)
			w.Header().Set("X-Amz-Sha256-Tree-Hash", r.Header.Get("X-Amz-Sha256-Tree-Hash"))
			w.Header().Set("Location", "/"+parts[0]+"/vaults/"+vault+"/archives/archive-of-"+id)
			w.WriteHeader(201)
		case "DELETE": // abort
			delete(f.uploads, id)
			w.WriteHeader(204)
		}
		return true
	}
	return false
}

// TestGlacierResources runs a vault through every Glacier resource: an
// account, archives, jobs (with their output once moto completes them),
// multipart uploads and the vault's notifications.
func TestGlacierResources(t *testing.T) {
	moto := testenv.URL(t, "moto")
	fake := &glacierFake{uploads: map[string]map[string]any{}, parts: map[string][]any{}, notifies: map[string]map[string]any{}}
	proxy, log := miscProxy(t, moto, fake.answer)
	name := testenv.Name("awslua-glacier")
	gc := testenv.Client(t, "moto", "glacier")
	t.Cleanup(func() {
		ctx := context.Background()
		for _, v := range []string{name, name + "-2"} {
			gc.Call(ctx, "DeleteVault", map[string]any{"accountId": "-", "vaultName": v})
		}
	})
	l := miscLua(t, proxy)
	out := l.must(t, miscPrelude+`
		local name = ...
		local g = aws.resource("glacier")
		V = g:create_vault{vaultName = name}
		eq(tostring(V), "glacier.Vault(account_id='-', name='" .. name .. "')", "repr")
		eq(V.vault_name, name, "vault_name, loaded")
		ok(V.vault_arn:find(":vaults/" .. name, 1, true), "arn " .. V.vault_arn)
		eq(V.number_of_archives, 0, "archives")

		-- the account
		local acc = V:Account()
		eq(tostring(acc), "glacier.Account(id='-')", "account repr")
		eq(g:Account("-"), acc, "g:Account")
		eq(acc:Vault(name), V, "acc:Vault")
		local v2 = acc:create_vault{vaultName = name .. "-2"}
		eq(tostring(v2), "glacier.Vault(account_id='-', name='" .. name .. "-2')", "vault of the account")
		v2:create() -- CreateVault is idempotent
		local seen = {}
		for v in g.vaults:all() do seen[v.name] = v.meta.data.VaultARN end
		ok(seen[name] and seen[name .. "-2"], "g.vaults lists both vaults")
		local accVaults = acc.vaults
		local n = 0
		for v in accVaults:all() do
		  if v.name:find(name, 1, true) == 1 then n = n + 1; eq(v.account_id, "-", "account of a listed vault") end
		end
		eq(n, 2, "acc.vaults")
		v2:delete()
		-- AWS: ResourceNotFoundException, moto: VaultNotFound; both say
		raises(function() v2:reload() end, "Vault not found")

		-- an archive and the jobs that retrieve it and the inventory
		A = V:upload_archive{body = "hello glacier", archiveDescription = "greeting"}
		ok(#A.id > 0, "archive id")
		eq(tostring(A), "glacier.Archive(account_id='-', vault_name='" .. name .. "', id='" .. A.id .. "')", "archive repr")
		eq(A:Vault(), V, "archive's vault")
		eq(V:Archive(A.id), A, "V:Archive")
		V:reload()
		eq(V.number_of_archives, 1, "archives after the upload")
		eq(V.size_in_bytes, 13, "size")
		J = A:initiate_archive_retrieval()
		eq(J.vault_name, name, "job's vault name")
		eq(J.action, "ArchiveRetrieval", "job action, loaded")
		eq(J.archive_id, A.id, "job's archive")
		eq(J:Vault(), V, "job's vault")
		eq(V:Job(J.id), J, "V:Job")
		local inv = V:initiate_inventory_retrieval()
		eq(inv.action, "InventoryRetrieval", "inventory job")
		local jobs = {}
		for j in V.jobs:all() do jobs[j.id] = j.meta.data.Action end
		eq(jobs[J.id], "ArchiveRetrieval", "V.jobs")
		eq(jobs[inv.id], "InventoryRetrieval", "V.jobs")
		-- moto ignores the filters; the test checks that they are sent
		for _, c in ipairs{"completed_jobs", "succeeded_jobs", "failed_jobs", "jobs_in_progress"} do
		  ok(count(V[c]:all()) >= 0, c)
		end
		print(J.id)
	`, name)
	jobID := strings.TrimSpace(out)

	// moto completes a job some seconds after it starts.
	sess := luaSession(t, proxy)
	g, err := sess.Resource("glacier")
	if err != nil {
		t.Fatal(err)
	}
	job, err := g.Get("Job", "-", name, jobID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		if err := job.Load(ctx); err != nil {
			t.Fatal(err)
		}
		if done, _ := job.Attribute(ctx, "Completed"); done == true {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the job did not complete in 30s")
		}
	}

	treeHash := sha256.Sum256([]byte("hello"))
	l.must(t, miscPrelude+`
		local name, checksum = ...
		local g = aws.resource("glacier")
		J:reload()
		eq(J.status_code, "Succeeded", "job status")
		eq(J.completed, true, "completed")
		eq(J:get_output().body:read(), "hello glacier", "job output")

		-- multipart uploads (the test's fake: moto has none)
		local mu = V:initiate_multipart_upload{partSize = "1048576", archiveDescription = "parts"}
		eq(tostring(mu), "glacier.MultipartUpload(account_id='-', vault_name='" .. name .. "', id='" .. mu.id .. "')", "upload repr")
		eq(V:MultipartUpload(mu.id), mu, "V:MultipartUpload")
		eq(mu:Vault(), V, "upload's vault")
		raises(function() return mu.archive_description end, "has no load method")
		mu:upload_part{range = "bytes 0-4/*", body = "hello"}
		local parts = mu:parts()
		eq(#parts.Parts, 1, "parts")
		eq(parts.Parts[1].RangeInBytes, "0-4", "part range")
		local found
		for u in V.multipart_uploads:all() do if u == mu then found = u end end
		ok(found, "V.multipart_uploads lists the upload")
		eq(found.archive_description, "parts", "upload's data")
		eq(found.part_size_in_bytes, 1048576, "upload's part size")
		eq(count(V.multipart_uplaods:all()), 1, "boto3's misspelt multipart_uplaods")
		local done = mu:complete{archiveSize = "5", checksum = checksum}
		eq(done.archiveId, "archive-of-" .. mu.id, "archive of the upload")
		local mu2 = V:initiate_multipart_upload{partSize = "1048576"}
		mu2:abort()
		eq(count(V.multipart_uploads:all()), 0, "uploads left")

		-- notifications (the test's fake: moto has none)
		local nt = V:Notification()
		eq(tostring(nt), "glacier.Notification(account_id='-', vault_name='" .. name .. "')", "notification repr")
		eq(g:Notification("-", name), nt, "g:Notification")
		local topic = "arn:aws:sns:us-east-1:123456789012:" .. name
		nt:set{vaultNotificationConfig = {SNSTopic = topic, Events = {"ArchiveRetrievalCompleted"}}}
		eq(nt.sns_topic, topic, "topic, loaded")
		eq(nt.events[1], "ArchiveRetrievalCompleted", "events")
		eq(nt:Vault(), V, "notification's vault")
		nt:delete()
		raises(function() nt:reload() end, "ResourceNotFoundException")

		A:delete()
		V:delete()
		raises(function() V:reload() end, "Vault not found")
	`, name, hex.EncodeToString(treeHash[:]))

	// The job collections' filters, which moto ignores, must be sent.
	filters := map[string]bool{}
	for _, r := range log.find(func(r miscRequest) bool {
		return r.Method == "GET" && strings.HasSuffix(r.Path, "/vaults/"+name+"/jobs")
	}) {
		filters[r.Query.Encode()] = true
	}
	for _, want := range []string{"", "completed=true", "statuscode=Succeeded", "statuscode=Failed", "statuscode=InProgress"} {
		if !filters[want] {
			t.Errorf("no ListJobs request with query %q; saw %v", want, filters)
		}
	}
	puts := log.find(func(r miscRequest) bool {
		return r.Method == "PUT" && strings.Contains(r.Path, "/vaults/"+name+"/multipart-uploads/")
	})
	if len(puts) != 1 || string(puts[0].Body) != "hello" || puts[0].Header.Get("Content-Range") != "bytes 0-4/*" {
		t.Errorf("UploadMultipartPart requests: %+v", puts)
	}
}

// ---- SNS ----

// TestSNSResources runs topics, subscriptions (to an SQS queue), platform
// applications and their endpoints; the topics collection across three of
// moto's pages of 100.
func TestSNSResources(t *testing.T) {
	moto := testenv.URL(t, "moto")
	proxy, log := miscProxy(t, moto, nil)
	name := testenv.Name("awslua-sns")
	snsc := testenv.Client(t, "moto", "sns")
	sqsc := testenv.Client(t, "moto", "sqs")
	t.Cleanup(func() {
		ctx := context.Background()
		for page, err := range snsc.Paginate(ctx, "ListTopics", nil, sdk.PaginationConfig{}) {
			if err != nil {
				t.Errorf("cleanup: %v", err)
				return
			}
			for _, tp := range page["Topics"].([]any) {
				if arn := tp.(map[string]any)["TopicArn"].(string); strings.Contains(arn, name) {
					snsc.Call(ctx, "DeleteTopic", map[string]any{"TopicArn": arn})
				}
			}
		}
		if out, err := sqsc.Call(ctx, "GetQueueUrl", map[string]any{"QueueName": name}); err == nil {
			sqsc.Call(ctx, "DeleteQueue", map[string]any{"QueueUrl": out["QueueUrl"]})
		}
	})
	l := miscLua(t, proxy)
	l.must(t, miscPrelude+`
		local name = ...
		local sns, sqs = aws.resource("sns"), aws.resource("sqs")
		local t = sns:create_topic{Name = name}
		ok(t.arn:find(":" .. name, 1, true), "topic arn " .. t.arn)
		eq(tostring(t), "sns.Topic(arn='" .. t.arn .. "')", "repr")
		eq(t.attributes.TopicArn, t.arn, "attributes, loaded")
		eq(sns:Topic(t.arn), t, "sns:Topic")
		t:set_attributes{AttributeName = "DisplayName", AttributeValue = "Shown"}
		eq(t.attributes.DisplayName, "Shown", "display name, reloaded")
		t:add_permission{Label = "both", AWSAccountId = {"123456789012"}, ActionName = {"Publish"}}
		ok(t.attributes.Policy:find('"both"', 1, true), "policy with the permission")
		t:remove_permission{Label = "both"}
		ok(not t.attributes.Policy:find('"both"', 1, true), "policy without it")

		-- a subscription of an SQS queue, which gets what the topic publishes
		local q = sqs:create_queue{QueueName = name}
		local s = t:subscribe{Protocol = "sqs", Endpoint = q.attributes.QueueArn}
		eq(tostring(s), "sns.Subscription(arn='" .. s.arn .. "')", "subscription repr")
		eq(s.attributes.Endpoint, q.attributes.QueueArn, "subscription endpoint, loaded")
		eq(sns:Subscription(s.arn), s, "sns:Subscription")
		s:set_attributes{AttributeName = "RawMessageDelivery", AttributeValue = "true"}
		eq(s.attributes.RawMessageDelivery, "true", "raw delivery")
		local mid = t:publish{Message = "to the queue", Subject = "s"}.MessageId
		ok(mid, "message id")
		local got = q:receive_messages{WaitTimeSeconds = 1}
		eq(#got, 1, "messages in the queue")
		eq(got[1].body, "to the queue", "raw message")
		local subs = {}
		for x in t.subscriptions:all() do subs[#subs + 1] = x end
		eq(#subs, 1, "topic's subscriptions")
		eq(subs[1], s, "topic's subscription")
		local all = 0
		for x in sns.subscriptions:all() do if x == s then all = all + 1 end end
		eq(all, 1, "sns.subscriptions")
		-- moto confirms any token
		local c = t:confirm_subscription{Token = "a-token"}
		ok(c.arn:find(t.arn, 1, true) == 1, "confirmed subscription " .. c.arn)
		c:delete()
		s:delete()
		eq(count(t.subscriptions:all()), 0, "subscriptions after delete")

		-- a platform application and an endpoint
		local app = sns:create_platform_application{Name = name, Platform = "GCM", Attributes = {PlatformCredential = "key"}}
		eq(tostring(app), "sns.PlatformApplication(arn='" .. app.arn .. "')", "app repr")
		eq(app.attributes.PlatformCredential, "key", "app attributes, loaded")
		eq(sns:PlatformApplication(app.arn), app, "sns:PlatformApplication")
		app:set_attributes{Attributes = {PlatformCredential = "other"}}
		eq(app.attributes.PlatformCredential, "other", "app attributes, reloaded")
		local found
		for x in sns.platform_applications:all() do if x == app then found = x end end
		ok(found, "sns.platform_applications lists the app")
		local ep = app:create_platform_endpoint{Token = "device-" .. name, CustomUserData = "u"}
		eq(tostring(ep), "sns.PlatformEndpoint(arn='" .. ep.arn .. "')", "endpoint repr")
		eq(ep.attributes.Token, "device-" .. name, "endpoint attributes, loaded")
		eq(ep.attributes.Enabled, "true", "enabled")
		eq(sns:PlatformEndpoint(ep.arn), ep, "sns:PlatformEndpoint")
		ep:set_attributes{Attributes = {CustomUserData = "v"}}
		eq(ep.attributes.CustomUserData, "v", "user data, reloaded")
		ok(ep:publish{Message = "to the device"}.MessageId, "endpoint publish")
		local eps = {}
		for x in app.endpoints:all() do eps[#eps + 1] = x end
		eq(#eps, 1, "app.endpoints")
		eq(eps[1], ep, "the endpoint")
		ep:delete()
		eq(count(app.endpoints:all()), 0, "endpoints after delete")
		app:delete()
		raises(function() app:reload() end, "NotFound")
		t:delete()
		raises(function() t:reload() end, "NotFound")
	`, name)

	// The topics collection across three of moto's pages: 201 topics of
	// the test's own among whatever other tests left.
	const n = 201
	l.must(t, `
		local prefix, n = ...
		local sns = aws.resource("sns")
		for i = 1, tonumber(n) do sns:create_topic{Name = string.format("%s-%03d", prefix, i)} end
	`, name, strconv.Itoa(n))
	before := len(log.find(miscOp("ListTopics")))
	out := l.must(t, miscPrelude+`
		local prefix, n = ...
		local sns = aws.resource("sns")
		local sizes, mine = {}, 0
		for page in sns.topics:pages() do
		  sizes[#sizes + 1] = #page
		  for _, t in ipairs(page) do
		    if t.arn:find(":" .. prefix .. "-", 1, true) then mine = mine + 1 end
		  end
		end
		ok(#sizes >= 3, "pages: " .. table.concat(sizes, ","))
		eq(sizes[1], 100, "moto's page")
		eq(mine, tonumber(n), "the test's topics")
		-- ListTopics has no page-size member: page_size changes nothing, as in boto3
		eq(page_sizes(sns.topics:page_size(10)), table.concat(sizes, ","), "page_size")
		print(#sizes)
	`, name, strconv.Itoa(n))
	pages, _ := strconv.Atoi(strings.TrimSpace(out))
	if got := len(log.find(miscOp("ListTopics"))) - before; got != 2*pages {
		t.Errorf("%d ListTopics requests for two listings of %d pages", got, pages)
	}
	before = len(log.find(miscOp("ListTopics")))
	l.must(t, miscPrelude+`
		local sns = aws.resource("sns")
		eq(count(sns.topics:limit(150)), 150, "limit")
		eq(count(sns.topics:limit(100)), 100, "limit of a page")
	`)
	if got := len(log.find(miscOp("ListTopics"))) - before; got != 3 {
		t.Errorf("limit(150) and limit(100) sent %d ListTopics requests, want 2 and 1", got)
	}
}

// ---- SQS ----

// TestSQSResources runs queues and messages: sending, receiving messages
// as Message resources, their actions and batch action, and every queue
// action.
func TestSQSResources(t *testing.T) {
	moto := testenv.URL(t, "moto")
	name := testenv.Name("awslua-sqs")
	sqsc := testenv.Client(t, "moto", "sqs")
	t.Cleanup(func() {
		ctx := context.Background()
		out, err := sqsc.Call(ctx, "ListQueues", map[string]any{"QueueNamePrefix": name})
		if err != nil {
			return
		}
		urls, _ := out["QueueUrls"].([]any)
		for _, u := range urls {
			sqsc.Call(ctx, "DeleteQueue", map[string]any{"QueueUrl": u})
		}
	})
	l := miscLua(t, moto)
	l.must(t, miscPrelude+`
		local name = ...
		local sqs = aws.resource("sqs")
		local q = sqs:create_queue{QueueName = name, Attributes = {VisibilityTimeout = "40"}}
		ok(q.url:find("/" .. name, 1, true), "queue url " .. q.url)
		eq(tostring(q), "sqs.Queue(url='" .. q.url .. "')", "repr")
		eq(q.attributes.VisibilityTimeout, "40", "attributes, loaded")
		eq(sqs:Queue(q.url), q, "sqs:Queue")
		eq(sqs:get_queue_by_name{QueueName = name}, q, "get_queue_by_name")
		q:set_attributes{Attributes = {VisibilityTimeout = "45"}}
		eq(q.attributes.VisibilityTimeout, "45", "attributes, reloaded")
		q:add_permission{Label = "both", AWSAccountIds = {"123456789012"}, Actions = {"SendMessage"}}
		ok(q.attributes.Policy:find('"both"', 1, true), "policy with the permission")
		q:remove_permission{Label = "both"}
		ok(not (q.attributes.Policy or ""):find('"both"', 1, true), "policy without it")

		-- the service's queues
		local other = sqs:create_queue{QueueName = name .. "-other"}
		local urls = {}
		for x in sqs.queues:filter{QueueNamePrefix = name} do urls[#urls + 1] = x.url end
		table.sort(urls)
		eq(table.concat(urls, " "), q.url .. " " .. other.url, "sqs.queues")
		eq(count(sqs.queues:filter{QueueNamePrefix = name}:limit(1)), 1, "limit")

		-- dead-letter source queues
		local src = sqs:create_queue{QueueName = name .. "-src", Attributes = {
		  RedrivePolicy = '{"deadLetterTargetArn":"' .. other.attributes.QueueArn .. '","maxReceiveCount":"3"}'}}
		local dl = {}
		for x in other.dead_letter_source_queues:all() do dl[#dl + 1] = x end
		eq(#dl, 1, "dead-letter source queues")
		eq(dl[1], src, "the source queue")

		-- messages
		ok(q:send_message{MessageBody = "one"}.MessageId, "send_message")
		local sent = q:send_messages{Entries = {{Id = "a", MessageBody = "two"}, {Id = "b", MessageBody = "three"}}}
		eq(#sent.Successful, 2, "send_messages")
		local got, bodies = {}, {}
		while #got < 3 do
		  local ms = q:receive_messages{MaxNumberOfMessages = 10}
		  ok(#ms > 0, "no messages after " .. #got)
		  for _, m in ipairs(ms) do got[#got + 1] = m; bodies[#bodies + 1] = m.body end
		end
		table.sort(bodies)
		eq(table.concat(bodies, ","), "one,three,two", "received bodies")
		local m = got[1]
		eq(tostring(m), "sqs.Message(queue_url='" .. q.url .. "', receipt_handle='" .. m.receipt_handle .. "')", "message repr")
		ok(m.message_id, "message data")
		eq(m:Queue(), q, "message's queue")
		eq(q:Message(m.receipt_handle), m, "q:Message")
		eq(sqs:Message(q.url, m.receipt_handle), m, "sqs:Message")
		raises(function() q:Message("x"):load() end, "has no load method")
		m:change_visibility{VisibilityTimeout = 0}
		m:delete()
		local r = q:change_message_visibility_batch{Entries = {
		  {Id = "2", ReceiptHandle = got[2].receipt_handle, VisibilityTimeout = 0},
		  {Id = "3", ReceiptHandle = got[3].receipt_handle, VisibilityTimeout = 0}}}
		eq(#r.Successful, 2, "change_message_visibility_batch")
		-- visible again: receive and delete them in one batch
		got = {}
		while #got < 2 do
		  local ms = q:receive_messages{MaxNumberOfMessages = 10}
		  ok(#ms > 0, "no messages after " .. #got)
		  for _, x in ipairs(ms) do got[#got + 1] = x end
		end
		r = q:delete_messages{Entries = {{Id = "2", ReceiptHandle = got[1].receipt_handle}, {Id = "3", ReceiptHandle = got[2].receipt_handle}}}
		eq(#r.Successful, 2, "delete_messages")
		eq(#(q:receive_messages{}), 0, "queue empty")
		q:send_message{MessageBody = "purged"}
		q:purge()
		eq(q.attributes.ApproximateNumberOfMessages, "0", "purged")
		src:delete()
		other:delete()
	`, name)

	// Message's batch action Delete: boto3 has no collection of messages,
	// so it runs on the messages a receive returned (sdk.BatchAction).
	ctx := context.Background()
	sqsr, err := testenv.Session(t, "moto").Resource("sqs")
	if err != nil {
		t.Fatal(err)
	}
	out, err := sqsr.Action(ctx, "GetQueueByName", map[string]any{"QueueName": name})
	if err != nil {
		t.Fatal(err)
	}
	q := out.(*sdk.Resource)
	if _, err := q.Action(ctx, "SendMessages", map[string]any{"Entries": []any{
		map[string]any{"Id": "1", "MessageBody": "x"}, map[string]any{"Id": "2", "MessageBody": "y"}, map[string]any{"Id": "3", "MessageBody": "z"},
	}}); err != nil {
		t.Fatal(err)
	}
	var msgs []*sdk.Resource
	for len(msgs) < 3 {
		got, err := q.Action(ctx, "ReceiveMessages", map[string]any{"MaxNumberOfMessages": 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.([]*sdk.Resource)) == 0 {
			t.Fatalf("received %d messages of 3", len(msgs))
		}
		msgs = append(msgs, got.([]*sdk.Resource)...)
	}
	resp, err := sdk.BatchAction(ctx, msgs, "Delete", nil)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := resp["Successful"].([]any); len(ok) != 3 {
		t.Errorf("DeleteMessageBatch: %v", resp)
	}
	if err := q.Load(ctx); err != nil {
		t.Fatal(err)
	}
	attrs, _ := q.Data()["Attributes"].(map[string]any)
	if attrs["ApproximateNumberOfMessages"] != "0" || attrs["ApproximateNumberOfMessagesNotVisible"] != "0" {
		t.Errorf("after the batch delete: %v", attrs)
	}
	if _, err := sdk.BatchAction(ctx, append(msgs, q), "Delete", nil); err == nil || !strings.Contains(err.Error(), "not of one type") {
		t.Errorf("a batch of messages and a queue: %v", err)
	}
	if _, err := sdk.BatchAction(ctx, []*sdk.Resource{q}, "Delete", nil); err == nil || !strings.Contains(err.Error(), "no batch action") {
		t.Errorf("a queue's batch action: %v", err)
	}
	if _, err := q.Action(ctx, "Delete", nil); err != nil {
		t.Fatal(err)
	}
}

// ---- paging ----

// A miscPagingCase is a collection that TestMiscResourcePaging pages
// through a fake server's five items.
type miscPagingCase struct {
	service string
	coll    string // the collection, a Lua expression on r, the service resource
	id      string // each resource's identifier, a Lua expression on x
	want    string // what id is for item i: want .. i
	op      string
	list    string         // the response member that lists the items
	item    func(int) any  // item i, 1-based
	sizeKey string         // the request member page_size sets; "" where there is none
	query   map[string]any // request members the model must send
}

func miscStrings(prefix string) func(int) any {
	return func(i int) any { return fmt.Sprintf("%s%d", prefix, i) }
}

func miscItems(key, prefix string, extra ...any) func(int) any {
	return func(i int) any {
		m := map[string]any{key: fmt.Sprintf("%s%d", prefix, i)}
		for j := 0; j+1 < len(extra); j += 2 {
			m[extra[j].(string)] = extra[j+1]
		}
		return m
	}
}

// miscPagingFake serves a case's operation: five items in pages of the
// requested size (2 without one), with tokens.
func miscPagingFake(t *testing.T, c miscPagingCase) (string, *miscLog) {
	t.Helper()
	const total = 5
	log := &miscLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := miscRecord(r)
		log.add(req)
		op, token, size := "", "", 2
		var in map[string]any
		switch {
		case req.Target != "": // AWS JSON: SQS, CloudWatch (see cwresSpeakJSON)
			op = req.Target
			json.Unmarshal(req.Body, &in)
			token, _ = in["NextToken"].(string)
		case req.Form != nil: // the query protocol: CloudFormation, SNS
			op = req.Form.Get("Action")
			token = req.Form.Get("NextToken")
			in = map[string]any{}
			for k := range req.Form {
				in[k] = req.Form.Get(k)
			}
		default: // Glacier's REST JSON
			op = c.op
			token = req.Query.Get("marker")
			in = map[string]any{}
			for k := range req.Query {
				in[k] = req.Query.Get(k)
			}
		}
		if op != c.op {
			http.Error(w, "the fake serves "+c.op+", not "+op, 400)
			return
		}
		if c.sizeKey != "" && in[c.sizeKey] != nil {
			size, _ = strconv.Atoi(fmt.Sprint(in[c.sizeKey]))
		}
		start, _ := strconv.Atoi(token)
		end := min(start+size, total)
		items := []any{}
		for i := start; i < end; i++ {
			items = append(items, c.item(i+1))
		}
		next := ""
		if end < total {
			next = strconv.Itoa(end)
		}
		switch {
		case req.Target != "":
			out := map[string]any{c.list: items}
			if next != "" {
				out["NextToken"] = next
			}
			miscJSON(w, 200, out)
		case req.Form != nil:
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, miscQueryXML(op, c.list, items, next))
		default:
			out := map[string]any{c.list: items, "Marker": nil}
			if next != "" {
				out["Marker"] = next
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(out)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL, log
}

// miscQueryXML renders a query-protocol response of a list of structures.
func miscQueryXML(op, list string, items []any, next string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<%sResponse><%sResult><%s>", op, op, list)
	for _, it := range items {
		b.WriteString("<member>")
		m := it.(map[string]any)
		for _, k := range slices.Sorted(maps.Keys(m)) {
			fmt.Fprintf(&b, "<%s>", k)
			xml.EscapeText(&b, []byte(fmt.Sprint(m[k])))
			fmt.Fprintf(&b, "</%s>", k)
		}
		b.WriteString("</member>")
	}
	fmt.Fprintf(&b, "</%s>", list)
	if next != "" {
		fmt.Fprintf(&b, "<NextToken>%s</NextToken>", next)
	}
	fmt.Fprintf(&b, "</%sResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></%sResponse>", op, op)
	return b.String()
}

// TestMiscResourcePaging pages every collection of the five services
// through three pages, with page_size and limit. moto pages none of
// these but SNS's (by 100; TestSNSResources pages topics on moto), so a
// fake server serves five items two to a page, or page_size to a page
// where the operation has a page-size member.
func TestMiscResourcePaging(t *testing.T) {
	const when = "2026-01-02T03:04:05Z"
	cases := []miscPagingCase{
		{service: "cloudformation", coll: `r.stacks`, id: `x.name`, want: "stack-", op: "DescribeStacks", list: "Stacks",
			item: miscItems("StackName", "stack-", "StackStatus", "CREATE_COMPLETE", "CreationTime", when)},
		{service: "cloudformation", coll: `r:Stack("s").events`, id: `x.stack_name .. "/" .. x.id`, want: "s/event-", op: "DescribeStackEvents",
			list: "StackEvents", item: miscItems("EventId", "event-", "StackName", "s", "StackId", "s-id", "Timestamp", when),
			query: map[string]any{"StackName": "s"}},
		{service: "cloudformation", coll: `r:Stack("s").resource_summaries`, id: `x.stack_name .. "/" .. x.logical_id`, want: "s/res-",
			op: "ListStackResources", list: "StackResourceSummaries", item: miscItems("LogicalResourceId", "res-", "ResourceType", "AWS::SQS::Queue",
				"ResourceStatus", "CREATE_COMPLETE", "LastUpdatedTimestamp", when), query: map[string]any{"StackName": "s"}},
		{service: "cloudwatch", coll: `r.alarms`, id: `x.name`, want: "alarm-", op: "DescribeAlarms", list: "MetricAlarms",
			item: miscItems("AlarmName", "alarm-"), sizeKey: "MaxRecords"},
		{service: "cloudwatch", coll: `r.metrics`, id: `x.namespace .. "/" .. x.name`, want: "ns/metric-", op: "ListMetrics", list: "Metrics",
			item: miscItems("MetricName", "metric-", "Namespace", "ns")},
		{service: "glacier", coll: `r.vaults`, id: `x.account_id .. "/" .. x.name`, want: "-/vault-", op: "ListVaults", list: "VaultList",
			item: miscItems("VaultName", "vault-"), sizeKey: "limit"},
		{service: "glacier", coll: `r:Account("acct").vaults`, id: `x.account_id .. "/" .. x.name`, want: "acct/vault-", op: "ListVaults",
			list: "VaultList", item: miscItems("VaultName", "vault-"), sizeKey: "limit"},
		{service: "glacier", coll: `r:Vault("-", "v").jobs`, id: `x.vault_name .. "/" .. x.id`, want: "v/job-", op: "ListJobs", list: "JobList",
			item: miscItems("JobId", "job-"), sizeKey: "limit"},
		{service: "glacier", coll: `r:Vault("-", "v").succeeded_jobs`, id: `x.id`, want: "job-", op: "ListJobs", list: "JobList",
			item: miscItems("JobId", "job-"), sizeKey: "limit", query: map[string]any{"statuscode": "Succeeded"}},
		{service: "glacier", coll: `r:Vault("-", "v").completed_jobs`, id: `x.id`, want: "job-", op: "ListJobs", list: "JobList",
			item: miscItems("JobId", "job-"), sizeKey: "limit", query: map[string]any{"completed": "true"}},
		{service: "glacier", coll: `r:Vault("-", "v").failed_jobs`, id: `x.id`, want: "job-", op: "ListJobs", list: "JobList",
			item: miscItems("JobId", "job-"), sizeKey: "limit", query: map[string]any{"statuscode": "Failed"}},
		{service: "glacier", coll: `r:Vault("-", "v").jobs_in_progress`, id: `x.id`, want: "job-", op: "ListJobs", list: "JobList",
			item: miscItems("JobId", "job-"), sizeKey: "limit", query: map[string]any{"statuscode": "InProgress"}},
		{service: "glacier", coll: `r:Vault("-", "v").multipart_uploads`, id: `x.vault_name .. "/" .. x.id`, want: "v/upload-",
			op: "ListMultipartUploads", list: "UploadsList", item: miscItems("MultipartUploadId", "upload-"), sizeKey: "limit"},
		{service: "glacier", coll: `r:Vault("-", "v").multipart_uplaods`, id: `x.id`, want: "upload-", op: "ListMultipartUploads",
			list: "UploadsList", item: miscItems("MultipartUploadId", "upload-"), sizeKey: "limit"},
		{service: "sns", coll: `r.topics`, id: `x.arn`, want: "arn:topic-", op: "ListTopics", list: "Topics",
			item: miscItems("TopicArn", "arn:topic-")},
		{service: "sns", coll: `r.subscriptions`, id: `x.arn`, want: "arn:sub-", op: "ListSubscriptions", list: "Subscriptions",
			item: miscItems("SubscriptionArn", "arn:sub-")},
		{service: "sns", coll: `r:Topic("arn:t").subscriptions`, id: `x.arn`, want: "arn:sub-", op: "ListSubscriptionsByTopic",
			list: "Subscriptions", item: miscItems("SubscriptionArn", "arn:sub-", "TopicArn", "arn:t"), query: map[string]any{"TopicArn": "arn:t"}},
		{service: "sns", coll: `r.platform_applications`, id: `x.arn`, want: "arn:app-", op: "ListPlatformApplications",
			list: "PlatformApplications", item: miscItems("PlatformApplicationArn", "arn:app-")},
		{service: "sns", coll: `r:PlatformApplication("arn:app").endpoints`, id: `x.arn`, want: "arn:endpoint-",
			op: "ListEndpointsByPlatformApplication", list: "Endpoints", item: miscItems("EndpointArn", "arn:endpoint-"),
			query: map[string]any{"PlatformApplicationArn": "arn:app"}},
		{service: "sqs", coll: `r.queues`, id: `x.url`, want: "http://q/", op: "ListQueues", list: "QueueUrls",
			item: miscStrings("http://q/"), sizeKey: "MaxResults"},
		{service: "sqs", coll: `r:Queue("http://q/dlq").dead_letter_source_queues`, id: `x.url`, want: "http://q/src-",
			op: "ListDeadLetterSourceQueues", list: "queueUrls", item: miscStrings("http://q/src-"), sizeKey: "MaxResults",
			query: map[string]any{"QueueUrl": "http://q/dlq"}},
	}
	for _, c := range cases {
		t.Run(c.service+" "+c.coll, func(t *testing.T) {
			url, log := miscPagingFake(t, c)
			l := miscLua(t, url)
			var want []string
			for i := 1; i <= 5; i++ {
				want = append(want, fmt.Sprint(c.want, i))
			}
			prelude := miscPrelude + fmt.Sprintf(`
				local r = aws.resource(%q)
				local coll = %s
				local function ids(c)
				  local out = {}
				  for x in c do out[#out + 1] = %s end
				  return table.concat(out, ",")
				end
			`, c.service, c.coll, c.id)
			step := func(what, src string, requests int) []miscRequest {
				t.Helper()
				before := len(log.find(func(miscRequest) bool { return true }))
				l.must(t, prelude+src)
				reqs := log.find(func(miscRequest) bool { return true })[before:]
				if len(reqs) != requests {
					t.Errorf("%s: %d requests, want %d", what, len(reqs), requests)
				}
				return reqs
			}
			reqs := step("all", fmt.Sprintf(`
				eq(ids(coll:all()), %q, "all")
			`, strings.Join(want, ",")), 3)
			for k, v := range c.query {
				for _, r := range reqs {
					if got := miscParam(t, r, k); got != v {
						t.Errorf("request member %s: %v, want %v", k, got, v)
					}
				}
			}
			step("pages", `eq(page_sizes(coll:all()), "2,2,1", "pages")`, 3)
			if c.sizeKey != "" {
				reqs = step("page_size", `eq(page_sizes(coll:page_size(3)), "3,2", "page_size")`, 2)
				for _, r := range reqs {
					if got := miscParam(t, r, c.sizeKey); fmt.Sprint(got) != "3" {
						t.Errorf("page_size(3): %s %v", c.sizeKey, got)
					}
				}
			} else {
				// No page-size member: page_size changes nothing, as in boto3.
				step("page_size", `eq(page_sizes(coll:page_size(3)), "2,2,1", "page_size")`, 3)
			}
			step("limit", fmt.Sprintf(`eq(ids(coll:limit(3)), %q, "limit")`, strings.Join(want[:3], ",")), 2)
			step("limit of page_size", `eq(count(coll:page_size(1):limit(4)), 4, "limit")`, map[bool]int{true: 4, false: 2}[c.sizeKey != ""])
		})
	}
}

// miscParam returns a request member of a JSON, query or REST request.
func miscParam(t *testing.T, r miscRequest, name string) any {
	switch {
	case r.Target != "":
		return r.JSON(t)[name]
	case r.Form != nil:
		return r.Form.Get(name)
	}
	return r.Query.Get(name)
}
