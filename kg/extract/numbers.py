"""Numbers stated as facts, with what they count: "3,800 camp residents", "3,300 members",
"more than 72 Iranian officials were killed", and sums and shares: "$1.5 billion" (dollars),
"1,500,000 rials", "41 per cent".

Years, dates, times, ages and numbers inside quotations of someone else's words are left
out: they are not counts the article states.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..records import Quantity
from .lexicon import lexicon
from .speakers import Context

WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "dozens": 24, "hundreds": 200, "thousands": 2000}
HARM_VERBS = {"kill", "wound", "injure", "arrest", "detain", "displace", "execute", "abduct", "kidnap", "evacuate",
              "deport", "expel", "free", "release", "hurt"}
QUALIFIERS = re.compile(r"(?:more than|over|about|around|nearly|almost|at least|some|up to|fewer than|less than)\s+$", re.I)


def _number(group: str) -> str:
    """A written number ("3,800", "71.20") as a named regex group."""
    return rf"(?P<{group}>\d[\d,]*(?:\.\d+)?)"


PERCENT = re.compile(_number("num") + r"\s?(?P<unit>%|per ?cent\b|percent\b)", re.I)


def find_quantities(ctx: Context) -> list[Quantity]:
    sums = _sums_and_shares(ctx)
    taken = [(q.start, q.end) for q in sums]
    counted = [q for q in _counts(ctx) if not any(a < q.end and q.start < b for a, b in taken)]
    return sorted(sums + counted, key=lambda q: q.start)


def _sums_and_shares(ctx: Context) -> list[Quantity]:
    """Money and percentages, found in the text itself: spaCy's MONEY and PERCENT spans are
    too irregular ("About 80" for "about 80 per cent", "71.20" for "$71.20")."""
    out: list[Quantity] = []
    for m in _money().finditer(ctx.masked):
        value = _value(m.group("num") or m.group("num2"))
        scale = (m.group("scale") or m.group("scale2") or "").lower()
        if value is None:
            continue
        value *= ctx.lex.number_scales.get(scale, 1)
        unit = ctx.lex.currency_symbols[m.group("symbol")] if m.group("symbol") else m.group("word").lower()
        out.append(_quantity(ctx, m.start(), m.end(), value, unit, "money"))
    for m in PERCENT.finditer(ctx.masked):
        value = _value(m.group("num"))
        if value is not None:
            out.append(_quantity(ctx, m.start(), m.end(), value, "per cent", "percent"))
    return out


def _quantity(ctx: Context, start: int, end: int, value: float, counts: str, rule: str) -> Quantity:
    """A sum or share, with what it is of when the parse says ("80 per cent of Kfar Kila's
    buildings": counts 'per cent of buildings', about Kfar Kila; the span is "80 per cent")."""
    about = None
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is not None:
        last = span[-1]
        of = next((c for c in last.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        noun = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if noun is not None and rule == "percent":
            counts = f"{counts} of {noun.text}"   # the span stays the figure itself
        about = _first_entity(ctx, of.subtree) if of is not None else None
    start = _with_qualifier(ctx, start)
    return Quantity(start, end, value, counts, ctx.text[start:end], about, rule=rule)


def _with_qualifier(ctx: Context, start: int) -> int:
    """Where a figure starts with its qualifier: "more than 3,800", "about 80 per cent"."""
    qualifier = QUALIFIERS.search(ctx.text[max(0, start - 15):start])
    return start - len(qualifier.group(0)) if qualifier else start


def _first_entity(ctx: Context, tokens, skip: int | None = None) -> int | None:
    """The first entity named among ``tokens`` (the figure's own token ``skip`` aside)."""
    for t in tokens:
        entity = ctx.entity_at(t.idx, t.idx + len(t.text))
        if entity is not None and t.i != skip:
            return entity
    return None


@lru_cache(maxsize=1)
def _money() -> re.Pattern:
    lex = lexicon()
    symbols = "|".join(re.escape(s) for s in sorted(lex.currency_symbols, key=len, reverse=True))
    scales = "|".join(sorted(lex.number_scales, key=len, reverse=True))
    words = "|".join(sorted(lex.currency_words, key=len, reverse=True))
    return re.compile(rf"(?P<symbol>{symbols})\s?{_number('num')}(?:\s?(?P<scale>{scales})\b)?"
                      rf"|\b{_number('num2')}(?:\s(?P<scale2>{scales})\b)?\s(?:US\s)?(?P<word>{words})\b",
                      re.I)


def _counts(ctx: Context) -> list[Quantity]:
    out: list[Quantity] = []
    for tok in ctx.doc:
        if not tok.like_num or tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"):
            continue
        value = _value(tok.text)
        if value is None or (1900 <= value <= 2100 and "," not in tok.text) or value < 2:
            continue
        if tok.dep_ != "nummod" or tok.head.pos_ not in ("NOUN", "PROPN"):
            continue
        noun = tok.head
        words = [t for t in noun.lefts if t.dep_ in ("compound", "amod", "nmod") and t.i > tok.i] + [noun]
        counts = " ".join(t.text for t in sorted(words, key=lambda t: t.i))
        start = _with_qualifier(ctx, tok.idx)
        end = noun.idx + len(noun.text)
        # "72 Iranian officials were killed": the verb says what happened to them.
        if noun.dep_ in ("nsubjpass",) and noun.head.pos_ == "VERB" and noun.head.lemma_ in HARM_VERBS:
            counts = f"{counts} {noun.head.text}"
            end = max(end, noun.head.idx + len(noun.head.text))
        about = _first_entity(ctx, noun.subtree, skip=tok.i)
        out.append(Quantity(start, end, value, counts, ctx.text[start:end], about, rule="nummod"))
    return out


def _value(text: str) -> float | None:
    cleaned = text.replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return WORD_NUMBERS.get(text.lower())
