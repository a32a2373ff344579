#!/usr/bin/env bash
# Installs and starts the AWS-compatible servers the tests run against, on
# free loopback ports, and stops them again. Only what this script started
# is stopped.
#
#   tests/servers.sh start   # prints nothing on success; writes tests/.servers/env
#   tests/servers.sh stop
#
# tests/.servers/env exports AWSLUA_TEST_MOTO and AWSLUA_TEST_MINIO (base URLs)
# and AWSLUA_TEST_SERVERS=1, which makes the tests fail instead of skip
# when a server is missing.
#
# AWSLUA_SERVERS_STATE=DIR keeps the pid files, logs, data and env in DIR
# instead of tests/.servers, so that another user of this script (the
# benchmarks, beside a running `make test`) starts and stops only its own
# servers; the installed MinIO stays shared in tests/.servers/bin.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
state=${AWSLUA_SERVERS_STATE:-$here/.servers}
bin=$here/.servers/bin
# MinIO checks signatures strictly, as AWS does; moto covers the other services.
minio_version=v0.0.0-20260212201848-7aac2a2c5b7c
export MINIO_ROOT_USER=backendtest MINIO_ROOT_PASSWORD=backendtest-secret

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_ready() { # name url pidfile
  for _ in $(seq 1 300); do
    if curl -fs -o /dev/null "$2"; then return 0; fi
    if ! kill -0 "$(cat "$3")" 2>/dev/null; then
      echo "servers.sh: $1 exited; its log:" >&2
      cat "$state/$1.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "servers.sh: $1 not ready at $2 after 30 s" >&2
  return 1
}

# apt_get runs apt-get as root, through sudo when this is not root.
apt_get() {
  if [ "$(id -u)" = 0 ]; then apt-get "$@"; else sudo -n apt-get "$@"; fi
}
apt_install() { DEBIAN_FRONTEND=noninteractive apt_get install -y -q "$@" >&2; }

install() {
  mkdir -p "$bin"
  if [ ! -x "$bin/minio" ]; then
    echo "servers.sh: installing MinIO $minio_version (a few minutes on a cold cache)" >&2
    GOBIN=$bin GOFLAGS=-buildvcs=false go install "github.com/minio/minio@$minio_version"
  fi
  if ! command -v luacheck >/dev/null; then
    # The tests hold scripts/ and the README to luacheck (Debian's lua-check).
    echo "servers.sh: installing luacheck (Debian's lua-check)" >&2
    # A fresh machine may have no package lists yet: fetch them once, then retry.
    apt_install lua-check || { apt_get update -q >&2 && apt_install lua-check; } ||
      echo "servers.sh: could not install lua-check; TestLuacheck will fail" >&2
  fi
  if ! command -v moto_server >/dev/null; then
    echo "servers.sh: moto_server is not on PATH; it ships with this machine's Python (moto 5.2.1)" >&2
    return 1
  fi
}

start() {
  stop_quietly
  install
  mkdir -p "$state"
  local moto_port minio_port
  moto_port=$(free_port)
  minio_port=$(free_port)

  moto_server -H 127.0.0.1 -p "$moto_port" >"$state/moto.log" 2>&1 &
  echo $! >"$state/moto.pid"

  rm -rf "$state/minio-data"
  MINIO_BROWSER=off MINIO_UPDATE=off "$bin/minio" server "$state/minio-data" \
    --address "127.0.0.1:$minio_port" --quiet >"$state/minio.log" 2>&1 &
  echo $! >"$state/minio.pid"

  wait_ready moto "http://127.0.0.1:$moto_port/moto-api/" "$state/moto.pid"
  wait_ready minio "http://127.0.0.1:$minio_port/minio/health/ready" "$state/minio.pid"

  cat >"$state/env" <<ENV
export AWSLUA_TEST_SERVERS=1
export AWSLUA_TEST_MOTO=http://127.0.0.1:$moto_port
export AWSLUA_TEST_MINIO=http://127.0.0.1:$minio_port
ENV
}

stop_quietly() {
  for pidfile in "$state"/*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  rm -f "$state/env"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly ;;
  install) install ;;
  *) echo "usage: tests/servers.sh start|stop|install" >&2; exit 2 ;;
esac
