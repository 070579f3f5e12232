"""Inside one worker process: open the current build read-only, run queries, serialise.

Queries run here, not in the web server's process, because pyoxigraph cannot cancel a
running query: a worker that overruns the time limit is killed and replaced (``pool.py``).
The query string goes to Oxigraph as it is (``Store.query``), and answers are serialised by
Oxigraph's own writers, so no Python-side SPARQL engine or serializer is ever in the path.

The row limit is exact and lazy: results are written as TSV (one line per row, terms in
N-Triples syntax, so lossless) into a writer that stops Oxigraph after ``limit + 1`` rows;
the TSV is then re-read and written in the requested format, again by Oxigraph.
"""
from __future__ import annotations

import gzip
import itertools
import os
import signal
import time
from pathlib import Path

import pyoxigraph as ox

from ..dump import PREFIXES

RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                 "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
                 "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
QUAD_FORMATS = {"nquads", "trig"}
GZIP_MIN = 1024


def serve(conn) -> None:
    """The worker's loop: one job in, one (meta, body) out, until the pipe closes."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the server's to handle
    state = _Store()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        meta, body = run(state, job)
        conn.send(meta)
        conn.send_bytes(body)


class _Store:
    """The read-only store of one build, reopened when the server says the build changed."""

    def __init__(self) -> None:
        self.path: str | None = None
        self.store: ox.Store | None = None

    def get(self, build: str) -> ox.Store:
        if build != self.path:
            self.store = None                       # close the old build's RocksDB first
            self.store = ox.Store.read_only(str(Path(build) / "oxigraph"))
            self.path = build
        return self.store


def run(state: _Store, job: dict) -> tuple[dict, bytes]:
    if job.get("op") == "ping":      # health check: can this worker open the current build?
        try:
            state.get(job["build"])
        except OSError as exc:
            return {"ok": False, "error": "failed", "message": str(exc)}, b""
        return {"ok": True, "pid": os.getpid(), "build": Path(state.path).name}, b""
    started = time.perf_counter()
    try:
        store = state.get(job["build"])
        result = store.query(job["query"], **_dataset(job))
        meta, body = _serialise(result, job)
    except SyntaxError as exc:
        return {"ok": False, "error": "syntax", "message": str(exc)}, b""
    except (ValueError, TypeError, RuntimeError) as exc:
        return {"ok": False, "error": "invalid", "message": str(exc)}, b""
    except OSError as exc:
        return {"ok": False, "error": "failed", "message": str(exc)}, b""
    meta["ok"] = True
    meta["seconds"] = time.perf_counter() - started
    if job.get("gzip") and len(body) >= GZIP_MIN:
        body = gzip.compress(body, compresslevel=3)
        meta["encoding"] = "gzip"
    return meta, body


def _dataset(job: dict) -> dict:
    """Query arguments: protocol graphs, else the union default graph (unless the query
    has its own FROM), plus safely bound parameters."""
    kwargs = {}
    dataset = job.get("dataset") or {}
    if dataset.get("default") is not None or dataset.get("named") is not None:
        kwargs["default_graph"] = [ox.NamedNode(i) for i in dataset.get("default") or []]
        if dataset.get("named") is not None:
            kwargs["named_graphs"] = [ox.NamedNode(i) for i in dataset["named"]]
    elif dataset.get("union", True):
        kwargs["use_default_graph_as_union"] = True
    if job.get("substitutions"):
        kwargs["substitutions"] = {ox.Variable(k): v for k, v in job["substitutions"].items()}
    return kwargs


def _serialise(result, job: dict) -> tuple[dict, bytes]:
    limit = job.get("max_rows") or 0
    if isinstance(result, ox.QueryBoolean):
        name = job.get("results_format")
        if name is None:
            return _not_acceptable("results")
        return {"kind": "boolean", "format": name, "rows": None, "truncated": False}, \
            result.serialize(format=RESULT_FORMATS[name])
    if isinstance(result, ox.QuerySolutions):
        name = job.get("results_format")
        if name is None:
            return _not_acceptable("results")
        body, rows, truncated = _solutions(result, name, limit)
        return {"kind": "results", "format": name, "rows": rows, "truncated": truncated}, body
    name = job.get("graph_format")
    if name is None:
        return _not_acceptable("graph")
    body, rows, truncated = _triples(result, name, limit)
    return {"kind": "graph", "format": name, "rows": rows, "truncated": truncated}, body


def _not_acceptable(kind: str) -> tuple[dict, bytes]:
    return {"kind": kind, "format": None, "not_acceptable": True}, b""


class _Enough(Exception):
    """Raised from inside Oxigraph's writer to stop evaluation once the limit is passed."""


class _LineCap:
    """A binary sink for TSV that keeps at most ``cap`` lines, then stops the writer."""

    def __init__(self, cap: int):
        self.cap, self.lines, self.parts, self.full = cap, 0, [], False

    def write(self, data) -> int:
        data = bytes(data)
        n = data.count(b"\n")
        if self.lines + n > self.cap:
            cut = -1
            for _ in range(self.cap - self.lines):
                cut = data.index(b"\n", cut + 1)
            self.parts.append(data[:cut + 1])
            self.lines, self.full = self.cap, True
            raise _Enough()
        self.parts.append(data)
        self.lines += n
        return len(data)

    def flush(self) -> None:
        pass


def _solutions(result: ox.QuerySolutions, name: str, limit: int) -> tuple[bytes, int, bool]:
    if not limit:
        body = result.serialize(format=RESULT_FORMATS[name])
        return body, None, False
    sink = _LineCap(limit + 2)       # header + limit rows + one more to know it was cut
    try:
        result.serialize(sink, format=RESULT_FORMATS["tsv"])
    except _Enough:
        pass
    except OSError:
        if not sink.full:
            raise
    tsv = b"".join(sink.parts)
    if not tsv.endswith(b"\n"):
        tsv += b"\n"
    rows = tsv.count(b"\n") - 1
    truncated = rows > limit
    if truncated:
        tsv = tsv[:_nth_newline(tsv, limit + 1) + 1]
        rows = limit
    if name == "tsv":
        return tsv, rows, truncated
    reparsed = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
    return reparsed.serialize(format=RESULT_FORMATS[name]), rows, truncated


def _nth_newline(data: bytes, n: int) -> int:
    at = -1
    for _ in range(n):
        at = data.index(b"\n", at + 1)
    return at


def _triples(result, name: str, limit: int) -> tuple[bytes, int, bool]:
    counter = itertools.count()
    triples = (t for t, _ in zip(result, counter))
    if limit:
        triples = itertools.islice(triples, limit + 1)
        taken = list(triples)
        truncated = len(taken) > limit
        triples = taken[:limit]
    else:
        truncated = False
    if name in QUAD_FORMATS:
        triples = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    prefixes = PREFIXES if name in ("turtle", "trig", "rdfxml") else None
    body = ox.serialize(triples, format=GRAPH_FORMATS[name], prefixes=prefixes) or b""
    rows = next(counter) if not limit else min(len(taken), limit)
    return body, rows, truncated


def _die_with_parent() -> None:
    """A server killed with SIGKILL must not leave its workers running (Linux)."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
