#!/usr/bin/env bash
# bench/run.sh: Civitas against Xapian Omega and the raw-Xapian limits, side
# by side on the same input in one run; writes a Markdown report.
#
# Usage: bench/run.sh [--corpus DIR] [--pdfs DIR] [--speeches TARBALL|DIR]
#                     [--speeches-limit N] [--combined] [--quick]
#                     [--out FILE] [--build DIR] [--queries N] [--rounds N]
#                     [--duration SECONDS] [--batch N] [--index-rounds N]
#                     [--no-http] [--keep]
# See bench/README.md. Everything it writes goes to a temporary directory
# (removed at the end unless --keep), except the report (--out, default
# docs/BENCHMARKS.md). Tools that are not installed are skipped with a note
# ("not installed: omindex — run bench/install-deps.sh"); the run still
# succeeds. Exit status: 0 report written, 1 a Civitas step failed, 2 usage.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cmdline="bench/run.sh"
for a in "$@"; do cmdline+=" $(printf '%q' "$a")"; done

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

corpus="" pdfs="" speeches="" speeches_limit=0 combined=0 quick=0
out="$repo/docs/BENCHMARKS.md" build="" n_queries=200 rounds=5 duration=10 batch=""
no_http=0 keep=0 index_rounds=1 n_slowest=5
while [[ $# -gt 0 ]]; do
  case $1 in
    --corpus) corpus=${2:?}; shift 2 ;;
    --pdfs) pdfs=${2:?}; shift 2 ;;
    --speeches) speeches=${2:?}; shift 2 ;;
    --speeches-limit) speeches_limit=${2:?}; shift 2 ;;
    --combined) combined=1; shift ;;
    --quick) quick=1; shift ;;
    --out) out=${2:?}; shift 2 ;;
    --build) build=${2:?}; shift 2 ;;
    --queries) n_queries=${2:?}; shift 2 ;;
    --rounds) rounds=${2:?}; shift 2 ;;
    --duration) duration=${2:?}; shift 2 ;;
    --batch) batch=${2:?}; shift 2 ;;
    --index-rounds) index_rounds=${2:?}; shift 2 ;;
    --no-http) no_http=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    *) echo "bench/run.sh: unknown option $1" >&2; usage ;;
  esac
