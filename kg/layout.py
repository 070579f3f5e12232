"""Tell the article from the page around it, and read the article's own metadata.

A scraped news page carries breadcrumbs, "Latest news" link lists, comment prompts and the
headlines of other stories. None of it is the article, and extracting from it produces junk
entities ("Home", a teaser headline's words). This step finds those lines and, separately,
the lines that describe the article itself (headline, byline, dateline, POSTED: line,
copyright line), which become document metadata.

The output keeps the text's length: furniture is *masked* with spaces, so every offset the
extractors report still points into the original text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .dates import find_dates, parse_date
from .records import DocMetadata, Field
from .resources import load_yaml

DASH = r"[–—-]"
NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|(?:de|van|von|der|den|al|bin|bint|ibn|abu|el|la|le|da|dos|del|du|y|ter)(?:-[\w'’.-]+)?|and))*"
OUTLET = r"[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4}"

BREADCRUMB = re.compile(r"^\s*(?:Home|Startseite|Accueil|Inicio)\s*[»›>|/]\s*(?P<rest>.+)$")
BYLINE_DASHED = re.compile(rf"^\s*By\s+(?P<author>{NAME})\s+{DASH}\s+(?P<site>.+?)\s+{DASH}\s+(?P<date>.+?)\s*$")
BYLINE = re.compile(rf"^\s*By\s+(?P<author>{NAME})(?:\s*(?:,|\||–|—|-)\s*(?P<rest>[^\n]*?))?\s*$")
CAPS = r"[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+"
# "By MEGAN O'BRIEN-KOWALSKI Ledger staff writer": a name in capitals, then its job in mixed case.
BYLINE_CAPS = re.compile(rf"^\s*By\s+(?P<author>{CAPS}(?:\s+(?:{CAPS}|AND))+)(?:\s+(?P<rest>[A-Z][a-z][^\n]*))?\s*$")
# Broadcast transcripts: "LEILA FERNÁNDEZ-HAYES, HOST:" opens a turn; "(SOUNDBITE OF MUSIC)" is a cue.
TRANSCRIPT_TURN = re.compile(rf"^\s*(?P<name>{CAPS}(?:\s+{CAPS})*),\s*(?P<role>[A-Z][A-Z ]+):")
TRANSCRIPT_CUE = re.compile(r"^\s*\((?:SOUNDBITE|CROSSTALK|LAUGHTER|APPLAUSE|MUSIC|BEGIN|END|VIDEO|AUDIO)[A-Z ,.'’-]*\)\s*$")
JOURNALIST_TURNS = {"HOST", "BYLINE", "ANCHOR", "CORRESPONDENT", "REPORTER"}
JOB_WORDS = re.compile(r"\b(?:correspondent|reporter|editor|writer|staff|bureau|contributor|columnist|journalist)\b", re.I)
SUBMITTED = re.compile(r"Submitted by\s+(?P<author>.+?)\s+on\s+(?P<date>(?:\w{3},?\s+)?\d{1,2}/\d{1,2}/\d{4})")
SITE_BY = re.compile(r"^\s*(?P<site>\S[^\n]*?)\s+-\s?By\s+(?P<author>[^\n]+?)\s*$")
POSTED = re.compile(r"^\s*(?:POSTED|Posted|UPDATED|Updated|Published|PUBLISHED)\s*:?\s+(?P<date>.+?)\s*$")
COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:(?P<year>(?:19|20)\d\d)\s*)?(?P<org>[^.\n]+?)\.?"
                       r"(?:\s+All rights reserved\.?)?\s*$", re.I)
FROM_AUTHOR = re.compile(rf"\bFrom\s+(?P<author>{NAME})\s*\n\s*(?P<outlet>{OUTLET})\s*$", re.M)
DATELINE = re.compile(rf"^\s*(?P<place>[A-Z][A-Z .'’-]+[A-Z])(?:,\s*(?P<region>[A-Z][\w .]+?))?\s*"
                      rf"\((?P<outlet>[A-Z][\w .&'’-]{{0,40}})\)\s*{DASH}+")
DATELINE_AGENCY = re.compile(rf"^\s*(?P<place>[A-Z][A-Za-z .'’-]+?),\s*(?P<outlet>[A-Z]{{2,8}}|[A-Z][\w&.]+(?:\s[A-Z][\w&.]+)?)\s*"
                             rf"(?:{DASH}{{1,2}}|:)\s")
CONTACT_HEADING = re.compile(r"^\s*(?:Media |Press )?[Cc]ontacts?\s*:?\s*$")
CONTACT_NAME = re.compile(rf"^\s*(?P<name>{NAME})\s*,")
CONTACT = re.compile(rf"^\s*(?:Media |Press )?[Cc]ontacts?\s*:\s*(?P<name>{NAME})")
OUTLET_REPORTS = re.compile(rf"^\s*(?P<outlet>{OUTLET})\s+(?:reports|reported|reporting)\b")
OUTLET_PREFIX = re.compile(r"^\s*(?P<outlet>[A-Z][A-Za-z&.]{1,12}):\s+\S")
ONLY_DATE = re.compile(r"^\s*(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,?\s+)?[\w ,/:-]{6,30}$")
# Encyclopedia reference marks glued to the words ("were evacuated.[2]", "in 1993[a]"): the
# tokenizer would otherwise read "evacuated.[2" as one word.
REFERENCE_MARK = re.compile(r"(?<=\S)\[(?:\d{1,3}|[a-z]|note \d{1,3})\]|\[(?:citation|clarification) needed\]")
SENTENCE_END = re.compile(r"[.!?…\"”’)]\s*$")


@dataclass
class Line:
    start: int
    end: int       # end of the line's text, before its newline
    text: str

    @property
    def key(self) -> str:
        return fold(self.text)


@dataclass
class Layout:
    metadata: DocMetadata
    content: list[tuple[int, int]]            # ranges that are article content
    masked_text: str                          # the text with everything else blanked
    furniture: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, why)


def fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    data = load_yaml("layout.yaml")
    return {
        "lines": {fold(x) for x in data["furniture_lines"]},
        "lists": sorted({fold(x) for x in data["list_headings"]}, key=len, reverse=True),
        "prefixes": tuple(x.lower() for x in data["line_prefixes"]),
        "inline": list(data["inline_furniture"]),
    }


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append(Line(pos, pos + len(raw.rstrip("\r")), raw.rstrip("\r")))
        pos += len(raw) + 1
    return lines


def analyse(text: str, html_meta: dict[str, str] | None = None) -> Layout:
    """Find furniture and metadata in an article's text."""
    lex = _lexicon()
    lines = [ln for ln in split_lines(text) if ln.text.strip()]
    meta = DocMetadata()
    masked: list[tuple[int, int, str]] = []

    def field_at(line: Line, m: re.Match, group: str, rule: str, value: str | None = None) -> Field:
        return Field(value or m.group(group).strip(), line.start + m.start(group), line.start + m.end(group), rule)

    title_key = None
    first_content = None
    contact_next = False
    in_link_list = False
    for i, line in enumerate(lines):
        key = line.key
        stripped = line.text.strip()
        # Metadata lines are read wherever they are (bylines often sit under the link lists).
        if m := BYLINE_DASHED.match(line.text):
            meta.authors.append(field_at(line, m, "author", "byline"))
            meta.publisher = meta.publisher or field_at(line, m, "site", "byline")
            _set_date(meta, line, m, "byline")
            masked.append((line.start, line.end, "byline"))
            continue
        if (m := BYLINE_CAPS.match(line.text)) and len(stripped) < 100:
            meta.authors.extend(Field(_name_case(a.value), a.start, a.end, a.rule) for a in _authors(line, m, r"\s+AND\s+"))
            masked.append((line.start, line.end, "byline"))
            continue
        if m := TRANSCRIPT_TURN.match(line.text):
            if m.group("role").strip() in JOURNALIST_TURNS:
                meta.authors.append(field_at(line, m, "name", "transcript", _name_case(m.group("name"))))
            masked.append((line.start + m.start(), line.start + m.end(), "transcript turn"))
            continue
        if TRANSCRIPT_CUE.match(line.text):
            masked.append((line.start, line.end, "transcript cue"))
            continue
        if (m := BYLINE.match(line.text)) and len(stripped) < 100:
            for author in _authors(line, m):
                meta.authors.append(author)
            rest = m.group("rest") or ""
            if rest and re.fullmatch(OUTLET, rest) and not JOB_WORDS.search(rest):
                meta.publisher = meta.publisher or field_at(line, m, "rest", "byline")
            elif rest and (date := parse_date(rest)):
                meta.date = meta.date or Field(date, line.start + m.start("rest"), line.start + m.end("rest"), "byline")
            masked.append((line.start, line.end, "byline"))
            continue
        if m := POSTED.match(line.text):
            if parse_date(m.group("date")):
                _set_date(meta, line, m, "posted")
                masked.append((line.start, line.end, "posted line"))
                continue
        if (m := COPYRIGHT.match(line.text)) and len(stripped) < 120:
            org = re.sub(r"^(?:(?:19|20)\d\d\s*)+", "", m.group("org"))
            # "© 2025 Name · Privacy · Terms", "© 2025 Guardian News & Media Limited or its affiliated companies"
            org = re.split(r"\s+[·|•]\s+|\s+or its\b", org)[0].strip(" ,")
            if org:
                start = line.start + m.start("org") + m.group("org").find(org)
                meta.publisher = meta.publisher or Field(org, start, start + len(org), "copyright")
            masked.append((line.start, line.end, "copyright line"))
            continue
        if (m := SITE_BY.match(line.text)) and len(stripped) < 80 and i > 0:
            meta.publisher = meta.publisher or field_at(line, m, "site", "site-byline")
            author = m.group("author").split()
            # "-By northsunm32 Brandon": a user handle (letters+digits) then the display name.
            name = " ".join(w for w in author if not re.search(r"\d", w)) or m.group("author")
            start = line.start + m.start("author") + m.group("author").find(name.split()[0])
            meta.authors.append(Field(name, start, start + len(name), "site-byline"))
            masked.append((line.start, line.end, "byline"))
            previous = lines[i - 1]
            if not SENTENCE_END.search(previous.text) and len(previous.text) < 120:
                masked.append((previous.start, previous.end, "headline of the source"))
            continue
        if in_link_list:
            masked.append((line.start, line.end, "link list"))
            continue
        if len(stripped) < 40 and not SENTENCE_END.search(stripped) and \
                any(key.startswith(h) for h in lex["lists"]) and i > 2:
            in_link_list = True
            masked.append((line.start, line.end, "link list"))
            continue
        if CONTACT_HEADING.match(line.text) and i + 1 < len(lines):
            masked.append((line.start, line.end, "contact line"))
            contact_next = True
            continue
        if contact_next and (m := CONTACT_NAME.match(line.text)):
            contact_next = False
            masked.append((line.start + m.end("name"), line.end, "contact line"))
            continue
        if m := CONTACT.match(line.text):
            # "Media contact: NAME, Communications Officer, …": keep the name, drop the rest
            masked.append((line.start, line.start + m.start("name"), "contact line"))
            masked.append((line.start + m.end("name"), line.end, "contact line"))
            continue
        if m := BREADCRUMB.match(line.text):
            crumbs = [c.strip() for c in re.split(r"\s*[»›>|]\s*", m.group("rest")) if c.strip()]
            following = lines[i + 1].text.strip() if i + 1 < len(lines) else ""
            if crumbs and not meta.title and (fold(crumbs[-1]) == fold(following) or len(crumbs[-1].split()) >= 4):
                # the last crumb is the headline (not a section name like "Commentary")
                last = crumbs[-1]
                start = line.start + line.text.rfind(last)
                meta.title = Field(last, start, start + len(last), "breadcrumb")
                title_key = fold(last)
            masked.append((line.start, line.end, "breadcrumb"))
            continue
        if title_key and key == title_key:
            masked.append((line.start, line.end, "headline"))
            continue
        if key in lex["lines"] or not re.search(r"[A-Za-z]", stripped):
            masked.append((line.start, line.end, "furniture"))
            continue
        if stripped.lower().startswith(lex["prefixes"]) and len(stripped) < 100:
            masked.append((line.start, line.end, "furniture"))
            continue
        if len(stripped) < 40 and not SENTENCE_END.search(stripped) and \
                any(key.startswith(h) for h in lex["lists"]) and i > 2:
            in_link_list = True
            masked.append((line.start, line.end, "link list"))
            continue
        if _is_date_line(stripped):
            if not meta.date:
                value = parse_date(stripped)
                meta.date = Field(value, line.start, line.end, "date line")
            masked.append((line.start, line.end, "date line"))
            continue
        if first_content is None and i + 1 < len(lines) and _glued_header(line, lines[i + 1]):
            site = _site_from_glued_header(line.text[: len(line.text) - len(lines[i + 1].text.strip())])
            if site:
                meta.publisher = meta.publisher or Field(site, line.start, line.start + len(site), "site header")
            meta.title = meta.title or Field(lines[i + 1].text.strip(), lines[i + 1].start, lines[i + 1].end,
                                             "headline")
            title_key = lines[i + 1].key
            masked.append((line.start, line.end, "site header"))
            continue
        if first_content is None:
            first_content = line
        # Inline metadata and furniture inside content lines.
        if m := SUBMITTED.search(line.text):
            meta.authors.append(field_at(line, m, "author", "submitted-by"))
            _set_date(meta, line, m, "submitted-by")
            masked.append((line.start + m.start(), line.end, "byline"))
        for phrase in lex["inline"]:
            for hit in re.finditer(re.escape(phrase), line.text):
                masked.append((line.start + hit.start(), line.start + hit.end(), "link text"))

    for m in FROM_AUTHOR.finditer(text):
        if not any(s <= m.start() < e for s, e, _ in masked):
            meta.authors.append(Field(m.group("author"), m.start("author"), m.end("author"), "from-byline"))
            meta.original_publisher = meta.original_publisher or Field(
                m.group("outlet"), m.start("outlet"), m.end("outlet"), "from-byline")
            masked.append((m.start(), m.end(), "byline"))

    masked.extend((m.start(), m.end(), "reference mark") for m in REFERENCE_MARK.finditer(text))

    if meta.title is None and first_content is not None and _looks_like_headline(first_content, lines):
        meta.title = Field(first_content.text.strip(), first_content.start + len(first_content.text) -
                           len(first_content.text.lstrip()), first_content.end, "first line")
        masked.append((first_content.start, first_content.end, "headline"))
    _original_publisher(text, lines, masked, meta)
    _apply_html_meta(meta, html_meta or {})
    if meta.date is None:
        _date_from_text(text, masked, meta)
    masked = _merge(masked)
    content = _complement(masked, len(text))
    return Layout(meta, content, _mask(text, masked), masked)


