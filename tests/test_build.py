"""The foundation: kg build / validate / dump / query on a real on-disk Oxigraph store."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pyoxigraph
import rdflib

from conftest import ROOT, SEED_FILES, run_kg
from kg.reports import same_utterance

NKG = "PREFIX nkg: <https://w3id.org/newskg/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "


def query_json(store, sparql: str) -> list[dict]:
    out = run_kg("query", NKG + sparql, "--format", "json", "--store", str(store), check=True)
    data = json.loads(out.stdout)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


def test_seeds_graph_validates(seeds_store):
    result = run_kg("validate", "--store", str(seeds_store))
    assert result.returncode == 0, result.stderr
    assert "conforms" in result.stderr


def test_validate_reports_violations_readably(seeds_store, tmp_path):
    strict = tmp_path / "strict.ttl"
    strict.write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix nkg: <https://w3id.org/newskg/ns#> .
        <urn:s> a sh:NodeShape ; sh:targetClass nkg:Document ;
            sh:property [ sh:path nkg:title ; sh:minCount 1 ] .""")
    result = run_kg("validate", "--shapes", str(strict), "--store", str(seeds_store))
    # 004 (CNN's page) has no headline in its text: a document without a title must be reported.
    assert result.returncode == 1
    assert "does NOT conform" in result.stderr and "nkg:title" in result.stderr
    assert "004_366b480554e5de28" in result.stderr


def test_two_builds_dump_byte_identical_nquads(seeds_store, tmp_path):
    second = tmp_path / "again"
    run_kg("build", "seeds", "--store", str(second), check=True)
    first_dump = run_kg("dump", "--format", "nquads", "--store", str(seeds_store), check=True).stdout
    second_dump = run_kg("dump", "--format", "nquads", "--store", str(second), check=True).stdout
    assert first_dump == second_dump
    assert len(first_dump.splitlines()) > 1000


