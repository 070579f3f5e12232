"""The HTML side of ``kg serve`` in a real browser (Debian's chromium through Playwright):
home page, query page, canned queries, entity and document pages, escaping of article text."""
from __future__ import annotations

import shutil

import pytest

from server_support import copy_store, start_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(seeds_store, tmp_path_factory):
    store = copy_store(seeds_store, tmp_path_factory.mktemp("browsed") / "store")
    running = start_server(store, "--workers", "2")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    if not shutil.which("chromium") and not shutil.os.path.exists(CHROMIUM):
        pytest.fail("chromium is not installed: run scripts/test.sh (it installs Debian's chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def test_home_page_shows_counts_queries_and_downloads(server, page):
    page.goto(server.url + "/")
    counts = {row.query_selector("th").inner_text(): row.query_selector("td").inner_text()
              for row in page.query_selector_all("#counts tr")}
    assert counts["Documents"] == "5" and int(counts["People"]) > 10
    assert page.locator("a[href='/dump.nq']").count() == 1
    page.click("text=Statements by one speaker")
    page.wait_for_selector("#results table")
    assert page.title().startswith("Statements by one speaker")
    assert page.locator("#results tbody tr").count() >= 3
    assert "Mojgan Parsaii" in page.inner_text("#results")


def test_query_box_runs_a_query_and_shows_errors(server, page):
    page.goto(server.url + "/sparql")
    page.fill("#query", "PREFIX nkg: <https://w3id.org/newskg/ns#>\nSELECT ?file WHERE { ?d nkg:fileName ?file } ORDER BY ?file")
    page.click("#run")
    page.wait_for_selector("#results")
    assert page.inner_text("#row-count") == "5"
    assert "000_0f2a36048ee63ac9.txt" in page.inner_text("#results")
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#error-message")
    assert "malformed query: error at 1:" in page.inner_text("#error-message")


def test_large_answers_say_they_were_cut(server, page):
    page.goto(server.url + "/sparql?query=" + "SELECT * WHERE { ?s ?p ?o }")
    assert page.locator("#results tbody tr").count() == 1000
    assert "Only the first 1000 rows" in page.inner_text("#truncated")


def test_text_from_the_graph_is_never_markup(server, page):
    page.goto(server.url + "/sparql?query=" + 'SELECT ?x WHERE { BIND("<img src=x onerror=alert(1)><script>alert(2)</script>" AS ?x) }')
    cell = page.locator("#results tbody td").first
    assert cell.inner_text() == "<img src=x onerror=alert(1)><script>alert(2)</script>"
    assert page.dialogs == [] and page.locator("#results img").count() == 0


def test_entity_page_links_statements_to_their_evidence(server, page):
    page.goto(server.url + "/person/mojgan-parsaii")
    assert page.inner_text("#label") == "Mojgan Parsaii"
    assert "Person" in page.inner_text(".types")
    passages = page.locator("blockquote.passage")
    assert passages.count() == page.locator("li.statement").count() >= 2      # one passage per statement
    assert "reported by 3 articles, 1 independent source" in page.inner_text("#statements + ol")
    quote = passages.first.locator("mark").inner_text()
    passages.first.locator("cite a").click()
    page.wait_for_selector(".article")
    assert "#char=" in page.url
    highlighted = "".join(page.locator(".seg.target").all_inner_texts())
    assert highlighted == quote
    # names in the article link to their entity pages
    page.locator(".article a.hl-mention", has_text="Parsaii").first.click()
    page.wait_for_selector("#label")
    assert page.inner_text("#label") == "Mojgan Parsaii"


def test_wikidata_and_places_link_out(server, page):
    page.goto(server.url + "/location/zahedan")
    assert page.locator(".links a[href^='https://sws.geonames.org/']").count() == 1
    assert page.locator(".links a[href^='https://www.openstreetmap.org/']").count() == 1
    row = server.select("SELECT ?e ?q WHERE { ?e owl:sameAs ?q FILTER(STRSTARTS(STR(?q), 'http://www.wikidata.org/entity/Q')) } LIMIT 1")
    if row:      # Wikidata links exist only when the curated file gives them
        page.goto(server.url + row[0]["e"][len("http://localhost:5000"):])
        assert page.locator(f"a.wikidata[href='{row[0]['q']}']").count() == 1
