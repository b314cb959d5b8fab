#!/usr/bin/env bash
# Install what is missing, build and run the whole test suite through ctest:
# unit, end-to-end and browser tests (headless Chromium), then the libFuzzer
# harnesses (a clang build) for a fixed number of runs with a fixed seed.
# Usage: scripts/test.sh [ctest args...]   (args go to the main ctest run)
# Environment: CIV_SANITIZE=ON builds with AddressSanitizer + UBSan (as CI does);
#              CIV_FUZZ=OFF skips the fuzzing stage; BUILD_DIR (default build-test).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
dir=${BUILD_DIR:-build-test}
cmake -S . -B "$dir" -DCIV_TESTS=ON -DCIV_WERROR=ON -DCIV_SANITIZE="${CIV_SANITIZE:-OFF}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
(cd "$dir" && ctest --output-on-failure "$@")

if [[ ${CIV_FUZZ:-ON} == ON ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$dir-fuzz" -DCIV_FUZZ=ON -DCIV_TESTS=OFF -DCIV_WERROR=ON >/dev/null
  cmake --build "$dir-fuzz" -j"$(nproc)"
  (cd "$dir-fuzz" && ctest --output-on-failure -L fuzz)
fi
