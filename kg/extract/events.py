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
from .speakers import Context

# Events done *to* a place by an actor: a country before the noun ("the US invasion") is the
# actor, not the place. For the others ("Iran's election") it is the place.
AGENTIVE = {"invasion", "bombing", "bombardment", "attack", "raid", "strike", "airstrike", "offensive",
            "occupation", "crackdown", "siege", "assassination", "execution", "war", "closure", "surrender",
            "shelling", "arrest", "removal", "transfer", "deportation", "expulsion"}
MODALS = {"will", "would", "could", "should", "may", "might", "must", "can", "shall", "'ll"}
PLURALS = {"rallies": "rally", "talks": "talks", "series": "series", "crises": "crisis", "clashes": "clash"}
RELATIVE = re.compile(r"\b(?i:in|on|last|this|since|by)\s+(?P<named>January|February|March|April|May|June|July|"
                      r"August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|"
                      r"Saturday|Sunday)\b(?!\s+\d)"
                      r"|\b(?P<relative>(?i:yesterday|last (?:week|month|year)|(?:earlier )?this (?:month|year)))\b")


def find_events(ctx: Context) -> list[Event]:
    events: list[Event] = []
    lex = ctx.lex
    for tok in ctx.doc:
        kind = event_kind(tok, lex)
        if kind is None or kind in lex.not_events:
            continue
        if _inside_quotation(ctx.text, tok.idx) or _negated(tok) or _unreal(tok):
            continue   # someone's words, "No arrests were made", "will be given military training"
        if kind in lex.anchored_events and not _anchored(tok):
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


def _anchored(tok) -> bool:
    """A date or a phrase of its own ("the vote on Sunday"), or for a verb, of its object
    ("declared an emergency in Gojal")."""
    anchors = ("prep", "npadvmod", "compound", "nummod")
    objects = [c for c in tok.children if c.dep_ == "dobj"] if tok.pos_ == "VERB" else []
    return any(c.dep_ in anchors for t in [tok, *objects] for c in t.children)


def event_kind(tok, lex) -> str | None:
    """The event noun a token stands for: 'protests' → protest, 'invaded' → invasion, else None."""
    text = norm(tok.text)
    if tok.pos_ == "NOUN" or (tok.tag_ == "VBG" and tok.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass") and
                              text in lex.event_nouns):   # "the UK court ruling"
        if text == "cease" and tok.i + 2 < len(tok.doc) and tok.nbor(1).text == "-" and tok.nbor(2).lower_ == "fire":
            return "cease-fire"
        lemma = PLURALS.get(text) or norm(tok.lemma_)
        if text in lex.event_nouns:
            return text
        if lemma in lex.event_nouns:
            return lemma
        return None
    if tok.pos_ == "VERB":
        lemma = norm(tok.lemma_)
        if lemma in lex.event_verbs and tok.dep_ not in ("amod", "compound") and tok.tag_ in ("VBD", "VBN"):
            return lex.event_verbs[lemma]
    return None


def _unreal(tok) -> bool:
    """Not narrated as having happened: future or modal, an infinitive, a question of 'if'.
    A noun counts as unreal only as subject or object of such a verb ("will be given
    training"), not inside a phrase ("victims of the court ruling")."""
    if tok.pos_ == "VERB":
        verb = tok
    elif tok.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and tok.head.pos_ in ("VERB", "AUX"):
        verb = tok.head
    else:
        return False
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxes & MODALS or (tok.pos_ == "VERB" and "to" in auxes):
        return True
    return any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in verb.children)


def _negated(tok) -> bool:
    return any(c.lower_ in ("no", "never", "without") or c.dep_ == "neg" for c in tok.children) or \
        any(c.dep_ == "neg" for c in tok.head.children if tok.dep_ in ("nsubj", "nsubjpass", "dobj"))


def _inside_quotation(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _date_near(ctx: Context, tok, sent) -> str | None:
    """When: a date in the event's own phrase; else a time modifier of its verb; else a date in
    its sentence that no other event of the sentence owns ("protests broke out after … the June
    12 election": June 12 is the election's); else "recent(ly)" (the article's month) or the
    date the paragraph has just given ("Press TV March 27 … Press TV interviewed …")."""
    own = list(tok.subtree) if tok.pos_ == "NOUN" else [t for c in tok.children if c.dep_ in
                                                         ("prep", "npadvmod", "advmod", "tmod", "advcl") for t in c.subtree]
    own_ids = {t.i for t in own} | {tok.i}
    others = {sub.i for t in sent if t.i not in own_ids and t.pos_ == "NOUN" and _is_event_word(ctx, t)
              for sub in t.subtree} - own_ids
    verb = tok if tok.pos_ == "VERB" else next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), tok.head)
    verbs = [verb] + ([verb.head] if verb.dep_ == "conj" else [])   # "closed TIPF and transferred …"
    scopes = [own,
              [t for v in verbs for c in v.children if c.dep_ in ("prep", "npadvmod", "tmod", "advmod") for t in c.subtree
               if t.i not in own_ids and t.i not in others and not _is_event_word(ctx, c)],
              [t for t in sent if t.i not in others and t.i not in own_ids]]
    for scope in scopes:
        value = _first_date(ctx, sorted(scope, key=lambda t: t.i), tok.idx)
        if value:
            return value
    # "broke out after … the June 12 election": after a dated event, in that month.
    if any(c.dep_ == "prep" and c.lower_ in ("after", "following", "since") for c in verb.children):
        value = _first_date(ctx, sorted((t for t in sent if t.i in others), key=lambda t: t.i), tok.idx)
        if value:
            return value[:7]
    if any(t.lower_ in ("recent", "recently") for t in list(tok.children) + [tok.head]) and ctx.article_date:
        return ctx.article_date[:7]
    value = _paragraph_date(ctx, sent)
    if value and any(t.lower_ in ("since", "after") for t in sent):
        return value[:7]   # "ever since": in the weeks after that date
    return value


