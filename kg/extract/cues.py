"""Cues that say what kind of thing a name names, each recorded as a vote with its reason.

A title before it (Person), an appositive role after it ("X, a spokesman for …": Person), an
organisational or media head noun (Organisation, ReportingSource), a place word ("Camp X",
"X province", "camp X"), an outlet context ("told ABC", "(CNN) —"), the GeoNames gazetteer.
"""
from __future__ import annotations

import re
from collections import Counter

from ..gazetteer import lookup
from .lexicon import Lexicon, norm

# spaCy labels for things that are not entities of ours: a cue must not turn them into one.
NOT_OURS = {"NORP", "DATE", "TIME", "LANGUAGE", "LAW", "WORK_OF_ART", "CARDINAL", "ORDINAL", "MONEY", "PERCENT",
            "QUANTITY"}
DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
              "northeastern", "northwestern", "southeastern", "southwestern", "upper", "lower", "greater"}
# A wire credit line up to the name: "(Reporting by A in Baghdad and B in Erbil; Editing by C"
CREDIT = re.compile(r"\b(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Ww]ritten|[Ee]dited|[Cc]ompiled|[Pp]roduced|[Tt]ranslated)"
                    r" by (?:[^;()\n.]*?(?:,| and) )?$")
ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,6}$|^(?:[A-Z]\.){2,4}$")
# What follows the place of a dateline: "Tehran, IRNA – …", "BAGHDAD, Iraq (CNN) — …", "LIMA — …"
DATELINE_AFTER = re.compile(r"^(?:,\s*[A-Z][\w .&'’-]{0,40}?)?\s*(?:\([A-Z][\w .&'’-]{0,40}\))?\s*(?:[–—]|--?)\s")


def _connector(words: list[str]) -> int:
    """Where 'of'/'for' first joins a long name, or 0."""
    return next((i for i, w in enumerate(words) if i > 0 and w in ("of", "for")), 0)


def title_before(doc, start: int, lex: Lexicon) -> str:
    """The title written right before a name ('Maj. Gen.', 'former Ambassador'), if any."""
    words: list[str] = []
    k = start - 1
    while k >= 0 and len(words) < 5:
        word = norm(doc[k].text)
        if word in lex.person_titles or word in lex.role_modifiers or \
                (doc[k].text in lex.demonyms and words):
            words.insert(0, doc[k].text)
            k -= 1
            continue
        break
    while words and (words[0] in lex.demonyms or norm(words[0]) in lex.role_modifiers):
        words.pop(0)
    return " ".join(words) if any(norm(w) in lex.person_titles for w in words) else ""


