#!/usr/bin/env python3
"""Serving speed: each canned query over HTTP (``kg serve``) against the same query run
in-process on pyoxigraph, with 1 and 8 concurrent clients.

    python benchmarks/serve.py [--sizes seeds,10000] [--seconds 3] [--work /tmp/kg-serve-bench]

For each corpus (the seeds; N articles made with ``../shared/tools/make_corpus.py``) the
graph is built once into ``WORK/store-…`` (kept and reused by later runs), then for every
``queries/*.rq`` with its default parameters (except those marked ``network:``, which ask a
remote service; name them in ``--queries`` to time them anyway):

* in-process: ``Store.query(text, substitutions=…)`` on the store opened read-only, answer
  serialised to SPARQL JSON by Oxigraph — the floor, no HTTP, no server;
* HTTP: ``GET /queries/NAME`` (Accept: SPARQL JSON, no gzip) on a running ``kg serve``
  with its default settings (2 query workers on 2 cores, row limit 100,000) except a time
  limit of 600 s. When the server cuts an answer at the row limit, the in-process query gets
  ``LIMIT 100000`` appended, so both sides produce the same rows.

One client: median latency and requests/s over sequential runs. Eight clients: requests/s
with eight in flight at once — eight processes each with the store open in-process (threads
would take turns on the GIL), eight keep-alive connections over HTTP. Prints a table and
writes WORK/serve-bench.json.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from benchmarks.build import make_corpus  # noqa: E402
from kg.server.canned import Library  # noqa: E402

CLIENTS = (1, 8)
MAX_ROWS = 100_000           # kg serve's default row limit
BY_NAME = ("PREFIX nkg: <https://w3id.org/newskg/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
           "SELECT ?name ?entity ?n WHERE { { ?entity rdfs:label ?name } UNION { ?entity nkg:alias ?name } "
           "OPTIONAL { ?entity nkg:mentionCount ?n } } ORDER BY DESC(?n) ?entity LIMIT 1")


def resolved(path: str, query) -> dict:
    """The default parameters as the server binds them (a name becomes its entity's IRI)."""
    store = ox.Store.read_only(path)
    out = {}
    for name, term in query.substitutions({}).items():
        param = next(p for p in query.parameters if p.name == name)
        if param.type == "label-or-iri" and isinstance(term, ox.Literal):
            rows = list(store.query(BY_NAME, use_default_graph_as_union=True,
                                    substitutions={ox.Variable("name"): term}))
            term = rows[0]["entity"] if rows else term
        out[ox.Variable(name)] = term
    return out


# ------------------------------------------------------------------ corpora and stores

def ensure_store(corpus: Path, store: Path) -> dict:
    if not (store / "current").exists():
        print(f"building {store} from {corpus} (once; later runs reuse it)", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store)], cwd=ROOT)
        if result.returncode not in (0, 3):
            raise SystemExit(f"kg build failed ({result.returncode})")
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return json.loads((store / "current" / "build.json").read_text())


# ------------------------------------------------------------------ in-process floor

def _inprocess_once(store: ox.Store, text: str, subs: dict) -> tuple[float, int]:
    started = time.perf_counter()
    body = store.query(text, use_default_graph_as_union=True, substitutions=subs).serialize(
        format=ox.QueryResultsFormat.JSON)
    return time.perf_counter() - started, len(body)


def _inprocess_worker(args) -> int:
    path, text, subs, seconds = args
    store = ox.Store.read_only(path)
    n, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline or n == 0:
        _inprocess_once(store, text, subs)
        n += 1
    return n


def measure_inprocess(path: str, text: str, subs: dict, seconds: float, min_runs: int, pool) -> dict:
    store = ox.Store.read_only(path)
    _inprocess_once(store, text, subs)                        # warm-up
    times, deadline = [], time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < min_runs:
        times.append(_inprocess_once(store, text, subs)[0])
    out = {"p50_ms": statistics.median(times) * 1000, "rps1": len(times) / sum(times)}
    started = time.perf_counter()
    done = sum(pool.map(_inprocess_worker, [(path, text, subs, seconds)] * 8))
    out["rps8"] = done / (time.perf_counter() - started)
    return out


# ------------------------------------------------------------------ over HTTP

class Client:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)

    def get(self, path: str) -> tuple[float, int, dict]:
        started = time.perf_counter()
        self.conn.request("GET", path, headers={"Accept": "application/sparql-results+json",
                                                "Accept-Encoding": "identity"})
        response = self.conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {body[:300]!r}")
        return elapsed, len(body), response.msg      # case-insensitive headers


