"""What an entity, statement or document page shows, read from the graph.

Each query names the page's resource ``?this`` and is run with ``?this`` bound as a
substitution (the IRI is never pasted into the text; Oxigraph wants it in the SELECT clause). The rows are shaped here into plain
dictionaries for the templates; the templates only lay them out.
"""
from __future__ import annotations

from collections import OrderedDict

from ..iris import NKG
from .answer import cell, local_href
from .engine import Engine
from .highlight import Mark, segments

P = ("PREFIX nkg: <https://w3id.org/newskg/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
     "PREFIX owl: <http://www.w3.org/2002/07/owl#> ")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
WIKIDATA = "http://www.wikidata.org/entity/"
HIDDEN_FACTS = {NKG + "content", NKG + "mentions"}
FIRST_FACTS = [LABEL, NKG + "alias", NKG + "title", NKG + "text", SAME_AS]     # shown in this order, then the rest
PLAIN_NUMBERS = {"xsd:integer", "xsd:decimal", "xsd:double", "xsd:boolean"}
# How a link reads from the other end: "Mentioned in" rather than "mentions of".
INVERSE = {NKG + "mentions": "Mentioned in", NKG + "holder": "Roles held", NKG + "organisation": "Roles in it",
           NKG + "participant": "Takes part in", NKG + "place": "Place of", NKG + "publisher": "Published",
           NKG + "originalPublisher": "Originally reported", NKG + "medium": "Statements made to it",
           NKG + "about": "Numbers about it", NKG + "author": "Wrote", NKG + "continues": "Continued by",
           NKG + "evidence": "Evidence for", NKG + "cue": "Attribution cue of"}
INCOMING_LIMIT = 500

FACTS = P + """SELECT DISTINCT ?this ?p ?o ?plabel ?olabel ?otype WHERE {
  ?this ?p ?o .
  FILTER(?p NOT IN (nkg:evidence, nkg:cue))       # shown as passages, and thousands for a repeated quote
  OPTIONAL { GRAPH <https://w3id.org/newskg/ns> { ?p rdfs:label ?plabel } }
  OPTIONAL { ?o rdfs:label ?olabel }
  OPTIONAL { ?o a ?otype }
}"""

INCOMING = P + """SELECT DISTINCT ?this ?s ?p ?plabel ?slabel WHERE {
  ?s ?p ?this .
  FILTER(?p NOT IN (nkg:refersTo, nkg:document, nkg:speaker))
  OPTIONAL { GRAPH <https://w3id.org/newskg/ns> { ?p rdfs:label ?plabel } }
  OPTIONAL { ?s rdfs:label ?label }
  OPTIONAL { ?s nkg:title ?title }
  OPTIONAL { ?s nkg:text ?text }
  OPTIONAL { ?s nkg:fileName ?file }
  BIND(COALESCE(?label, ?title, ?text, ?file) AS ?slabel)
} LIMIT %d""" % INCOMING_LIMIT

# Evidence of facts: one passage per fact and article, the text from the attribution cue to
# the end of the quotation (the sentence that says who said it), cut out of the article by
# Oxigraph. Everything is looked up inside the article's own graph (GRAPH ?document), so a
# statement repeated by thousands of articles costs one lookup per passage shown, not per
# pair of its spans. A speaker's statements: the most widely reported first, one passage each.
_PASSAGE = """
  GRAPH ?document { ?fact nkg:evidence ?span . ?span nkg:start ?start ; nkg:end ?end .
                    OPTIONAL { ?fact nkg:cue ?cue . ?cue nkg:start ?cs ; nkg:end ?ce } }
  ?document nkg:content ?content .
  OPTIONAL { ?document nkg:title ?title }
  OPTIONAL { ?document nkg:fileName ?file }
  BIND(IF(BOUND(?cs) && ?cs < ?start, ?cs, ?start) AS ?from)
  BIND(IF(BOUND(?ce) && ?ce > ?end, ?ce, ?end) AS ?to)
  BIND(SUBSTR(?content, ?from + 1, ?to - ?from) AS ?context)"""
