#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR/fuzz for SECONDS each, starting from
# the seed corpus in fuzz/<target>_corpus/ when there is one. Fails on a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-fuzz}
secs=${2:-20}
shopt -s nullglob
count=0
for f in "$dir"/fuzz/fuzz_*; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  work=$(mktemp -d)
  seeds=()
  [ -d "fuzz/corpus/$name" ] && seeds=("fuzz/corpus/$name")
  echo "fuzz: $name for ${secs}s"
  "$f" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=0 \
    "$work" "${seeds[@]}" >"$work.log" 2>&1 || { tail -40 "$work.log"; exit 1; }
  count=$((count + 1))
  rm -rf "$work" "$work.log"
done
echo "fuzz: $count targets ran without a crash"
