"""Find the names in an article and decide what kind of thing each one names.

spaCy's named entities are proposals. Rules on top of them:

* complete them: capitalised chunks spaCy missed or cut short ("Council for Democratic
  Change in Iran"), acronyms (MEK, ICRC), names glued to a section word by scraping;
* clean them: titles, determiners and possessives come off ("former U.S. Ambassador
  Zalmay Khalilzad" → Zalmay Khalilzad, with the title kept as a cue);
* turn demonym actors into the organisation they stand for ("Iranian officials" →
  Government of Iran, "the U.S. military" → United States Armed Forces);
* drop junk: sentence-initial common words, month and weekday names, lone demonyms;
* type each name by votes: spaCy's label, titles and honorifics, organisational and media
  head nouns, place cues, outlet cues ("told ABC", "(CNN)"), and the GeoNames gazetteer.

Every vote is recorded on the Mention so a type can be explained. Where a name starts and
ends (capitalised runs, cuts, trimming) is ``spans.py``'s job.
"""
from __future__ import annotations

import re
from collections import Counter

from ..records import Mention
from .actors import demonym_actors, glued_names, institutions
from .cues import ACRONYM, DIRECTIONS, after_article, cue_votes, title_before
from .lexicon import Lexicon, lexicon, norm
from .spans import PARTICLES, capitalised_chunks, clean_span, split_run

SPACY_TYPES = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location",
               "FAC": "Location", "EVENT": "Event"}
SPACY_WEIGHT = {"PERSON": 2, "ORG": 1, "GPE": 2, "LOC": 2, "FAC": 2, "EVENT": 2}

UNKNOWN = "Unknown"


def find_mentions(doc, text: str) -> list[Mention]:
    """All name mentions in a parsed article, typed, non-overlapping, in text order."""
    lex = lexicon()
    spans: dict[tuple[int, int], Counter] = {}   # token span → type votes
    rules: dict[tuple[int, int], list[str]] = {}

    def propose(start: int, end: int, votes: dict[str, int], rule: str) -> None:
        parts = split_run(doc, start, end, lex)
        longest = max(parts, key=lambda p: p[1] - p[0]) if parts else None
        for part_start, part_end in parts:
            span = clean_span(doc, part_start, part_end, lex)
            if span is None:
                continue
            veto = _vetoed(doc, *span, lex, vetoes)
            if veto == "hard":
                continue
            if veto == "soft":
                soft_vetoes.add(span)
            # The statistical label stays with the main part ("the European Court of Human Rights (").
            part_votes = votes if (part_start, part_end) == longest else {}
            spans.setdefault(span, Counter()).update(part_votes)
            rules.setdefault(span, []).append(rule)

    vetoes = _title_quotes(doc)
    soft_vetoes: set[tuple[int, int]] = set()   # spaCy calls it a date, law, nationality …: only cues can save it

    for ent in doc.ents:
        if ent.label_ in SPACY_TYPES:
            votes = {SPACY_TYPES[ent.label_]: SPACY_WEIGHT[ent.label_]}
            if ent.label_ == "PERSON" and ACRONYM.match(ent.text.strip()):
                votes = {}  # spaCy often calls an acronym a person (MEK); let cues decide
            propose(ent.start, ent.end, votes, f"spacy:{ent.label_}")
    for start, end in capitalised_chunks(doc, lex):
        propose(start, end, {}, "chunk")

    mentions: list[Mention] = []
    actor_spans = demonym_actors(doc, lex)
    actor_spans.update(institutions(doc, lex, actor_spans))
    taken = _select(spans, actor_spans)
    for (start, end) in taken:
        span = doc[start:end]
        votes = spans[(start, end)]
        title = title_before(doc, start, lex)
        found_votes, cue_rules = cue_votes(doc, start, end, title, lex)
        if (start, end) in soft_vetoes and not found_votes:
            continue
        votes = votes + found_votes
        if after_article(doc, start) and not title and end - start == 1 and votes.get("Person"):
            votes["Person"] = 0   # "the Sahel", "the Meghri section": people are not named with an article
            votes["Location"] += 1
        surface = span.text
        if not votes:
            votes = _default_votes(span, lex)
        kind = _winner(votes)
        if kind is None:
            if (len(span) == 1 and span[0].pos_ == "PROPN" and not span[0].is_sent_start) or \
                    (start > 0 and doc[start - 1].text == "(" and end < len(doc) and doc[end].text == ")"):
                # a surname of someone named in full elsewhere, or "(Fiscalía General de la Nación)"
                # after the name it translates: clustering decides
                kind = UNKNOWN
            else:
                continue
        mentions.append(Mention(span.start_char, span.end_char, surface, kind,
                                ",".join(rules[(start, end)] + cue_rules), votes=dict(votes), title=title))
    for (start, end), name in actor_spans.items():
        span = doc[start:end]
        mentions.append(Mention(span.start_char, span.end_char, span.text, "Organisation",
                                "demonym-actor", name=name, votes={"Organisation": 5}))
    mentions.extend(glued_names(doc, text, {(m.start, m.end) for m in mentions}, lex))
    mentions.sort(key=lambda m: (m.start, -m.end))
    return _drop_nested(mentions)


