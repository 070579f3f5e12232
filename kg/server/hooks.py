"""What every response gets, whatever the route: CORS, gzip, and readable errors.

* CORS: the endpoint is public and read-only, so any web page may query it
  (``Access-Control-Allow-Origin: *``); preflight ``OPTIONS`` requests are answered here.
* gzip when the client says it accepts it; query answers arrive already compressed from the
  worker process (so the web server's threads do not spend time on it), pages are
  compressed here, dump files are served pre-compressed by ``dumps.py``.
* Errors: a browser gets an HTML page, every other client plain text with the reason
  (the SPARQL parser's message for a malformed query), never a stack trace.
"""
from __future__ import annotations

import gzip

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from . import negotiate
from .engine import UpdateRefused
from .federation import ServiceRefused
from .pool import PoolError, QueryTimeout
from ..store import StoreMissing

EXPOSED = ("Server-Timing, X-SPARQL-MaxRows, X-KG-Rows, X-KG-Build, Content-Disposition, ETag, "
           "Last-Modified, Content-Length, Content-Range, Accept-Ranges, Link")
COMPRESSIBLE = ("text/", "application/json", "application/ld+json", "application/sparql-results",
                "application/n-", "application/trig", "application/rdf+xml", "application/xml",
                "application/javascript")
GZIP_MIN = 1024


class ClientError(Exception):
    """A request the server will not run: ``status`` and a message for the client."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def install(app: Flask) -> None:
    app.before_request(_preflight)
    app.after_request(_cors)
    app.after_request(_compress)
    app.register_error_handler(ClientError, lambda e: error_response(e.status, e.message, e.headers))
    app.register_error_handler(UpdateRefused, lambda e: error_response(403, str(e)))
    app.register_error_handler(ServiceRefused, lambda e: error_response(403, str(e)))
    app.register_error_handler(QueryTimeout, lambda e: error_response(503, str(e), {"Retry-After": "5"}))
    app.register_error_handler(PoolError, lambda e: error_response(503, str(e), {"Retry-After": "1"}))
    app.register_error_handler(StoreMissing, lambda e: error_response(503, str(e)))
    app.register_error_handler(negotiate.NotAcceptable, lambda e: error_response(406, str(e)))
    app.register_error_handler(HTTPException, _http_error)


def wants_html(accept: str | None = None) -> bool:
    """True for a browser: its Accept names text/html and ranks it first."""
    return negotiate.prefers_html(request.headers.get("Accept", "") if accept is None else accept)


def error_response(status: int, message: str, headers: dict | None = None) -> Response:
    if wants_html():
        body = render_template("error.html", status=status, message=message)
        response = Response(body, status=status, mimetype="text/html")
    else:
        response = Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _http_error(exc: HTTPException) -> Response:
    response = error_response(exc.code or 500, exc.description or exc.name)
    if exc.code == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _preflight():
    if request.method == "OPTIONS":
        response = Response(status=204)
        response.headers["Allow"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        asked = request.headers.get("Access-Control-Request-Headers")
        response.headers["Access-Control-Allow-Headers"] = asked or "Accept, Content-Type, Accept-Encoding, Range"
        response.headers["Access-Control-Max-Age"] = "86400"
        return response
    return None


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    return response


def accepts_gzip() -> bool:
    for part in (request.headers.get("Accept-Encoding") or "").split(","):
        pieces = [p.strip() for p in part.split(";")]
        if pieces[0].lower() in ("gzip", "x-gzip", "*"):
            q = next((p.split("=", 1)[1] for p in pieces[1:] if p.lower().startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def _compress(response: Response) -> Response:
    if (response.direct_passthrough or response.is_streamed or response.status_code != 200
            or "Content-Encoding" in response.headers or request.method == "HEAD"
            or not (response.mimetype or "").startswith(COMPRESSIBLE)):
        return response
    _add_vary(response, "Accept-Encoding")
    if not accepts_gzip():
        return response
    data = response.get_data()
    if len(data) < GZIP_MIN:
        return response
    response.set_data(gzip.compress(data, compresslevel=5))
    response.headers["Content-Encoding"] = "gzip"
    return response


def _add_vary(response: Response, header: str) -> None:
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    if header not in vary:
        vary.append(header)
        response.headers["Vary"] = ", ".join(vary)


def add_vary(response: Response, *headers: str) -> None:
    for header in headers:
        _add_vary(response, header)
