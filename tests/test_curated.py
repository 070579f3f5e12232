"""Curated knowledge merges names; without it, the same quotes and speakers come out."""
from __future__ import annotations

from collections import defaultdict

from test_build import query_json

STATEMENTS = """SELECT ?text ?speaker WHERE { ?s a nkg:Statement ; nkg:kind "direct" ; nkg:text ?text ;
                                             nkg:speaker ?who . ?who rdfs:label ?speaker }"""
NAMES = "SELECT ?label ?name WHERE { ?e rdfs:label ?label . { ?e rdfs:label ?name } UNION { ?e nkg:alias ?name } }"


def test_empty_curated_file_gives_same_quotes_and_speakers(seeds_store, seeds_store_uncurated):
    curated = query_json(seeds_store, STATEMENTS)
    plain = query_json(seeds_store_uncurated, STATEMENTS)
    assert {r["text"] for r in curated} == {r["text"] for r in plain}
    names = defaultdict(set)
    for row in query_json(seeds_store, NAMES):
        names[row["label"]].add(row["name"])
    by_text = {r["text"]: r["speaker"] for r in curated}
    for row in plain:
        # The speaker found without curation is one of the names of the curated speaker.
        assert row["speaker"] in names[by_text[row["text"]]], row


def test_curated_file_merges_spelling_variants(seeds_store, seeds_store_uncurated):
    def count(store):
        return len(query_json(store, "SELECT DISTINCT ?e WHERE { ?e a nkg:Organisation ; nkg:alias ?a "
                                     "FILTER(?a IN ('MEK', 'MKO', 'PMOI')) }"))
    rows = query_json(seeds_store, """SELECT ?label (COUNT(DISTINCT ?d) AS ?docs) WHERE {
        ?e rdfs:label ?label ; nkg:alias "MKO" . ?d nkg:mentions ?e } GROUP BY ?label""")
    assert rows == [{"label": "People's Mojahedin Organization of Iran", "docs": "5"}]
    assert count(seeds_store) == 1


def test_curated_entries_stay_apart_where_an_article_runs_them_together(seeds_store):
    # Seed 000 writes "the outlawed Kurdistan Worker’s Party (PEJAK)"; the curated file lists the
    # Kurdistan Workers' Party and PJAK as two entries, so each span refers to its own entity.
    rows = query_json(seeds_store, """SELECT ?exact ?label WHERE {
        ?span nkg:exact ?exact ; nkg:refersTo ?e . ?e rdfs:label ?label
        FILTER(?exact IN ("Kurdistan Worker’s Party", "PEJAK")) }""")
    by_text = defaultdict(set)
    for row in rows:
        by_text[row["exact"]].add(row["label"])
    assert by_text["Kurdistan Worker’s Party"] == {"Kurdistan Workers' Party"}
    assert by_text["PEJAK"] == {"Party of Free Life of Kurdistan"}
    aliases = {r["a"] for r in query_json(seeds_store, """SELECT ?a WHERE {
        ?e rdfs:label "Party of Free Life of Kurdistan" ; nkg:alias ?a }""")}
    assert not any("Worker" in a for a in aliases), aliases
