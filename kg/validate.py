"""``kg validate``: the built graph against ontology/shapes.ttl, with pySHACL.

Validation runs over the union of all named graphs (the graph a query sees). Violations are
grouped by shape and property so a thousand spans with one problem read as one line.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph
import rdflib

from .resources import project_dir
from .store import open_read_only


def union_graph(store: pyoxigraph.Store) -> rdflib.Graph:
    """Every triple of every graph, once, in an rdflib Graph (what pySHACL reads)."""
    data = store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format="nquads")
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def validate(store_dir: Path, shapes: Path | None = None) -> tuple[bool, list[str]]:
    import pyshacl

    shapes = shapes or project_dir("ontology") / "shapes.ttl"
    data = union_graph(open_read_only(store_dir))
    conforms, results, _ = pyshacl.validate(data, shacl_graph=str(shapes), inference="none",
                                            allow_warnings=True, advanced=True)
    return conforms, _summarise(results)


def _summarise(results: rdflib.Graph) -> list[str]:
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    groups: Counter = Counter()
    examples: dict[tuple, str] = {}
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        path = results.value(result, sh.resultPath)
        message = results.value(result, sh.resultMessage)
        focus = results.value(result, sh.focusNode)
        value = results.value(result, sh.value)
        group = (str(path), str(message))
        groups[group] += 1
        examples.setdefault(group, f"{focus}" + (f" (value {value})" if value is not None else ""))
    lines = []
    for (path, message), n in groups.most_common():
        lines.append(f"{n} × {_short(path)}: {message}\n    e.g. {examples[(path, message)]}")
    return lines


def _short(iri: str) -> str:
    from .iris import NKG
    return iri.replace(NKG, "nkg:")
