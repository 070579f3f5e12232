"""``kg serve`` over real HTTP: the SPARQL 1.1 Protocol, canned queries, dumps, VoID, pages.

One server for the module: the seeds (with curated knowledge) built once by conftest, copied
to a private store, served by ``python -m kg serve`` on a free loopback port with a short
time limit and a small row limit so that both can be hit. Clients are the ones users have:
SPARQLWrapper, rdflib's SPARQLStore, curl, requests.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import threading
import time
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from conftest import SEED_FILES
from server_support import BROWSER_ACCEPT, NKG, PREFIXES, copy_store, free_port, start_server

TIMEOUT = 4
MAX_ROWS = 20_000
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"     # 5,000³ rows: never ends
CANNED = {
    "documents": ["document", "file", "title", "publisher", "publisherLabel", "originalPublisher",
                  "originalPublisherLabel", "author", "date"],
    "entities": ["entity", "label", "type", "wikidata"],
    "mentions": ["document", "file", "entity", "label", "type"],
    "statements": ["statement", "text", "speaker", "speakerLabel", "document", "file", "date"],
    "roles": ["person", "personLabel", "role", "organisation", "organisationLabel"],
    "events": ["event", "label", "date", "place", "placeLabel"],
    "statements-by": ["statement", "text", "speakerLabel", "document", "file", "date"],
    "top-speakers": ["speaker", "speakerLabel", "statements"],
    "statement-sources": ["statement", "text", "outlet", "outletLabel", "articles"],
    "about-organisation": ["statement", "text", "speakerLabel", "relation"],
    "appears-with": ["entity", "other", "otherLabel", "documents"],
    "mentioned-in": ["entity", "document", "file", "mentions"],
}


@pytest.fixture(scope="module")
def server(seeds_store, tmp_path_factory):
    store = copy_store(seeds_store, tmp_path_factory.mktemp("served") / "store")
    port = free_port()
    running = start_server(store, "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), "--workers", "2",
                           "--service-allow", f"http://127.0.0.1:{port}/sparql", port=port)
    yield running
    running.stop()


def sparql(server, query: str, accept: str = "application/sparql-results+json", method: str = "GET",
           **params) -> requests.Response:
    if method == "GET":
        return server.get("/sparql", params={"query": query, **params}, headers={"Accept": accept})
    return server.post("/sparql", data={"query": query, **params}, headers={"Accept": accept})


def total_triples(server) -> int:
    return int(server.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")[0]["n"])


# ------------------------------------------------------------------ clients users have

def test_health_reports_the_build_and_live_workers(server):
    health = server.get("/health").json()
    assert health["status"] == "ok" and health["documents"] == 5
    assert health["workers"] == 2 and health["worker_build"] == health["build"]
    assert (server.store / "builds" / health["build"]).is_dir()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json_xml_csv(server, method):
    query = PREFIXES + "SELECT ?name WHERE { ?p a nkg:Person ; rdfs:label ?name } ORDER BY ?name"
    client = SPARQLWrapper(server.sparql)
    if method == "POST":
        client.setMethod(POST)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    names = [b["name"]["value"] for b in client.query().convert()["results"]["bindings"]]
    assert "Mojgan Parsaii" in names and len(names) > 10
    client.setReturnFormat(XML)
    doc = client.query().convert()       # an xml.dom document
    values = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert values == names
    client.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(client.query().convert().decode("utf-8"))))
    assert rows[0] == ["name"] and [r[0] for r in rows[1:]] == names


def test_sparqlwrapper_construct_as_turtle(server):
    client = SPARQLWrapper(server.sparql)
    client.setQuery(PREFIXES + "CONSTRUCT { ?p rdfs:label ?n } WHERE { ?p a nkg:Person ; rdfs:label ?n }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert (None, rdflib.RDFS.label, rdflib.Literal("Mojgan Parsaii")) in graph
    assert len(graph) == len(server.select("SELECT ?p WHERE { ?p a nkg:Person ; rdfs:label ?n }"))


def test_sparqlwrapper_bad_query_raises_with_parser_message(server):
    client = SPARQLWrapper(server.sparql)
    client.setQuery("SELECT * WHERE { ?s ?p }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed) as info:
        client.query()
    assert "error at 1:" in str(info.value)


def test_rdflib_sparqlstore(server):
    graph = rdflib.Graph(SPARQLStore(server.sparql, returnFormat="xml"))
    rows = list(graph.query(PREFIXES + "SELECT ?text WHERE { ?s nkg:speaker/rdfs:label 'Mojgan Parsaii' ; nkg:text ?text }"))
    assert rows and all(isinstance(r[0], rdflib.Literal) for r in rows)
    assert bool(graph.query("ASK { ?s ?p ?o }").askAnswer) is True


def test_curl_get_post_and_compressed(server):
    query = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?d a nkg:Document }"
    out = subprocess.run(["curl", "-sS", "-G", server.sparql, "--data-urlencode", f"query={query}"],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out)["results"]["bindings"][0]["n"]["value"] == "5"       # curl's */* gets JSON
    out = subprocess.run(["curl", "-sS", "-X", "POST", server.sparql, "-H", "Content-Type: application/sparql-query",
                          "-H", "Accept: text/csv", "--data-binary", query], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["n", "5"]
    out = subprocess.run(["curl", "-sS", "--compressed", "-D", "-", "-G", server.sparql, "-H", "Accept: text/tab-separated-values",
                          "--data-urlencode", "query=SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 500"],
                         capture_output=True, check=True).stdout.decode("utf-8")
    headers, _, body = out.partition("\r\n\r\n")
    assert "content-encoding: gzip" in headers.lower()
    assert body.splitlines()[0] == "?s\t?p\t?o" and len(body.splitlines()) == 501


def test_oxigraph_answers_not_rdflib(server):
    # LATERAL is an Oxigraph extension rdflib's engine cannot parse, and the error is Oxigraph's.
    rows = server.select("SELECT ?p ?name WHERE { ?p a nkg:Person LATERAL { SELECT ?name WHERE { ?p rdfs:label ?name } LIMIT 1 } } LIMIT 3")
    assert len(rows) == 3 and all(r["name"] for r in rows)
    response = sparql(server, "SELECT * WHERE { ?s ?p }")
    assert response.status_code == 400 and "error at 1:25" in response.text


# ------------------------------------------------------------------ formats and negotiation

def test_select_in_every_results_format(server):
    query = PREFIXES + "SELECT ?p ?name WHERE { ?p a nkg:Person ; rdfs:label ?name } ORDER BY ?name"
    expected = [r["name"] for r in server.select(query[len(PREFIXES):])]
    r = sparql(server, query, "application/sparql-results+xml")
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")
    ns = "{http://www.w3.org/2005/sparql-results#}"
    names = [b.find(f"{ns}literal").text for b in ET.fromstring(r.content).iter(f"{ns}binding") if b.get("name") == "name"]
    assert names == expected
    r = sparql(server, query, "text/csv")
    assert r.headers["Content-Type"].startswith("text/csv")
    assert [row["name"] for row in csv.DictReader(io.StringIO(r.text))] == expected
    r = sparql(server, query, "text/tab-separated-values")
    lines = r.text.splitlines()
    assert lines[0] == "?p\t?name" and [line.split("\t")[1] for line in lines[1:]] == [f'"{n}"' for n in expected]
    parsed = ox.parse_query_results(r.content, ox.QueryResultsFormat.TSV)
    assert [s["name"].value for s in parsed] == expected


@pytest.mark.parametrize("accept,parser", [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/n-quads", ox.RdfFormat.N_QUADS), ("application/trig", ox.RdfFormat.TRIG),
    ("application/ld+json", ox.RdfFormat.JSON_LD), ("application/rdf+xml", ox.RdfFormat.RDF_XML)])
def test_construct_in_every_graph_format(server, accept, parser):
    query = PREFIXES + "CONSTRUCT { ?s nkg:speaker ?o } WHERE { ?s nkg:speaker ?o }"
    response = sparql(server, query, accept)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(accept)
    parsed = list(ox.parse(response.content, parser))
    statements = server.select("SELECT DISTINCT ?s ?o WHERE { ?s nkg:speaker ?o }")
    assert len(parsed) == len(statements) > 20


def test_describe_returns_the_resource(server):
    response = sparql(server, "DESCRIBE <http://localhost:5000/person/mojgan-parsaii>", "text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert (rdflib.URIRef("http://localhost:5000/person/mojgan-parsaii"), rdflib.RDFS.label,
            rdflib.Literal("Mojgan Parsaii")) in graph


def test_accept_q_values_and_format_override(server):
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    r = sparql(server, query, "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1")
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")
    r = sparql(server, query, "text/*;q=0.2, text/tab-separated-values;q=0.8, application/json;q=0.5")
    assert r.headers["Content-Type"].startswith("text/tab-separated-values")
    r = sparql(server, query, "application/sparql-results+xml", format="csv")
    assert r.headers["Content-Type"].startswith("text/csv") and r.text.startswith("s\r\n")
    r = sparql(server, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/turtle", format="json")   # SPARQLWrapper style
    assert r.headers["Content-Type"].startswith("application/ld+json") and json.loads(r.text)
    r = sparql(server, query, "image/png")
    assert r.status_code == 406 and "application/sparql-results+json" in r.text
    r = sparql(server, query, format="yaml")
    assert r.status_code == 406 and "unknown format" in r.text
    r = sparql(server, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-results+json")
    assert r.status_code == 406 and "text/turtle" in r.text


# ------------------------------------------------------------------ what is refused, and why

def test_malformed_and_bad_requests_get_400_with_the_reason(server):
    r = sparql(server, "SELEKT * WHERE { ?s ?p ?o }")
    assert r.status_code == 400 and r.text.startswith("malformed query: error at 1:1")
    r = server.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert r.status_code == 400 and "2 'query' parameters" in r.text
    r = server.post("/sparql", data={"default-graph-uri": "urn:x"})
    assert r.status_code == 400 and "missing 'query'" in r.text
    r = server.get("/sparql", params={"named-graph-uri": "urn:x"})
    assert r.status_code == 400 and "missing 'query'" in r.text
    r = server.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert r.status_code == 400 and "not both" in r.text
    r = server.get("/sparql", params={"query": "  "})
    assert r.status_code == 400 and "empty" in r.text
    r = sparql(server, "ASK {}", **{"default-graph-uri": "not an iri"})
    assert r.status_code == 400 and "not an absolute IRI" in r.text
    r = server.post("/sparql", data="ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and "application/sparql-query" in r.text
    r = server.post("/sparql", data="ASK {} #" + "x" * 1_100_000, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_updates_are_refused_and_change_nothing(server):
    before = total_triples(server)
    insert = "INSERT DATA { <urn:kg:test> <urn:kg:p> 'changed' }"
    attempts = [
        server.get("/sparql", params={"update": insert}),
        server.post("/sparql", data={"update": insert}),
        server.post("/sparql", data=insert, headers={"Content-Type": "application/sparql-update"}),
        server.post("/sparql", data={"query": insert}),
        server.post("/sparql", data="PREFIX x: <urn:x#> " + insert, headers={"Content-Type": "application/sparql-query"}),
        server.post("/sparql", data={"update": "DROP ALL"}),
        server.post("/sparql", data={"update": "LOAD <http://127.0.0.1:1/evil.ttl>"}),
    ]
    for response in attempts:
        assert response.status_code == 403, response.text
        assert "read-only" in response.text
    assert total_triples(server) == before
    r = sparql(server, "ASK { <urn:kg:test> ?p ?o }")
    assert r.json()["boolean"] is False


def test_federation_is_limited_to_the_allow_list(server):
    person = "SELECT ?p WHERE { ?p a <https://w3id.org/newskg/ns#Person> } LIMIT 2"
    allowed = sparql(server, f"SELECT * WHERE {{ SERVICE <{server.sparql}> {{ {person} }} }}")
    assert allowed.status_code == 200 and len(allowed.json()["results"]["bindings"]) == 2
    refused = [
        "SELECT * WHERE { SERVICE <http://169.254.169.254/latest/meta-data> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <https://example.org/sparql> { ?s ?p ?o } }",
        "PREFIX ex: <https://example.org/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { VALUES ?e { <https://example.org/sparql> } SERVICE ?e { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o . service <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
    ]
    for query in refused:
        response = sparql(server, query)
        assert response.status_code == 403, query
        assert "SERVICE" in response.text
    # a query that only *mentions* SERVICE in a string, variable or IRI calls nothing
    r = sparql(server, "SELECT ?service WHERE { BIND('SERVICE <http://x/>' AS ?service) FILTER(?service != <urn:SERVICE>) }")
    assert r.status_code == 200


def test_timeout_stops_the_query_and_other_queries_go_on(server):
    result = {}

    def slow():
        started = time.monotonic()
        result["response"] = sparql(server, SLOW)
        result["finished"] = time.monotonic()
        result["seconds"] = result["finished"] - started

    before = server.get("/health").json()["timeouts"]
    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    assert server.select("SELECT (COUNT(*) AS ?n) WHERE { ?d a nkg:Document }")[0]["n"] == "5"
    fast_finished = time.monotonic()
    thread.join(60)
    assert fast_finished < result["finished"]        # the other worker answered while one was busy
    response = result["response"]
    assert response.status_code == 503
    assert f"time limit of {TIMEOUT:g} s" in response.text and "stopped" in response.text
    assert TIMEOUT - 0.5 <= result["seconds"] < TIMEOUT + 10
    # The killed worker is replaced in the background (a new process opens the store): wait for it.
    deadline = time.monotonic() + 20
    while (health := server.get("/health").json())["workers"] < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert health["timeouts"] == before + 1 and health["workers"] == 2      # the killed worker was replaced
    assert sparql(server, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_many_concurrent_requests(server):
    query = PREFIXES + "SELECT ?p ?n WHERE { ?p a nkg:Person ; rdfs:label ?n }"
    expected = sparql(server, query).json()

    def fetch(i):
        return sparql(server, query, method="POST" if i % 2 else "GET").json()

    threads, results = [], [None] * 16
    for i in range(16):
        threads.append(threading.Thread(target=lambda i=i: results.__setitem__(i, fetch(i))))
        threads[-1].start()
    for thread in threads:
        thread.join(60)
    assert all(r == expected for r in results)


def test_row_limit_is_announced_never_silent(server):
    query = "SELECT * WHERE { ?s ?p ?o . VALUES ?x { 1 2 3 4 5 } }"       # ~28,000 rows > 20,000
    r = sparql(server, query, "text/tab-separated-values")
    assert r.headers["X-SPARQL-MaxRows"] == str(MAX_ROWS)
    assert len(r.text.splitlines()) == MAX_ROWS + 1 and r.headers["X-KG-Rows"] == str(MAX_ROWS)
    r = sparql(server, query)
    assert len(r.json()["results"]["bindings"]) == MAX_ROWS and "X-SPARQL-MaxRows" in r.headers
    r = sparql(server, "CONSTRUCT { ?s ?p ?x } WHERE { ?s ?p ?o . VALUES ?x { 1 2 3 4 5 } }", "application/n-triples")
    assert len(r.text.splitlines()) == MAX_ROWS and r.headers["X-SPARQL-MaxRows"] == str(MAX_ROWS)
    r = sparql(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 100")
    assert "X-SPARQL-MaxRows" not in r.headers and r.headers["X-KG-Rows"] == "100"
    page = sparql(server, "SELECT * WHERE { ?s ?p ?o }", BROWSER_ACCEPT)
    assert page.headers["Content-Type"].startswith("text/html")
    assert 'id="truncated"' in page.text and "Only the first 1000 rows" in page.text


def test_server_timing_on_query_responses(server):
    r = sparql(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    timing = {part.split(";")[0].strip(): part for part in r.headers["Server-Timing"].split(",")}
    assert set(timing) == {"wait", "query", "total"}
    durations = {k: float(v.split("dur=")[1].split(";")[0]) for k, v in timing.items()}
    assert 0 <= durations["query"] <= durations["total"]


# ------------------------------------------------------------------ datasets

def test_dataset_parameters_and_from_clauses(server):
    ontology = "https://w3id.org/newskg/ns"
    in_ontology = int(server.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ontology}> {{ ?s ?p ?o }} }}")[0]["n"])
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = sparql(server, count, **{"default-graph-uri": ontology})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == in_ontology
    r = sparql(server, f"SELECT (COUNT(*) AS ?n) FROM <{ontology}> WHERE {{ ?s ?p ?o }}")
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == in_ontology       # FROM is not overridden
    r = sparql(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": ontology})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [ontology]
    union = int(server.select(count)[0]["n"])
    assert union > in_ontology


# ------------------------------------------------------------------ service description, VoID, CORS, gzip

def test_service_description_and_query_page(server):
    r = server.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=r.text, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoint = rdflib.URIRef(server.sparql)
    assert (endpoint, rdflib.RDF.type, SD.Service) in graph
    assert (endpoint, SD.endpoint, endpoint) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (endpoint, SD.feature, SD.UnionDefaultGraph) in graph
    names = set(graph.objects(None, SD.name))
    assert rdflib.URIRef("http://localhost:5000/graph/knowledge") in names and len(names) == 7
    page = server.get("/sparql", headers={"Accept": BROWSER_ACCEPT})
    assert page.headers["Content-Type"].startswith("text/html") and "<textarea" in page.text
    assert server.get("/sparql", headers={"Accept": "application/sparql-results+json"}).status_code == 400


def test_void_description(server):
    r = server.get("/.well-known/void")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=r.text, format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = rdflib.URIRef(server.url + "/.well-known/void#dataset")
    assert (dataset, rdflib.RDF.type, VOID.Dataset) in graph
    assert int(graph.value(dataset, VOID.triples)) == total_triples(server)
    assert (dataset, VOID.sparqlEndpoint, rdflib.URIRef(server.sparql)) in graph
    assert rdflib.URIRef(server.url + "/dump.nq") in set(graph.objects(dataset, VOID.dataDump))
    assert rdflib.URIRef(NKG) in set(graph.objects(dataset, VOID.vocabulary))
    partitions = {graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
                  for p in graph.objects(dataset, VOID.classPartition)}
    people = len(server.select("SELECT ?p WHERE { ?p a nkg:Person }"))
    assert partitions[rdflib.URIRef(NKG + "Person")] == people
    assert partitions[rdflib.URIRef(NKG + "Document")] == 5
    jsonld = server.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert len(list(ox.parse(jsonld.content, ox.RdfFormat.JSON_LD))) == len(graph)


def test_cors_on_every_response_and_preflight(server):
    for response in (sparql(server, "ASK {}"), sparql(server, "ASK {"), server.get("/"), server.get("/dump.nq"),
                     server.get("/nothing/here"), server.get("/queries")):
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(server.sparql, headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"}, timeout=10)
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "Server-Timing" in sparql(server, "ASK {}").headers["Access-Control-Expose-Headers"]


def test_gzip_when_accepted(server):
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 300"
    plain = requests.get(server.sparql, params={"query": query}, headers={"Accept-Encoding": "identity"}, timeout=30)
    assert "Content-Encoding" not in plain.headers
    raw = requests.get(server.sparql, params={"query": query}, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
    assert raw.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in raw.headers["Vary"]
    assert gzip.decompress(raw.raw.read()) == plain.content
    page = requests.get(server.url + "/person/mojgan-parsaii", headers={"Accept": BROWSER_ACCEPT,
                                                                       "Accept-Encoding": "gzip"}, timeout=30)
    assert page.headers["Content-Encoding"] == "gzip" and "Mojgan Parsaii" in page.text


# ------------------------------------------------------------------ canned queries

@pytest.mark.parametrize("name", sorted(CANNED))
def test_canned_query_returns_rows(server, name):
    r = server.get(f"/queries/{name}", headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert set(CANNED[name]) <= set(data["head"]["vars"])
    assert data["results"]["bindings"], f"{name} returned no rows"


def test_every_listed_canned_query_runs_in_csv(server):
    listing = server.get("/queries").json()
    assert set(CANNED) <= {q["name"] for q in listing}
    for query in listing:
        if query["network"]:      # federated (Wikidata): tested with a stand-in in test_wikidata_federation
            continue
        if "\n# network:" in query["sparql"]:
            continue        # federated (queries/wikidata-*.rq): tested with a stand-in in test_wikidata_federation.py
        r = server.get(f"/queries/{query['name']}", params={"format": "csv"})
        assert r.status_code == 200, (query["name"], r.text)
        assert len(list(csv.reader(io.StringIO(r.text)))) > 1, query["name"]
        assert query["title"] and query["sparql"].lstrip().startswith("#")


def test_canned_documents_and_entities_shapes(server):
    docs = server.get("/queries/documents").json()["results"]["bindings"]
    assert len(docs) == 5 and len({d["document"]["value"] for d in docs}) == 5
    assert sorted(d["file"]["value"] for d in docs) == [p.name for p in SEED_FILES]
    entities = server.get("/queries/entities").json()["results"]["bindings"]
    types = {e["type"]["value"].rsplit("#", 1)[1] for e in entities}
    assert types <= {"Person", "Organisation", "Location", "Event", "ReportingSource"} and "Person" in types
    for e in entities:
        if "wikidata" in e:
            assert e["wikidata"]["value"].startswith("http://www.wikidata.org/entity/Q")


def test_canned_parameters_are_bound_not_pasted(server):
    def run(**params):
        r = server.get("/queries/statements-by", params=params)
        assert r.status_code == 200, r.text
        return {b["statement"]["value"] for b in r.json()["results"]["bindings"]}

    by_default = run()
    assert by_default and by_default == run(speaker="mojgan PARSAII") == run(speaker="Parsaii")
    assert run(speaker="http://localhost:5000/person/mojgan-parsaii") == by_default
    assert run(speaker=server.url + "/person/mojgan-parsaii") == by_default     # pasted from the address bar
    injected = 'x")) } UNION { ?statement ?p ?o } #'
    assert run(speaker=injected) == set()
    r = server.get("/queries/statements-by", params={"speeker": "x"})
    assert r.status_code == 400 and "unknown parameter speeker" in r.text
    assert server.get("/queries/no-such-query").status_code == 404
    source = server.get("/queries/statements-by.rq")
    assert source.headers["Content-Type"].startswith("application/sparql-query") and "?speaker" in source.text


def test_canned_queries_in_the_browser_and_as_tables(server):
    listing = server.get("/queries", headers={"Accept": BROWSER_ACCEPT})
    assert listing.headers["Content-Type"].startswith("text/html") and "Statements by one speaker" in listing.text
    page = server.get("/queries/roles", headers={"Accept": BROWSER_ACCEPT})
    assert "<table>" in page.text and "personLabel" in page.text


# ------------------------------------------------------------------ dumps

def test_nquads_dump_holds_exactly_the_served_graph(server):
    r = server.get("/dump.nq")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/n-quads")
    assert "attachment" in r.headers["Content-Disposition"] and ".nq" in r.headers["Content-Disposition"]
    fresh = ox.Store()
    fresh.load(r.content, ox.RdfFormat.N_QUADS)
    dumped = {str(q) for q in fresh}
    served = sparql(server, "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "text/tab-separated-values")
    assert "X-SPARQL-MaxRows" not in served.headers
    served_quads = {str(ox.Quad(s["s"], s["p"], s["o"], s["g"]))
                    for s in ox.parse_query_results(served.content, ox.QueryResultsFormat.TSV)}
    assert dumped == served_quads and len(dumped) > 5000
    union = sparql(server, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "application/n-triples")
    served_triples = {str(t) for t in ox.parse(union.content, ox.RdfFormat.N_TRIPLES)}
    dumped_triples = {str(t) for t in ox.parse(server.get("/dump.nt").content, ox.RdfFormat.N_TRIPLES)}
    assert served_triples == dumped_triples == {str(s) for s in _union(fresh)}


def _union(store):
    for s in store.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True):
        yield ox.Triple(s["s"], s["p"], s["o"])


def test_dump_revalidation_head_range_and_gzip(server):
    first = server.get("/dump.ttl", headers={"Accept-Encoding": "identity"})
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert len(list(ox.parse(first.content, ox.RdfFormat.TURTLE))) > 5000
    assert server.get("/dump.ttl", headers={"If-None-Match": etag, "Accept-Encoding": "identity"}).status_code == 304
    assert server.get("/dump.ttl", headers={"If-Modified-Since": modified, "Accept-Encoding": "identity"}).status_code == 304
    head = requests.head(server.url + "/dump.ttl", headers={"Accept-Encoding": "identity"}, timeout=30)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == len(first.content) and not head.content
    part = server.get("/dump.ttl", headers={"Range": "bytes=100-299", "Accept-Encoding": "gzip"})
    assert part.status_code == 206 and part.content == first.content[100:300]
    assert part.headers["Content-Range"] == f"bytes 100-299/{len(first.content)}"
    packed = server.get("/dump.ttl.gz")
    assert packed.headers["Content-Type"] == "application/gzip" and gzip.decompress(packed.content) == first.content
    encoded = requests.get(server.url + "/dump.ttl", headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
    assert encoded.headers["Content-Encoding"] == "gzip" and gzip.decompress(encoded.raw.read()) == first.content
    trig = server.get("/dump.trig")
    assert len({q.graph_name for q in ox.parse(trig.content, ox.RdfFormat.TRIG)}) == 7
    assert server.get("/dump.xyz").status_code == 404
    files = {p.name for p in (server.store / "current" / "dumps").iterdir()}
    assert {"dump.ttl", "dump.ttl.gz", "dump.nq", "dump.trig"} <= files and not any(".tmp" in f for f in files)


# ------------------------------------------------------------------ entity pages

def minted_iris(server) -> list[str]:
    rows = server.select("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'http://localhost:5000/') "
                         "&& !CONTAINS(STR(?s), '#')) }")
    return sorted(r["s"] for r in rows)


def test_every_minted_iri_dereferences_as_turtle(server):
    iris = minted_iris(server)
    kinds = {iri[len("http://localhost:5000/"):].split("/")[0] for iri in iris}
    assert {"person", "organisation", "location", "event", "source", "document", "statement", "role",
            "quantity"} <= kinds
    for iri in iris:
        path = iri[len("http://localhost:5000"):]
        r = server.get(path, headers={"Accept": "text/turtle"})
        assert r.status_code == 200, (iri, r.text)
        graph = rdflib.Graph().parse(data=r.text, format="turtle")
        assert len(list(graph.predicate_objects(rdflib.URIRef(iri)))) > 0, iri


def test_named_graph_iris_dereference(server):
    knowledge = "/graph/knowledge"
    r = server.get(knowledge, headers={"Accept": "application/n-triples"})
    triples = list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))
    size = server.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://localhost:5000/graph/knowledge> { ?s ?p ?o } }")
    assert len(triples) == int(size[0]["n"]) > 500
    page = server.get(knowledge, headers={"Accept": BROWSER_ACCEPT})
    assert f'<strong id="graph-size">{size[0]["n"]}</strong>' in page.text


def test_head_of_a_query(server):
    r = requests.head(server.sparql, params={"query": "ASK {}"}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/sparql-results+json" and not r.content


def test_span_iris_are_described_by_their_document(server):
    span = server.select("SELECT ?s WHERE { ?st nkg:evidence ?s } LIMIT 1")[0]["s"]
    document, _, fragment = span.partition("#")
    assert fragment.startswith("char=")
    graph = rdflib.Graph().parse(data=server.get(document[len("http://localhost:5000"):],
                                                 headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (rdflib.URIRef(span), rdflib.URIRef(NKG + "start"), None) in graph


def test_entity_page_in_a_browser_and_other_formats(server):
    path = "/person/mojgan-parsaii"
    page = server.get(path, headers={"Accept": BROWSER_ACCEPT})
    assert page.headers["Content-Type"].startswith("text/html")
    assert '<h1 id="label">Mojgan Parsaii</h1>' in page.text and "<mark>" in page.text and "Person" in page.text
    jsonld = server.get(path, headers={"Accept": "application/ld+json"})
    assert any(t.subject.value.endswith(path) for t in ox.parse(jsonld.content, ox.RdfFormat.JSON_LD))
    nt = server.get(path, headers={"Accept": "application/n-triples"})
    assert nt.headers["Content-Type"].startswith("application/n-triples") and f"<http://localhost:5000{path}>" in nt.text
    assert server.get("/person/nobody-at-all", headers={"Accept": "text/turtle"}).status_code == 404
    assert server.get("/person/nobody-at-all", headers={"Accept": BROWSER_ACCEPT}).status_code == 404


def test_document_page_highlights_evidence(server):
    doc = server.select("SELECT ?d WHERE { ?d a nkg:Document ; nkg:fileName '001_3fb4b85d121f7341.txt' }")[0]["d"]
    page = server.get(doc[len("http://localhost:5000"):], headers={"Accept": BROWSER_ACCEPT})
    assert 'class="article"' in page.text and "hl-evidence" in page.text and "hl-mention" in page.text
    span = server.select(f"SELECT ?s WHERE {{ ?st nkg:evidence ?s . ?s nkg:document <{doc}> }} LIMIT 1")[0]["s"]
    assert f'id="{span.split("#")[1]}"' in page.text


def test_article_text_and_query_text_are_escaped(server):
    page = sparql(server, 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }', BROWSER_ACCEPT)
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    error = sparql(server, 'SELECT * WHERE { "<img src=x onerror=alert(1)>" }', BROWSER_ACCEPT)
    assert error.status_code == 400 and "<img src=x" not in error.text


def test_home_page(server):
    page = server.get("/", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200
    for text in ('id="counts"', "Documents", "/dump.nq", "/queries/statements", 'name="query"', "/.well-known/void"):
        assert text in page.text


def test_entity_and_statement_pages_show_corroboration(server):
    page = server.get("/person/zalmay-khalilzad", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200
    # His quotes are in the three versions of the CNN report: three articles, one source.
    assert "reported by 3 articles, 1 independent source" in page.text
    rows = server.get("/queries/corroboration", headers={"Accept": "application/sparql-results+json"}).json()
    first = rows["results"]["bindings"][0]
    statement = first["statement"]["value"].replace("http://localhost:5000", server.url)
    turtle = requests.get(statement, headers={"Accept": "text/turtle"}, timeout=60).text
    assert "reportCount" in turtle and "independentSources" in turtle