def _vetoed(doc, start: int, end: int, lex: Lexicon, title_quotes: list[tuple[int, int]]) -> str | None:
    """Things that look like names but are not ours: "hard" for book titles, plural acronyms and
    nationality adjectives; "soft" when spaCy calls the span a date, law or nationality, which
    a cue (a title, an organisational head noun) can overrule."""
    span = doc[start:end]
    if any(s <= span.start_char and span.end_char <= e for s, e in title_quotes):
        return "hard"
    before = " ".join(t.lower_ for t in doc[max(0, start - 3):start])
    if re.search(r"\b(?:book|film|novel|documentary|album|song|play|titled|entitled)$", before):
        return "hard"
    if len(span) == 1 and re.fullmatch(r"[A-Z]{2,}s", span.text):
        return "hard"   # plural acronyms are common nouns: MPs, NGOs
    if len(span) == 1 and span.text in lex.demonyms and lex.demonyms[span.text]["adjective"] == span.text:
        return "hard"   # "Azerbaijani", "Iraqi": a nationality, not a name
    if end < len(doc) and norm(doc[end].text) in lex.person_titles and \
            all(norm(t.text) in lex.portfolios for t in span):
        return "hard"   # "Interior Minister X", "Mining and Energy Minister X": part of the title
    words = [norm(t.text) for t in span]
    if "(" in span.text or ")" in span.text:
        return "hard"   # "November(note": a token glued to a parenthesis is not a name
    if len(words) > 1 and words[-1] in lex.non_entity_heads:
        return "hard"   # "Humanitarian Response Plan", "Pact on Migration": documents, not actors
    if words[-1] == "affairs" and start >= 2 and doc[start - 1].lower_ in ("of", "for") and \
            norm(doc[start - 2].text) in lex.role_nouns | lex.person_titles | {"director-general", "minister"}:
        return "hard"   # "Director-General for South Asia Affairs": a title's portfolio
    if len(words) == 1 and (words[0] in lex.media_heads | lex.place_suffixes or
                            words[0] in ("west", "east", "north", "south", "western", "eastern")):
        return "hard" if not ACRONYM.match(span.text) else None   # "TV", "River", "Bank" alone
    if len(span) == 1 and _coordinated_with_nationality(span[0], lex):
        return "hard"   # "Kurdish, Azeri, and Balochi tribesmen": adjectives coordinated with a nationality
    labels = {t.ent_type_ for t in span}
    if labels and labels <= {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY",
                             "NORP", "LANGUAGE", "LAW", "WORK_OF_ART"}:
        return "soft"
    return None


def _coordinated_with_nationality(tok, lex: Lexicon) -> bool:
    """Within 'A, B and C', is any member a nationality (spaCy NORP or a known demonym)?"""
    window = tok.doc[max(0, tok.i - 6):tok.i + 6]
    coordinated = [t for t in window if t.dep_ == "conj" or any(c.dep_ == "conj" for c in t.children)]
    if tok not in coordinated and tok.head not in coordinated:
        return False
    return any(t.i != tok.i and t.ent_type_ == "NORP" for t in coordinated)


def _title_quotes(doc) -> list[tuple[int, int]]:
    """Character ranges of short titles in single quotes: 'Saddam's Private Army'."""
    text = doc.text
    found = []
    for m in re.finditer(r"‘(?:[^’\n]|’(?=\w)){3,60}’(?!\w)|“[^”\n]{3,40}”|\"[^\"\n]{3,40}\"", text):
        words = [w for w in re.findall(r"[A-Za-z][\w’']*", m.group()) if w.lower() not in ("of", "the", "a", "and", "in")]
        if 0 < len(words) <= (8 if m.group().startswith("‘") else 4) and \
                sum(w[0].isupper() for w in words) >= len(words) * 0.75:
            found.append((m.start(), m.end()))   # 'Saddam's Private Army', not ‘soon be in Tehran’
    return found


def _default_votes(span, lex: Lexicon) -> Counter:
    """A name no cue explains: an acronym is most likely an organisation, two or three
    capitalised words a person; anything else is dropped."""
    words = [t.text for t in span if t.text not in PARTICLES and t.text != "-"]   # "Rebecca Van der Veen", "Sabet-Lahouti"
    if norm(words[-1]).endswith("ern") and norm(words[-1]) in DIRECTIONS:
        return Counter()   # "for Near Eastern affairs", "Middle Eastern": a region's adjective, not a name
    if len(words) == 1 and len(span) == 1:
        return Counter({"Organisation": 1}) if ACRONYM.match(words[0]) else Counter()
    if 2 <= len(words) <= 4 and all(w[:1].isupper() and w.replace(".", "").replace("-", "").isalpha()
                                    for w in words) and words[0] not in lex.demonyms and \
            not any(norm(w) in lex.organisation_heads | lex.person_titles for w in words):   # "Fiscalía General de la Nación"
        return Counter({"Person": 1})
    return Counter()


def _select(spans: dict, blocked: dict) -> list[tuple[int, int]]:
    """Pick non-overlapping spans: longest first, but a span covering a line break loses."""
    chosen: list[tuple[int, int]] = []
    occupied: set[int] = set()
    for start, end in blocked:
        occupied.update(range(start, end))
    for start, end in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if end - start > 9:
            continue
        if occupied.intersection(range(start, end)):
            continue
        chosen.append((start, end))
        occupied.update(range(start, end))
    return sorted(chosen)


def _winner(votes: Counter) -> str | None:
    if not votes:
        return None
    best = max(sorted(votes), key=lambda k: votes[k])
    return best


def _drop_nested(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out
