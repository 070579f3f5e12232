"""What the text narrates as happening: an explosion, an invasion, an election, protests.

An event is found from its head: an event noun ("an explosion in February at a girls school
in Zahedan") or a verb of happening ("When the U.S. invaded Iraq in 2003"). Its date comes
from the words around it (absolute, or relative to the article's date: "in February",
"last December", "on Saturday"), its place from a place named in a prepositional phrase,
and its participants from the subject and object of the verb.
"""
from __future__ import annotations

import re

from ..dates import find_dates, resolve_relative
from ..records import Event
from .lexicon import norm
from .quotes import Context

VERB_TO_NOUN = {"invade": "invasion", "bomb": "bombing", "explode": "explosion", "elect": "election",
                "close": "closure", "arrest": "arrests", "protest": "protests", "attack": "attack",
                "surrender": "surrender", "kill": "killing", "overthrow": "overthrow", "riot": "riots",
                "demonstrate": "demonstrations", "raid": "raid", "execute": "execution", "storm": "raid"}
RELATIVE = re.compile(r"\b(?:in|on|last|this|since|by)\s+(January|February|March|April|May|June|July|August|"
                      r"September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                      r"Sunday)\b(?!\s+\d)")


def find_events(ctx: Context) -> list[Event]:
    events: list[Event] = []
    lex = ctx.lex
    for tok in ctx.doc:
        lemma = norm(tok.lemma_)
        if tok.pos_ == "NOUN" and (norm(tok.text) in lex.event_nouns or lemma in lex.event_nouns):
            kind = norm(tok.text) if norm(tok.text) in lex.event_nouns else lemma
        elif tok.pos_ == "VERB" and lemma in VERB_TO_NOUN and tok.dep_ not in ("amod", "acl") and \
                (tok.tag_ in ("VBD", "VBN") or any(c.dep_ == "nsubj" for c in tok.children)):
            kind = VERB_TO_NOUN[lemma]
        else:
            continue
        if kind in ("operation", "operations", "talks", "visit", "conference", "sanctions", "conflict",
                    "strike", "strikes", "trial", "ruling", "closed", "arrested", "elected"):
            continue   # too often not an occurrence in news prose; left to a richer rule set
        if _inside_quotation(ctx.text, tok.idx):
            continue
        sent = tok.sent
        phrase = [t for t in tok.subtree] if tok.pos_ == "NOUN" else [tok]
        start = min(t.idx for t in phrase)
        end = max(t.idx + len(t.text) for t in phrase)
        if end - start > 140:
            start, end = tok.idx, tok.idx + len(tok.text)
        date = _date_near(ctx, tok, sent)
        place = _place_near(ctx, tok, phrase, sent)
        participants = _participants(ctx, tok)
        label = _label(ctx, tok, kind, place)
        events.append(Event(start, end, label, kind, date, place, participants, rule=f"{tok.pos_.lower()}:{kind}"))
    return _dedupe(events)


def _inside_quotation(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _date_near(ctx: Context, tok, sent) -> str | None:
    """A date in the event's own phrase, else in its clause, else in the sentence."""
    scopes = [list(tok.subtree), list(tok.head.subtree) if tok.head is not tok else [], list(sent)]
    for scope in scopes:
        if not scope:
            continue
        lo, hi = scope[0].idx, scope[-1].idx + len(scope[-1].text)
        text = ctx.text[lo:hi]
        found = find_dates(text, ctx.article_date)
        for _, _, value in sorted(found, key=lambda f: abs(f[0] + lo - tok.idx)):
            return value
        m = RELATIVE.search(text)
        if m:
            return resolve_relative(m.group(1), ctx.article_date)
    # "the 1981 bombing", "the June 12 election": a year or date just before the noun.
    return None


def _place_near(ctx: Context, tok, phrase, sent) -> int | None:
    tokens = phrase + [t for t in tok.head.children if t.dep_ == "prep"] if tok.pos_ == "NOUN" else list(tok.subtree)
    candidates = []
    for t in tokens:
        for sub in t.subtree:
            entity = ctx.entity_at(sub.idx, sub.idx + len(sub.text))
            if entity is not None and ctx.entities[entity].type == "Location" and sub.head.lower_ in {
                    "in", "at", "near", "into", "on", "of", tok.lower_}:
                candidates.append((sub.idx, entity))
    if tok.pos_ == "VERB":
        for child in tok.children:
            entity = ctx.entity_at(child.idx, child.idx + len(child.text))
            if child.dep_ == "dobj" and entity is not None and ctx.entities[entity].type == "Location":
                candidates.insert(0, (child.idx, entity))
    if not candidates:
        return None
    # The most specific place is named last ("in Zahedan, Iran" → Zahedan is first; keep the first).
    return candidates[0][1]


def _participants(ctx: Context, tok) -> list[int]:
    out = []
    for child in tok.children:
        if child.dep_ in ("nsubj", "dobj", "agent", "poss") or (child.dep_ == "prep" and child.lower_ in ("by", "of")):
            for sub in child.subtree:
                entity = ctx.entity_at(sub.idx, sub.idx + len(sub.text))
                if entity is not None and ctx.entities[entity].type in ("Person", "Organisation") and entity not in out:
                    out.append(entity)
    return out


def _label(ctx: Context, tok, kind: str, place: int | None) -> str:
    label = kind
    if place is not None:
        label = f"{kind} in {ctx.entities[place].name}"
    return label


def _dedupe(events: list[Event]) -> list[Event]:
    out: list[Event] = []
    for e in events:
        if any(o.event_type == e.event_type and o.start <= e.start < o.end for o in out):
            continue
        out.append(e)
    return out
