"""Titles and positions given to people, with the organisation when one is named.

    Mojgan Parsaii, vice president of MEK and leader of Camp Ashraf     (appositive, after)
    former U.S. Ambassador Zalmay Khalilzad / MKO leader Maryam Rajavi  (title before the name)
    A former specialist ... from the National Security Council, Raymond Tanter  (appositive, before)
    Ms Batul Soltani (representative of Sahar NGO in Baghdad)           (parenthesis)
    Shirwan al-Wa'eli, Iraq's national security minister                (possessive organisation)
"""
from __future__ import annotations

import re

from ..records import Role
from .lexicon import Lexicon, norm
from .speakers import Context

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "dame", "rev", "reverend", "prof"}
APPOSITIVE_AFTER = re.compile(r"^\s*(?:,|\()\s*(?:(?:a|an|the)\s+)?(?P<phrase>[^,;()“”\"\n]{3,110}?)\s*"
                              r"(?=,|\)|\s\(|\.\s|\.$|;|\s+who\b|\s+which\b|\s+(?:explains|explained|said|says|told|"
                              r"wrote|writes|added|adds|is|was|has|had|argues|argued)\b|$)")
# "A former specialist … , Raymond Tanter", "His lawyer, Joris Vandenbroucke", "ABT's chief
# executive, Karim El Ouazzani" (the possessive names the organisation).
APPOSITIVE_BEFORE = re.compile(r"(?:^|[.!?]\s+|\n|[,;:]\s+|\b(?:said|says|told|added|according to)\s+)"
                               r"(?:(?i:a|an|the|its|his|her|their)\s+(?P<phrase>[^,.;\n“”\"]{3,110})"
                               r"|(?P<owned>[A-Z][\w&.-]*['’]s\s+[^,.;\n“”\"]{3,100})),\s*$")
# Professions the lexicon does not list: "a toxicologist at", "a glaciologist", "a pediatrician".
PROFESSION = re.compile(r"(?:ologist|ist|ician|grapher|eer)$")
AGE = re.compile(r"^\s*,\s*\d{1,3}\s*(?=,)")   # "Ahmad al-Rawi, 54, a farmer"


def find_roles(ctx: Context) -> list[Role]:
    lex = ctx.lex
    roles: list[Role] = []
    seen: set[tuple[int, str]] = set()

    def add(person: int, title: str, org: int | None, start: int, end: int, rule: str) -> None:
        title = _tidy(title)
        if not title or norm(title) in HONORIFICS or (person, title.lower()) in seen:
            return
        if not _names_a_role(title, lex):
            return
        seen.add((person, title.lower()))
        roles.append(Role(start, end, person, title, org, rule))

    for i, m in enumerate(ctx.mentions):
        person = ctx.entity_of.get(i)
        if person is None or ctx.entities[person].type != "Person":
            continue
        # Title written before the name, up to the start of the noun phrase.
        before = _title_before(ctx, m.start, lex)
        if before:
            title, org, start = before
            add(person, title, org, start, m.end, "title-before")
        # Appositive or parenthesis after the name: may hold several roles joined by "and".
        tail = ctx.text[m.end:m.end + 160]
        age = AGE.match(tail)
        offset = m.end + (age.end() if age else 0)
        tail = ctx.text[offset:offset + 160]
        match = APPOSITIVE_AFTER.match(tail)
        if match:
            phrase_start = offset + match.start("phrase")
            for part_start, part in _split_and(match.group("phrase"), phrase_start, lex):
                title, org = _title_and_org(ctx, part_start, part, lex)
                add(person, title, org, m.start, part_start + len(part), "appositive")
        # Appositive before the name: "A former specialist on X from Y, Raymond Tanter".
        head = ctx.text[max(0, m.start - 160):m.start]
        head = _without_title(head, lex)   # "A ministry spokesman, Col. Ricardo Paredes"
        match = APPOSITIVE_BEFORE.search(head)
        if match:
            group = "phrase" if match.group("phrase") else "owned"
            phrase_start = m.start - len(head) + match.start(group)
            title, org = _title_and_org(ctx, phrase_start, match.group(group), lex)
            add(person, title, org, phrase_start, m.end, "appositive-before")
    return roles


def _without_title(head: str, lex: Lexicon) -> str:
    """The text before a name without the titles written right before it ("…, Col. ")."""
    for _ in range(3):
        last = re.search(r"([A-Za-z][\w-]*)\.?\s*$", head)
        if last is None or norm(last.group(1)) not in lex.person_titles:
            break
        head = head[:last.start()]
    return head


def _title_words(title: str) -> list[str]:
    words = title.replace("’s", "").split()
    return words + [" ".join(words[i:i + 2]) for i in range(len(words) - 1)]


