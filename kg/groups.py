"""Disjoint sets (union-find): which items have been joined into one group.

Used wherever things are joined pairwise and read back as groups: mentions of one entity
inside an article (extract/entities.py), versions of one report (syndication.py), the same
words given to different speakers (discrepancies.py). Near-constant time per operation, so
none of them needs to compare every pair.
"""
from __future__ import annotations

from typing import Generic, Hashable, Iterable, TypeVar

T = TypeVar("T", bound=Hashable)


class DisjointSets(Generic[T]):
    def __init__(self, items: Iterable[T] = ()) -> None:
        self.parent: dict[T, T] = {item: item for item in items}

    def find(self, item: T) -> T:
        """The representative of ``item``'s group (the smallest item joined into it)."""
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]    # path halving
            item = parent[item]
        return item

    def union(self, a: T, b: T) -> T:
        """Join the groups of ``a`` and ``b``; returns the representative of the joined group."""
        ra, rb = self.find(a), self.find(b)
        keep, gone = (ra, rb) if ra <= rb else (rb, ra)
        self.parent[gone] = keep
        return keep

    def groups(self, items: Iterable[T] | None = None) -> dict[T, list[T]]:
        """Representative → members, members in the order given (default: insertion order)."""
        out: dict[T, list[T]] = {}
        for item in self.parent if items is None else items:
            out.setdefault(self.find(item), []).append(item)
        return out
