"""The seeds' extraction scores may not fall below the issue's acceptance floor.

Scored by `kg evaluate` against the hand-made gold in tests/gold/seeds (annotated from the
article text), on the graph a user gets."""
from __future__ import annotations

import json

import pytest

from conftest import run_kg

FLOORS = {
    ("entities", "P"): 0.95, ("entities", "R"): 0.95, ("entities", "type_acc"): 0.95,
    ("quotes", "R"): 1.0, ("quotes", "speaker_acc"): 0.97,
    ("indirect", "R"): 0.80,
    ("roles", "R"): 0.90,
    ("events", "R"): 0.85, ("events", "date_acc"): 0.85,
    ("numbers", "R"): 0.90,
}


@pytest.fixture(scope="module")
def scores(seeds_store):
    out = run_kg("evaluate", "tests/gold/seeds", "--store", str(seeds_store), "--json", check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("category,measure", sorted(FLOORS))
def test_seed_scores_stay_above_the_floor(scores, category, measure):
    value = scores["total"][category][measure]
    assert value >= FLOORS[(category, measure)], f"{category} {measure} fell to {value:.3f}"


def test_no_duplicate_entities_across_the_seeds(scores):
    assert scores["identity"]["duplicates"] == {}
