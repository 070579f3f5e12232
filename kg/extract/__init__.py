"""Extraction: one article in, one Extraction record out.

The pipeline is a sequence of small steps, each in its own module, each adding to the
record what it finds; a step can be improved without touching the others:

    layout    page furniture and article metadata          (kg/layout.py)
    nlp       spaCy parse of the article content            (nlp.py)
    names     name mentions, typed by cues                  (names.py; their edges: spans.py)
    entities  mentions grouped into the things they name    (entities.py)
    speakers  who a subject phrase or pronoun stands for    (speakers.py)
    reported  indirect statements: X said that …            (reported.py)
    quotes    direct quotations and their speakers          (quotes.py)
    roles     titles given to people                        (roles.py)
    events    what the text narrates as happening           (events.py)
    numbers   quantities stated as facts                    (numbers.py)

Extraction depends only on the article text and the rules, never on other articles or on
the curated-knowledge file, so its result can be cached per article (see kg/build.py).
"""
from __future__ import annotations

import re

from ..layout import analyse
from ..records import Article, Extraction, Mention
from . import entities, events, names, numbers, quotes, roles, speakers
from .lexicon import lexicon, norm
from .nlp import load

VERSION = "0.9.6"   # bump when extraction output changes, so caches are rebuilt


def extract(article: Article, nlp=None) -> Extraction:
    layout = analyse(article.text, article.html_meta)
    nlp = nlp or load()
    doc = nlp(layout.masked_text)
    mentions = names.find_mentions(doc, article.text)
    mentions.extend(_metadata_mentions(layout.metadata, mentions, article.text))
    mentions.sort(key=lambda m: (m.start, m.end))
    local = entities.cluster(mentions, article.text)
    date = layout.metadata.date.value if layout.metadata.date else None
    ctx = speakers.Context(doc, article.text, mentions, local, date)
    result = Extraction(
        doc_id=article.doc_id, file=article.file, metadata=layout.metadata, content=layout.content,
        mentions=mentions, entities=local,
        sentences=[(s.start_char, s.end_char) for s in doc.sents if s.text.strip()],
    )
    result.statements = quotes.find_statements(ctx)
    result.roles = roles.find_roles(ctx)
    result.events = events.find_events(ctx)
    result.quantities = numbers.find_quantities(ctx)
    return result


def _metadata_mentions(meta, mentions: list[Mention], text: str) -> list[Mention]:
    """Publishers and authors named in bylines are mentions too (of outlets and people)."""
    out = []
    taken = {(m.start, m.end) for m in mentions}
    fields = [(f, "Person", "byline") for f in meta.authors]
    fields += [(f, _publisher_kind(f.value), "publisher") for f in (meta.publisher, meta.original_publisher) if f]
    for field, kind, rule in fields:
        if field.start is None or (field.start, field.end) in taken:
            continue
        taken.add((field.start, field.end))
        surface = text[field.start:field.end]   # the value may be re-cased ("MEGAN O'BRIEN" → "Megan O'Brien")
        out.append(Mention(field.start, field.end, surface, kind, f"metadata:{rule}",
                           name=field.value if field.value != surface else "", votes={kind: 6}))
    # Metadata spans can overlap a name found in the text (a dateline's "(CNN)"): keep one.
    return [m for m in out if not any(o.start < m.end and m.start < o.end for o in mentions)] + \
        _retype_overlaps(out, mentions)


def _publisher_kind(name: str) -> str:
    """A ministry or an NGO publishing its own press release stays an organisation; a site or an
    outlet is a reporting source."""
    lex = lexicon()
    words = {norm(w) for w in re.findall(r"[\w'’.&-]+", name)}
    return "Organisation" if words & lex.organisation_heads and not words & lex.media_heads else "ReportingSource"


def _retype_overlaps(meta_mentions: list[Mention], mentions: list[Mention]) -> list[Mention]:
    for meta in meta_mentions:
        for m in mentions:
            if m.start < meta.end and meta.start < m.end:
                m.votes = {**m.votes, meta.type: m.votes.get(meta.type, 0) + 6}
                m.type = meta.type
    return []
