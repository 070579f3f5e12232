"""One IRI per real thing across the corpus.

Each article's entities (already merged inside the article) are matched against what the
corpus has seen so far and against the curated-knowledge file:

1. a curated entry naming any of the entity's forms wins (its name, type and links);
2. the same name up to case and punctuation, or a form the corpus already knows as an alias;
3. an acronym whose expansion the corpus knows (MKO ↔ Mojahedin Khalq Organization);
4. the same name up to transliteration (Mujahedeen Khalq ↔ Mojahedin Khalq);
5. a bare surname that only one known person carries.

Before matching, an article's entity whose forms name two different curated entries is split
in two: the curated file says they are different things, even where one article runs them
together ("the Kurdistan Worker's Party (PEJAK)").

Types are then decided by the votes of every mention in every article — a name seen as a
person in ten articles is a person in the eleventh — unless the curated file says otherwise.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from .curated import CuratedEntity, Knowledge
from .gazetteer import Place, lookup
from .matching import initials, is_acronym, key, skeleton, tokens
from .records import Extraction, LocalEntity


@dataclass
class Entity:
    """A thing named somewhere in the corpus, with everything known about it."""

    name: str
    type: str = ""
    forms: Counter = field(default_factory=Counter)       # surface form → mentions
    votes: Counter = field(default_factory=Counter)
    documents: set[str] = field(default_factory=set)
    mention_count: int = 0
    curated: CuratedEntity | None = None
    place: Place | None = None

    @property
    def aliases(self) -> list[str]:
        names = set(self.forms) | set(self.curated.aliases if self.curated else [])
        return sorted((n for n in names if key(n) != key(self.name)), key=lambda n: (key(n), n))

    def type_evidence(self) -> str:
        if self.curated:
            return f"curated: {self.curated.type}"
        return ", ".join(f"{kind}={n}" for kind, n in self.votes.most_common())


@dataclass
class Resolution:
    entities: list[Entity]
    links: dict[tuple[str, int], int]      # (doc_id, local entity index) → index in entities

    def of(self, doc_id: str, local: int | None) -> Entity | None:
        if local is None:
            return None
        index = self.links.get((doc_id, local))
        return self.entities[index] if index is not None else None


class _Index:
    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.by_key: dict[str, int] = {}
        self.by_skeleton: dict[str, int] = {}
        self.by_surname: dict[str, set[int]] = {}
        self.curated_index: dict[int, int] = {}    # id(curated entry) → entity index
        self.by_place: dict[int, int] = {}         # GeoNames id → entity index
        self.by_initials: dict[str, int] = {}      # "MKO" → the entity named Mojahedin Khalq Organization

    def add(self, entity: Entity) -> int:
        self.entities.append(entity)
        return len(self.entities) - 1

    def remember(self, index: int, name: str, kind: str) -> None:
        self.by_key.setdefault(key(name), index)
        if len(tokens(name)) >= 2 and len(skeleton(name)) >= 5:
            self.by_skeleton.setdefault(skeleton(name), index)
        if kind in ("Organisation", "ReportingSource", "") and not is_acronym(name) and len(name.split()) >= 2:
            for letters in {initials(name, True), initials(name, False)}:
                if len(letters) >= 2:
                    self.by_initials.setdefault(letters, index)
        if kind == "Person" and len(tokens(name)) >= 2:
            self.by_surname.setdefault(tokens(name)[-1], set()).add(index)
        if kind == "Location" and (place := lookup(name)) is not None:
            self.by_place.setdefault(place.geonames_id, index)


def resolve(extractions: list[Extraction], knowledge: Knowledge) -> Resolution:
    index = _Index()
    links: dict[tuple[str, int], int] = {}
    for curated in knowledge.entities:
        i = index.add(Entity(curated.name, curated.type, curated=curated))
        index.curated_index[id(curated)] = i
        for name in curated.names:
            index.remember(i, name, curated.type)

    # Fuller names first, so that short forms and acronyms find what they stand for.
    pending = [(x, n, e) for x in extractions for n, e in enumerate(x.entities)]
    pending.sort(key=lambda item: (_is_short(item[2]), item[0].doc_id, item[1]))
    for extraction, local_index, local in pending:
        target = _match(local, index, knowledge)
        if target is None:
            target = index.add(Entity(local.name))
        for name in [local.name, *local.aliases]:
            index.remember(target, name, local.type)
        entity = index.entities[target]
        entity.documents.add(extraction.doc_id)
        for m in local.mentions:
            mention = extraction.mentions[m]
            entity.forms[mention.name or mention.text] += 1
            entity.mention_count += 1
        entity.votes.update(local.type_votes)
        links[(extraction.doc_id, local_index)] = target

    for entity in index.entities:
        _settle(entity)
    # Curated entries nobody mentions stay out of the graph: it describes the corpus.
    kept = [n for n, e in enumerate(index.entities) if e.mention_count]
    renumber = {old: new for new, old in enumerate(kept)}
    return Resolution([index.entities[n] for n in kept], {k: renumber[v] for k, v in links.items()})


def split_conflations(extraction: Extraction, knowledge: Knowledge) -> Extraction:
    """The extraction with each entity whose mentions name different curated entries split,
    one entity per entry. The entity keeps its index (and so its statements and roles) with
    the entry its own name points at; the others are appended. Unchanged if nothing splits."""
    if not knowledge.entities:
        return extraction
    entities = list(extraction.entities)
    for n, local in enumerate(extraction.entities):
        groups: dict[int, list[int]] = {}
        entries: dict[int, CuratedEntity] = {}
        for m in local.mentions:
            mention = extraction.mentions[m]
            entry = knowledge.find(mention.name or mention.text)
            if entry is not None:
                groups.setdefault(id(entry), []).append(m)
                entries[id(entry)] = entry
        if len(groups) < 2:
            continue
        own = knowledge.find(local.name)
        keep = id(own) if own is not None and id(own) in groups else max(groups, key=lambda g: len(groups[g]))
        moved = {m for g, ms in groups.items() if g != keep for m in ms}
        entities[n] = replace(local, mentions=[m for m in local.mentions if m not in moved],
                              aliases=[a for a in local.aliases
                                       if (named := knowledge.find(a)) is None or id(named) == keep])
        for g, ms in groups.items():
            if g != keep:
                entry = entries[g]
                entities.append(LocalEntity(entry.name, entry.type, ms, type_votes={entry.type: len(ms)}))
    if len(entities) == len(extraction.entities):
        return extraction
    return replace(extraction, entities=entities)


def _is_short(local: LocalEntity) -> bool:
    return len(tokens(local.name)) < 2 or is_acronym(local.name)


def _match(local: LocalEntity, index: _Index, knowledge: Knowledge) -> int | None:
    names = [local.name, *local.aliases]
    for name in names:
        curated = knowledge.find(name)
        if curated is not None:
            return index.curated_index[id(curated)]
    for name in names:
        hit = index.by_key.get(key(name))
        if hit is not None and _types_agree(index.entities[hit], local):
            return hit
    for name in names:
        if is_acronym(name):
            hit = index.by_initials.get(name.replace(".", "").upper())
            if hit is not None and index.entities[hit].type in ("", "Organisation", "ReportingSource"):
                return hit
    if local.type == "Location":
        # "UK" and "Britain", "America" and "the United States": one GeoNames feature, one place.
        for name in names:
            place = lookup(name)
            if place is not None and place.geonames_id in index.by_place:
                return index.by_place[place.geonames_id]
    for name in names:
        if len(tokens(name)) >= 2 and len(skeleton(name)) >= 5:
            hit = index.by_skeleton.get(skeleton(name))
            if hit is not None and _types_agree(index.entities[hit], local):
                return hit
    if local.type == "Person" and len(tokens(local.name)) == 1:
        carriers = index.by_surname.get(tokens(local.name)[0], set())
        if len(carriers) == 1:
            return next(iter(carriers))
    return None


def _types_agree(entity: Entity, local: LocalEntity) -> bool:
    kinds = {entity.type or _leading(entity.votes), local.type}
    return len(kinds) == 1 or kinds <= {"Organisation", "ReportingSource"} or "" in kinds or \
        (entity.curated is not None)


def _leading(votes: Counter) -> str:
    return max(sorted(votes), key=lambda k: votes[k]) if votes else ""


def _name_rank(form: str, forms: Counter, kind: str) -> tuple:
    """Which form names the thing: a full name for a person; otherwise the most used of the
    descriptive (non-acronym) forms, longer first on ties."""
    if kind == "Person":
        return (len(tokens(form)), forms[form], form)
    return (not is_acronym(form), forms[form], len(tokens(form)), form)


def _settle(entity: Entity) -> None:
    """Decide the entity's name and type from the whole corpus."""
    if entity.curated:
        entity.name, entity.type = entity.curated.name, entity.curated.type
    else:
        entity.type = _leading(entity.votes) or "Organisation"
        forms = entity.forms
        if forms:
            entity.name = max(forms, key=lambda f: _name_rank(f, forms, entity.type))
    if entity.type == "Location" and entity.place is None:
        place = next((p for p in map(lookup, [entity.name, *entity.forms]) if p is not None), None)
        if place is not None and place.feature == "country" and key(place.name) in {key(f) for f in entity.forms}:
            entity.name = place.name   # "United States" rather than "US"
    if entity.type == "Location":
        for name in [entity.name, *entity.forms]:
            place = lookup(name)
            if place is not None:
                entity.place = place
                break
