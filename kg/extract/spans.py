"""Where a name starts and ends: capitalised runs, cut where they join two names, trimmed.

``names.py`` proposes spans (spaCy's entities and the runs found here) and types them; this
module only draws their edges: runs of capitalised words joined by "of"/"for" inside long
organisation names, cuts at titles, parentheses, possessives and between a body and the person
named after it, and trimming of determiners, titles and punctuation.
"""
from __future__ import annotations

from ..gazetteer import lookup
from .actors import GLUED
from .cues import ACRONYM, appositive_role
from .lexicon import Lexicon, norm

CONNECTORS = {"of", "for", "the", "de", "du", "van", "von", "der", "den", "al", "bin", "ibn", "el", "e", "and", "in",
              "la", "le", "da", "dos", "das", "del", "y", "abu", "bint", "ul", "ter", "zu"}
# Particles inside personal and foreign institutional names: they join without a head noun.
PARTICLES = CONNECTORS - {"of", "for", "the", "and", "in", "e"}
APOSTROPHES = ("'s", "’s", "'", "’")
# Patronymic particles written after a Turkic name: "Bakyt Toktogul uulu", "Aigerim Sadyr kyzy".
TRAILING_PARTICLES = {"uulu", "kyzy", "ogly", "oglu", "qizi", "kizi"}


def split_run(doc, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
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


def clean_span(doc, start: int, end: int, lex: Lexicon) -> tuple[int, int] | None:
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


def capitalised_chunks(doc, lex: Lexicon):
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
