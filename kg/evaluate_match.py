"""Matching and scoring for ``kg evaluate``: gold files, name folding, span overlap, per-category
scores and the "one IRI per real-world entity" check. No store access here: the inputs are
plain Python records, so every rule can be tested on small hand-made cases.

The rules are documented for annotators in ``tests/gold/README.md``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

TYPES = ("Person", "Organisation", "Location", "Event", "ReportingSource")
CATEGORIES = ("entities", "quotes", "indirect", "roles", "events", "numbers")
DATE_RE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?$")
QUOTE_OVERLAP = 0.8

_APOSTROPHES = "'\u2019\u2018\u02bc`\u00b4"


def fold(name: str) -> str:
    """Compare-form of a name: case, accents, apostrophes (curly or straight), possessive 's,
    punctuation and a leading "the" do not matter. "U.S." == "US"; "al-Wa’eli" == "al-Waeli"."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    for a in _APOSTROPHES:
        text = text.replace(a, "'")
    text = re.sub(r"'s\b", "", text)
    text = text.replace("'", "").replace(".", "")
    text = re.sub(r"[\W_]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def words(text: str) -> list[str]:
    """Folded words with a plural "s" dropped, for title and event-type comparison."""
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in fold(text).split()]


def same_type_word(a: str, b: str) -> bool:
    return words(a) == words(b)


def title_matches(predicted: str, gold: str) -> bool:
    """A predicted role name matches when it contains every word of the gold title."""
    have = set(words(predicted))
    return bool(words(gold)) and all(w in have for w in words(gold))


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def locate(text: str, article: str) -> tuple[int, int] | None:
    i = article.find(text)
    return (i, i + len(text)) if i >= 0 else None


# ---------------------------------------------------------------------------------- gold files

@dataclass
class GoldEntity:
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    optional: bool = False

    def names(self) -> set[str]:
        return {fold(n) for n in [self.name, *self.aliases] if fold(n)}


@dataclass
class Gold:
    path: Path
    article: str
    entities: list[GoldEntity]
    quotes: list[dict]
    indirect: list[dict]
    roles: list[dict]
    events: list[dict]
    numbers: list[dict]

    def entity(self, name: str | None) -> GoldEntity | None:
        return next((e for e in self.entities if e.name == name), None)


def load_gold(gold_dir: Path) -> list[Gold]:
    files = sorted(Path(gold_dir).glob("*.yaml"))
    if not files:
        raise FileNotFoundError(f"no gold *.yaml files in {gold_dir}")
    out = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict) or not data.get("article"):
            raise ValueError(f"{path}: not a gold file (no 'article:')")
        entities = [GoldEntity(str(e["name"]), str(e.get("type", "")), [str(a) for a in e.get("aliases") or []],
                               bool(e.get("optional", False))) for e in data.get("entities") or []]
        out.append(Gold(path, str(data["article"]), entities,
                        *[list(data.get(k) or []) for k in CATEGORIES[1:]]))
    return out


def gold_problems(gold: Gold, article: str) -> list[str]:
    """Inconsistencies of one gold file against its article text."""
    problems: list[str] = []
    say = lambda msg: problems.append(f"{gold.path.name}: {msg}")  # noqa: E731
    names = [e.name for e in gold.entities]
    for n in {n for n in names if names.count(n) > 1}:
        say(f"duplicate entity {n!r}")
    for e in gold.entities:
        if e.type not in TYPES:
            say(f"entity {e.name!r}: unknown type {e.type!r}")
        for a in e.aliases:
            if a not in article:
                say(f"entity {e.name!r}: alias {a!r} not in the article")
        if e.name not in article and not any(a in article for a in e.aliases):
            say(f"entity {e.name!r}: no surface form in the article")
    for section, refs in (("quotes", ("speaker", "medium")), ("indirect", ("speaker",)),
                          ("roles", ("person", "organisation")), ("events", ("place",)), ("numbers", ())):
        for item in getattr(gold, section):
            for t in [item.get("text"), *(item.get("also") or [])]:
                if not isinstance(t, str) or t not in article:
                    say(f"{section}: text not in the article: {t!r}")
                elif article.count(t) > 1:
                    say(f"{section}: text occurs {article.count(t)} times (the first is used): {t!r}")
            for ref in refs:
                if item.get(ref) is not None and item[ref] not in names:
                    say(f"{section}: {ref} {item[ref]!r} is not an entity of this file")
            if section == "events" and item.get("date") is not None and not DATE_RE.match(str(item["date"])):
                say(f"events: bad date {item['date']!r}")
    return problems


