#!/usr/bin/env bash
# Quick start: install what is missing, build, index corpus/ and serve it.
# Usage: scripts/run.sh [--listen ADDR:PORT]   (default 127.0.0.1:8080)
# Environment: CIVITAS_DB (default ./civitas-db), CIVITAS_CORPUS (default ./corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh run
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCIV_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"
db=${CIVITAS_DB:-civitas-db}
corpus=${CIVITAS_CORPUS:-corpus}
# Exit 1 means some files failed (already listed): still worth serving the rest.
build/indexer/civitas-index --db "$db" "$corpus" || [[ $? -eq 1 ]]
if [[ -x build/searchd/civitas-searchd ]]; then
  exec build/searchd/civitas-searchd --db "$db" "$@"
fi
