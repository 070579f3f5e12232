#!/usr/bin/env python3
"""Syndication detection time at 1,000 and 10,000 articles.

    python benchmarks/syndication.py [--sizes 1000 10000]

Articles come from the shared scale-corpus generator. Detection needs only each article's
content (page furniture masked) and metadata, so the layout step stands in for the full
extraction here; the NLP pass is measured by benchmarks/build.py. Prints, per size, the time
to detect versions, the number of candidate pairs checked, stories found, and the time per
article — near-constant per article means near-linear growth (no all-pairs comparison).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.build import make_corpus  # noqa: E402
from kg import syndication  # noqa: E402
from kg.layout import analyse  # noqa: E402
from kg.read import read_corpus  # noqa: E402
from kg.records import Extraction  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--make-corpus", type=Path, default=ROOT.parent / "shared" / "tools" / "make_corpus.py")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench")
    args = ap.parse_args()
    for n in args.sizes:
        corpus_dir = args.work / f"corpus-{n}"
        make_corpus(args.make_corpus, corpus_dir, n)
        corpus = read_corpus([corpus_dir])
        extractions = []
        for article in corpus.articles:
            layout = analyse(article.text)
            extractions.append(Extraction(article.doc_id, article.file, layout.metadata, layout.content))
        start = time.perf_counter()
        result = syndication.detect(corpus.articles, extractions)
        elapsed = time.perf_counter() - start
        print(f"{n:6d} articles: {elapsed:7.2f} s  ({1000 * elapsed / n:.2f} ms/article)  "
              f"{len(result.stories)} stories, {len(result.versions)} version links", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
