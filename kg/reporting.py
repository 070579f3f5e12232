"""Who reported what, as RDF: stories and their versions, statements across reports,
corroboration counts, and discrepancies (the vocabulary is in ontology/kg.ttl).

Runs after every article is mapped (it needs to know which documents state each fact).
All of it is corpus-level knowledge, in the knowledge graph; the text spans that evidence a
discrepancy's claims live in their article's graph, like all evidence.
"""
from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from .discrepancies import Discrepancy
from .iris import digest
from .mapping import RDF_TYPE, RDFS_LABEL, Mapper, nkg, typed
from .reports import corroboration
from .syndication import Syndication

PROV = "http://www.w3.org/ns/prov#"


def quads(mapper: Mapper, texts: dict[str, str], syndication: Syndication,
          discrepancies: list[Discrepancy]) -> Iterator[Quad]:
    """``texts``: doc id → article text, for the spans of discrepancies' claims."""
    yield from _stories(mapper, syndication)
    yield from _statements(mapper, syndication)
    yield from _fact_counts(mapper, syndication)
    yield from _discrepancies(mapper, discrepancies, syndication, texts)


def _doc(mapper: Mapper, doc_id: str) -> NamedNode:
    return NamedNode(mapper.mint.document(doc_id))


def story_iri(mapper: Mapper, syndication: Syndication, index: int) -> NamedNode:
    return NamedNode(f"{mapper.mint.base}story/{digest(*sorted(syndication.stories[index].documents))}")


def _stories(mapper: Mapper, syndication: Syndication) -> Iterator[Quad]:
    k = mapper.knowledge
    for n, story in enumerate(syndication.stories):
        node = story_iri(mapper, syndication, n)
        source = _doc(mapper, story.source)
        yield Quad(node, RDF_TYPE, nkg("Story"), k)
        yield Quad(node, RDFS_LABEL, Literal(f"report by {story.original_publisher or 'an unnamed outlet'}, "
                                             f"{len(story.documents)} versions"), k)
        yield Quad(node, nkg("sourceVersion"), source, k)
        for doc_id in story.documents:
            yield Quad(_doc(mapper, doc_id), nkg("story"), node, k)
        outlet = mapper.outlet_of.get(story.source) or next(
            (mapper.outlet_of[d] for d in story.documents if d in mapper.outlet_of), None)
        if outlet is not None:
            yield Quad(node, nkg("originalPublisher"), outlet, k)
        author = _entity_named(mapper, story.author, "Person")
        if author is not None:
            yield Quad(node, nkg("author"), author, k)
    for version in syndication.versions:
        doc, of = _doc(mapper, version.doc_id), _doc(mapper, version.of)
        derivation = NamedNode(f"{mapper.mint.base}derivation/{digest(version.doc_id, version.of)}")
        yield Quad(doc, nkg("versionOf"), of, k)
        yield Quad(doc, NamedNode(PROV + "qualifiedDerivation"), derivation, k)
        yield Quad(derivation, RDF_TYPE, nkg("Derivation"), k)
        yield Quad(derivation, NamedNode(PROV + "entity"), of, k)
        yield Quad(derivation, nkg("similarity"), typed(f"{version.similarity:.3f}", "decimal"), k)


def _entity_named(mapper: Mapper, name: str | None, kind: str) -> NamedNode | None:
    if not name:
        return None
    from .matching import key
    for entity in mapper.resolution.entities:
        if entity.type == kind and (key(entity.name) == key(name) or any(key(f) == key(name) for f in entity.forms)):
            return mapper.entity_iri(entity)
    return None


def _outlet(mapper: Mapper, syndication: Syndication):
    """The outlet behind a document: its story's original publisher, else its own."""
    def source(doc_id: str):
        index = syndication.story_of.get(doc_id)
        if index is not None:
            for d in syndication.stories[index].documents:
                if d in mapper.outlet_of:
                    return mapper.outlet_of[d]
        return mapper.outlet_of.get(doc_id)
    return source


