"""Group an article's mentions into the things they name.

Within one article a writer introduces a name in full and then shortens it: "Zalmay
Khalilzad" then "Khalilzad"; "the Mujahedeen-e-Khalq, or MEK"; "Mojahedin Khalq
Organization (MKO)"; "the International Committee of the Red Cross" then "ICRC" and "the
Red Cross". Each group becomes one LocalEntity whose type is decided by the votes of all
its mentions (a surname spaCy took for an organisation joins the person it shortens).
"""
from __future__ import annotations

import re
from collections import Counter

from ..groups import DisjointSets
from ..matching import is_acronym, is_acronym_of, is_first_name_form, is_short_form, key, skeleton
from ..records import LocalEntity, Mention

# Text between two names that makes the second an alias of the first.
ALIAS_BETWEEN = re.compile(
    r"^\s*(?:,\s*or|\(|\(\s*or|,?\s*also known as|,?\s*known as|\(\s*which goes by the acronyms?(?:\s+both)?"
    r"|,?\s*or\s+(?=[A-Z]{2,})|\(\s*[A-Z]{2,6}\s*,|,)\s*(?:the\s+)?$")


class _Groups:
    """Union-find over mention indices, keeping each group's type votes up to date."""

    def __init__(self, mentions: list[Mention]):
        self.sets = DisjointSets(range(len(mentions)))
        self.votes = [_votes(mentions, [i]) for i in range(len(mentions))]

    def find(self, i: int) -> int:
        return self.sets.find(i)

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            keep = self.sets.union(ra, rb)
            gone = rb if keep == ra else ra
            self.votes[keep] = self.votes[keep] + self.votes[gone]

    def kind(self, i: int, fallback: str) -> str:
        votes = self.votes[self.find(i)]
        return max(sorted(votes), key=lambda k: votes[k]) if votes else fallback


def name_of(m: Mention) -> str:
    return m.name or m.text


def cluster(mentions: list[Mention], text: str) -> list[LocalEntity]:
    """Merge mentions into article entities; returns entities in order of first mention.

    Mentions of unknown type that join no typed entity are removed from ``mentions``."""
    _join_coordinated_first_names(mentions, text)
    groups = _Groups(mentions)
    _join_declared_aliases(mentions, text, groups)
    by_key: dict[str, int] = {}
    for i, m in enumerate(mentions):
        k = key(name_of(m))
        if k in by_key:
            groups.join(by_key[k], i)
        else:
            by_key[k] = i

    def kind_of(i: int) -> str:
        return groups.kind(i, mentions[i].type)

    # Acronyms and spelling variants of names in the article.
    names = list(by_key.items())
    for k1, i in names:
        n1 = name_of(mentions[i])
        for k2, j in names:
            if i == j:
                continue
            n2 = name_of(mentions[j])
            if is_acronym(n1) and is_acronym_of(n1, n2):
                groups.join(i, j)
            elif len(k1.split()) >= 2 and len(k2.split()) >= 2 and skeleton(n1) == skeleton(n2) \
                    and len(skeleton(n1)) >= 5:
                groups.join(i, j)

    # Short forms: each short mention joins the nearest earlier fuller name it shortens. A short
    # form always ends with the full name's last word, so only those names are compared.
    by_last: dict[str, list[int]] = {}   # also by first word: prefixes ("Zijin Mining") and "Sheikh Fahad"
    for i, m in enumerate(mentions):
        words = key(name_of(m)).split()
        if len(words) >= 2:
            by_last.setdefault(words[-1], []).append(i)
            by_last.setdefault("^" + words[0], []).append(i)
    for i, m in enumerate(mentions):
        short = name_of(m)
        words = key(short).split()
        if not words or len(words) > 3:
            continue
        best = None
        for j in sorted({*by_last.get(words[-1], ()), *by_last.get("^" + words[0], ())}):
            if groups.find(j) == groups.find(i):
                continue
            full = name_of(mentions[j])
            kind = kind_of(j)
            if kind == "Person" and len(words) == 1 and m.type == "Location" and "gazetteer:country" in m.rule:
                continue
            if (is_short_form(short, full, kind) or (kind == "Person" and m.title and is_first_name_form(short, full))) \
                    and _compatible(kind_of(i), kind, short):
                distance = (0 if j < i else 1, abs(mentions[j].start - m.start))
                if best is None or distance < best[0]:
                    best = (distance, j)
        if best is not None:
            groups.join(i, best[1])

    members = groups.sets.groups()
    keep = [i for idx in members.values() if any(mentions[i].type != "Unknown" for i in idx) for i in idx]
    renumber = {old: new for new, old in enumerate(sorted(keep))}
    entities = []
    for root, idx in sorted(members.items(), key=lambda item: min(item[1])):
        if idx[0] not in renumber:
            continue
        votes = _votes(mentions, idx)
        kind = max(sorted(votes), key=lambda k: votes[k])
        for i in idx:
            if mentions[i].type == "Unknown":
                mentions[i].type = kind
        forms = [name_of(mentions[i]) for i in idx]
        name = _fullest(forms)
        aliases = sorted({f for f in forms if key(f) != key(name)}, key=lambda f: (key(f), f))
        entities.append(LocalEntity(name=name, type=kind, mentions=[renumber[i] for i in idx], aliases=aliases,
                                    type_votes=dict(votes)))
    mentions[:] = [mentions[i] for i in sorted(keep)]
    return entities