def _authors(line: Line, m: re.Match, separator: str = r"\s+and\s+") -> list[Field]:
    """'By Jane Roe and Ali Hassan' names two authors."""
    text, base = m.group("author"), line.start + m.start("author")
    out, pos = [], 0
    for part in re.split(f"({separator})", text):
        if part.strip() and not re.fullmatch(separator, part):
            out.append(Field(part.strip(), base + pos, base + pos + len(part.strip()), "byline"))
        pos += len(part)
    return out


def _name_case(name: str) -> str:
    """'MEGAN O'BRIEN-KOWALSKI' → 'Megan O'Brien-Kowalski' (names printed in capitals)."""
    return re.sub(r"[^\W\d_]+", lambda w: w.group(0).capitalize(), name) if name.isupper() else name


def _set_date(meta: DocMetadata, line: Line, m: re.Match, rule: str) -> None:
    value = parse_date(m.group("date"))
    if value and (meta.date is None or meta.date.rule in ("date line", "copyright")):
        meta.date = Field(value, line.start + m.start("date"), line.start + m.end("date"), rule)


def _looks_like_headline(line: Line, lines: list[Line]) -> bool:
    """A short first line without closing punctuation, before the body: the headline."""
    text = line.text.strip()
    words = text.split()
    return 2 <= len(words) <= 16 and not SENTENCE_END.search(text) and not text.endswith(":") and \
        line is not lines[-1] and sum(w[:1].isupper() or not w[:1].isalpha() for w in words) >= 1