done
if [[ -z $corpus && -z $pdfs && -z $speeches ]]; then corpus="$repo/corpus"; fi
[[ $index_rounds =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: --index-rounds wants a whole number from 1" >&2; usage; }
if [[ $quick -eq 1 ]]; then n_queries=30; rounds=1; duration=1; fi

cores=$(nproc)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
tmp=$(mktemp -d -t civitas-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  if [[ $keep -eq 1 ]]; then echo "bench: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf 'bench: %s\n' "$*" >&2; }
notes=()
note() { notes+=("$1"); log "$1"; }
# CIV_BENCH_WITHOUT="omindex wrk ...": treat these as not installed (to try
# the fresh-machine path of the harness on a machine that has them).
have() { [[ " ${CIV_BENCH_WITHOUT:-} " != *" $1 "* ]] && command -v "$1" >/dev/null 2>&1; }
missing() { note "not installed: $1 — run bench/install-deps.sh"; }

# ---- build ----------------------------------------------------------------
if [[ -z $build ]]; then
  build="$repo/build-bench"
  log "building Release in $build"
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCIV_TESTS=OFF >/dev/null &&
    cmake --build "$build" -j"$cores" >"$tmp/build.log" 2>&1 ||
    { cat "$tmp/build.log" >&2; log "build failed"; exit 1; }
fi
civ_index="$build/indexer/civitas-index"
civ_searchd="$build/searchd/civitas-searchd"
raw_indexer="$build/bench/raw_indexer"
raw_search="$build/bench/raw_search"
civ_search_bench="$build/bench/civ_search_bench"
[[ -x $civ_index ]] || { log "no $civ_index: build first"; exit 1; }
for b in "$raw_indexer" "$raw_search"; do
  [[ -x $b ]] || { log "no $b: build first"; exit 1; }
done

# ---- helpers ----------------------------------------------------------------
have_time=0
if [[ -x /usr/bin/time && " ${CIV_BENCH_WITHOUT:-} " != *" time "* ]]; then have_time=1; else
  note "not installed: time (/usr/bin/time) — run bench/install-deps.sh; peak RSS not measured"
fi

# timed NAME CMD...: run CMD, output to $tmp/log.NAME; leaves "wall user sys
# maxrss_kb" in $tmp/time.NAME (maxrss 0 when /usr/bin/time is missing).
# CPU times include every child the command waited for.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
clk_tck=$(getconf CLK_TCK 2>/dev/null || echo 100)
timed() {
  local name=$1; shift
  local rc b0
  b0=$(busy_ticks)
  if [[ $have_time -eq 1 ]]; then
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/time.$name" "$@" >"$tmp/log.$name" 2>&1
    rc=$?
    # GNU time prefixes "Command exited with non-zero status N".
    tail -n 1 "$tmp/time.$name" >"$tmp/time.$name.1" && mv "$tmp/time.$name.1" "$tmp/time.$name"
  else
    local TIMEFORMAT='%R %U %S'
    { time "$@" >"$tmp/log.$name" 2>&1; } 2>"$tmp/time.$name.raw"
    rc=$?
    echo "$(tail -n 1 "$tmp/time.$name.raw") 0" >"$tmp/time.$name"
  fi
  # CPU the whole machine spent meanwhile (ours included), to spot
  # other load on a shared machine.
  echo "$(( $(busy_ticks) - b0 )) $clk_tck" >"$tmp/busy.$name"
  return $rc
}

declare -A R   # results: R[set.key]=value
put_time() {   # put_time SET TOOL: R[set.tool.wall|cpu|rss_mb]
  local wall user sys rss
  read -r wall user sys rss <"$tmp/time.$1.$2"
  R[$1.$2.wall]=$wall
  R[$1.$2.cpu]=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u + s}')
  R[$1.$2.rss]=$(awk -v k="$rss" 'BEGIN{ if (k > 0) printf "%.0f", k / 1024; else print "n/a" }')
  local ticks hz
  read -r ticks hz <"$tmp/busy.$1.$2"
  R[$1.$2.other]=$(awk -v t="$ticks" -v hz="$hz" -v own="${R[$1.$2.cpu]}" \
    'BEGIN{ o = t / hz - own; printf "%.1f", o < 0 ? 0 : o }')
}
# keep_fastest SET TOOL ROUND: after `timed SET.TOOL.rROUND`, make that
# round the tool's measurement (time, busy and log files, read by put_time
# and the report) when its wall time is the lowest so far, and list every
# round's wall time in R[SET.TOOL.walls].
keep_fastest() {
  local name="$1.$2" r=$3 wall best f
  read -r wall _ <"$tmp/time.$name.r$r"
  R[$name.walls]+="${R[$name.walls]:+, }$wall"
  best=$(cut -d' ' -f1 "$tmp/time.$name" 2>/dev/null)
  if [[ -z $best ]] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
    for f in time busy log; do cp "$tmp/$f.$name.r$r" "$tmp/$f.$name"; done
  fi
}
size_mb() { du -sk "$1" 2>/dev/null | awk '{printf "%.1f", $1 / 1024}'; }
# calc EXPR with variables a, b, c: prints n/a when an operand is missing.
calc() {
  local expr=$1 a=${2:-} b=${3:-} c=${4:-}
  for v in "$a" "$b" "$c"; do [[ $v == n/a ]] && { echo n/a; return; }; done
  awk -v a="${a:-0}" -v b="${b:-0}" -v c="${c:-0}" "BEGIN{ $expr }"
}
ratio() { calc 'if (b > 0 && a > 0) printf "%.2fx", a / b; else print "n/a"' "$1" "$2"; }
per_s() { calc 'if (b > 0) printf "%.1f", a / b; else print "n/a"' "$1" "$2"; }
val() { echo "${R[$1]:-n/a}"; }

# free_port: set PORT to a port nothing listens on. Not called as $(...):
# RANDOM would not advance in the parent, and two servers would get the
# same port.
free_port() {
  local p
  for _ in $(seq 50); do
    # Below Linux's ephemeral range (32768 and up): wrk's closed client
    # connections linger there in TIME_WAIT and make a server's bind fail.
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then PORT=$p; return; fi
  done
  PORT=0
}
wait_http() {  # wait_http URL: up to 10 s
  for _ in $(seq 100); do
    if have curl; then curl -fs -o /dev/null "$1" && return 0
    else (exec 3<>"/dev/tcp/127.0.0.1/${1##*:}") 2>/dev/null && return 0; fi
    sleep 0.1
  done
  return 1
}

# ---- inputs -----------------------------------------------------------------
set_ids=() ; declare -A SET_DIR SET_TITLE
add_set() { set_ids+=("$1"); SET_DIR[$1]=$2; SET_TITLE[$1]=$3; }
shown() {  # a path as the report shows it: relative to the repo when under it
  case $1 in "$repo"/*) echo "${1#"$repo"/}" ;; "$repo") echo . ;; *) basename "$1" ;; esac
}
if [[ -n $corpus ]]; then
  [[ -d $corpus ]] || { log "--corpus $corpus: not a directory"; exit 2; }
  add_set corpus "$(cd "$corpus" && pwd)" "Mixed corpus ($(shown "$(cd "$corpus" && pwd)"))"
fi
if [[ -n $pdfs ]]; then
  [[ -d $pdfs ]] || { log "--pdfs $pdfs: not a directory"; exit 2; }
  add_set pdfs "$(cd "$pdfs" && pwd)" "UN PDFs ($(shown "$(cd "$pdfs" && pwd)"))"
fi
if [[ -n $speeches ]]; then
  # Inputs live apart from the per-set work directories ($tmp/ID), so no
  # tool ever indexes another tool's output.
  sp="$tmp/input/speeches"
  mkdir -p "$sp"
  if [[ -f $speeches ]]; then
    log "unpacking $speeches"
    tar -xf "$speeches" -C "$sp" || { log "cannot unpack $speeches"; exit 2; }
  elif [[ -d $speeches ]]; then
    cp -r "$speeches/." "$sp/"
  else
    log "--speeches $speeches: no such file or directory"; exit 2
  fi
  find "$sp" -type f -name '*.txt' ! -name '.*' | sort >"$tmp/speeches.all"
  n_all=$(wc -l <"$tmp/speeches.all")
  title="General Debate speeches ($(shown "$speeches"), all $n_all)"
  if [[ $speeches_limit -gt 0 && $speeches_limit -lt $n_all ]]; then
    # An evenly spaced subset: every country and decade stays represented.
    awk -v n="$n_all" -v k="$speeches_limit" \
      'BEGIN{ srand(1) } { if (int((NR - 1) * k / n) != int(NR * k / n)) keep[NR] = 1 }
       !(NR in keep) { print }' "$tmp/speeches.all" | tr '\n' '\0' | xargs -0 rm -f
    title="General Debate speeches ($(shown "$speeches"), subset: $speeches_limit of $n_all, evenly spaced)"
  fi
  add_set speeches "$sp" "$title"
fi

# ---- one input set ------------------------------------------------------------

# index_round ID DIR WORKDIR ROUND: one round of every indexing tool on a
# set; each tool's fastest round is kept (keep_fastest).
index_round() {
  local id=$1 dir=$2 s=$3 r=$4
  # Extraction limit: pdftotext alone, on every core.
  : >"$s/raw.list"
  if [[ ${R[$id.n_pdfs]} -gt 0 ]]; then
    if have pdftotext; then
      log "[$id] pdftotext alone, -P$cores"
      rm -rf "$s/text" && mkdir -p "$s/text"
      tr '\n' '\0' <"$s/pdfs" |
        timed "$id.extract.r$r" xargs -0 -P "$cores" -n 8 bash -c \
          'for f; do pdftotext -q -enc UTF-8 "$f" "$0/${f//\//_}.txt"; done' "$s/text"
      keep_fastest "$id" extract "$r"
      find "$s/text" -name '*.txt' | sort | sed 's/^/pdf\t/' >>"$s/raw.list"
    else
      [[ $r -eq 1 ]] && missing "pdftotext (poppler-utils)"
    fi
  fi
  sed 's/^/text\t/' "$s/txts" >>"$s/raw.list"
  R[$id.text_mb]=$(cut -f2 "$s/raw.list" | tr '\n' '\0' | xargs -0 -r cat | wc -c |
                   awk '{ printf "%.2f", $1 / 1048576 }')
  R[$id.other_files]=$(( ${R[$id.files]} - ${R[$id.n_pdfs]} - $(wc -l <"$s/txts") ))

  # Writing limit: the raw-Xapian indexer on the same text, doing the same
  # Xapian work as civitas-index's defaults: spelling dictionary on, a
  # commit every 2000 passages (civitas-index --batch-passages).
  if [[ -s $s/raw.list ]]; then
    log "[$id] raw Xapian indexer"
    rm -rf "$s/raw-db"
    if timed "$id.raw.r$r" "$raw_indexer" --db "$s/raw-db" --spelling --commit 2000 --list "$s/raw.list"; then
      keep_fastest "$id" raw "$r"
    else
      note "raw_indexer failed on $id: $(tail -n 2 "$tmp/log.$id.raw.r$r")"
    fi
  fi

  # Omega's indexer, as shipped (PDFs through pdfinfo + pdftotext).
  if have omindex; then
    log "[$id] omindex"
    rm -rf "$s/omega" && mkdir -p "$s/omega"
    timed "$id.omindex.r$r" omindex --db "$s/omega/default" --url / "$dir"
    keep_fastest "$id" omindex "$r"
  elif [[ $r -eq 1 ]]; then
    missing omindex
  fi

  # Civitas.
  log "[$id] civitas-index"
  local extra=()
  [[ -n $batch ]] && extra=(--batch "$batch")
  rm -rf "$s/civ-db"
  timed "$id.civ.r$r" "$civ_index" --db "$s/civ-db" -q --no-progress "${extra[@]}" "$dir"
  local rc=$?
  if [[ $rc -gt 1 ]]; then
    note "civitas-index exited $rc on $id: $(tail -n 3 "$tmp/log.$id.civ.r$r")"
    return 1
  fi
  keep_fastest "$id" civ "$r"
  return 0
}

# index_set ID: extraction limit, raw-Xapian limit, omindex, civitas-index.
index_set() {
  local id=$1 dir=${SET_DIR[$1]} s="$tmp/$1"
  mkdir -p "$s/text"
  find "$dir" -type f ! -name '.*' | sort >"$s/files"
  grep -iE '\.(txt|text|md)$' "$s/files" >"$s/txts" || true
  # PDFs by content, as civitas-index finds them (some UN PDFs have no
  # extension); files named as text, XML or HTML are not opened.
  grep -viE '\.(txt|text|md|xml|html?)$' "$s/files" | while IFS= read -r f; do
    [[ $(head -c 4 "$f" 2>/dev/null) == %PDF ]] && printf '%s\n' "$f"
  done >"$s/pdfs"
  R[$id.files]=$(wc -l <"$s/files")
  R[$id.n_pdfs]=$(wc -l <"$s/pdfs")
  R[$id.input_mb]=$(size_mb "$dir")
  local pages=0
  if [[ ${R[$id.n_pdfs]} -gt 0 ]]; then
    if have pdfinfo; then
      pages=$(tr '\n' '\0' <"$s/pdfs" | xargs -0 -n 1 pdfinfo 2>/dev/null |
              awk '/^Pages:/ { n += $2 } END { print n + 0 }')
    else
      missing pdfinfo
    fi
  fi
  R[$id.pages]=$pages

  # With --index-rounds N every tool indexes N times, the tools taking
  # turns (extraction, raw, omindex, civitas; again), and the fastest of a
  # tool's rounds is its measurement: this machine's speed drifts within
  # minutes, and turns keep a slow spell from landing on one tool alone.
  local r
  for ((r = 1; r <= index_rounds; r++)); do
    [[ $index_rounds -gt 1 ]] && log "[$id] indexing round $r of $index_rounds"
    index_round "$id" "$dir" "$s" "$r" || return 1
  done
  # Times from each tool's fastest round; sizes and counts from the indexes
  # left by the last one, which compaction and the searches use.
  [[ -f $tmp/time.$id.extract ]] && put_time "$id" extract
  if [[ -f $tmp/time.$id.raw ]]; then
    put_time "$id" raw
    R[$id.raw.docs]=$(awk '/^files/ { print $4 }' "$tmp/log.$id.raw")
    R[$id.raw.size]=$(size_mb "$s/raw-db")
  fi
  if [[ -f $tmp/time.$id.omindex ]]; then
    put_time "$id" omindex
    R[$id.omindex.size]=$(size_mb "$s/omega/default")
    if have xapian-delve; then
      R[$id.omindex.docs]=$(xapian-delve "$s/omega/default" 2>/dev/null |
                            awk -F' = ' '/^number of documents/ { print $2 }')
    fi
  fi
  put_time "$id" civ
  R[$id.civ.size]=$(size_mb "$s/civ-db")
  R[$id.civ.docs]=$(sed -n 's/.*; \([0-9]*\) passages;.*/\1/p' "$tmp/log.$id.civ" | tail -n 1)
  R[$id.civ.summary]=$(grep -E '^(done|interrupted|by reason)' "$tmp/log.$id.civ" | tr '\n' ' ')
  compact_set "$id" "$s"
  return 0
}

# memory_growth ID: civitas-index again on every 8th and every other file of
# the set (evenly spaced, so every kind of file stays represented), for its
# peak memory beside the whole set's: the indexer's memory must not grow
# with the corpus. Not in any indexing time above.
memory_growth() {
  local id=$1 s="$tmp/$1" k list=()
  local extra=()
  [[ -n $batch ]] && extra=(--batch "$batch")
  for k in 8 2; do
    awk -v k="$k" 'NR % k == 1' "$s/files" >"$s/growth.$k"
    [[ -s $s/growth.$k ]] || continue
    mapfile -t list <"$s/growth.$k"
    log "[$id] civitas-index on 1 file in $k (memory)"
    rm -rf "$s/civ-growth"
    if ! timed "$id.growth$k" "$civ_index" --db "$s/civ-growth" -q --no-progress "${extra[@]}" "${list[@]}"; then
      note "civitas-index on 1 file in $k of $id failed: $(tail -n 2 "$tmp/log.$id.growth$k")"
      continue
    fi
    put_time "$id" "growth$k"
    R[$id.growth$k.files]=${#list[@]}
    R[$id.growth$k.input_mb]=$(tr '\n' '\0' <"$s/growth.$k" | du -ck --files0-from=- 2>/dev/null |
                                 awk 'END { printf "%.1f", $1 / 1024 }')
    R[$id.growth$k.docs]=$(sed -n 's/.*; \([0-9]*\) passages;.*/\1/p' "$tmp/log.$id.growth$k" | tail -n 1)
  done
  rm -rf "$s/civ-growth"
}

# compact_set ID DIR: compact every index the searches will read, as the
# README advises after a first build: civitas-index --compact (timed on its
# own, not in the indexing time), xapian-compact for the raw and Omega
# databases, so that no engine searches a fuller index than another.
compact_set() {
  local id=$1 s=$2 db
  log "[$id] compacting the indexes"
  if timed "$id.compact" "$civ_index" --db "$s/civ-db" --compact -q; then
    put_time "$id" compact
    R[$id.compact.size]=$(size_mb "$s/civ-db")
  else
    note "civitas-index --compact failed on $id: $(tail -n 2 "$tmp/log.$id.compact")"
  fi
  have xapian-compact || { missing "xapian-compact (xapian-tools)"; return; }
  for db in "$s/raw-db" "$s/omega/default"; do
    [[ -d $db ]] || continue
    xapian-compact "$db" "$db.compact" >/dev/null 2>&1 && rm -rf "$db" && mv "$db.compact" "$db"
  done
}

# url_paths KIND < queries.tsv: URL paths for civitas or omega.
url_paths() {
  awk -F'\t' -v kind="$1" '
    BEGIN { for (i = 0; i < 256; i++) ord[sprintf("%c", i)] = i }
    function enc(s,    o, i, c) {
      o = ""
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c ~ /[A-Za-z0-9_.~-]/) o = o c
        else if (c == " ") o = o "+"
        else o = o sprintf("%%%02X", ord[c])
      }
      return o
    }
    {
      fmt = ""
      if (match($2, /format=[a-z-]+/)) fmt = substr($2, RSTART + 7, RLENGTH - 7)
      if (kind == "civ") {
        print "/api/search?q=" enc($1) (fmt != "" ? "&format=" fmt : "")
      } else {
        mime = fmt == "pdf" ? "application/pdf" : fmt == "text" ? "text/plain" : fmt == "html" ? "text/html" : ""
        print "/cgi-bin/omega?P=" enc($1) (mime != "" ? "&B=T" enc(mime) : "")
      }
    }'
}

# process_ticks PID: CPU clock ticks of the process (all its threads) and of
# the children it has waited for (lighttpd's CGI processes).
process_ticks() {
  sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }'
}

