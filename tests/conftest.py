"""Shared fixtures: the seed corpus built once per test session into a real on-disk store,
and a helper that runs the real ``kg`` command line."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def run_kg(*args: str, cwd: Path | None = None, env: dict | None = None, check: bool = False,
           input: str | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m kg ARGS`` as a user would, capturing its output."""
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd or ROOT, env=full_env,
                            capture_output=True, text=True, input=input, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"kg {' '.join(args)} exited {result.returncode}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory) -> Path:
    """The seeds (with their curated-knowledge file) built into a store."""
    store = tmp_path_factory.mktemp("seeds") / "store"
    run_kg("build", str(SEEDS), "--store", str(store), check=True)
    return store


@pytest.fixture(scope="session")
def seeds_store_uncurated(tmp_path_factory) -> Path:
    """The seeds built with no curated knowledge at all."""
    store = tmp_path_factory.mktemp("seeds-plain") / "store"
    run_kg("build", str(SEEDS), "--store", str(store), "--no-curated", check=True)
    return store


@pytest.fixture()
def corpus_dir(tmp_path) -> Path:
    """A writable copy of the seed articles."""
    target = tmp_path / "corpus"
    target.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, target / path.name)
    return target


def article_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")
