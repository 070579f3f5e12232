"""One door to the graph for every route: checks a query, then runs it on the worker pool.

Every query the server runs — from ``/sparql``, a canned query, an entity page — comes
through :meth:`Engine.query`, so the same rules hold everywhere: updates are refused,
``SERVICE`` targets must be allow-listed, the union default graph is used unless the
request or the query names its own dataset, the row limit and time limit apply.
"""
from __future__ import annotations

import json

from . import sparql_text
from .builds import Builds
from .federation import check_services
from .pool import Outcome, QueryPool
from .settings import Settings


class UpdateRefused(PermissionError):
    pass


READ_ONLY = ("this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, "
             "COPY, MOVE, ADD) is not accepted; the graph changes only when 'kg build' is run")


class Engine:
    def __init__(self, settings: Settings, pool: QueryPool | None = None):
        self.settings = settings
        self.builds = Builds(settings.store_dir)
        self.pool = pool or QueryPool(settings.workers)

    def query(self, text: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              substitutions: dict | None = None, results: str | None = "json", graph: str | None = "turtle",
              max_rows: int | None = None, gzip: bool = False, timeout: float | None = None) -> Outcome:
        reading = sparql_text.read(text)
        if reading.is_update:
            raise UpdateRefused(READ_ONLY)
        check_services(reading, self.settings.services)
        if default_graphs is not None or named_graphs is not None:
            dataset = {"default": default_graphs or [], "named": named_graphs}
        else:
            dataset = {"union": not reading.has_dataset}
        build = self.builds.current()
        job = {
            "op": "query", "build": str(build.path), "query": text, "dataset": dataset,
            "substitutions": substitutions or {}, "results_format": results, "graph_format": graph,
            "max_rows": self.settings.max_rows if max_rows is None else max_rows, "gzip": gzip,
        }
        outcome = self.pool.run(job, timeout or self.settings.timeout)
        outcome.meta["services"] = bool(reading.services)
        outcome.meta["build"] = build.id
        return outcome

    def select(self, text: str, substitutions: dict | None = None, max_rows: int | None = None,
               timeout: float | None = None) -> list[dict]:
        """Rows of a SELECT for the server's own pages: [{var: SPARQL-JSON term}]."""
        outcome = self.query(text, substitutions=substitutions, results="json", graph=None,
                             max_rows=max_rows, timeout=timeout)
        if not outcome.meta.get("ok"):
            raise RuntimeError(outcome.meta.get("message", "query failed"))
        return json.loads(outcome.body)["results"]["bindings"]

    def ping(self, timeout: float = 10.0) -> dict:
        meta = self.pool.run({"op": "ping", "build": str(self.builds.current().path)}, timeout).meta
        if not meta.get("ok"):
            raise RuntimeError(meta.get("message", "the query worker cannot open the store"))
        return meta

    def close(self) -> None:
        self.pool.close()
