"""Stable IRIs: minted from type and normalised canonical name under a configurable base.

Building the same input twice gives the same IRIs (and so byte-identical dumps): nothing
here depends on time, order of processing or randomness.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from .matching import key

NKG = "https://w3id.org/newskg/ns#"
TYPE_PATHS = {"Person": "person", "Organisation": "organisation", "Location": "location", "Event": "event",
              "ReportingSource": "source"}


def slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "unnamed"


def digest(*parts: str, length: int = 16) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


class Minter:
    def __init__(self, base: str):
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def entity(self, kind: str, name: str) -> str:
        return f"{self.base}{TYPE_PATHS[kind]}/{slug(name)}"

    def document(self, doc_id: str) -> str:
        return f"{self.base}document/{doc_id}"

    def span(self, doc_id: str, start: int, end: int) -> str:
        # RFC 5147 fragment identifier for plain text: the span's own IRI says where it is.
        return f"{self.document(doc_id)}#char={start},{end}"

    def statement(self, speaker_iri: str, text: str) -> str:
        return f"{self.base}statement/{digest(speaker_iri, key(text))}"

    def role(self, person_iri: str, title: str, org_iri: str | None) -> str:
        return f"{self.base}role/{digest(person_iri, key(title), org_iri or '')}"

    def quantity(self, value: float, counts: str, doc_scope: str) -> str:
        return f"{self.base}quantity/{digest(repr(value), key(counts), doc_scope)}"

    def graph(self, name: str) -> str:
        return f"{self.base}graph/{name}"

    @property
    def knowledge_graph(self) -> str:
        return self.graph("knowledge")