# wrk_run ID SERVER URL PATHS PID: wrk at 1, 16 and 64 connections against
# the server whose process is PID.
wrk_run() {
  local id=$1 server=$2 url=$3 paths=$4 pid=$5 c t
  for c in 1 16 64; do
    t=$(( c < cores ? c : cores ))
    log "[$id] wrk $server -c$c -d${duration}s"
    local ticks0
    ticks0=$(process_ticks "$pid")
    BENCH_PATHS=$paths wrk -t"$t" -c"$c" -d"${duration}s" --timeout 10s --latency \
      -s "$repo/bench/wrk_queries.lua" "$url" >"$tmp/log.$id.wrk.$server.$c" 2>&1
    local line ticks1
    ticks1=$(process_ticks "$pid")
    line=$(grep '^BENCH ' "$tmp/log.$id.wrk.$server.$c")
    if [[ -z $line ]]; then
      note "wrk failed against $server at $c connections: $(tail -n 2 "$tmp/log.$id.wrk.$server.$c")"
      continue
    fi
    R[$id.http.$server.$c.rps]=$(awk '{ for (i = 2; i < NF; i += 2) if ($i == "rps") print $(i + 1) }' <<<"$line")
    R[$id.http.$server.$c.p50]=$(awk '{ for (i = 2; i < NF; i += 2) if ($i == "p50_us") printf "%.2f", $(i + 1) / 1000 }' <<<"$line")
    R[$id.http.$server.$c.p99]=$(awk '{ for (i = 2; i < NF; i += 2) if ($i == "p99_us") printf "%.2f", $(i + 1) / 1000 }' <<<"$line")
    R[$id.http.$server.$c.err]=$(awk '{ n = 0; for (i = 2; i < NF; i += 2) if ($i ~ /^errors_/) n += $(i + 1); print n }' <<<"$line")
    # The server's CPU per request: unlike requests/s, it does not turn on
    # how the cores were shared with wrk.
    R[$id.http.$server.$c.cpu]=$(awk -v t0="${ticks0:-}" -v t1="${ticks1:-}" -v hz="$clk_tck" '{
        for (i = 2; i < NF; i += 2) if ($i == "requests") n = $(i + 1)
        if (t0 == "" || t1 == "" || n < 1) print "n/a"; else printf "%.3f", (t1 - t0) * 1000 / hz / n
      }' <<<"$line")
  done
}

