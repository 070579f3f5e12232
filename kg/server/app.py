"""The Flask application: settings, the query engine and the routes, wired together.

Flask is only the router and template engine here; queries run in worker processes
(``pool.py``) and are serialised there by Oxigraph, so the web process stays thin and any
number of its threads can wait on workers at once. ``create_app`` is what ``kg serve``
hands to waitress and what tests can build directly.
"""
from __future__ import annotations

import time

from flask import Flask, g

from . import describe, dumps, home, hooks, pages, protocol, queries
from .canned import Library
from .engine import Engine
from .settings import Settings


def create_app(settings: Settings, engine: Engine | None = None) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_query_bytes
    app.config["JSON_SORT_KEYS"] = False
    app.json.sort_keys = False
    app.extensions["kg"] = engine or Engine(settings)
    app.extensions["kg.queries"] = Library(settings.queries_dir)
    app.jinja_env.globals["settings"] = settings
    app.before_request(_start_clock)
    hooks.install(app)
    for blueprint in (home.bp, protocol.bp, queries.bp, describe.bp, dumps.bp, pages.bp):
        app.register_blueprint(blueprint)
    return app


def _start_clock() -> None:
    g.started = time.perf_counter()
