#!/usr/bin/env python3
"""Assemble the figures of one bench/run.sh run into Markdown tables with ratios.

Usage: report.py WORK_DIR CRITERION_DIR
Reads WORK_DIR/{machine.txt,pairs.tsv,hf-*.json,difflib.jsonl,import-*.txt} and
CRITERION_DIR/<group>/<id>/new/estimates.json; prints Markdown to stdout.
Missing figures print as "n/a" so a partial run still reports what it has.
"""

import json
import os
import sys


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def hyperfine(work, name):
    """Mean/stddev seconds per command of one hyperfine export, in order."""
    data = load_json(os.path.join(work, f"hf-{name}.json"))
    if not data:
        return []
    return [(r["mean"], r.get("stddev") or 0.0, r.get("min")) for r in data["results"]]


def criterion_ms(crit, group, bench_id):
    data = load_json(os.path.join(crit, group, bench_id, "new", "estimates.json"))
    if not data:
        return None
    return data["mean"]["point_estimate"] / 1e6


def fmt_ms(ms):
    if ms is None:
        return "n/a"
    if ms < 1:
        return f"{ms * 1000:.0f} µs"
    if ms < 100:
        return f"{ms:.2f} ms"
    if ms < 10000:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.1f} s"


def fmt_ratio(x):
    return "n/a" if x is None else f"{x:.2f}×" if x < 10 else f"{x:.0f}×"


