# The two commands the README documents.
.PHONY: tour test
tour:
	go run ./cmd/awslua --local scripts/tour.lua
test:
	tests/run.sh
