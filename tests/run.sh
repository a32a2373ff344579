#!/usr/bin/env bash
# The test command: starts the servers, vets, runs every test, stops the
# servers. Extra arguments go to `go test` (e.g. -run TestS3 -v).
set -euo pipefail
cd "$(dirname "$0")/.."

tests/servers.sh start
trap 'tests/servers.sh stop' EXIT
# shellcheck disable=SC1091
. tests/.servers/env

unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi
go vet ./...
# The generated service packages are left out: their code is the generator's.
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
go test -count=1 "$@" ./...

# Each fuzz target runs briefly; a crash fails the run, and go test keeps
# the input that caused it under the package's testdata/fuzz, to stay.
# The budget is a count of inputs, not a duration: Go 1.26's fuzzing
# coordinator can fail a duration's end with "context deadline exceeded"
# and no crasher (golang/go#75804, fixed in Go 1.27).
fuzz=${FUZZTIME:-20000x}
for target in sdk:FuzzEncode sdk:FuzzStartingToken sdk:FuzzSearch sdk:FuzzSearchPath sdk:FuzzParseResourceModel sdk/protocol:FuzzEventStream sdk/endpoint:FuzzParseBinary bindings:FuzzLuaParams bindings:FuzzCompile bindings:FuzzInput repl:FuzzComplete; do
  go test "./${target%%:*}" -run '^$' -fuzz "^${target#*:}\$" -fuzztime "$fuzz"
done
go test ./bindings/check -run '^$' -fuzz '^FuzzSource$' -fuzztime "$fuzz"
