#!/usr/bin/env bash
# Install what is missing, build and run the whole test suite through ctest.
# Usage: scripts/test.sh [ctest args...]
# Environment: CIV_SANITIZE=ON builds with AddressSanitizer + UBSan (as CI does);
#              BUILD_DIR (default build-test).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
dir=${BUILD_DIR:-build-test}
cmake -S . -B "$dir" -DCIV_TESTS=ON -DCIV_WERROR=ON -DCIV_SANITIZE="${CIV_SANITIZE:-OFF}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
cd "$dir"
ctest --output-on-failure "$@"
