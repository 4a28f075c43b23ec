# Corpus mode of bench/run.sh (CORPUS=1): sourced by it after the build, with ROOT, WORK,
# REDLINE, GEN, say and seconds set. Every figure and peer measured in this one run.
CORPUS_DIR=$(cd "${CORPUS_DIR:-$ROOT/../shared/corpus}" && pwd)
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time) for peak RSS" >&2; exit 1; }
python3 -c "import diff_match_patch" 2>/dev/null || { echo "needs: pip install diff-match-patch" >&2; exit 1; }

# rss_run OUT_PREFIX CMD...: runs CMD once; wall seconds to OUT_PREFIX.s, peak RSS (KB) to OUT_PREFIX.rss.
rss_run() {
  local prefix=$1; shift
  local start
  start=$(date +%s%N)
  /usr/bin/time -f %M -o "$prefix.rss" "$@" >"$prefix.out" 2>"$prefix.err" || { cat "$prefix.err" >&2; return 1; }
  seconds "$start" >"$prefix.s"
}
# median_ms RUNS CMD...: median wall time of RUNS runs, in ms (after one warm-up).
median_ms() {
  local runs=$1; shift
  python3 - "$runs" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times.append((time.perf_counter() - t0) * 1000)
print(f"{statistics.median(times):.3f}")
PY
}

say "corpus: every consecutive pair, redline vs git word-diff (whole process) and in-process"
"$ROOT/target/$PROFILE/examples/corpus_bench" "$CORPUS_DIR" --redline "$REDLINE" ${STATIC:+--static "$STATIC"} >"$WORK/corpus.jsonl"
wc -l <"$WORK/corpus.jsonl" >&2

say "corpus: diff-match-patch and difflib on the same pairs"
python3 "$ROOT/bench/corpus_peers.py" "$CORPUS_DIR" >"$WORK/corpus-peers.jsonl"

