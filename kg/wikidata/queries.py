"""The item lists of the federated canned queries (``queries/wikidata-*.rq``).

Oxigraph sends the pattern inside ``SERVICE <…> { … }`` to the remote endpoint as it is
written: it does not pass along the bindings the rest of the query has found. A pattern
such as ``{ ?wikidata wdt:P569 ?birth }`` would therefore ask Wikidata for the birth date of
every person it knows (millions of rows, stopped by its time limit). So each federated
query names the items it asks about in a ``VALUES ?wikidata { wd:Q… }`` block inside the
``SERVICE``, and that list must follow the graph's links.

A query says which entities it is about in its header (``wikidata-items: Person``);
``kg link --sync-queries`` rewrites its ``VALUES ?wikidata`` block with the Wikidata items
of the graph's entities of that type. Nothing else in the file is touched.
"""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import yaml

from .reconcile import NKG, WIKIDATA

_VALUES = re.compile(r"(VALUES\s+\?wikidata\s*\{)([^}]*)(\})")
_HEADER_KEY = re.compile(r"^#\s*wikidata-items:\s*(.+?)\s*$", re.MULTILINE)


def linked_items(store: ox.Store, kind: str) -> list[str]:
    """The Wikidata items (Q-IDs) of the graph's entities of type ``kind``."""
    query = f"""PREFIX nkg: <{NKG}> PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT DISTINCT ?item WHERE {{ ?e a nkg:{kind} ; owl:sameAs ?item
                                       FILTER(STRSTARTS(STR(?item), "{WIKIDATA}Q")) }}"""
    qids = {row["item"].value[len(WIKIDATA):] for row in store.query(query, use_default_graph_as_union=True)}
    return sorted(qids, key=lambda q: int(q[1:]) if q[1:].isdigit() else 0)


def items_of(text: str) -> list[str]:
    """The Q-IDs a query's ``VALUES ?wikidata`` block lists."""
    match = _VALUES.search(text)
    return re.findall(r"wd:(Q\d+)", match.group(2)) if match else []


def kinds_of(text: str) -> list[str]:
    match = _HEADER_KEY.search(text)
    if not match:
        return []
    value = yaml.safe_load(match.group(1))
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def sync(folder: Path, store: ox.Store) -> list[str]:
    """Rewrite the item lists of every ``wikidata-*.rq`` in ``folder``; one line per file."""
    report = []
    for path in sorted(Path(folder).glob("wikidata-*.rq")):
        text = path.read_text(encoding="utf-8")
        kinds = kinds_of(text)
        if not kinds or not _VALUES.search(text):
            report.append(f"{path.name}: no 'wikidata-items:' header or no VALUES ?wikidata block; skipped")
            continue
        qids = sorted({q for kind in kinds for q in linked_items(store, kind)}, key=lambda q: int(q[1:]))
        block = _format(qids, _indent_of(text))
        new = _VALUES.sub(lambda m: m.group(1) + block + m.group(3), text, count=1)
        if new != text:
            path.write_text(new, encoding="utf-8")
            report.append(f"{path.name}: {len(qids)} items ({', '.join(kinds)})")
        else:
            report.append(f"{path.name}: up to date ({len(qids)} items)")
    return report


def _indent_of(text: str) -> str:
    match = re.search(r"^([ \t]*)VALUES\s+\?wikidata", text, re.MULTILINE)
    return match.group(1) if match else "    "


def _format(qids: list[str], indent: str) -> str:
    if not qids:
        return " "
    rows, row = [], []
    for qid in qids:
        row.append(f"wd:{qid}")
        if len(row) == 8:
            rows.append(" ".join(row))
            row = []
    if row:
        rows.append(" ".join(row))
    return "\n" + "".join(f"{indent}  {r}\n" for r in rows) + indent
