"""Who reported what (issue 5): syndicated copies, one statement across reports,
corroboration and discrepancies — checked against the seed articles' own text."""
from __future__ import annotations

import re

from conftest import SEED_FILES, article_text, run_kg
from test_build import query_json

CNN_VERSIONS = {"000_0f2a36048ee63ac9.txt", "001_3fb4b85d121f7341.txt", "004_366b480554e5de28.txt"}


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace(".", "")))


def test_versions_of_the_cnn_report_are_linked_and_nothing_else(seeds_store):
    rows = query_json(seeds_store, """
        SELECT ?file ?of ?similarity ?outlet WHERE {
          ?d nkg:versionOf ?o ; nkg:fileName ?file ; nkg:story ?story .
          ?o nkg:fileName ?of .
          ?d <http://www.w3.org/ns/prov#qualifiedDerivation> [ nkg:similarity ?similarity ] .
          ?story nkg:originalPublisher/rdfs:label ?outlet }""")
    assert {r["file"] for r in rows} | {r["of"] for r in rows} == CNN_VERSIONS
    # The source version is the one CNN itself published (its copyright line names CNN).
    assert {r["of"] for r in rows} == {"004_366b480554e5de28.txt"}
    assert "© 2007 Cable News Network." in article_text("004_366b480554e5de28.txt")
    assert {r["outlet"] for r in rows} == {"CNN"}
    assert all(0 < float(r["similarity"]) <= 1 for r in rows)
    stories = query_json(seeds_store, "SELECT ?file WHERE { ?d nkg:story ?s ; nkg:fileName ?file }")
    assert {r["file"] for r in stories} == CNN_VERSIONS   # 002 and 003 belong to no story


def test_a_quote_in_several_articles_is_one_statement_with_one_report_each(seeds_store):
    rows = query_json(seeds_store, """
        SELECT ?s ?text ?reports ?independent (COUNT(DISTINCT ?doc) AS ?docs) WHERE {
          ?s a nkg:Statement ; nkg:kind "direct" ; nkg:text ?text ; nkg:reportCount ?reports ;
             nkg:independentSources ?independent ; nkg:evidence/nkg:document ?doc }
        GROUP BY ?s ?text ?reports ?independent""")
    texts = {p.name: _norm(p.read_text(encoding="utf-8")) for p in SEED_FILES}
    shared = 0
    for row in rows:
        holding = {name for name, text in texts.items() if _norm(row["text"]) in text}
        assert int(row["docs"]) == int(row["reports"])
        if len(holding) > 1 and len(_norm(row["text"]).split()) >= 5:   # a quotation, not a common phrase
            shared += 1
            # every article holding the words reports it (a shortened wording elsewhere may add one)
            assert int(row["docs"]) >= len(holding), row
            assert holding <= CNN_VERSIONS and row["independent"] == "1", row
    assert shared >= 8
    same_words = [r for r in rows if _norm("The coalition remains deeply committed") in _norm(r["text"])]
    assert len(same_words) == 1   # not three statements for three copies


def test_a_shortened_quote_is_the_same_utterance(seeds_store):
    short = "We still regard them as a terrorist organization"
    assert short in article_text("004_366b480554e5de28.txt")
    rows = query_json(seeds_store, """
        SELECT ?text (GROUP_CONCAT(?exact; separator="|") AS ?wordings) WHERE {
          ?s nkg:text ?text ; nkg:evidence/nkg:exact ?exact .
          FILTER(CONTAINS(?text, "there is no change in our policy")) } GROUP BY ?text""")
    assert len(rows) == 1 and short in rows[0]["wordings"].split("|")


def test_quotes_given_to_an_outlet_name_it_as_source(seeds_store):
    text = article_text("000_0f2a36048ee63ac9.txt")
    assert "Press TV interviewed Reese Elrich" in text and "told ABC" in text
    rows = query_json(seeds_store, """
        SELECT ?text ?source WHERE { ?s nkg:text ?text ; nkg:source/rdfs:label ?source ;
                                        nkg:speaker/rdfs:label ?who FILTER(?who = "Reese Erlich") }""")
    assert rows and {r["source"] for r in rows} == {"Press TV"}
    abc = query_json(seeds_store, """
        SELECT ?source WHERE { ?s nkg:text ?text ; nkg:source/rdfs:label ?source
                               FILTER(CONTAINS(?text, "six-month deadline")) }""")
    assert {r["source"] for r in abc} == {"ABC News"}


