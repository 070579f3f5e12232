"""Map extractions and their resolution to RDF quads (the vocabulary is ontology/kg.ttl).

Where each triple goes:

* ``<BASE/graph/knowledge>``: what the corpus as a whole establishes — each entity's type,
  label, aliases, counts and links; each statement, role, event and quantity with its
  intrinsic properties. Stated once, so the union default graph holds no duplicates.
* the article's own graph, named by the document IRI: the document's metadata and text,
  which entities it mentions, and the evidence — text spans with offsets — for every fact
  it states (``?fact nkg:evidence ?span``). A fact reported by three articles has three
  evidence links, one in each article's graph.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from pyoxigraph import Literal, NamedNode, Quad

from .dates import datatype_of
from .iris import NKG, TYPE_PATHS, Minter, slug
from .records import Article, Extraction
from .resolve import Entity, Resolution

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
OWL_SAMEAS = NamedNode("http://www.w3.org/2002/07/owl#sameAs")
SCHEMA_SAMEAS = NamedNode("http://schema.org/sameAs")
GEO_LAT = NamedNode("http://www.w3.org/2003/01/geo/wgs84_pos#lat")
GEO_LONG = NamedNode("http://www.w3.org/2003/01/geo/wgs84_pos#long")
XSD = "http://www.w3.org/2001/XMLSchema#"
WIKIDATA = "http://www.wikidata.org/entity/"


def nkg(local: str) -> NamedNode:
    return NamedNode(NKG + local)


def typed(value, datatype: str) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + datatype))


def date_literal(value: str) -> Literal:
    return typed(value, datatype_of(value))


class Mapper:
    def __init__(self, base: str, resolution: Resolution, utterances: list | None = None,
                 utterance_of: dict | None = None, report_of: Callable[[str], str] | None = None):
        self.mint = Minter(base)
        # doc id → a key shared by the versions of one report (Syndication.group): a figure
        # that says nothing of what it is about ("13 per cent") is one fact only within the
        # versions of one report, not across unrelated articles.
        self.report_of = report_of or (lambda doc_id: f"doc:{doc_id}")
        self.resolution = resolution
        self.knowledge = NamedNode(self.mint.knowledge_graph)
        # Statements are utterances merged across articles (kg/reports.py): one IRI each.
        self.utterances = utterances or []
        self.utterance_of = utterance_of or {}
        self.fact_documents: dict[str, set[str]] = {}    # fact IRI → documents that state it
        self.outlet_of: dict[str, NamedNode] = {}         # doc id → the outlet behind it
        self.iri_of: dict[int, NamedNode] = {}
        taken: set[str] = set()
        for n, entity in enumerate(resolution.entities):
            iri = self.mint.entity(entity.type, entity.name)
            suffix = 2
            while iri in taken:   # two different things with one name and type
                iri = f"{self.mint.entity(entity.type, entity.name)}-{suffix}"
                suffix += 1
            taken.add(iri)
            self.iri_of[id(entity)] = NamedNode(iri)
        self.statement_iris = [NamedNode(self.mint.statement(self.entity_iri(u.speaker).value, u.text))
                               for u in self.utterances]

    def stated(self, fact: NamedNode, doc_id: str) -> None:
        self.fact_documents.setdefault(fact.value, set()).add(doc_id)

    def entity_iri(self, entity: Entity) -> NamedNode:
        return self.iri_of[id(entity)]

    # ------------------------------------------------------------------ knowledge graph

    def entities(self) -> Iterator[Quad]:
        g = self.knowledge
        for entity in self.resolution.entities:
            s = self.entity_iri(entity)
            yield Quad(s, RDF_TYPE, nkg(entity.type), g)
            yield Quad(s, RDFS_LABEL, Literal(entity.name), g)
            for alias in entity.aliases:
                yield Quad(s, nkg("alias"), Literal(alias), g)
            yield Quad(s, nkg("mentionCount"), typed(entity.mention_count, "integer"), g)
            yield Quad(s, nkg("documentCount"), typed(len(entity.documents), "integer"), g)
            yield Quad(s, nkg("typeEvidence"), Literal(entity.type_evidence()), g)
            if entity.curated:
                yield Quad(s, nkg("curated"), typed("true", "boolean"), g)
                if entity.curated.wikidata:
                    wd = NamedNode(WIKIDATA + entity.curated.wikidata)
                    yield Quad(s, OWL_SAMEAS, wd, g)
                    yield Quad(s, SCHEMA_SAMEAS, wd, g)
            if entity.place is not None and entity.type == "Location":
                yield Quad(s, nkg("geonames"), NamedNode(entity.place.iri), g)
                if entity.place.latitude is not None:
                    yield Quad(s, GEO_LAT, typed(f"{entity.place.latitude:.5f}", "decimal"), g)
                    yield Quad(s, GEO_LONG, typed(f"{entity.place.longitude:.5f}", "decimal"), g)

    # ------------------------------------------------------------------ one article

    def article(self, article: Article, x: Extraction) -> Iterator[Quad]:
        doc = NamedNode(self.mint.document(x.doc_id))
        g = doc          # the article's named graph is named by the document IRI
        k = self.knowledge
        text = article.text
        meta = x.metadata

        def span(start: int, end: int) -> NamedNode:
            node = NamedNode(self.mint.span(x.doc_id, start, end))
            yield_quads.extend([
                Quad(node, RDF_TYPE, nkg("TextSpan"), g),
                Quad(node, nkg("document"), doc, g),
                Quad(node, nkg("start"), typed(start, "integer"), g),
                Quad(node, nkg("end"), typed(end, "integer"), g),
                Quad(node, nkg("exact"), Literal(text[start:end]), g),
            ])
            return node

        def entity(local: int | None) -> NamedNode | None:
            found = self.resolution.of(x.doc_id, local)
            return self.entity_iri(found) if found is not None else None

        yield_quads: list[Quad] = [
            Quad(doc, RDF_TYPE, nkg("Document"), g),
            Quad(doc, nkg("fileName"), Literal(x.file), g),
            Quad(doc, nkg("content"), Literal(text), g),
        ]
        if meta.title:
            yield_quads.append(Quad(doc, nkg("title"), Literal(meta.title.value), g))
        if meta.date:
            yield_quads.append(Quad(doc, nkg("datePublished"), date_literal(meta.date.value), g))

        local_of_mention = {m: n for n, e in enumerate(x.entities) for m in e.mentions}
        mentioned: set[str] = set()
        for m_index, mention in enumerate(x.mentions):
            target = entity(local_of_mention.get(m_index))
            if target is None:
                continue
            node = span(mention.start, mention.end)
            yield_quads.append(Quad(node, nkg("refersTo"), target, g))
            yield_quads.append(Quad(node, nkg("rule"), Literal(mention.rule), g))
            field = _metadata_field(mention.rule, meta, mention.start)
            kind = self.resolution.of(x.doc_id, local_of_mention.get(m_index)).type
            if field and kind == ("Person" if field == "author" else "ReportingSource"):
                yield_quads.append(Quad(node, nkg("metadataField"), Literal(field), g))
                yield_quads.append(Quad(doc, nkg(field), target, g))
                if field == "originalPublisher" or (field == "publisher" and x.doc_id not in self.outlet_of):
                    self.outlet_of[x.doc_id] = target
            if target.value not in mentioned:
                mentioned.add(target.value)
                yield_quads.append(Quad(doc, nkg("mentions"), target, g))

        previous: dict[int, NamedNode] = {}
        for n, st in enumerate(x.statements):
            utterance = self.utterance_of.get((x.doc_id, n))
            if utterance is None:
                continue   # no speaker resolved: not a statement of the graph
            s = self.statement_iris[utterance]
            yield_quads += [
                Quad(s, nkg("evidence"), span(st.start, st.end), g),
                Quad(s, nkg("cue"), span(st.cue_start, st.cue_end), g),
                Quad(s, nkg("rule"), Literal(st.rule), g),
            ]
            if st.date:
                yield_quads.append(Quad(s, nkg("date"), date_literal(st.date), k))
            if st.rule == "continues-previous" and st.speaker in previous and previous[st.speaker] != s:
                yield_quads.append(Quad(s, nkg("continues"), previous[st.speaker], g))
            if st.kind == "direct":
                previous[st.speaker] = s

        for role in x.roles:
            person = entity(role.person)
            if person is None:
                continue
            org = entity(role.organisation)
            r = NamedNode(self.mint.role(person.value, role.title, org.value if org else None))
            holder = self.resolution.of(x.doc_id, role.person)
            org_entity = self.resolution.of(x.doc_id, role.organisation)
            label = f"{holder.name}, {role.title}" + (f" ({org_entity.name})" if org_entity else "")
            yield_quads += [
                Quad(r, RDF_TYPE, nkg("Role"), k),
                Quad(r, RDFS_LABEL, Literal(label), k),
                Quad(r, nkg("holder"), person, k),
                Quad(r, nkg("roleName"), Literal(role.title), k),
                Quad(r, nkg("evidence"), span(role.start, role.end), g),
                Quad(r, nkg("rule"), Literal(role.rule), g),
            ]
            if org is not None:
                yield_quads.append(Quad(r, nkg("organisation"), org, k))
            self.stated(r, x.doc_id)

        for event in x.events:
            place = entity(event.place)
            place_entity = self.resolution.of(x.doc_id, event.place)
            label = event.event_type + (f" in {place_entity.name}" if place_entity else "") + \
                (f" ({event.date})" if event.date else "")
            e = NamedNode(f"{self.mint.base}{TYPE_PATHS['Event']}/{slug(label)}")
            yield_quads += [
                Quad(e, RDF_TYPE, nkg("Event"), k),
                Quad(e, RDFS_LABEL, Literal(label), k),
                Quad(e, nkg("eventType"), Literal(event.event_type), k),
                Quad(e, nkg("evidence"), span(event.start, event.end), g),
                Quad(doc, nkg("mentions"), e, g),
            ]
            yield_quads += [Quad(e, nkg("evidence"), span(a, b), g) for a, b in event.also]
            self.stated(e, x.doc_id)
            if event.date:
                yield_quads.append(Quad(e, nkg("date"), date_literal(event.date), k))
            if place is not None:
                yield_quads.append(Quad(e, nkg("place"), place, k))
            for participant in event.participants:
                if (p := entity(participant)) is not None:
                    yield_quads.append(Quad(e, nkg("participant"), p, k))

        for q in x.quantities:
            about = entity(q.about)
            node = NamedNode(self.mint.quantity(q.value, q.counts, about.value if about else self.report_of(x.doc_id)))
            yield_quads += [
                Quad(node, RDF_TYPE, nkg("Quantity"), k),
                Quad(node, RDFS_LABEL, Literal(f"{_number(q.value)} {q.counts}"), k),
                Quad(node, nkg("value"), typed(_number(q.value), "decimal"), k),
                Quad(node, nkg("counts"), Literal(q.counts), k),
                Quad(node, nkg("evidence"), span(q.start, q.end), g),
            ]
            if about is not None:
                yield_quads.append(Quad(node, nkg("about"), about, k))
            self.stated(node, x.doc_id)
        yield from yield_quads


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _metadata_field(rule: str, meta, start: int) -> str | None:
    """Which document property a metadata mention (byline, dateline …) gives."""
    for name, fields in (("author", meta.authors), ("publisher", [meta.publisher]),
                         ("originalPublisher", [meta.original_publisher])):
        for f in fields:
            if f is not None and f.start == start:
                return name
    return None
