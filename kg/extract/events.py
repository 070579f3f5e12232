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
                "close": "closure", "protest": "protests", "attack": "attack", "surrender": "surrender",
                "riot": "riots", "demonstrate": "demonstrations", "raid": "raid", "execute": "execution",
                "storm": "raid", "assassinate": "assassination"}
# Events done *to* a place by an actor: a country before the noun ("the US invasion") is the
# actor, not the place. For the others ("Iran's election") it is the place.
AGENTIVE = {"invasion", "bombing", "bombings", "bombardment", "attack", "attacks", "raid", "raids", "strike",
            "strikes", "offensive", "occupation", "crackdown", "siege", "assassination", "execution", "war", "wars",
            "closure", "surrender"}
SKIPPED = {"operation", "operations", "talks", "visit", "conference", "sanctions", "conflict", "strike", "strikes",
           "trial", "ruling", "closed", "arrested", "elected", "killing", "killings", "battle"}
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
        if kind in SKIPPED:
            continue   # too often not an occurrence in news prose; left to a richer rule set
        if _inside_quotation(ctx.text, tok.idx) or _negated(tok):
            continue   # someone's words, or "No arrests were made"
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


def _negated(tok) -> bool:
    return any(c.lower_ in ("no", "never", "without") or c.dep_ == "neg" for c in tok.children) or \
        any(c.dep_ == "neg" for c in tok.head.children if tok.dep_ in ("nsubj", "nsubjpass", "dobj"))


def _inside_quotation(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _date_near(ctx: Context, tok, sent) -> str | None:
    """A date in the event's own phrase, else a time modifier of the verb it belongs to.

    Dates inside another event's phrase belong to that event ("protests broke out after …
    the June 12 election": June 12 is the election's date, not the protests')."""
    own = list(tok.subtree) if tok.pos_ == "NOUN" else [t for c in tok.children if c.dep_ in
                                                         ("prep", "npadvmod", "advmod", "tmod") for t in c.subtree]
    scopes = [own]
    if tok.head is not tok and tok.pos_ == "NOUN":
        others = {t.i for t in tok.head.subtree if t is not tok and _is_event_word(ctx, t)
                  for t in t.subtree} - {t.i for t in own}
        scopes.append([t for c in tok.head.children if c.dep_ in ("prep", "npadvmod", "tmod") and c.i not in
                       {t.i for t in own} for t in c.subtree if t.i not in others])
    for scope in scopes:
        scope = sorted(scope, key=lambda t: t.i)
        if not scope:
            continue
        lo, hi = scope[0].idx, scope[-1].idx + len(scope[-1].text)
        text = ctx.masked[lo:hi]
        found = find_dates(text, ctx.article_date)
        for _, _, value in sorted(found, key=lambda f: abs(f[0] + lo - tok.idx)):
            return value
        m = RELATIVE.search(text)
        if m:
            return resolve_relative(m.group(1), ctx.article_date)
    return None


def _is_event_word(ctx: Context, tok) -> bool:
    lemma = norm(tok.lemma_)
    return (tok.pos_ == "NOUN" and (norm(tok.text) in ctx.lex.event_nouns or lemma in ctx.lex.event_nouns)) or \
        (tok.pos_ == "VERB" and lemma in VERB_TO_NOUN)


def _place_near(ctx: Context, tok, phrase, sent) -> int | None:
    """Where: a place in a prepositional phrase of the event (or of its verb), or for events
    that are not done by an actor, a country that owns it ("Iran's election")."""
    if tok.pos_ == "NOUN":
        verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
        tokens = phrase + ([t for t in verb.children if t.dep_ == "prep" and t.i > tok.i] if verb is not None else [])
    else:   # a verb: its own objects and phrases, not those of a coordinated verb
        tokens = [c for c in tok.children if c.dep_ not in ("conj", "cc", "nsubj", "nsubjpass")]
    kind = norm(tok.text)
    candidates = []
    for t in tokens:
        for sub in t.subtree:
            entity = ctx.entity_at(sub.idx, sub.idx + len(sub.text))
            if entity is None or ctx.entities[entity].type != "Location":
                continue
            by_preposition = sub.head.lower_ in {"in", "at", "near", "into", "on", "inside", "outside"} or \
                (sub.head.lower_ == "of" and sub.head.head.i == tok.i)
            owner = sub.head.i == tok.i and sub.dep_ in ("poss", "compound", "amod") and kind not in AGENTIVE
            if by_preposition or owner:
                candidates.append((sub.idx, entity))
    if tok.pos_ == "VERB":
        for child in tok.children:
            entity = ctx.entity_at(child.idx, child.idx + len(child.text))
            if child.dep_ == "dobj" and entity is not None and ctx.entities[entity].type == "Location":
                candidates.insert(0, (child.idx, entity))   # "invaded Iraq", "closed TIPF"
    if not candidates:
        return None
    # The most specific place is named last ("in Zahedan, Iran" → Zahedan is first; keep the first).
    return candidates[0][1]


def _participants(ctx: Context, tok) -> list[int]:
    out = []
    agentive = norm(tok.text) in AGENTIVE or tok.pos_ == "VERB"
    for child in tok.children:
        if child.dep_ in ("nsubj", "agent") or (child.dep_ == "dobj" and tok.pos_ == "VERB" and False) or \
                (agentive and child.dep_ in ("poss", "compound", "amod")) or \
                (child.dep_ == "prep" and child.lower_ in ("by", "of")):
            for sub in child.subtree:
                entity = ctx.entity_at(sub.idx, sub.idx + len(sub.text))
                if entity is not None and entity not in out and (ctx.entities[entity].type in ("Person", "Organisation")
                                                                  or agentive and child.dep_ in ("nsubj", "poss", "compound")):
                    out.append(entity)
    return out


def _label(ctx: Context, tok, kind: str, place: int | None) -> str:
    label = kind
    if place is not None:
        label = f"{kind} in {ctx.entities[place].name}"
    return label


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per occurrence: nested mentions go, and two mentions of one type whose
    places and dates don't disagree are the same event told twice ("the 2003 invasion",
    "the invasion of Iraq"); the later one lends its place or date to the first."""
    out: list[Event] = []
    for e in events:
        if any(o.event_type == e.event_type and o.start <= e.start < o.end for o in out):
            continue
        same = next((o for o in out if o.event_type == e.event_type and
                     (o.place is None or e.place is None or o.place == e.place) and
                     (o.date is None or e.date is None or o.date[:4] == e.date[:4])), None)
        if same is not None:
            same.place = same.place if same.place is not None else e.place
            same.date = same.date or e.date
            same.participants += [p for p in e.participants if p not in same.participants]
            same.also.append((e.start, e.end))
            continue
        out.append(e)
    return out
