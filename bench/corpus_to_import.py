#!/usr/bin/env python3
"""Turn a revision corpus (`<history>/index.tsv` + `NNNN_*.md`, see ../shared/corpus/README.md)
into a `redline import` folder: each revision gets TOML front matter with its real commit time
as `updated`, the history's name as title, and a [change] table (editor "rev <sha10>", kind
major, the commit subject as note), as ../shared/tools/since-audit.py does. The bodies are
the corpus files unchanged.

Usage: corpus_to_import.py CORPUS_DIR OUT_DIR
"""

import csv
import json
import os
import sys
from pathlib import Path


def main(corpus, out):
    for name in sorted(os.listdir(corpus)):
        index = Path(corpus, name, "index.tsv")
        if not index.exists():
            continue
        Path(out, name).mkdir(parents=True, exist_ok=True)
        with open(index, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        for row in rows:
            body = Path(corpus, name, row["file"]).read_text(encoding="utf-8")
            front = [
                "+++",
                f"title = {json.dumps(name)}",
                f"updated = {row['date']}",
                "",
                "[change]",
                f"editor = {json.dumps('rev ' + row['sha'][:10])}",
                'kind = "major"',
                f"note = {json.dumps(row['subject'], ensure_ascii=False)}",
                "+++",
                "",
            ]
            Path(out, name, row["file"]).write_text("\n".join(front) + body, encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