def test_discrepancies_canned_query_finds_the_disagreements(seeds_store):
    from pathlib import Path
    query = (Path(__file__).resolve().parent.parent / "queries" / "discrepancies.rq").read_text()
    rows = query_json(seeds_store, query.split("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>", 1)[1])
    by_kind: dict[str, list[dict]] = {}
    for row in rows:
        by_kind.setdefault(row["kindOf"], []).append(row)
        evidence = article_text(row["file"])[int(row["start"]):int(row["end"])]
        assert _norm(row["value"])[:40] in _norm(evidence), row
    figures = {(r["value"], r["file"]) for r in by_kind["number"]}
    assert ("3,800 camp residents", "000_0f2a36048ee63ac9.txt") in figures
    assert ("3,300 members", "002_9d63b231b5eb07db.txt") in figures
    quotes = [r for r in by_kind["wording"] if "terrorist organization" in r["value"]]
    assert {r["file"] for r in quotes} >= {"004_366b480554e5de28.txt"} and len({r["file"] for r in quotes}) >= 2
    details = {r["file"] for r in by_kind["wording"] if "Green Berets" in r["value"] or "questioned" in r["value"]
               or "regularly escorts" in r["value"]}
    assert len(details) >= 2
    claims = " ".join(r["value"] for r in by_kind["claim"])
    assert "gardens and monuments" in claims and "the camp was destroyed" in claims


def test_every_fact_counts_its_reports(seeds_store):
    missing = query_json(seeds_store, """
        SELECT ?fact WHERE { { ?fact a nkg:Statement } UNION { ?fact a nkg:Role } UNION { ?fact a nkg:Quantity }
                             FILTER NOT EXISTS { ?fact nkg:reportCount ?n ; nkg:independentSources ?i } }""")
    assert missing == []


def test_the_same_words_given_to_three_speakers_are_one_discrepancy(tmp_path):
    """Three outlets put one sentence in three mouths: one discrepancy with one claim per speaker
    (not one per pair, which grows with the square of the speakers)."""
    words = "The water network of the capital will not survive another summer like this one"
    speakers = [("Ali Reza Karimi", "a spokesman for the city council"),
                ("Maryam Hosseini", "a hydrologist at Sharif University"),
                ("John Fowler", "an engineer at the water board")]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, (name, role) in enumerate(speakers):
        surname = name.split()[-1]
        (corpus / f"article{n}.txt").write_text(
            f"Tehran faces water cuts\n\n{name}, {role}, spoke to reporters on Monday.\n\n"
            f"\"{words},\" {surname} said. Officials in the capital did not comment.\n", encoding="utf-8")
    store = tmp_path / "store"
    run_kg("build", str(corpus), "--store", str(store), "--no-curated", check=True)
    rows = query_json(store, """
        SELECT ?d ?value ?file WHERE { ?d nkg:discrepancyKind "speaker" ; nkg:claim ?c .
          ?c nkg:claimedValue ?value ; nkg:document/nkg:fileName ?file }""")
    assert len({r["d"] for r in rows}) == 1
    assert {(r["value"], r["file"]) for r in rows} == {(name, f"article{n}.txt") for n, (name, _) in enumerate(speakers)}


def test_a_figure_about_nothing_named_is_one_fact_per_report(tmp_path):
    """Two versions of one report share their bare figure (one Quantity, two reports); an
    unrelated article's same bare figure is a fact of its own, not a corroboration."""
    report = ("Water cuts widen\n\nThe reservoirs that feed the capital were 13 per cent full on Monday, "
              "the lowest level recorded since measurements began, engineers at the water board said. "
              "Rationing will be extended to the eastern districts from next week, and hospitals have been "
              "told to store water for at least three days. Farmers in the surrounding valleys say their "
              "wells have run dry and that the harvest will be the smallest in a generation.\n")
    unrelated = ("Budget approved\n\nThe city council approved its budget on Tuesday. Spending on schools "
                 "will rise by 13 per cent, and the transport department will hire new drivers.\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text(report, encoding="utf-8")
    (corpus / "copy.txt").write_text(report.replace("Water cuts widen", "Capital's reservoirs at record low"),
                                     encoding="utf-8")
    (corpus / "unrelated.txt").write_text(unrelated, encoding="utf-8")
    store = tmp_path / "store"
    run_kg("build", str(corpus), "--store", str(store), "--no-curated", check=True)
    rows = query_json(store, """
        SELECT ?q ?reports (GROUP_CONCAT(DISTINCT ?file; separator=" ") AS ?files) WHERE {
          ?q a nkg:Quantity ; nkg:value 13.0 ; nkg:reportCount ?reports ; nkg:evidence/nkg:document/nkg:fileName ?file
        } GROUP BY ?q ?reports""")
    by_files = {tuple(sorted(r["files"].split())): int(r["reports"]) for r in rows}
    assert by_files == {("copy.txt", "report.txt"): 2, ("unrelated.txt",): 1}, rows
