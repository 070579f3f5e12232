"""Every IRI the graph mints dereferences here: ``BASE/person/x`` is served at ``/person/x``.

The IRI of a request is the base IRI's scheme and host with the request's path, so the
graph's IRIs resolve when the base is this server's address, and are one host-swap away
when it is not. Browsers get an HTML page (label, type, facts, statements with the passage
that evidences them, links, Wikidata); RDF clients get the resource's description in
Turtle, N-Triples, JSON-LD or RDF/XML: its own triples and the triples that point at it —
for a document, its named graph (metadata, mentions, every evidence span, whose IRIs are
the document's IRI plus ``#char=S,E`` and so are described in the same representation), and
likewise for the corpus-level graph ``BASE/graph/knowledge`` (cut at the row limit).
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pyoxigraph as ox
from flask import Blueprint, current_app, render_template, request

from . import answer, negotiate
from .hooks import ClientError, accepts_gzip, add_vary, wants_html
from .pagedata import resource

bp = Blueprint("pages", __name__)

DESCRIBE = ("CONSTRUCT { ?this ?p ?o . ?s ?q ?this } WHERE { { ?this ?p ?o } UNION { ?s ?q ?this } }")
GRAPH_CONTENT = ("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?this { ?s ?p ?o } }")
IS_GRAPH = "ASK { GRAPH ?this { ?s ?p ?o } }"
GRAPH_SIZE = "SELECT ?this (COUNT(*) AS ?n) WHERE { GRAPH ?this { ?s ?p ?o } } GROUP BY ?this"
DESCRIPTION_LIMIT = 50_000


def iri_for(path: str, base: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}{path}"


@bp.route("/<path:subpath>", methods=["GET"])
def page(subpath: str):
    engine = current_app.extensions["kg"]
    build = engine.builds.current()
    iri = iri_for(request.path, build.base)
    try:
        this = ox.NamedNode(iri)
    except ValueError:
        raise ClientError(404, f"{request.path} is not a resource of this graph") from None
    formats = request.args.getlist("format")
    choice = negotiate.choose(request.headers.get("Accept"), formats, html=True,
                              graph_offers=negotiate.TRIPLE_FORMATS)
    subs = {"this": this}
    if choice.graph == "html" or (not formats and wants_html()):
        data = resource(engine, this, build.base)
        if data is not None:
            template = "document.html" if data["document"] else "resource.html"
            html = render_template(template, page=data, base=build.base)
        elif _ask(engine, IS_GRAPH, subs):        # a named graph that is not an article: BASE/graph/knowledge
            size = engine.select(GRAPH_SIZE, subs)
            html = render_template("graph.html", iri=iri, triples=int(size[0]["n"]["value"]) if size else 0)
        else:
            raise ClientError(404, f"<{iri}> is not in the graph")
        response = current_app.make_response(html)
        add_vary(response, "Accept")
        return response
    if not choice.graph:
        raise negotiate.NotAcceptable(f"a resource is available as HTML or "
                                      f"{', '.join(negotiate.FORMATS[n].media_type for n in negotiate.TRIPLE_FORMATS)}")
    is_graph = _ask(engine, IS_GRAPH, subs)
    outcome = engine.query(GRAPH_CONTENT if is_graph else DESCRIBE, substitutions=subs, results=None,
                           graph=choice.graph, max_rows=DESCRIPTION_LIMIT, gzip=accepts_gzip())
    answer.check(outcome, request.headers.get("Accept"))
    if not outcome.meta.get("rows"):
        raise ClientError(404, f"<{iri}> is not in the graph")
    return answer.respond(outcome, DESCRIPTION_LIMIT)


def _ask(engine, text: str, subs: dict) -> bool:
    outcome = engine.query(text, substitutions=subs, results="json", graph=None)
    answer.check(outcome)
    return b'"boolean":true' in outcome.body