# searchd_run ID SERVER [OPTION...]: civitas-searchd with these options
# under wrk_run; its memory into R[ID.SERVER.rss0|hwm|threads].
searchd_run() {
  local id=$1 server=$2 s="$tmp/$1" port pid
  shift 2
  free_port; port=$PORT
  # All of wrk's connections come from 127.0.0.1: lift the per-address cap.
  "$civ_searchd" --db "$s/civ-db" --listen "127.0.0.1:$port" --no-access-log \
    --max-connections-per-ip 256 "$@" >"$tmp/log.$id.searchd.$server" 2>&1 &
  pid=$!
  pids+=("$pid")
  if wait_http "http://127.0.0.1:$port/api/search?q=rights"; then
    R[$id.$server.rss0]=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
    wrk_run "$id" "$server" "http://127.0.0.1:$port" "$s/paths.civ" "$pid"
    R[$id.$server.hwm]=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
    R[$id.$server.threads]=$(awk '/^Threads/ { print $2 }' "/proc/$pid/status")
  else
    note "civitas-searchd did not answer: $(tail -n 2 "$tmp/log.$id.searchd.$server")"
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
}

# search_set ID: query set, in-process latency, HTTP throughput.
search_set() {
  local id=$1 s="$tmp/$1" m
  if [[ ! -s $s/raw.list ]]; then
    note "no text to draw queries from in $id: search skipped"
    return 0
  fi
  "$repo/bench/gen_queries.sh" "$s/raw.list" "$n_queries" >"$s/queries.tsv"
  R[$id.queries]=$(wc -l <"$s/queries.tsv")
  cp "$s/queries.tsv" "$tmp/queries.$id.tsv"

  if [[ -x $civ_search_bench ]]; then
    for m in document passage; do
      log "[$id] in-process civitas search, group=$m"
      "$civ_search_bench" --db "$s/civ-db" --queries "$s/queries.tsv" --rounds "$rounds" \
        --group "$m" --slowest "$n_slowest" >"$tmp/log.$id.search.civ.$m" 2>&1 ||
        note "civ_search_bench failed: $(tail -n 1 "$tmp/log.$id.search.civ.$m")"
    done
  else
    note "civ_search_bench not built (lib/civ_search.h missing): civitas in-process search skipped"
  fi
  if [[ -d $s/raw-db ]]; then
    log "[$id] in-process raw Xapian search"
    "$raw_search" --db "$s/raw-db" --queries "$s/queries.tsv" --rounds "$rounds" \
      >"$tmp/log.$id.search.raw" 2>&1 || note "raw_search failed: $(tail -n 1 "$tmp/log.$id.search.raw")"
  fi

  [[ $no_http -eq 1 ]] && return 0
  if ! have wrk; then missing wrk; return 0; fi
  url_paths civ <"$s/queries.tsv" >"$s/paths.civ"
  url_paths omega <"$s/queries.tsv" >"$s/paths.omega"

  if [[ -x $civ_searchd ]]; then
    # civ: as deployed (its search cache on: the query list repeats, so
    # after the first pass nearly every search is a cache hit); civnc:
    # with the cache off, every request runs its search.
    searchd_run "$id" civ
    searchd_run "$id" civnc --cache-mb 0
  else
    note "civitas-searchd not built: its HTTP run skipped"
  fi

  local omega_cgi=/usr/lib/cgi-bin/omega/omega templates=/usr/share/xapian-omega/templates
  if [[ ! -x $omega_cgi ]] || ! have omindex; then missing "omega (xapian-omega)"; return 0; fi
  if ! have lighttpd; then missing "lighttpd (the CGI server for omega)"; return 0; fi
  if [[ ! -d $s/omega/default ]]; then return 0; fi
  local port pid w="$s/www"
  free_port; port=$PORT
  mkdir -p "$w/cgi-bin" "$s/omega-log"
  ln -sf "$omega_cgi" "$w/cgi-bin/omega"
  printf 'database_dir %s\ntemplate_dir %s\nlog_dir %s\ncdb_dir %s\n' \
    "$s/omega" "$templates" "$s/omega-log" "$s/omega" >"$s/omega.conf"
  cat >"$s/lighttpd.conf" <<EOF
server.modules = ("mod_cgi", "mod_setenv")
server.document-root = "$w"
server.bind = "127.0.0.1"
server.port = $port
server.errorlog = "$s/lighttpd.err"
server.pid-file = "$s/lighttpd.pid"
server.max-connections = 1024
server.max-fds = 4096
setenv.add-environment = ("OMEGA_CONFIG_FILE" => "$s/omega.conf")
\$HTTP["url"] =~ "^/cgi-bin/" { cgi.assign = ("" => "") }
EOF
  lighttpd -D -f "$s/lighttpd.conf" >"$tmp/log.$id.lighttpd" 2>&1 &
  pid=$!
  pids+=("$pid")
  if wait_http "http://127.0.0.1:$port/cgi-bin/omega?P=rights"; then
    if [[ $have_time -eq 1 ]]; then
      # One omega process's peak RSS (each request is a new process).
      (cd "$s" && OMEGA_CONFIG_FILE="$s/omega.conf" REQUEST_METHOD=GET QUERY_STRING="P=rights" \
         /usr/bin/time -f "%M" -o "$tmp/time.$id.omega1" "$omega_cgi" >/dev/null 2>&1)
      R[$id.omega.rss]=$(awk '{ printf "%.0f", $1 / 1024 }' "$tmp/time.$id.omega1")
    fi
    wrk_run "$id" omega "http://127.0.0.1:$port" "$s/paths.omega" "$pid"
  else
    note "lighttpd + omega did not answer: $(tail -n 2 "$tmp/log.$id.lighttpd" "$s/lighttpd.err" 2>/dev/null)"
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  return 0
}

