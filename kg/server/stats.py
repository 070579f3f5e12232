"""Counts about a build for VoID and the Service Description, computed once per build.

Distinct triples, triples per graph, entities per class and triples per property are
aggregate queries over the whole graph: seconds on a large corpus. They only change when
the build does, so they are computed on first use, kept in memory and written to
``builds/<id>/stats.json`` (when the folder is writable) for the next server start.
"""
from __future__ import annotations

import json
import os
import threading

from .engine import Engine

QUERIES = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY DESC(?n) ?g",
    "classes": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c",
    "properties": "SELECT ?c (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?c ?o WHERE { ?s ?c ?o } } "
                  "GROUP BY ?c ORDER BY DESC(?n) ?c",
    "subjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
}
VERSION = 1

_lock = threading.Lock()
_cache: dict[str, dict] = {}


def stats(engine: Engine) -> dict:
    build = engine.builds.current()
    with _lock:
        if build.id in _cache:
            return _cache[build.id]
        path = build.path / "stats.json"
        data = _read(path)
        if data is None:
            data = _compute(engine)
            _write(path, data)
        _cache.clear()
        _cache[build.id] = data
        return data


def _compute(engine: Engine) -> dict:
    timeout = max(engine.settings.timeout, 120.0)
    out = {"version": VERSION}
    for key, text in QUERIES.items():
        rows = engine.select(text, max_rows=0, timeout=timeout)
        if key in ("triples", "subjects"):
            out[key] = int(rows[0]["n"]["value"]) if rows else 0
        else:
            name = "g" if key == "graphs" else "c"
            out[key] = [[row[name]["value"], int(row["n"]["value"])] for row in rows if name in row]
    return out


def _read(path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if data.get("version") == VERSION else None


def _write(path, data: dict) -> None:
    tmp = path.with_name(f".stats-{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass    # a read-only store folder: keep the counts in memory only
