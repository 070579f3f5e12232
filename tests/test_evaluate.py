"""``kg evaluate``: the matching rules on small hand-made inputs, the seed gold files against
their articles, and one run of the real command on the seed store."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kg import evaluate_match as m

from conftest import ROOT, SEEDS, run_kg

GOLD_SEEDS = ROOT / "tests" / "gold" / "seeds"

ARTICLE = ("Former U.S. Ambassador Zalmay Khalilzad said, “We still regard them as a terrorist "
           "organization.” Iranian officials tied the MEK to an explosion in February at a school "
           "in Zahedan. All 3,800 camp residents were questioned.")


def make_gold(tmp_path: Path, **sections) -> m.Gold:
    data = {"article": "a.txt", "entities": [
        {"name": "Zalmay Khalilzad", "type": "Person", "aliases": ["Khalilzad"]},
        {"name": "United States", "type": "Location", "aliases": ["U.S."]},
        {"name": "People's Mojahedin Organization of Iran", "type": "Organisation", "aliases": ["MEK"]},
        {"name": "Government of Iran", "type": "Organisation", "aliases": ["Iranian officials"], "optional": True},
        {"name": "Zahedan", "type": "Location"},
    ], **sections}
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return m.load_gold(tmp_path)[0]


def names_for(gold: m.Gold, iri_names: dict) -> m.Names:
    return m.Names([gold], iri_names)


def span(text: str) -> tuple[int, int]:
    where = m.locate(text, ARTICLE)
    assert where is not None
    return where


# ------------------------------------------------------------------------------------ folding

@pytest.mark.parametrize("a, b", [
    ("U.S.", "US"), ("Shirwan al-Wa’eli", "Shirwan al-Wa'eli"), ("Iran’s", "Iran"),
    ("The New Yorker", "New Yorker"), ("the Pentagon", "PENTAGON"), ("Mojahedín", "Mojahedin"),
    ("Multi-National Force – Iraq", "Multi National Force Iraq"), ("Iranian govt.", "iranian govt"),
])
def test_fold_equal(a, b):
    assert m.fold(a) == m.fold(b)


@pytest.mark.parametrize("a, b", [("Iran", "Iraq"), ("Masoud Rajavi", "Maryam Rajavi"), ("Theodore", "odore")])
def test_fold_different(a, b):
    assert m.fold(a) != m.fold(b)


def test_overlap_and_locate():
    assert m.overlap((0, 10), (5, 20)) == 5
    assert m.overlap((0, 5), (5, 9)) == 0
    assert m.locate("Zahedan", ARTICLE) == (ARTICLE.index("Zahedan"), ARTICLE.index("Zahedan") + 7)
    assert m.locate("Tehran", ARTICLE) is None


def test_title_and_event_type_words():
    assert m.title_matches("former U.S. Ambassador", "ambassador")
    assert m.title_matches("MKO leaders", "leader")
    assert m.title_matches("U.S. Maj. Gen.", "Maj. Gen.")
    assert not m.title_matches("President", "vice president")
    assert m.same_type_word("protests", "protest")
    assert not m.same_type_word("riots", "protest")


# ----------------------------------------------------------------------------------- entities

def test_entities_alias_matching_optional_and_types(tmp_path):
    gold = make_gold(tmp_path)
    preds = [
        m.Pred("e:kh", "Person", "Zalmay Khalilzad", {"Khalilzad"}),
        m.Pred("e:us", "Organisation", "United States of America", {"U.S."}),   # matched by surface form, wrong type
        m.Pred("e:mek", "Organisation", "MEK", set()),                          # matched by label (an alias)
        m.Pred("e:gov", "Organisation", "Iran government", {"Iranian officials"}),  # only optional gold: ignored
        m.Pred("e:x", "Person", "Camp", {"camp"}),                              # false positive
        m.Pred("e:ev", "Event", "explosion", set(), event_instance=True),       # event instance: never a FP
    ]
    s = m.score_entities(gold, preds)
    assert (s["gold"], s["pred"], s["tp"], s["found"]) == (4, 4, 3, 3)
    assert s["P"] == pytest.approx(0.75) and s["R"] == pytest.approx(0.75)
    assert s["misses"] == ["Zahedan"]
    assert s["false_positives"] == ["Camp (Person)"]
    assert s["type_acc"] == pytest.approx(3 / 4)      # 4 pairs (incl. the optional one), one wrong type


def test_identity_duplicates_and_conflations():
    pairs = [("i:iran", "Iran"), ("i:iri", "Iran"), ("i:iran", "Iran"),
             ("i:pjak", "PJAK"), ("i:pjak", "PKK"), ("i:cnn", "CNN")]
    ident = m.identity(pairs)
    assert ident["duplicates"] == {"Iran": ["i:iran", "i:iri"]}
    assert ident["conflations"] == {"i:pjak": ["PJAK", "PKK"]}
    assert (ident["gold_things"], ident["one_iri"]) == (4, 1)


# ----------------------------------------------------------------------- statements and facts

QUOTE = "We still regard them as a terrorist organization."


def test_quotes_overlap_threshold_speaker_and_precision(tmp_path):
    gold = make_gold(tmp_path, quotes=[{"text": QUOTE, "speaker": "Zalmay Khalilzad"}])
    names = names_for(gold, {"e:kh": {"Khalilzad"}, "e:us": {"United States"}})
    s0, e0 = span(QUOTE)
    almost = m.Fact("s1", [(s0, s0 + int(0.85 * (e0 - s0)))], {"kind": "direct", "speaker": ["e:kh"]})
    other = m.Fact("s2", [span("All 3,800 camp residents")], {"kind": "direct", "speaker": ["e:us"]})
    s = m.score_quotes(gold, ARTICLE, [almost, other], names)
    assert (s["found"], s["tp"], s["pred"]) == (1, 1, 2)
    assert s["speaker_acc"] == 1.0 and s["P"] == 0.5

    too_short = m.Fact("s3", [(s0, s0 + int(0.7 * (e0 - s0)))], {"kind": "direct", "speaker": ["e:kh"]})
    assert m.score_quotes(gold, ARTICLE, [too_short], names)["found"] == 0
    wrong = m.Fact("s4", [(s0 - 1, e0 + 1)], {"kind": "direct", "speaker": ["e:us"]})
    s = m.score_quotes(gold, ARTICLE, [wrong], names)
    assert s["found"] == 1 and s["speaker_acc"] == 0.0
    indirect_only = m.Fact("s5", [(s0, e0)], {"kind": "indirect", "speaker": ["e:kh"]})
    assert m.score_quotes(gold, ARTICLE, [indirect_only], names)["found"] == 0


def test_indirect_speaker_through_gold_aliases(tmp_path):
    text = "tied the MEK to an explosion in February"
    gold = make_gold(tmp_path, indirect=[{"speaker": "Government of Iran", "text": text}])
    names = names_for(gold, {"e:gov": {"Iranian officials"}, "e:iran": {"Iran"}})
    s0, e0 = span(text)
    ok = m.Fact("s", [(s0 - 20, s0 + 5)], {"kind": "indirect", "speaker": ["e:gov"]})
    assert m.score_indirect(gold, ARTICLE, [ok], names)["found"] == 1
    wrong = m.Fact("s", [(s0, e0)], {"kind": "indirect", "speaker": ["e:iran"]})
    s = m.score_indirect(gold, ARTICLE, [wrong], names)
    assert (s["found"], s["located"]) == (0, 1)


def test_roles_events_numbers(tmp_path):
    gold = make_gold(
        tmp_path,
        roles=[{"person": "Zalmay Khalilzad", "title": "ambassador", "organisation": "United States",
                "text": "Former U.S. Ambassador Zalmay Khalilzad"}],
        events=[{"type": "explosion", "text": "an explosion in February at a school in Zahedan",
                 "date": "2007-02", "place": "Zahedan", "also": ["explosion in February"]}],
        numbers=[{"value": 3800, "counts": "camp residents", "text": "3,800 camp residents"}])
    names = names_for(gold, {"e:kh": {"Zalmay Khalilzad"}, "e:us": {"U.S."}, "e:z": {"Zahedan"}})
    role = m.Fact("r", [(0, 10)], {"holder": ["e:kh"], "roleName": ["former U.S. Ambassador"], "organisation": ["e:us"]})
    s = m.score_roles(gold, [role], names)
    assert s["found"] == 1 and s["org_acc"] == 1.0
    assert m.score_roles(gold, [m.Fact("r", [], {"holder": ["e:kh"], "roleName": ["envoy"]})], names)["found"] == 0

    s0, _ = span("explosion in February")
    event = m.Fact("ev", [(s0, s0 + 9)], {"eventType": ["explosions"], "date": ["2007"], "place": ["e:z"]})
    s = m.score_events(gold, ARTICLE, [event], names)
    assert (s["found"], s["date_acc"], s["place_acc"]) == (1, 0.0, 1.0)
    assert m.score_events(gold, ARTICLE, [m.Fact("ev", [(s0, s0 + 9)], {"eventType": ["bombing"]})], names)["found"] == 0

    n0, n1 = span("3,800")
    assert m.score_numbers(gold, ARTICLE, [m.Fact("q", [(n0, n1)], {"value": ["3800"]})])["found"] == 1
    assert m.score_numbers(gold, ARTICLE, [m.Fact("q", [(n0, n1)], {"value": ["380"]})])["found"] == 0


def test_totals_are_micro_averaged():
    rows = [{"gold": 2, "pred": 2, "tp": 2, "found": 2, "type_ok": 2, "type_n": 2},
            {"gold": 8, "pred": 2, "tp": 0, "found": 0, "type_ok": 0, "type_n": 0}]
    t = m.total(rows)
    assert t["P"] == 0.5 and t["R"] == 0.2 and t["type_acc"] == 1.0


# ------------------------------------------------------------------------- the seed gold files

def test_seed_gold_files_are_consistent_with_their_articles():
    golds = m.load_gold(GOLD_SEEDS)
    assert sorted(g.article for g in golds) == sorted(p.name for p in SEEDS.glob("*.txt"))
    problems = [p for g in golds for p in m.gold_problems(g, (SEEDS / g.article).read_text(encoding="utf-8"))]
    assert problems == []
    # one canonical name per real thing: the same name always has the same type
    types: dict[str, set[str]] = {}
    for g in golds:
        for e in g.entities:
            types.setdefault(e.name, set()).add(e.type)
    assert {n: t for n, t in types.items() if len(t) > 1} == {}


def test_evaluate_command_scores_every_article_and_category(seeds_store):
    result = run_kg("evaluate", str(GOLD_SEEDS), "--corpus", "seeds", "--store", str(seeds_store),
                    "--json", "--baseline", "spacy")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert sorted(data["articles"]) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for name, row in data["articles"].items():
        for cat in (*m.CATEGORIES, "baseline_entities"):
            assert "R" in row[cat], (name, cat)
        assert row["entities"]["F1"] is not None and row["baseline_entities"]["F1"] is not None
    for cat in m.CATEGORIES:
        assert data["total"][cat]["R"] is not None
    assert data["identity"]["gold_things"] > 0 and data["gold_problems"] == []

    table = run_kg("evaluate", str(GOLD_SEEDS), "--store", str(seeds_store), "-v")
    assert table.returncode == 0, table.stderr
    for cat in m.CATEGORIES:
        assert cat in table.stdout
    assert "one IRI per entity" in table.stdout
    strict = run_kg("evaluate", str(GOLD_SEEDS), "--store", str(seeds_store), "--min-f1", "1.01")
    assert strict.returncode == 1 and "below --min-f1" in strict.stderr