# ------------------------------------------------------------------------------- predictions

@dataclass
class Pred:
    """One predicted entity as seen from one article."""
    iri: str
    type: str
    label: str = ""
    surfaces: set[str] = field(default_factory=set)
    event_instance: bool = False          # has nkg:eventType: scored under events

    def names(self) -> set[str]:
        return {fold(n) for n in [self.label, *self.surfaces] if fold(n)}


@dataclass
class Fact:
    """A predicted statement / role / event / quantity with its evidence spans in one article."""
    iri: str
    spans: list[tuple[int, int]]
    attrs: dict = field(default_factory=dict)


def ratio(good: int, total: int) -> float | None:
    return good / total if total else None


def score_entities(gold: Gold, preds: list[Pred]) -> dict:
    pairs, matched_gold, tp, fp_list, ignored = [], set(), 0, [], 0
    for p in preds:
        hits = [g for g in gold.entities if p.names() & g.names()]
        pairs += [(p, g) for g in hits]
        if any(not g.optional for g in hits):
            tp += 1
        elif not hits and not p.event_instance:
            fp_list.append(f"{p.label or min(p.surfaces, default=p.iri)} ({p.type})")
        else:
            ignored += 1
        matched_gold.update(g.name for g in hits)
    required = [g for g in gold.entities if not g.optional]
    found = [g for g in required if g.name in matched_gold]
    typed = sum(1 for p, g in pairs if p.type == g.type)
    return {"gold": len(required), "pred": tp + len(fp_list), "tp": tp, "found": len(found), "ignored": ignored,
            **_pr(tp, tp + len(fp_list), len(found), len(required)),
            "type_ok": typed, "type_n": len(pairs), "type_acc": ratio(typed, len(pairs)),
            "misses": [g.name for g in required if g.name not in matched_gold],
            "false_positives": sorted(fp_list),
            "type_errors": sorted({f"{g.name}: {p.type} (gold {g.type})" for p, g in pairs if p.type != g.type}),
            "_pairs": [(p.iri, g.name) for p, g in pairs]}


def _pr(tp: int, n_pred: int, found: int, n_gold: int) -> dict:
    p = ratio(tp, n_pred)
    r = ratio(found, n_gold)
    f = (2 * p * r / (p + r) if p + r else 0.0) if p is not None and r is not None else None
    return {"P": p, "R": r, "F1": f}


class Names:
    """Gold names of each canonical entity across all gold files, and predicted names of IRIs."""

    def __init__(self, golds: list[Gold], iri_names: dict[str, set[str]]):
        self.gold: dict[str, set[str]] = {}
        for g in golds:
            for e in g.entities:
                self.gold.setdefault(e.name, set()).update(e.names())
        self.iri = {iri: {fold(n) for n in names if fold(n)} for iri, names in iri_names.items()}

    def same(self, iri_or_value: str | None, gold_name: str | None) -> bool:
        if not iri_or_value or not gold_name:
            return False
        mine = self.iri.get(iri_or_value) or {fold(iri_or_value)}
        return bool(mine & self.gold.get(gold_name, {fold(gold_name)}))