say "corpus: import and since per history"
rm -rf "$WORK/corpus-import"
python3 "$ROOT/bench/corpus_to_import.py" "$CORPUS_DIR" "$WORK/corpus-import"
: >"$WORK/stores.jsonl"
for dir in "$WORK"/corpus-import/*/; do
  name=$(basename "$dir")
  store="$WORK/store-$name.git"
  rm -rf "$store" "$WORK/one-$name"
  mkdir -p "$WORK/one-$name" && cp -r "$dir" "$WORK/one-$name/"
  "$REDLINE" --store "$store" init >/dev/null
  rss_run "$WORK/import-$name" "$REDLINE" --store "$store" import "$WORK/one-$name"
  versions=$("$REDLINE" --store "$store" log "$name" --format json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
  first=$(head -2 "$CORPUS_DIR/$name/index.tsv" | tail -1 | cut -f2 | cut -c1-10)
  since_ms=$(median_ms 5 "$REDLINE" --store "$store" since "$name" "$first")
  rss_run "$WORK/since-$name" "$REDLINE" --store "$store" since "$name" "$first"
  printf '{"history":"%s","versions":%s,"import_s":%s,"since_ms":%s,"since_rss_kb":%s}\n' \
    "$name" "$versions" "$(cat "$WORK/import-$name.s")" "$since_ms" "$(cat "$WORK/since-$name.rss")" >>"$WORK/stores.jsonl"
done
cat "$WORK/stores.jsonl" >&2

say "corpus: build of the whole corpus (first, then again with nothing changed)"
site_figures() {  # site_figures DIR SECONDS RSS_KB [REWRITTEN]
  python3 - "$@" <<'PY'
import json, os, sys
root, s, rss = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
sizes = []
for d, _, files in os.walk(root):
    for f in files:
        sizes.append((os.path.getsize(os.path.join(d, f)), os.path.relpath(os.path.join(d, f), root)))
largest = max(sizes)
out = {"s": s, "rss_kb": rss, "files": len(sizes), "bytes": sum(n for n, _ in sizes),
       "largest": largest[0], "largest_name": largest[1], "over_200k": sum(1 for n, _ in sizes if n > 200_000)}
if len(sys.argv) > 4:
    out["rewritten"] = int(sys.argv[4])
print(json.dumps(out))
PY
}
store="$WORK/corpus.git"
rm -rf "$store" "$WORK/corpus-site"
"$REDLINE" --store "$store" init >/dev/null
"$REDLINE" --store "$store" import "$WORK/corpus-import" >/dev/null
rss_run "$WORK/build1" "$REDLINE" --store "$store" build --out "$WORK/corpus-site"
first=$(site_figures "$WORK/corpus-site" "$(cat "$WORK/build1.s")" "$(cat "$WORK/build1.rss")")
touch "$WORK/build1.stamp"; sleep 1
rss_run "$WORK/build2" "$REDLINE" --store "$store" build --out "$WORK/corpus-site"
rewritten=$(find "$WORK/corpus-site" -type f -newer "$WORK/build1.stamp" ! -name .redline-manifest | wc -l)
second=$(site_figures "$WORK/corpus-site" "$(cat "$WORK/build2.s")" "$(cat "$WORK/build2.rss")" "$rewritten")
printf '{"first":%s,"second":%s}\n' "$first" "$second" >"$WORK/site.json"
cat "$WORK/site.json" >&2

say "generated history of ${VERSIONS:-1000} versions: import, since (packed, loose, after git gc)"
BIG_VERSIONS=${VERSIONS:-1000}
rm -rf "$WORK/big" "$WORK/big.git" "$WORK/big-loose.git" "$WORK/big-gc.git"
"$GEN" history "$WORK/big" --versions "$BIG_VERSIONS"
"$REDLINE" --store "$WORK/big.git" init >/dev/null
rss_run "$WORK/big-import" "$REDLINE" --store "$WORK/big.git" import "$WORK/big"
since_ms=$(median_ms 10 "$REDLINE" --store "$WORK/big.git" since generated-explainer v1)
rss_run "$WORK/big-since" "$REDLINE" --store "$WORK/big.git" since generated-explainer v1
# Every object loose: what a store of single commits looks like before packing.
cp -r "$WORK/big.git" "$WORK/big-loose.git"
mkdir "$WORK/big-loose.git/packs-moved"
mv "$WORK/big-loose.git"/objects/pack/* "$WORK/big-loose.git/packs-moved/"
for pack in "$WORK/big-loose.git"/packs-moved/*.pack; do
  git --git-dir="$WORK/big-loose.git" unpack-objects -q <"$pack"
done
rm -rf "$WORK/big-loose.git/packs-moved"
since_loose_ms=$(median_ms 10 "$REDLINE" --store "$WORK/big-loose.git" since generated-explainer v1)
cp -r "$WORK/big.git" "$WORK/big-gc.git"
git --git-dir="$WORK/big-gc.git" gc -q
since_gc_ms=$(median_ms 10 "$REDLINE" --store "$WORK/big-gc.git" since generated-explainer v1)
# Peers: `git fast-import` storing the same version files as one commit each (one pack), and
# `git log` reading the 1,000 commits of the imported store.
python3 "$ROOT/bench/fast_import_stream.py" "$WORK/big" >"$WORK/big.stream"
rm -rf "$WORK/big-fast-import.git" && git init -q --bare "$WORK/big-fast-import.git"
rss_run "$WORK/big-fast-import" git --git-dir="$WORK/big-fast-import.git" fast-import --quiet <"$WORK/big.stream"
git_log_ms=$(median_ms 10 git --git-dir="$WORK/big.git" log --oneline main)
printf '{"versions":%s,"import_s":%s,"import_rss_kb":%s,"since_ms":%s,"since_rss_kb":%s,"since_loose_ms":%s,"since_gc_ms":%s,"fast_import_s":%s,"git_log_ms":%s}\n' \
  "$BIG_VERSIONS" "$(cat "$WORK/big-import.s")" "$(cat "$WORK/big-import.rss")" "$since_ms" \
  "$(cat "$WORK/big-since.rss")" "$since_loose_ms" "$since_gc_ms" "$(cat "$WORK/big-fast-import.s")" "$git_log_ms" >"$WORK/big.json"
cat "$WORK/big.json" >&2

echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$WORK/machine.txt"
say "corpus report (also in $WORK/corpus-report.md)"
python3 "$ROOT/bench/corpus_report.py" "$WORK" | tee "$WORK/corpus-report.md"
