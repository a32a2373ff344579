// Package local runs an S3 endpoint inside the process, in memory, on a
// free loopback port, so that scripts and examples run on a machine without
// AWS (awslua --local).
package local

import (
	"net/http/httptest"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3 is a running in-process S3 endpoint.
type S3 struct {
	srv *httptest.Server
}

// StartS3 starts an empty in-memory S3 on 127.0.0.1.
func StartS3() *S3 {
	faker := gofakes3.New(s3mem.New(), gofakes3.WithAutoBucket(false))
	return &S3{srv: httptest.NewServer(faker.Server())}
}

// URL is the endpoint's base URL.
func (s *S3) URL() string { return s.srv.URL }

// Close stops the endpoint; what it held is gone.
func (s *S3) Close() { s.srv.Close() }