def _best(facts: list[Fact], where: tuple[int, int], need: float) -> list[tuple[int, Fact]]:
    found = []
    for f in facts:
        o = max((overlap(s, where) for s in f.spans), default=0)
        if o > 0 and o >= need:
            found.append((o, f))
    return sorted(found, key=lambda x: -x[0])


def score_quotes(gold: Gold, article: str, facts: list[Fact], names: Names) -> dict:
    direct = [f for f in facts if f.attrs.get("kind") == "direct"]
    located, found, speaker_ok, medium_n, medium_ok, misses, wrong = [], 0, 0, 0, 0, [], []
    for q in gold.quotes:
        where = locate(q["text"], article)
        located.append(where)
        hits = _best(direct, where, QUOTE_OVERLAP * (where[1] - where[0])) if where else []
        if not hits:
            misses.append(f"{q['speaker']}: {q['text'][:70]}")
            continue
        found += 1
        good = [f for _, f in hits if any(names.same(s, q["speaker"]) for s in f.attrs.get("speaker", []))]
        speaker_ok += bool(good)
        if not good:
            said = [n for _, f in hits for n in f.attrs.get("speaker_label", [])]
            wrong.append(f"{q['text'][:50]}: {', '.join(said) or 'no speaker'} "
                         f"(gold {q['speaker']})")
        if q.get("medium"):
            medium_n += 1
            medium_ok += any(names.same(m, q["medium"]) for _, f in hits for m in f.attrs.get("medium", []))
    tp, fps = 0, []
    for f in direct:
        ok = any(w and any(overlap(s, w) >= QUOTE_OVERLAP * min(w[1] - w[0], s[1] - s[0]) for s in f.spans)
                 for w in located)
        tp += ok
        if not ok:
            fps.append(f.attrs.get("text", f.iri)[:70])
    return {"gold": len(gold.quotes), "pred": len(direct), "tp": tp, "found": found,
            **_pr(tp, len(direct), found, len(gold.quotes)),
            "speaker_ok": speaker_ok, "speaker_n": found, "speaker_acc": ratio(speaker_ok, found),
            "medium_ok": medium_ok, "medium_n": medium_n, "medium_acc": ratio(medium_ok, medium_n),
            "misses": misses, "false_positives": fps, "wrong_speaker": wrong}


def score_indirect(gold: Gold, article: str, facts: list[Fact], names: Names) -> dict:
    located = found = 0
    misses = []
    for item in gold.indirect:
        where = locate(item["text"], article)
        hits = _best(facts, where, 1) if where else []
        located += bool(hits)
        if any(names.same(s, item["speaker"]) for _, f in hits for s in f.attrs.get("speaker", [])):
            found += 1
        else:
            misses.append(f"{item['speaker']}: {item['text'][:70]}" + ("  [span found, speaker wrong]" if hits else ""))
    return {"gold": len(gold.indirect), "found": found, "located": located,
            "R": ratio(found, len(gold.indirect)), "misses": misses}


def score_roles(gold: Gold, facts: list[Fact], names: Names) -> dict:
    found = org_n = org_ok = 0
    misses = []
    for role in gold.roles:
        hits = [f for f in facts if any(names.same(h, role["person"]) for h in f.attrs.get("holder", []))
                and any(title_matches(t, role["title"]) for t in f.attrs.get("roleName", []))]
        if not hits:
            misses.append(f"{role['person']}: {role['title']}")
            continue
        found += 1
        if role.get("organisation"):
            org_n += 1
            org_ok += any(names.same(o, role["organisation"]) for f in hits for o in f.attrs.get("organisation", []))
    return {"gold": len(gold.roles), "pred": len(facts), "found": found, "R": ratio(found, len(gold.roles)),
            "org_ok": org_ok, "org_n": org_n, "org_acc": ratio(org_ok, org_n), "misses": misses}


