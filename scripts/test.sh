#!/usr/bin/env bash
# The whole test suite (README's second command; .ci/run calls exactly this).
# 1. installs what is needed (Debian packages), 2. checks formatting,
# 3. builds the release configuration and runs every test with ctest (unit,
#    integration against real SQLite and a real PostgreSQL server started here,
#    conformance cases, HTTP on loopback, browser tests in Debian's chromium),
# 4. builds with AddressSanitizer + UndefinedBehaviorSanitizer and runs the tests again,
# 5. builds the libFuzzer targets with clang and runs each for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

bash scripts/install-deps.sh

echo "== format check"
bash scripts/check-format.sh

echo "== PostgreSQL for the store tests"
if [ -f scripts/start-postgres.sh ]; then
  # Exports DUALUSE_TEST_PG (a postgresql:// URL) for the tests.
  eval "$(bash scripts/start-postgres.sh)"
fi

echo "== release build"
bash scripts/build.sh build
echo "== browser test dependencies (playwright-core, from npm)"
(cd tests/ui && npm ci --no-audit --no-fund --loglevel=error)
echo "== release tests"
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 900

echo "== sanitizer build (ASan + UBSan)"
CC=gcc CXX=g++ bash scripts/build.sh build-asan -DDUALUSE_SANITIZE=ON -DDUALUSE_BENCH=OFF
echo "== sanitizer tests"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 1800 -LE 'ui|bench'

if [ -f fuzz/CMakeLists.txt ]; then
  echo "== fuzzers (libFuzzer, bounded)"
  CC=clang CXX=clang++ bash scripts/build.sh build-fuzz -DDUALUSE_FUZZ=ON -DDUALUSE_TESTS=OFF \
    -DDUALUSE_BENCH=OFF
  bash scripts/run-fuzzers.sh build-fuzz "${FUZZ_SECONDS:-20}"
fi
echo "== all tests passed"
