#!/usr/bin/env bash
# The test command: starts the servers, vets, runs every test, stops the
# servers. Extra arguments go to `go test` (e.g. -run TestS3 -v).
set -euo pipefail
cd "$(dirname "$0")/.."

tests/servers.sh start
trap 'tests/servers.sh stop' EXIT
# shellcheck disable=SC1091
. tests/.servers/env

go vet ./...
go test -count=1 "$@" ./...
