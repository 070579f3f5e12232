"""Where versions and sources disagree about the same thing.

Each discrepancy links two or more differing values, each with the document and span that
states it, so a reader can look at both:

* wording — one utterance quoted in different words by different articles, or one sentence
  of a report worded differently by its versions (details added, dropped or changed);
* speaker — the same words attributed to different people;
* number — different figures for the same kind of count about the same subject
  (members/residents of a group, people killed …) in different articles;
* date — one event dated differently;
* spelling — one person's name spelled differently by different articles;
* claim — an article setting a reported claim against what it narrates ("However, media
  accounts at the time said the camp was destroyed" against "arrived at Camp Ashraf to find
  gardens and monuments").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .groups import DisjointSets
from .matching import key, skeleton
from .records import Article, Extraction
from .reports import Utterance, same_words, words
from .resolve import Resolution
from .syndication import Syndication

CONTRAST = re.compile(r"^\s*(?:However|But|Yet|In contrast|Contrary to|Still|Nevertheless|Nonetheless)\b,?")
COUNT_KINDS = {
    "people": {"members", "residents", "inhabitants", "people", "followers", "supporters", "fighters", "militants",
               "refugees", "prisoners", "detainees", "dissidents", "troops", "soldiers", "workers", "staff"},
    "casualties": {"killed", "dead", "deaths", "casualties", "wounded", "injured", "victims"},
    "arrests": {"arrested", "detained", "arrests"},
}


@dataclass
class Claim:
    value: str
    doc_id: str
    start: int
    end: int


@dataclass
class Discrepancy:
    kind: str
    about: str            # what it is about: an IRI key understood by the mapper ("statement:3", "entity:12", …)
    label: str
    claims: list[Claim] = field(default_factory=list)


def find(articles: list[Article], extractions: list[Extraction], resolution: Resolution,
         utterances: list[Utterance], syndication: Syndication) -> list[Discrepancy]:
    by_id = {x.doc_id: (a, x) for a, x in zip(articles, extractions)}
    found: list[Discrepancy] = []
    found += _wordings(utterances, by_id)
    found += _speakers(utterances, by_id)
    found += _numbers(by_id, resolution)
    found += _spellings(by_id, resolution)
    found += _version_details(syndication, by_id)
    found += _contrasts(by_id, resolution)
    return found


def _statement_claim(by_id, doc_id: str, index: int) -> Claim:
    st = by_id[doc_id][1].statements[index]
    return Claim(st.text, doc_id, st.start, st.end)


def _wordings(utterances: list[Utterance], by_id) -> list[Discrepancy]:
    out = []
    for n, u in enumerate(utterances):
        distinct = {_norm(w) for w in u.wordings.values()}
        if len(distinct) > 1:
            claims = [_statement_claim(by_id, d, i) for d, i in u.reports]
            out.append(Discrepancy("wording", f"statement:{n}", f"wording of {u.speaker.name}'s statement", claims))
    return out


def _speakers(utterances: list[Utterance], by_id) -> list[Discrepancy]:
    """The same words given to different speakers: one discrepancy per group of such words,
    one claim per speaker. Candidates share a word trigram (an inverted index, so the work
    grows with the number of quotes, not its square)."""
    tokens = {i: words(u.text) for i, u in enumerate(utterances) if u.kind == "direct" and len(words(u.text)) >= 6}
    sets = DisjointSets(tokens)
    # Identical wordings join at once; only one of them goes into the index (a quote copied into
    # hundreds of articles would otherwise make every one of its copies a candidate of every other).
    first: dict[tuple[str, ...], int] = {}
    for i, ws in tokens.items():
        sets.union(i, first.setdefault(ws, i))
    index: dict[tuple[str, ...], list[int]] = {}
    for ws, i in first.items():
        for gram in {tuple(ws[k:k + 3]) for k in range(len(ws) - 2)}:
            index.setdefault(gram, []).append(i)
    for ws, i in first.items():
        candidates = {j for k in range(len(ws) - 2) for j in index[tuple(ws[k:k + 3])] if j > i}
        for j in sorted(candidates):
            if utterances[i].speaker is not utterances[j].speaker and sets.find(i) != sets.find(j) \
                    and same_words(ws, tokens[j]):
                sets.union(i, j)
    out = []
    for members in sets.groups().values():
        claims, speakers = [], set()
        for i in members:
            u = utterances[i]
            if id(u.speaker) not in speakers:
                speakers.add(id(u.speaker))
                claim = _statement_claim(by_id, *u.reports[0])
                claim.value = u.speaker.name
                claims.append(claim)
        if len(claims) > 1:
            out.append(Discrepancy("speaker", f"statement:{members[0]}", "speaker of the same words", claims))
    return out


def _count_kind(counts: str) -> str | None:
    tokens = set(counts.lower().split())
    return next((kind for kind, nouns in COUNT_KINDS.items() if tokens & nouns), None)


def _numbers(by_id, resolution: Resolution) -> list[Discrepancy]:
    """Different figures for one kind of count about the article's subject, across articles."""
    groups: dict[tuple[str, int], list[tuple[float, Claim]]] = {}
    for doc_id, (article, x) in by_id.items():
        subject = _topic(doc_id, x, resolution)
        for q in x.quantities:
            kind = _count_kind(q.counts)
            about = resolution.of(doc_id, q.about)
            target = about if about is not None and about.type not in ("Location",) else subject
            if kind is None or target is None:
                continue
            groups.setdefault((kind, id(target)), []).append(
                (q.value, Claim(article.text[q.start:q.end], doc_id, q.start, q.end)))
    out = []
    names = {id(e): e for e in resolution.entities}
    for (kind, subject), items in sorted(groups.items(), key=lambda kv: (kv[0][0], names[kv[0][1]].name)):
        values = {v for v, _ in items}
        documents = {c.doc_id for _, c in items}
        if len(values) > 1 and len(documents) > 1:
            seen, claims = set(), []
            for value, claim in sorted(items, key=lambda item: (item[0], item[1].doc_id)):
                if (value, claim.doc_id) not in seen:
                    seen.add((value, claim.doc_id))
                    claims.append(claim)
            out.append(Discrepancy("number", f"entity:{subject}", f"number of {kind} of {names[subject].name}", claims))
    return out