def _statements(mapper: Mapper, syndication: Syndication) -> Iterator[Quad]:
    k = mapper.knowledge
    outlet = _outlet(mapper, syndication)
    for n, u in enumerate(mapper.utterances):
        s = mapper.statement_iris[n]
        yield Quad(s, RDF_TYPE, nkg("Statement"), k)
        yield Quad(s, nkg("text"), Literal(u.text), k)
        yield Quad(s, nkg("kind"), Literal(u.kind), k)
        yield Quad(s, nkg("speaker"), mapper.entity_iri(u.speaker), k)
        media = [mapper.entity_iri(m) for m in u.media]
        for medium in media:
            yield Quad(s, nkg("medium"), medium, k)
        if u.speaker.type == "ReportingSource":
            media = [mapper.entity_iri(u.speaker)]   # "according to ABC": the outlet is its own source
        documents = {d for d, _ in u.reports}
        yield from _counts(s, documents, syndication, media, outlet, k)


def _counts(fact: NamedNode, documents: set[str], syndication: Syndication, media, outlet, graph) -> Iterator[Quad]:
    c = corroboration(documents, syndication, media, outlet)
    yield Quad(fact, nkg("reportCount"), typed(c.reports, "integer"), graph)
    yield Quad(fact, nkg("independentSources"), typed(c.independent, "integer"), graph)
    for source in c.sources:
        yield Quad(fact, nkg("source"), source, graph)


def _fact_counts(mapper: Mapper, syndication: Syndication) -> Iterator[Quad]:
    outlet = _outlet(mapper, syndication)
    statements = {s.value for s in mapper.statement_iris}
    for iri, documents in sorted(mapper.fact_documents.items()):
        if iri not in statements:
            yield from _counts(NamedNode(iri), documents, syndication, [], outlet, mapper.knowledge)


def _about(mapper: Mapper, about: str, syndication: Syndication) -> NamedNode | None:
    kind, _, ref = about.partition(":")
    if kind == "statement":
        return mapper.statement_iris[int(ref)]
    if kind == "story":
        return story_iri(mapper, syndication, int(ref))
    if kind == "entity":
        entity = next((e for e in mapper.resolution.entities if id(e) == int(ref)), None)
        return mapper.entity_iri(entity) if entity is not None else None
    return None


def _discrepancies(mapper: Mapper, discrepancies: list[Discrepancy], syndication: Syndication,
                   texts: dict[str, str]) -> Iterator[Quad]:
    k = mapper.knowledge
    for d in discrepancies:
        about = _about(mapper, d.about, syndication)
        ident = digest(d.kind, about.value if about else "", *(f"{c.doc_id}#{c.start},{c.end}" for c in d.claims))
        node = NamedNode(f"{mapper.mint.base}discrepancy/{ident}")
        yield Quad(node, RDF_TYPE, nkg("Discrepancy"), k)
        yield Quad(node, RDFS_LABEL, Literal(d.label), k)
        yield Quad(node, nkg("discrepancyKind"), Literal(d.kind), k)
        if about is not None:
            yield Quad(node, nkg("about"), about, k)
        for n, claim in enumerate(d.claims, 1):
            c = NamedNode(f"{node.value}/claim/{n}")
            doc = _doc(mapper, claim.doc_id)
            span = NamedNode(mapper.mint.span(claim.doc_id, claim.start, claim.end))
            yield Quad(node, nkg("claim"), c, k)
            yield Quad(c, RDF_TYPE, nkg("Claim"), k)
            yield Quad(c, nkg("claimedValue"), Literal(claim.value), k)
            yield Quad(c, nkg("document"), doc, k)
            yield Quad(c, nkg("evidence"), span, doc)
            yield Quad(span, RDF_TYPE, nkg("TextSpan"), doc)
            yield Quad(span, nkg("document"), doc, doc)
            yield Quad(span, nkg("start"), typed(claim.start, "integer"), doc)
            yield Quad(span, nkg("end"), typed(claim.end, "integer"), doc)
            yield Quad(span, nkg("exact"), Literal(texts[claim.doc_id][claim.start:claim.end]), doc)
