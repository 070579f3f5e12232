"""Local stand-ins for Wikidata, so that no test ever touches the network.

``WikidataStandin`` is a small HTTP server (standard library, in a thread, on a free
loopback port) that answers two kinds of request the way Wikidata does:

* ``/w/api.php``: ``wbsearchentities``, ``wbgetentities`` and ``wbgetclaims`` for a handful
  of items, in the JSON shapes of Wikidata's API. The items are FICTIONAL (Q99000xx), except
  the classes (Q5 human, Q6256 country, …) whose IDs the type map uses. Errors can be queued
  (``fail_next``) to exercise retries and ``Retry-After``.
* ``/sparql``: a SPARQL endpoint backed by an in-memory pyoxigraph store of a few
  Wikidata-like triples (``wdt:P569`` birth dates, ``wdt:P625`` coordinates, ``rdfs:label``),
  which evaluates whatever query it receives (GET ``query=``, form POST, or an
  ``application/sparql-query`` body, as Oxigraph's SERVICE client sends) and answers
  ``application/sparql-results+json``. The data is test data, not Wikidata's values.

Every request is recorded (``api_requests``, ``sparql_queries``) so tests can assert what was
asked, how often, and with which User-Agent.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox


def item(qid, label, description="", aliases=(), p31=(), p279=(), sitelinks=0):
    return {"id": qid, "label": label, "description": description, "aliases": list(aliases),
            "claims": {"P31": list(p31), "P279": list(p279)}, "sitelinks": sitelinks}


ITEMS = {i["id"]: i for i in [
    # classes (real IDs, as the type map names them)
    item("Q5", "human"),
    item("Q6256", "country", p279=["Q56061"]),
    item("Q515", "city", p279=["Q486972"]),
    item("Q486972", "human settlement"),
    item("Q56061", "administrative territorial entity"),
    item("Q11032", "newspaper", p279=["Q11033"]),
    item("Q11033", "mass media"),
    item("Q79913", "non-governmental organization", p279=["Q43229"]),
    item("Q43229", "organization"),
    item("Q11424", "film"),
    # fictional classes, to make the type check climb P279
    item("Q9900090", "relief agency", p279=["Q79913"]),
    item("Q9900091", "port city", p279=["Q515"]),
    # fictional items
    item("Q9900001", "Jordan", "fictional basketball player (stand-in)", ["Jordan Avery"], p31=["Q5"], sitelinks=12),
    item("Q9900002", "Jordan", "fictional country (stand-in)", ["Hashemite Kingdom of Jordan"], p31=["Q6256"],
         sitelinks=60),
    item("Q9900010", "Acme Relief Agency", "relief agency in Port Vesper (stand-in)", p31=["Q9900090"], sitelinks=3),
    item("Q9900011", "Acme Relief Agency", "another relief agency (stand-in)", p31=["Q9900090"], sitelinks=2),
    item("Q9900020", "Port Vesper", "port city (stand-in)", ["Vesper"], p31=["Q9900091"], sitelinks=25),
    item("Q9900030", "The Daily Lantern", "newspaper (stand-in)", ["Daily Lantern"], p31=["Q11032"], sitelinks=8),
    item("Q9900040", "Mara Quell", "2031 film (stand-in)", p31=["Q11424"], sitelinks=4),
]}

PREFIXES = """@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
"""


class WikidataStandin:
    def __init__(self, items: dict | None = None, sparql_turtle: str = "", hang: float = 0.0):
        self.items = ITEMS if items is None else items
        self.store = ox.Store()
        if sparql_turtle:
            self.store.load((PREFIXES + sparql_turtle).encode(), ox.RdfFormat.TURTLE)
        self.hang = hang                     # seconds /sparql waits before answering
        self.api_requests: list[dict] = []
        self.sparql_queries: list[str] = []
        self.fail_next: list[tuple[int, dict]] = []     # (status, headers) answered before real ones
        self._server: ThreadingHTTPServer | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> "WikidataStandin":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                standin._handle(self, b"")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                standin._handle(self, self.rfile.read(length))

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="wikidata-standin", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/w/api.php"

    @property
    def sparql(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    # ------------------------------------------------------------------ dispatch

    def _handle(self, request, body: bytes) -> None:
        url = urllib.parse.urlsplit(request.path)
        if url.path == "/w/api.php":
            params = dict(urllib.parse.parse_qsl(url.query))
            self.api_requests.append({"params": params, "user_agent": request.headers.get("User-Agent", "")})
            if self.fail_next:
                status, headers = self.fail_next.pop(0)
                return _send(request, status, b'{"error": "stand-in failure"}', "application/json", headers)
            return _send(request, 200, json.dumps(self._api(params)).encode(), "application/json; charset=utf-8")
        if url.path == "/sparql":
            return self._sparql(request, url, body)
        return _send(request, 404, b"not found", "text/plain")

    # ------------------------------------------------------------------ the API

    def _api(self, params: dict) -> dict:
        action = params.get("action")
        if action == "wbsearchentities":
            return {"searchinfo": {"search": params.get("search", "")}, "search": self._search(params), "success": 1}
        if action == "wbgetentities":
            props = params.get("props", "labels|aliases|descriptions|claims|sitelinks").split("|")
            return {"entities": {q: self._entity(q, props) for q in params.get("ids", "").split("|") if q},
                    "success": 1}
        if action == "wbgetclaims":
            it = self.items.get(params.get("entity", ""))
            if it is None:
                return {"error": {"code": "no-such-entity", "info": "Could not find an entity"}}
            prop = params.get("property")
            claims = {p: [_claim(q) for q in v] for p, v in it["claims"].items() if v and (not prop or p == prop)}
            return {"claims": claims}
        return {"error": {"code": "badvalue", "info": f"unknown action {action}"}}

    def _search(self, params: dict) -> list[dict]:
        text = params.get("search", "").lower()
        hits = []
        for it in self.items.values():
            names = [("label", it["label"])] + [("alias", a) for a in it["aliases"]]
            match = next(((kind, n) for kind, n in names if n.lower().startswith(text)), None)
            if text and match:
                hit = {"id": it["id"], "title": it["id"], "label": it["label"], "description": it["description"],
                       "match": {"type": match[0], "language": "en", "text": match[1]}}
                if match[0] == "alias":
                    hit["aliases"] = [match[1]]
                hits.append(hit)
        hits.sort(key=lambda h: -self.items[h["id"]]["sitelinks"])
        return hits[:int(params.get("limit", 7))]

    def _entity(self, qid: str, props: list[str]) -> dict:
        it = self.items.get(qid)
        if it is None:
            return {"id": qid, "missing": ""}
        out = {"type": "item", "id": qid}
        if "labels" in props:
            out["labels"] = {"en": {"language": "en", "value": it["label"]}}
        if "descriptions" in props and it["description"]:
            out["descriptions"] = {"en": {"language": "en", "value": it["description"]}}
        if "aliases" in props:
            out["aliases"] = {"en": [{"language": "en", "value": a} for a in it["aliases"]]} if it["aliases"] else {}
        if "claims" in props:
            out["claims"] = {p: [_claim(q) for q in v] for p, v in it["claims"].items() if v}
        if "sitelinks" in props:
            out["sitelinks"] = {f"wiki{n}": {"site": f"wiki{n}", "title": it["label"]} for n in range(it["sitelinks"])}
        return out

    # ------------------------------------------------------------------ the SPARQL endpoint

    def _sparql(self, request, url, body: bytes) -> None:
        query = dict(urllib.parse.parse_qsl(url.query)).get("query")
        ctype = request.headers.get("Content-Type", "")
        if request.command == "POST" and ctype.startswith("application/sparql-query"):
            query = body.decode("utf-8")
        elif request.command == "POST":
            query = dict(urllib.parse.parse_qsl(body.decode("utf-8"))).get("query", query)
        if not query:
            return _send(request, 400, b"no query", "text/plain")
        self.sparql_queries.append(query)
        if self.hang:
            time.sleep(self.hang)
        try:
            result = self.store.query(query)
        except SyntaxError as exc:
            return _send(request, 400, str(exc).encode(), "text/plain")
        if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
            data = result.serialize(format=ox.QueryResultsFormat.JSON)
            return _send(request, 200, data, "application/sparql-results+json")
        return _send(request, 200, ox.serialize(result, format=ox.RdfFormat.N_TRIPLES), "application/n-triples")


def _claim(qid: str) -> dict:
    return {"mainsnak": {"snaktype": "value", "property": "P", "datavalue": {
        "value": {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid}, "type": "wikibase-entityid"}},
        "type": "statement", "rank": "normal"}


def _send(request, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
    try:
        request.send_response(status)
        request.send_header("Content-Type", ctype)
        request.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass
