"""The records that flow between the steps of a build.

read → (Article) → extract → (Extraction) → resolve → (Resolution) → map → quads → store

Everything an extractor finds points back into ``Article.text`` with character
offsets (``start``/``end``, Python string indices, end exclusive), so every fact
in the graph can be traced to the sentence it came from. Records are plain
dataclasses, so an Extraction can be cached on disk and a rebuild skips the NLP pass.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields

ENTITY_TYPES = ("Person", "Organisation", "Location", "Event", "ReportingSource")


@dataclass
class Article:
    """One article as read from disk: its text and what the file format told us."""

    doc_id: str            # IRI-safe identifier, from the file name
    file: str              # file name as given to the user (relative to the input root)
    text: str              # the text every offset refers to
    html_meta: dict[str, str] = field(default_factory=dict)  # title/author/date/sitename from HTML


@dataclass
class Skipped:
    """An input file that could not be read as an article, and why."""

    file: str
    reason: str


@dataclass
class Field:
    """A metadata value with the span of text it was read from (span may be absent for HTML meta)."""

    value: str
    start: int | None = None
    end: int | None = None
    rule: str = ""         # which rule found it, e.g. "byline", "dateline", "html-meta"


@dataclass
class DocMetadata:
    """What the article says about itself: headline, who published it, who wrote it, when."""

    title: Field | None = None
    publisher: Field | None = None            # the site that published this copy
    original_publisher: Field | None = None   # the outlet that first reported it, when the text says so
    authors: list[Field] = field(default_factory=list)
    date: Field | None = None                 # ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY)


@dataclass
class Mention:
    """A stretch of text that names something."""

    start: int
    end: int
    text: str
    type: str              # one of ENTITY_TYPES
    rule: str              # evidence for the type: "spacy:PERSON", "cue:title", "curated", ...
    name: str = ""         # the name it stands for when not its own text ("Iranian officials")
    votes: dict[str, int] = field(default_factory=dict)   # type votes from the cues found
    title: str = ""        # a title written before the name ("Maj. Gen.")


@dataclass
class LocalEntity:
    """One thing named in one article: its mentions merged (Khalilzad → Zalmay Khalilzad)."""

    name: str              # the fullest form used in the article
    type: str
    mentions: list[int]    # indices into Extraction.mentions
    aliases: list[str] = field(default_factory=list)
    type_votes: dict[str, int] = field(default_factory=dict)


@dataclass
class Statement:
    """Something somebody said or wrote, as reported by the article."""

    start: int             # the words (inside the quotation marks for direct speech)
    end: int
    text: str
    kind: str              # "direct" or "indirect"
    speaker: int | None    # index into Extraction.entities
    cue_start: int         # the attribution span ("said Mojgan Parsaii, vice president of MEK")
    cue_end: int
    rule: str
    medium: int | None = None   # entity index of the outlet it was said to ("told ABC")
    date: str | None = None     # when it was said, if the text says so


@dataclass
class Role:
    """A title given to a person in the text, with the organisation when one is named."""

    start: int
    end: int
    person: int            # entity index
    title: str
    organisation: int | None
    rule: str


@dataclass
class Event:
    """Something the text narrates as happening."""

    start: int
    end: int
    label: str
    event_type: str        # the event noun: explosion, invasion, election ...
    date: str | None       # normalised xsd date / gYearMonth / gYear lexical form
    place: int | None      # entity index
    participants: list[int] = field(default_factory=list)
    entity: int | None = None   # when the event is itself named ("the Iran-Iraq war")
    rule: str = ""
    also: list[tuple[int, int]] = field(default_factory=list)   # further mentions of the same event


@dataclass
class Quantity:
    """A number stated as a fact: 3,800 camp residents."""

    start: int
    end: int
    value: float
    counts: str            # what is counted ("camp residents")
    text: str
    about: int | None = None  # entity index the number is about, when clear
    rule: str = ""


@dataclass
class Extraction:
    """Everything extracted from one article, before cross-article resolution."""

    doc_id: str
    file: str
    metadata: DocMetadata
    content: list[tuple[int, int]]        # character ranges judged to be article content
    mentions: list[Mention] = field(default_factory=list)
    entities: list[LocalEntity] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)


def _layout() -> str:
    """A fingerprint of every record's fields and their types: part of the extraction cache
    key, so changing a record invalidates cached extractions without a version bump."""
    records = (Field, DocMetadata, Mention, LocalEntity, Statement, Role, Event, Quantity, Extraction)
    text = ";".join(f"{c.__name__}(" + ",".join(f"{f.name}:{f.type}" for f in fields(c)) + ")" for c in records)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


RECORD_LAYOUT = _layout()
