package sdk

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/awslua/awslua/sdk/resourcemodel"
)

// FuzzParseResourceModel feeds malformed model files to the loader: it
// must never panic, and every error must say what is wrong. A model that
// parses must also survive what the engine does with it without a
// service: walking every resource, and every path and target in it.
func FuzzParseResourceModel(f *testing.F) {
	entries, err := fs.ReadDir(bundledModels, "models")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := bundledModels.ReadFile("models/" + e.Name())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		``,
		`null`,
		`[]`,
		`{}`,
		`{"service": null}`,
		`{"service": {}} trailing`,
		`{"service": {}, "resources": {"A": null}}`,
		`{"service": {"actions": {"X": null}}}`,
		`{"service": {"has": {"X": null}}}`,
		`{"service": {"hasMany": {"X": null}}}`,
		`{"service": {"waiters": {"X": null}}}`,
		`{"service": {"batchActions": {"X": null}}}`,
		`{"service": {"has": {"X": {"resource": {"type": "A"}}}}, "resources": {"A": null}}`,
		`{"service": {"hasMany": {"X": {"request": {"operation": "L"}, "resource": {"type": "A", "identifiers": [{"target": "Id", "source": "response", "path": "a[?"}]}}}}, "resources": {"A": {"identifiers": [{"name": "Id"}]}}}`,
		`{"service": {"actions": {"X": {"request": {"operation": "O", "params": [{"target": "A[-1].B", "source": "string", "value": "v"}]}}}}}`,
		`{"service": {"actions": {"X": {"request": {"operation": "O", "params": [{"target": "A[99999999999]", "source": "string", "value": "v"}]}}}}}`,
		`{"service": {"actions": {"X": {"request": {"operation": ""}}}}}`,
		`{"service": {"identifiers": [{"name": "Id"}]}}`,
		`{"service": {}, "resources": {"A": {"identifiers": [{"name": "Id"}, {"name": "Id"}]}}}`,
		`{"service": {}, "resources": {"A": {"identifiers": [{"name": 5}]}}}`,
		`{"service": {}, "resources": {"A": {"load": {"request": {"operation": "D"}, "path": "]["}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := resourcemodel.Parse(data)
		if err != nil {
			if m != nil {
				t.Errorf("a model and an error: %v", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "resource model: ") || strings.TrimSpace(strings.TrimPrefix(msg, "resource model: ")) == "" {
				t.Errorf("error does not name the problem: %q", msg)
			}
			return
		}
		if m == nil || m.Service == nil {
			t.Fatal("no model and no error")
		}
		// Checking it against a service that has nothing fails, without
		// panicking, whenever it names anything.
		if err := checkService(m, &Service{Name: "fuzz"}); err != nil && !strings.HasPrefix(err.Error(), "resource model for fuzz: ") {
			t.Errorf("service check error does not say what it is: %q", err)
		}
		// What parsed must be usable: every resource, has-entry and
		// collection can be looked at, and every request built.
		m.Walk(func(where string, def *resourcemodel.ResourceDef) {
			if def == nil {
				t.Fatalf("%s: a nil resource passed the check", where)
			}
			r := &Resource{model: m, def: def, ids: map[string]any{}}
			for _, id := range def.Identifiers {
				r.ids[id.Name] = "x"
			}
			requests := []*resourcemodel.RequestDef{}
			if def.Load != nil {
				requests = append(requests, &def.Load.Request)
			}
			for _, a := range def.Actions {
				requests = append(requests, &a.Request)
			}
			for _, a := range def.BatchActions {
				requests = append(requests, &a.Request)
			}
			for _, h := range def.HasMany {
				requests = append(requests, &h.Request)
			}
			for _, req := range requests {
				params := map[string]any{}
				for _, p := range req.Params {
					if p.Source == "data" {
						continue // would load
					}
					v, _ := r.paramValue(context.Background(), p)
					_ = setPath(params, p.Target, v, 0)
				}
			}
			for _, h := range def.Has {
				if _, ok := m.Resources[h.Resource.Type]; !ok {
					t.Fatalf("%s: has-entry of unknown type %q passed the check", where, h.Resource.Type)
				}
			}
		})
	})
}
