#!/usr/bin/env bash
# The whole test suite (README's second command; .ci/run calls exactly this).
# 1. installs what is needed (Debian packages), 2. checks formatting,
# 3. builds the release configuration and runs every test with ctest (unit,
#    integration against real SQLite and a real PostgreSQL server started here,
#    conformance cases, HTTP on loopback, browser tests in Debian's chromium),
# 4. builds once more with clang, AddressSanitizer + UndefinedBehaviorSanitizer
#    and libFuzzer coverage, runs the tests again in that build, then runs each
#    libFuzzer target for a bounded time.
# Each phase prints its elapsed time; the whole takes about 25 minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
start=$SECONDS
phase() { printf '== [%dm%02ds] %s\n' $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60)) "$*"; }

phase "dependencies (Debian packages)"
bash scripts/install-deps.sh

phase "format check"
bash scripts/check-format.sh

phase "PostgreSQL for the store tests"
# Exports DUALUSE_TEST_PG (a postgresql:// URL) for the tests.
eval "$(bash scripts/start-postgres.sh)"

phase "release build"
bash scripts/build.sh build
phase "browser test dependencies (playwright-core, from npm)"
(cd tests/ui && npm ci --no-audit --no-fund --loglevel=error)
phase "release tests"
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 300

phase "sanitizer build (clang: ASan + UBSan + libFuzzer coverage)"
CC=clang CXX=clang++ bash scripts/build.sh build-san -DDUALUSE_SANITIZE=ON -DDUALUSE_FUZZ=ON \
  -DDUALUSE_BENCH=OFF
phase "sanitizer tests"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-san --output-on-failure -j"$jobs" --timeout 600 -LE 'ui|bench'

phase "fuzzers (libFuzzer, ${FUZZ_SECONDS:-20} s each)"
bash scripts/run-fuzzers.sh build-san "${FUZZ_SECONDS:-20}"
phase "all tests passed"
