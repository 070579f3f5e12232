"""Is this Wikidata item the right *kind* of thing for this entity?

Names alone are not enough: "Jordan" is a country and a dozen people, "Paris" a city and a
mythological prince. Type compatibility is therefore a hard gate, checked before any score
counts: a Person may only be linked to a human (``P31 Q5``), a Location only to an item whose
class is geographic, and so on. Which classes count is data (``kg/data/wikidata_types.yaml``),
not code, so that it can grow without touching the logic.

An item's "instance of" (P31) classes are checked first; when none is listed, their
"subclass of" (P279) parents are followed breadth-first up to ``max_depth`` steps
(a "fortified town" is a "human settlement" two steps up). Classes already climbed are
remembered for the whole run, and the API client caches them on disk.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..resources import load_yaml


@dataclass
class Verdict:
    compatible: bool
    reason: str
    classes: list[str] = field(default_factory=list)     # the item's P31 classes


class TypeMap:
    def __init__(self, types: dict[str, dict[str, str]], max_depth: int = 4):
        self.types = {kind: {str(q): str(label) for q, label in (classes or {}).items()}
                      for kind, classes in types.items()}
        self.max_depth = max_depth
        self._parents: dict[str, list[str]] = {}

    @classmethod
    def load(cls, path: Path | None = None) -> "TypeMap":
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) if path else load_yaml("wikidata_types.yaml")
        return cls(data.get("types") or {}, int(data.get("max_depth", 4)))

    @property
    def kinds(self) -> list[str]:
        return list(self.types)

    def describe(self, kind: str) -> str:
        accepted = self.types.get(kind, {})
        names = list(accepted.values())[:3]
        return ", ".join(names) + (", …" if len(accepted) > 3 else "")

    def check(self, client, kind: str, qid: str, labeller=None) -> Verdict:
        """Whether item ``qid`` may stand for an entity of type ``kind``, and why (or why not).

        ``labeller(qids) -> {qid: label}`` names the item's classes in a refusal's reason."""
        accepted = self.types.get(kind)
        if not accepted:
            return Verdict(False, f"{kind} entities are not reconciled")
        direct = client.claims(qid, "P31")
        if not direct:
            return Verdict(False, "has no 'instance of' (P31) statement", [])
        hit = self._climb(client, direct, accepted)
        if hit:
            path, found = hit
            names = {q: label for labels in self.types.values() for q, label in labels.items()}
            via = "" if len(path) == 1 else " via " + " → ".join(_name(q, names) for q in path[1:])
            return Verdict(True, f"instance of {_name(path[0], names)}{via}", direct)
        labels = labeller(direct[:4]) if labeller else {}
        shown = ", ".join(_name(q, labels) for q in direct[:4])
        return Verdict(False, f"instance of {shown}: not a kind of {kind} ({self.describe(kind)})", direct)

    def _climb(self, client, start: list[str], accepted: dict[str, str]):
        """Breadth-first up P279 from ``start``; the path to the first accepted class, or None."""
        frontier = [[q] for q in dict.fromkeys(start)]
        seen = set(start)
        for depth in range(self.max_depth + 1):
            for path in frontier:
                if path[-1] in accepted:
                    return path, path[-1]
            if depth == self.max_depth:
                break
            following = []
            for path in frontier:
                for parent in self.parents(client, path[-1]):
                    if parent not in seen:
                        seen.add(parent)
                        following.append(path + [parent])
            frontier = following
            if not frontier:
                break
        return None

    def parents(self, client, qid: str) -> list[str]:
        if qid not in self._parents:
            self._parents[qid] = client.claims(qid, "P279")
        return self._parents[qid]


def _name(qid: str, labels: dict[str, str] | None) -> str:
    label = (labels or {}).get(qid)
    return f"{label} ({qid})" if label else qid
