"""The Wikidata parts on their own: the polite API client (User-Agent, retries, Retry-After,
cache, offline), name scores, the curated-file editor, the SERVICE map, and the links the
seed corpus ships with. Everything talks to the local stand-in; nothing touches the network."""
from __future__ import annotations

import re
import socket

import pytest
import yaml

from conftest import ROOT
from kg import curated
from kg.server.federation import (ServiceRefused, install_service_map, rewrite_services, service_map)
from kg.wikidata.api import ApiError, Client, Unreachable
from kg.wikidata.classes import TypeMap
from kg.wikidata.curated_file import CuratedEditError, Link, write_links
from kg.wikidata.queries import items_of, kinds_of
from kg.wikidata.reconcile import Entity, name_score
from wikidata_standin import WikidataStandin

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"


@pytest.fixture(scope="module")
def standin():
    with WikidataStandin() as running:
        yield running


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]          # nothing listens once the socket is closed


# ------------------------------------------------------------------ the API client

def test_client_sends_a_descriptive_user_agent_and_uses_its_cache(standin, tmp_path):
    client = Client(standin.api, cache_dir=tmp_path, rate=0)
    before = len(standin.api_requests)
    hits = client.search("Jordan")
    assert {h["id"] for h in hits} == {"Q9900001", "Q9900002"}
    assert client.claims("Q9900001", "P31") == ["Q5"]
    sent = standin.api_requests[before:]
    assert len(sent) == 2 and all(r["user_agent"].startswith("newskg/") and "kg-link" in r["user_agent"] for r in sent)
    assert all(r["params"]["maxlag"] == "5" and r["params"]["format"] == "json" for r in sent)
    again = Client(standin.api, cache_dir=tmp_path, rate=0)      # a later run: answers come from disk
    assert again.search("Jordan") == hits and again.claims("Q9900001", "P31") == ["Q5"]
    assert again.requests == 0 and again.cache_hits == 2 and len(standin.api_requests) == before + 2


def test_client_retries_429_and_5xx_honouring_retry_after(standin):
    waits = []
    client = Client(standin.api, rate=0, backoff=0.5, sleep=waits.append)
    standin.fail_next[:] = [(429, {"Retry-After": "3"}), (503, {}), (502, {"Retry-After": "0"})]
    assert client.entities(["Q9900020"])["Q9900020"]["labels"]["en"]["value"] == "Port Vesper"
    assert waits == [3.0, 1.0, 0.0] and client.requests == 4     # Retry-After, else 0.5 × 2^attempt
    standin.fail_next[:] = [(503, {})] * 5
    with pytest.raises(ApiError, match="503"):
        Client(standin.api, rate=0, retries=2, backoff=0, sleep=lambda s: None).search("Jordan")
    standin.fail_next.clear()


def test_client_keeps_to_its_rate():
    waits, client = [], Client("http://127.0.0.1:1/", rate=2, sleep=None)
    client.sleep = waits.append
    client._wait_turn()
    client._wait_turn()
    assert len(waits) == 1 and 0.4 < waits[0] <= 0.5          # two requests a second at most


def test_client_offline_says_unreachable(tmp_path):
    client = Client(f"http://127.0.0.1:{closed_port()}/w/api.php", cache_dir=tmp_path, rate=0)
    with pytest.raises(Unreachable):
        client.search("Jordan")


# ------------------------------------------------------------------ scores and types

def test_name_scores():
    person = Entity("x", "Saddam Hussein", "Person", ["Saddam"])
    assert name_score(person, "Saddam Hussein", [])[0] == 1.0
    assert name_score(person, "saddam hussein", [])[0] == 0.95
    assert name_score(Entity("x", "Britain", "Location", ["UK"]), "United Kingdom", ["UK", "Britain"])[0] == 0.9
    assert name_score(Entity("x", "Red Cross Committee", "Organisation", ["ICRC"]), "ICRC", ["ICRC"])[0] == 0.7
    assert name_score(person, "Hussein Kamel", [])[0] < 0.5


def test_type_map_is_data_and_climbs_subclasses(standin):
    types = TypeMap.load()
    assert types.types["Person"] == {"Q5": "human"} and "Q6256" in types.types["Location"]
    assert "Event" not in types.kinds
    client = Client(standin.api, rate=0)
    assert types.check(client, "Person", "Q9900001").compatible
    refused = types.check(client, "Person", "Q9900002", lambda qids: {"Q6256": "country"})
    assert not refused.compatible and "country (Q6256)" in refused.reason
    climbed = types.check(client, "Location", "Q9900020")            # port city → city
    assert climbed.compatible and "city (Q515)" in climbed.reason


# ------------------------------------------------------------------ the curated file, as text

CURATED = """\
# Comments at the top stay.
entities:
  - name: Jordan          # the basketball player
    type: Person
    aliases: [J. Avery,
              Jordan Avery]
    note: not the country

  # a comment between entries stays
  - name: "Port Vesper"
    type: Location
    wikidata: Q9900020
"""