def measure_http(port: int, path: str, seconds: float, min_runs: int) -> dict:
    client = Client(port)
    _, size, headers = client.get(path)                        # warm-up
    times, deadline = [], time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < min_runs:
        times.append(client.get(path)[0])
    out = {"p50_ms": statistics.median(times) * 1000, "rps1": len(times) / sum(times),
           "rows": int(headers.get("X-KG-Rows", -1)), "bytes": size,
           "truncated": "X-SPARQL-MaxRows" in headers}
    counts = [0] * 8

    def loop(i):
        c = Client(port)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end or counts[i] == 0:
            c.get(path)
            counts[i] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out["rps8"] = sum(counts) / (time.perf_counter() - started)
    return out


def start_server(store: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port),
                                "--timeout", "600"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                # the server counts the graph for VoID at start: let it finish before measuring
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
                conn.request("GET", "/.well-known/void")
                conn.getresponse().read()
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("kg serve did not start")


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------ main

def bench_corpus(label: str, store: Path, seconds: float, min_runs: int, only: list[str] | None) -> list[dict]:
    info = json.loads((store / "current" / "build.json").read_text())
    print(f"\n## {label}: {info['documents']} articles, {info['quads']:,} quads\n", flush=True)
    path = str((store / "current").resolve() / "oxigraph")
    queries = Library(ROOT / "queries").all()
    port = free_port()
    server = start_server(store, port)
    rows = []
    context = multiprocessing.get_context("spawn")
    try:
        with context.Pool(8) as pool:
            for name, query in queries.items():
                if only and name not in only:
                    continue
                if query.network and not only:
                    # asks a remote service (Wikidata): its time is the service's, not ours
                    print(f"| {name} | skipped: needs the network ({query.network}); name it in --queries to run it |",
                          flush=True)
                    continue
                params = {p.name: p.default for p in query.parameters}
                url = f"/queries/{name}" + (f"?{urlencode(params)}" if params else "")
                over = measure_http(port, url, seconds, min_runs)
                subs = resolved(path, query)
                text = query.sparql + (f"\nLIMIT {MAX_ROWS}" if over["truncated"] else "")
                floor = measure_inprocess(path, text, subs, seconds, min_runs, pool)
                row = {"corpus": label, "query": name, "rows": over["rows"], "truncated": over["truncated"],
                       "inprocess": floor, "http": over}
                rows.append(row)
                print(_line(row), flush=True)
    finally:
        server.terminate()
        server.wait(30)
    return rows


HEADER = ("| query | rows | p50 in-process ms | p50 HTTP ms | HTTP/floor | req/s 1 client in-proc / HTTP "
          "| req/s 8 clients in-proc / HTTP |\n|---|---:|---:|---:|---:|---:|---:|")


def _line(row: dict) -> str:
    f, h = row["inprocess"], row["http"]
    return (f"| {row['query']} | {row['rows']:,} | {f['p50_ms']:.1f} | {h['p50_ms']:.1f} | "
            f"{h['p50_ms'] / max(f['p50_ms'], 1e-6):.2f}x | {f['rps1']:.1f} / {h['rps1']:.1f} | "
            f"{f['rps8']:.1f} / {h['rps8']:.1f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="seeds,10000", help="comma-separated: 'seeds' and/or article counts")
    ap.add_argument("--seconds", type=float, default=3.0, help="time spent on each measurement (default 3)")
    ap.add_argument("--min-runs", type=int, default=3, help="at least this many runs per measurement")
    ap.add_argument("--queries", help="comma-separated canned query names (default: all)")
    ap.add_argument("--make-corpus", type=Path, default=ROOT.parent / "shared" / "tools" / "make_corpus.py")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-serve-bench")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    only = args.queries.split(",") if args.queries else None
    results = []
    print(HEADER)
    for size in args.sizes.split(","):
        if size == "seeds":
            store = args.work / "store-seeds"
            ensure_store(ROOT / "seeds", store)
        else:
            n = int(size)
            corpus = args.work / f"corpus-{n}"
            make_corpus(args.make_corpus, corpus, n)
            store = args.work / f"store-{n}"
            ensure_store(corpus, store)
        results += bench_corpus(size, store, args.seconds, args.min_runs, only)
    out = args.work / "serve-bench.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
