#!/usr/bin/env bash
# Sentence timeline benchmarks: `redline blame` cold (timeline built from the
# history and cached) and warm (cache read), and `since v1` warm, against
# `git blame` of the same file history in the same store, in the same run.
#
#   bench/blame.sh            1,000-version generated history + longest corpus history
#   VERSIONS=200 bench/blame.sh
#
# Env: BENCH_DIR (work folder; default a fresh temp dir), VERSIONS (1000), RUNS (10),
#      CORPUS (../shared/corpus; skipped when missing; imported as since-audit.py does).
set -euo pipefail

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
VERSIONS=${VERSIONS:-1000}
RUNS=${RUNS:-10}
# ../shared from the main checkout; ../../shared from a worktree under wt/.
SHARED=$ROOT/../shared
[ -d "$SHARED" ] || SHARED=$ROOT/../../shared
CORPUS=${CORPUS:-$SHARED/corpus}
machine_info
release_build

# timing LABEL RUNS PREPARE CMD...: mean/min wall time of CMD over RUNS runs, PREPARE
# (a shell command, may be ":") run before each; one table row on stdout.
timing() {
  python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
label, runs, prepare, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
times = []
for _ in range(runs):
    subprocess.run(prepare, shell=True, check=True)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    times.append(time.perf_counter() - t0)
    if p.returncode != 0:
        sys.exit(f"FAILED: {' '.join(cmd)}: {p.stderr.decode()[:300]}")
print(f"{label}\t{statistics.mean(times)*1000:.1f}\t{min(times)*1000:.1f}")
PY
}

# bench_store NAME STORE SLUG: rows for one history, appended to results.tsv.
bench_store() {
  local name=$1 store=$2 slug=$3 cache="$2/redline-timeline"
  local versions
  versions=$("$REDLINE" --store "$store" log "$slug" --format json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
  {
    timing "$name ($versions versions): redline blame, cold (timeline built)" 3 "rm -rf $cache" \
      "$REDLINE" --store "$store" blame "$slug"
    timing "$name ($versions versions): redline blame, warm (timeline read)" "$RUNS" ":" \
      "$REDLINE" --store "$store" blame "$slug"
    timing "$name ($versions versions): redline since v1, warm" "$RUNS" ":" \
      "$REDLINE" --store "$store" since "$slug" v1
    timing "$name ($versions versions): git blame" 3 ":" \
      git --git-dir="$store" blame -s main -- "explainers/$slug.md"
  } | tee -a "$WORK/results.tsv" >&2
  echo "  cache: $(du -sh "$cache" | cut -f1)" >&2
}

: >"$WORK/results.tsv"
say "generated history: $VERSIONS versions"
"$GEN" history "$WORK/history" --versions "$VERSIONS" >&2
"$REDLINE" --store "$WORK/history.git" init >&2
"$REDLINE" --store "$WORK/history.git" import "$WORK/history" >&2
bench_store generated "$WORK/history.git" generated-explainer

if [ -d "$CORPUS" ]; then
  say "longest corpus history"
  # The corpus import folder as since-audit.py writes it (front matter per revision).
  python3 - "$SHARED/tools/since-audit.py" "$CORPUS" "$WORK/corpus" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("audit", sys.argv[1])
audit = importlib.util.module_from_spec(spec); spec.loader.exec_module(audit)
audit.make_import(sys.argv[2], sys.argv[3]); audit.nudge_times(sys.argv[3])
PY
  "$REDLINE" --store "$WORK/corpus.git" init >&2
  "$REDLINE" --store "$WORK/corpus.git" import "$WORK/corpus" >&2
  longest=$("$REDLINE" --store "$WORK/corpus.git" list --format json | python3 -c "import json,sys; print(max(json.load(sys.stdin), key=lambda e: e['versions'])['slug'])")
  bench_store "$longest" "$WORK/corpus.git" "$longest"
fi

echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$WORK/machine.txt"
say "results (ms: mean, min) in $WORK/results.tsv"
cat "$WORK/results.tsv"
