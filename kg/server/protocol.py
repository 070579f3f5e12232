"""``/sparql``: the query operation of the SPARQL 1.1 Protocol, strictly.

    GET  /sparql?query=…                                   query in the URL
    POST /sparql  (application/x-www-form-urlencoded)      query=… in the body
    POST /sparql  (application/sparql-query)               the body is the query
    default-graph-uri / named-graph-uri                    the dataset, overriding the union
    format= (or output=)                                   overrides Accept

Refused, each with a status and a message saying why: a malformed query or request (400,
with Oxigraph's parser message), two ``query`` parameters or none (400), a query and an
update together (400), any update (403: the endpoint is read-only), an unknown request
body type (415), a format the client cannot accept (406). ``GET /sparql`` without a query
answers a browser with the query page and an RDF client with the Service Description.
"""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, current_app, render_template, request
from werkzeug.datastructures import MultiDict

from . import answer, describe, negotiate
from .engine import READ_ONLY
from .hooks import ClientError, accepts_gzip, wants_html

bp = Blueprint("sparql", __name__)

FORMAT_PARAMS = ("format", "output", "results")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

EXAMPLE = """PREFIX nkg: <https://w3id.org/newskg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Who said what, in which article
SELECT ?speaker ?words ?file WHERE {
  ?statement a nkg:Statement ;
             nkg:speaker/rdfs:label ?speaker ;
             nkg:text ?words ;
             nkg:evidence/nkg:document/nkg:fileName ?file .
}
ORDER BY ?speaker
LIMIT 100
"""


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    engine = current_app.extensions["kg"]
    params = _parameters()
    queries = params.getlist("query")
    updates = params.getlist("update")
    if request.method == "POST" and request.mimetype == "application/sparql-update":
        updates.append("(request body)")
    if queries and updates:
        raise ClientError(400, "a request carries either a query or an update, not both")
    if updates:
        raise ClientError(403, READ_ONLY)
    if len(queries) > 1:
        raise ClientError(400, f"the request has {len(queries)} 'query' parameters; send exactly one")
    if not queries:
        return _no_query(params)
    text = queries[0]
    if not text.strip():
        raise ClientError(400, "the 'query' parameter is empty")
    default_graphs = _graphs(params, "default-graph-uri")
    named_graphs = _graphs(params, "named-graph-uri")
    choice = negotiate.choose(request.headers.get("Accept"), _formats(params), html=True)
    html = choice.html
    max_rows = engine.settings.max_rows
    if html:
        max_rows = min(max_rows or engine.settings.html_rows, engine.settings.html_rows)
    outcome = engine.query(
        text, default_graphs=default_graphs, named_graphs=named_graphs,
        results="json" if choice.results == "html" else choice.results,
        graph="ntriples" if choice.graph == "html" else choice.graph,
        max_rows=max_rows, gzip=accepts_gzip() and not html)
    if html:
        try:
            answer.check(outcome, request.headers.get("Accept"))
        except ClientError as exc:
            return render_template("query.html", query=text, error=exc.message, result=None), exc.status
        build = engine.builds.current()
        return answer.render_results("query.html", outcome, build.base, max_rows, query=text, error=None,
                                     full_limit=engine.settings.max_rows)
    answer.check(outcome, request.headers.get("Accept"))
    return answer.respond(outcome, max_rows)


def _parameters() -> MultiDict:
    """All protocol parameters of the request, wherever the protocol lets them be."""
    params = MultiDict(request.args)
    if request.method in ("GET", "HEAD"):
        return params
    mimetype = request.mimetype
    if mimetype in FORM_TYPES:
        for key, value in request.form.items(multi=True):
            params.add(key, value)
    elif mimetype == "application/sparql-query":
        charset = request.mimetype_params.get("charset", "utf-8")
        try:
            params.add("query", request.get_data().decode(charset))
        except (UnicodeDecodeError, LookupError):
            raise ClientError(400, f"the query body is not valid {charset}") from None
    elif mimetype == "application/sparql-update":
        pass
    else:
        raise ClientError(415, f"unsupported request body type {mimetype or '(none)'!r}: POST a query as "
                               f"application/x-www-form-urlencoded (query=…) or as application/sparql-query")
    return params


def _graphs(params: MultiDict, name: str) -> list[str] | None:
    values = params.getlist(name)
    if not values:
        return None
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise ClientError(400, f"{name} {value!r} is not an absolute IRI: {exc}") from None
    return values


def _formats(params: MultiDict) -> list[str]:
    return [v for key in FORMAT_PARAMS for v in params.getlist(key) if v]


def _no_query(params: MultiDict):
    others = [k for k in params.keys() if k not in FORMAT_PARAMS]
    if request.method in ("GET", "HEAD") and not others:
        formats = _formats(params)
        if wants_html() and not formats:
            return render_template("query.html", query=EXAMPLE, error=None, result=None)
        choice = negotiate.choose(request.headers.get("Accept"), formats, graph_offers=negotiate.TRIPLE_FORMATS)
        if choice.graph:
            return describe.service_description_response(choice.graph)
    raise ClientError(400, "missing 'query' parameter: send a SPARQL query as ?query=… (GET), as query=… in an "
                           "application/x-www-form-urlencoded body, or as an application/sparql-query body")
