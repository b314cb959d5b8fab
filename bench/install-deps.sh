#!/usr/bin/env bash
# Install the Debian 12 packages the benchmarks need beyond the build and
# test dependencies (scripts/deps.sh): Omega (omindex and the omega CGI),
# poppler-utils (pdftotext, pdfinfo), wrk, GNU time, lighttpd (the CGI
# server omega runs behind) and g++. Safe to re-run: installs only what is
# missing. The test suite never runs this.
# Lighttpd's package may start a system-wide server on port 80; the bench
# does not use it (it runs its own on a free port) and leaves it alone.
set -euo pipefail
pkgs=(xapian-omega xapian-tools poppler-utils wrk time lighttpd g++ curl)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && { echo "bench: all benchmark packages installed"; exit 0; }
echo "bench: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "bench: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
