#!/usr/bin/env python3
"""Check the gold files of a gold directory against their articles.

Usage: python tests/gold/check_gold.py GOLD_DIR        (e.g. tests/gold/dev3)

One checker for every development set (dev/, dev2/, dev3/).

For every GOLD_DIR/*.yaml (the article is GOLD_DIR/articles/<article>, or GOLD_DIR/<article>):

* every `text` (quotes, indirect, roles, events, numbers) and every event `also` mention
  occurs verbatim in the article, exactly once;
* every speaker, medium, person, organisation and place is the `name` of an entity of the
  same file; role persons are entities of type Person;
* entity names are unique, types are Person | Organisation | Location | Event |
  ReportingSource, `optional` is a boolean, every alias occurs verbatim in the article and
  no alias is claimed by two entities of the file;
* event types are lower case, dates are YYYY / YYYY-MM / YYYY-MM-DD (valid calendar dates),
  numbers have a numeric `value` and a `counts`;
* the `article` field has the same stem as the YAML file; no unknown keys;
* across files, one surface form (name or alias, case-sensitive) never maps to two
  different canonical names.

Exits 1 and lists the problems when there are any, else prints a summary and exits 0.
"""
from __future__ import annotations

import datetime as _dt
import re
import sys
from pathlib import Path

import yaml

