"""Dump files of one build, written once: ``builds/<id>/dumps/dump.nq`` and ``dump.nq.gz``.

A build never changes after it is made current, so its dumps are written on first request
and then served as static files (with ETag, Last-Modified, Range). Writing uses
``kg.dump.write_dump`` (Oxigraph's serializers) in a separate process, so a dump of a
large graph neither holds the web server's GIL nor counts against the query time limit;
each file appears atomically (written under a temporary name, then renamed).
"""
from __future__ import annotations

import gzip
import multiprocessing
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pyoxigraph

from ..dump import write_dump

# file extension → kg.dump format
FORMATS = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "nt": "ntriples"}

_locks: dict[tuple[str, str], threading.Lock] = {}
_locks_guard = threading.Lock()


class DumpFailed(RuntimeError):
    pass


def folder(build_path: Path) -> Path:
    """``builds/<id>/dumps``, or a temporary folder when the store is not writable."""
    target = build_path / "dumps"
    try:
        target.mkdir(exist_ok=True)
        if os.access(target, os.W_OK):
            return target
    except OSError:
        pass
    fallback = Path(tempfile.gettempdir()) / "kg-dumps" / build_path.name
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


def ensure(build_path: Path, ext: str) -> tuple[Path, Path]:
    """The plain and gzipped dump files in format ``ext``, writing them if needed."""
    out = folder(build_path)
    plain, packed = out / f"dump.{ext}", out / f"dump.{ext}.gz"
    if plain.exists() and packed.exists():
        return plain, packed
    with _lock(str(build_path), ext):
        if not (plain.exists() and packed.exists()):
            context = multiprocessing.get_context("spawn")
            process = context.Process(target=write_files, args=(str(build_path), ext, str(plain), str(packed)),
                                      name="kg-dump-writer", daemon=True)
            process.start()
            process.join()
            if process.exitcode != 0 or not (plain.exists() and packed.exists()):
                raise DumpFailed(f"writing the {ext} dump failed (exit status {process.exitcode})")
    return plain, packed


def _lock(build: str, ext: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault((build, ext), threading.Lock())


def write_files(build_path: str, ext: str, plain: str, packed: str) -> None:
    """In the writer process: the dump, then its gzip copy, each renamed into place."""
    store = pyoxigraph.Store.read_only(str(Path(build_path) / "oxigraph"))
    suffix = f".{os.getpid()}.tmp"
    if not os.path.exists(plain):
        with open(plain + suffix, "wb") as handle:
            write_dump(store, FORMATS[ext], handle)
        os.replace(plain + suffix, plain)
    if not os.path.exists(packed):
        with open(plain, "rb") as source, open(packed + suffix, "wb") as raw, \
                gzip.GzipFile(os.path.basename(plain), "wb", 6, raw) as target:   # gunzip -N gives dump.EXT
            shutil.copyfileobj(source, target, 1 << 20)
        os.replace(packed + suffix, packed)
