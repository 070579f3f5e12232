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

Every vote is recorded on the Mention so a type can be explained.
"""
from __future__ import annotations

import re
from collections import Counter

from ..records import Mention
from ..gazetteer import lookup
from .actors import GLUED, demonym_actors, glued_names, institutions
from .cues import ACRONYM, DIRECTIONS, after_article, appositive_role, cue_votes, title_before
from .lexicon import Lexicon, lexicon, norm

SPACY_TYPES = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location",
               "FAC": "Location", "EVENT": "Event"}
SPACY_WEIGHT = {"PERSON": 2, "ORG": 1, "GPE": 2, "LOC": 2, "FAC": 2, "EVENT": 2}
CONNECTORS = {"of", "for", "the", "de", "du", "van", "von", "der", "den", "al", "bin", "ibn", "el", "e", "and", "in",
              "la", "le", "da", "dos", "das", "del", "y", "abu", "bint", "ul", "ter", "zu"}
# Particles inside personal and foreign institutional names: they join without a head noun.
PARTICLES = CONNECTORS - {"of", "for", "the", "and", "in", "e"}
APOSTROPHES = ("'s", "’s", "'", "’")
# Patronymic particles written after a Turkic name: "Bakyt Toktogul uulu", "Aigerim Sadyr kyzy".
TRAILING_PARTICLES = {"uulu", "kyzy", "ogly", "oglu", "qizi", "kizi"}

UNKNOWN = "Unknown"


def find_mentions(doc, text: str) -> list[Mention]:
    """All name mentions in a parsed article, typed, non-overlapping, in text order."""
    lex = lexicon()
    spans: dict[tuple[int, int], Counter] = {}   # token span → type votes
    rules: dict[tuple[int, int], list[str]] = {}

    def propose(start: int, end: int, votes: dict[str, int], rule: str) -> None:
        parts = _split(doc, start, end, lex)
        longest = max(parts, key=lambda p: p[1] - p[0]) if parts else None
        for part_start, part_end in parts:
            span = _clean(doc, part_start, part_end, lex)
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
    for start, end in _capitalised_chunks(doc, lex):
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


def _split(doc, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """Cut a proposal where it runs two names together.

    At a title ("MKO Leader Maryam Rajavi", "United Nations John Bolton" after "ambassador to
    the"), at a parenthesis ("Party of Free Life of Kurdistan (PJAK"), and at a possessive
    ("Saddam's Republican Guard")."""
    cuts = [start]
    for k in range(start, end):
        tok = doc[k]
        if tok.text in ("(", ")", "[", "]", ":", ";", "\"", "“", "”", "/"):   # "Dhaka / Cox's Bazar": two names
            cuts.extend([k, k + 1])
        elif (tok.tag_ == "POS" or tok.text in ("'s", "’s")) and k > start and lookup(doc[start:end].text) is None and \
                doc[k - 1].ent_type_ in ("PERSON", "GPE", "NORP", "LOC") and doc[k - 1].ent_type_ != doc[min(k + 1, len(doc) - 1)].ent_type_:
            cuts.extend([k, k + 1])   # "Saddam's Republican Guard", but not "Kurdistan Worker's Party"
        elif k > start and norm(tok.text) in lex.person_titles and tok.text[:1].isupper() and \
                k + 1 < end and doc[k + 1].text[:1].isupper() and norm(doc[k + 1].text) not in lex.organisation_heads:
            cuts.append(k)
        elif k > start and tok.ent_iob_ == "B" and doc[k - 1].ent_type_ and \
                doc[k - 1].ent_type_ != tok.ent_type_ and doc[k - 1].lower_ not in CONNECTORS and \
                not (end - start <= 4 and appositive_role(doc, end, lex)):
            cuts.append(k)   # two different spaCy entities side by side (not "Tribunal of | Cali")
        elif k > start + 1 and tok.ent_iob_ == "B" and tok.ent_type_ == "PERSON" and not doc[k - 1].ent_type_ and \
                doc[k - 1].lower_ not in CONNECTORS and any(norm(t.text) in lex.organisation_heads for t in doc[start:k]):
            cuts.append(k)   # "Cabinet of Ministers of Kyrgyzstan | Bakyt Toktogul uulu": a person after a body
        elif k > start and ACRONYM.match(doc[k - 1].text) and not ACRONYM.match(tok.text) and \
                not (tok.ent_type_ and tok.ent_iob_ == "I") and norm(tok.text) not in lex.organisation_heads | lex.media_heads:
            cuts.append(k)   # "the PEJAK Kurish rebel group": an acronym, then a descriptive word
    speaker = _speaker_after_body(doc, start, end, lex)
    if speaker is not None:
        cuts.append(speaker)
    cuts.append(end)
    parts = sorted(set(cuts))
    return [(a, b) for a, b in zip(parts, parts[1:]) if b > a]


def _speaker_after_body(doc, start: int, end: int, lex: Lexicon) -> int | None:
    """Where a speaker's name starts at the end of a long run that begins with the body of
    the title before it: "… at the Ministry of Foreign Affairs of the Islamic Republic of Iran
    | Mohammad-Javad Sabet-Lahouti said". Only before a verb of saying, when the run before the
    cut names a body (an organisational word) and ends with a place or such a word, and for a
    name of two to four capitalised words."""
    if end >= len(doc) or norm(doc[end].lemma_) not in lex.speech_verbs or end - start < 4:
        return None
    found = None
    for cut in range(end - 2, max(start, end - 8), -1):
        name = doc[cut:end]
        words = [t for t in name if t.text != "-"]
        if not all(t.text[:1].isupper() for t in words) or name[0].text == "-" or not 2 <= len(words) <= 4:
            continue
        if any(norm(t.text) in lex.organisation_heads | lex.person_titles for t in words):
            continue
        previous = doc[cut - 1]
        body = {norm(t.text) for t in doc[start:cut]}
        if (norm(previous.text) in lex.organisation_heads or lookup(previous.text) is not None) and \
                body & lex.organisation_heads:
            found = cut   # keep looking left: the longest such name wins
    return found


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


def _clean(doc, start: int, end: int, lex: Lexicon) -> tuple[int, int] | None:
    """Trim a proposed span to the name itself; None when nothing name-like is left."""
    while start < end and (doc[start].is_space or doc[start].is_punct or "\n" in doc[start].text):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct
                           or doc[end - 1].text in APOSTROPHES or doc[end - 1].tag_ == "POS"):
        end -= 1
    # A name never runs across a line break.
    for k in range(start, end):
        if "\n" in doc[k].text or "\n" in doc[k].whitespace_:
            end = k + 1 if "\n" in doc[k].whitespace_ else k
            break
    while start < end:
        tok = doc[start]
        nxt = doc[start + 1] if start + 1 < end else None
        if tok.lower_ in ("the", "a", "an") or tok.text == "." or _is_title_pair(doc, start, lex):
            start += 2 if _is_title_pair(doc, start, lex) else 1
        elif norm(tok.text) in lex.person_titles and nxt is not None and nxt.text[:1].isupper() and \
                norm(nxt.text) not in lex.organisation_heads:   # but "General Administration of Customs"
            start += 1
        elif norm(tok.text) in lex.person_titles and nxt is not None and nxt.text == "." and \
                start + 2 < end and doc[start + 2].text[:1].isupper():
            start += 2   # "Col. Ricardo Paredes del Águila", tokenised "Col", "."
        elif norm(tok.text) in lex.not_names and nxt is not None:
            start += 1   # "Now TIPF", "But Khalilzad"
        elif nxt is not None and (tok.lower_ in lex.role_modifiers or tok.text in lex.demonyms) and \
                (norm(nxt.text) in lex.person_titles or nxt.lower_ in lex.role_modifiers):
            start += 1   # "former Ambassador X", "U.S. Ambassador X": the words belong to the title
        else:
            break
    if start >= end:
        return None
    words = [t for t in doc[start:end] if not t.is_punct]
    if not words or not any(t.text[:1].isupper() for t in words):
        return None
    if end - start == 1:
        token = doc[start]
        if norm(token.text) in lex.not_names | lex.peoples or token.like_num:
            return None
        if token.text in lex.demonyms and token.ent_type_ == "NORP":
            return None
    if doc[end - 1].text in CONNECTORS or doc[end - 1].lower_ in ("of", "for", "the", "and", "in", "e"):
        return None   # but a capitalised particle is a name of its own: "Van", the Turkish city
    if any(t.like_num and not t.text.isalpha() for t in doc[start:end]) and end - start < 2:
        return None
    if all(norm(t.text) in lex.not_names | lex.person_titles or t.is_punct for t in doc[start:end]):
        return None   # "H.E. the Undersecretary said": a title alone names nobody
    return start, end


def _is_title_pair(doc, i: int, lex: Lexicon) -> bool:
    """Two-word titles: 'Maj. Gen.', 'Vice President', 'Prime Minister'."""
    if i + 1 >= len(doc):
        return False
    return f"{norm(doc[i].text)} {norm(doc[i + 1].text)}" in lex.person_titles


def _capitalised_chunks(doc, lex: Lexicon):
    """Runs of capitalised tokens, joined by of/for/the/al- inside long organisation names."""
    i, n = 0, len(doc)
    while i < n:
        if not _capitalised(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < n:
            tok = doc[j]
            if "\n" in doc[j - 1].whitespace_ or "\n" in tok.text:
                break
            if norm(tok.text) in lex.not_names and not tok.text.isupper() and tok.lower_ not in CONNECTORS:
                break   # "Press TV March 27": a month or weekday ends the name
            if _capitalised(tok) or tok.text in ("-", "'", "’") and j + 1 < n and _capitalised(doc[j + 1]):
                j += 1
                continue
            if tok.text == "-" and j + 2 < n and doc[j + 1].lower_ in CONNECTORS and \
                    (doc[j + 2].text == "-" or _capitalised(doc[j + 2])):
                j += 2   # "Mujahedeen-e-Khalq", "Mojahedin-e Khalq"
                continue
            if tok.text == "." and norm(doc[j - 1].text) in lex.person_titles:
                j += 1   # "Maj. Gen." tokenised as "Maj", "."
                continue
            if tok.lower_ in PARTICLES and j + 2 < n and doc[j + 1].lower_ in PARTICLES and _capitalised(doc[j + 2]):
                j += 2   # "Fiscalía General de la Nación", "Luis de la Fuente"
                continue
            if tok.lower_ in CONNECTORS and j + 1 < n and (_capitalised(doc[j + 1]) or
                                                          doc[j + 1].lower_ == "the" and j + 2 < n
                                                          and _capitalised(doc[j + 2])):
                # "of"/"for"/"in" join only after an organisational head: "Committee of the Red
                # Cross", "Party for Free Life in Kurdistan", not "Ashraf in Iraq".
                heads = {norm(t.text) for t in doc[i:j]}
                if tok.lower_ in PARTICLES:
                    j += 1
                    continue
                if tok.lower_ in ("in", "and") and not heads & {"of", "for"} and \
                        not (tok.lower_ == "and" and tok.ent_iob_ == "I"):
                    break   # "Ministry of Justice and Security", not "Ministry and FAO"
                if tok.lower_ in ("of", "for", "in", "the", "and") and not heads & lex.organisation_heads:
                    if not (tok.lower_ == "of" and norm(doc[j - 1].text) in {"republic", "kingdom", "state",
                                                                              "people", "office", "directorate"}):
                        break
                j += 1
                continue
            break
        if j < n and doc[j].lower_ in TRAILING_PARTICLES:
            j += 1
        if any(t.pos_ == "PROPN" for t in doc[i:j]) or any(ACRONYM.match(t.text) for t in doc[i:j]):
            yield i, j
        i = j


def _capitalised(tok) -> bool:
    text = tok.text
    if not text[:1].isupper() or tok.is_punct or GLUED.match(text):
        return False
    if tok.is_sent_start and tok.pos_ not in ("PROPN",) and not ACRONYM.match(text):
        # A sentence opens with a capital anyway: count it only when a name continues ("Press TV").
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        return bool(nxt is not None and nxt.text[:1].isupper() and not nxt.is_punct)
    return True


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
