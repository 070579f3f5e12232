"""The home page (what the graph holds, the canned queries, the dumps, a query box) and
``/health`` (is there a graph, do the query workers answer).

The counts come from the build report (``build.json``), written once per build, so the
home page costs no query at all.
"""
from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify, render_template

from .dumpfiles import FORMATS
from .protocol import EXAMPLE

bp = Blueprint("home", __name__)

STARTED = time.time()


@bp.route("/")
def home():
    engine = current_app.extensions["kg"]
    build = engine.builds.current()
    info = build.info
    counts = [("Documents", info.get("documents"), "documents")]
    for kind, n in (info.get("entities") or {}).items():
        counts.append((_plural(kind), n, "entities"))
    for key, label in (("statements", "Statements"), ("roles", "Roles"), ("events", "Events"),
                       ("quantities", "Quantities")):
        if info.get(key) is not None:
            counts.append((label, info[key], key if key in ("statements", "roles", "events") else None))
    queries = current_app.extensions["kg.queries"].all().values()
    return render_template("home.html", build=build, counts=counts, triples=info.get("quads"),
                           queries=queries, dumps=list(FORMATS), example=EXAMPLE)


def _plural(kind: str) -> str:
    return {"Person": "People", "ReportingSource": "Reporting sources", "Organisation": "Organisations",
            "Location": "Locations", "Event": "Events"}.get(kind, kind + "s")


@bp.route("/health")
def health():
    engine = current_app.extensions["kg"]
    status = {"status": "ok", "uptime_s": round(time.time() - STARTED, 1)}
    try:
        build = engine.builds.current()
        status.update(build=build.id, documents=build.info.get("documents"), base=build.base)
        ping = engine.ping(timeout=10)
        status.update(workers=engine.pool.alive(), worker_build=ping.get("build"),
                      timeouts=engine.pool.timeouts)
        code = 200
    except Exception as exc:   # health reports any failure instead of raising it
        status.update(status="unavailable", reason=str(exc))
        code = 503
    response = jsonify(status)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response
