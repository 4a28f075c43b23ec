#!/usr/bin/env python3
"""Tabulate one corpus run of bench/run.sh (CORPUS=1) as Markdown, with target verdicts.

Usage: corpus_report.py WORK_DIR
Reads WORK_DIR/{machine.txt, corpus.jsonl (corpus_bench), corpus-peers.jsonl (corpus_peers.py),
stores.jsonl (per-history import/since), big.json (1,000-version history), site.json (build)}.
Missing figures print as "n/a".
"""

import json
import os
import statistics
import sys


def jsonl(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def ms(x):
    if x is None:
        return "n/a"
    if x < 1:
        return f"{x * 1000:.0f} µs"
    if x < 100:
        return f"{x:.2f} ms"
    return f"{x:,.0f} ms"


def ratio(x):
    return "n/a" if x is None else f"{x:.2f}×"


def verdict(ok):
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def process_rows(p, rows, time_key, ratio_key, with_bytes):
    """Whole-process rows, one per history and one for all: median time, git's, the median
    and worst ratio. Returns the median ratio per row."""
    ratios = {}
    for h, rs in rows:
        rt = [r.get(ratio_key) for r in rs]
        ratios[h] = med(rt)
        worst = max((x for x in rt if x is not None), default=None)
        size = f" {med([r['bytes'] for r in rs]) or 0:,.0f} |" if with_bytes else ""
        p(f"| {h} | {len(rs)} |{size} {ms(med([r.get(time_key) for r in rs]))} "
          f"| {ms(med([r.get('git_ms') for r in rs]))} | {ratio(med(rt))} | {ratio(worst)} |")
    return ratios


def main(work):
    out = []
    p = out.append
    pairs = jsonl(os.path.join(work, "corpus.jsonl"))
    peers = {(r["history"], r["pair"]): r for r in jsonl(os.path.join(work, "corpus-peers.jsonl"))}
    for r in pairs:
        r.update(peers.get((r["history"], r["pair"]), {}))
        if r.get("redline_ms") and r.get("git_ms"):
            r["ratio"] = r["redline_ms"] / r["git_ms"]
        if r.get("static_ms") and r.get("git_ms"):
            r["static_ratio"] = r["static_ms"] / r["git_ms"]
    stores = {r["history"]: r for r in jsonl(os.path.join(work, "stores.jsonl"))}
    histories = sorted({r["history"] for r in pairs})

    p("## Corpus: every consecutive pair of `../shared/corpus` (one run, peers interleaved)\n")
    try:
        p("```\n" + open(os.path.join(work, "machine.txt"), encoding="utf-8").read().strip() + "\n```\n")
    except OSError:
        pass
    p("### Whole process: `redline diff --files OLD NEW` vs `git diff --no-index --word-diff=porcelain OLD NEW`\n")
    p("Medians over the pairs of each history of the per-pair medians (7 alternating runs each).\n")
    p("| history | pairs | median bytes (old+new) | redline | git word-diff | redline / git (median of pairs) | worst pair ratio |")
    p("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows = [(h, [r for r in pairs if r["history"] == h]) for h in histories] + [("**all**", pairs)]
    history_ratios = process_rows(p, rows, "redline_ms", "ratio", with_bytes=True)
    static_ratios = {}
    if any(r.get("static_ms") for r in pairs):
        p("\nThe static build (`--target x86_64-unknown-linux-musl`, README), timed in the same alternation "
          "(default build, static build, git) on every pair:\n")
        p("| history | pairs | redline, static build | git word-diff | static / git (median of pairs) | worst pair ratio |")
        p("| --- | ---: | ---: | ---: | ---: | ---: |")
        static_ratios = process_rows(p, rows, "static_ms", "static_ratio", with_bytes=False)

    p("\n### In-process: redline ingest + diff and diff alone vs diff-match-patch (chars) and difflib (words)\n")
    p("Per pair the median of repeated runs; per history the median (and worst) over its pairs. "
      "dmp: `diff_main` (1 s timeout) + `diff_cleanupSemantic`; difflib: `SequenceMatcher` on `split()` words.\n")
    p("| history | redline ingest+diff median | ingest+diff worst | redline diff median | diff worst | dmp median | dmp worst (timeouts) | difflib median |")
    p("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for h, rs in rows:
        def col(key):
            return [r.get(key) for r in rs]
        worst = lambda key: max((x for x in col(key) if x is not None), default=None)
        timeouts = sum(1 for r in rs if r.get("dmp_timeouts"))
        p(f"| {h} | {ms(med(col('ingest_diff_ms')))} | {ms(worst('ingest_diff_ms'))} | {ms(med(col('diff_ms')))} "
          f"| {ms(worst('diff_ms'))} | {ms(med(col('dmp_ms')))} | {ms(worst('dmp_ms'))} ({timeouts}) | {ms(med(col('difflib_ms')))} |")

    if stores:
        p("\n### Per history store: `import` and `since <first day>` (whole history), peak RSS\n")
        p("| history | versions | import | versions/s | since (whole history) | since peak RSS |")
        p("| --- | ---: | ---: | ---: | ---: | ---: |")
        for h in sorted(stores):
            s = stores[h]
            rate = s["versions"] / s["import_s"] if s.get("import_s") else None
            p(f"| {h} | {s['versions']} | {ms(s['import_s'] * 1000)} | {rate:,.0f} | {ms(s.get('since_ms'))} | {s.get('since_rss_kb', 0) / 1024:.1f} MB |")

    big = load(os.path.join(work, "big.json")) or {}
    site = load(os.path.join(work, "site.json")) or {}
    if big:
        p(f"\n### Generated history of {big.get('versions')} versions (synthetic, `generate_history history`)\n")
        p("| command | figure | peak RSS |")
        p("| --- | ---: | ---: |")
        p(f"| import (once, one pack) | {ms(big.get('import_s', 0) * 1000)} ({big.get('versions', 0) / big['import_s']:,.0f} versions/s) | {big.get('import_rss_kb', 0) / 1024:.1f} MB |")
        p(f"| since v1, as imported (packed) | {ms(big.get('since_ms'))} | {big.get('since_rss_kb', 0) / 1024:.1f} MB |")
        p(f"| since v1, every object loose (`git unpack-objects`) | {ms(big.get('since_loose_ms'))} | |")
        p(f"| since v1, after `git gc` | {ms(big.get('since_gc_ms'))} | |")
        if big.get("fast_import_s"):
            p(f"| peer: `git fast-import` of the same files (one commit each, one pack) | {ms(big['fast_import_s'] * 1000)} ({big['versions'] / big['fast_import_s']:,.0f} versions/s); redline / git {big['import_s'] / big['fast_import_s']:.2f}× | |")
        if big.get("git_log_ms"):
            p(f"| peer: `git log --oneline main` of the imported store | {ms(big['git_log_ms'])}; redline since / git log {big['since_ms'] / big['git_log_ms']:.2f}× | |")
    if site:
        p("\n### `build` of the whole corpus store\n")
        p("| build | time | files | total size | largest file | files over 200 KB | peak RSS |")
        p("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for key, label in (("first", "first (empty folder)"), ("second", "second (nothing changed)")):
            b = site.get(key)
            if b:
                p(f"| {label} | {ms(b['s'] * 1000)} | {b['files']} | {b['bytes'] / 1e6:.1f} MB | {b['largest'] / 1e3:.0f} KB ({b['largest_name']}) | {b['over_200k']} | {b['rss_kb'] / 1024:.1f} MB |")
        if site.get("second"):
            p(f"\nSecond build rewrote {site['second'].get('rewritten', 'n/a')} of {site['second']['files']} files (mtime changed).")

    p("\n### Targets\n")
    p("| target | figure | verdict |")
    p("| --- | --- | --- |")
    builds = [("default build", history_ratios)] + ([("static build", static_ratios)] if static_ratios else [])
    for build, ratios in builds:
        overall = ratios.get("**all**")
        worst_history = max((v for k, v in ratios.items() if k != "**all**" and v is not None), default=None)
        p(f"| whole process ≤ 1.0× git word-diff (median of all pairs), {build} | {ratio(overall)} | {verdict(None if overall is None else overall <= 1.0)} |")
        p(f"| no history's median above 1.2×, {build} | worst history {ratio(worst_history)} | {verdict(None if worst_history is None else worst_history <= 1.2)} |")
    idm = med([r.get("ingest_diff_ms") for r in pairs])
    idw = max((r.get("ingest_diff_ms") for r in pairs if r.get("ingest_diff_ms") is not None), default=None)
    dm = med([r.get("diff_ms") for r in pairs])
    dmp = med([r.get("dmp_ms") for r in pairs])
    p(f"| in-process ingest + diff ≤ 1.0 ms median | {ms(idm)} (dmp {ms(dmp)}) | {verdict(None if idm is None else idm <= 1.0)} |")
    p(f"| ingest + diff ≤ 10 ms worst pair | {ms(idw)} | {verdict(None if idw is None else idw <= 10)} |")
    p(f"| diff alone ≤ 0.3 ms median | {ms(dm)} | {verdict(None if dm is None else dm <= 0.3)} |")
    if big:
        worst_since = max(x for x in (big.get("since_ms"), big.get("since_loose_ms"), big.get("since_gc_ms")) if x is not None)
        rate = big["versions"] / big["import_s"]
        p(f"| `since` over {big['versions']} versions ≤ 40 ms, packed or not | worst {ms(worst_since)} | {verdict(worst_since <= 40)} |")
        p(f"| `import` ≥ 2,000 versions/s ({big['versions']} versions) | {rate:,.0f}/s | {verdict(rate >= 2000)} |")
        p(f"| peak RSS ≤ 100 MB, `since` over {big['versions']} versions | {big.get('since_rss_kb', 0) / 1024:.1f} MB | {verdict(big.get('since_rss_kb', 0) <= 100 * 1024)} |")
    if site.get("first"):
        b = site["first"]
        p(f"| `build` of the corpus ≤ 5 s | {b['s']:.2f} s | {verdict(b['s'] <= 5)} |")
        p(f"| `build` ≤ 20 MB total | {b['bytes'] / 1e6:.1f} MB | {verdict(b['bytes'] <= 20e6)} |")
        p(f"| no page over 200 KB | {b['over_200k']} over, largest {b['largest'] / 1e3:.0f} KB | {verdict(b['over_200k'] == 0)} |")
        p(f"| peak RSS ≤ 100 MB, `build` | {b['rss_kb'] / 1024:.1f} MB | {verdict(b['rss_kb'] <= 100 * 1024)} |")
    if site.get("second"):
        b = site["second"]
        p(f"| unchanged explainers not rewritten on a second build | {b.get('rewritten', 'n/a')} files rewritten, {b['s']:.2f} s | {verdict(b.get('rewritten') == 0)} |")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
