"""Which articles are versions of the same report.

News travels by copying: a site republishes a wire story, a blog rewrites it citing the
outlet. Versions share long runs of words, so each article's content (page furniture
masked) is cut into word 5-gram shingles, summarised by a MinHash, and candidate pairs come
from a locality-sensitive hashing forest (each article's nearest neighbours) — never from comparing all pairs, so the cost grows with the
number of articles, not its square. Each candidate pair is then measured exactly (shingle
containment: how much of the shorter one the longer one holds).

Versions are grouped into stories. In each story the copy published by the outlet the
versions name as original ("(CNN) —", "CNN reports", "From Michael Ware, CNN"), else the
earliest dated, else the longest, is the source the others are versions of.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from datasketch import MinHash, MinHashLSHForest

from .groups import DisjointSets
from .matching import key
from .records import Article, Extraction

SHINGLE = 5
NUM_PERM = 64
CANDIDATE_THRESHOLD = 0.10    # estimated Jaccard below which a neighbour is not checked
MIN_CONTAINMENT = 0.25        # share of the shorter version's shingles found in the other
MIN_JACCARD = 0.15            # and overall overlap: sharing a few paragraphs is quoting, not copying
MAX_CANDIDATES = 30           # nearest neighbours checked per article: bounds the work per article


@dataclass
class Version:
    doc_id: str
    of: str               # the document it is a version of (the story's source)
    similarity: float     # shingle containment of the pair
    jaccard: float


@dataclass
class Story:
    source: str                       # doc id of the source version
    documents: list[str]              # every version, source first
    original_publisher: str | None    # outlet name as a version writes it
    author: str | None


@dataclass
class Syndication:
    stories: list[Story] = field(default_factory=list)
    versions: list[Version] = field(default_factory=list)
    story_of: dict[str, int] = field(default_factory=dict)    # doc id → index in stories

    def group(self, doc_id: str) -> str:
        """A key shared by all versions of one report (the doc itself when it has none). It
        names the story's source document, not its position, so it is stable across builds
        (quantity IRIs are minted from it)."""
        index = self.story_of.get(doc_id)
        return f"story:{self.stories[index].source}" if index is not None else f"doc:{doc_id}"


def shingles(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))
    return {" ".join(words[i:i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 0))}


def content_text(article: Article, extraction: Extraction) -> str:
    return " ".join(article.text[start:end] for start, end in extraction.content)


def detect(articles: list[Article], extractions: list[Extraction]) -> Syndication:
    by_id = {x.doc_id: (a, x) for a, x in zip(articles, extractions)}
    sets = {doc_id: shingles(content_text(a, x)) for doc_id, (a, x) in by_id.items()}
    forest = MinHashLSHForest(num_perm=NUM_PERM)
    signatures: dict[str, MinHash] = {}
    for doc_id, items in sets.items():
        if len(items) < 10:
            continue   # too short to tell a copy from a coincidence
        signature = MinHash(num_perm=NUM_PERM, seed=1)
        signature.update_batch([s.encode("utf-8") for s in items])
        signatures[doc_id] = signature
        forest.add(doc_id, signature)
    forest.index()

    reports = DisjointSets(signatures)   # documents joined into one report

    pairs: dict[tuple[str, str], tuple[float, float]] = {}
    for doc_id, signature in signatures.items():
        # The forest gives the top-k nearest by MinHash in sub-linear time: never all pairs.
        candidates = [c for c in forest.query(signature, MAX_CANDIDATES + 1) if c != doc_id]
        for other in candidates:
            if signature.jaccard(signatures[other]) < CANDIDATE_THRESHOLD:
                continue
            pair = (min(doc_id, other), max(doc_id, other))
            if pair in pairs:
                continue
            a, b = sets[pair[0]], sets[pair[1]]
            common = len(a & b)
            containment = common / min(len(a), len(b))
            jaccard = common / len(a | b)
            if containment >= MIN_CONTAINMENT and jaccard >= MIN_JACCARD:
                pairs[pair] = (containment, jaccard)
                reports.union(*pair)

    neighbours: dict[str, set[str]] = {}
    for x, y in pairs:
        neighbours.setdefault(x, set()).add(y)
        neighbours.setdefault(y, set()).add(x)
    members = reports.groups(neighbours)
    result = Syndication()
    for group in sorted(members.values(), key=lambda g: sorted(g)[0]):
        # A story is a source and the documents that copy it (an edge to the source): a document
        # reached only through a chain of partial copies belongs to another story, if any.
        # Sources are taken in rank order, once: the work is linear in the group's edges.
        assigned: set[str] = set()
        for source in _ranked(group, by_id, sets):
            if source in assigned:
                continue
            versions = sorted(d for d in neighbours[source] if d not in assigned)
            if not versions:
                continue
            assigned.update([source, *versions])
            _add(result, _story([source, *versions], by_id), pairs)
    return result


def _add(result: Syndication, story: Story, pairs) -> None:
    index = len(result.stories)
    result.stories.append(story)
    for doc_id in story.documents:
        result.story_of[doc_id] = index
        if doc_id != story.source:
            containment, jaccard = pairs[(min(doc_id, story.source), max(doc_id, story.source))]
            result.versions.append(Version(doc_id, story.source, round(containment, 3), round(jaccard, 3)))


def _ranked(group: list[str], by_id, sets) -> list[str]:
    """Most likely sources first: published by the outlet the versions name as original, then
    the earliest dated, then the fullest."""
    meta = {d: by_id[d][1].metadata for d in group}
    originals = [m.original_publisher.value for m in meta.values() if m.original_publisher]
    original = max(sorted(set(originals)), key=originals.count) if originals else None

    def rank(d: str) -> tuple:
        m = meta[d]
        by_original = bool(original and m.publisher and _same_outlet(m.publisher.value, original))
        dated = m.date.value if m.date else "9999"
        return (not by_original, dated, -len(sets[d]), d)

    return sorted(group, key=rank)


def _story(documents: list[str], by_id) -> Story:
    """A source (first) and its versions, with what the versions say about the original report."""
    meta = {d: by_id[d][1].metadata for d in documents}
    originals = [m.original_publisher.value for m in meta.values() if m.original_publisher]
    original = max(sorted(set(originals)), key=originals.count) if originals else None
    authors = [a.value for d in documents for a in meta[d].authors
               if meta[d].original_publisher and a.rule in ("from-byline", "byline")]
    return Story(documents[0], documents, original, authors[0] if authors else None)


def _same_outlet(a: str, b: str) -> bool:
    from .matching import is_acronym_of
    return key(a) == key(b) or is_acronym_of(a, b) or is_acronym_of(b, a)
