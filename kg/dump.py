"""Whole-graph serialisations, written by Oxigraph's own serializers (fast, streaming).

Quad formats (N-Quads, TriG, JSON-LD) keep the named graphs. Triple formats (Turtle,
N-Triples) get the union of all graphs, each triple once: what a SPARQL query over the
default graph sees.
"""
from __future__ import annotations

from typing import BinaryIO

import pyoxigraph

from .iris import NKG

PREFIXES = {
    "nkg": NKG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "schema": "http://schema.org/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "wd": "http://www.wikidata.org/entity/",
}
QUAD_FORMATS = {"nquads": pyoxigraph.RdfFormat.N_QUADS, "trig": pyoxigraph.RdfFormat.TRIG,
                "jsonld": pyoxigraph.RdfFormat.JSON_LD}
TRIPLE_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
                  "rdfxml": pyoxigraph.RdfFormat.RDF_XML}


def union_triples(store: pyoxigraph.Store):
    for solution in store.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True):
        yield pyoxigraph.Triple(solution["s"], solution["p"], solution["o"])


def write_dump(store: pyoxigraph.Store, fmt: str, handle: BinaryIO) -> None:
    if fmt in QUAD_FORMATS:
        prefixes = PREFIXES if fmt == "trig" else None
        store.dump(handle, QUAD_FORMATS[fmt], prefixes=prefixes)
    elif fmt in TRIPLE_FORMATS:
        prefixes = PREFIXES if fmt == "turtle" else None
        pyoxigraph.serialize(union_triples(store), handle, TRIPLE_FORMATS[fmt], prefixes=prefixes)
    else:
        raise ValueError(f"unknown dump format {fmt!r}; choose one of "
                         f"{', '.join(sorted(QUAD_FORMATS) + sorted(TRIPLE_FORMATS))}")
