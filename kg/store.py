"""The on-disk graph: an Oxigraph store, replaced atomically by each build.

Layout of a store folder (``--store DIR``)::

    DIR/current -> builds/<id>      the graph being served: a symlink, swapped atomically
    DIR/builds/<id>/oxigraph/       the Oxigraph (RocksDB) database of one build
    DIR/builds/<id>/build.json      what that build read, skipped and produced
    DIR/builds/<id>/dumps/          dump files written at build time (served as downloads)
    DIR/cache/                      per-article extraction cache

A build writes a new ``builds/<id>`` beside the current one and, only when it is complete,
points ``current`` at it with one ``rename(2)``. A build that fails or is killed leaves
``current`` — and whoever is reading it — untouched. The build before the current one is kept
so a server that has it open keeps working until it notices the swap.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pyoxigraph

COMPLETE = "COMPLETE"


class StoreMissing(FileNotFoundError):
    pass


def current_build(store_dir: Path) -> Path:
    link = store_dir / "current"
    if not link.exists():
        raise StoreMissing(f"no graph in {store_dir}: run 'kg build' first (or pass --store)")
    return link.resolve()


def open_read_only(store_dir: Path) -> pyoxigraph.Store:
    return pyoxigraph.Store.read_only(str(current_build(store_dir) / "oxigraph"))


def build_info(store_dir: Path) -> dict:
    path = current_build(store_dir) / "build.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


class NewBuild:
    """A build directory being written; ``commit`` makes it current."""

    def __init__(self, store_dir: Path):
        self.store_dir = store_dir
        builds = store_dir / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(store_dir)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        self.path = builds / f"{stamp}-{os.getpid()}"
        self.path.mkdir()
        self.store = pyoxigraph.Store(str(self.path / "oxigraph"))

    def write(self, quads) -> None:
        self.store.bulk_extend(quads)

    def commit(self, info: dict) -> None:
        self.store.flush()
        self.store.optimize()
        (self.path / "build.json").write_text(json.dumps(info, indent=2, ensure_ascii=False), encoding="utf-8")
        (self.path / COMPLETE).write_text(time.strftime("%Y-%m-%dT%H:%M:%S%z"))
        del self.store   # close RocksDB before anyone opens it read-only
        link = self.store_dir / "current"
        previous = link.resolve() if link.exists() else None
        tmp = self.store_dir / f".current-{os.getpid()}"
        if tmp.is_symlink():
            tmp.unlink()
        os.symlink(os.path.relpath(self.path, self.store_dir), tmp)
        os.replace(tmp, link)          # the atomic step
        _prune(self.store_dir, keep={self.path, previous})

    def abandon(self) -> None:
        try:
            del self.store
        except AttributeError:
            pass
        shutil.rmtree(self.path, ignore_errors=True)


def _remove_abandoned(store_dir: Path) -> None:
    """Builds that never completed (a killed 'kg build') are removed by the next build."""
    link = store_dir / "current"
    current = link.resolve() if link.exists() else None
    for build in (store_dir / "builds").iterdir():
        if build != current and not (build / COMPLETE).exists():
            pid = build.name.rsplit("-", 1)[-1]
            if pid.isdigit() and _alive(int(pid)):
                continue   # another build is running right now
            shutil.rmtree(build, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return pid != os.getpid()


def _prune(store_dir: Path, keep: set) -> None:
    for build in (store_dir / "builds").iterdir():
        if build not in keep and (build / COMPLETE).exists():
            shutil.rmtree(build, ignore_errors=True)