def _topic(doc_id: str, x: Extraction, resolution: Resolution):
    """What an article is about: its most mentioned organisation or named place (not a country)."""
    best, most = None, 0
    for n, local in enumerate(x.entities):
        entity = resolution.of(doc_id, n)
        if entity is None or entity.type not in ("Organisation", "Location") or \
                (entity.place is not None and entity.place.feature == "country"):
            continue
        if len(local.mentions) > most:
            best, most = entity, len(local.mentions)
    return best


def _spellings(by_id, resolution: Resolution) -> list[Discrepancy]:
    """A person's name spelled two ways by two articles (Massoud / Masoud Rajavi)."""
    forms: dict[int, dict[str, Claim]] = {}
    for doc_id, (article, x) in by_id.items():
        for n, local in enumerate(x.entities):
            entity = resolution.of(doc_id, n)
            if entity is None or entity.type != "Person":
                continue
            for m in local.mentions:
                mention = x.mentions[m]
                text = mention.name or mention.text
                if len(text.split()) >= 2:
                    forms.setdefault(id(entity), {}).setdefault(key(text), Claim(text, doc_id, mention.start, mention.end))
    out = []
    people = {id(e): e for e in resolution.entities}
    for entity_id, spelled in forms.items():
        claims = list(spelled.values())
        variants = [c for c in claims if any(skeleton(c.value) == skeleton(o.value) and key(c.value) != key(o.value)
                                             and c.doc_id != o.doc_id for o in claims)]
        if len(variants) > 1:
            out.append(Discrepancy("spelling", f"entity:{entity_id}", f"spelling of {people[entity_id].name}", variants))
    return out


