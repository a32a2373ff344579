# The commands the README documents.
.PHONY: tour test bench build install
tour:
	go run ./cmd/awslua --local scripts/tour.lua
test:
	tests/run.sh
# One static binary: without cgo the binary links no C library, so it runs
# on any Linux of its architecture (no glibc version to match). The DNS
# resolver and user lookups are Go's own then.
build:
	CGO_ENABLED=0 go build -trimpath -o awslua ./cmd/awslua
install:
	CGO_ENABLED=0 go install -trimpath ./cmd/awslua
# awslua against boto3 and plain aws-sdk-go-v2; writes BENCHMARKS.md and
# benchmarks/*.pprof. BENCHFLAGS=-quick tries it small.
bench:
	go run ./internal/bench $(BENCHFLAGS)
