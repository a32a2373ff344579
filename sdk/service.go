package sdk

import (
	"sync"

	"github.com/awslua/awslua/sdk/model"
)

// A Service describes one of boto3's services as its botocore model has
// it: its operations, paginators, waiters and modeled errors.
type Service struct {
	// Name is boto3's name for the service ("s3", "logs", "elbv2").
	Name string
	// ID is the model's service ID ("S3", "CloudWatch Logs").
	ID string

	Operations []Operation
	Paginators []PaginatorSpec
	Waiters    []WaiterSpec
	// Errors lists the service's modeled error codes.
	Errors []ErrorSpec

	model  *model.Service
	shapes *modelShapes

	once    sync.Once
	byName  map[string]*Operation
	pagers  map[string]*PaginatorSpec
	waiters map[string]*WaiterSpec
}

// An Operation is one API operation.
type Operation struct {
	// Name is the API's name ("ListObjectsV2"); SnakeName is boto3's
	// ("list_objects_v2").
	Name      string
	SnakeName string

	model *model.Operation
	svc   *Service
}

// A PaginatorSpec says how an operation pages, as botocore's paginator
// does: which input members take the tokens, which output members (paths)
// carry the next ones, which input member sets the page size, and which
// output member, if any, says there are more results.
type PaginatorSpec struct {
	Operation    string
	InputTokens  []string
	OutputTokens []string
	LimitKey     string
	MoreResults  string
	// resultKeys are botocore's result keys.
	resultKeys []string
}

// A WaiterSpec is a waiter of the service under its API name
// ("BucketExists").
type WaiterSpec struct {
	Name      string
	Operation string
	model     *model.Waiter
}

// An ErrorSpec is one modeled error of a service.
type ErrorSpec struct {
	Code string
}

// Services returns the sorted names of every service a client can be made
// for: boto3's, from the embedded models.
func Services() []string { return model.Names() }

// LookupService returns the service of a boto3 name, from the embedded
// models.
func LookupService(name string) (*Service, bool) {
	s, err := engineService(name)
	return s, err == nil
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
			s.waiters[model.SnakeName(w.Name)] = w
		}
	})
}

// Operation returns the operation named by its API name or boto3's name.
func (s *Service) Operation(name string) (*Operation, bool) {
	s.index()
	op, ok := s.byName[name]
	return op, ok
}
