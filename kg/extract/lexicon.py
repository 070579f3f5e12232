"""The cue words of ``kg/data/lexicon.yaml``, loaded once and folded for matching."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_yaml


def norm(word: str) -> str:
    """Fold a cue or token for lookup: lower case, curly apostrophes straight, final period off."""
    return word.lower().replace("’", "'").rstrip(".")


@dataclass(frozen=True)
class Lexicon:
    person_titles: frozenset[str]
    organisation_heads: frozenset[str]
    group_nouns_after: frozenset[str]
    media_heads: frozenset[str]
    outlet_before: tuple[str, ...]
    outlet_after: tuple[str, ...]
    place_prefixes: frozenset[str]
    place_suffixes: frozenset[str]
    place_prepositions: frozenset[str]
    event_nouns: frozenset[str]
    event_verbs: dict[str, str]
    not_events: frozenset[str]
    anchored_events: frozenset[str]
    speech_verbs: frozenset[str]
    indirect_verbs: frozenset[str]
    document_nouns: frozenset[str]
    spokesperson_nouns: frozenset[str]
    role_nouns: frozenset[str]
    role_modifiers: frozenset[str]
    demonyms: dict[str, dict[str, str]]
    actor_nouns: dict[str, str]
    institution_nouns: frozenset[str]
    portfolios: frozenset[str]
    non_entity_heads: frozenset[str]
    event_name_heads: frozenset[str]
    not_names: frozenset[str]
    peoples: frozenset[str]
    currency_symbols: dict[str, str]
    currency_words: frozenset[str]
    number_scales: dict[str, int]

    @property
    def longest_title(self) -> int:
        return max(len(t.split()) for t in self.person_titles)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = load_yaml("lexicon.yaml")

    def words(key: str) -> frozenset[str]:
        return frozenset(norm(w) for w in data[key])

    return Lexicon(
        person_titles=words("person_titles"),
        organisation_heads=words("organisation_heads"),
        group_nouns_after=words("group_nouns_after"),
        media_heads=words("media_heads"),
        outlet_before=tuple(norm(w) for w in data["outlet_cues"]["before"]),
        outlet_after=tuple(norm(w) for w in data["outlet_cues"]["after"]),
        place_prefixes=words("place_prefixes"),
        place_suffixes=words("place_suffixes"),
        place_prepositions=words("place_prepositions"),
        event_nouns=words("event_nouns"),
        event_verbs={norm(k): str(v) for k, v in data["event_verbs"].items()},
        not_events=words("not_events"),
        anchored_events=words("anchored_events"),
        speech_verbs=words("speech_verbs"),
        indirect_verbs=words("indirect_verbs"),
        document_nouns=words("document_nouns"),
        spokesperson_nouns=words("spokesperson_nouns"),
        role_nouns=words("role_nouns"),
        role_modifiers=words("role_modifiers"),
        demonyms={k.replace("’", "'"): v for k, v in data["demonyms"].items()},
        actor_nouns={norm(k): v for k, v in data["actor_nouns"].items()},
        institution_nouns=words("institution_nouns"),
        portfolios=words("portfolios"),
        non_entity_heads=words("non_entity_heads"),
        event_name_heads=words("event_name_heads"),
        not_names=words("not_names"),
        peoples=words("peoples"),
        currency_symbols={str(k): str(v) for k, v in data["currency_symbols"].items()},
        currency_words=words("currency_words"),
        number_scales={str(k): int(v) for k, v in data["number_scales"].items()},
    )
