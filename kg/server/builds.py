"""Which build the server answers from, following ``STORE/current`` without a restart.

``kg build`` swaps the ``current`` symlink atomically when a new graph is complete. Reading
the link costs one ``readlink`` system call, so it is read on every request: each query job
carries the build directory it is for, and a worker whose store is older reopens it. The
previous build is kept by the builder, so a job already running on it finishes normally.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..store import StoreMissing


@dataclass(frozen=True)
class Build:
    path: Path
    info: dict

    @property
    def id(self) -> str:
        return self.path.name

    @property
    def base(self) -> str:
        return config.base_iri(self.info.get("base") or None)


class Builds:
    def __init__(self, store_dir: Path):
        self.store_dir = Path(store_dir)
        self._lock = threading.Lock()
        self._cache: dict[str, Build] = {}

    def current(self) -> Build:
        link = self.store_dir / "current"
        try:
            target = os.readlink(link)
        except OSError:
            raise StoreMissing(f"no graph in {self.store_dir}: run 'kg build' first") from None
        with self._lock:
            build = self._cache.get(target)
        if build is None:
            path = (self.store_dir / target).resolve()
            info_path = path / "build.json"
            info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {}
            build = Build(path, info)
            with self._lock:
                self._cache = {target: build}     # forget older builds
        return build
