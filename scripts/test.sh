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
  if [ ! -f build-fuzz/build.ninja ]; then
    CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DDUALUSE_FUZZ=ON -DDUALUSE_TESTS=OFF -DDUALUSE_BENCH=OFF >/dev/null
  fi
  # Only the fuzz targets (and the libraries they link), not the whole tree.
  ninja -C build-fuzz $(ninja -C build-fuzz -t targets all | grep -oE '^fuzz_[A-Za-z0-9_]+' | sort -u)
  bash scripts/run-fuzzers.sh build-fuzz "${FUZZ_SECONDS:-20}"
fi
echo "== all tests passed"