def _first_date(ctx: Context, scope, near: int) -> str | None:
    """The date written closest to ``near`` among the (contiguous runs of) tokens in scope."""
    if not scope:
        return None
    found = []
    run = [scope[0]]
    for t in scope[1:] + [None]:
        if t is not None and t.i == run[-1].i + 1:
            run.append(t)
            continue
        lo, hi = run[0].idx, run[-1].idx + len(run[-1].text)
        text = ctx.masked[lo:hi]
        found += [(abs(lo + a - near), v) for a, _, v in find_dates(text, ctx.article_date)]
        m = RELATIVE.search(text)
        if m and (value := resolve_relative(m.group("named") or m.group("relative"), ctx.article_date)):
            found.append((abs(lo + m.start() - near), value))
        if t is not None:
            run = [t]
    return min(found)[1] if found else None


def _paragraph_date(ctx: Context, sent) -> str | None:
    start = ctx.masked.rfind("\n", 0, sent.start_char) + 1
    before = ctx.masked[start:sent.start_char]
    dated = [v for _, _, v in find_dates(before, ctx.article_date) if len(v) == 10]
    return dated[-1] if dated else None


def _is_event_word(ctx: Context, tok) -> bool:
    return event_kind(tok, ctx.lex) is not None


LOCATIVE = {"in", "at", "near", "into", "on", "inside", "outside"}


def _place_near(ctx: Context, tok, phrase, sent) -> int | None:
    """Where, most specific evidence first:

    1. a place in a prepositional phrase of the event (or of its verb), the object of a verb
       of happening ("invaded Iraq"), or for events not done by an actor, a country that owns
       it ("Iran's election");
    2. a place that qualifies who did it ("the Antwerp criminal court sentenced", "Iraq's
       parliament passed", "my sister in Shiraz was summoned");
    3. a place the event's clause puts the action in ("they were disarmed and confined to
       camps in Iraq") that no other event of the sentence owns."""
    for finder in (_own_place, _subject_place, _sentence_place):
        place = finder(ctx, tok, phrase, sent)
        if place is not None:
            return place
    return None


def _location_at(ctx: Context, t) -> int | None:
    entity = ctx.entity_at(t.idx, t.idx + len(t.text))
    return entity if entity is not None and ctx.entities[entity].type == "Location" else None


def _own_place(ctx: Context, tok, phrase, sent) -> int | None:
    if tok.pos_ == "NOUN":
        verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
        tokens = phrase + ([t for t in verb.children if t.dep_ == "prep" and t.i > tok.i] if verb is not None else [])
    else:   # a verb: its own objects and phrases, not those of a coordinated verb
        tokens = [c for c in tok.children if c.dep_ not in ("conj", "cc", "nsubj", "nsubjpass")]
    kind = norm(tok.text)
    candidates = []
    for t in tokens:
        for sub in t.subtree:
            entity = _location_at(ctx, sub)
            if entity is None:
                continue
            by_preposition = sub.head.lower_ in LOCATIVE or (sub.head.lower_ == "of" and sub.head.head.i == tok.i)
            owner = sub.head.i == tok.i and sub.dep_ in ("poss", "compound", "amod") and kind not in AGENTIVE
            if by_preposition or owner:
                candidates.append((sub.idx, entity))
    if tok.pos_ == "VERB":
        for child in tok.children:
            entity = _location_at(ctx, child)
            if child.dep_ == "dobj" and entity is not None:
                candidates.insert(0, (child.idx, entity))   # "invaded Iraq", "closed TIPF"
    # The most specific place is named first ("in Zahedan, Iran"): keep the first.
    return candidates[0][1] if candidates else None


def _subject_place(ctx: Context, tok, phrase, sent) -> int | None:
    verb = tok if tok.pos_ == "VERB" else (tok.head if tok.dep_ in ("dobj", "nsubj", "nsubjpass") else None)
    if verb is None or verb.pos_ != "VERB":
        return None
    for subject in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        for child in subject.children:
            if child.dep_ in ("compound", "poss", "amod", "nmod") and not _is_event_word(ctx, subject):
                place = _location_at(ctx, child)   # not "a US drone strike killed": the US struck
            elif child.dep_ == "prep" and child.lower_ in LOCATIVE:
                place = next((p for p in (_location_at(ctx, t) for t in child.children) if p is not None), None)
            else:
                continue
            if place is not None:
                return place
    return None


def _sentence_place(ctx: Context, tok, phrase, sent) -> int | None:
    others = {sub.i for t in sent if t.i != tok.i and _is_event_word(ctx, t) for sub in t.subtree}
    own = {t.i for t in phrase} | {tok.i}
    # Only the event's own clause and the verbs coordinated with it ("disarmed and confined to
    # camps in Iraq"), not a clause about someone else ("her mother, who lives near Dohuk, …").
    verb = _clause_verb(tok)
    clause = {verb.i, *(c.i for c in verb.children if c.dep_ == "conj")} | ({verb.head.i} if verb.dep_ == "conj" else set())
    candidates = [(abs(t.i - tok.i), place) for t in sent
                  if (t.i in own or t.i not in others) and t.head.lower_ in LOCATIVE and t.dep_ == "pobj"
                  and _clause_verb(t.head).i in clause and (place := _location_at(ctx, t)) is not None]
    return min(candidates)[1] if candidates else None


def _clause_verb(tok):
    """The verb whose clause a token belongs to (itself, if it is one)."""
    return next((t for t in [tok, *tok.ancestors] if t.pos_ in ("VERB", "AUX")), tok)


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
