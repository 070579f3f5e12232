"""One utterance, many reports; and how many independent sources stand behind a fact.

The same words quoted by several articles are one Statement with one report per article.
A shortened or reworded version ("We still regard them as a terrorist organization" inside
Khalilzad's longer quote) is the same utterance: same speaker, and the shorter wording's
words are nearly all in the longer one. The fullest wording names the statement; each report
keeps its own exact wording and span. Two different utterances of one speaker stay two.

Corroboration counts reports (articles) and independent sources: all versions of one report
(see syndication.py) count once; an outlet a statement was made to ("told ABC", "Press TV
interviewed …") is that statement's source.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .records import Extraction
from .resolve import Entity, Resolution
from .syndication import Syndication

CONTAINED = 0.8      # share of the shorter wording's words found in the longer
SIMILAR = 88         # rapidfuzz ratio for rewordings of equal length


@dataclass
class Utterance:
    speaker: Entity
    kind: str
    text: str                                   # the fullest wording
    reports: list[tuple[str, int]] = field(default_factory=list)   # (doc id, statement index)
    wordings: dict[str, str] = field(default_factory=dict)          # doc id → wording there
    media: list[Entity] = field(default_factory=list)


@lru_cache(maxsize=1 << 16)
def words(text: str) -> tuple[str, ...]:
    """The lower-cased words of a wording (cached: utterances are compared many times)."""
    return tuple(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")))


def same_utterance(a: str, b: str) -> bool:
    return same_words(words(a), words(b))


def same_words(wa: tuple[str, ...], wb: tuple[str, ...]) -> bool:
    """Whether two wordings (as word lists) are one utterance: the shorter's words nearly all
    in the longer, or a close rewording."""
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) >= 4:
        pool = set(long_)
        if sum(w in pool for w in short) / len(short) >= CONTAINED:
            return True
    return fuzz.ratio(" ".join(wa), " ".join(wb)) >= SIMILAR


def merge_statements(extractions: list[Extraction], resolution: Resolution) -> tuple[list[Utterance], dict]:
    """Group every statement of every article into utterances; returns them and
    (doc id, statement index) → utterance index."""
    utterances: list[Utterance] = []
    by_speaker: dict[tuple[int, str], list[int]] = {}
    link: dict[tuple[str, int], int] = {}
    for x in extractions:
        for n, st in enumerate(x.statements):
            speaker = resolution.of(x.doc_id, st.speaker)
            if speaker is None:
                continue
            bucket = by_speaker.setdefault((id(speaker), st.kind), [])
            target = next((u for u in bucket if same_utterance(utterances[u].text, st.text)
                           and x.doc_id not in utterances[u].wordings), None)
            if target is None:
                target = len(utterances)
                utterances.append(Utterance(speaker, st.kind, st.text))
                bucket.append(target)
            utterance = utterances[target]
            utterance.reports.append((x.doc_id, n))
            utterance.wordings[x.doc_id] = st.text
            if len(words(st.text)) > len(words(utterance.text)):
                utterance.text = st.text
            medium = resolution.of(x.doc_id, st.medium)
            if medium is not None and medium not in utterance.media:
                utterance.media.append(medium)
            link[(x.doc_id, n)] = target
    return utterances, link


@dataclass
class Corroboration:
    reports: int
    independent: int
    sources: list[Entity]


def corroboration(documents: set[str], syndication: Syndication, media: list[Entity],
                  source_of_document) -> Corroboration:
    """Reports, independent sources and who the sources are, for a fact stated by ``documents``.

    ``source_of_document(doc_id)`` gives the outlet behind a document (its story's original
    publisher, else its own publisher), or None."""
    groups = {syndication.group(d) for d in documents}
    if media:
        sources = list(media)
    else:
        sources = []
        for d in sorted(documents):
            outlet = source_of_document(d)
            if outlet is not None and outlet not in sources:
                sources.append(outlet)
    return Corroboration(len(documents), len(groups), sources)
