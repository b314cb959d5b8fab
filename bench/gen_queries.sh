#!/usr/bin/env bash
# Draw a query set from the text of a corpus, reproducibly (fixed seed).
#
# Usage: bench/gen_queries.sh LIST N [SEED] > queries.tsv
#   LIST  lines "FORMAT<TAB>PATH" of UTF-8 text files (the extracted text
#         bench/run.sh feeds the raw indexer); FORMAT is the API's format name
#   N     number of queries
#
# Output: one query per line, "TEXT<TAB>FILTERS" (FILTERS "" or
# "format=NAME"). Every query is built from the words of one real line of
# the corpus, so it matches at least that passage. The mix, in turn:
# 1 term, 2 terms, 3 terms, a quoted 2-3 word phrase, and 1-2 terms with a
# format filter. Terms are lower-case words of 4+ letters that are not
# common English function words.
set -euo pipefail
list=${1:?usage: gen_queries.sh LIST N [SEED]}
n=${2:?usage: gen_queries.sh LIST N [SEED]}
seed=${3:-42}

# At most 400 files, spread evenly over the list, are sampled.
total=$(wc -l <"$list")
step=$(( total > 400 ? total / 400 : 1 ))
awk -v step="$step" 'NR % step == 0' "$list" |
while IFS=$'\t' read -r fmt path; do
  # Lines of 8+ words, tagged with the file's format.
  awk -v fmt="$fmt" 'NF >= 8 && length($0) < 2000 { print fmt "\t" $0 }' "$path" || true
done |
awk -F'\t' -v n="$n" -v seed="$seed" '
BEGIN {
  srand(seed)
  split("this that with from have were which their there they been will would " \
        "also such these those into than then them when what where while shall " \
        "should could must more most other only over upon under very each some " \
        "about after before being both does made make many much same said well " \
        "just like your yours ours ourselves itself himself herself during", sw, " ")
  for (i in sw) stop[sw[i]] = 1
}
{
  # Reservoir sample of 5000 lines, so memory stays small on large corpora.
  seen++
  if (kept < 5000) { kept++; fmts[kept] = $1; lines[kept] = $2 }
  else { j = int(rand() * seen) + 1; if (j <= 5000) { fmts[j] = $1; lines[j] = $2 } }
}
function words(s, out,    m, i, w, t) {
  s = tolower(s)
  gsub(/[^a-z]+/, " ", s)
  m = split(s, t, " ")
  for (i = 1; i <= m; i++) out[i] = t[i]
  return m
}
function content(w) { return length(w) >= 4 && !(w in stop) }
END {
  if (kept == 0) exit 1
  made = 0; tries = 0
  while (made < n && tries < n * 50) {
    tries++
    k = int(rand() * kept) + 1
    delete w
    m = words(lines[k], w)
    if (m < 4) continue
    kind = made % 5
    q = ""; filt = ""
    if (kind == 3) {
      # A phrase: 2 or 3 consecutive words of the line, the ends content words.
      len = 2 + int(rand() * 2)
      s = int(rand() * (m - len + 1)) + 1
      if (!content(w[s]) || !content(w[s + len - 1])) continue
      q = w[s]
      for (i = 1; i < len; i++) q = q " " w[s + i]
      q = "\"" q "\""
    } else {
      want = (kind == 4) ? 1 + int(rand() * 2) : kind + 1
      delete c; nc = 0
      for (i = 1; i <= m; i++) if (content(w[i]) && !(w[i] in c)) { c[w[i]] = 1; cw[++nc] = w[i] }
      if (nc < want) continue
      s = int(rand() * (nc - want + 1)) + 1
      for (i = 0; i < want; i++) q = q (i ? " " : "") cw[s + i]
      if (kind == 4) filt = "format=" fmts[k]
    }
    if (q in done) continue
    done[q] = 1
    print q "\t" filt
    made++
  }
}'