def _tidy(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip(" ,.;:-–—")


def _split_and(phrase: str, offset: int, lex: Lexicon):
    """'vice president of MEK and leader of Camp Ashraf' → two roles; but 'Undersecretary for
    Agriculture and Fisheries Wealth' and 'economic and commercial counsellor' are one: a
    phrase is cut at 'and' only when every piece names a role of its own."""
    pieces, pos = [], 0
    for piece in re.split(r"(\s+and\s+)", phrase):
        if not re.fullmatch(r"\s+and\s+", piece):
            pieces.append((offset + pos, piece))
        pos += len(piece)
    if len(pieces) > 1 and not all(_names_a_role(piece, lex) for _, piece in pieces):
        return [(offset, phrase)]
    return pieces


def _names_a_role(title: str, lex: Lexicon) -> bool:
    return any(norm(w) in lex.role_nouns or (norm(w) in lex.person_titles and norm(w) not in HONORIFICS)
               or PROFESSION.search(norm(w)) for w in _title_words(title)) or \
        any(phrase in title.lower() for phrase in lex.role_nouns if " " in phrase)


def _title_and_org(ctx: Context, start: int, phrase: str, lex: Lexicon) -> tuple[str, int | None]:
    """Split 'vice president of MEK' into title and organisation entity."""
    org = None
    title = phrase
    inside = [(s, e, ctx.entity_of.get(i)) for s, e, i in ctx.mention_starts
              if s >= start and e <= start + len(phrase) and ctx.entity_of.get(i) is not None]
    # An organisation named in the phrase beats a place ("specialist on the Middle East from the
    # National Security Council" is a role in the Council).
    inside.sort(key=lambda item: (ctx.entities[item[2]].type not in ("Organisation", "ReportingSource"), item[0]))
    for s, e, entity in inside:
        if ctx.entities[entity].type == "Person":
            continue
        local = s - start
        lead = phrase[:local]
        possessive = phrase[e - start:].lstrip().startswith(("’s", "'s"))
        # "a councillor in Menaka", "the Antwerp mayor": where the post is; "a welder from Osh":
        # only where she comes from.
        if _can_employ(ctx, entity) or not re.search(r"\bfrom\s+(?:the\s+)?$", lead):
            org = entity
        # "vice president of MEK" → "vice president"; "Iraq's national security minister" keeps the
        # words after the possessive.
        if re.search(r"\b(?:of|for|at|with|from|to|in)\s+(?:the\s+)?$", lead):
            title = re.sub(r"\s*\b(?:of|for|at|with|from|to|in)\s+(?:the\s+)?$", "", lead)
        elif possessive:
            title = phrase[e - start:].lstrip()[2:]
        break
    return title, org


def _can_employ(ctx: Context, entity: int) -> bool:
    """Organisations, outlets and countries hold roles; a city in 'Hollywood actor' does not."""
    kind = ctx.entities[entity].type
    if kind in ("Organisation", "ReportingSource"):
        return True
    from ..gazetteer import lookup
    place = lookup(ctx.entities[entity].name)
    return kind == "Location" and place is not None and place.feature == "country"


def _title_before(ctx: Context, name_start: int, lex: Lexicon):
    """'former U.S. Ambassador', 'MKO leader', 'Hollywood actor' right before a name."""
    doc = ctx.doc
    span = doc.char_span(name_start, name_start + 1, alignment_mode="expand")
    if span is None:
        return None
    k = span.start - 1
    words, org, first = [], None, None
    while k >= 0 and len(words) < 7:
        tok = doc[k]
        word = norm(tok.text)
        if tok.text == ".":
            k -= 1
            continue
        entity = ctx.entity_at(tok.idx, tok.idx + len(tok.text))
        if entity is not None and ctx.entities[entity].type != "Person":
            if org is None and _can_employ(ctx, entity):
                org = entity
            first = tok.idx
            k -= 1
            while k >= 0 and ctx.entity_at(doc[k].idx, doc[k].idx + len(doc[k].text)) == entity:
                first = doc[k].idx
                k -= 1
            continue
        if word in lex.role_nouns or word in lex.person_titles or word in lex.role_modifiers or \
                (tok.pos_ in ("NOUN", "ADJ", "PROPN") and words and tok.dep_ in ("compound", "amod")):
            words.insert(0, tok.text)
            first = tok.idx
            k -= 1
            continue
        if word in ("to", "the", "of", "for", "at") and org is not None and not words and k >= 1:
            # "ambassador to the United Nations John Bolton": keep walking to the title
            k -= 1
            continue
        break
    if not words or not any(norm(w) in lex.role_nouns or norm(w) in lex.person_titles for w in words):
        return None
    while words and norm(words[0]) in HONORIFICS:
        words.pop(0)
    return " ".join(words), org, first
