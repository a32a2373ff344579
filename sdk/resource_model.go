package sdk

import (
	"embed"
	"errors"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/awslua/awslua/sdk/resourcemodel"
)

//go:embed models/*.json
var bundledModels embed.FS

var resourceModels = struct {
	sync.RWMutex
	m map[string]*resourcemodel.ResourceModel
}{m: map[string]*resourcemodel.ResourceModel{}}

// RegisterResourceModel adds a resource model for a service, replacing the
// bundled one.
func RegisterResourceModel(service string, m *resourcemodel.ResourceModel) {
	resourceModels.Lock()
	defer resourceModels.Unlock()
	resourceModels.m[service] = m
}

// LoadResourceModel reads a model file and registers it for a service.
func LoadResourceModel(service, file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	m, err := resourcemodel.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if svc, ok := LookupService(service); ok {
		if err := checkedAgainst(m, svc); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	RegisterResourceModel(service, m)
	return nil
}

// LookupResourceModel returns the resource model of a service: a loaded
// one, or the bundled one, parsed on first use.
func LookupResourceModel(service string) (*resourcemodel.ResourceModel, error) {
	return resourceModel(service)
}

func resourceModel(service string) (*resourcemodel.ResourceModel, error) {
	resourceModels.RLock()
	m, ok := resourceModels.m[service]
	resourceModels.RUnlock()
	if ok {
		return m, nil
	}
	data, err := bundledModels.ReadFile(path.Join("models", service+".json"))
	if err != nil {
		return nil, fmt.Errorf("service %s has no resources; services with resources: %s", service, strings.Join(ResourceServices(), ", "))
	}
	m, err = resourcemodel.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("bundled %s: %w", service, err)
	}
	RegisterResourceModel(service, m)
	return m, nil
}

// ResourceServices returns the sorted names of the services that have
// resource models, bundled or loaded.
func ResourceServices() []string {
	set := map[string]bool{}
	entries, _ := bundledModels.ReadDir("models")
	for _, e := range entries {
		set[strings.TrimSuffix(e.Name(), ".json")] = true
	}
	resourceModels.RLock()
	for s := range resourceModels.m {
		set[s] = true
	}
	resourceModels.RUnlock()
	names := make([]string, 0, len(set))
	for s := range set {
		names = append(names, s)
	}
	sort.Strings(names)
	return names
}

// checkService verifies a model against the service whose client runs it:
// every operation, waiter and shape it names must be the service's. A
// model that names what the client lacks fails when it is loaded or first
// used, with every such name, instead of in the middle of a script.
func checkService(m *resourcemodel.ResourceModel, svc *Service) error {
	svc.index()
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	op := func(where, what, name string) {
		if _, ok := svc.Operation(name); !ok {
			fail("%s: %s: %s has no operation %q", where, what, svc.Name, name)
		}
	}
	m.Walk(func(where string, def *resourcemodel.ResourceDef) {
		if def.Shape != "" && svc.Shape(def.Shape) == nil {
			fail("%s: %s has no structure %q for the shape", where, svc.Name, def.Shape)
		}
		if def.Load != nil {
			op(where, "load", def.Load.Request.Operation)
		}
		for _, name := range sortedKeys(def.Actions) {
			op(where, "action "+name, def.Actions[name].Request.Operation)
		}
		for _, name := range sortedKeys(def.BatchActions) {
			op(where, "batch action "+name, def.BatchActions[name].Request.Operation)
		}
		for _, name := range sortedKeys(def.HasMany) {
			op(where, "collection "+name, def.HasMany[name].Request.Operation)
		}
		for _, name := range sortedKeys(def.Waiters) {
			if _, ok := svc.waiters[def.Waiters[name].WaiterName]; !ok {
				fail("%s: waiter %s: %s has no waiter %q", where, name, svc.Name, def.Waiters[name].WaiterName)
			}
		}
	})
	if len(errs) > 0 {
		return fmt.Errorf("resource model for %s: %w", svc.Name, errors.Join(errs...))
	}
	return nil
}

// serviceChecks caches checkService by model and service.
var serviceChecks sync.Map // modelService → error

type modelService struct {
	m   *resourcemodel.ResourceModel
	svc *Service
}

func checkedAgainst(m *resourcemodel.ResourceModel, svc *Service) error {
	key := modelService{m, svc}
	if err, ok := serviceChecks.Load(key); ok {
		e, _ := err.(error)
		return e
	}
	err := checkService(m, svc)
	serviceChecks.Store(key, err)
	return err
}
