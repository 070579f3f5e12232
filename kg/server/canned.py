"""Canned queries: ``queries/NAME.rq`` files whose leading comments describe them.

The header is YAML written as ``#`` comments, before the first line of SPARQL::

    # title: Statements by one speaker
    # description: Everything one speaker said, with the article and its date.
    # parameters:
    #   speaker:
    #     type: label-or-iri
    #     default: Mojgan Parsaii
    #     description: the speaker's name (label or alias, any case) or IRI

A parameter is a variable of the query (``?speaker``). Values from the request are never
pasted into the SPARQL text: each becomes an RDF term of the declared type and is handed to
Oxigraph as a substitution (``Store.query(substitutions=…)``), which binds the variable as
if by ``VALUES`` (Oxigraph requires the variable to be in the SELECT clause, and binds it in
triple patterns, FILTERs and subqueries, but not in ``BIND``). Types: ``string``, ``iri``,
``label-or-iri`` (an absolute IRI becomes an IRI; anything else is a name that ``/queries``
resolves to the entity's IRI before the query runs), ``integer``, ``decimal``, ``date``,
``boolean``. An optional ``network: wikidata`` says the query calls that service with
``SERVICE`` and so answers only when it is reachable.
"""
from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("string", "iri", "label-or-iri", "integer", "decimal", "date", "boolean")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")


class BadQueryFile(ValueError):
    pass


class BadParameter(ValueError):
    pass


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str = "string"
    default: str | None = None
    description: str = ""

    def term(self, value: str, local_to_base=None):
        """The RDF term for ``value`` (a string from the request), or BadParameter."""
        value = value.strip()
        try:
            if self.type == "string":
                return ox.Literal(value)
            if self.type in ("iri", "label-or-iri"):
                if local_to_base is not None:
                    value = local_to_base(value)
                if _SCHEME.match(value):
                    return ox.NamedNode(value)
                if self.type == "iri":
                    raise BadParameter(f"parameter {self.name} must be an absolute IRI, not {value!r}")
                return ox.Literal(value)
            if self.type == "integer":
                return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
            if self.type == "decimal":
                float(value)
                return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
            if self.type == "date":
                if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
                    raise ValueError
                datatype = {4: "gYear", 7: "gYearMonth", 10: "date"}[len(value)]
                return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))
            if self.type == "boolean":
                if value.lower() not in ("true", "false", "1", "0"):
                    raise ValueError
                return ox.Literal(str(value.lower() in ("true", "1")).lower(), datatype=ox.NamedNode(XSD + "boolean"))
        except ValueError as exc:
            if isinstance(exc, BadParameter):
                raise
            raise BadParameter(f"parameter {self.name} must be {_article(self.type)} {self.type}, "
                               f"not {value!r}") from None
        raise BadParameter(f"parameter {self.name} has unknown type {self.type}")


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    sparql: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    path: Path | None = None
    network: str | None = None      # header "network: wikidata": answers only with that service reachable

    def substitutions(self, given: dict[str, str], local_to_base=None) -> dict[str, object]:
        """Terms for every parameter: the request's value, else the default. Unknown names
        are refused (a typo should not silently run the default)."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            takes = ", ".join(known) or "no parameters"
            raise BadParameter(f"unknown parameter {', '.join(unknown)}; {self.name} takes {takes}")
        out = {}
        for param in self.parameters:
            value = given.get(param.name, param.default)
            if value is None or str(value) == "":
                raise BadParameter(f"parameter {param.name} is required ({param.description})")
            out[param.name] = param.term(str(value), local_to_base)
        return out

    def to_json(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description,
                "parameters": [p.__dict__ for p in self.parameters], "network": self.network,
                "sparql": self.sparql}


def parse(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    header_lines = []
    lines = text.splitlines()
    for line in lines:
        if line.startswith("#"):
            header_lines.append(line[1:][1:] if line[1:2] == " " else line[1:])
        elif line.strip():
            break
        else:
            header_lines.append("")
    body = "\n".join(lines[len(header_lines):])
    header = _header(path, header_lines)
    if not isinstance(header, dict) or "title" not in header:
        raise BadQueryFile(f"{path.name}: the header must give at least 'title:'")
    params = []
    for name, spec in (header.get("parameters") or {}).items():
        spec = spec or {}
        ptype = spec.get("type", "string")
        if ptype not in TYPES:
            raise BadQueryFile(f"{path.name}: parameter {name} has unknown type {ptype!r}; use one of {TYPES}")
        if not re.search(r"[?$]" + re.escape(name) + r"\b", body):
            raise BadQueryFile(f"{path.name}: parameter {name} is not a variable (?{name}) of the query")
        projection = re.search(r"\bSELECT\b(.*?)(\bWHERE\b|\{)", body, re.IGNORECASE | re.DOTALL)
        if projection and not re.search(r"[?$]" + re.escape(name) + r"\b|\*", projection.group(1)):
            # Oxigraph binds a substitution only for a variable the SELECT clause returns.
            raise BadQueryFile(f"{path.name}: parameter {name} must be in the SELECT clause (?{name})")
        default = spec.get("default")
        params.append(Parameter(name, ptype, None if default is None else str(default),
                                str(spec.get("description", "")).strip()))
    return CannedQuery(path.stem, str(header["title"]).strip(), str(header.get("description", "")).strip(),
                       text, tuple(params), path, str(header["network"]) if header.get("network") else None)


def _header(path: Path, lines: list[str]) -> dict:
    """The YAML header; a one-line ``title: Syndication: versions`` (a colon in the value, which
    YAML refuses) is read as meant."""
    try:
        return yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        first_error = exc
    quoted = [re.sub(r"^(title|description):\s+(?![>|\"'])(.+)$", lambda m: f"{m[1]}: {json.dumps(m[2])}", line)
              for line in lines]
    try:
        return yaml.safe_load("\n".join(quoted)) or {}
    except yaml.YAMLError:
        raise BadQueryFile(f"{path.name}: the header is not valid YAML: {first_error}") from None


class Library:
    """The queries of a folder, re-read when a file is added, removed or edited (looked
    for at most once a second: a canned query is run on every request)."""

    RECHECK = 1.0

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._stamp: tuple | None = None
        self._checked = float("-inf")
        self._queries: dict[str, CannedQuery] = {}
        self.errors: dict[str, str] = {}       # file name → why it is not served

    def _signature(self) -> tuple:
        try:
            return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in self.folder.glob("*.rq")))
        except OSError:
            return ()

    def all(self) -> dict[str, CannedQuery]:
        now = time.monotonic()
        if now - self._checked < self.RECHECK:
            return self._queries
        self._checked = now
        stamp = self._signature()
        if stamp != self._stamp:
            queries, errors = {}, {}
            for path in sorted(self.folder.glob("*.rq")):
                if not _NAME.match(path.stem):
                    continue
                try:
                    queries[path.stem] = parse(path)
                except (BadQueryFile, OSError, UnicodeDecodeError) as exc:
                    errors[path.name] = str(exc)       # one broken file must not hide the others
                    print(f"kg serve: skipping canned query {exc}", file=sys.stderr)
            self._queries, self.errors, self._stamp = queries, errors, stamp
        return self._queries

    def get(self, name: str) -> CannedQuery | None:
        return self.all().get(name)