def score_events(gold: Gold, article: str, facts: list[Fact], names: Names) -> dict:
    found = date_n = date_ok = place_n = place_ok = 0
    misses, wrong_dates, wrong_places = [], [], []
    for ev in gold.events:
        spans = [w for w in (locate(t, article) for t in [ev["text"], *(ev.get("also") or [])]) if w]
        hits = [f for f in facts if any(same_type_word(t, ev["type"]) for t in f.attrs.get("eventType", []))
                and any(overlap(s, w) for s in f.spans for w in spans)]
        if not hits:
            misses.append(f"{ev['type']}: {ev['text'][:60]}")
            continue
        found += 1
        if ev.get("date"):
            date_n += 1
            dates = {d for f in hits for d in f.attrs.get("date", [])}
            date_ok += str(ev["date"]) in dates
            if str(ev["date"]) not in dates:
                wrong_dates.append(f"{ev['type']}: {', '.join(sorted(dates)) or 'no date'} (gold {ev['date']})")
        if ev.get("place"):
            place_n += 1
            places = {p for f in hits for p in f.attrs.get("place", [])}
            if any(names.same(p, ev["place"]) for p in places):
                place_ok += 1
            else:
                wrong_places.append(f"{ev['type']}: {', '.join(sorted(places)) or 'no place'} (gold {ev['place']})")
    return {"gold": len(gold.events), "pred": len(facts), "found": found, "R": ratio(found, len(gold.events)),
            "date_ok": date_ok, "date_n": date_n, "date_acc": ratio(date_ok, date_n),
            "place_ok": place_ok, "place_n": place_n, "place_acc": ratio(place_ok, place_n),
            "misses": misses, "wrong_dates": wrong_dates,
            "wrong_places": wrong_places}


def score_numbers(gold: Gold, article: str, facts: list[Fact]) -> dict:
    found = 0
    misses = []
    for n in gold.numbers:
        where = locate(n["text"], article)
        ok = where and any(_num_eq(v, n["value"]) for f in facts for v in f.attrs.get("value", [])
                           if any(overlap(s, where) for s in f.spans))
        found += bool(ok)
        if not ok:
            misses.append(f"{n['value']} {n.get('counts', '')}")
    return {"gold": len(gold.numbers), "pred": len(facts), "found": found,
            "R": ratio(found, len(gold.numbers)), "misses": misses}


def _num_eq(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return False


def identity(pairs: list[tuple[str, str]]) -> dict:
    """One IRI per real-world entity: ``pairs`` are (predicted IRI, gold canonical name) matches
    over all articles. Duplicates: a gold thing matched by several IRIs; conflations: an IRI
    matched to several gold things."""
    by_gold: dict[str, set[str]] = {}
    by_iri: dict[str, set[str]] = {}
    for iri, name in pairs:
        by_gold.setdefault(name, set()).add(iri)
        by_iri.setdefault(iri, set()).add(name)
    dups = {g: sorted(i) for g, i in sorted(by_gold.items()) if len(i) > 1}
    confl = {i: sorted(g) for i, g in sorted(by_iri.items()) if len(g) > 1}
    clean = [g for g, i in by_gold.items() if len(i) == 1 and not any(len(by_iri[x]) > 1 for x in i)]
    return {"gold_things": len(by_gold), "one_iri": len(clean), "share": ratio(len(clean), len(by_gold)),
            "duplicates": dups, "conflations": confl}


def total(rows: list[dict]) -> dict:
    """Micro-averaged totals of per-article score dicts of one category."""
    keys = {k for r in rows for k, v in r.items() if isinstance(v, int) and not isinstance(v, bool)}
    out = {k: sum(r.get(k) or 0 for r in rows) for k in sorted(keys)}
    if "tp" in out:
        out.update(_pr(out["tp"], out["pred"], out["found"], out["gold"]))
    else:
        out["R"] = ratio(out["found"], out["gold"])
    for name in ("type", "speaker", "medium", "org", "date", "place"):
        if f"{name}_n" in out:
            out[f"{name}_acc"] = ratio(out[f"{name}_ok"], out[f"{name}_n"])
    return out
