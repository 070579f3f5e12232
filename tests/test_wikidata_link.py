"""``kg link`` from the command line, against the local Wikidata stand-in.

The graph is a small hand-made build (no extraction): a person and a place both called
Jordan, an organisation two items share a name with, a port city reached through a class
hierarchy, a newspaper the curated file does not know yet, a person whose only namesake is
a film, a name nobody has, and entities that must be skipped (already linked; an Event).
"""
from __future__ import annotations

import socket
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_kg
from kg import curated
from kg.store import NewBuild
from wikidata_standin import WikidataStandin

NKG = "https://w3id.org/newskg/ns#"
BASE = "http://localhost:5000/"
CURATED = """\
# Curated knowledge of the test corpus: these comments must survive `kg link`.

entities:
  - name: Jordan          # the basketball player of the test corpus
    type: Person
    note: a person, not the country

  # places
  - name: Port Vesper
    type: Location
    aliases: [Vesper]
"""


def _entity(quads, kind, label, mentions, aliases=(), same_as=None):
    graph = ox.NamedNode(BASE + "graph/knowledge")
    node = ox.NamedNode(f"{BASE}{kind.lower()}/{label.lower().replace(' ', '-')}")
    quads.append(ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(NKG + kind), graph))
    quads.append(ox.Quad(node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(label), graph))
    quads.append(ox.Quad(node, ox.NamedNode(NKG + "mentionCount"),
                         ox.Literal(str(mentions), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), graph))
    for alias in aliases:
        quads.append(ox.Quad(node, ox.NamedNode(NKG + "alias"), ox.Literal(alias), graph))
    if same_as:
        quads.append(ox.Quad(node, ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"), ox.NamedNode(same_as), graph))


def build_tiny_graph(store_dir: Path, curated_file: Path) -> None:
    quads: list = []
    _entity(quads, "Person", "Jordan", 5)
    _entity(quads, "Location", "Jordan", 3)
    _entity(quads, "Organisation", "Acme Relief Agency", 2)
    _entity(quads, "Location", "Port Vesper", 2, ["Vesper"])
    _entity(quads, "ReportingSource", "The Daily Lantern", 1, ["Daily Lantern"])
    _entity(quads, "Person", "Mara Quell", 1, ["Quell"])
    _entity(quads, "Person", "Nobody Atall", 1)
    _entity(quads, "Person", "Already Linked", 4, same_as="http://www.wikidata.org/entity/Q9900099")
    _entity(quads, "Event", "Some Event", 9)
    build = NewBuild(store_dir)
    build.write(quads)
    build.commit({"documents": 0, "curated_file": str(curated_file)})


@pytest.fixture(scope="module")
def standin():
    with WikidataStandin() as running:
        yield running


@pytest.fixture()
def corpus(tmp_path):
    curated_file = tmp_path / "entities.yaml"
    curated_file.write_text(CURATED, encoding="utf-8")
    store = tmp_path / "store"
    build_tiny_graph(store, curated_file)
    return store, curated_file


def link(standin_api: str, store: Path, *args: str):
    return run_kg("link", "--store", str(store), "--api", standin_api, "--rate", "0", "--date", "2026-11-26", *args)


def test_dry_run_proposes_scores_and_refuses_but_writes_nothing(standin, corpus):
    store, curated_file = corpus
    result = link(standin.api, store, "--dry-run")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    confident, uncertain = out.split("uncertain")[0], out.split("uncertain")[1].split("refused")[0]
    refused = out.split("refused")[1].split("no candidate")[0]
    assert 'Jordan (Person, 5 mentions) → Q9900001 "Jordan"' in confident and "instance of human (Q5)" in confident
    assert 'Jordan (Location, 3 mentions) → Q9900002' in confident
    assert "Port Vesper (Location, 2 mentions) → Q9900020" in confident and "via city (Q515)" in confident
    assert "The Daily Lantern (ReportingSource, 1 mention) → Q9900030" in confident
    assert "Acme Relief Agency" in uncertain and "Q9900011" in uncertain and "matches the name as well" in uncertain
    # the person and the same-named place: each refuses the other's item, with the reason
    assert 'Jordan (Person, 5 mentions) ✗ Q9900002 "Jordan"' in refused and "not a kind of Person" in refused
    assert 'Jordan (Location, 3 mentions) ✗ Q9900001 "Jordan"' in refused and "not a kind of Location" in refused
    assert 'Mara Quell (Person, 1 mention) ✗ Q9900040' in refused and "film (Q11424)" in refused
    assert "Nobody Atall" in out.split("no candidate")[1]
    assert "Already Linked" not in out and "Some Event" not in out
    assert "dry run: nothing written" in out
    assert curated_file.read_text(encoding="utf-8") == CURATED
    assert all(r["user_agent"].startswith("newskg/") for r in standin.api_requests)


def test_link_writes_confident_matches_for_review_and_caches(standin, corpus):
    store, curated_file = corpus
    result = link(standin.api, store)
    assert result.returncode == 0, result.stderr
    text = curated_file.read_text(encoding="utf-8")
    for line in CURATED.splitlines():
        assert line in text                                   # comments and entries kept as written
    entries = {(e.name, e.type): e for e in curated.load(curated_file).entities}
    person = entries["Jordan", "Person"]
    assert person.wikidata == "Q9900001" and person.note == "a person, not the country"
    assert person.extra["wikidata_checked"] == "2026-11-26 kg link (review)"
    assert 0.85 <= person.extra["wikidata_score"] <= 1
    assert entries["Port Vesper", "Location"].wikidata == "Q9900020"
    lantern = entries["The Daily Lantern", "ReportingSource"]
    assert lantern.wikidata == "Q9900030" and lantern.extra["wikidata_checked"].endswith("kg link (review)")
    assert not any(e.wikidata in ("Q9900002", "Q9900010", "Q9900011", "Q9900040") for e in entries.values())
    assert "is a Person, not a Location" in result.stdout          # the place Jordan: decide by hand
    # a second run asks the stand-in nothing: every answer comes from STORE/cache/wikidata
    asked = len(standin.api_requests)
    again = link(standin.api, store, "--dry-run")
    assert again.returncode == 0 and len(standin.api_requests) == asked
    assert "0 requests" in again.stderr and (store / "cache" / "wikidata").is_dir()


def test_offline_says_so_and_changes_nothing(corpus):
    store, curated_file = corpus
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = link(f"http://127.0.0.1:{port}/w/api.php", store)
    assert result.returncode == 1
    assert "Wikidata is not reachable" in result.stderr and "nothing was changed" in result.stderr
    assert curated_file.read_text(encoding="utf-8") == CURATED


def test_sync_queries_rewrites_only_the_item_list(tmp_path, corpus):
    store, _ = corpus
    folder = tmp_path / "queries"
    folder.mkdir()
    query = ("# title: People\n# wikidata-items: Person\nSELECT * WHERE {\n  SERVICE <https://query.wikidata.org/sparql> {\n"
             "    VALUES ?wikidata { wd:Q1 }\n    OPTIONAL { ?wikidata wdt:P569 ?birth }\n  }\n}\n")
    (folder / "wikidata-people.rq").write_text(query, encoding="utf-8")
    result = run_kg("link", "--store", str(store), "--sync-queries", str(folder))
    assert result.returncode == 0, result.stderr
    text = (folder / "wikidata-people.rq").read_text(encoding="utf-8")
    assert "wd:Q9900099" in text and "wd:Q1 " not in text
    assert text.replace("wd:Q9900099", "wd:Q1").split() == query.split()
