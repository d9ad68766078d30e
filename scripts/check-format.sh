#!/usr/bin/env bash
# Fails when clang-format (the .clang-format in the repo root) would change a C++ file.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files --cached --others --exclude-standard '*.cc' '*.h')
[ -n "$files" ] || exit 0
echo "$files" | xargs clang-format --dry-run -Werror
echo "format: $(echo "$files" | wc -l) files clean"