def test_turtle_dump_parses_and_holds_the_union(seeds_store, tmp_path):
    out = tmp_path / "graph.ttl"
    run_kg("dump", "--format", "turtle", "-o", str(out), "--store", str(seeds_store), check=True)
    graph = rdflib.Graph().parse(out, format="turtle")
    count = query_json(seeds_store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert len(graph) == int(count[0]["n"])


def test_other_dump_formats_parse(seeds_store, tmp_path):
    for fmt, parser in (("trig", pyoxigraph.RdfFormat.TRIG), ("jsonld", pyoxigraph.RdfFormat.JSON_LD),
                        ("ntriples", pyoxigraph.RdfFormat.N_TRIPLES)):
        out = tmp_path / f"graph.{fmt}"
        run_kg("dump", "--format", fmt, "-o", str(out), "--store", str(seeds_store), check=True)
        with open(out, "rb") as handle:
            assert sum(1 for _ in pyoxigraph.parse(handle, parser)) > 1000, fmt


def test_bad_files_are_skipped_with_reasons_and_the_rest_builds(corpus_dir, tmp_path):
    (corpus_dir / "photo.txt").write_bytes(bytes(range(256)) * 8)
    (corpus_dir / "empty.txt").write_bytes(b"")
    (corpus_dir / "latin1.txt").write_bytes("Le président a déclaré à Téhéran…".encode("latin-1", "replace"))
    (corpus_dir / "story.html").write_text("""<html><head><title>Camp closure | Example Wire</title>
        <meta property="og:site_name" content="Example Wire"><meta name="author" content="Jane Roe">
        <meta property="article:published_time" content="2009-07-28"></head><body><nav>Home | World</nav>
        <article><h1>Iraqi forces enter Camp Ashraf</h1>
        <p>BAGHDAD (Example Wire) - Iraqi security forces entered Camp Ashraf on Tuesday, officials said.</p>
        <p>"We will restore the rule of Iraqi law in the camp," said Ali al-Dabbagh, a spokesman for the
        Iraqi government, speaking to reporters in Baghdad on Tuesday afternoon.</p></article></body></html>""",
                                          encoding="utf-8")
    store = tmp_path / "store"
    result = run_kg("build", str(corpus_dir), "--store", str(store))
    assert result.returncode == 3, result.stderr   # built, but some files were skipped
    err = result.stderr
    assert "skipped photo.txt: binary file" in err
    assert "skipped empty.txt: empty file" in err
    assert "skipped latin1.txt: not valid utf-8" in err
    assert "6 documents read, 3 skipped" in err
    rows = query_json(store, "SELECT ?file ?title WHERE { ?d a nkg:Document ; nkg:fileName ?file "
                             "OPTIONAL { ?d nkg:title ?title } }")
    files = {r["file"] for r in rows}
    assert files == {p.name for p in SEED_FILES} | {"story.html"}
    html = next(r for r in rows if r["file"] == "story.html")
    assert html["title"] == "Iraqi forces enter Camp Ashraf"   # the page headline, as trafilatura reads it
    said = query_json(store, "SELECT ?text ?who WHERE { ?s nkg:text ?text ; nkg:speaker/rdfs:label ?who "
                             "FILTER(CONTAINS(?text, 'rule of Iraqi law')) }")
    assert said and said[0]["who"] == "Ali al-Dabbagh"


def test_kill_during_build_leaves_previous_store(seeds_store, tmp_path):
    store = tmp_path / "store"
    run_kg("build", "seeds", "--store", str(store), check=True)
    before = run_kg("dump", "--store", str(store), check=True).stdout
    big = tmp_path / "big"
    big.mkdir()
    for n in range(40):   # distinct texts, so nothing comes from the cache
        for path in SEED_FILES:
            text = path.read_text(encoding="utf-8")
            (big / f"{n:03d}_{path.name}").write_text(f"{text}\n\nEdition {n}.\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "kg", "build", str(big), "--store", str(store),
                                "--workers", "2"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    for line in process.stderr:   # wait until the new graph is being written, then kill without warning
        if line.startswith("writing the graph") or time.time() > deadline:
            break
    builds_while_running = set((store / "builds").iterdir())
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert len(builds_while_running) == 2, "the new build should have been under way beside the old one"
    after = run_kg("dump", "--store", str(store), check=True).stdout
    assert after == before
    assert run_kg("validate", "--store", str(store)).returncode == 0
    # The next build clears the abandoned half-build away.
    run_kg("build", "seeds", "--store", str(store), check=True)
    assert len(list((store / "builds").iterdir())) == 2   # current + the one before


def test_every_statement_has_speaker_words_document_and_offsets(seeds_store):
    rows = query_json(seeds_store, """
        SELECT ?statement ?words ?speaker ?file ?start ?end WHERE {
          ?statement a nkg:Statement ; nkg:text ?words ; nkg:speaker/rdfs:label ?speaker ;
                     nkg:evidence ?span .
          ?span nkg:document/nkg:fileName ?file ; nkg:start ?start ; nkg:end ?end .
        }""")
    assert len(rows) >= 40
    for row in rows:
        article = (ROOT / "seeds" / row["file"]).read_text(encoding="utf-8")
        evidence = article[int(row["start"]):int(row["end"])]
        # The article's own wording: the statement's words, or a shorter or reworded report of them.
        assert row["words"] in evidence or same_utterance(evidence, row["words"]), row


def test_every_span_quotes_its_document_exactly(seeds_store):
    bad = query_json(seeds_store, """
        SELECT ?span WHERE { ?span nkg:start ?s ; nkg:end ?e ; nkg:exact ?x ; nkg:document/nkg:content ?c
                             FILTER(SUBSTR(?c, ?s + 1, ?e - ?s) != ?x) }""")
    assert bad == []


def test_facts_live_in_their_article_graph(seeds_store):
    rows = query_json(seeds_store, """
        SELECT ?g (COUNT(?span) AS ?n) WHERE { GRAPH ?g { ?s nkg:evidence ?span } } GROUP BY ?g""")
    documents = {r["d"] for r in query_json(seeds_store, "SELECT ?d WHERE { ?d a nkg:Document }")}
    assert len(rows) >= 4
    assert all(r["g"] in documents for r in rows)   # evidence is only ever stated in an article's graph


def test_query_formats_and_errors(seeds_store):
    q = NKG + "SELECT ?file WHERE { ?d nkg:fileName ?file } ORDER BY ?file"
    table = run_kg("query", q, "--store", str(seeds_store), check=True).stdout
    assert "000_0f2a36048ee63ac9.txt" in table and table.splitlines()[0].strip() == "file"
    csv_out = run_kg("query", q, "--format", "csv", "--store", str(seeds_store), check=True).stdout
    assert csv_out.splitlines()[0] == "file" and len(csv_out.splitlines()) == 6
    tsv_out = run_kg("query", q, "--format", "tsv", "--store", str(seeds_store), check=True).stdout
    assert tsv_out.splitlines()[0] == "?file"
    ask = run_kg("query", "ASK { ?s ?p ?o }", "--store", str(seeds_store), check=True).stdout
    assert ask.strip() == "true"
    construct = run_kg("query", NKG + "CONSTRUCT { ?d nkg:fileName ?f } WHERE { ?d nkg:fileName ?f }",
                       "--format", "turtle", "--store", str(seeds_store), check=True).stdout
    assert len(rdflib.Graph().parse(data=construct, format="turtle")) == 5
    bad = run_kg("query", "SELECT ?x WHERE { ?x ", "--store", str(seeds_store))
    assert bad.returncode == 2 and "malformed query" in bad.stderr


def test_missing_store_gives_clear_error(tmp_path):
    result = run_kg("query", "ASK {}", "--store", str(tmp_path / "nothing"))
    assert result.returncode == 1 and "run 'kg build' first" in result.stderr


def test_rebuild_with_nothing_changed_keeps_the_graph_and_a_forced_one_uses_the_cache(tmp_path):
    store = tmp_path / "store"
    run_kg("build", "seeds", "--store", str(store), check=True)
    first = (store / "current").resolve()
    again = run_kg("build", "seeds", "--store", str(store), check=True)
    assert "is up to date" in again.stderr and (store / "current").resolve() == first
    forced = run_kg("build", "seeds", "--store", str(store), "--force", check=True)
    assert "5 articles from cache" in forced.stderr and (store / "current").resolve() != first


def test_a_changed_article_or_curated_file_is_rebuilt(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    store = tmp_path / "store"
    run_kg("build", str(corpus), "--store", str(store), check=True)
    article = sorted(corpus.glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    changed = run_kg("build", str(corpus), "--store", str(store), check=True)
    assert "4 of 5 articles unchanged" in changed.stderr and "4 articles from cache" in changed.stderr
    curated = corpus / "entities.yaml"
    curated.write_text(curated.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    recurated = run_kg("build", str(corpus), "--store", str(store), check=True)
    assert "is up to date" not in recurated.stderr and "5 articles from cache" in recurated.stderr