STATEMENTS_LIMIT = 200
PASSAGES_LIMIT = 30
STATEMENTS_BY = P + """SELECT ?this ?fact ?text ?kind ?date ?documents ?independent ?document ?title ?file ?start ?end ?from ?context WHERE {
  { SELECT ?this ?fact (COUNT(DISTINCT ?d) AS ?documents) (SAMPLE(?s) AS ?span) WHERE {
      ?fact nkg:speaker ?this . GRAPH ?d { ?fact nkg:evidence ?s } }
    GROUP BY ?this ?fact ORDER BY DESC(?documents) ?fact LIMIT %d }
  OPTIONAL { ?fact nkg:text ?text }
  OPTIONAL { ?fact nkg:kind ?kind }
  OPTIONAL { ?fact nkg:date ?date }
  OPTIONAL { ?fact nkg:independentSources ?independent }
  %s
} ORDER BY DESC(?documents) ?fact""" % (STATEMENTS_LIMIT, _PASSAGE)
# The page of a statement, role, event or quantity: the first passages, and how many there are.
EVIDENCE_OF = P + """SELECT ?this ?document ?title ?file ?start ?end ?from ?context WHERE {
  { SELECT ?this ?document ?span WHERE { GRAPH ?document { ?this nkg:evidence ?span } } LIMIT %d }
  %s
}""" % (PASSAGES_LIMIT, _PASSAGE.replace("?fact", "?this"))
EVIDENCE_COUNT = P + """SELECT ?this (COUNT(DISTINCT ?document) AS ?documents) (SAMPLE(?i) AS ?independent) WHERE {
  GRAPH ?document { ?this nkg:evidence ?span } OPTIONAL { ?this nkg:independentSources ?i } } GROUP BY ?this"""

SPANS = P + """SELECT ?this ?start ?end ?entity ?elabel ?fact ?use ?field WHERE {
  GRAPH ?this { ?span nkg:start ?start ; nkg:end ?end . OPTIONAL { ?span nkg:metadataField ?field } }
  OPTIONAL { GRAPH ?this { ?span nkg:refersTo ?entity } OPTIONAL { ?entity rdfs:label ?elabel } }
  OPTIONAL { GRAPH ?this { { ?fact nkg:evidence ?span BIND("evidence" AS ?use) }
                           UNION { ?fact nkg:cue ?span BIND("cue" AS ?use) } } }
}"""


def _v(row: dict, name: str) -> str | None:
    term = row.get(name)
    return term["value"] if term else None


def _local(name: str) -> str:
    return name.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def resource(engine: Engine, this, base: str) -> dict | None:
    """Everything a page about ``this`` (a pyoxigraph NamedNode) shows; None if unknown."""
    subs = {"this": this}
    facts_rows = engine.select(FACTS, subs, max_rows=5000)
    if not facts_rows:
        return None
    iri = this.value
    page = {"iri": iri, "label": None, "types": [], "facts": [], "wikidata": [], "geonames": [],
            "coordinates": None, "statements": [], "statements_cut": None, "evidence": [], "incoming": [],
            "incoming_cut": None,
            "document": None}
    grouped: "OrderedDict[str, dict]" = OrderedDict()
    content = None
    lat = lon = None
    for row in facts_rows:
        p, o = _v(row, "p"), row["o"]
        if p == RDF_TYPE:
            if o["value"] not in page["types"]:
                page["types"].append(o["value"])
            continue
        if p == LABEL and page["label"] is None:
            page["label"] = o["value"]
        if p == NKG + "content":
            content = o["value"]
        if p == SAME_AS and o["value"].startswith(WIKIDATA):
            page["wikidata"].append(o["value"])
        if p == NKG + "geonames":
            page["geonames"].append(o["value"])
        if p.endswith("wgs84_pos#lat"):
            lat = o["value"]
        if p.endswith("wgs84_pos#long"):
            lon = o["value"]
        if p in HIDDEN_FACTS and p != NKG + "mentions":
            continue
        group = grouped.setdefault(p, {"predicate": cell(row["p"], base), "label": _v(row, "plabel") or _local(p),
                                       "values": [], "seen": set()})
        if o["value"] in group["seen"]:
            continue
        group["seen"].add(o["value"])
        value = cell(o, base)
        if value.get("note") in PLAIN_NUMBERS:
            value["note"] = ""
        if row.get("olabel"):
            value = {**value, "text": row["olabel"]["value"]}
        if row.get("otype"):
            value["type"] = _local(row["otype"]["value"])
        group["values"].append(value)
    for group in grouped.values():
        del group["seen"]
    order = {p: i for i, p in enumerate(FIRST_FACTS)}
    page["facts"] = sorted(grouped.values(), key=lambda g: (order.get(g["predicate"]["title"], len(order)),
                                                            g["label"].lower()))
    page["type_names"] = [_local(t) for t in page["types"]]
    if lat and lon:
        page["coordinates"] = (lat, lon)
    page["label"] = page["label"] or _title(page) or (iri[len(base):] if iri.startswith(base) else iri)
    is_document = NKG + "Document" in page["types"]
    if is_document:
        page["document"] = _document(engine, subs, content or "", base)
    else:
        page["statements"] = _evidence(engine.select(STATEMENTS_BY, subs, max_rows=2000), base)
        page["statements_cut"] = STATEMENTS_LIMIT if len(page["statements"]) >= STATEMENTS_LIMIT else None
        if any(t in page["types"] for t in (NKG + "Statement", NKG + "Role", NKG + "Event", NKG + "Quantity")):
            page["evidence"] = _evidence(engine.select(EVIDENCE_OF, subs, max_rows=1000), base)
            count = engine.select(EVIDENCE_COUNT, subs)
            for entry in page["evidence"]:
                entry["documents"] = int(count[0]["documents"]["value"]) if count else len(entry["passages"])
                entry["independent"] = int(_v(count[0], "independent") or 0) if count else 0
    incoming = engine.select(INCOMING, subs, max_rows=INCOMING_LIMIT)
    page["incoming"] = _incoming(incoming, base)
    page["incoming_cut"] = INCOMING_LIMIT if len(incoming) >= INCOMING_LIMIT else None
    return page


