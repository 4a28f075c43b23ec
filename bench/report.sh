#!/usr/bin/env bash
# Speed of `redline report` on a pull request touching 20 explainers of ~20 KB
# each (whole process, release build), against `git diff --word-diff` over the
# same range, measured in the same run. Target: report ≤ 1 s.
#
#   bench/report.sh                 # ~1 min after the release build
#
# Env: BENCH_DIR (work folder; default a fresh temp dir, kept), FILES (20),
#      SIZE (20k), RUNS (20). Needs cargo, git, python3; hyperfine if present
#      (apt-get install -y hyperfine), else a Python timing loop.
set -euo pipefail

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
FILES=${FILES:-20}
SIZE=${SIZE:-20k}
RUNS=${RUNS:-20}
machine_info
release_build

say "content repository in $WORK/content"
REPO="$WORK/content"
rm -rf "$REPO" "$WORK/pairs"
git init -q -b main "$REPO"
mkdir -p "$REPO/explainers"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org
for i in $(seq 1 "$FILES"); do
  "$GEN" pair "$WORK/pairs/$i" --size "$SIZE" --seed "$i" >/dev/null
  cp "$WORK/pairs/$i/old.md" "$REPO/explainers/explainer-$i.md"
done
git -C "$REPO" add -A
git -C "$REPO" -c commit.gpgsign=false commit -q -m "Explainers as published"
git -C "$REPO" checkout -q -b pr
for i in $(seq 1 "$FILES"); do
  cp "$WORK/pairs/$i/new.md" "$REPO/explainers/explainer-$i.md"
done
git -C "$REPO" -c commit.gpgsign=false commit -q -am "Update every explainer"
BYTES=$(cat "$REPO"/explainers/*.md | wc -c)
echo "files: $FILES, bytes at head: $BYTES" | tee -a "$WORK/machine.txt" >&2
git -C "$REPO" diff --shortstat main...pr | tee -a "$WORK/machine.txt" >&2

REPORT_MD="$REDLINE report --repo $REPO --base main --head pr --format markdown --full-out $WORK/full.md"
REPORT_JSON="$REDLINE report --repo $REPO --base main --head pr --format json"
CHECK="$REDLINE check --repo $REPO --base main --head pr"
WORDDIFF="git -C $REPO diff --word-diff main...pr"
# Sanity: every command runs (check fails the policy on this synthetic PR: exit 1 is expected).
$REPORT_MD > "$WORK/comment.md"
$REPORT_JSON > "$WORK/report.json"
$CHECK > "$WORK/check.txt" || true
$WORDDIFF > "$WORK/word-diff.txt"
echo "comment: $(wc -c < "$WORK/comment.md") bytes, full report: $(wc -c < "$WORK/full.md") bytes" >&2

say "timings ($RUNS runs each)"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 3 --runs "$RUNS" -N --ignore-failure \
    --export-markdown "$WORK/timings.md" \
    -n "redline report (markdown + full-out)" "$REPORT_MD" \
    -n "redline report --format json" "$REPORT_JSON" \
    -n "redline check" "$CHECK" \
    -n "git diff --word-diff main...pr" "$WORDDIFF" >&2
else
  python3 - "$RUNS" "$REPORT_MD" "$REPORT_JSON" "$CHECK" "$WORDDIFF" <<'PY' | tee "$WORK/timings.md" >&2
import shlex, statistics, subprocess, sys, time
runs = int(sys.argv[1])
print("| command | median s | min s | max s |\n| --- | ---: | ---: | ---: |")
for cmd in sys.argv[2:]:
    args = shlex.split(cmd)
    for _ in range(3):
        subprocess.run(args, stdout=subprocess.DEVNULL)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    print(f"| `{cmd}` | {statistics.median(times):.3f} | {min(times):.3f} | {max(times):.3f} |")
PY
fi
echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/machine.txt" >&2
echo "results in $WORK (timings.md, machine.txt)" >&2