# ---- run ----------------------------------------------------------------------
status=0
for id in "${set_ids[@]}"; do
  if index_set "$id"; then memory_growth "$id"; search_set "$id"; else status=1; fi
done

if [[ $combined -eq 1 && -n $pdfs && -n $speeches ]]; then
  # Scale: everything in one Civitas index, as a real archive would be.
  log "[combined] civitas-index over PDFs and speeches"
  s="$tmp/combined"; mkdir -p "$s"
  extra=(); [[ -n $batch ]] && extra=(--batch "$batch")
  timed combined.civ "$civ_index" --db "$s/civ-db" -q --no-progress "${extra[@]}" \
    "${SET_DIR[pdfs]}" "${SET_DIR[speeches]}"
  put_time combined civ
  R[combined.civ.size]=$(size_mb "$s/civ-db")
  R[combined.civ.docs]=$(sed -n 's/.*; \([0-9]*\) passages;.*/\1/p' "$tmp/log.combined.civ" | tail -n 1)
  R[combined.files]=$(( ${R[pdfs.files]} + ${R[speeches.files]} ))
  R[combined.text_mb]=$(calc 'printf "%.2f", a + b' "${R[pdfs.text_mb]}" "${R[speeches.text_mb]}")
  compact_set combined "$s"
  cat "$tmp/pdfs/raw.list" "$tmp/speeches/raw.list" >"$s/raw.list"
  search_set combined
fi

# ---- report -------------------------------------------------------------------
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
[[ -z $cpu_model ]] && cpu_model=$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')
ram_gb=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
ver_xapian=$(xapian-config --version 2>/dev/null | awk '{ print $NF }')
[[ -z $ver_xapian ]] && ver_xapian=$(pkg-config --modversion xapian-core 2>/dev/null)
ver_poppler=$(pkg-config --modversion poppler-glib 2>/dev/null)
ver_pdftotext=$(pdftotext -v 2>&1 | awk 'NR == 1 { print $NF }')
ver_omega=$(omindex --version 2>/dev/null | awk '{ print $NF }')
ver_wrk=$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')
ver_lighttpd=$(lighttpd -v 2>/dev/null | awk 'NR == 1 { print $1 }')
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null)
grep -q '^CIV_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null && build_type+=", sanitizers on"
ver_civ=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null)
[[ -n $(git -C "$repo" status --porcelain 2>/dev/null | head -n 1) ]] && ver_civ+=" + uncommitted changes"

search_field() {  # search_field LOGFILE KEY
  [[ -f $1 ]] || { echo n/a; return; }
  awk -v k="$2" '{ for (i = 1; i < NF; i += 2) if ($i == k) { print $(i + 1); exit } }' "$1" |
    grep . || echo n/a
}

