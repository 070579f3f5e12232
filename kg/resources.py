"""Where the package finds its data: lexicons shipped in ``kg/data`` and the project's
``ontology/``, ``queries/`` and ``seeds/`` folders.

The project folders live at the top of the repository (users edit them there). When the
package is installed without the repository, the copies bundled into the wheel are used.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def project_dir(name: str) -> Path:
    """``ontology``, ``queries`` or ``seeds``: the repository's folder, else the bundled copy."""
    in_repo = PACKAGE_DIR.parent / name
    if in_repo.is_dir():
        return in_repo
    return PACKAGE_DIR / "_bundled" / name


@lru_cache(maxsize=None)
def load_yaml(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}
