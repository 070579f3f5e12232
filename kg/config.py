"""Settings shared by every command, from flags first, then environment, then defaults.

    --store DIR   KG_STORE      ./kg-store            where the graph lives
    --base IRI    KG_BASE_IRI   http://localhost:5000/ under which entity IRIs are minted
"""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_STORE = "kg-store"
DEFAULT_BASE = "http://localhost:5000/"


def store_dir(flag: str | None) -> Path:
    return Path(flag or os.environ.get("KG_STORE") or DEFAULT_STORE)


def base_iri(flag: str | None) -> str:
    base = flag or os.environ.get("KG_BASE_IRI") or DEFAULT_BASE
    return base if base.endswith(("/", "#")) else base + "/"
