"""``kg build``: read → extract → resolve → map → store, with a report of what happened.

The NLP pass dominates build time, so it runs in worker processes and its result for each
article is cached on disk by a hash of the article text and the extractor version: a
rebuild only extracts new or changed articles. Resolution and mapping always run over the
whole corpus (they are fast and depend on every article).
"""
from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import os
import pickle
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import curated, reporting
from .discrepancies import find as find_discrepancies
from .extract import VERSION as EXTRACTOR_VERSION
from .mapping import Mapper
from .read import read_corpus
from .records import RECORD_LAYOUT, Article, Extraction, Skipped
from .reports import merge_statements
from .resolve import resolve, split_conflations
from .syndication import detect
from .store import NewBuild


@dataclass
class BuildReport:
    documents: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    quads: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    statements: int = 0
    roles: int = 0
    events: int = 0
    quantities: int = 0
    stories: int = 0
    discrepancies: int = 0
    cached: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    curated_file: str | None = None
    base: str = ""
    fingerprint: str = ""
    unchanged: bool = False          # nothing to do: the current graph was built from the same input

    def to_json(self) -> dict:
        data = self.__dict__.copy()
        data["skipped"] = [s.__dict__ for s in self.skipped]
        del data["unchanged"]
        return data

    @classmethod
    def from_json(cls, data: dict) -> "BuildReport":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["skipped"] = [Skipped(**s) for s in data.get("skipped", [])]
        return cls(**known)


class BuildError(RuntimeError):
    pass