def _title(page: dict) -> str | None:
    for group in page["facts"]:
        if group["predicate"].get("title", "").endswith(("#title", "#text")):
            return group["values"][0]["text"]
    return None


def _evidence(rows: list[dict], base: str) -> list[dict]:
    """Facts (statements) with the passages that evidence them, one entry per fact."""
    out: "OrderedDict[str, dict]" = OrderedDict()
    for row in rows:
        row.setdefault("fact", row.get("this"))
        fact = _v(row, "fact")
        entry = out.setdefault(fact, {"fact": cell(row["fact"], base), "text": _v(row, "text"),
                                      "kind": _v(row, "kind"), "date": _v(row, "date"), "passages": [], "seen": set(),
                                      "documents": int(_v(row, "documents") or 0),
                                      "independent": int(_v(row, "independent") or 0)})
        if not row.get("document"):
            continue
        key = (_v(row, "document"), _v(row, "start"))
        if key in entry["seen"]:
            continue
        entry["seen"].add(key)
        start, end, begin = int(_v(row, "start")), int(_v(row, "end")), int(_v(row, "from"))
        context = _v(row, "context") or ""
        a, b = start - begin, end - begin
        document = _v(row, "document")
        entry["passages"].append({
            "before": context[:a], "quote": context[a:b], "after": context[b:],
            "href": f"{local_href(document, base)}#char={start},{end}",
            "source": _v(row, "title") or _v(row, "file") or document,
            "file": _v(row, "file"), "start": start, "end": end,
        })
    for entry in out.values():
        entry.pop("seen")
    return list(out.values())


def _incoming(rows: list[dict], base: str) -> list[dict]:
    groups: "OrderedDict[str, dict]" = OrderedDict()
    for row in rows:
        p = _v(row, "p")
        label = INVERSE.get(p) or f"{_v(row, 'plabel') or _local(p)} of"
        group = groups.setdefault(p, {"label": label, "items": []})
        item = cell(row["s"], base)
        if row.get("slabel"):
            item = {**item, "text": row["slabel"]["value"]}
        group["items"].append(item)
    return list(groups.values())


def _document(engine: Engine, subs: dict, content: str, base: str) -> dict:
    marks = []
    for row in engine.select(SPANS, subs, max_rows=50000):
        start, end = int(_v(row, "start")), int(_v(row, "end"))
        if row.get("entity"):
            marks.append(Mark(start, end, "mention", local_href(_v(row, "entity"), base),
                              _v(row, "elabel") or _v(row, "entity")))
        if row.get("fact"):
            use = _v(row, "use")
            marks.append(Mark(start, end, use, local_href(_v(row, "fact"), base), use))
        if row.get("field"):
            marks.append(Mark(start, end, "metadata", None, _v(row, "field")))
    return {"segments": segments(content, marks), "length": len(content)}
