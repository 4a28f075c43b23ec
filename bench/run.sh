#!/usr/bin/env bash
# redline benchmarks: every figure and every peer measured in the same run.
#
#   bench/run.sh              full run (~5 min on 2 vCPUs, plus the release build)
#   QUICK=1 bench/run.sh      smoke run: small history/site, short criterion, no 1 MB difflib
#   CORPUS=1 bench/run.sh     corpus run (~5 min): every consecutive pair of ../shared/corpus
#                             (whole process vs git word-diff, the default and, when its target
#                             is installed, the static build; in-process vs diff-match-patch
#                             and difflib), import/since per history, build of the whole corpus,
#                             a generated 1,000-version history; report in corpus-report.md
#
# Env: BENCH_DIR (work folder; default a fresh temp dir, kept for inspection),
#      CORPUS_DIR (../shared/corpus), PROFILE (release; cargo profile of the binaries),
#      SKIP_BUILD=1 (use the binaries already built),
#      VERSIONS (1000), EXPLAINERS (100), SITE_VERSIONS (50), SKIP_CRITERION=1.
# Needs: cargo, git, python3; hyperfine (apt-get install hyperfine) for whole-process
# timings (falls back to a python timing loop without it).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  VERSIONS=${VERSIONS:-100}; EXPLAINERS=${EXPLAINERS:-10}; SITE_VERSIONS=${SITE_VERSIONS:-10}
  RUNS=3; WARMUP=1
else
  VERSIONS=${VERSIONS:-1000}; EXPLAINERS=${EXPLAINERS:-100}; SITE_VERSIONS=${SITE_VERSIONS:-50}
  RUNS=20; WARMUP=3
fi
WORK=${BENCH_DIR:-$(mktemp -d /tmp/redline-bench.XXXXXX)}
mkdir -p "$WORK"
say() { printf '\n== %s\n' "$*" >&2; }
# seconds START_NS: wall time since START_NS (date +%s%N), in seconds.
seconds() { python3 -c "import sys; print((int(sys.argv[1]) - int(sys.argv[2])) / 1e9)" "$(date +%s%N)" "$1"; }

say "machine"
{
  echo "nproc: $(nproc)"
  lscpu | grep -E '^(Model name|Architecture|CPU\(s\)|Thread|Core|Socket|CPU max MHz|L2|L3)' || true
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  rustc --version
  git --version
  python3 --version
  command -v hyperfine >/dev/null && hyperfine --version
  echo "redline commit: $(git rev-parse --short HEAD)"
  date -u +"date: %Y-%m-%dT%H:%M:%SZ"
} | tee "$WORK/machine.txt" >&2

PROFILE=${PROFILE:-release}
say "$PROFILE build"
if [ "${SKIP_BUILD:-0}" != 1 ]; then  # SKIP_BUILD=1: use the binaries already built
  cargo build --profile "$PROFILE" --bin redline --example generate_history --example corpus_bench >&2
fi
REDLINE="$ROOT/target/$PROFILE/redline"
# Corpus mode also times the static Linux build (README, "A static Linux binary")
# beside the default one, when its target and C compiler are installed
# (`rustup target add x86_64-unknown-linux-musl`, `apt-get install musl-tools`).
STATIC=""
MUSL=x86_64-unknown-linux-musl
if [ "${CORPUS:-0}" = 1 ] && rustup target list --installed 2>/dev/null | grep -qx "$MUSL" && command -v musl-gcc >/dev/null; then
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    say "$PROFILE build, static ($MUSL)"
    cargo build --profile "$PROFILE" --target "$MUSL" --bin redline >&2
  fi
  STATIC="$ROOT/target/$MUSL/$PROFILE/redline"
fi
[ "${CORPUS:-0}" = 1 ] && echo "static build: ${STATIC:-none ($MUSL target or musl-gcc not installed)}" | tee -a "$WORK/machine.txt" >&2
GEN="$ROOT/target/$PROFILE/examples/generate_history"

if [ "${CORPUS:-0}" = 1 ]; then
  # shellcheck source=bench/corpus.sh
  . "$ROOT/bench/corpus.sh"
  exit 0
fi

say "data into $WORK"
"$GEN" pair "$WORK/generated-100k" --size 100k
"$GEN" pair "$WORK/generated-1m" --size 1m
"$GEN" history "$WORK/history" --versions "$VERSIONS"
"$GEN" site "$WORK/site" --explainers "$EXPLAINERS" --versions "$SITE_VERSIONS"

# The pairs of (i) and (ii): the Full Fact demo updates (snapshot files as committed,
# front matter included, the same bytes for every tool) and the generated pairs.
DEMO="$ROOT/snapshots/fullfact-ukraine-peace-talks"
: >"$WORK/pairs.tsv"
pair() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$WORK/pairs.tsv"; }
pair demo-19feb-25feb "$DEMO/2025-02-19.txt" "$DEMO/2025-02-25.txt"
pair demo-25feb-01mar "$DEMO/2025-02-25.txt" "$DEMO/2025-03-01.txt"
pair demo-01mar-04mar "$DEMO/2025-03-01.txt" "$DEMO/2025-03-04.txt"
pair demo-19feb-04mar "$DEMO/2025-02-19.txt" "$DEMO/2025-03-04.txt"
pair generated-100k "$WORK/generated-100k/old.md" "$WORK/generated-100k/new.md"
pair generated-1m "$WORK/generated-1m/old.md" "$WORK/generated-1m/new.md"