def cache_key(article: Article) -> str:
    payload = json.dumps([EXTRACTOR_VERSION, RECORD_LAYOUT, article.text, article.html_meta, article.file], sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def build(inputs: list[Path], store_dir: Path, base: str, curated_path: Path | None = None,
          workers: int | None = None, encoding: str = "utf-8",
          progress: Callable[[str], None] | None = None, use_cache: bool = True,
          force: bool = False) -> BuildReport:
    """Build the graph of ``inputs`` into ``store_dir``; the previous graph stays until success.

    When the current graph was built from exactly the same input (articles, curated file, base
    IRI, and this code), there is nothing to do and its report is returned (``unchanged``);
    ``force`` rebuilds anyway (from the extraction cache unless ``use_cache`` is false)."""
    say = progress or (lambda message: None)
    report = BuildReport(base=base)
    t0 = time.perf_counter()
    corpus = read_corpus(inputs, encoding)
    report.skipped = corpus.skipped
    for skipped in corpus.skipped:
        say(f"skipped {skipped.file}: {skipped.reason}")
    if not corpus.articles:
        raise BuildError(f"no readable articles under {', '.join(str(p) for p in inputs)}")
    knowledge = curated.load(curated_path)
    report.curated_file = str(curated_path) if curated_path else None
    report.fingerprint = fingerprint(corpus, curated_path, base)
    report.seconds["read"] = time.perf_counter() - t0
    previous = current_report(store_dir)
    if not force and previous is not None and previous.fingerprint == report.fingerprint:
        say("nothing changed since the last build (same articles, curated file, base IRI and code)")
        previous.unchanged = True
        previous.seconds = {"read": report.seconds["read"], "total": time.perf_counter() - t0}
        return previous

    # The new build lives beside the current one from the start; only commit() makes it current.
    target = NewBuild(store_dir)
    try:
        t1 = time.perf_counter()
        cache_dir = store_dir / "cache" / "extract"
        extractions, report.cached = extract_all(corpus.articles, cache_dir, workers, say, read_cache=use_cache)
        report.seconds["extract"] = time.perf_counter() - t1

        t2 = time.perf_counter()
        extractions = [split_conflations(x, knowledge) for x in extractions]
        resolution = resolve(extractions, knowledge)
        report.seconds["resolve"] = time.perf_counter() - t2
        t_syn = time.perf_counter()
        syndication = detect(corpus.articles, extractions)
        report.seconds["syndication"] = time.perf_counter() - t_syn
        utterances, utterance_of = merge_statements(extractions, resolution)
        discrepancies = find_discrepancies(corpus.articles, extractions, resolution, utterances, syndication)
        mapper = Mapper(base, resolution, utterances, utterance_of, syndication.group)
        report.seconds["reporting"] = time.perf_counter() - t_syn

        t3 = time.perf_counter()
        say(f"writing the graph of {len(corpus.articles)} articles to {target.path}")
        counter = _Counter()
        texts = {a.doc_id: a.text for a in corpus.articles}
        # One stream into one bulk load: Oxigraph's loader sorts and writes big batches far
        # faster than many small ones.
        target.write(itertools.chain(
            ontology_quads(),
            counter.count(mapper.entities()),
            *(counter.count(mapper.article(a, x)) for a, x in zip(corpus.articles, extractions)),
            counter.count(reporting.quads(mapper, texts, syndication, discrepancies))))
        report.stories = len(syndication.stories)
        report.discrepancies = len(discrepancies)
        report.documents = len(corpus.articles)
        report.quads = counter.n
        report.entities = dict(sorted(Counter(e.type for e in resolution.entities).items()))
        report.statements = counter.types.get("Statement", 0)
        report.roles = counter.types.get("Role", 0)
        report.events = counter.types.get("Event", 0) - report.entities.get("Event", 0)
        report.quantities = counter.types.get("Quantity", 0)
        report.seconds["store"] = time.perf_counter() - t3
        report.seconds["total"] = time.perf_counter() - t0
        target.commit(report.to_json())
    except BaseException:
        target.abandon()
        raise
    return report


def fingerprint(corpus, curated_path: Path | None, base: str) -> str:
    """What a graph is a function of: every article (by its cache key), the skipped files,
    the curated file, the base IRI, and the code, lexicons and ontology that build it."""
    from .resources import PACKAGE_DIR, project_dir

    digest = hashlib.sha256()
    sources = sorted(PACKAGE_DIR.rglob("*.py")) + sorted((PACKAGE_DIR / "data").glob("*")) + \
        [project_dir("ontology") / "kg.ttl"]
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    curated_bytes = curated_path.read_bytes() if curated_path and curated_path.is_file() else b""
    digest.update(json.dumps([base, str(curated_path), hashlib.sha256(curated_bytes).hexdigest(),
                              [cache_key(a) for a in corpus.articles],
                              [[s.file, s.reason] for s in corpus.skipped]]).encode())
    return digest.hexdigest()


def current_report(store_dir: Path) -> BuildReport | None:
    """The report of the graph being served from ``store_dir``, if there is one."""
    try:
        return BuildReport.from_json(json.loads((store_dir / "current" / "build.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


ONTOLOGY_GRAPH = "https://w3id.org/newskg/ns"


def ontology_quads():
    """The ontology itself, in its own named graph: class labels and the class hierarchy are
    then queryable beside the data (and SHACL's sh:class sees ReportingSource ⊑ Organisation)."""
    import pyoxigraph

    from .resources import project_dir

    graph = pyoxigraph.NamedNode(ONTOLOGY_GRAPH)
    with open(project_dir("ontology") / "kg.ttl", "rb") as handle:
        for triple in pyoxigraph.parse(handle, pyoxigraph.RdfFormat.TURTLE):
            yield pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, graph)


class _Counter:
    """Counts quads and typed subjects as they stream into the store."""

    def __init__(self) -> None:
        self.n = 0
        self.types: Counter = Counter()
        self._seen: set[str] = set()

    def count(self, quads):
        for quad in quads:
            self.n += 1
            if quad.predicate.value.endswith("#type"):
                name = quad.object.value.rsplit("#", 1)[-1]
                if quad.subject.value not in self._seen:
                    self._seen.add(quad.subject.value)
                    self.types[name] += 1
            yield quad


# ---------------------------------------------------------------------- extraction in parallel

def extract_all(articles: list[Article], cache_dir: Path | None, workers: int | None,
                say: Callable[[str], None], read_cache: bool = True) -> tuple[list[Extraction], int]:
    results: list[Extraction | None] = [None] * len(articles)
    todo: list[int] = []
    for i, article in enumerate(articles):
        cached = _cache_read(cache_dir, article) if cache_dir and read_cache else None
        if cached is not None:
            results[i] = cached
        else:
            todo.append(i)
    hits = len(articles) - len(todo)
    if hits:
        say(f"{hits} of {len(articles)} articles unchanged since the last build (cached)")
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    meter = _Progress(len(todo), say)
    if not todo:
        return [r for r in results if r is not None], hits
    from .extract.nlp import load
    global _NLP
    # Load the pipeline here, before any worker exists: a missing pipeline fails once, clearly,
    # and forked workers share the loaded model's memory.
    nlp = _NLP = load()
    if workers == 1 or len(todo) < 4:
        from .extract import extract
        for i in todo:
            results[i] = extract(articles[i], nlp)
            _cache_write(cache_dir, articles[i], results[i])
            meter.tick()
    else:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_worker_init) as pool:
            batches = pool.imap(_worker_extract, [articles[i] for i in todo], chunksize=4)
            for i, extraction in zip(todo, batches):
                results[i] = extraction
                _cache_write(cache_dir, articles[i], extraction)
                meter.tick()
    meter.done()
    return [r for r in results if r is not None], hits


_NLP = None


def _worker_init() -> None:
    _die_with_parent()


def _die_with_parent() -> None:
    """A killed 'kg build' must not leave extraction workers behind (Linux: PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _worker_extract(article: Article) -> Extraction:
    from .extract import extract
    return extract(article, _NLP)


def _cache_path(cache_dir: Path, article: Article) -> Path:
    digest = cache_key(article)
    return cache_dir / digest[:2] / f"{digest}.pickle"


def _cache_read(cache_dir: Path, article: Article) -> Extraction | None:
    # Pickle, not JSON: a rebuild loads every article's extraction, and unpickling is ~7x
    # faster than rebuilding the dataclasses from JSON. The cache lives inside the user's own
    # store directory and is written only by kg; the key includes the extractor version and
    # the record layout, so an entry is never read back by code that would misread it.
    path = _cache_path(cache_dir, article)
    if not path.exists():
        return None
    try:
        extraction = pickle.loads(path.read_bytes())
    except Exception:       # a stale or damaged entry (pickle raises many kinds) is re-extracted
        return None
    return extraction if isinstance(extraction, Extraction) else None


def _cache_write(cache_dir: Path | None, article: Article, extraction: Extraction) -> None:
    if cache_dir is None:
        return
    path = _cache_path(cache_dir, article)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, path)


class _Progress:
    """'extracting 120/1000 (12%), 35.1 articles/s, ~25 s left' — at most once a second."""

    def __init__(self, total: int, say: Callable[[str], None]):
        self.total, self.say, self.n = total, say, 0
        self.start = self.last = time.perf_counter()

    def tick(self) -> None:
        self.n += 1
        now = time.perf_counter()
        if now - self.last >= 1.0 or self.n == self.total:
            self.last = now
            rate = self.n / max(now - self.start, 1e-9)
            left = (self.total - self.n) / rate if rate else 0
            self.say(f"extracting {self.n}/{self.total} ({100 * self.n // max(self.total, 1)}%), "
                     f"{rate:.1f} articles/s, ~{left:.0f} s left")

    def done(self) -> None:
        if self.total:
            elapsed = time.perf_counter() - self.start
            self.say(f"extracted {self.total} articles in {elapsed:.1f} s")


def print_report(report: BuildReport, store_dir: Path, out=sys.stderr) -> None:
    if report.unchanged:
        print(f"{store_dir} is up to date: {report.documents} documents, {report.quads} triples "
              f"(kg build --force rebuilds it)", file=out)
        return
    print(f"built {store_dir}: {report.documents} documents read, {len(report.skipped)} skipped", file=out)
    for skipped in report.skipped:
        print(f"  skipped {skipped.file}: {skipped.reason}", file=out)
    print(f"  {report.quads} triples; entities: " +
          ", ".join(f"{n} {kind}" for kind, n in report.entities.items()), file=out)
    print(f"  {report.statements} statements, {report.roles} roles, {report.events} events, "
          f"{report.quantities} quantities; {report.stories} syndicated stories, "
          f"{report.discrepancies} discrepancies; {report.cached} articles from cache; "
          f"{report.seconds.get('total', 0):.1f} s", file=out)
