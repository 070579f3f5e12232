"""An article's text cut into segments so that spans can be highlighted without nesting.

Spans overlap (a quotation contains name mentions; an attribution cue contains the
quotation), and HTML elements must nest. So the text is cut at every span boundary and each
segment carries the set of spans covering it; the template wraps each segment on its own.
Offsets are Unicode code points, as ``nkg:start``/``nkg:end`` count them and as Python
indexes strings. Nothing here produces markup: the template escapes every segment.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str                 # "evidence", "cue", "mention", "metadata"
    href: str | None = None   # where a click on it goes (the entity, the statement)
    title: str = ""


@dataclass
class Segment:
    text: str
    start: int
    end: int
    kinds: list[str] = field(default_factory=list)
    href: str | None = None
    title: str = ""
    anchors: list[str] = field(default_factory=list)    # "char=S,E" ids of spans starting here

    @property
    def css(self) -> str:
        return " ".join(f"hl-{k}" for k in self.kinds)


PRIORITY = {"mention": 0, "evidence": 1, "cue": 2, "metadata": 3}    # which link wins on a segment


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    by_start: dict[int, list[Mark]] = {}
    for mark in marks:
        by_start.setdefault(mark.start, []).append(mark)
    out = []
    active: list[Mark] = []
    for left, right in zip(cuts, cuts[1:]):
        active = [m for m in active if m.end > left] + by_start.get(left, [])
        seg = Segment(text[left:right], left, right)
        if active:
            seg.kinds = sorted({m.kind for m in active}, key=PRIORITY.get)
            linked = sorted((m for m in active if m.href), key=lambda m: PRIORITY.get(m.kind, 9))
            if linked:
                seg.href, seg.title = linked[0].href, linked[0].title
        seg.anchors = sorted({f"char={m.start},{m.end}" for m in by_start.get(left, []) if m.kind != "mention"})
        out.append(seg)
    return out