def cue_votes(doc, start: int, end: int, title: str, lex: Lexicon) -> tuple[Counter, list[str]]:
    votes: Counter = Counter()
    why: list[str] = []
    span = doc[start:end]
    words = [norm(t.text) for t in span]
    found_place = lookup(span.text)
    credit_line = CREDIT.search(_before(doc, start))
    last, first = words[-1], words[0]
    if title:
        votes["Person"] += 4
        why.append("cue:title")
    if last in lex.organisation_heads or (first in lex.organisation_heads and len(words) > 2
                                          and ("of" in words or "for" in words)):
        votes["Organisation"] += 4 if first in lex.organisation_heads else 3
        why.append("cue:org-head")
    elif any(w in lex.organisation_heads for w in words[:_connector(words)]) if _connector(words) else False:
        votes["Organisation"] += 3   # "European Court of Human Rights": the head comes before "of"
        why.append("cue:org-head")
    elif first in lex.organisation_heads and len(words) > 1:
        votes["Organisation"] += 2   # "Mujahedeen-e-Khalq", "Council Democratic"
        why.append("cue:org-head-first")
    root = span.root
    if root.dep_ in ("nsubj",) and norm(root.head.lemma_) in lex.speech_verbs and \
            not ACRONYM.match(span.text) and last not in lex.organisation_heads | lex.media_heads and \
            doc[start].ent_type_ not in NOT_OURS | {"ORG"} and \
            not (found_place and found_place.feature == "country"):
        votes["Person"] += 3   # "Ahmad al-Rawi said", "Karim said": places and groups speak far less often
        why.append("cue:speaker")
    if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ == "who":
        votes["Person"] += 3   # "Jhon Jairo Mosquera Valencia, who governed the city"
        why.append("cue:who")
    if start >= 2 and doc[start - 1].text == "," and any(norm(t.text) in lex.role_nouns
                                                         for t in doc[max(0, start - 5):start - 1]) \
            and doc[start - 2].pos_ == "NOUN":
        votes["Person"] += 3   # "the company's legal representative, Óscar Iván Londoño Restrepo"
        why.append("cue:role-before")
    if appositive_role(doc, end, lex):
        votes["Person"] += 4
        why.append("cue:appositive-role")
    if last in lex.media_heads or (len(words) > 1 and words[0] in lex.media_heads and words[-1] == "tv"):
        votes["ReportingSource"] += 3 + votes.get("Organisation", 0)
        why.append("cue:media-head")
    elif len(words) > 1 and set(words) & lex.media_heads:
        # "Islamic Republic News Agency", "Agence France-Presse": a media word beats the org head
        votes["ReportingSource"] += 2 + votes.get("Organisation", 0)
        why.append("cue:media-word")
    if first in lex.place_prefixes or last in lex.place_suffixes or \
            (len(words) > 2 and f"{words[0]} {words[1]}" in lex.place_prefixes):
        votes["Location"] += 3
        why.append("cue:place-word")
    if first in lex.event_name_heads and len(words) > 1 and last not in lex.organisation_heads:
        votes["Event"] += 4   # "Cyclone Dhara", "Operation Desert Storm"
        why.append("cue:event-name")
    if end < len(doc) and doc[end].text.islower() and norm(doc[end].text) in lex.group_nouns_after and \
            last not in lex.organisation_heads | lex.media_heads:
        votes["Organisation"] += 3   # "the Islamic State group's", "the Wagner militia"
        why.append("cue:org-head-after")
    if root.dep_ == "conj" and (lookup(root.head.text) or root.head.ent_type_ in ("GPE", "LOC")) and \
            root.head.ent_type_ not in ("PERSON", "ORG") and not title and \
            not credit_line:
        votes["Location"] += 3   # "the women who died in Zahedan and Saqqez"
        why.append("cue:coordinated-with-place")
    if end < len(doc) and doc[end].text.islower() and (norm(doc[end].text) in lex.place_suffixes or
                                                       norm(doc[end].text).removesuffix("s") in lex.place_suffixes):
        votes["Location"] += 3   # "the Evros river", "Nineveh province"
        why.append("cue:place-word-after")
    if start > 0 and doc[start - 1].text.islower() and norm(doc[start - 1].text) in lex.place_prefixes:
        votes["Location"] += 3   # "Iraq's camp Ashraf"
        why.append("cue:place-word-before")
    elif start > 1 and doc[start - 1].text == "of" and doc[start - 2].text.islower() and \
            norm(doc[start - 2].text) in lex.place_suffixes and not title:
        votes["Location"] += 3   # "the nearby town of Hamidiyeh", "the province of Nineveh"
        why.append("cue:place-word-of")
    if credit_line and not found_place:
        votes["Person"] += 4   # "(Reporting by Dunya al-Khafaji in Baghdad and Hama Rashid Karim in Erbil; …"
        why.append("cue:credit-line")
    before = " ".join(norm(t.text) for t in doc[max(0, start - 4):start])
    before = before[:-4] if before.endswith(" the") else before   # "told the BBC"
    after = " ".join(norm(t.text) for t in doc[end:end + 2])
    if any(before.endswith(cue) for cue in lex.outlet_before if cue != "according to") or \
            any(after.startswith(cue) for cue in lex.outlet_after):
        # "told ABC", "interview with NPR", "CNN reports": only names that could be outlets.
        if not title and (ACRONYM.match(span.text) or last in lex.media_heads or
                          doc[start].ent_type_ == "ORG"):
            votes["ReportingSource"] += 5
            why.append("cue:outlet-context")
    if start > 0 and end < len(doc) and doc[start - 1].text == "(" and doc[end].text == ")" and \
            end < len(doc) - 1 and doc[end + 1].text in ("—", "–", "-", "--"):
        votes["ReportingSource"] += 6   # dateline "(CNN) —": as strong as a byline
        why.append("cue:dateline")
    line_start = start == 0 or "\n" in doc[start - 1].text + doc[start - 1].whitespace_
    if line_start and found_place and DATELINE_AFTER.match(doc.text[span.end_char:span.end_char + 60]):
        votes["Location"] += 6   # the place of a dateline, as strong as a byline
        why.append("cue:dateline-place")
    place = found_place
    if place and ACRONYM.match(span.text) and place.feature != "country" and \
            not line_start:
        place = None   # "FAO" is an alternate name of some town; but "BEIRUT (AP) —" opens a dateline
    after_preposition = start > 0 and doc[start - 1].lower_ in lex.place_prepositions
    statistical = doc[start].ent_type_
    if start > 0 and doc[start - 1].lower_ in ("in", "near", "outside", "inside", "across", "throughout") and \
            not title and not place and last not in lex.organisation_heads | lex.media_heads and \
            statistical not in NOT_OURS:
        votes["Location"] += 2   # "in Zabol", "near Hamidiyeh"
        why.append("cue:place-preposition")
    if place:
        ent = doc[start].ent_type_
        if place.feature == "country":
            votes["Location"] += 4
        elif ent == "ORG" and last not in lex.organisation_heads | lex.media_heads:
            # spaCy calls many towns organisations ("camps of Cox's Bazar")
            votes["Location"] += (3 if place.population >= 500_000 else 2) + (2 if after_preposition else 0)
        elif ent != "PERSON" or place.population >= 500_000 or after_preposition:
            # spaCy often takes an unfamiliar city for a person; a big city or "in X" settles it
            votes["Location"] += 3 if place.population >= 500_000 else 2
            if after_preposition:
                votes["Location"] += 2
        why.append(f"gazetteer:{place.feature}")
    if after_article(doc, start) and not title and len(words) == 1 and votes.get("Person"):
        votes["Person"] = 0   # "the Sahel", "the Nisava": people are not named with an article
        votes["Location"] += 1
        why.append("cue:definite-article")
    return votes, why


