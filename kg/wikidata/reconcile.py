"""Finding the Wikidata item of each entity the graph has not linked yet.

For every unlinked Person, Organisation, Location and ReportingSource of the built graph
(most mentioned first), candidates come from ``wbsearchentities`` on its name (and on its
longest spelled-out alias), their labels, aliases and sitelinks from ``wbgetentities``:

* **name score** — the candidate's label equals our name (1.0), equals it up to case,
  accents and punctuation (0.95), lists our name among its aliases (0.9), has one of our
  aliases as its label (0.85) or among its aliases (0.7); otherwise the share of shared
  words (at most 0.6);
* **type** — a hard gate (``classes.py``): an incompatible item is refused, whatever its
  name score, and listed with the reason;
* **score** — ``0.9 × name + 0.1 × prominence`` (sitelinks, capped at 50), in [0, 1].

The best compatible candidate is a confident match when its score reaches the threshold and
no other compatible candidate matches the name about as well (two cities called Paris are
told apart only when one has far more Wikipedia articles than the other). Everything else is
left for a person to decide: nothing is linked on a guess.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..matching import is_acronym, key, tokens

NKG = "https://w3id.org/newskg/ns#"
WIKIDATA = "http://www.wikidata.org/entity/"
NAME_FLOOR = 0.5          # candidates named less like the entity are not considered at all


@dataclass
class Entity:
    iri: str
    label: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0


@dataclass
class Candidate:
    qid: str
    label: str = ""
    description: str = ""
    aliases: list[str] = field(default_factory=list)
    sitelinks: int = 0
    name_score: float = 0.0
    name_reason: str = ""
    score: float = 0.0
    compatible: bool | None = None
    type_reason: str = ""

    def show(self) -> str:
        text = f'{self.qid} "{self.label}"'
        return text + (f" ({self.description})" if self.description else "")


@dataclass
class Decision:
    entity: Entity
    status: str                       # link | uncertain | refused | not-found
    chosen: Candidate | None = None
    compatible: list[Candidate] = field(default_factory=list)
    refused: list[Candidate] = field(default_factory=list)
    note: str = ""


def unlinked_entities(store: ox.Store, kinds: list[str]) -> list[Entity]:
    """Entities of the given types without an ``owl:sameAs`` to Wikidata, most mentioned first."""
    values = " ".join(f"nkg:{k}" for k in kinds)
    query = f"""
        PREFIX nkg: <{NKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?e ?type ?label ?n ?alias WHERE {{
          VALUES ?type {{ {values} }}
          ?e a ?type ; rdfs:label ?label .
          FILTER NOT EXISTS {{ ?e owl:sameAs ?item FILTER(STRSTARTS(STR(?item), "{WIKIDATA}")) }}
          OPTIONAL {{ ?e nkg:mentionCount ?n }}
          OPTIONAL {{ ?e nkg:alias ?alias }}
        }}"""
    found: dict[str, Entity] = {}
    for row in store.query(query, use_default_graph_as_union=True):
        iri = row["e"].value
        entity = found.get(iri)
        if entity is None:
            mentions = int(row["n"].value) if row["n"] is not None else 0
            entity = found[iri] = Entity(iri, row["label"].value, row["type"].value.rsplit("#", 1)[-1], [], mentions)
        if row["alias"] is not None and row["alias"].value not in entity.aliases:
            entity.aliases.append(row["alias"].value)
    for entity in found.values():
        entity.aliases.sort()
    return sorted(found.values(), key=lambda e: (-e.mentions, e.label, e.type))


def name_score(entity: Entity, label: str, aliases: list[str]) -> tuple[float, str]:
    ours = key(entity.label)
    if label == entity.label:
        return 1.0, "same label"
    if key(label) == ours:
        return 0.95, "same label up to case and punctuation"
    theirs = {key(a) for a in aliases}
    if ours in theirs:
        return 0.9, "our name is one of its aliases"
    spelled = [a for a in entity.aliases if not is_acronym(a) and len(key(a)) >= 4]
    if any(key(a) == key(label) for a in spelled):
        return 0.85, "its label is one of our aliases"
    if any(key(a) in theirs for a in entity.aliases):
        return 0.7, "one of our aliases is one of its aliases"
    a, b = set(tokens(entity.label)), set(tokens(label))
    shared = len(a & b) / len(a | b) if a | b else 0.0
    return round(0.6 * shared, 3), "shares words with its label"


class Reconciler:
    def __init__(self, client, typemap, threshold: float = 0.85, language: str = "en",
                 max_candidates: int = 3, search_limit: int = 7):
        self.client, self.typemap = client, typemap
        self.threshold, self.language = threshold, language
        self.max_candidates, self.search_limit = max_candidates, search_limit

    def decide(self, entity: Entity) -> Decision:
        candidates = self.candidates(entity)
        if not candidates:
            return Decision(entity, "not-found", note="no item with a similar name")
        labeller = self._labeller()
        compatible, refused = [], []
        for candidate in candidates:
            verdict = self.typemap.check(self.client, entity.type, candidate.qid, labeller)
            candidate.compatible, candidate.type_reason = verdict.compatible, verdict.reason
            (compatible if verdict.compatible else refused).append(candidate)
        if not compatible:
            return Decision(entity, "refused", None, [], refused, "every candidate is the wrong kind of thing")
        compatible.sort(key=lambda c: (-c.score, -c.sitelinks, c.qid))
        best = compatible[0]
        rival = next((c for c in compatible[1:] if c.name_score >= best.name_score - 0.05), None)
        if rival and not best.sitelinks >= 2 * rival.sitelinks + 5:
            return Decision(entity, "uncertain", best, compatible, refused,
                            f"{rival.show()} matches the name as well")
        if best.score < self.threshold:
            return Decision(entity, "uncertain", best, compatible, refused,
                            f"score {best.score:.2f} is below {self.threshold:.2f} ({best.name_reason})")
        return Decision(entity, "link", best, compatible, refused, best.name_reason)

    def candidates(self, entity: Entity) -> list[Candidate]:
        """The few items worth a type check: named like the entity, best named first."""
        found: dict[str, Candidate] = {}
        queries = [entity.label]
        spelled = sorted((a for a in entity.aliases if not is_acronym(a) and key(a) != key(entity.label)),
                         key=lambda a: (-len(a), a))
        if spelled:
            queries.append(spelled[0])
        for text in queries:
            for hit in self.client.search(text, self.language, self.search_limit):
                if hit.get("id") and hit["id"] not in found:
                    found[hit["id"]] = Candidate(hit["id"], hit.get("label", ""), hit.get("description", ""))
        if not found:
            return []
        data = self.client.entities(list(found), self.language)
        for qid, candidate in found.items():
            item = data.get(qid, {})
            candidate.label = _text(item.get("labels"), self.language) or candidate.label
            candidate.description = _text(item.get("descriptions"), self.language) or candidate.description
            candidate.aliases = [a.get("value", "") for a in (item.get("aliases") or {}).get(self.language, [])]
            candidate.sitelinks = len(item.get("sitelinks") or {})
            candidate.name_score, candidate.name_reason = name_score(entity, candidate.label, candidate.aliases)
            prominence = min(1.0, candidate.sitelinks / 50)
            candidate.score = round(0.9 * candidate.name_score + 0.1 * prominence, 3)
        named = [c for c in found.values() if c.name_score >= NAME_FLOOR]
        named.sort(key=lambda c: (-c.name_score, -c.sitelinks, c.qid))
        return named[:self.max_candidates]

    def _labeller(self):
        def labels(qids: list[str]) -> dict[str, str]:
            items = self.client.entities(qids, self.language, props="labels")
            return {q: _text(item.get("labels"), self.language) for q, item in items.items()}
        return labels


def _text(values: dict | None, language: str) -> str:
    value = (values or {}).get(language)
    return value.get("value", "") if isinstance(value, dict) else ""
