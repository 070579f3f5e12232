"""Formats, media types and content negotiation (``Accept`` with q-values, ``format=``).

A query's answer is either *results* (SELECT, ASK) or a *graph* (CONSTRUCT, DESCRIBE), and
which one is only certain once Oxigraph has parsed the query. So negotiation picks the best
format of each kind up front and the worker uses the one that matches what the query is.
Format names are plain strings so that they cross the process boundary as they are; the
pyoxigraph format objects are looked up on the worker's side (``worker.py``).
"""
from __future__ import annotations

from dataclasses import dataclass

RESULTS = "results"
GRAPH = "graph"


@dataclass(frozen=True)
class Format:
    name: str
    kind: str                # RESULTS or GRAPH (or "page" for html)
    media_type: str          # what the response says it is
    extension: str
    accepts: tuple[str, ...]   # media types a client may ask for to get this format


FORMATS = {f.name: f for f in (
    Format("json", RESULTS, "application/sparql-results+json", "srj",
           ("application/sparql-results+json", "application/json", "text/javascript", "application/javascript")),
    Format("xml", RESULTS, "application/sparql-results+xml", "srx",
           ("application/sparql-results+xml", "application/xml", "text/xml")),
    Format("csv", RESULTS, "text/csv", "csv", ("text/csv",)),
    Format("tsv", RESULTS, "text/tab-separated-values", "tsv", ("text/tab-separated-values",)),
    Format("turtle", GRAPH, "text/turtle", "ttl",
           ("text/turtle", "application/x-turtle", "application/turtle", "text/n3", "application/n3", "text/rdf+n3")),
    Format("ntriples", GRAPH, "application/n-triples", "nt", ("application/n-triples", "text/plain")),
    Format("nquads", GRAPH, "application/n-quads", "nq", ("application/n-quads", "text/x-nquads")),
    Format("trig", GRAPH, "application/trig", "trig", ("application/trig",)),
    Format("jsonld", GRAPH, "application/ld+json", "jsonld", ("application/ld+json", "application/json")),
    Format("rdfxml", GRAPH, "application/rdf+xml", "rdf", ("application/rdf+xml", "application/xml", "text/xml")),
    Format("html", "page", "text/html; charset=utf-8", "html", ("text/html", "application/xhtml+xml")),
)}

RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")
TRIPLE_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")      # for one resource's description

# format= / output= values (SPARQLWrapper sends its "returnFormat" as all of format, output
# and results): a name means the matching format of whichever kind the answer is.
ALIASES = {
    "json": ("json", "jsonld"), "srj": ("json", None), "xml": ("xml", "rdfxml"), "srx": ("xml", None),
    "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "n3": (None, "turtle"),
    "ntriples": (None, "ntriples"), "nt": (None, "ntriples"), "n-triples": (None, "ntriples"),
    "nquads": (None, "nquads"), "nq": (None, "nquads"), "n-quads": (None, "nquads"), "trig": (None, "trig"),
    "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"),
    "rdfxml": (None, "rdfxml"), "rdf": (None, "rdfxml"), "rdf+xml": (None, "rdfxml"), "rdf/xml": (None, "rdfxml"),
    "html": ("html", "html"),
}


@dataclass(frozen=True)
class Choice:
    """The format to use for results and for graphs (None: the client accepts none of them)."""
    results: str | None
    graph: str | None

    @property
    def html(self) -> bool:
        return self.results == "html" or self.graph == "html"


class NotAcceptable(ValueError):
    pass