# The pipeline limit's wall time for set $1: (CPU s of extraction alone +
# CPU s of the raw indexer) / cores, or n/a without both.
pipeline_limit() {
  if [[ -n ${R[$1.extract.cpu]:-} && -n ${R[$1.raw.cpu]:-} ]]; then
    calc 'printf "%.2f", (a + b) / c' "${R[$1.extract.cpu]}" "${R[$1.raw.cpu]}" "$cores"
  else
    echo n/a
  fi
}

report_indexing() {
  local id=$1 mb=${R[$1.text_mb]:-0} pages=${R[$1.pages]:-0}
  echo "| tool | wall s | CPU s (user+sys) | CPU use | other CPU s | files/s | pages/s | Xapian docs | docs/s | text MB/s | peak RSS MB | index MB | throughput vs omindex | vs raw Xapian | vs pipeline limit |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  local limit_wall; limit_wall=$(pipeline_limit "$id")
  R[$id.limit.wall]=$limit_wall
  local tool label wall cpu files pages_s docs docs_s
  for tool in extract raw limit omindex civ; do
    case $tool in
      extract) label="pdftotext alone, xargs -P$cores (extraction limit)" ;;
      raw) label="raw Xapian indexer on the same text (writing limit)" ;;
      limit) label="**pipeline limit**: (CPU extract + CPU raw) / $cores cores" ;;
      omindex) label="omindex (Omega $ver_omega, as shipped)" ;;
      civ) label="**civitas-index**" ;;
    esac
    wall=${R[$id.$tool.wall]:-}
    [[ -z $wall || $wall == n/a ]] && continue
    cpu=${R[$id.$tool.cpu]:-n/a}
    files=$([[ $tool == extract ]] && echo "${R[$id.n_pdfs]}" || echo "${R[$id.files]}")
    [[ $tool == raw ]] && files=$(wc -l <"$tmp/$id/raw.list")
    docs=${R[$id.$tool.docs]:-n/a}
    [[ $tool == extract || $tool == limit ]] && docs="-"
    [[ $tool == omindex ]] && docs="${docs} (files)"
    docs_s=$(per_s "${R[$id.$tool.docs]:-n/a}" "$wall")
    [[ $tool == extract || $tool == limit ]] && docs_s="-"
    local vs_om=n/a vs_raw=n/a vs_lim=n/a
    [[ -n ${R[$id.omindex.wall]:-} ]] && vs_om=$(ratio "${R[$id.omindex.wall]}" "$wall")
    [[ -n ${R[$id.raw.wall]:-} ]] && vs_raw=$(ratio "${R[$id.raw.wall]}" "$wall")
    vs_lim=$(ratio "$limit_wall" "$wall")
    local use; use=$(calc 'if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a"' "$cpu" "$wall")
    local other=${R[$id.$tool.other]:--}
    [[ $tool == limit ]] && { cpu="-"; use="-"; }
    local pages_s=-
    [[ $pages -gt 0 ]] && pages_s=$(per_s "$pages" "$wall")
    echo "| $label | $wall | $cpu | $use | $other | $(per_s "$files" "$wall") | $pages_s | $docs | $docs_s | $(per_s "$mb" "$wall") | ${R[$id.$tool.rss]:--} | ${R[$id.$tool.size]:--} | $vs_om | $vs_raw | $vs_lim |"
  done
}

report_compaction() {
  local id=$1 size=${R[$1.civ.size]:-}
  [[ -n ${R[$id.compact.wall]:-} ]] || return 0
  echo
  echo "Then \`civitas-index --compact\`: ${R[$id.compact.wall]} s wall, ${R[$id.compact.cpu]} s CPU, index ${size} MB to ${R[$id.compact.size]} MB ($(calc 'printf "%.0f%%", 100 * (1 - b / a)' "$size" "${R[$id.compact.size]}") smaller), peak RSS ${R[$id.compact.rss]} MB. Not in the indexing times above. Every index searched below is compacted: Civitas's so, raw Xapian's and Omega's with \`xapian-compact\`."
}

report_memory() {
  local id=$1 k
  [[ -n ${R[$id.growth8.rss]:-}${R[$id.growth2.rss]:-} ]] || return 0
  echo
  echo "Indexer memory against the size of the corpus (\`civitas-index\` again on evenly spaced parts of this set, each into a new index; not in the times above):"
  echo
  echo "| civitas-index over | files | MB on disk | passages | wall s | peak RSS MB |"
  echo "|---|---:|---:|---:|---:|---:|"
  for k in 8 2; do
    [[ -n ${R[$id.growth$k.rss]:-} ]] || continue
    echo "| $([[ $k == 2 ]] && echo "every other file" || echo "every ${k}th file") | ${R[$id.growth$k.files]} | ${R[$id.growth$k.input_mb]} | ${R[$id.growth$k.docs]:-n/a} | ${R[$id.growth$k.wall]} | ${R[$id.growth$k.rss]} |"
  done
  echo "| every file (the run above) | ${R[$id.files]} | ${R[$id.input_mb]} | ${R[$id.civ.docs]:-n/a} | ${R[$id.civ.wall]} | ${R[$id.civ.rss]} |"
}

report_search() {
  local id=$1 f
  echo "| engine | queries x rounds | p50 ms | p90 ms | p99 ms | mean ms | hits/query | snippets/query | p50 vs raw | p99 vs raw |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  local raw_log="$tmp/log.$id.search.raw"
  local rp50 rp99
  rp50=$(search_field "$raw_log" p50_ms); rp99=$(search_field "$raw_log" p99_ms)
  for f in raw civ.passage civ.document; do
    local lg="$tmp/log.$id.search.$f" label
    [[ -f $lg ]] || continue
    case $f in
      raw) label="raw Xapian: Enquire top 10 + MSet::snippet each (SNIPPET_EXHAUSTIVE)" ;;
      civ.passage) label="civitas civ_search_run, group=passage (10 passages, snippets + citations)" ;;
      civ.document) label="civitas civ_search_run, group=document (API default: 10 documents x up to 3 passages, 5 facets)" ;;
    esac
    local p50 p99
    p50=$(search_field "$lg" p50_ms); p99=$(search_field "$lg" p99_ms)
    local sn; sn=$(search_field "$lg" snippets_mean); [[ $f == raw ]] && sn=$(search_field "$lg" hits_mean)
    echo "| $label | $(search_field "$lg" queries) x $rounds | $p50 | $(search_field "$lg" p90_ms) | $p99 | $(search_field "$lg" mean_ms) | $(search_field "$lg" hits_mean) | $sn | $(ratio "$p50" "$rp50") | $(ratio "$p99" "$rp99") |"
  done
  # Where the tail comes from: civ_search_bench --slowest lines,
  # "slow <ms> ms  <query>[  <filters>]".
  for f in civ.document civ.passage; do
    local lg="$tmp/log.$id.search.$f"
    grep -q '^slow ' "$lg" 2>/dev/null || continue
    echo
    echo -n "Slowest queries, group=${f#civ.} (each its fastest round): "
    awk '/^slow / { ms = $2; sub(/^slow +[0-9.]+ ms  /, ""); printf "%s`%s` %s ms", (n++ ? "; " : ""), $0, ms }' "$lg"
    echo "."
  done
}

