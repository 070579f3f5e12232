"""A small SPARQL tokenizer: just enough to read a request before Oxigraph runs it.

The server must know a few things about a query *before* handing it to a worker: which
query form it is (an update sent as a query is refused, not mis-parsed), whether it has its
own dataset (``FROM``: then the union default graph must not override it), and which
``SERVICE`` endpoints it would call (only allow-listed ones may be). Oxigraph does the real
parsing; this reads tokens only, but reads them correctly: keywords inside strings, IRIs,
comments, variables (``?service``) or prefixed names (``ex:SERVICE``) are not keywords.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

_PN_CHARS = r"A-Za-z0-9_\u00B7\u00C0-\uFFFF\-"
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
               | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               | '(?:[^'\\\n\r]|\\.)*'
               | "(?:[^"\\\n\r]|\\.)*")
    | (?P<var>[?$][""" + _PN_CHARS + r"""]+)
    | (?P<bnode>_:[""" + _PN_CHARS + r""".]*)
    | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][""" + _PN_CHARS + r""".]*)?:(?:[""" + _PN_CHARS + r""":%]|\\.|\.(?=[""" + _PN_CHARS + r""":%\\]))*)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass(frozen=True)
class Token:
    kind: str      # iri, string, var, bnode, pname, langtag, word, number, other
    text: str
    start: int

    @property
    def keyword(self) -> str | None:
        return self.text.upper() if self.kind == "word" else None


def tokens(query: str) -> list[Token]:
    """Every token of ``query`` except white space and comments."""
    found = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind in ("ws", "comment"):
            continue
        found.append(Token(kind, match.group(), match.start()))
    return found


@dataclass
class Reading:
    """What the server needs to know about a query before running it."""
    form: str | None = None                      # SELECT, CONSTRUCT, ..., INSERT, ... or None
    base: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    has_dataset: bool = False                    # FROM / FROM NAMED in the query itself
    services: list["ServiceCall"] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_KEYWORDS


@dataclass(frozen=True)
class ServiceCall:
    """One ``SERVICE`` clause: its endpoint IRI, or why it could not be known."""
    iri: str | None
    written: str        # as the query writes it: <...>, wd:x, ?var
    problem: str | None = None


def read(query: str) -> Reading:
    """Read ``query``. Short queries are cached (canned and page queries come back with every
    request); callers must not modify the returned Reading."""
    return _read_cached(query) if len(query) <= 20_000 else _read(query)


@lru_cache(maxsize=512)
def _read_cached(query: str) -> Reading:
    return _read(query)


def _read(query: str) -> Reading:
    toks = tokens(query)
    reading = Reading()
    i = _read_prologue(toks, reading)
    for tok in toks[i:]:
        if tok.kind == "word":
            reading.form = tok.keyword
            break
    for n, tok in enumerate(toks):
        keyword = tok.keyword
        if keyword == "FROM":
            reading.has_dataset = True
        elif keyword == "SERVICE":
            reading.services.append(_service_target(toks, n + 1, reading))
    return reading


def _read_prologue(toks: list[Token], reading: Reading) -> int:
    """``BASE <iri>`` and ``PREFIX p: <iri>`` declarations; returns the index after them.

    SPARQL allows them only at the start (and, in updates, between operations; the prefixes
    of later operations do not matter to a read-only server)."""
    i = 0
    while i < len(toks):
        keyword = toks[i].keyword
        if keyword == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            reading.base = _resolve(toks[i + 1].text[1:-1], reading.base)
            i += 2
        elif (keyword == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname"
              and toks[i + 1].text.endswith(":") and toks[i + 2].kind == "iri"):
            reading.prefixes[toks[i + 1].text[:-1]] = _resolve(toks[i + 2].text[1:-1], reading.base)
            i += 3
        else:
            break
    return i


def _service_target(toks: list[Token], i: int, reading: Reading) -> ServiceCall:
    if i < len(toks) and toks[i].keyword == "SILENT":
        i += 1
    if i >= len(toks):
        return ServiceCall(None, "", "SERVICE without an endpoint")
    tok = toks[i]
    if tok.kind == "iri":
        return ServiceCall(_resolve(tok.text[1:-1], reading.base), tok.text)
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        if prefix not in reading.prefixes:
            return ServiceCall(None, tok.text, f"undeclared prefix {prefix}:")
        return ServiceCall(reading.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local), tok.text)
    if tok.kind == "var":
        return ServiceCall(None, tok.text, "the endpoint of SERVICE must be written as an IRI, not a variable")
    return ServiceCall(None, tok.text, "SERVICE must be followed by the endpoint's IRI")


def _resolve(iri: str, base: str | None) -> str:
    if base and not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
        return urljoin(base, iri)
    return iri
