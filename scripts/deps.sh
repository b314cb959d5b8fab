#!/usr/bin/env bash
# Install the Debian 12 packages Civitas needs to build, run and test, if any
# is missing. Safe to re-run: it installs nothing when all are present.
# Usage: scripts/deps.sh [run|test]   (test adds the test-only packages)
set -euo pipefail

pkgs=(build-essential cmake pkg-config
      libxapian-dev xapian-tools libpoppler-glib-dev libxml2-dev libmicrohttpd-dev
      libglib2.0-dev libjansson-dev libexttextcat-dev libjemalloc-dev libcmocka-dev curl)
if [[ ${1:-run} == test ]]; then
  pkgs+=(poppler-utils clang libclang-rt-14-dev)
  # llvm-symbolizer: the fuzz harnesses' leak suppression for Xapian's own
  # query-parser leak (tests/fuzz/lsan.supp) names a function, which
  # LeakSanitizer can match only in a symbolized stack.
  pkgs+=(llvm)
  # tests/e2e/test_citations.c parses the BibTeX export with bibtool.
  pkgs+=(bibtool)
  # Browser tests (tests/browser): Debian's Chromium, a font for its
  # screenshots, Node.js and npm (npm fetches playwright-core). An npm that
  # is already there is kept: NodeSource's nodejs package bundles npm and
  # conflicts with Debian's.
  pkgs+=(chromium fonts-dejavu-core nodejs)
  command -v npm >/dev/null || pkgs+=(npm)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "civitas: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "civitas: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
