"""Numbers stated as facts, with what they count: "3,800 camp residents", "3,300 members",
"more than 72 Iranian officials were killed".

Years, dates, times, ages and numbers inside quotations of someone else's words are left
out: they are not counts the article states.
"""
from __future__ import annotations

import re

from ..records import Quantity
from .speakers import Context

WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "dozens": 24, "hundreds": 200, "thousands": 2000}
HARM_VERBS = {"kill", "wound", "injure", "arrest", "detain", "displace", "execute", "abduct", "kidnap", "evacuate",
              "deport", "expel", "free", "release", "hurt"}
QUALIFIERS = re.compile(r"(?:more than|over|about|around|nearly|almost|at least|some|up to|fewer than|less than)\s+$", re.I)


def find_quantities(ctx: Context) -> list[Quantity]:
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
        start = tok.idx
        qualifier = QUALIFIERS.search(ctx.text[max(0, start - 15):start])
        if qualifier:
            start -= len(qualifier.group(0))
        end = noun.idx + len(noun.text)
        # "72 Iranian officials were killed": the verb says what happened to them.
        if noun.dep_ in ("nsubjpass",) and noun.head.pos_ == "VERB" and noun.head.lemma_ in HARM_VERBS:
            counts = f"{counts} {noun.head.text}"
            end = max(end, noun.head.idx + len(noun.head.text))
        about = None
        for t in noun.subtree:
            entity = ctx.entity_at(t.idx, t.idx + len(t.text))
            if entity is not None and t.i != tok.i:
                about = entity
                break
        out.append(Quantity(start, end, value, counts, ctx.text[start:end], about, rule="nummod"))
    return out


def _value(text: str) -> float | None:
    cleaned = text.replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return WORD_NUMBERS.get(text.lower())
