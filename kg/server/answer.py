"""A query's outcome → the HTTP response: status, Content-Type, timing and truncation
headers, or an HTML table for a browser.

Shared by ``/sparql`` and ``/queries/NAME`` so both answer the same way. The body comes from
the worker already serialised (and compressed when the client accepts gzip); this module
only adds headers — except for browsers, where the JSON or N-Triples answer is turned into
a table (autoescaped by Jinja: article text is data, never markup).
"""
from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import pyoxigraph as ox
from flask import Response, g, render_template

from ..dump import PREFIXES
from . import negotiate
from .hooks import ClientError, add_vary
from .pool import Outcome

ERRORS = {"syntax": (400, "malformed query: {}"), "invalid": (400, "invalid request: {}")}


def check(outcome: Outcome, accept: str | None = None) -> None:
    """Raise :class:`ClientError` for a query that failed or has no acceptable format."""
    meta = outcome.meta
    if meta.get("not_acceptable"):
        kind = meta["kind"]
        what = "a graph (CONSTRUCT/DESCRIBE)" if kind == "graph" else "results (SELECT/ASK)"
        raise ClientError(406, f"the query answers with {what}, but none of the formats asked for "
                               f"(Accept: {accept or '*/*'}) fits it; available: {negotiate.acceptable_list(kind)}")
    if meta.get("ok"):
        return
    error, message = meta.get("error"), meta.get("message", "")
    if error in ERRORS:
        status, text = ERRORS[error]
        raise ClientError(status, text.format(message))
    if meta.get("services"):
        raise ClientError(502, f"a federated SERVICE call failed: {message}")
    raise ClientError(500, f"the query failed: {message}")


def timing(outcome: Outcome) -> str:
    """``Server-Timing``: waiting for a worker, Oxigraph's work, and the whole request."""
    total = (time.perf_counter() - g.started) * 1000 if "started" in g else outcome.elapsed * 1000
    query = outcome.meta.get("seconds", outcome.elapsed) * 1000
    return (f'wait;dur={outcome.waited * 1000:.1f};desc="waiting for a query worker", '
            f'query;dur={query:.1f};desc="Oxigraph: evaluate and serialise", '
            f'total;dur={total:.1f}')


def respond(outcome: Outcome, max_rows: int, filename: str | None = None) -> Response:
    """The worker's bytes as they are, with the headers that describe them."""
    meta = outcome.meta
    response = Response(outcome.body, status=200, content_type=negotiate.media_type(meta["format"]))
    if meta.get("encoding"):
        response.headers["Content-Encoding"] = meta["encoding"]
    add_vary(response, "Accept", "Accept-Encoding")
    decorate(response, outcome, max_rows)
    if filename:
        ext = negotiate.FORMATS[meta["format"]].extension
        response.headers["Content-Disposition"] = f'inline; filename="{filename}.{ext}"'
    return response


def decorate(response: Response, outcome: Outcome, max_rows: int) -> None:
    meta = outcome.meta
    response.headers["Server-Timing"] = timing(outcome)
    if meta.get("build"):
        response.headers["X-KG-Build"] = meta["build"]
    if meta.get("rows") is not None:
        response.headers["X-KG-Rows"] = str(meta["rows"])
    if meta.get("truncated"):
        # Virtuoso's header name: clients that know it learn the answer was cut at this many rows.
        response.headers["X-SPARQL-MaxRows"] = str(max_rows)


# ------------------------------------------------------------------ HTML tables for browsers

def table(outcome: Outcome, base: str) -> dict:
    """Columns and rows of cells for ``_results.html`` from a JSON or N-Triples answer."""
    meta = outcome.meta
    if meta["kind"] == "graph":
        triples = ox.parse(outcome.body, ox.RdfFormat.N_TRIPLES)
        columns = ["subject", "predicate", "object"]
        rows = [[cell(_term_json(t.subject), base), cell(_term_json(t.predicate), base),
                 cell(_term_json(t.object), base)] for t in triples]
        return {"columns": columns, "rows": rows, "boolean": None, "truncated": meta.get("truncated")}
    data = json.loads(outcome.body)
    if "boolean" in data:
        return {"columns": [], "rows": [], "boolean": data["boolean"], "truncated": False}
    columns = data["head"]["vars"]
    rows = [[cell(b.get(v), base) for v in columns] for b in data["results"]["bindings"]]
    return {"columns": columns, "rows": rows, "boolean": None, "truncated": meta.get("truncated")}


def _term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def cell(term: dict | None, base: str) -> dict:
    """One value as the page shows it: text, an optional link, a small note (type/language)."""
    if term is None:
        return {"text": "", "kind": "unbound"}
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return {"text": compact(value, base), "href": local_href(value, base), "title": value, "kind": "iri"}
    if kind == "bnode":
        return {"text": f"_:{value}", "kind": "bnode"}
    if kind in ("literal", "typed-literal"):
        note = term.get("xml:lang") or (compact(term["datatype"], base) if term.get("datatype") else "")
        return {"text": value, "note": note, "kind": "literal"}
    return {"text": str(value), "kind": kind}


def compact(iri: str, base: str) -> str:
    if base and iri.startswith(base):
        return iri[len(base):] or iri
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def local_href(iri: str, base: str) -> str:
    """Links stay on this server for IRIs it mints (their path is where they resolve)."""
    if base and iri.startswith(base):
        parts = urlsplit(iri)
        return parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return iri


def render_results(template: str, outcome: Outcome, base: str, max_rows: int, **context) -> Response:
    body = render_template(template, result=table(outcome, base), max_rows=max_rows,
                           timing_ms=outcome.meta.get("seconds", 0) * 1000, **context)
    response = Response(body, mimetype="text/html")
    add_vary(response, "Accept")
    decorate(response, outcome, max_rows)
    return response