def parse_accept(header: str | None) -> list[tuple[str, str, float]]:
    """``Accept`` → [(type, subtype, q)], lower-cased; a missing header accepts anything."""
    if not header or not header.strip():
        return [("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            media = "*/*" if media == "*" else ""
            if not media:
                continue
        major, minor = media.split("/", 1)
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((major, minor, q))
    return ranges


def quality(ranges: list[tuple[str, str, float]], media_type: str) -> float:
    """The q-value ``ranges`` give ``media_type``: the most specific matching range wins."""
    major, minor = media_type.split(";")[0].strip().lower().split("/", 1)
    best, best_specificity = 0.0, -1
    for r_major, r_minor, q in ranges:
        if r_major == major and r_minor == minor:
            specificity = 2
        elif r_major == major and r_minor == "*":
            specificity = 1
        elif r_major == "*" and r_minor == "*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best, best_specificity = q, specificity
    return best


def _format_quality(ranges, name: str) -> float:
    """How much the client wants format ``name``: an exact mention of any of its media types
    decides; else a ``type/*`` range matching its main media type; else ``*/*``."""
    fmt = FORMATS[name]
    exact = [q for major, minor, q in ranges for media in fmt.accepts if f"{major}/{minor}" == media]
    if exact:
        return max(exact)
    main = fmt.accepts[0].split("/")[0]
    partial = [q for major, minor, q in ranges if major == main and minor == "*"]
    if partial:
        return max(partial)
    return max([q for major, minor, q in ranges if major == "*" and minor == "*"] or [0.0])


def best(ranges, offers: tuple[str, ...] | list[str]) -> str | None:
    """The offered format name the client likes most; ties go to the earlier offer."""
    chosen, chosen_q = None, 0.0
    for name in offers:
        q = _format_quality(ranges, name)
        if q > chosen_q:
            chosen, chosen_q = name, q
    return chosen


def from_parameter(values: list[str]) -> Choice | None:
    """The first recognisable ``format=``/``output=`` value, as a name or a media type."""
    for value in values:
        key = value.strip().lower()
        if key in ALIASES:
            results, graph = ALIASES[key]
            return Choice(results, graph)
        media = key.split(";")[0].strip()
        results = next((n for n in RESULT_FORMATS if media in FORMATS[n].accepts), None)
        graph = next((n for n in GRAPH_FORMATS if media in FORMATS[n].accepts), None)
        if media in FORMATS["html"].accepts:
            return Choice("html", "html")
        if results or graph:
            return Choice(results, graph)
    return None


def choose(accept: str | None, format_values: list[str] | None = None, html: bool = False,
           graph_offers: tuple[str, ...] = GRAPH_FORMATS) -> Choice:
    """The formats for a query answer: ``format=`` overrides ``Accept``.

    Raises :class:`NotAcceptable` if a ``format=`` value is given but none is known. With
    ``html`` a browser (which ranks text/html first) gets a page: ``Choice("html", "html")``."""
    if format_values:
        choice = from_parameter(format_values)
        if choice is None:
            raise NotAcceptable(f"unknown format {format_values[0]!r}; use one of "
                                f"{', '.join(sorted(ALIASES))} or a media type")
        if choice.html and not html:
            raise NotAcceptable("format=html is not available here")
        return choice
    if html and prefers_html(accept):
        return Choice("html", "html")
    ranges = parse_accept(accept)
    return Choice(best(ranges, RESULT_FORMATS), best(ranges, graph_offers))


OTHER_TYPES = ("application/json", "text/plain", "text/turtle", "application/sparql-results+json",
               "application/sparql-results+xml", "application/ld+json")


def prefers_html(accept: str | None) -> bool:
    """A browser: its Accept names text/html and ranks it above the data formats
    (``*/*`` alone, as curl sends, is not a browser)."""
    header = accept or ""
    if "html" not in header.lower():
        return False
    ranges = parse_accept(header)
    html = quality(ranges, "text/html")
    return html > 0 and html >= max(quality(ranges, m) for m in OTHER_TYPES)


CHARSET = {"csv", "tsv", "turtle", "ntriples", "nquads", "trig"}


def media_type(name: str) -> str:
    """The Content-Type of a response in format ``name`` (text formats say UTF-8)."""
    fmt = FORMATS[name]
    return fmt.media_type + "; charset=utf-8" if name in CHARSET else fmt.media_type


def acceptable_list(kind: str) -> str:
    names = RESULT_FORMATS if kind == RESULTS else GRAPH_FORMATS
    return ", ".join(FORMATS[n].media_type for n in names)