TYPES = {"Person", "Organisation", "Location", "Event", "ReportingSource"}
SECTIONS = {
    "entities": {"name", "type", "aliases", "optional", "note"},
    "quotes": {"text", "speaker", "medium", "note"},
    "indirect": {"text", "speaker", "note"},
    "roles": {"person", "title", "organisation", "text", "note"},
    "events": {"type", "text", "also", "date", "place", "note"},
    "numbers": {"value", "counts", "text", "note"},
}
REQUIRED = {
    "entities": {"name", "type"},
    "quotes": {"text", "speaker"},
    "indirect": {"text", "speaker"},
    "roles": {"person", "title", "text"},
    "events": {"type", "text"},
    "numbers": {"value", "counts", "text"},
}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _valid_date(s: str) -> bool:
    if not DATE_RE.match(s):
        return False
    parts = [int(p) for p in s.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def check_file(path: Path, gold_dir: Path, surface: dict, problems: list) -> dict:
    def bad(msg: str) -> None:
        problems.append(f"{path.name}: {msg}")

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        bad(f"YAML error: {exc}")
        return {}
    if not isinstance(doc, dict):
        bad("not a mapping")
        return {}
    unknown = set(doc) - set(SECTIONS) - {"article"}
    if unknown:
        bad(f"unknown top-level keys {sorted(unknown)}")
    article = doc.get("article")
    if not article:
        bad("no `article` field")
        return {}
    if Path(article).stem != path.stem:
        bad(f"article {article!r} does not have the stem {path.stem!r}")
    art_path = next((p for p in (gold_dir / "articles" / article, gold_dir / article) if p.is_file()), None)
    if art_path is None:
        bad(f"article file {article!r} not found")
        return {}
    content = art_path.read_text(encoding="utf-8")

    counts = {}
    for sec, allowed in SECTIONS.items():
        items = doc.get(sec) or []
        if not isinstance(items, list):
            bad(f"`{sec}` is not a list")
            items = []
        for i, it in enumerate(items):
            if not isinstance(it, dict):
                bad(f"{sec}[{i}] is not a mapping")
                continue
            extra = set(it) - allowed
            if extra:
                bad(f"{sec}[{i}] unknown keys {sorted(extra)}")
            missing = REQUIRED[sec] - set(k for k, v in it.items() if v not in (None, ""))
            if missing:
                bad(f"{sec}[{i}] missing {sorted(missing)}")
        counts[sec] = len(items)
        doc[sec] = [it for it in items if isinstance(it, dict)]

    # entities
    ents: dict[str, dict] = {}
    alias_owner: dict[str, str] = {}
    for e in doc["entities"]:
        name = e.get("name")
        if not isinstance(name, str) or not name:
            continue
        if name in ents:
            bad(f"entity {name!r} defined twice")
        ents[name] = e
        if e.get("type") not in TYPES:
            bad(f"entity {name!r}: bad type {e.get('type')!r}")
        if "optional" in e and not isinstance(e["optional"], bool):
            bad(f"entity {name!r}: `optional` is not a boolean")
        aliases = e.get("aliases") or []
        if not isinstance(aliases, list):
            bad(f"entity {name!r}: aliases is not a list")
            aliases = []
        for a in aliases:
            if not isinstance(a, str) or not a:
                bad(f"entity {name!r}: bad alias {a!r}")
                continue
            if a not in content:
                bad(f"entity {name!r}: alias not found verbatim in the article: {a!r}")
            if a in alias_owner and alias_owner[a] != name:
                bad(f"alias {a!r} claimed by {alias_owner[a]!r} and {name!r}")
            alias_owner[a] = name
        for form in [name, *[a for a in aliases if isinstance(a, str)]]:
            surface.setdefault(form, {}).setdefault(name, set()).add(path.name)

    def need_text(where: str, text) -> None:
        if not isinstance(text, str) or not text:
            bad(f"{where}: empty text")
            return
        n = content.count(text)
        if n == 0:
            bad(f"{where}: text not found verbatim: {text!r}")
        elif n > 1:
            bad(f"{where}: text occurs {n} times (must be once): {text!r}")

    def need_name(where: str, name, types: set | None = None) -> None:
        if name is None:
            return
        if name not in ents:
            bad(f"{where}: {name!r} is not the name of an entity of this file")
        elif types and ents[name].get("type") not in types:
            bad(f"{where}: {name!r} has type {ents[name].get('type')}, expected {sorted(types)}")

    for i, q in enumerate(doc["quotes"]):
        w = f"quotes[{i}]"
        need_text(w, q.get("text"))
        need_name(w + ".speaker", q.get("speaker"))
        need_name(w + ".medium", q.get("medium"))
    for i, q in enumerate(doc["indirect"]):
        w = f"indirect[{i}]"
        need_text(w, q.get("text"))
        need_name(w + ".speaker", q.get("speaker"))
    for i, r in enumerate(doc["roles"]):
        w = f"roles[{i}]"
        need_text(w, r.get("text"))
        need_name(w + ".person", r.get("person"), {"Person"})
        need_name(w + ".organisation", r.get("organisation"))
    for i, ev in enumerate(doc["events"]):
        w = f"events[{i}]"
        need_text(w, ev.get("text"))
        also = ev.get("also") or []
        if not isinstance(also, list):
            bad(f"{w}.also is not a list")
            also = []
        for j, a in enumerate(also):
            need_text(f"{w}.also[{j}]", a)
        t = ev.get("type")
        if isinstance(t, str) and t != t.lower():
            bad(f"{w}: event type not lower case: {t!r}")
        if ev.get("date") is not None:
            d = ev["date"]
            if not isinstance(d, str) or not _valid_date(d):
                bad(f"{w}: bad date {d!r} (quote it; YYYY, YYYY-MM or YYYY-MM-DD)")
        need_name(w + ".place", ev.get("place"))
    for i, n in enumerate(doc["numbers"]):
        w = f"numbers[{i}]"
        need_text(w, n.get("text"))
        v = n.get("value")
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            bad(f"{w}: value is not a number: {v!r}")
    counts["entities"] = len(ents)
    return counts


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    gold_dir = Path(argv[1])
    files = sorted(gold_dir.glob("*.yaml"))
    if not files:
        print(f"no gold files in {gold_dir}", file=sys.stderr)
        return 1
    problems: list[str] = []
    surface: dict = {}
    summary = {}
    for f in files:
        summary[f.name] = check_file(f, gold_dir, surface, problems)
    for form, owners in sorted(surface.items()):
        if len(owners) > 1:
            desc = "; ".join(f"{n!r} in {', '.join(sorted(fs))}" for n, fs in sorted(owners.items()))
            problems.append(f"surface form {form!r} maps to different canonical names: {desc}")
    cols = ["entities", "quotes", "indirect", "roles", "events", "numbers"]
    print(f"{'file':<52}" + "".join(f"{c:>10}" for c in cols))
    for name, c in summary.items():
        print(f"{name:<52}" + "".join(f"{c.get(k, 0):>10}" for k in cols))
    tot = {k: sum(c.get(k, 0) for c in summary.values()) for k in cols}
    print(f"{'TOTAL':<52}" + "".join(f"{tot[k]:>10}" for k in cols))
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        return 1
    print("\nOK: all texts found verbatim (once), all names defined.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
