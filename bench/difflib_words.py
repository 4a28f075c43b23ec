#!/usr/bin/env python3
"""Time Python's difflib.SequenceMatcher on word lists, in-process.

The peer for redline's in-process structured diff: the usual way to get a
word-level diff in Python. The timed region is what a caller would do with two
texts already in memory: split into words, build the matcher, get the opcodes.
File reading is outside it, as redline's parsing is outside its `diff` figure.

Usage: difflib_words.py NAME OLD NEW [NAME OLD NEW ...]
Prints one JSON object per pair: {"name", "words_old", "words_new", "ms", "runs"}
where ms is the median of the runs (at least 3, or as many as fit in ~2 s;
one run when a single run takes over 20 s).
"""

import difflib
import json
import statistics
import sys
import time


def diff_words(old: str, new: str):
    a = old.split()
    b = new.split()
    return difflib.SequenceMatcher(None, a, b).get_opcodes()


def time_pair(old: str, new: str, budget: float = 2.0, min_runs: int = 3, max_runs: int = 50):
    times = []
    started = time.perf_counter()
    while len(times) < max_runs:
        t0 = time.perf_counter()
        diff_words(old, new)
        times.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
        # One run that blows the budget tenfold is figure enough (1 MB takes ~30 s).
        if (len(times) >= min_runs and elapsed > budget) or elapsed > 10 * budget:
            break
    return statistics.median(times) * 1000.0, len(times)


def main(argv):
    if len(argv) % 3 != 0 or not argv:
        sys.exit(__doc__)
    for i in range(0, len(argv), 3):
        name, old_path, new_path = argv[i : i + 3]
        with open(old_path, encoding="utf-8") as f:
            old = f.read()
        with open(new_path, encoding="utf-8") as f:
            new = f.read()
        ms, runs = time_pair(old, new)
        print(
            json.dumps(
                {
                    "name": name,
                    "words_old": len(old.split()),
                    "words_new": len(new.split()),
                    "ms": round(ms, 3),
                    "runs": runs,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
