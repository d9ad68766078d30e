#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the store tests, idempotently, and
# prints on stdout the one line to eval:
#   export DUALUSE_TEST_PG=postgresql://postgres@127.0.0.1:54329/dualuse_test
# Everything else goes to stderr. Usage: eval "$(bash scripts/start-postgres.sh)"
#
# The cluster lives in ${DUALUSE_PG_DIR:-/var/tmp/dualuse-pg}, listens on
# 127.0.0.1 only (port ${DUALUSE_PG_PORT:-54329}), trusts local connections
# (test data only), and is owned by the OS user postgres (initdb refuses root).
# Stop it with: su postgres -c "pg_ctl -D /var/tmp/dualuse-pg/data stop"
set -euo pipefail
exec 3>&1 1>&2  # stdout is only for the export line

port=${DUALUSE_PG_PORT:-54329}
base=${DUALUSE_PG_DIR:-/var/tmp/dualuse-pg}
data=$base/data
db=dualuse_test
url="postgresql://postgres@127.0.0.1:$port/$db"

bindir=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && bindir=$d
done
if [ -z "$bindir" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "start-postgres: installing postgresql"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
    for d in /usr/lib/postgresql/*/bin; do
      [ -x "$d/initdb" ] && bindir=$d
    done
  fi
fi
if [ -z "$bindir" ]; then
  echo "start-postgres: no PostgreSQL server binaries (apt-get install postgresql)"
  exit 1
fi

# Run a PostgreSQL binary as the cluster owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ready() { "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" >/dev/null 2>&1; }

if ! ready; then
  mkdir -p "$base"
  [ "$(id -u)" = 0 ] && chown postgres: "$base"
  if [ ! -f "$data/PG_VERSION" ]; then
    echo "start-postgres: initdb $data"
    as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$base/initdb.log" 2>&1 || { cat "$base/initdb.log"; exit 1; }
  fi
  # A stale pid file from a killed server would block the start.
  if [ -f "$data/postmaster.pid" ] && ! as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    rm -f "$data/postmaster.pid"
  fi
  echo "start-postgres: starting on 127.0.0.1:$port"
  # 3>&-: the server must not inherit the export-line descriptor, or the
  # caller's $(...) would wait for the server to exit (it hung CI this way).
  as_owner "$bindir/pg_ctl" -D "$data" -l "$base/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$base -c fsync=on -c max_connections=200" \
    start >/dev/null 3>&- || { tail -20 "$base/server.log"; exit 1; }
fi
for _ in $(seq 1 60); do
  ready && break
  sleep 0.5
done
ready || { echo "start-postgres: server did not come up"; tail -20 "$base/server.log"; exit 1; }

if ! "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE $db" \
    || true
fi
echo "start-postgres: ready at $url"
echo "export DUALUSE_TEST_PG=$url" >&3
