"""The curated-knowledge file: entities a user chooses to describe by hand.

A YAML file (by default ``entities.yaml`` beside the articles) listing, for each entity, its
canonical name, type, aliases and, where a person has checked it, its Wikidata ID:

    entities:
      - name: CNN
        type: ReportingSource
        aliases: [Cable News Network]
        wikidata: Q48340           # only IDs somebody verified

Curated entries decide names, types and merges, and two entries are never merged (see
``resolve.split_conflations``); extraction works without any (an empty
or missing file gives fewer merges, the same quotes and speakers).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .matching import key
from .records import ENTITY_TYPES


class CuratedError(ValueError):
    pass


@dataclass
class CuratedEntity:
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class Knowledge:
    entities: list[CuratedEntity] = field(default_factory=list)
    source: Path | None = None

    def __post_init__(self) -> None:
        self._by_key: dict[str, CuratedEntity] = {}
        for entity in self.entities:
            for name in entity.names:
                self._by_key.setdefault(key(name), entity)

    def find(self, name: str) -> CuratedEntity | None:
        return self._by_key.get(key(name))


def load(path: Path | None) -> Knowledge:
    """Read a curated-knowledge file; a missing path means no curated knowledge."""
    if path is None or not path.exists():
        return Knowledge([], path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CuratedError(f"{path}: not valid YAML: {exc}") from exc
    items = data.get("entities") or []
    if not isinstance(items, list):
        raise CuratedError(f"{path}: 'entities' must be a list")
    entities = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not item.get("name") or item.get("type") not in ENTITY_TYPES:
            raise CuratedError(f"{path}: entry {n} needs a 'name' and a 'type' among {', '.join(ENTITY_TYPES)}")
        wikidata = item.get("wikidata")
        if wikidata is not None and not (isinstance(wikidata, str) and wikidata[:1] == "Q" and wikidata[1:].isdigit()):
            raise CuratedError(f"{path}: entry {n} ({item['name']}): wikidata must look like Q12345")
        known = {"name", "type", "aliases", "wikidata", "note"}
        entities.append(CuratedEntity(str(item["name"]), item["type"], [str(a) for a in item.get("aliases") or []],
                                      wikidata, str(item.get("note") or ""),
                                      {k: v for k, v in item.items() if k not in known}))
    return Knowledge(entities, path)


def default_path(inputs: list[Path]) -> Path | None:
    """``entities.yaml`` at the root of the first input folder that has one."""
    for root in inputs:
        candidate = (root if root.is_dir() else root.parent) / "entities.yaml"
        if candidate.exists():
            return candidate
    return None