def _is_date_line(text: str) -> bool:
    parts = [p.strip() for p in re.split(r"\s[|·•—–]\s", text)]
    if len(parts) > 1 and len(text) <= 60:
        # "Commentary | 12 March 2025", "Updated · 14:02 GMT · 3 May 2024": a date among labels
        return any(_is_date_line(p) for p in parts) and all(len(p.split()) <= 4 for p in parts)
    if len(text) > 32 or not ONLY_DATE.match(text):
        return False
    found = find_dates(text)
    if not found or len(found[0][2]) < 10:
        return False
    leftover = text[:found[0][0]] + text[found[0][1]:]
    return not re.search(r"[A-Za-z]{4,}", re.sub(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*", "", leftover))


def _glued_header(line: Line, following: Line) -> bool:
    """A scraped header line that ends with the headline, glued to site and section names."""
    head = following.text.strip()
    text = line.text.strip()
    return len(head) >= 15 and text.endswith(head) and len(text) > len(head) + 3


def _site_from_glued_header(prefix: str) -> str | None:
    # "News On Iran & Its NeighboursIraq": the site name ends where a section name is glued on.
    m = re.match(r"^(.*?[a-z])(?=[A-Z][a-z]*$)", prefix.strip())
    site = (m.group(1) if m else prefix).strip(" -|»")
    return site or None


def _original_publisher(text: str, lines: list[Line], masked, meta: DocMetadata) -> None:
    """The outlet that first reported the story, when the copy says so."""
    if meta.original_publisher:
        return
    content_lines = [ln for ln in lines if not any(s <= ln.start < e for s, e, _ in masked)]
    for line in content_lines[:6]:
        m = DATELINE.match(line.text) or DATELINE_AGENCY.match(line.text)
        if m and not parse_date(m.group("outlet")):
            meta.original_publisher = Field(m.group("outlet").strip(), line.start + m.start("outlet"),
                                            line.start + m.end("outlet"), "dateline")
            return
    for line in content_lines[:3]:
        if m := OUTLET_REPORTS.match(line.text):
            meta.original_publisher = Field(m.group("outlet"), line.start + m.start("outlet"),
                                            line.start + m.end("outlet"), "outlet-reports")
            return
    title = meta.title
    if title and title.start is not None and (m := OUTLET_PREFIX.match(title.value)):
        meta.original_publisher = Field(m.group("outlet"), title.start + m.start("outlet"),
                                        title.start + m.end("outlet"), "headline-prefix")


def _apply_html_meta(meta: DocMetadata, html: dict[str, str]) -> None:
    """Explicit page metadata beats what we infer from the text's shape."""
    if html.get("title"):
        meta.title = Field(html["title"], rule="html-meta")
    if html.get("sitename"):
        meta.publisher = Field(html["sitename"], rule="html-meta")
    if html.get("author") and not meta.authors:
        meta.authors = [Field(a.strip(), rule="html-meta") for a in re.split(r";|\band\b", html["author"])
                        if a.strip()]
    if html.get("date") and (value := parse_date(html["date"])):
        meta.date = Field(value, rule="html-meta")


def _date_from_text(text: str, masked, meta: DocMetadata) -> None:
    """Last resort: a full date in the first lines of the article (e.g. under a dateline)."""
    head = text[:400]
    for start, end, value in find_dates(head):
        if len(value) == 10:
            meta.date = Field(value, start, end, "first date in text")
            return


def _merge(ranges: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for start, end, why in sorted(ranges):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end, out[-1][2])
            continue
        out.append((start, end, why))
    return out


def _complement(masked: list[tuple[int, int, str]], length: int) -> list[tuple[int, int]]:
    out, pos = [], 0
    for start, end, _ in masked:
        if start > pos:
            out.append((pos, start))
        pos = max(pos, end)
    if pos < length:
        out.append((pos, length))
    return [(s, e) for s, e in out if s < e]


def _mask(text: str, masked: list[tuple[int, int, str]]) -> str:
    chars = list(text)
    for start, end, _ in masked:
        for k in range(start, end):
            if chars[k] not in "\n\r":
                chars[k] = " "
    return "".join(chars)
