"""Federated queries through the real ``kg serve``, with Wikidata replaced by a local stand-in.

The server runs as users run it, with the service map sending ``SERVICE
<https://query.wikidata.org/sparql>`` to the stand-in SPARQL endpoint (pyoxigraph over a few
Wikidata-like triples). The canned queries are the shipped ``queries/wikidata-*.rq``, run
on the seed graph and its curated links. Nothing here reaches the network: hosts that are
not allowed are refused before any request, and the "network is down" cases use a closed
loopback port and a stand-in that never answers.
"""
from __future__ import annotations

import socket
import time

import pytest

from server_support import BROWSER_ACCEPT, copy_store, free_port, start_server
from wikidata_standin import WikidataStandin

WIKIDATA = "https://query.wikidata.org/sparql"
TIMEOUT = 3
STANDIN_TRIPLES = """
wd:Q1316 rdfs:label "Saddam Hussein"@en ; wdt:P569 "1937-04-28T00:00:00Z"^^xsd:dateTime ;
         wdt:P39 wd:Q9900501, wd:Q9900502 .
wd:Q9900501 rdfs:label "President of Iraq (stand-in)"@en .
wd:Q9900502 rdfs:label "Prime Minister of Iraq (stand-in)"@en .
wd:Q1530 rdfs:label "Baghdad"@en ; wdt:P625 "Point(44.4009 33.3406)"^^geo:wktLiteral ; wdt:P17 wd:Q796 ;
         wdt:P1082 "7000000"^^xsd:decimal .
wd:Q796 rdfs:label "Iraq"@en ; wdt:P625 "Point(44 33)"^^geo:wktLiteral .
wd:Q1065 wdt:P571 "1945-10-24T00:00:00Z"^^xsd:dateTime .
wd:Q9999999 wdt:P569 "1900-01-01T00:00:00Z"^^xsd:dateTime .
"""


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def standins():
    with WikidataStandin(sparql_turtle=STANDIN_TRIPLES) as wikidata, \
            WikidataStandin(sparql_turtle=STANDIN_TRIPLES) as outsider, \
            WikidataStandin(sparql_turtle=STANDIN_TRIPLES, hang=TIMEOUT + 5) as silent:
        yield wikidata, outsider, silent


@pytest.fixture(scope="module")
def down_url() -> str:
    return f"http://127.0.0.1:{_closed_port()}/sparql"


@pytest.fixture(scope="module")
def server(seeds_store, standins, down_url, tmp_path_factory):
    wikidata, _, silent = standins
    store = copy_store(seeds_store, tmp_path_factory.mktemp("federated") / "store")
    running = start_server(store, "--timeout", str(TIMEOUT), "--workers", "2",
                           "--service-allow", WIKIDATA, "--service-allow", wikidata.sparql,
                           "--service-allow", silent.sparql, "--service-allow", down_url,
                           "--service-map", f"{WIKIDATA}={wikidata.sparql}", port=free_port())
    yield running
    running.stop()


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def test_canned_places_query_answers_through_the_standin(server, standins):
    wikidata = standins[0]
    asked = len(wikidata.sparql_queries)
    places = {r["label"]: r for r in rows(server.get("/queries/wikidata-places"))}
    assert places["Baghdad"]["wikidata"] == "http://www.wikidata.org/entity/Q1530"
    assert places["Baghdad"]["coordinates"] == "Point(44.4009 33.3406)" and places["Baghdad"]["countryLabel"] == "Iraq"
    assert places["Iraq"]["coordinates"] == "Point(44 33)" and "coordinates" not in places["Iran"]
    sent = wikidata.sparql_queries[asked:]
    assert len(sent) == 1 and "<http://www.wikidata.org/entity/Q1530>" in sent[0]     # the items are named


def test_canned_people_query_gives_birth_dates_and_positions(server):
    people = rows(server.get("/queries/wikidata-people", headers={"Accept": "application/sparql-results+json"}))
    saddam = [r for r in people if r["label"] == "Saddam Hussein"]
    assert {r["positionLabel"] for r in saddam} == {"President of Iraq (stand-in)", "Prime Minister of Iraq (stand-in)"}
    assert {r["birth"] for r in saddam} == {"1937-04-28T00:00:00Z"} and saddam[0]["statements"].isdigit()
    assert not any(r["wikidata"].endswith("/Q9999999") for r in people)      # only the graph's people
    organisations = {r["label"]: r for r in rows(server.get("/queries/wikidata-organisations"))}
    assert organisations["United Nations"]["inception"] == "1945-10-24T00:00:00Z"


def test_entities_query_and_entity_pages_show_the_wikidata_link(server):
    entities = {r["label"]: r for r in rows(server.get("/queries/entities"))}
    assert entities["Baghdad"]["wikidata"] == "http://www.wikidata.org/entity/Q1530"
    assert entities["CNN"]["wikidata"] == "http://www.wikidata.org/entity/Q48340"
    page = server.get("/location/baghdad", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and 'href="http://www.wikidata.org/entity/Q1530"' in page.text


def test_service_outside_the_allow_list_is_refused_before_any_request(server, standins):
    outsider = standins[1]
    for target in (outsider.sparql, "http://127.0.0.1:9/sparql", "http://example.org/sparql"):
        r = server.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"})
        assert r.status_code == 403 and f"SERVICE <{target}> is not allowed" in r.text
    assert outsider.sparql_queries == [] and outsider.api_requests == []


def test_network_down_fails_with_a_clear_error_not_a_hang(server, down_url, standins):
    r = server.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{down_url}> {{ ?s ?p ?o }} }}"})
    assert r.status_code == 502 and "federated SERVICE call failed" in r.text
    started = time.monotonic()
    r = server.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{standins[2].sparql}> {{ ?s ?p ?o }} }}"})
    assert r.status_code == 503 and time.monotonic() - started < TIMEOUT + 4
