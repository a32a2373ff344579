package tests

import (
	"encoding/json"
	"os/exec"
	"slices"
	"sort"
	"testing"

	"github.com/awslua/awslua/sdk"
	"github.com/awslua/awslua/sdk/resourcemodel"
)

// boto3Names prints, for one service, the names in boto3's resource model:
// resources with their identifiers, actions, batch actions, has-entries,
// collections and waiters, and whether they load. Only names are compared;
// our models are our own.
const boto3Names = `
import boto3, json, sys
m = boto3.session.Session(region_name="us-east-1")._loader.load_service_model(sys.argv[1], "resources-1")
def names(d, key):
    return sorted((d or {}).get(key, {}).keys())
def desc(r):
    return {"identifiers": [i["name"] for i in r.get("identifiers", [])],
            "actions": names(r, "actions"), "batchActions": names(r, "batchActions"),
            "has": names(r, "has"), "hasMany": names(r, "hasMany"), "waiters": names(r, "waiters"),
            "load": "load" in r}
out = {"service": desc(m["service"])}
for name, r in m["resources"].items():
    out[name] = desc(r)
print(json.dumps(out))
`

type modelNames struct {
	Identifiers  []string `json:"identifiers"`
	Actions      []string `json:"actions"`
	BatchActions []string `json:"batchActions"`
	Has          []string `json:"has"`
	HasMany      []string `json:"hasMany"`
	Waiters      []string `json:"waiters"`
	Load         bool     `json:"load"`
}

func namesOf(def *resourcemodel.ResourceDef) modelNames {
	keys := func(n int, each func(func(string))) []string {
		out := make([]string, 0, n)
		each(func(s string) { out = append(out, s) })
		sort.Strings(out)
		return out
	}
	var ids []string
	for _, id := range def.Identifiers {
		ids = append(ids, id.Name)
	}
	return modelNames{
		Identifiers: ids,
		Actions: keys(len(def.Actions), func(f func(string)) {
			for k := range def.Actions {
				f(k)
			}
		}),
		BatchActions: keys(len(def.BatchActions), func(f func(string)) {
			for k := range def.BatchActions {
				f(k)
			}
		}),
		Has: keys(len(def.Has), func(f func(string)) {
			for k := range def.Has {
				f(k)
			}
		}),
		HasMany: keys(len(def.HasMany), func(f func(string)) {
			for k := range def.HasMany {
				f(k)
			}
		}),
		Waiters: keys(len(def.Waiters), func(f func(string)) {
			for k := range def.Waiters {
				f(k)
			}
		}),
		Load: def.Load != nil,
	}
}

// resourceHooksLoad are the resources that load through code, as boto3's do.
var resourceHooksLoad = map[string]bool{"s3.Bucket": true, "s3.ObjectSummary": true}

// TestResourceParity checks that our models have every resource,
// identifier, action, batch action, sub-resource, reference, collection and
// waiter of boto3's nine resource services, under the same names.
func TestResourceParity(t *testing.T) {
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		t.Skip("python3 with boto3 is not installed: nothing to compare with")
	}
	for _, svc := range []string{"cloudformation", "cloudwatch", "dynamodb", "ec2", "glacier", "iam", "s3", "sns", "sqs"} {
		t.Run(svc, func(t *testing.T) {
			out, err := exec.Command("python3", "-c", boto3Names, svc).Output()
			if err != nil {
				t.Fatalf("asking boto3: %v", err)
			}
			var want map[string]modelNames
			if err := json.Unmarshal(out, &want); err != nil {
				t.Fatal(err)
			}
			m, err := sdk.LookupResourceModel(svc)
			if err != nil {
				t.Fatal(err)
			}
			for name, w := range want {
				def := m.Service
				if name != "service" {
					def = m.Resources[name]
				}
				if def == nil {
					t.Errorf("resource %s is missing", name)
					continue
				}
				got := namesOf(def)
				if resourceHooksLoad[svc+"."+name] {
					got.Load = true
				}
				check := func(what string, want, got []string) {
					for _, n := range want {
						if !slices.Contains(got, n) {
							t.Errorf("%s: %s %s is missing", name, what, n)
						}
					}
				}
				if !slices.Equal(w.Identifiers, got.Identifiers) {
					t.Errorf("%s: identifiers %v, boto3 has %v", name, got.Identifiers, w.Identifiers)
				}
				check("action", w.Actions, got.Actions)
				check("batch action", w.BatchActions, got.BatchActions)
				check("has", w.Has, got.Has)
				check("collection", w.HasMany, got.HasMany)
				check("waiter", w.Waiters, got.Waiters)
				if w.Load && !got.Load {
					t.Errorf("%s: boto3 loads it, ours cannot", name)
				}
			}
		})
	}
}
