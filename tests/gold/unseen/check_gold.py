#!/usr/bin/env python3
"""Check the hand-made gold files in this folder against their articles.

For every *.yaml here (each names its article in articles/), report:
  * any `text` value (quotes, indirect, roles, events, numbers) that is not an
    exact substring of the article;
  * any quote whose text is not enclosed by quote marks in the article;
  * any speaker / person / organisation / place / medium that is not the `name`
    of an entity in the same file;
  * any entity alias not found verbatim in the article, entities with no
    surface form in the article, duplicate names, unknown types, bad dates.
Exits 1 listing every problem, 0 when all files pass.

Usage: python check_gold.py [GOLD_DIR]
"""
import re
import sys
from pathlib import Path

import yaml

TYPES = {"Person", "Organisation", "Location", "Event", "ReportingSource"}
OPEN_Q = "\"“‘'"
CLOSE_Q = "\"”’'"
DATE_RE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?$")
TOP_KEYS = {"article", "entities", "quotes", "indirect", "roles", "events", "numbers"}


def quoted_in(text, article):
    """True if `text` occurs in the article right after an opening quote mark and
    is followed (after an optional comma) by a closing quote mark."""
    start = 0
    while True:
        i = article.find(text, start)
        if i < 0:
            return False
        j = i + len(text)
        if i > 0 and article[i - 1] in OPEN_Q:
            rest = article[j:j + 2]
            if rest[:1] in CLOSE_Q or (rest[:1] == "," and rest[1:2] in CLOSE_Q):
                return True
        start = i + 1


def check(path):
    errors = []
    err = lambda msg: errors.append(f"{path.name}: {msg}")
    try:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        return [f"{path.name}: YAML error: {e}"]
    if not isinstance(gold, dict):
        return [f"{path.name}: not a mapping"]
    for k in gold:
        if k not in TOP_KEYS:
            err(f"unknown top-level key {k!r}")
    art_name = gold.get("article")
    if not art_name or Path(art_name).stem != path.stem:
        err(f"article {art_name!r} does not share the stem of the gold file")
    art_path = path.parent / "articles" / str(art_name)
    if not art_path.is_file():
        return errors + [f"{path.name}: article {art_path} missing"]
    article = art_path.read_text(encoding="utf-8")

    names = set()
    for e in gold.get("entities") or []:
        n = e.get("name")
        if not n:
            err(f"entity without name: {e}")
            continue
        if n in names:
            err(f"duplicate entity name {n!r}")
        names.add(n)
        if e.get("type") not in TYPES:
            err(f"entity {n!r}: bad type {e.get('type')!r}")
        if not isinstance(e.get("optional", False), bool):
            err(f"entity {n!r}: optional must be true/false")
        aliases = e.get("aliases") or []
        for a in aliases:
            if a not in article:
                err(f"entity {n!r}: alias {a!r} not found verbatim in article")
        if n not in article and not any(a in article for a in aliases):
            err(f"entity {n!r}: neither name nor any alias occurs in article")

    def need_entity(section, field, value):
        if value is None:
            return
        if value not in names:
            err(f"{section}: {field} {value!r} is not the name of an entity in this file")

    def need_text(section, item):
        t = item.get("text")
        if not isinstance(t, str) or not t:
            err(f"{section}: missing text in {item}")
            return False
        if t not in article:
            err(f"{section}: text not found verbatim: {t!r}")
            return False
        return True

    for q in gold.get("quotes") or []:
        if need_text("quotes", q) and not quoted_in(q["text"], article):
            err(f"quotes: text is not enclosed by quote marks: {q['text']!r}")
        if not q.get("speaker"):
            err(f"quotes: no speaker for {q.get('text')!r}")
        need_entity("quotes", "speaker", q.get("speaker"))
        need_entity("quotes", "medium", q.get("medium"))
    for s in gold.get("indirect") or []:
        need_text("indirect", s)
        if not s.get("speaker"):
            err(f"indirect: no speaker for {s.get('text')!r}")
        need_entity("indirect", "speaker", s.get("speaker"))
    for r in gold.get("roles") or []:
        need_text("roles", r)
        need_entity("roles", "person", r.get("person"))
        need_entity("roles", "organisation", r.get("organisation"))
        if not r.get("title"):
            err(f"roles: no title in {r}")
        elif r["title"].lower() not in r.get("text", "").lower():
            err(f"roles: title {r['title']!r} not inside its text {r.get('text')!r}")
    for ev in gold.get("events") or []:
        need_text("events", ev)
        need_entity("events", "place", ev.get("place"))
        if not ev.get("type") or ev["type"] != ev["type"].lower():
            err(f"events: type must be a lower-case noun: {ev.get('type')!r}")
        d = ev.get("date")
        if d is not None and not (isinstance(d, str) and DATE_RE.match(d)):
            err(f"events: date {d!r} is not an xsd date / gYearMonth / gYear string")
    for n in gold.get("numbers") or []:
        need_text("numbers", n)
        if not isinstance(n.get("value"), (int, float)) or isinstance(n.get("value"), bool):
            err(f"numbers: value must be a number in {n}")
        if not n.get("counts"):
            err(f"numbers: no 'counts' in {n}")
    return errors


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    files = sorted(root.glob("*.yaml"))
    if not files:
        print(f"no gold files in {root}")
        return 1
    problems = []
    for f in files:
        problems += check(f)
    for p in problems:
        print(p)
    print(f"{len(files)} gold files checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
