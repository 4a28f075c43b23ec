#!/usr/bin/env python3
"""In-process peers on every consecutive pair of a revision corpus.

For each `<history>/NNNN_*.md` pair of CORPUS_DIR (the same pairs as
`corpus_bench`), times diff-match-patch's character diff (`diff_main` with its
default 1 s timeout, then `diff_cleanupSemantic`, as its docs advise for
human-readable output) and Python difflib's SequenceMatcher on word lists
(`difflib_words.diff_words`). File reading is outside the timed region.

Usage: corpus_peers.py CORPUS_DIR [HISTORY]
Prints one JSON object per pair: {"history","pair","dmp_ms","dmp_timeouts","difflib_ms"}
(medians of at least 3 runs or as many as fit in ~0.2 s; dmp_timeouts counts runs
that hit dmp's 1 s timeout, whose diff is then coarse).
Needs `pip install diff-match-patch`.
"""

import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from difflib_words import diff_words  # noqa: E402

from diff_match_patch import diff_match_patch  # noqa: E402


def timed(work, budget=0.2, min_runs=3, max_runs=30):
    times = []
    started = time.perf_counter()
    while len(times) < max_runs:
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
        if len(times) >= min_runs and time.perf_counter() - started > budget:
            break
    return times


def main(argv):
    if not argv:
        sys.exit(__doc__)
    corpus, only = argv[0], (argv[1] if len(argv) > 1 else None)
    dmp = diff_match_patch()
    for history in sorted(os.listdir(corpus)):
        folder = os.path.join(corpus, history)
        if not os.path.isdir(folder) or (only and history != only):
            continue
        files = sorted(f for f in os.listdir(folder) if f.endswith(".md"))
        for old_name, new_name in zip(files, files[1:]):
            with open(os.path.join(folder, old_name), encoding="utf-8") as f:
                old = f.read()
            with open(os.path.join(folder, new_name), encoding="utf-8") as f:
                new = f.read()

            def dmp_diff():
                diffs = dmp.diff_main(old, new)
                dmp.diff_cleanupSemantic(diffs)

            dmp_times = timed(dmp_diff)
            difflib_times = timed(lambda: diff_words(old, new))
            print(
                json.dumps(
                    {
                        "history": history,
                        "pair": f"{old_name[:4]}-{new_name[:4]}",
                        "dmp_ms": round(statistics.median(dmp_times) * 1000, 4),
                        "dmp_timeouts": sum(t >= dmp.Diff_Timeout for t in dmp_times),
                        "difflib_ms": round(statistics.median(difflib_times) * 1000, 4),
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