def _before(doc, start: int) -> str:
    """The text of the few tokens before a name, up to it."""
    return doc[max(0, start - 20):start].text_with_ws


def after_article(doc, start: int) -> bool:
    """'the Sahel', 'the central Sahel', 'the northern Negev': people are not named with an article."""
    k = start - 1
    while k > 0 and doc[k].lower_ in DIRECTIONS:
        k -= 1
    return k >= 0 and doc[k].lower_ == "the"


def appositive_role(doc, end: int, lex: Lexicon) -> bool:
    """'Mehdi Marand, a spokesman for ...', 'X, vice president of MEK', 'Afrin Hasso, co-chair of
    …', 'X, 54, a farmer': a person's title follows the name."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return False
    after = doc[end:end + 30].text_with_ws[1:120]   # (doc.text would join the whole article each call)
    after = re.sub(r"^\s*\d{1,3}\s*,", "", after)                     # an age
    words = re.findall(r"[A-Za-z][\w’'-]*", after.split(",")[0])[:7]   # up to the next comma
    while words and (words[0].lower() in ("a", "an", "the") or norm(words[0]) in lex.role_modifiers or
                     words[0][0].isupper() or words[0].lower().endswith(("’s", "'s"))):
        if norm(words[0]) in lex.role_nouns:
            return True
        words = words[1:]
    if not words:
        return False
    return norm(words[0]) in lex.role_nouns or (len(words) > 1 and f"{norm(words[0])} {norm(words[1])}" in lex.role_nouns)
