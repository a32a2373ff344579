# The commands the README documents.
.PHONY: tour test bench
tour:
	go run ./cmd/awslua --local scripts/tour.lua
test:
	tests/run.sh
# awslua against boto3 and plain aws-sdk-go-v2; writes BENCHMARKS.md and
# benchmarks/*.pprof. BENCHFLAGS=-quick tries it small.
bench:
	go run ./internal/bench $(BENCHFLAGS)
