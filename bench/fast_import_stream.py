#!/usr/bin/env python3
"""The peer of `redline import` in bench/corpus.sh: a `git fast-import` stream that stores an
import folder (`DIR/<slug>/NNNN.md`, oldest first) as one commit per version on `main`, each
writing `explainers/<slug>.md` with the version file's bytes (front matter included: the
same bytes redline reads, no parsing). One commit time per version, in order.

Usage: fast_import_stream.py DIR > stream   (then: git init --bare S && git --git-dir S fast-import < stream)
"""

import os
import sys


def main(folder):
    out = sys.stdout.buffer
    mark = 0
    when = 1_700_000_000
    for slug in sorted(os.listdir(folder)):
        versions = sorted(f for f in os.listdir(os.path.join(folder, slug)) if f.endswith(".md"))
        for name in versions:
            with open(os.path.join(folder, slug, name), "rb") as f:
                data = f.read()
            mark += 1
            when += 60
            message = f"{slug} {name}\n".encode()
            out.write(b"commit refs/heads/main\n")
            out.write(b"mark :%d\n" % mark)
            out.write(b"committer Bench <bench@example.invalid> %d +0000\n" % when)
            out.write(b"data %d\n%s" % (len(message), message))
            out.write(b"M 100644 inline explainers/%s.md\n" % slug.encode())
            out.write(b"data %d\n%s\n" % (len(data), data))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
