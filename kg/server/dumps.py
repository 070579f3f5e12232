"""``/dump.nq``, ``/dump.trig``, ``/dump.ttl``, ``/dump.nt`` and their ``.gz`` forms.

The whole graph as a download: N-Quads and TriG keep the named graphs (one per article,
the knowledge graph, the ontology); Turtle and N-Triples hold the union, each triple once.
Files come from ``dumpfiles.py`` (written once per build) and are served by Flask's
``send_file`` with ``conditional=True``: ETag and Last-Modified, 304 on revalidation, HEAD,
and byte ranges (206) for resumed downloads. A client that accepts gzip gets the
pre-compressed file with ``Content-Encoding: gzip``; the ``.gz`` URLs are plain gzip files.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, request, send_file

from .dumpfiles import FORMATS, DumpFailed, ensure
from .hooks import ClientError, accepts_gzip, add_vary

bp = Blueprint("dumps", __name__)

MEDIA = {"nq": "application/n-quads", "trig": "application/trig", "ttl": "text/turtle",
         "nt": "application/n-triples"}
DUMPS = [f"dump.{ext}{gz}" for ext in FORMATS for gz in ("", ".gz")]


@bp.route("/dump.<path:ext>")
def dump(ext: str):
    packed_url = ext.endswith(".gz")
    plain_ext = ext[:-3] if packed_url else ext
    if plain_ext not in FORMATS:
        abort(404, description=f"no dump /dump.{ext}; available: {', '.join('/' + d for d in DUMPS)}")
    build = current_app.extensions["kg"].builds.current()
    try:
        plain, packed = ensure(build.path, plain_ext)
    except DumpFailed as exc:
        raise ClientError(500, str(exc)) from None
    name = f"newskg-{build.id}.{ext}"
    if packed_url:
        return send_file(packed, mimetype="application/gzip", as_attachment=True, download_name=name,
                         conditional=True, etag=True)
    if accepts_gzip() and "Range" not in request.headers:
        response = send_file(packed, mimetype=MEDIA[plain_ext], as_attachment=True, download_name=name,
                             conditional=True, etag=True)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = send_file(plain, mimetype=MEDIA[plain_ext], as_attachment=True, download_name=name,
                             conditional=True, etag=True)
    add_vary(response, "Accept-Encoding")
    return response