def _sentences(article: Article, x: Extraction) -> list[tuple[int, int, str]]:
    """The article's content sentences (page furniture left out), trimmed to their words."""
    content = x.content
    out = []
    for s, e in x.sentences:
        pieces = [(max(s, a), min(e, b)) for a, b in content if a < e and s < b]
        if not pieces:
            continue
        text = " ".join(article.text[a:b].strip() for a, b in pieces if article.text[a:b].strip())
        s, e = pieces[0][0], pieces[-1][1]
        s += len(article.text[s:e]) - len(article.text[s:e].lstrip())
        e -= len(article.text[s:e]) - len(article.text[s:e].rstrip())
        if len(words(text)) >= 6:
            out.append((s, e, text))
    return out


def _norm(text: str) -> str:
    return " ".join(words(text.replace(".", "")))


def _version_details(syndication: Syndication, by_id) -> list[Discrepancy]:
    """Sentences of one report that its versions word differently."""
    out = []
    for n, story in enumerate(syndication.stories):
        source = story.source
        if source not in by_id:
            continue
        base = _sentences(*by_id[source])
        base_norms = [_norm(b[2]) for b in base]
        for other in story.documents[1:]:
            for s, e, text in _sentences(*by_id[other]):
                norm = _norm(text)
                best = process.extractOne(norm, base_norms, scorer=fuzz.ratio, score_cutoff=75)
                if best is None or best[0] == norm:
                    continue
                b = base[best[2]]
                out.append(Discrepancy("wording", f"story:{n}", "a detail worded differently by versions of one report",
                                       [Claim(b[2].strip(), source, b[0], b[1]), Claim(text.strip(), other, s, e)]))
    return out


def _contrasts(by_id, resolution: Resolution) -> list[Discrepancy]:
    """'However, X said …': a claim the article sets against what it narrated about the same thing."""
    out = []
    for doc_id, (article, x) in by_id.items():
        sentences = _sentences(article, x)
        for k, (s, e, text) in enumerate(sentences):
            if not CONTRAST.match(text) or re.search(r"[“\"]", text) or \
                    not re.search(r"\b(?:said|say|says|claimed|reported|accounts|reports)\b", text):
                continue   # a reported claim, not someone's quoted words
            about = set().union(*_things_named(x, resolution, doc_id, s, e, text))
            earlier = [(ps, pe, ptext) for ps, pe, ptext in reversed(sentences[:k])   # narration only
                       if not re.search(r"[“\"]", ptext) and "according to" not in ptext.lower()]
            # What the article narrated about the same thing, named outright; else described.
            for explicit in (True, False):
                match = next(((ps, pe, ptext, common) for ps, pe, ptext in earlier
                              if (common := _things_named(x, resolution, doc_id, ps, pe, ptext)[0 if explicit else 1]
                                  & about)), None)
                if match:
                    ps, pe, ptext, common = match
                    out.append(Discrepancy("claim", f"entity:{min(common)}", "claims the article sets against each other",
                                           [Claim(ptext.strip(), doc_id, ps, pe), Claim(text.strip(), doc_id, s, e)]))
                    break
    return out


def _things_named(x: Extraction, resolution: Resolution, doc_id: str, start: int, end: int,
                  text: str) -> tuple[set[int], set[int]]:
    """Entities named in a stretch, and those only described ("the camp" for Camp Ashraf)."""
    found, described = set(), set()
    for n, local in enumerate(x.entities):
        entity = resolution.of(doc_id, n)
        if entity is None or (entity.place is not None and entity.place.feature == "country"):
            continue
        if any(start <= x.mentions[m].start < end for m in local.mentions):
            found.add(id(entity))
            continue
        heads = {w.lower() for w in entity.name.split() if len(w) > 3}
        if entity.type in ("Location", "Organisation") and any(
                re.search(rf"\bthe {re.escape(h)}\b", text.lower()) for h in heads):
            described.add(id(entity))
    return found, described
