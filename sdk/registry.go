package sdk

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/awslua/awslua/sdk/model"
)

// A Service describes one bundled AWS service: how to build its aws-sdk-go-v2
// client and what it can do. Service packages under sdk/services are generated
// from aws-sdk-go-v2 and register a Service when imported, so a program links
// only the services it imports.
type Service struct {
	// Name is boto3's name for the service ("s3", "logs", "elbv2").
	Name string
	// ID is the SDK's service ID ("S3", "CloudWatch Logs").
	ID string
	// New builds the typed aws-sdk-go-v2 client. apply is called with the
	// client's *Options so that per-client settings can be applied to it.
	New func(cfg aws.Config, apply func(options any)) any

	Operations []Operation
	Paginators []PaginatorSpec
	Waiters    []WaiterSpec
	Presigners []PresignSpec
	// Errors lists the service's modeled error codes and their Go types.
	Errors []ErrorSpec
	// Unions maps each union interface type to its members by member name.
	Unions map[reflect.Type]map[string]reflect.Type
	// Documents maps each document interface type to its constructor.
	Documents map[reflect.Type]func(v any) any
	// Members maps a structure type's Go field names to the API's member
	// names where the two differ (camelCase APIs such as ECS or Glacier).
	Members map[reflect.Type]map[string]string
	// Docs is JSON of the operations' documentation, parsed on first use.
	Docs string

	docsOnce sync.Once
	docs     map[string]*OperationDoc

	// model is the botocore model of a model-driven service, nil for a
	// typed service package.
	model  *model.Service
	shapes *modelShapes

	shapesOnce   sync.Once
	shapesByName map[string]*Shape
	once         sync.Once
	byName       map[string]*Operation
	pagers       map[string]*PaginatorSpec
	waiters      map[string]*WaiterSpec
	presign      map[string]*PresignSpec
}

// An Operation is one API operation with its typed input and output.
type Operation struct {
	// Name is the API's name ("ListObjectsV2"); SnakeName is boto3's
	// ("list_objects_v2").
	Name      string
	SnakeName string
	Input     reflect.Type // the input struct type, not a pointer
	Output    reflect.Type // the output struct type, not a pointer
	call      func(ctx context.Context, client any, input any) (any, error)
	// model and svc are set for the operations of model-driven services.
	model *model.Operation
	svc   *Service
}

// Op describes an operation from its names and a method expression of the
// typed client, such as (*s3.Client).ListObjectsV2. Generated service
// packages use it; they spell out the snake_case name so that start-up does
// no work for the hundreds of operations a program never calls.
func Op[C, I, O, Opt any](name, snakeName string, method func(C, context.Context, *I, ...func(*Opt)) (*O, error)) Operation {
	return Operation{
		Name:      name,
		SnakeName: snakeName,
		Input:     reflect.TypeFor[I](),
		Output:    reflect.TypeFor[O](),
		call: func(ctx context.Context, client any, input any) (any, error) {
			out, err := method(client.(C), ctx, input.(*I))
			if err != nil {
				return nil, err
			}
			return out, nil
		},
	}
}

// A PaginatorSpec says how an operation pages, as read from the SDK's
// paginator: which input members take the tokens, which output members
// (dotted paths) carry the next ones, which input member sets the page size,
// and which output member, if any, says there are more results.
type PaginatorSpec struct {
	Operation    string
	InputTokens  []string
	OutputTokens []string
	LimitKey     string
	MoreResults  string
	// resultKeys are botocore's result keys, for model-driven services.
	resultKeys []string
}

// A WaiterSpec is a waiter of the SDK under its API name ("BucketExists").
type WaiterSpec struct {
	Name      string
	Operation string
	// Wait runs the waiter with the typed client and input.
	Wait func(ctx context.Context, client any, input any, cfg *WaiterConfig) error
	// model is botocore's waiter, for model-driven services.
	model *model.Waiter
}

// A PresignSpec presigns one operation with the SDK's presign client.
type PresignSpec struct {
	Operation string
	Presign   func(ctx context.Context, client any, input any, expires time.Duration) (*v4.PresignedHTTPRequest, error)
}

// An ErrorSpec is one modeled error of a service.
type ErrorSpec struct {
	Code string
	Type reflect.Type // the error's struct type, not a pointer
}

var registry = struct {
	sync.RWMutex
	services map[string]*Service
}{services: map[string]*Service{}}

// Register makes a service available to every Session. It panics if a
// service of the same name is registered twice, as database/sql does for
// drivers.
func Register(s *Service) {
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.services[s.Name]; dup {
		panic(fmt.Sprintf("sdk: Register called twice for service %q", s.Name))
	}
	registry.services[s.Name] = s
	registerShapes(s)
}

// Services returns the sorted names of every service a client can be made
// for: boto3's, from the embedded models, and any registered package.
func Services() []string {
	registry.RLock()
	defer registry.RUnlock()
	names := model.Names()
	for n := range registry.services {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// LookupService returns the service of a boto3 name, from the embedded
// models.
func LookupService(name string) (*Service, bool) {
	s, err := engineService(name)
	return s, err == nil
}

// typedService returns the typed package registered under a name.
func typedService(name string) (*Service, bool) {
	registry.RLock()
	defer registry.RUnlock()
	s, ok := registry.services[name]
	return s, ok
}

func (s *Service) index() {
	s.once.Do(func() {
		s.byName = make(map[string]*Operation, 2*len(s.Operations))
		for i := range s.Operations {
			op := &s.Operations[i]
			s.byName[op.Name] = op
			s.byName[op.SnakeName] = op
		}
		s.pagers = map[string]*PaginatorSpec{}
		for i := range s.Paginators {
			s.pagers[s.Paginators[i].Operation] = &s.Paginators[i]
		}
		s.waiters = map[string]*WaiterSpec{}
		for i := range s.Waiters {
			w := &s.Waiters[i]
			s.waiters[w.Name] = w
			s.waiters[SnakeCase(w.Name)] = w
		}
		s.presign = map[string]*PresignSpec{}
		for i := range s.Presigners {
			s.presign[s.Presigners[i].Operation] = &s.Presigners[i]
		}
	})
}

// Operation returns the operation named by its API name or boto3's name.
func (s *Service) Operation(name string) (*Operation, bool) {
	s.index()
	op, ok := s.byName[name]
	if !ok {
		op, ok = s.byName[operationSuccessor(s.Name, name)]
	}
	return op, ok
}

// OperationDoc is an operation's documentation, from the SDK's doc comments.
type OperationDoc struct {
	Summary string `json:"s"`
	// Members holds the first sentence of each input member's documentation,
	// by Go field name.
	Members map[string]string `json:"m"`
	// Required lists the input members that must be set, by Go field name.
	Required []string `json:"r"`
}

// Doc returns an operation's documentation, by its API name.
func (s *Service) Doc(operation string) (*OperationDoc, bool) {
	s.docsOnce.Do(func() {
		// A failure leaves the map empty: help has less to say, nothing breaks.
		json.Unmarshal([]byte(s.Docs), &s.docs)
	})
	d, ok := s.docs[operation]
	return d, ok
}
