"""Names that stand for an organisation without being its name.

"Iranian officials" → Government of Iran, "the U.S. military" → United States Armed Forces,
"the Bush administration", "Administration officials", and names glued to the next word by
scraping ("DahukOn Friday").
"""
from __future__ import annotations

import re

from ..gazetteer import lookup
from ..records import Mention
from .lexicon import Lexicon, norm

APOSTROPHES = ("'s", "’s", "'", "’")
GLUED = re.compile(r"^([A-Z][a-z]{2,})([A-Z][a-z]+)$")


def demonym_actors(doc, lex: Lexicon) -> dict[tuple[int, int], str]:
    """'Iranian officials', 'the Iraqi government', 'U.S. forces', "Iran's embassy" → organisations."""
    found: dict[tuple[int, int], str] = {}
    for i, tok in enumerate(doc):
        key = tok.text.replace("’", "'")
        demonym = lex.demonyms.get(key)
        if demonym is None:
            continue
        j = i + 1
        if j < len(doc) and doc[j].text in APOSTROPHES:
            j += 1
        # Skip one modifier: "Iranian security officials", "the U.S. military police".
        for width in (2, 1):
            phrase = " ".join(norm(t.text) for t in doc[j:j + width])
            last = doc[j + width - 1] if j + width - 1 < len(doc) else None
            if last is not None and last.dep_ in ("compound", "amod", "nmod") and last.head.i > last.i:
                continue   # "German intelligence report", "Iran's police commander": a modifier, not the actor
            if phrase in lex.actor_nouns and len(doc[j:j + width]) == width:
                found[(i, j + width)] = _actor_name(lex.actor_nouns[phrase], demonym)
                break
            if width == 1 and j + 1 < len(doc) and norm(doc[j + 1].text) in lex.actor_nouns and \
                    doc[j].pos_ in ("ADJ", "NOUN") and not doc[j].text[:1].isupper() and \
                    not (doc[j + 1].dep_ in ("compound", "amod") and doc[j + 1].head.i > j + 1):
                found[(i, j + 2)] = _actor_name(lex.actor_nouns[norm(doc[j + 1].text)], demonym)
    return found


def institutions(doc, lex: Lexicon, taken: dict) -> dict[tuple[int, int], str]:
    """'the Bush administration' (a leader's name + institution noun) and 'Administration
    officials' / 'Pentagon officials' (an institution speaking through unnamed officials)."""
    found: dict[tuple[int, int], str] = {}
    busy = {i for start, end in taken for i in range(start, end)}
    for tok in doc:
        if tok.i in busy or tok.i + 1 >= len(doc):
            continue
        nxt = doc[tok.i + 1]
        if tok.ent_type_ == "PERSON" and tok.ent_iob_ in ("B", "I") and nxt.text.islower() and \
                norm(nxt.text) in lex.institution_nouns and (tok.i + 1 == len(doc) - 1 or doc[tok.i + 1].ent_iob_ == "O"):
            start = tok.i
            while start > 0 and doc[start - 1].ent_type_ == "PERSON" and doc[start - 1].ent_iob_ == "I" or \
                    start > 0 and doc[start].ent_iob_ == "I":
                start -= 1
            found[(start, tok.i + 2)] = f"{doc[start:tok.i + 1].text} {nxt.text}"
        elif tok.text[:1].isupper() and norm(tok.text) in lex.institution_nouns and \
                norm(nxt.text) in lex.spokesperson_nouns and nxt.text.islower() and \
                (tok.i == 0 or not doc[tok.i - 1].text[:1].isupper()):
            found[(tok.i, tok.i + 1)] = tok.text
    return found


def _actor_name(template: str, demonym: dict[str, str]) -> str:
    country = demonym["country"]
    if country == "United States" and template.startswith("Government of"):
        country = "the United States"
    return template.format(country=country, adjective=demonym["adjective"])


def glued_names(doc, text: str, taken: set[tuple[int, int]], lex: Lexicon) -> list[Mention]:
    """'DahukOn Friday': scraping glued a place name to the next word. Recover the name."""
    out = []
    for tok in doc:
        m = GLUED.match(tok.text)
        if not m or norm(m.group(2)) not in lex.not_names:
            continue
        start = tok.idx
        end = start + len(m.group(1))
        if (start, end) in taken:
            continue
        place = lookup(m.group(1))
        kind = "Location" if place else "Organisation"
        out.append(Mention(start, end, m.group(1), kind, "glued" + (":gazetteer" if place else ""),
                           votes={kind: 2}))
    return out


