"""Writing links into the curated-knowledge file without losing what people wrote in it.

The file is edited as text, never re-dumped from YAML: a dump would drop every comment, the
reasons people gave for their entries, and reorder keys. An entry that names the entity
(by its name or an alias) gets three lines added at its end::

    wikidata: Q1530
    wikidata_score: 0.93
    wikidata_checked: "2026-11-26 kg link (review)"

and an entity the file does not know yet gets a new entry (name, type and those three
lines) at the end of the ``entities:`` list. ``wikidata_checked`` says the link was found by
a program, for a person to confirm. The result is parsed again before it replaces the file
(written to a temporary file and renamed): if it does not read back as the same entries
plus the new links, nothing is written.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import curated

HEADER = """\
# Curated knowledge: entities whose names, aliases and types a person has checked
# (see kg/curated.py). `kg link` adds the Wikidata links it is confident of, marked
# "kg link (review)" for a person to confirm.

entities:
"""
_ENTRY = re.compile(r"^(?P<indent>[ \t]*)-[ \t]+name:[ \t]*(?P<value>.*)$")
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .,'’()&/–-]*$")


class CuratedEditError(ValueError):
    """The file could not be edited safely; it was left as it was."""


@dataclass
class Link:
    name: str              # the entity's label in the graph
    type: str
    aliases: list[str]
    qid: str
    score: float


def write_links(path: Path, links: list[Link], checked: str) -> list[str]:
    """Record ``links`` in the curated file at ``path``; returns one line per change."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if not text.endswith("\n"):
        text += "\n"
    before = curated.load(path) if path.exists() else curated.Knowledge([], path)
    lines = text.splitlines(keepends=True)
    spans = _entry_spans(lines, before)
    inserts: dict[int, list[str]] = {}      # line index → lines to insert before it
    appended: list[str] = []
    done = []
    edited: list[tuple[int, str]] = []
    added: list[Link] = []
    for link in links:
        entry_index, conflict = _find(before, link)
        fields = [f"wikidata: {link.qid}", f"wikidata_score: {link.score:.2f}", f"wikidata_checked: {json.dumps(checked)}"]
        if conflict:
            done.append(f"{link.name}: {conflict}; not written, decide by hand")
        elif entry_index is not None:
            entry = before.entities[entry_index]
            if entry.wikidata:
                done.append(f"{link.name}: the file already links {entry.wikidata}; left as it is")
                continue
            if any(i == entry_index for i, _ in edited):
                done.append(f"{link.name} → {link.qid}: its entry already got a link in this run; decide by hand")
                continue
            start, end, indent = spans[entry_index]
            inserts.setdefault(end, []).extend(f"{indent}{f}\n" for f in fields)
            edited.append((entry_index, link.qid))
            done.append(f"{link.name} ({link.type}) → {link.qid}: added to its entry")
        else:
            appended.append("\n")
            appended.append(f"  - name: {_scalar(link.name)}\n")
            appended.append(f"    type: {link.type}\n")
            appended.extend(f"    {f}\n" for f in fields)
            added.append(link)
            done.append(f"{link.name} ({link.type}) → {link.qid}: new entry")
    if not edited and not added:
        return done
    out = []
    for index, line in enumerate(lines):
        out.extend(inserts.get(index, []))
        out.append(line)
    out.extend(inserts.get(len(lines), []))
    if appended:
        if not re.search(r"^entities:[ \t]*(#.*)?$", text, re.MULTILINE):
            raise CuratedEditError(f"{path}: no top-level 'entities:' list to add to")
        if re.search(r"^entities:[ \t]*\[\][ \t]*$", text, re.MULTILINE):
            raise CuratedEditError(f"{path}: 'entities: []' is a flow list; write entries as a block list")
        out.extend(appended)
    new_text = "".join(out)
    _check(path, before, new_text, edited, added)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(new_text, encoding="utf-8")
    os.replace(tmp, path)
    return done


def _find(knowledge: curated.Knowledge, link: Link) -> tuple[int | None, str]:
    """The entry that names the entity (by its name, else by an alias) and has its type;
    ``(None, reason)`` when an entry of another type already claims the name."""
    by_id = {id(e): n for n, e in enumerate(knowledge.entities)}
    for name in [link.name, *link.aliases]:
        entry = knowledge.find(name)
        if entry is None:
            continue
        if entry.type == link.type:
            return by_id[id(entry)], ""
        if name == link.name:
            return None, f"the file's entry {entry.name!r} is a {entry.type}, not a {link.type}"
    return None, ""


def _entry_spans(lines: list[str], knowledge: curated.Knowledge) -> list[tuple[int, int, str]]:
    """For each entry, in order: its first line, the line after its last content line, and
    the indentation of its keys. The ``- name:`` lines must match the parsed entries one to one."""
    starts = []
    for n, line in enumerate(lines):
        match = _ENTRY.match(line.rstrip("\n"))
        if match:
            value = yaml.safe_load(match["value"]) if match["value"].strip() else None
            starts.append((n, match["indent"], str(value)))
    if [s[2] for s in starts] != [e.name for e in knowledge.entities]:
        raise CuratedEditError("the file's '- name:' lines do not match its entries one to one "
                               "(an entry not starting with 'name:'?); add the links by hand")
    spans = []
    for i, (start, indent, _) in enumerate(starts):
        limit = starts[i + 1][0] if i + 1 < len(starts) else len(lines)
        end = start + 1
        for n in range(start + 1, limit):
            stripped = lines[n].strip()
            if not stripped or stripped.startswith("#"):
                continue
            if len(lines[n]) - len(lines[n].lstrip()) <= len(indent):
                break                    # a key of the enclosing mapping: the list has ended
            end = n + 1
        key_indent = _key_indent(lines[start], indent)
        spans.append((start, end, key_indent))
    return spans


def _key_indent(line: str, indent: str) -> str:
    after_dash = line[len(indent) + 1:]
    return indent + " " + " " * (len(after_dash) - len(after_dash.lstrip(" \t")))


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if _PLAIN.match(value) and ": " not in value and " #" not in value:
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _check(path: Path, before: curated.Knowledge, new_text: str, edited: list[tuple[int, str]],
           added: list[Link]) -> None:
    """The edited text must read back as the old entries (unchanged but for the new links)
    followed by the new entries."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.check")
    try:
        tmp.write_text(new_text, encoding="utf-8")
        after = curated.load(tmp)
    except curated.CuratedError as exc:
        raise CuratedEditError(f"{path}: the edit would not read back ({exc}); nothing was written") from None
    finally:
        tmp.unlink(missing_ok=True)
    n = len(before.entities)
    same = [(e.name, e.type, e.aliases, e.note) for e in before.entities] == \
           [(e.name, e.type, e.aliases, e.note) for e in after.entities[:n]]
    linked = all(after.entities[i].wikidata == qid for i, qid in edited)
    new = [(e.name, e.type, e.wikidata) for e in after.entities[n:]] == [(l.name, l.type, l.qid) for l in added]
    if not (same and linked and new and len(after.entities) == n + len(added)):
        raise CuratedEditError(f"{path}: the edit would not read back as intended; nothing was written")