def verdict(ok):
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def main(work, crit):
    out = []
    p = out.append
    machine = ""
    try:
        with open(os.path.join(work, "machine.txt"), encoding="utf-8") as f:
            machine = f.read().strip()
    except OSError:
        pass
    p("### Machine\n\n```\n" + machine + "\n```\n")

    pairs = []
    with open(os.path.join(work, "pairs.tsv"), encoding="utf-8") as f:
        for line in f:
            name, old, new = line.rstrip("\n").split("\t")
            size = os.path.getsize(old) + os.path.getsize(new)
            pairs.append((name, size))

    # (i) whole process: redline diff --files vs git word-diff.
    p("### (i) Whole process: `redline diff --files OLD NEW` vs `git diff --no-index --word-diff=porcelain OLD NEW`\n")
    p("| pair | bytes (old+new) | redline | git word-diff | redline / git |")
    p("| --- | ---: | ---: | ---: | ---: |")
    demo_ratios = []
    for name, size in pairs:
        r = hyperfine(work, f"diff-{name}")
        if len(r) < 2:
            p(f"| {name} | {size:,} | n/a | n/a | n/a |")
            continue
        ratio = r[0][0] / r[1][0]
        if name.startswith("demo-"):
            demo_ratios.append(ratio)
        p(
            f"| {name} | {size:,} | {fmt_ms(r[0][0] * 1000)} ± {fmt_ms(r[0][1] * 1000)} "
            f"| {fmt_ms(r[1][0] * 1000)} ± {fmt_ms(r[1][1] * 1000)} | {fmt_ratio(ratio)} |"
        )
    p("")

    # (ii) in-process: redline (criterion) vs difflib.
    difflib = {}
    try:
        with open(os.path.join(work, "difflib.jsonl"), encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                difflib[row["name"]] = row
    except OSError:
        pass
    p("### (ii) In-process: redline `diff::diff` (criterion mean) vs Python `difflib.SequenceMatcher` on word lists (median)\n")
    p("| pair | redline diff | redline parse+diff | difflib words | difflib / diff | difflib / parse+diff |")
    p("| --- | ---: | ---: | ---: | ---: | ---: |")
    speedups = []
    for name, _ in pairs:
        d = criterion_ms(crit, "diff", name)
        pd = criterion_ms(crit, "parse_and_diff", name)
        dl = difflib.get(name, {}).get("ms")
        r1 = dl / d if dl and d else None
        r2 = dl / pd if dl and pd else None
        if r1 is not None:
            speedups.append((name, r1, r2))
        p(f"| {name} | {fmt_ms(d)} | {fmt_ms(pd)} | {fmt_ms(dl)} | {fmt_ratio(r1)} | {fmt_ratio(r2)} |")
    p("")

    # Pathological inputs (deadline).
    p("### Pathological inputs (criterion mean of `diff::diff`; deadline < 2 s)\n")
    p("| input | redline diff |")
    p("| --- | ---: |")
    patho = []
    for bench_id in ["unbroken-paragraph-1m", "identical-lines-50k", "full-rewrite-100k", "full-rewrite-1m"]:
        ms = criterion_ms(crit, "pathological", bench_id)
        if ms is not None:
            patho.append(ms)
        p(f"| {bench_id} | {fmt_ms(ms)} |")
    p("")

    # (iii) since, (iv) build.
    versions = os.environ.get("VERSIONS", "1000")
    explainers = os.environ.get("EXPLAINERS", "100")
    site_versions = os.environ.get("SITE_VERSIONS", "50")
    p(f"### (iii) `redline since SLUG v1` over {versions} versions, (iv) `redline build` over {explainers} × {site_versions}\n")
    p("| command | mean ± σ | min |")
    p("| --- | ---: | ---: |")
    since = hyperfine(work, "since")
    since_packed = hyperfine(work, "since-packed")
    build = hyperfine(work, "build")
    for label, r in [
        (f"since v1 ({versions} versions)", since),
        (f"since v1 ({versions} versions), store packed by `git gc`", since_packed),
        (f"build --out ({explainers} explainers × {site_versions} versions)", build),
    ]:
        if r:
            p(f"| {label} | {fmt_ms(r[0][0] * 1000)} ± {fmt_ms(r[0][1] * 1000)} | {fmt_ms((r[0][2] or 0) * 1000)} |")
        else:
            p(f"| {label} | n/a | n/a |")
    for label, file in [
        (f"import {versions} versions (once)", "import-history.txt"),
        (f"import {explainers} × {site_versions} versions (once)", "import-site.txt"),
    ]:
        try:
            with open(os.path.join(work, file), encoding="utf-8") as f:
                secs = float(f.read().strip())
            p(f"| {label} | {fmt_ms(secs * 1000)} | |")
        except (OSError, ValueError):
            p(f"| {label} | n/a | |")
    p("")

    # Targets.
    d100 = criterion_ms(crit, "diff", "generated-100k")
    min_speedup = min((s[1] for s in speedups), default=None)
    p("### Targets\n")
    p("| target | figure | verdict |")
    p("| --- | --- | --- |")
    p(f"| 100 KB structured diff ≤ 5 ms in-process | {fmt_ms(d100)} | {verdict(None if d100 is None else d100 <= 5)} |")
    worst_demo = max(demo_ratios) if demo_ratios else None
    p(
        f"| `redline diff --files` no slower than git word-diff (demo pairs) | worst redline/git {fmt_ratio(worst_demo)} "
        f"| {verdict(None if worst_demo is None else worst_demo <= 1.0)} |"
    )
    p(
        f"| ≥ 50× faster than difflib word-level (diff only) | lowest {fmt_ratio(min_speedup)} "
        f"({', '.join(f'{n} {fmt_ratio(r)}' for n, r, _ in speedups)}) "
        f"| {verdict(None if min_speedup is None else min_speedup >= 50)} |"
    )
    # A smaller history or site (QUICK=1) says nothing about these targets.
    full_since = versions == "1000"
    full_build = (explainers, site_versions) == ("100", "50")
    s_ms = since[0][0] * 1000 if since else None
    p(f"| `since` over 1,000 versions ≤ 100 ms | {fmt_ms(s_ms)} ({versions} versions) "
      f"| {verdict(None if s_ms is None or not full_since else s_ms <= 100)} |")
    b_ms = build[0][0] * 1000 if build else None
    p(f"| `build` 100 × 50 ≤ 30 s | {fmt_ms(b_ms)} ({explainers} × {site_versions}) "
      f"| {verdict(None if b_ms is None or not full_build else b_ms <= 30000)} |")
    worst_patho = max(patho) if patho else None
    p(f"| pathological inputs < 2 s | worst {fmt_ms(worst_patho)} | {verdict(None if worst_patho is None else worst_patho < 2000)} |")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
