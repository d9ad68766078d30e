#!/usr/bin/env bash
# Three `dualuse serve` on one PostgreSQL behind nginx, under load and faults.
#
#   bash bench/cluster/run.sh BIN SECONDS [SERVERS [STORE]]
#
# STORE: postgresql (default) or sqlite (one file in the data directory, for
# comparison; with one server nothing is killed).
#
# Starts PostgreSQL (scripts/start-postgres.sh; DUALUSE_PG_PORT and
# DUALUSE_PG_DIR choose its port and directory), makes a fresh database,
# users and tokens, SERVERS (default 3) servers and nginx (Debian's
# /usr/sbin/nginx, not a daemon, in a temporary prefix, with the upstream of
# deploy/nginx/dualuse.conf pointed at them), then drives /screen, /assess
# and authority filings (filing, criteria assessment, decision) through nginx
# for SECONDS, kills one server with SIGKILL and restarts it, imports a newer
# UN list with `dualuse lists import`, and checks the answers against the
# store. What is checked and printed: bench/cluster/cluster.py.
#
# The last line is
#   cluster: <servers> servers, <requests> requests, <errors> errors, chain intact|broken, ids unique|duplicated
# Exit status non-zero on errors (the killed server's requests in flight are
# counted apart), a broken chain, duplicated ids, or a server that did not
# answer with the new list version within the bound.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 BIN SECONDS [SERVERS [STORE]]" >&2
  exit 2
fi
bin=$(readlink -f "$1")
seconds=$2
servers=${3:-3}
store=${4:-postgresql}
root=$(cd "$(dirname "$0")/../.." && pwd)
eval "$(bash "$root/scripts/start-postgres.sh")"
exec python3 "$root/bench/cluster/cluster.py" --bin "$bin" --seconds "$seconds" \
  --servers "$servers" --store "$store" --pg "$DUALUSE_TEST_PG" --root "$root"