def _votes(mentions: list[Mention], idx: list[int]) -> Counter:
    """Type votes of a group; a longer mention's votes weigh more ("Seymour Hersh" over "Hersh")."""
    votes: Counter = Counter()
    for i in idx:
        weight = len(key(name_of(mentions[i])).split())
        for kind, n in (mentions[i].votes or {mentions[i].type: 1}).items():
            if kind != "Unknown":
                votes[kind] += n * weight
    return votes


def _compatible(kind_short: str, kind_full: str, short: str) -> bool:
    if kind_short == kind_full:
        return True
    if kind_full in ("Organisation", "ReportingSource") and len(short.split()) >= 2:
        return True   # spaCy took "Elbtal Kreislauf" for a person; "Elbtal Kreislauf GmbH" says otherwise
    # A bare surname is often mistyped by the statistical model; the full name decides.
    return kind_short == "Unknown" or kind_full == "Person" and len(short.split()) == 1 and not is_acronym(short)


def _fullest(forms: list[str]) -> str:
    """The name to call the thing by: the longest non-acronym form, most used on ties."""
    counts = Counter(forms)
    return max(counts, key=lambda f: (not is_acronym(f), len(key(f).split()), counts[f], -forms.index(f)))


def _join_declared_aliases(mentions: list[Mention], text: str, groups: _Groups) -> None:
    """'X, or MEK,', 'X (MKO)', 'MEK, also known as X', '(MKO, MEK, PMOI)', 'the MEK or MKO'."""
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        between = text[a.end:b.start]
        if len(between) > 45 or "\n" in between:
            continue
        if not ALIAS_BETWEEN.match(between) or re.match(r"[’']s\b", text[b.end:b.end + 3]):
            continue   # "Khaled Abu Zeid, the AFC's director": a possessive is not a second name
        if {a.type, b.type} in ({"Person", "Organisation"}, {"Person", "ReportingSource"}) and "known as" not in between:
            continue
        if re.sub(r"\bthe\b", "", between).strip() == "," and not (is_acronym(b.text) and re.match(r"\s*[,)]", text[b.end:b.end + 2])):
            # A bare comma is an alias only inside a parenthesised acronym list.
            if not (is_acronym(a.text) and is_acronym(b.text) and "(" in text[max(0, a.start - 20):a.start]):
                continue
        if "Location" in (a.type, b.type) and not is_acronym_of(b.text, name_of(a)):
            continue   # "Zahedan, Iran", "BAGHDAD, Iraq (CNN) —": places and datelines, not aliases
        if not (is_acronym(a.text) or is_acronym(b.text)) and "known as" not in between and \
                not (between.strip() == "(" and b.type == "Unknown" and text[b.end:b.end + 1] == ")"):
            continue   # but "Attorney General's Office (Fiscalía General de la Nación)" is one name twice
        groups.join(i, i + 1)
    # "(which goes by the acronyms both MEK and MKO)": acronyms listed together name one thing.
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        if is_acronym(a.text) and is_acronym(b.text) and re.fullmatch(r"\s+(?:and|or)\s+", text[a.end:b.start]) \
                and "acronym" in text[max(0, a.start - 40):a.start]:
            groups.join(i, i + 1)


def _join_coordinated_first_names(mentions: list[Mention], text: str) -> None:
    """'Maryam and Masoud Rajavi': the first given name shares the surname."""
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        if a.type != "Person" or len(a.text.split()) != 1 or len(b.text.split()) < 2:
            continue
        if re.fullmatch(r"\s+and\s+", text[a.end:b.start]):
            a.name = f"{a.text} {b.text.split()[-1]}"
