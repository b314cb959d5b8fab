#!/usr/bin/env bash
# The bench_smoke test: run bench/run.sh --quick on a small directory with
# the programs of an existing build and check that it wrote the tables. It
# asserts no timing. Parts whose tools are missing (omindex, wrk, lighttpd)
# are skipped by run.sh with a "not installed: ..." note, so this passes on
# a machine that has only the build and test dependencies.
# Usage: bench/smoke.sh BUILD_DIR CORPUS_DIR OUT_FILE
set -euo pipefail
build=${1:?usage: smoke.sh BUILD_DIR CORPUS_DIR OUT_FILE}
corpus=${2:?}
out=${3:?}
rm -f "$out"
# Two indexing rounds, so the path that keeps each tool's fastest round runs.
"$(dirname "$0")/run.sh" --quick --index-rounds 2 --build "$build" --corpus "$corpus" --out "$out"
fail() { echo "bench_smoke: $*" >&2; exit 1; }
[[ -s $out ]] || fail "no report written to $out"
grep -q '^| \*\*civitas-index\*\* | [0-9]' "$out" || fail "no civitas-index row in the indexing table"
grep -q '^| raw Xapian indexer on the same text (writing limit) | [0-9]' "$out" ||
  fail "no raw-Xapian indexer row"
grep -q '^| raw Xapian: Enquire' "$out" || fail "no raw-Xapian search row"
# Where the pipeline limit is known (pdftotext installed, PDFs in the
# corpus), the targets table checks Civitas against it.
if grep -q '^| \*\*pipeline limit\*\*: .* | [0-9.]* | - |' "$out"; then
  grep -q '^| PDF indexing >= 0.85x pipeline limit | [^|]* | [0-9.]*x |' "$out" ||
    fail "the pipeline limit is measured but missing from the targets table"
fi
grep -q '^Then `civitas-index --compact`: [0-9.]* s wall' "$out" || fail "no compaction line"
# Peak RSS is n/a without /usr/bin/time (bench/install-deps.sh installs it).
grep -q '^| every other file | [0-9]* | [0-9.]* | [0-9]* | [0-9.]* | \([0-9]*\|n/a\) |$' "$out" ||
  fail "no row of the indexer's memory against the size of the corpus"
grep -q '^Each tool indexed this set 2 times.* civitas-index [0-9.]*, [0-9.]*\.$' "$out" ||
  fail "no line with the wall time of both indexing rounds"
if [[ -x $build/bench/civ_search_bench ]]; then
  grep -q '^| civitas civ_search_run, group=document .* | [0-9.]* | [0-9.]* |' "$out" ||
    fail "no civitas in-process search row"
  grep -q '^Slowest queries, group=document (each its fastest round): `.*` [0-9.]* ms' "$out" ||
    fail "no line with the slowest in-process queries"
fi
# With wrk installed, each HTTP row carries the server's CPU per request.
if grep -q '^### Search over HTTP' "$out"; then
  grep -q '^| \*\*civitas-searchd\*\* `--cache-mb 0` (every request searches) | 16 | [0-9.]* | [0-9.]* | [0-9.]* | [0-9]* | [0-9.]* |' "$out" ||
    fail "no server CPU per request in the HTTP table"
fi
grep '^- not installed' "$out" || true
echo "bench_smoke: report written with the indexing and search tables"
