"""The server's settings: flags first, then environment variables, then defaults.

    --store DIR          KG_STORE            ./kg-store
    --workers N          KG_WORKERS          one per core   query worker processes
    --threads N          KG_THREADS          4 per worker   HTTP threads (waitress)
    --timeout SECONDS    KG_QUERY_TIMEOUT    30             a query running longer is stopped (503)
    --max-rows N         KG_MAX_ROWS         100000         longer answers are cut, and say so (0: no limit)
    --service-allow URL  KG_SERVICE_ALLOW    Wikidata       SERVICE endpoints queries may call
    --service-map A=B    KG_SERVICE_MAP      none           SERVICE <A> is sent to B (a mirror; tests)
    --queries DIR        KG_QUERIES          queries/       the canned queries
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..resources import project_dir
from .federation import allowed_services, service_map

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 100_000


@dataclass
class Settings:
    store_dir: Path = field(default_factory=lambda: config.store_dir(None))
    workers: int = 0
    threads: int = 0
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    services: tuple[str, ...] = field(default_factory=allowed_services)
    service_map: dict[str, str] = field(default_factory=dict)
    queries_dir: Path = field(default_factory=lambda: project_dir("queries"))
    html_rows: int = 1000           # rows shown in an HTML table (the downloads have them all)
    max_query_bytes: int = 1_000_000

    def __post_init__(self) -> None:
        self.workers = self.workers or max(1, os.cpu_count() or 1)
        self.threads = self.threads or max(8, 4 * self.workers)


def from_args(args) -> Settings:
    env = os.environ

    def pick(flag, name, cast, default):
        if flag is not None:
            return cast(flag)
        if env.get(name):
            return cast(env[name])
        return default

    return Settings(
        store_dir=config.store_dir(getattr(args, "store", None)),
        workers=pick(args.workers, "KG_WORKERS", int, 0),
        threads=pick(args.threads, "KG_THREADS", int, 0),
        timeout=pick(args.timeout, "KG_QUERY_TIMEOUT", float, DEFAULT_TIMEOUT),
        max_rows=pick(args.max_rows, "KG_MAX_ROWS", int, DEFAULT_MAX_ROWS),
        services=allowed_services(args.service_allow),
        service_map=service_map(getattr(args, "service_map", None)),
        queries_dir=pick(args.queries, "KG_QUERIES", Path, project_dir("queries")),
    )