report_http() {
  local id=$1 c srv
  echo "| server | connections | requests/s | p50 ms | p99 ms | errors | server CPU ms/request | req/s vs omega |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for srv in civ civnc omega; do
    for c in 1 16 64; do
      local rps=${R[$id.http.$srv.$c.rps]:-}
      [[ -z $rps ]] && continue
      local label
      case $srv in
      civ) label="**civitas-searchd** (/api/search, JSON; search cache on, as deployed)" ;;
      civnc) label="**civitas-searchd** \`--cache-mb 0\` (every request searches)" ;;
      *) label="omega $ver_omega CGI behind lighttpd $ver_lighttpd (default query template)" ;;
      esac
      echo "| $label | $c | $rps | ${R[$id.http.$srv.$c.p50]} | ${R[$id.http.$srv.$c.p99]} | ${R[$id.http.$srv.$c.err]} | ${R[$id.http.$srv.$c.cpu]} | $(ratio "$rps" "${R[$id.http.omega.$c.rps]:-n/a}") |"
    done
  done
}

# Targets of issue 6, checked on the numbers above.
report_targets() {
  echo "| target | set | measured | met |"
  echo "|---|---|---:|:-:|"
  local id v limit
  met() { calc "if (a $2 b) print \"yes\"; else print \"**no**\"" "$1" "$3"; }
  for id in "${set_ids[@]}"; do
    [[ -n ${R[$id.civ.wall]:-} ]] || continue
    if [[ ${R[$id.n_pdfs]:-0} -gt 0 && -n ${R[$id.omindex.wall]:-} ]]; then
      v=$(calc 'printf "%.2f", a / b' "${R[$id.omindex.wall]}" "${R[$id.civ.wall]}")
      echo "| PDF indexing >= 2x omindex | $id | ${v}x | $(met "$v" '>=' 2) |"
    fi
    # This table comes before the indexing tables: the limit is computed here.
    limit=$(pipeline_limit "$id")
    if [[ ${R[$id.n_pdfs]:-0} -gt 0 && $limit != n/a ]]; then
      v=$(calc 'printf "%.2f", a / b' "$limit" "${R[$id.civ.wall]}")
      echo "| PDF indexing >= 0.85x pipeline limit | $id | ${v}x | $(met "$v" '>=' 0.85) |"
    fi
    if [[ ${R[$id.n_pdfs]:-0} -eq 0 && -n ${R[$id.omindex.wall]:-} ]]; then
      v=$(calc 'printf "%.2f", a / b' "${R[$id.omindex.wall]}" "${R[$id.civ.wall]}")
      echo "| text MB/s >= 1.5x omindex | $id | ${v}x | $(met "$v" '>=' 1.5) |"
    fi
    if [[ ${R[$id.n_pdfs]:-0} -eq 0 && -n ${R[$id.raw.wall]:-} ]]; then
      v=$(calc 'printf "%.2f", b / a' "${R[$id.raw.wall]}" "${R[$id.civ.wall]}")
      echo "| text indexing within 1.3x of raw Xapian (time ratio) | $id | ${v}x | $(met "$v" '<=' 1.3) |"
    fi
    # Checked where the half already fills the writers' batches (2 shards of
    # 2,000 passages, civitas-index's defaults); a smaller set grows with
    # its batches.
    if [[ ${R[$id.growth2.rss]:-n/a} != n/a && ${R[$id.civ.rss]:-n/a} != n/a &&
          ${R[$id.growth2.docs]:-0} -gt 4000 ]]; then
      v=$(calc 'printf "%.2f", a / b' "${R[$id.civ.rss]}" "${R[$id.growth2.rss]}")
      echo "| indexer peak RSS bounded: every file within 1.25x of every other file | $id | ${R[$id.civ.rss]} / ${R[$id.growth2.rss]} MB (${v}x) | $(met "$v" '<=' 1.25) |"
    fi
    v=$(search_field "$tmp/log.$id.search.civ.document" p99_ms)
    [[ $v != n/a ]] && echo "| in-process search p99 < 2.5 ms (group=document) | $id | $v ms | $(met "$v" '<' 2.5) |"
    v=$(search_field "$tmp/log.$id.search.civ.passage" p99_ms)
    [[ $v != n/a ]] && echo "| in-process search p99 < 2.5 ms (group=passage) | $id | $v ms | $(met "$v" '<' 2.5) |"
    local srv how
    for srv in civ civnc; do
      [[ $srv == civ ]] && how="cache on" || how="cache off"
      if [[ -n ${R[$id.http.$srv.16.rps]:-} && -n ${R[$id.http.omega.16.rps]:-} ]]; then
        v=$(calc 'printf "%.2f", a / b' "${R[$id.http.$srv.16.rps]}" "${R[$id.http.omega.16.rps]}")
        echo "| searchd at 16 connections >= 5x omega req/s ($how) | $id | ${v}x | $(met "$v" '>=' 5) |"
      fi
      if [[ -n ${R[$id.http.$srv.16.p99]:-} ]]; then
        echo "| searchd p99 at 16 connections < 10 ms ($how) | $id | ${R[$id.http.$srv.16.p99]} ms | $(met "${R[$id.http.$srv.16.p99]}" '<' 10) |"
      fi
    done
  done
}

