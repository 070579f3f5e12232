"""Article metadata read from the shapes the seed articles use (each value checked against
the article's own text) and page furniture kept out of extraction."""
from __future__ import annotations

import pytest

from conftest import article_text
from kg.layout import analyse
from test_build import query_json

# file: (title, publisher, original publisher, author, date) as the article itself writes them.
EXPECTED = {
    "000_0f2a36048ee63ac9.txt": ("CNN: US backing Iran’s Mujahedeen Khalq rebels", None, "CNN", "Bill Weinberg",
                                 ("2007-04-07", "04/07/2007")),
    "001_3fb4b85d121f7341.txt": ("U.S. protects Iranian opposition group in Iraq", "News On Iran & Its Neighbours",
                                 "CNN", "Michael Ware", None),
    "002_9d63b231b5eb07db.txt": ("Questions over American policy toward MEK in Iraq", "Iran-Interlink", None,
                                 "Massoud Khodabandeh", ("2008-05-11", "May 11, 2008")),
    "003_144b3abdbb8a61ae.txt": ("The MEK and the Iranian Protests", "Allvoices.com", None, "Brandon",
                                 ("2009-06-21", "21 Jun 2009")),
    "004_366b480554e5de28.txt": (None, "Cable News Network", "CNN", None, ("2007-04-06", "April 6, 2007")),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_layout_reads_metadata_written_in_the_article(name):
    text = article_text(name)
    title, publisher, original, author, date = EXPECTED[name]
    meta = analyse(text).metadata
    for value in (title, publisher, original, author):
        assert value is None or value in text   # the expectation itself comes from the text
    assert (meta.title.value if meta.title else None) == title
    assert (meta.publisher.value if meta.publisher else None) == publisher
    assert (meta.original_publisher.value if meta.original_publisher else None) == original
    assert [a.value for a in meta.authors] == ([author] if author else [])
    if date:
        assert date[1] in text and meta.date.value == date[0]
    for field in (meta.title, meta.publisher, meta.original_publisher, *meta.authors):
        if field is not None and field.start is not None:
            assert text[field.start:field.end] == field.value


def test_documents_carry_metadata_in_the_graph(seeds_store):
    rows = query_json(seeds_store, """
        SELECT ?file ?publisher ?original ?author ?date WHERE {
          ?d a nkg:Document ; nkg:fileName ?file .
          OPTIONAL { ?d nkg:publisher/rdfs:label ?publisher }
          OPTIONAL { ?d nkg:originalPublisher/rdfs:label ?original }
          OPTIONAL { ?d nkg:author/rdfs:label ?author }
          OPTIONAL { ?d nkg:datePublished ?date } }""")
    by_file = {r["file"]: r for r in rows}
    assert by_file["004_366b480554e5de28.txt"]["original"] == "CNN"
    assert by_file["004_366b480554e5de28.txt"]["publisher"] == "CNN"   # Cable News Network, curated as CNN
    assert by_file["001_3fb4b85d121f7341.txt"]["original"] == "CNN"
    assert by_file["002_9d63b231b5eb07db.txt"]["author"] == "Massoud Khodabandeh"
    assert by_file["002_9d63b231b5eb07db.txt"]["date"] == "2008-05-11"


def test_page_furniture_is_not_extracted(seeds_store):
    labels = {r["label"] for r in query_json(seeds_store, """
        SELECT DISTINCT ?label WHERE { ?d nkg:fileName "001_3fb4b85d121f7341.txt" ; nkg:mentions/rdfs:label ?label }""")}
    # These names appear only in 001's "Latest news" / "Must read" link lists.
    text = article_text("001_3fb4b85d121f7341.txt")
    furniture = text[text.index("Latest news"):]
    for name in ("Agence France Presse", "World Health Organisation", "Reuters", "AFP"):
        assert name in furniture and name not in text[:text.index("Latest news")]
        assert name not in labels
    everything = {r["label"] for r in query_json(seeds_store, "SELECT ?label WHERE { ?e nkg:mentionCount ?n ; rdfs:label ?label }")}
    assert "Home" not in everything


@pytest.mark.parametrize("text,title,authors,original,date", [
    ("Dam talks stall\nBy Jane Roe, Middle East correspondent\nPublished 3 March 2021\n\n"
     "BAGHDAD, March 2 (Reuters) - Iraq said on Tuesday it would appeal.\n",
     "Dam talks stall", ["Jane Roe"], "Reuters", "2021-03-03"),
    ("FOR IMMEDIATE RELEASE\nContact: Sara Lee, press@example.org\n\n"
     "Tehran, IRNA -- The foreign minister said on Monday that talks would resume.\n###\n",
     None, [], "IRNA", None),
    ("By Ali Hassan and Mona Said | Example Post\n\nThe council voted on Friday to close the port.\n",
     None, ["Ali Hassan", "Mona Said"], None, None),
])
def test_other_outlets_metadata_shapes(text, title, authors, original, date):
    layout = analyse(text)
    meta = layout.metadata
    assert (meta.title.value if meta.title else None) == title
    assert [a.value for a in meta.authors] == authors
    assert (meta.original_publisher.value if meta.original_publisher else None) == original
    assert (meta.date.value if meta.date else None) == date
    masked = layout.masked_text
    for furniture in ("FOR IMMEDIATE RELEASE", "Contact:", "###", "By Jane Roe"):
        assert furniture not in masked


def test_bylines_in_capitals_and_broadcast_transcripts():
    text = ("Vigil held at the Capitol\n\nBy MEGAN O'BRIEN-KOWALSKI Ledger staff writer\n\n"
            "More than 600 people gathered on Sunday.\n\n"
            "LEILA FERNÁNDEZ-HAYES, HOST:\n\nMuch of Lima stood still yesterday.\n\n(SOUNDBITE OF HORNS HONKING)\n\n"
            "CAROLINA VILLACORTA-SHAW, BYLINE: On the highway, the buses stood bumper to bumper.\n\n"
            "© 2025 Pieter-Jan Verhulst · Privacy · Terms · Collection notice\n")
    layout = analyse(text)
    meta = layout.metadata
    # names printed in capitals are read as names, their spans still point at the capitals
    assert [a.value for a in meta.authors] == ["Megan O'Brien-Kowalski", "Leila Fernández-Hayes", "Carolina Villacorta-Shaw"]
    assert [text[a.start:a.end] for a in meta.authors] == ["MEGAN O'BRIEN-KOWALSKI", "LEILA FERNÁNDEZ-HAYES",
                                                           "CAROLINA VILLACORTA-SHAW"]
    assert meta.publisher.value == "Pieter-Jan Verhulst" == text[meta.publisher.start:meta.publisher.end]
    masked = layout.masked_text
    for furniture in ("SOUNDBITE", ", HOST:", "BYLINE:", "staff writer", "Privacy"):
        assert furniture not in masked
    assert "On the highway, the buses stood bumper to bumper." in masked   # the turn's words stay content


def test_reference_marks_are_furniture():
    text = ("The red palm weevil was first recorded in 1993.[1] Three people were killed and about 1,200 "
            "residents were evacuated.[2][a] The lake [citation needed] formed in 2023.\n")
    masked = analyse(text).masked_text
    assert len(masked) == len(text)   # offsets are kept
    assert "[" not in masked and "evacuated." in masked and "1993." in masked
    assert "[2]" in text and analyse("See list [Q] of items.\n").masked_text.count("[Q]") == 1
