"""Read a folder of articles: plain text as is, HTML through trafilatura.

Reading never raises on a bad file: a file that is binary, empty, or not in the
expected encoding becomes a ``Skipped`` record with a reason the user can act on,
and the rest of the corpus builds.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .records import Article, Skipped

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
# Files that live beside articles on purpose (curated knowledge, notes, gold standards).
IGNORED_SUFFIXES = {".yaml", ".yml", ".json", ".jsonl", ".md", ".ttl"}


@dataclass
class Corpus:
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def find_files(paths: list[Path]) -> Iterator[tuple[Path, str]]:
    """Yield (path, display name) for every candidate file under ``paths``, in a stable order."""
    for root in paths:
        if root.is_file():
            yield root, root.name
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root)
            if any(part.startswith(".") for part in rel.parts):
                continue  # hidden files and folders (.git, .DS_Store) are never articles
            yield path, rel.as_posix()


def read_corpus(paths: list[Path], encoding: str = "utf-8") -> Corpus:
    corpus = Corpus()
    seen_ids: set[str] = set()
    for path, name in find_files(paths):
        suffix = path.suffix.lower()
        if suffix in IGNORED_SUFFIXES:
            continue
        if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
            corpus.skipped.append(Skipped(name, f"not an article file type ({suffix or 'no extension'}); "
                                                f"expected .txt or .html"))
            continue
        result = read_article(path, name, encoding)
        if isinstance(result, Skipped):
            corpus.skipped.append(result)
            continue
        result.doc_id = _unique(result.doc_id, name, seen_ids)
        corpus.articles.append(result)
    return corpus


def read_article(path: Path, name: str, encoding: str = "utf-8") -> Article | Skipped:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skipped(name, f"cannot read file: {exc.strerror or exc}")
    if not data.strip():
        return Skipped(name, "empty file")
    if _looks_binary(data):
        return Skipped(name, "binary file, not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = data[exc.start:exc.start + 1].hex()
        return Skipped(name, f"not valid {encoding}: byte 0x{bad} at offset {exc.start}; "
                             f"re-encode it (e.g. iconv -f latin1 -t utf-8) or pass --encoding")
    text = text.removeprefix("\ufeff")
    doc_id = document_id(name)
    if path.suffix.lower() in HTML_SUFFIXES:
        return _from_html(text, doc_id, name)
    if not text.strip():
        return Skipped(name, "empty file")
    return Article(doc_id=doc_id, file=name, text=text)


def document_id(name: str) -> str:
    """An IRI-safe id from a file name: its stem, folded to ASCII letters, digits, _ and -."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_-]+", "-", folded).strip("-") or "document"


def _unique(doc_id: str, name: str, seen: set[str]) -> str:
    """Two files with one stem in different folders must not share a graph."""
    if doc_id in seen:
        doc_id = f"{doc_id}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"
    seen.add(doc_id)
    return doc_id


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


def _from_html(html: str, doc_id: str, name: str) -> Article | Skipped:
    import trafilatura  # heavy import, only when the corpus has HTML

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          favor_recall=True)
    except Exception as exc:  # trafilatura raises many kinds on hostile markup
        return Skipped(name, f"HTML could not be parsed: {exc}")
    if doc is None or not (doc.text or "").strip():
        return Skipped(name, "HTML page has no article text")
    meta = {key: str(getattr(doc, key)) for key in ("title", "author", "date", "sitename", "url")
            if getattr(doc, key, None)}
    # trafilatura separates paragraphs by one newline; a blank line keeps paragraphs apart for
    # the layout step, which reads text files the same way.
    text = "\n\n".join(line for line in doc.text.split("\n"))
    return Article(doc_id=doc_id, file=name, text=text, html_meta=meta)