def test_write_links_edits_entries_and_appends_keeping_comments(tmp_path):
    path = tmp_path / "entities.yaml"
    path.write_text(CURATED, encoding="utf-8")
    done = write_links(path, [Link("Jordan", "Person", [], "Q9900001", 0.921),
                              Link("Port Vesper", "Location", [], "Q9900099", 0.9),
                              Link("The Daily Lantern: Evening", "ReportingSource", [], "Q9900030", 0.88),
                              Link("Jordan", "Location", [], "Q9900002", 1.0)], "2026-11-26 kg link (review)")
    text = path.read_text(encoding="utf-8")
    for line in CURATED.splitlines():
        assert line in text                                      # nothing removed or rewritten
    assert "    note: not the country\n    wikidata: Q9900001\n    wikidata_score: 0.92\n" in text
    assert 'wikidata_checked: "2026-11-26 kg link (review)"' in text
    entries = {(e.name, e.type): e for e in curated.load(path).entities}
    assert entries["Jordan", "Person"].wikidata == "Q9900001"
    assert entries["Jordan", "Person"].aliases == ["J. Avery", "Jordan Avery"]
    assert entries["Port Vesper", "Location"].wikidata == "Q9900020"            # a person's link is kept
    assert entries["The Daily Lantern: Evening", "ReportingSource"].wikidata == "Q9900030"
    assert entries["The Daily Lantern: Evening", "ReportingSource"].extra["wikidata_score"] == 0.88
    assert ("Jordan", "Location") not in entries                 # a same-named entry of another type
    assert any("is a Person, not a Location" in line for line in done)
    assert any("already links Q9900020" in line for line in done)


def test_write_links_refuses_what_it_cannot_edit_safely(tmp_path):
    path = tmp_path / "entities.yaml"
    odd = "entities:\n  - type: Person\n    name: Jordan\n"           # entry not starting with name:
    path.write_text(odd, encoding="utf-8")
    with pytest.raises(CuratedEditError):
        write_links(path, [Link("Jordan", "Person", [], "Q9900001", 0.9)], "today")
    assert path.read_text(encoding="utf-8") == odd
    fresh = tmp_path / "new.yaml"                                  # no file yet: one is started
    write_links(fresh, [Link("Jordan", "Person", [], "Q9900001", 0.9)], "today")
    assert curated.load(fresh).entities[0].wikidata == "Q9900001"


# ------------------------------------------------------------------ SERVICE map

def test_service_map_parsing_and_rewriting():
    assert service_map(None, {}) == {}
    mapping = service_map(None, {"KG_SERVICE_MAP": f"{WIKIDATA_SPARQL}/=http://127.0.0.1:8/sparql"})
    assert mapping == {WIKIDATA_SPARQL: "http://127.0.0.1:8/sparql"}
    with pytest.raises(ValueError):
        service_map(["not-a-pair"], {})
    query = ('PREFIX wdq: <https://query.wikidata.org/> SELECT * WHERE { # SERVICE <https://query.wikidata.org/sparql>\n'
             ' BIND("SERVICE <https://query.wikidata.org/sparql>" AS ?x) SERVICE SILENT wdq:sparql { ?s ?p ?o }'
             ' SERVICE <https://query.wikidata.org/sparql> { } SERVICE <http://other.example/sparql> { } }')
    out = rewrite_services(query, mapping)
    assert out.count("<http://127.0.0.1:8/sparql>") == 2
    assert '# SERVICE <https://query.wikidata.org/sparql>' in out and '"SERVICE <https://query.wikidata.org/sparql>"' in out
    assert "SERVICE <http://other.example/sparql>" in out


def test_install_service_map_checks_as_written_then_rewrites():
    class Engine:
        class settings:
            services = (WIKIDATA_SPARQL, "http://127.0.0.1:8/sparql")

        def __init__(self):
            self.seen = []

        def query(self, text, **kwargs):
            self.seen.append(text)
            return "ran"

    engine = Engine()
    install_service_map(engine, {WIKIDATA_SPARQL: "http://127.0.0.1:8/sparql"})
    assert engine.query(f"SELECT * WHERE {{ SERVICE <{WIKIDATA_SPARQL}> {{ }} }}") == "ran"
    assert engine.seen == ["SELECT * WHERE { SERVICE <http://127.0.0.1:8/sparql> { } }"]
    with pytest.raises(ServiceRefused):
        engine.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { } }")
    assert len(engine.seen) == 1
    with pytest.raises(ValueError, match="not on the allow-list"):
        install_service_map(Engine(), {WIKIDATA_SPARQL: "http://127.0.0.1:9999/sparql"})


# ------------------------------------------------------------------ the links the seeds ship with

def test_seed_links_are_checked_and_listed():
    path = ROOT / "seeds" / "entities.yaml"
    entries = [e for e in curated.load(path).entities if e.wikidata]
    assert len(entries) >= 25
    gold = (ROOT / "tests" / "gold" / "wikidata-checks.md").read_text(encoding="utf-8")
    for entry in entries:
        checked = str(entry.extra.get("wikidata_checked", ""))
        assert re.match(r"\d{4}-\d{2}-\d{2}: two sources: ", checked), entry.name
        assert re.search(rf"^\| {re.escape(entry.name)} \| {entry.wikidata} \|", gold, re.MULTILINE), entry.name
    assert len({e.wikidata for e in entries}) == len(entries)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert all("wikidata_score" not in e for e in raw["entities"] if "kg link" not in str(e.get("wikidata_checked")))


def test_federated_queries_name_the_seed_links(seeds_store):
    """The VALUES lists inside SERVICE follow the graph (kg link --sync-queries)."""
    from kg.store import open_read_only
    from kg.wikidata.queries import linked_items

    store = open_read_only(seeds_store)
    files = sorted((ROOT / "queries").glob("wikidata-*.rq"))
    assert len(files) >= 2
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "# network: wikidata" in text and f"SERVICE <{WIKIDATA_SPARQL}>" in text
        expected = sorted({q for kind in kinds_of(text) for q in linked_items(store, kind)})
        assert sorted(items_of(text)) == expected, f"{path.name}: run 'kg link --sync-queries'"
