"""When do two names name the same thing? Shared by in-article clustering and
cross-article resolution.

* ``key``: the same name up to case, accents, punctuation, "the" and possessives.
* ``skeleton``: the same name up to transliteration (Mujahedeen / Mojahedin / Mujahideen,
  Massoud / Masoud): consonants only, doubled letters collapsed, particles and generic
  heads ("-e-", "Organization") dropped.
* ``is_acronym_of``: MEK ↔ Mujahedeen-e-Khalq, ICRC ↔ International Committee of the Red
  Cross, U.N. ↔ United Nations.
* ``is_short_form``: Khalilzad ↔ Zalmay Khalilzad, State Department ↔ U.S. State
  Department, Ashraf ↔ Camp Ashraf.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PARTICLES = {"of", "the", "for", "and", "in", "e", "al", "el", "de", "du", "bin", "ibn", "van", "von", "der", "a"}
GENERIC_HEADS = {"organization", "organisation", "group", "movement", "party"}
NAME_PREFIXES = {"camp", "fort", "mount", "lake", "the"}


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’]s\b", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = re.sub(r"^the ", "", text)
    return text


def tokens(name: str) -> list[str]:
    return key(name).split()


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", key(name.replace("-", " "))) if w and w not in PARTICLES]
    if len(words) > 2:
        words = [w for w in words if w not in GENERIC_HEADS] or words
    out = []
    for word in words:
        consonants = re.sub(r"[aeiouy]", "", word)
        consonants = re.sub(r"(.)\1+", r"\1", consonants)
        out.append(word[0] + consonants[1:] if word[0] in "aeiouy" else consonants)
    return " ".join(out)


def is_acronym(name: str) -> bool:
    bare = name.replace(".", "")
    return 2 <= len(bare) <= 7 and bare.isalpha() and bare.isupper()


def initials(name: str, with_particles: bool) -> str:
    words = [w for w in re.split(r"[\s\-]+", name.replace("’", "'")) if w]
    letters = []
    for word in words:
        word = re.sub(r"'s$", "", word)
        if not word or not word[0].isalpha():
            continue
        if word.lower() in PARTICLES and not with_particles:
            continue
        if word.lower() in ("of", "the", "and", "for", "in") and with_particles:
            continue
        letters.append(word[0].upper())
    return "".join(letters)


def is_acronym_of(acronym: str, name: str) -> bool:
    """MEK is the acronym of Mujahedeen-e-Khalq; ICRC of International Committee of the Red Cross."""
    bare = acronym.replace(".", "").upper()
    if not is_acronym(acronym) or len(name.split()) < 1 or is_acronym(name):
        return False
    if len(re.split(r"[\s\-]+", name)) < 2:
        return False
    return bare in (initials(name, True), initials(name, False))


def is_first_name_form(short: str, full: str) -> bool:
    """'Sheikh Fahad' for Fahad bin Nasser al-Sabah: a title and the first name."""
    s, f = tokens(short), tokens(full)
    return len(s) == 1 and len(f) >= 2 and s[0] == f[0]


def is_short_form(short: str, full: str, kind: str) -> bool:
    """Is ``short`` how the text refers again to ``full`` (both of type ``kind``)?"""
    s, f = tokens(short), tokens(full)
    if not s or len(s) >= len(f) or is_acronym(short):
        return False
    if kind == "Person":
        # Surname, or first name + surname without the middle initial.
        return s == f[-len(s):] or (len(s) == 2 and s[0] == f[0] and s[-1] == f[-1])
    if kind in ("Organisation", "ReportingSource") and len(s) >= 2 and f[:len(s)] == s:
        from .gazetteer import lookup
        return lookup(short) is None   # but "United States" is not short for "United States Armed Forces"   # "Zijin Mining" for "Zijin Mining Group", "Hunan Xinghe" for "Hunan Xinghe New Energy Co Ltd"
    if f[-len(s):] == s:
        head = f[:-len(s)]
        return kind in ("Organisation", "ReportingSource", "Event") or all(w in NAME_PREFIXES for w in head) \
            or kind == "Location" and len(head) == 1
    return False
