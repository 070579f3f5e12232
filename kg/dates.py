"""Dates as news text writes them, normalised to XSD lexical forms.

Absolute dates ("April 6, 2007", "Sat, 04/07/2007", "21 Jun 2009", "March 2006", "2003")
become ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (xsd:date, xsd:gYearMonth, xsd:gYear).
Relative ones ("in February", "last December", "on Saturday") are resolved against the
article's own date, the way a reader does: the most recent such day not after it.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
WEEKDAYS.update({d[:3]: i for d, i in list(WEEKDAYS.items())})

_MONTH = r"(?P<month>(?-i:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEPT?|OCT|NOV|DEC)|Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
         r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

# Most specific first: the first pattern that matches at a position wins.
PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),                 # April 6, 2007
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"),                 # 21 Jun 2009
    re.compile(r"\b(?P<month>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)\d\d)\b"),  # 04/07/2007 (US)
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),    # ISO
    re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b"),                    # March 2006
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s*\d)"),                    # April 6 (year from context)
    re.compile(rf"(?<![\d,.])\b{_YEAR}\b(?![\d,])"),                     # 2003
]


def _month_number(token: str) -> int:
    return MONTHS[token.lower().rstrip(".")[:4] if token.lower().startswith("sept") else
                  token.lower().rstrip(".")[:3]]


def parse_date(text: str, reference: str | None = None) -> str | None:
    """The most specific date written in ``text`` (the first of those), as an XSD lexical form.

    "1553 GMT (2353 HKT), April 6, 2007" is April 6, 2007, not the year 1553 or 2353.
    """
    found = find_dates(text, reference)
    if not found:
        return None
    return max(found, key=lambda hit: (len(hit[2]), -hit[0]))[2]


def find_dates(text: str, reference: str | None = None) -> list[tuple[int, int, str]]:
    """Every date in ``text`` as (start, end, xsd value), left to right, non-overlapping."""
    ref = _as_date(reference)
    taken: list[tuple[int, int, str]] = []
    for pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in taken):
                continue
            value = _normalise(m, ref)
            if value:
                taken.append((m.start(), m.end(), value))
    return sorted(taken)


def _normalise(m: re.Match, ref: date | None) -> str | None:
    groups = m.groupdict()
    month = groups.get("month")
    month_no = (int(month) if month and month.isdigit() else _month_number(month)) if month else None
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else None
    if year is None:
        if ref is None or month_no is None:
            return None
        year = ref.year if month_no <= ref.month else ref.year - 1
    if month_no is not None and not 1 <= month_no <= 12:
        return None
    try:
        if day is not None and month_no is not None:
            return date(year, month_no, day).isoformat()
    except ValueError:
        return None
    if month_no is not None:
        return f"{year:04d}-{month_no:02d}"
    return f"{year:04d}"


def _as_date(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def resolve_relative(expression: str, reference: str | None) -> str | None:
    """'February', 'last December', 'Saturday', 'yesterday', 'last month' → a date relative to the
    article's date.

    A bare month or weekday means the most recent one on or before the reference
    date: news is written about what has happened.
    """
    ref = _as_date(reference)
    words = expression.lower().replace(",", " ").split()
    if not words:
        return None
    word = words[-1].rstrip(".")
    if ref is None:
        return None
    if word in ("yesterday",):
        return (ref - timedelta(days=1)).isoformat()
    if word in ("today", "tonight"):
        return ref.isoformat()
    if word in ("week", "month", "year") and len(words) >= 2:     # "last month", "earlier this year"
        last = words[-2] == "last"
        if word == "week":
            return (ref - timedelta(days=7 if last else 0)).isoformat()[:7]
        if word == "month":
            year, month = (ref.year, ref.month - 1) if last else (ref.year, ref.month)
            year, month = (year - 1, 12) if month == 0 else (year, month)
            return f"{year:04d}-{month:02d}"
        return f"{ref.year - 1 if last else ref.year:04d}"
    if word in WEEKDAYS and (len(word) > 3 or expression[:1].isupper()):
        back = (ref.weekday() - WEEKDAYS[word]) % 7
        return (ref - timedelta(days=back)).isoformat()
    if word in MONTHS and len(word) > 3 or word in ("may",) and expression[:1].isupper():
        month = MONTHS[word]
        year = ref.year if month <= ref.month else ref.year - 1
        if words[0] == "last" and month == ref.month:
            year -= 1
        return f"{year:04d}-{month:02d}"
    return None


def datatype_of(value: str) -> str:
    """The XSD datatype local name for a lexical form made by this module."""
    return {10: "date", 7: "gYearMonth", 4: "gYear"}.get(len(value), "string")
