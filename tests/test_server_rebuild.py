"""``kg serve`` on a store that has no graph yet, with the server's own address as base IRI,
then a rebuild under the running server: it builds the seeds first, its IRIs resolve as
they are, and it switches to the new build without a restart."""
from __future__ import annotations

import time

import pytest
import rdflib
import requests

from conftest import SEED_FILES, run_kg
from server_support import BROWSER_ACCEPT, copy_store, free_port, start_server


@pytest.fixture(scope="module")
def fresh(seeds_store, tmp_path_factory):
    # Only the extraction cache is copied (so the first build is quick): there is no graph.
    store = copy_store(seeds_store, tmp_path_factory.mktemp("fresh") / "store", with_graph=False)
    assert not (store / "current").exists()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = start_server(store, "--base", base, port=port, wait=300)
    yield server, base
    server.stop()


def test_serve_builds_the_seeds_when_there_is_no_graph(fresh):
    server, base = fresh
    health = server.get("/health").json()
    assert health["documents"] == len(SEED_FILES) and health["base"] == base
    assert (server.store / "current" / "oxigraph").is_dir()
    assert "no graph in" in server.log.read_text()


def test_minted_iris_resolve_when_the_base_is_the_server(fresh):
    server, base = fresh
    rows = server.select("SELECT ?e WHERE { ?e a nkg:Person ; rdfs:label 'Mojgan Parsaii' }")
    iri = rows[0]["e"]
    assert iri.startswith(base)
    turtle = requests.get(iri, headers={"Accept": "text/turtle"}, timeout=30)       # the IRI itself
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef(iri), rdflib.RDFS.label, rdflib.Literal("Mojgan Parsaii")) in graph
    page = requests.get(iri, headers={"Accept": BROWSER_ACCEPT}, timeout=30)
    assert page.headers["Content-Type"].startswith("text/html") and "Mojgan Parsaii" in page.text
    # links on pages stay on the server, as paths of the minted IRIs
    assert 'href="/document/' in page.text


def test_a_rebuild_is_served_without_restart(fresh):
    server, base = fresh
    before = server.get("/health").json()
    dropped = server.select("SELECT ?d WHERE { ?d nkg:fileName '004_366b480554e5de28.txt' }")[0]["d"]
    assert requests.get(dropped, headers={"Accept": "text/turtle"}, timeout=30).status_code == 200
    run_kg("build", str(SEED_FILES[0]), str(SEED_FILES[1]), "--store", str(server.store), "--base", base, check=True)
    deadline = time.monotonic() + 10
    while server.get("/health").json()["build"] == before["build"] and time.monotonic() < deadline:
        time.sleep(0.1)
    after = server.get("/health").json()
    assert after["build"] != before["build"] and after["documents"] == 2
    assert after["worker_build"] == after["build"]          # the workers reopened the new build
    assert server.select("SELECT (COUNT(*) AS ?n) WHERE { ?d a nkg:Document }")[0]["n"] == "2"
    assert requests.get(dropped, headers={"Accept": "text/turtle"}, timeout=30).status_code == 404
    assert server.get("/queries/documents").json()["results"]["bindings"][1]["file"]["value"] == SEED_FILES[1].name
    nq = server.get("/dump.nq")
    assert nq.status_code == 200 and "004_366b480554e5de28" not in nq.text and after["build"] in \
        nq.headers["Content-Disposition"]