# time_cmds NAME CMD...: hyperfine (or a python loop) over whole processes, JSON to hf-NAME.json.
# Exit status 1 means "differences found" for both diff tools, so failures are ignored
# here; every command is checked once beforehand (check) so a crash cannot pass as a timing.
time_cmds() {
  local name=$1; shift
  if command -v hyperfine >/dev/null; then
    hyperfine -N -i --style basic --warmup "$WARMUP" --runs "$RUNS" \
      --export-json "$WORK/hf-$name.json" "$@" >&2
  else
    python3 - "$WORK/hf-$name.json" "$RUNS" "$@" <<'PY'
import json, shlex, statistics, subprocess, sys, time
out, runs, cmds = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
results = []
for cmd in cmds:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(shlex.split(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    results.append({"command": cmd, "mean": statistics.mean(times),
                    "stddev": statistics.stdev(times) if runs > 1 else 0.0, "min": min(times)})
    print(f"{cmd}: {statistics.mean(times)*1000:.1f} ms", file=sys.stderr)
json.dump({"results": results}, open(out, "w"))
PY
  fi
}
check() {
  local status=0
  "$@" >"$WORK/check.out" 2>"$WORK/check.err" || status=$?
  if [ "$status" -gt 1 ]; then
    echo "FAILED (exit $status): $*" >&2
    head -5 "$WORK/check.err" >&2
    return 1
  fi
  printf '  ok (exit %s, %s bytes out): %s\n' "$status" "$(wc -c <"$WORK/check.out")" "$*" >&2
}

say "(i) whole process: redline diff --files vs git word-diff"
while IFS=$'\t' read -r name old new; do
  if check "$REDLINE" diff --files "$old" "$new" && check git diff --no-index --word-diff=porcelain "$old" "$new"; then
    time_cmds "diff-$name" \
      "$REDLINE diff --files $old $new" \
      "git diff --no-index --word-diff=porcelain $old $new"
  fi
done <"$WORK/pairs.tsv"

say "(ii) in-process: difflib on word lists"
: >"$WORK/difflib.jsonl"
while IFS=$'\t' read -r name old new; do
  if [ "$QUICK" = 1 ] && [ "$name" = generated-1m ]; then continue; fi
  python3 "$ROOT/bench/difflib_words.py" "$name" "$old" "$new" | tee -a "$WORK/difflib.jsonl" >&2
done <"$WORK/pairs.tsv"

if [ "${SKIP_CRITERION:-0}" != 1 ]; then
  say "(ii) in-process: redline diff (criterion)"
  rm -rf "$ROOT/target/criterion"  # no stale figure may reach the report
  if [ "$QUICK" = 1 ]; then
    cargo bench --bench diff -- --quick >&2 || say "criterion FAILED: see the messages above"
  else
    cargo bench --bench diff >&2 || say "criterion FAILED: see the messages above"
  fi
fi

# import_store NAME DIR: a fresh store NAME.git holding DIR, import time to import-NAME.txt.
import_store() {
  export REDLINE_STORE="$WORK/$1.git"
  rm -rf "$REDLINE_STORE"
  "$REDLINE" init >&2 || return 1
  local start
  start=$(date +%s%N)
  "$REDLINE" import "$2" >&2 || return 1
  seconds "$start" >"$WORK/import-$1.txt"
}

bench_since() {
  import_store history "$WORK/history" || return 1
  check "$REDLINE" since generated-explainer v1 || return 1
  time_cmds since "$REDLINE since generated-explainer v1"
  # The same history after plain `git gc`: one pack instead of ~4,000 loose objects.
  rm -rf "$WORK/history-packed.git"
  cp -r "$REDLINE_STORE" "$WORK/history-packed.git"
  git --git-dir="$WORK/history-packed.git" gc -q
  export REDLINE_STORE="$WORK/history-packed.git"
  check "$REDLINE" since generated-explainer v1 || return 1
  time_cmds since-packed "$REDLINE since generated-explainer v1"
}

bench_build() {
  import_store site "$WORK/site" || return 1
  check "$REDLINE" build --out "$WORK/site-out" || return 1
  echo "  site: $(find "$WORK/site-out" -type f | wc -l) files, $(du -sh "$WORK/site-out" | cut -f1)" >&2
  if command -v hyperfine >/dev/null; then
    hyperfine -N --style basic --runs 3 --prepare "rm -rf $WORK/site-out" \
      --export-json "$WORK/hf-build.json" "$REDLINE build --out $WORK/site-out" >&2
  else
    RUNS=3 time_cmds build "$REDLINE build --out $WORK/site-out"
  fi
}

say "(iii) since over $VERSIONS versions"
bench_since || say "(iii) FAILED: see the messages above"

say "(iv) build over $EXPLAINERS explainers x $SITE_VERSIONS versions"
bench_build || say "(iv) FAILED: see the messages above"
unset REDLINE_STORE

echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$WORK/machine.txt"
say "report (also in $WORK/report.md)"
VERSIONS=$VERSIONS EXPLAINERS=$EXPLAINERS SITE_VERSIONS=$SITE_VERSIONS \
  python3 "$ROOT/bench/report.py" "$WORK" "$ROOT/target/criterion" | tee "$WORK/report.md"