mkdir -p "$(dirname "$out")"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`bench/run.sh\` (see bench/README.md); do not edit by hand: re-run it."
  echo "Every number below comes from the one run described here; ratios compare tools"
  echo "measured in that run on the same input."
  echo
  echo "- **Command**: \`$cmdline\`"
  echo "- **Date**: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- **Machine**: $cpu_model, $cores cores, $ram_gb GiB RAM, $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "- **Versions**: Civitas ${ver_civ:-?} (${build_type:-unknown} build); Xapian ${ver_xapian:-?}; poppler-glib ${ver_poppler:-?}; pdftotext ${ver_pdftotext:-not installed}; Omega ${ver_omega:-not installed}; wrk ${ver_wrk:-not installed}; ${ver_lighttpd:-lighttpd not installed}"
  echo "- **Settings**: $n_queries queries per set, $rounds timed rounds after one warm-up round; wrk ${duration} s per level, $cores threads (1 at 1 connection), on the same $cores cores as the server; civitas-index defaults (\`--jobs $cores\`, $(( cores < 2 ? cores : 2 )) shards${batch:+, \`--batch $batch\`}); indexing: $( [[ $index_rounds -gt 1 ]] && echo "the fastest of $index_rounds rounds per tool, the tools taking turns" || echo "one round per tool")"
  if [[ ${#notes[@]} -gt 0 ]]; then
    echo
    echo "**Notes from this run:**"
    echo
    for n in "${notes[@]}"; do echo "- $n"; done
  fi
  echo
  echo "## Against the targets of issue 6"
  echo
  report_targets
  for id in "${set_ids[@]}" $([[ -n ${R[combined.civ.wall]:-} ]] && echo combined); do
    echo
    if [[ $id == combined ]]; then
      echo "## Scale: PDFs and speeches in one Civitas index"
      echo
      echo "${R[combined.files]} files, ${R[combined.text_mb]} MB of text, one \`civitas-index\` run."
      echo
      echo "| tool | wall s | CPU s | files/s | passages | passages/s | text MB/s | peak RSS MB | index MB |"
      echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
      echo "| civitas-index | ${R[combined.civ.wall]} | ${R[combined.civ.cpu]} | $(per_s "${R[combined.files]}" "${R[combined.civ.wall]}") | ${R[combined.civ.docs]:-n/a} | $(per_s "${R[combined.civ.docs]:-n/a}" "${R[combined.civ.wall]}") | $(per_s "${R[combined.text_mb]}" "${R[combined.civ.wall]}") | ${R[combined.civ.rss]} | ${R[combined.civ.size]} |"
    else
      echo "## ${SET_TITLE[$id]}"
      echo
      echo "${R[$id.files]} files (${R[$id.n_pdfs]} PDFs, ${R[$id.pages]} pages), ${R[$id.input_mb]} MB on disk, ${R[$id.text_mb]} MB of text (pdftotext output for the PDFs plus the text files: the one measure of text every MB/s below divides)."
      [[ ${R[$id.other_files]:-0} -gt 0 ]] &&
        echo "${R[$id.other_files]} other files (XML, HTML) are indexed by civitas-index (and by omindex where it knows the type) but not by the raw indexer: on this set the ratios to the limits are approximate."
      echo
      echo "### Indexing"
      echo
      report_indexing "$id"
      echo
      echo "Civitas: ${R[$id.civ.summary]:-}"
      if [[ $index_rounds -gt 1 ]]; then
        echo
        echo "Each tool indexed this set $index_rounds times, the tools taking turns; the table shows each one's fastest round. Wall s of every round, in order: pdftotext alone $(val "$id.extract.walls"); raw Xapian $(val "$id.raw.walls"); omindex $(val "$id.omindex.walls"); civitas-index $(val "$id.civ.walls")."
      fi
    fi
    report_compaction "$id"
    report_memory "$id"
    if [[ -n ${R[$id.queries]:-} ]]; then
      echo
      echo "### Search in process (one thread, warm cache)"
      echo
      echo "${R[$id.queries]} queries drawn from the text by \`bench/gen_queries.sh\` (1, 2 and 3 terms, quoted phrases, terms with a format filter; AND of terms). Raw Xapian searches the raw indexer's database, Civitas its own; both hold the same text."
      echo
      report_search "$id"
      if [[ -n ${R[$id.http.civ.1.rps]:-}${R[$id.http.omega.1.rps]:-} ]]; then
        echo
        echo "### Search over HTTP (wrk, keep-alive, the same queries)"
        echo
        report_http "$id"
        echo
        echo -n "civitas-searchd memory: ${R[$id.civ.rss0]:-n/a} MB resident after start, peak (VmHWM) ${R[$id.civ.hwm]:-n/a} MB after the load with its cache on (${R[$id.civnc.hwm]:-n/a} MB with it off), ${R[$id.civ.threads]:-n/a} threads."
        [[ -n ${R[$id.omega.rss]:-} ]] && echo -n " One omega CGI process peaks at ${R[$id.omega.rss]} MB (a new process per request)."
        echo
      fi
    fi
  done
  echo
  echo "## How to read this"
  echo
  echo "- *Pipeline limit*: the wall time a perfect pipeline would need on $cores cores if extraction and writing overlapped with no overhead: (CPU seconds of pdftotext alone + CPU seconds of the raw indexer writing the same text) / cores. Only shown for sets with PDFs."
  echo "- *Throughput vs X*: X's wall time / this tool's wall time on the same input (above 1: faster than X)."
  echo "- *Xapian docs*: passages for civitas-index and the raw indexer (one Xapian document per passage; civitas also adds one record per file), files for omindex (one Xapian document per file). Passage splitting differs: the raw indexer splits on blank lines (or per line in text without blank lines), civitas uses its paragraph splitter."
  echo "- *Peak RSS*: the largest single process (GNU time %M: the command or one of its children), not a sum. CPU seconds include children (extraction workers, omindex's pdftotext and pdfinfo)."
  echo "- *Indexer memory against the size of the corpus*: the same indexer with the same options on every 8th file and on every other file of a set. Its memory is bounded when it stops growing with the files: each writer holds at most one batch and the main thread a few hundred bytes per file, so doubling the files (every other file to every file) must add less than a quarter (the 1.25x of the targets table). That is checked only when every other file makes more than 4,000 passages: below that the writers' batches (2,000 passages on each of 2 shards by default) never fill, and memory grows with them."
  echo "- *Other CPU s*: CPU seconds the rest of the machine used during that step (from /proc/stat, minus the tool's own). Near 0 means the tool had the machine to itself; more means the numbers were taken under outside load (load average: ${load_before} before the run, ${load_after} after)."
  echo "- *Server CPU ms/request*: the CPU time the server used during a wrk level (every thread of civitas-searchd; lighttpd and the omega processes it ran), over the requests answered. Requests/s and latency turn on how the server shared the cores with wrk and the rest of the machine; this does much less, so it is the figure to compare across runs."
  echo "- Files are read from a warm page cache (every tool reads the same files after the extraction step). wrk runs on the same cores as the server it measures."
} >"$out"
log "wrote $out"
exit $status
