"""The server describing itself in RDF: the SPARQL 1.1 Service Description (``GET /sparql``
with an RDF Accept) and the VoID description of the dataset (``/.well-known/void``).

Both are built as pyoxigraph triples and written by Oxigraph's serializers in whichever
RDF format the client asks for. Addresses are the server's own (from the request), so the
description is right behind a proxy or on another port.
"""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from ..dump import PREFIXES
from ..iris import NKG
from . import negotiate
from .dumps import DUMPS
from .hooks import add_vary
from .stats import stats
from .worker import GRAPH_FORMATS

bp = Blueprint("describe", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
OUT_PREFIXES = {**PREFIXES, "sd": SD, "void": VOID, "formats": FORMATS_NS, "dcterms": DCT}
RESULT_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                      "Turtle", "N-Triples", "N-Quads", "TriG", "JSON-LD", "RDF_XML")
VOCABULARIES = (NKG, "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2002/07/owl#",
                "http://www.w3.org/2003/01/geo/wgs84_pos#", "http://www.w3.org/2001/XMLSchema#")
NAMED_GRAPHS_LISTED = 1000


class _Graph:
    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, s, p: str, o) -> None:
        s = s if isinstance(s, (ox.NamedNode, ox.BlankNode)) else ox.NamedNode(s)
        if isinstance(o, str):
            o = ox.NamedNode(o)
        elif isinstance(o, bool):
            o = ox.Literal("true" if o else "false", datatype=ox.NamedNode(XSD + "boolean"))
        elif isinstance(o, int):
            o = ox.Literal(str(o), datatype=ox.NamedNode(XSD + "integer"))
        self.triples.append(ox.Triple(s, ox.NamedNode(p), o))

    def response(self, fmt: str) -> Response:
        body = ox.serialize(self.triples, format=GRAPH_FORMATS[fmt],
                            prefixes=OUT_PREFIXES if fmt in ("turtle", "rdfxml") else None)
        response = Response(body, content_type=negotiate.media_type(fmt))
        add_vary(response, "Accept")
        return response


def _root() -> str:
    return request.host_url        # ends with "/"


def service_description_response(fmt: str) -> Response:
    engine = current_app.extensions["kg"]
    counts = stats(engine)
    endpoint = ox.NamedNode(_root() + "sparql")
    g = _Graph()
    g.add(endpoint, RDF_TYPE, SD + "Service")
    g.add(endpoint, SD + "endpoint", endpoint)
    g.add(endpoint, SD + "supportedLanguage", SD + "SPARQL11Query")
    g.add(endpoint, SD + "feature", SD + "UnionDefaultGraph")
    if engine.settings.services:
        g.add(endpoint, SD + "feature", SD + "BasicFederatedQuery")
    g.add(endpoint, SD + "defaultEntailmentRegime", "http://www.w3.org/ns/entailment/Simple")
    for name in RESULT_FORMAT_IRIS:
        g.add(endpoint, SD + "resultFormat", FORMATS_NS + name)
    dataset = ox.NamedNode(_root() + "sparql#dataset")
    g.add(endpoint, SD + "defaultDataset", dataset)
    g.add(dataset, RDF_TYPE, SD + "Dataset")
    default = ox.BlankNode()
    g.add(dataset, SD + "defaultGraph", default)
    g.add(default, RDF_TYPE, SD + "Graph")
    g.add(default, VOID + "triples", counts["triples"])
    g.add(default, DCT + "description", ox.Literal(
        "The default graph is the union of all named graphs: the corpus-level knowledge graph, the "
        "ontology and one graph per article (named by the article's IRI)."))
    for name, n in counts["graphs"][:NAMED_GRAPHS_LISTED]:
        named, graph = ox.BlankNode(), ox.BlankNode()
        g.add(dataset, SD + "namedGraph", named)
        g.add(named, RDF_TYPE, SD + "NamedGraph")
        g.add(named, SD + "name", name)
        g.add(named, SD + "graph", graph)
        g.add(graph, RDF_TYPE, SD + "Graph")
        g.add(graph, VOID + "triples", n)
    return g.response(fmt)


@bp.route("/.well-known/void")
def void():
    engine = current_app.extensions["kg"]
    choice = negotiate.choose(request.headers.get("Accept"), request.args.getlist("format"),
                              graph_offers=negotiate.TRIPLE_FORMATS)
    if not choice.graph:
        raise negotiate.NotAcceptable(f"VoID is available as {negotiate.acceptable_list(negotiate.GRAPH)}")
    build = engine.builds.current()
    counts = stats(engine)
    root = _root()
    doc = ox.NamedNode(root + ".well-known/void")
    ds = ox.NamedNode(root + ".well-known/void#dataset")
    g = _Graph()
    g.add(doc, RDF_TYPE, VOID + "DatasetDescription")
    g.add(doc, "http://xmlns.com/foaf/0.1/primaryTopic", ds)
    g.add(ds, RDF_TYPE, VOID + "Dataset")
    g.add(ds, DCT + "title", ox.Literal("News knowledge graph", language="en"))
    g.add(ds, DCT + "description", ox.Literal(
        f"Entities, statements, roles, events and quantities extracted from {build.info.get('documents', '?')} "
        f"news articles, each fact with the text span it was read from.", language="en"))
    g.add(ds, VOID + "sparqlEndpoint", root + "sparql")
    for name in DUMPS:
        g.add(ds, VOID + "dataDump", root + name)
    g.add(ds, VOID + "uriSpace", ox.Literal(build.base))
    for vocabulary in VOCABULARIES:
        g.add(ds, VOID + "vocabulary", vocabulary)
    g.add(ds, VOID + "triples", counts["triples"])
    g.add(ds, VOID + "distinctSubjects", counts["subjects"])
    g.add(ds, VOID + "classes", len(counts["classes"]))
    g.add(ds, VOID + "properties", len(counts["properties"]))
    entity_classes = {NKG + c for c in ("Person", "Organisation", "Location", "Event", "ReportingSource")}
    g.add(ds, VOID + "entities", sum(n for c, n in counts["classes"] if c in entity_classes))
    for feature in ("N-Quads", "TriG", "Turtle", "N-Triples"):
        g.add(ds, VOID + "feature", FORMATS_NS + feature)
    for cls, n in counts["classes"]:
        part = ox.BlankNode()
        g.add(ds, VOID + "classPartition", part)
        g.add(part, VOID + "class", cls)
        g.add(part, VOID + "entities", n)
    for prop, n in counts["properties"]:
        part = ox.BlankNode()
        g.add(ds, VOID + "propertyPartition", part)
        g.add(part, VOID + "property", prop)
        g.add(part, VOID + "triples", n)
    if build.info.get("documents"):
        g.add(ds, DCT + "source", ox.Literal(f"{build.info['documents']} articles, build {build.id}"))
    return g.response(choice.graph)
