"""The server's small parts on their own: the SPARQL tokenizer and SERVICE allow-list,
content negotiation, canned-query headers and parameters, span highlighting, the exact
row limit of the worker. No HTTP here; ``test_server.py`` covers the running server."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.server import negotiate, sparql_text, worker
from kg.server.canned import BadParameter, BadQueryFile, Library, parse
from kg.server.federation import WIKIDATA, ServiceRefused, allowed_services, check_services
from kg.server.highlight import Mark, segments
from kg.resources import project_dir


# ------------------------------------------------------------------ tokenizer and federation

def test_reading_a_query():
    reading = sparql_text.read("""
        BASE <http://example.org/base/>
        PREFIX wd: <http://www.wikidata.org/entity/>  # a comment with SERVICE <http://evil/>
        PREFIX : <relative/>
        select ?service WHERE { ?s ?p "SERVICE <http://no/>" ; ?q '''FROM''' . ?s a :x }""")
    assert reading.form == "SELECT" and reading.base == "http://example.org/base/"
    assert reading.prefixes == {"wd": "http://www.wikidata.org/entity/", "": "http://example.org/base/relative/"}
    assert reading.services == [] and not reading.has_dataset and not reading.is_update


@pytest.mark.parametrize("query,form", [
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT"), ("PREFIX x: <urn:x> delete where { ?s ?p ?o }", "DELETE"),
    ("LOAD <http://x/>", "LOAD"), ("# hi\nDROP ALL", "DROP"), ("WITH <g> DELETE {} WHERE {}", "WITH"),
    ("ASK {}", "ASK"), ("construct where { ?s ?p ?o }", "CONSTRUCT"), ("DESCRIBE <x:y>", "DESCRIBE")])
def test_query_form(query, form):
    reading = sparql_text.read(query)
    assert reading.form == form
    assert reading.is_update == (form not in sparql_text.QUERY_FORMS)


def test_dataset_clause_detected_only_as_a_keyword():
    assert sparql_text.read("SELECT * FROM <g> WHERE { ?s ?p ?o }").has_dataset
    assert sparql_text.read("SELECT * FROM NAMED <g> WHERE { GRAPH ?g { ?s ?p ?o } }").has_dataset
    assert not sparql_text.read("SELECT ?from WHERE { ?from <urn:from> 'FROM' }").has_dataset


def test_service_targets_are_resolved_and_checked():
    allowed = [WIKIDATA]
    assert check_services(f"SELECT * WHERE {{ SERVICE <{WIKIDATA}> {{ ?s ?p ?o }} }}", allowed) == [WIKIDATA]
    assert check_services("PREFIX wdq: <https://query.wikidata.org/> SELECT * WHERE { SERVICE SILENT wdq:sparql { ?s ?p ?o } }",
                          allowed) == [WIKIDATA]
    assert check_services("BASE <https://query.wikidata.org/x> SELECT * WHERE { SERVICE <sparql> {} }", allowed) == [WIKIDATA]
    assert check_services("SELECT ?service WHERE { ?service <urn:SERVICE> 'SERVICE <http://x>' }", allowed) == []
    for query, reason in [
        ("SELECT * WHERE { SERVICE <http://localhost:8080/admin> { ?s ?p ?o } }", "not allowed"),
        ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", "not a variable"),
        ("SELECT * WHERE { SeRvIcE<http://evil/>{ ?s ?p ?o } }", "not allowed"),
        ("SELECT * WHERE { SERVICE nope:x { ?s ?p ?o } }", "undeclared prefix"),
        ("SELECT * WHERE { SERVICE", "without an endpoint"),
        (f"SELECT * WHERE {{ SERVICE <{WIKIDATA}> {{}} SERVICE <https://dbpedia.org/sparql> {{}} }}", "dbpedia"),
    ]:
        with pytest.raises(ServiceRefused, match=reason):
            check_services(query, allowed)
    with pytest.raises(ServiceRefused, match="federation is off"):
        check_services(f"SELECT * WHERE {{ SERVICE <{WIKIDATA}> {{}} }}", [])


def test_allow_list_configuration():
    assert allowed_services(None, {}) == (WIKIDATA,)
    assert allowed_services(["https://a.example/sparql/", "https://b.example/sparql"], {}) == \
        ("https://a.example/sparql", "https://b.example/sparql")
    assert allowed_services(None, {"KG_SERVICE_ALLOW": "https://a.example/q, https://b.example/q"}) == \
        ("https://a.example/q", "https://b.example/q")
    assert allowed_services(None, {"KG_SERVICE_ALLOW": ""}) == ()


# ------------------------------------------------------------------ negotiation

def test_accept_parsing_and_choice():
    assert negotiate.choose(None) == negotiate.Choice("json", "turtle")
    assert negotiate.choose("*/*") == negotiate.Choice("json", "turtle")
    assert negotiate.choose("application/rdf+xml, application/sparql-results+xml;q=0.8") == negotiate.Choice("xml", "rdfxml")
    assert negotiate.choose("text/*;q=0.1, text/csv") == negotiate.Choice("csv", "turtle")
    assert negotiate.choose("application/json") == negotiate.Choice("json", "jsonld")
    assert negotiate.choose("text/turtle;q=0, */*") == negotiate.Choice("json", "ntriples")
    assert negotiate.choose("image/png") == negotiate.Choice(None, None)
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert negotiate.choose(browser, html=True) == negotiate.Choice("html", "html")
    assert negotiate.choose(browser, html=False) == negotiate.Choice("xml", "rdfxml")
    assert negotiate.choose("*/*", ["tsv", "text/tab-separated-values"]) == negotiate.Choice("tsv", None)
    assert negotiate.choose("text/csv", ["application/sparql-results+json"]) == negotiate.Choice("json", None)
    with pytest.raises(negotiate.NotAcceptable):
        negotiate.choose(None, ["excel"])
    assert negotiate.media_type("turtle") == "text/turtle; charset=utf-8"
    assert negotiate.media_type("json") == "application/sparql-results+json"


# ------------------------------------------------------------------ canned queries

def test_shipped_canned_queries_parse():
    library = Library(project_dir("queries"))
    queries = library.all()
    assert library.errors == {}
    assert {"documents", "entities", "mentions", "statements", "roles", "events", "statements-by"} <= set(queries)
    for query in queries.values():
        assert query.title and query.description, query.name
    speaker = queries["statements-by"].parameters[0]
    assert speaker.name == "speaker" and speaker.type == "label-or-iri" and speaker.default


def test_canned_header_errors_and_parameter_types(tmp_path):
    good = tmp_path / "by-year.rq"
    good.write_text("# title: By year\n# description: x\n# parameters:\n#   year:\n#     type: integer\n#     default: 2008\n"
                    "#   when:\n#     type: date\n#   who:\n#     type: iri\n"
                    "SELECT ?year ?when ?who WHERE { ?s ?p ?year }\n")
    query = parse(good)
    assert [p.name for p in query.parameters] == ["year", "when", "who"]
    with pytest.raises(BadParameter, match="required"):
        query.substitutions({})
    subs = query.substitutions({"when": "2008-07", "who": "http://example.org/x"})
    assert subs["year"] == ox.Literal("2008", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert subs["when"].datatype.value.endswith("gYearMonth") and subs["who"] == ox.NamedNode("http://example.org/x")
    with pytest.raises(BadParameter, match="integer"):
        query.substitutions({"year": "1; DROP ALL", "when": "2008", "who": "urn:x"})
    with pytest.raises(BadParameter, match="absolute IRI"):
        query.substitutions({"when": "2008", "who": "not an iri"})
    with pytest.raises(BadParameter, match="date"):
        query.substitutions({"when": "last tuesday", "who": "urn:x"})
    bad = tmp_path / "bad.rq"
    bad.write_text("# description: no title\nSELECT * WHERE {}\n")
    with pytest.raises(BadQueryFile, match="title"):
        parse(bad)
    bad.write_text("# title: t\n# parameters:\n#   missing:\n#     type: string\nSELECT ?x WHERE {}\n")
    with pytest.raises(BadQueryFile, match="not a variable"):
        parse(bad)
    bad.write_text("# title: t\n# parameters:\n#   x:\n#     type: string\nSELECT ?y WHERE { ?y ?p ?x }\n")
    with pytest.raises(BadQueryFile, match="SELECT clause"):
        parse(bad)


def test_a_broken_file_is_reported_not_fatal(tmp_path):
    (tmp_path / "good.rq").write_text("# title: Syndication: versions of one report\nSELECT * WHERE {}\n")
    (tmp_path / "bad.rq").write_text("# title: Bad\n# parameters: [unclosed\nSELECT * WHERE {}\n")
    library = Library(tmp_path)
    assert list(library.all()) == ["good"] and library.get("good").title == "Syndication: versions of one report"
    assert "bad.rq" in library.errors


def test_canned_library_rereads_changed_files(tmp_path):
    (tmp_path / "one.rq").write_text("# title: One\nSELECT * WHERE {}\n")
    library = Library(tmp_path)
    library.RECHECK = 0
    assert list(library.all()) == ["one"]
    (tmp_path / "two.rq").write_text("# title: Two\nSELECT * WHERE {}\n")
    assert sorted(library.all()) == ["one", "two"]


# ------------------------------------------------------------------ highlighting

def test_overlapping_spans_become_flat_segments():
    text = "“We will stay,” said Mojgan Parsaii in Ashraf."
    marks = [Mark(1, 13, "evidence", "/statement/1"), Mark(0, 35, "cue", "/statement/1"),
             Mark(21, 35, "mention", "/person/mojgan-parsaii", "Mojgan Parsaii"), Mark(39, 45, "mention", "/location/ashraf")]
    segs = segments(text, marks)
    assert "".join(s.text for s in segs) == text
    assert [s.start for s in segs] == sorted(s.start for s in segs)
    by_text = {s.text: s for s in segs}
    assert by_text["We will stay"].kinds == ["evidence", "cue"]
    assert by_text["Mojgan Parsaii"].href == "/person/mojgan-parsaii"       # the name links to the person
    assert by_text["Mojgan Parsaii"].kinds == ["mention", "cue"]
    assert "char=1,13" in by_text["We will stay"].anchors
    assert by_text[" in "].kinds == [] and by_text[" in "].href is None


# ------------------------------------------------------------------ the worker's row limit

@pytest.fixture(scope="module")
def memory_store():
    store = ox.Store()
    for i in range(50):
        store.add(ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(f"tab\there {i}\nnewline"),
                          ox.NamedNode("urn:g")))
    return store


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_row_limit_is_exact_in_every_format(memory_store, fmt):
    result = memory_store.query("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s", use_default_graph_as_union=True)
    body, rows, truncated = worker._solutions(result, fmt, 20)
    assert rows == 20 and truncated
    full = memory_store.query("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 20", use_default_graph_as_union=True)
    assert body == full.serialize(format=worker.RESULT_FORMATS[fmt])
    result = memory_store.query("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s", use_default_graph_as_union=True)
    body, rows, truncated = worker._solutions(result, fmt, 50)
    assert rows == 50 and not truncated


def test_graph_row_limit(memory_store):
    result = memory_store.query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    body, rows, truncated = worker._triples(result, "ntriples", 7)
    assert rows == 7 and truncated and len(body.splitlines()) == 7
    result = memory_store.query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    body, rows, truncated = worker._triples(result, "nquads", 0)
    assert rows == 50 and not truncated and len(list(ox.parse(body, ox.RdfFormat.N_QUADS))) == 50
