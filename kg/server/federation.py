"""Which remote SPARQL endpoints a query may call with ``SERVICE``.

Oxigraph evaluates ``SERVICE <url> { … }`` itself, over HTTP, from the server's machine:
left open, any visitor could make the server fetch any URL (an intranet address, a slow
host that ties up a worker). So every ``SERVICE`` target is read from the query text before
it runs and must be on an allow-list; a ``SERVICE ?var`` (a target chosen at run time) is
refused because it cannot be checked. The default list holds only Wikidata's endpoint.

Kept apart from the HTTP code so that other parts (a Wikidata linking step) can reuse it.

A service map (``--service-map FROM=TO``, ``$KG_SERVICE_MAP``) sends the calls a query
writes as ``SERVICE <FROM>`` to ``TO`` instead: a mirror, or a local stand-in in tests. The
query is checked as written first, then rewritten, then checked again (so ``TO`` must be on
the allow-list as well).
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable

from .sparql_text import Reading, read, tokens

WIKIDATA = "https://query.wikidata.org/sparql"
DEFAULT_ALLOWED = (WIKIDATA,)
ENV = "KG_SERVICE_ALLOW"
MAP_ENV = "KG_SERVICE_MAP"


class ServiceRefused(PermissionError):
    """The query calls a SERVICE that is not allowed; the message says which and why."""


def allowed_services(flags: Iterable[str] | None = None, environ: dict | None = None) -> tuple[str, ...]:
    """The allow-list: ``--service-allow`` flags, else ``$KG_SERVICE_ALLOW`` (URLs separated
    by spaces or commas; empty means no federation at all), else Wikidata only."""
    flags = [f for f in (flags or []) if f is not None]
    if flags:
        return tuple(_normalise(u) for f in flags for u in re.split(r"[\s,]+", f) if u)
    environ = os.environ if environ is None else environ
    if ENV in environ:
        return tuple(_normalise(u) for u in re.split(r"[\s,]+", environ[ENV]) if u)
    return DEFAULT_ALLOWED


def check_services(query: str | Reading, allowed: Iterable[str]) -> list[str]:
    """Raise :class:`ServiceRefused` unless every SERVICE target of ``query`` is allowed;
    return the targets (empty when the query calls none)."""
    reading = read(query) if isinstance(query, str) else query
    allowed = {_normalise(u) for u in allowed}
    targets = []
    for call in reading.services:
        if call.iri is None:
            raise ServiceRefused(f"SERVICE {call.written}: {call.problem}. "
                                 f"Allowed endpoints: {_listing(allowed)}.")
        if _normalise(call.iri) not in allowed:
            raise ServiceRefused(f"SERVICE <{call.iri}> is not allowed: this server only calls "
                                 f"{_listing(allowed)} (set with --service-allow or ${ENV}).")
        targets.append(call.iri)
    return targets


def service_map(flags: Iterable[str] | None = None, environ: dict | None = None) -> dict[str, str]:
    """``--service-map FROM=TO`` flags, else ``$KG_SERVICE_MAP`` (pairs separated by spaces or
    commas); empty by default."""
    flags = [f for f in (flags or []) if f]
    environ = os.environ if environ is None else environ
    mapping = {}
    for pair in re.split(r"[\s,]+", " ".join(flags) if flags else environ.get(MAP_ENV, "")):
        if not pair:
            continue
        match = re.fullmatch(r"(\S+?)=(https?://\S+)", pair)
        if not match:
            raise ValueError(f"service map entry {pair!r} must be FROM=TO (two endpoint URLs)")
        mapping[_normalise(match[1])] = _normalise(match[2])
    return mapping


def rewrite_services(query: str, mapping: dict[str, str]) -> str:
    """``query`` with each SERVICE endpoint that ``mapping`` knows replaced by its target.
    The endpoints are read as :func:`check_services` reads them (prefixed names and BASE
    resolved; strings, comments and other IRIs untouched)."""
    if not mapping:
        return query
    calls = iter(read(query).services)
    toks = tokens(query)
    edits = []
    for n, tok in enumerate(toks):
        if tok.keyword != "SERVICE":
            continue
        call = next(calls, None)
        i = n + 2 if n + 1 < len(toks) and toks[n + 1].keyword == "SILENT" else n + 1
        if call is None or call.iri is None or i >= len(toks):
            continue
        target = mapping.get(_normalise(call.iri))
        if target:
            edits.append((toks[i].start, toks[i].start + len(toks[i].text), f"<{target}>"))
    for start, end, text in reversed(edits):
        query = query[:start] + text + query[end:]
    return query


def install_service_map(engine, mapping: dict[str, str]) -> None:
    """Make ``engine.query`` send mapped SERVICE calls to their targets: a refused endpoint is
    refused as written, before any rewriting; the engine then checks the rewritten query."""
    if not mapping:
        return
    allowed = {_normalise(u) for u in engine.settings.services}
    missing = sorted(t for t in mapping.values() if t not in allowed)
    if missing:
        raise ValueError(f"service map target {', '.join(missing)} is not on the allow-list "
                         f"(add it with --service-allow or ${ENV})")
    run = engine.query

    def query(text: str, *args, **kwargs):
        check_services(text, engine.settings.services)
        return run(rewrite_services(text, mapping), *args, **kwargs)

    engine.query = query


def _normalise(url: str) -> str:
    return url.strip().rstrip("/")


def _listing(allowed: set[str]) -> str:
    return ", ".join(f"<{u}>" for u in sorted(allowed)) if allowed else "none (federation is off)"
