#!/usr/bin/env python3
"""Build speed and memory on a synthetic corpus.

    python benchmarks/build.py [-n 1000] [--make-corpus ../shared/tools/make_corpus.py]

Generates N articles with the shared scale-corpus generator (same seed, same corpus), then
times real ``kg build`` runs in fresh stores:

* a cold build with 1 worker and with 2 workers (no cache): articles/s, triples/s;
* the share of the build spent in the NLP (extraction) pass;
* a rebuild with nothing changed (the graph is current: nothing to do), a forced rebuild
  (every article from the extraction cache, every later step redone) and a rebuild with one
  article changed;
* peak resident memory of the build process and of its largest worker.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(generator: Path, out: Path, n: int) -> None:
    if out.exists() and len(list(out.glob("*.txt"))) == n:
        return
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([sys.executable, str(generator), "--seeds", str(ROOT / "seeds"), "--out", str(out), "-n", str(n)],
                   check=True, capture_output=True)


def timed_build(corpus: Path, store: Path, workers: int, extra: list[str] = ()) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store),
                             "--workers", str(workers), *extra], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 3):
        raise SystemExit(result.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    info = json.loads((store / "current" / "build.json").read_text())
    return {"seconds": elapsed, "info": info, "peak_rss_mb": max(peak, before) / 1024}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000, help="articles in the corpus (default 1000)")
    ap.add_argument("--make-corpus", type=Path, default=ROOT.parent / "shared" / "tools" / "make_corpus.py")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench")
    args = ap.parse_args()
    corpus = args.work / f"corpus-{args.n}"
    make_corpus(args.make_corpus, corpus, args.n)
    print(f"corpus: {args.n} articles, {sum(p.stat().st_size for p in corpus.glob('*.txt')) / 1e6:.1f} MB")

    results = {}
    for workers in (1, 2):
        store = args.work / f"store-{args.n}-w{workers}"
        shutil.rmtree(store, ignore_errors=True)
        results[workers] = run = timed_build(corpus, store, workers, ["--no-cache"])
        info = run["info"]
        share = info["seconds"]["extract"] / info["seconds"]["total"]
        print(f"{workers} worker{'s' if workers > 1 else ' '}: {run['seconds']:6.1f} s  "
              f"{args.n / run['seconds']:6.1f} articles/s  {info['quads'] / run['seconds']:8.0f} triples/s  "
              f"NLP share {share:.0%}  peak RSS {run['peak_rss_mb']:.0f} MB  ({info['quads']} triples)")
    print(f"speed-up with 2 workers: {results[1]['seconds'] / results[2]['seconds']:.2f}x")

    steps = results[1]["info"]["seconds"]
    print("1 worker, seconds per step: " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()))

    store = args.work / f"store-{args.n}-w2"
    first = results[2]["seconds"]
    unchanged = timed_build(corpus, store, 2)
    print(f"rebuild, nothing changed: {unchanged['seconds']:.1f} s ({first / unchanged['seconds']:.0f}x faster "
          f"than the first build with 2 workers; the graph is kept as it is)")
    forced = timed_build(corpus, store, 2, ["--force"])
    print(f"forced rebuild, every article from the cache: {forced['seconds']:.1f} s "
          f"({first / forced['seconds']:.1f}x faster; {forced['info']['cached']} articles from cache)")
    edited = args.work / f"corpus-{args.n}-edited"
    shutil.rmtree(edited, ignore_errors=True)
    shutil.copytree(corpus, edited)
    article = sorted(edited.glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nA correction was appended later.\n", encoding="utf-8")
    one = timed_build(edited, store, 2)
    print(f"rebuild with one article changed: {one['seconds']:.1f} s ({first / one['seconds']:.1f}x faster; "
          f"{one['info']['cached']} articles from cache)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
