"""Who said what: direct quotations and attributed indirect speech.

Direct quotations are found from the quotation marks themselves, then attributed through
the dependency parse of the words around them: the subject of a speech verb ("said",
"told", "wrote", "according to") next to the quote. Patterns handled:

    “…,” said X, ROLE.          “…,” X said.         X said: “…”       X said, “…”
    “…,” he said, “…”           “…,” according to an ICRC letter.   X wrote that “…”

Pronouns and descriptions ("he", "the minister", "a State Department official", "an ICRC
letter") resolve to the entity they stand for. A quote with no attribution of its own
continues the speaker of the quote before it in the same or previous paragraph. Short
quoted phrases with no speech verb next to them are scare quotes or titles, not statements.

Speakers are resolved in speakers.py; reported speech comes from reported.py first, so
that its speakers can be the antecedents of later quotes' pronouns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Statement
from .lexicon import norm
from .reported import find_indirect
from .speakers import (Context, according_to, in_ranges, last_statement, medium_of, passive,
                       same_or_next_paragraph, subject_of, when_said)

MIN_WORDS = 4
# A sentence ends at . ! ? — but not after an initial or a short abbreviation (U.S., Maj., John D.).
SENTENCE_END = re.compile(
    r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|Mt|St|Lt|Jr|Sr|No|vs))(?<!\b(?:Mrs|Maj|Gen|Col|Sgt|Gov|Sen|Rep|Adm|Cpl|Pvt|Rev|"
    r"Inc|Ltd))(?<!\b(?:Dept|Prof|Capt|Govt|govt))[.!?](?=\s|$)|\n")
@dataclass
class QuoteSpan:
    open: int        # index of the opening mark
    close: int       # index of the closing mark (exclusive end = close + 1)
    start: int       # the words inside
    end: int


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Pairs of quotation marks, paragraph by paragraph."""
    spans: list[QuoteSpan] = []
    for para_start, para in _paragraphs(text):
        spans.extend(_pairs(text, para, para_start, "“", "”"))
        straight = [m.start() for m in re.finditer(r'"', para)]
        for a, b in zip(straight[::2], straight[1::2]):
            spans.append(_span(para_start + a, para_start + b, text))
        # An opening curly quote left open at the end of a paragraph runs to the paragraph's end.
        opens = [m.start() for m in re.finditer("“", para)]
        closes = [m.start() for m in re.finditer("”", para)]
        if len(opens) > len(closes) and opens and (not closes or opens[-1] > closes[-1]):
            spans.append(_span(para_start + opens[-1], para_start + len(para.rstrip()), text))
    if not spans:
        for para_start, para in _paragraphs(text):
            spans.extend(_pairs(text, para, para_start, "‘", "’", single=True))
    return sorted({(s.open, s.close): s for s in spans if s.end > s.start}.values(), key=lambda s: s.open)


def _paragraphs(text: str):
    pos = 0
    for block in re.split(r"(\n\s*\n|\n)", text):
        if block.strip() and not re.fullmatch(r"\s+", block):
            yield pos, block
        pos += len(block)


def _pairs(text: str, para: str, offset: int, open_mark: str, close_mark: str,
           single: bool = False) -> list[QuoteSpan]:
    out, depth_start = [], None
    for m in re.finditer(f"[{open_mark}{close_mark}]", para):
        mark = m.group()
        if single and mark == close_mark and m.start() + 1 < len(para) and para[m.start() + 1].isalpha():
            continue  # an apostrophe: don't, Iran’s
        if mark == open_mark and depth_start is None:
            depth_start = m.start()
        elif mark == close_mark and depth_start is not None:
            out.append(_span(offset + depth_start, offset + m.start(), text))
            depth_start = None
    return out


def _span(open_at: int, close_at: int, text: str) -> QuoteSpan:
    inner = text[open_at + 1:close_at]
    lead = len(inner) - len(inner.lstrip())
    trail_text = inner.rstrip().rstrip(",")
    return QuoteSpan(open_at, close_at, open_at + 1 + lead, open_at + 1 + len(trail_text))


def find_statements(ctx: Context) -> list[Statement]:
    quotes = find_quote_spans(ctx.text)
    quoted_ranges = [(q.open, q.close + 1) for q in quotes]
    # Indirect speech first: its speakers are antecedents for the pronouns of later quotes.
    ctx.said = find_indirect(ctx, quoted_ranges)
    statements: list[Statement] = list(ctx.said)
    for q in quotes:
        words = ctx.text[q.start:q.end]
        n_words = len(re.findall(r"[\w’']+", words))
        attribution = _attribute(ctx, q, quoted_ranges, short=n_words < MIN_WORDS)
        last = last_statement(ctx, q.open)
        previous = max((s for s in ctx.said if s.kind == "direct" and s.end < q.open), key=lambda s: s.end, default=None)
        if attribution is None and previous is not None and \
                re.fullmatch(r"\s*(?:,|and|or|, and)?\s*", ctx.text[previous.end + 1:q.open]):
            # “puts pressure on them internally” and “helps democratic forces”: one attribution for both
            attribution = (previous.speaker, previous.cue_start, previous.cue_end, "joined-previous",
                           previous.medium, previous.date)
        if attribution is None and n_words >= MIN_WORDS and last is not None and \
                same_or_next_paragraph(ctx.text, last.cue_end, q.open):
            attribution = (last.speaker, last.cue_start, last.cue_end, "continues-previous", last.medium, last.date)
        if attribution is None or n_words < 2:
            continue  # a short phrase in quotes with no speech verb beside it: scare quotes, titles
        speaker, cue_start, cue_end, rule, medium, when = attribution
        statement = Statement(q.start, q.end, words, "direct", speaker, cue_start, cue_end, rule, medium, when)
        statements.append(statement)
        ctx.said.append(statement)
    # An indirect statement whose words sit inside a direct one is the same utterance.
    # (But "said the government had “abandoned the drivers” and demanded …" says more than its quote.)
    direct = [s for s in statements if s.kind == "direct"]
    statements = [s for s in statements if s.kind == "direct" or
                  not any(d.speaker == s.speaker and d.start < s.end and s.start < d.end for d in direct) or
                  _words_outside(ctx.text, s, [d for d in direct if d.speaker == s.speaker]) >= 4]
    statements.sort(key=lambda s: s.start)
    for statement in statements:
        if statement.medium is None:
            statement.medium = _interviewer(ctx, statement)
    return statements


def _words_outside(text: str, statement: Statement, quotes: list[Statement]) -> int:
    """How many words of a statement lie outside the given quotations (and their quote marks)."""
    chars = list(text[statement.start:statement.end])
    for q in quotes:
        for k in range(max(q.start - 1, statement.start), min(q.end + 1, statement.end)):
            chars[k - statement.start] = " "
    return len(re.findall(r"\w+", "".join(chars)))


def _interviewer(ctx: Context, statement: Statement) -> int | None:
    """'Press TV interviewed Reese Elrich … “…,” Elrich said': the outlet that interviewed the
    speaker shortly before is the medium of what the speaker says."""
    for tok in ctx.interview_verbs:
        if tok.idx >= statement.cue_start:
            break
        if not same_or_next_paragraph(ctx.text, tok.idx, statement.cue_start):
            continue
        outlet = next((ctx.entity_at(c.idx, c.idx + len(c.text)) for c in tok.children if c.dep_ == "nsubj"), None)
        person = next((ctx.entity_at(c.idx, c.idx + len(c.text)) for c in tok.children if c.dep_ == "dobj"), None)
        if outlet is not None and person == statement.speaker and \
                ctx.entities[outlet].type in ("ReportingSource", "Organisation"):
            return outlet
    return None


def _attribute(ctx: Context, q: QuoteSpan, quoted: list[tuple[int, int]], short: bool = False):
    """(speaker entity, cue start, cue end, rule, medium, date) for a quote, or None."""
    doc = ctx.doc
    after = _region_after(ctx, q, quoted)
    before = _region_before(ctx, q, quoted)
    for region, where in ((after, "after"), (before, "before")):
        if region is None:
            continue
        start, end = region
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        tokens = list(span) if where == "after" else list(reversed(span))   # nearest verb first
        for tok in tokens:
            if in_ranges(tok.idx, quoted):
                continue
            is_speech = tok.pos_ in ("VERB", "AUX") and norm(tok.lemma_) in ctx.lex.speech_verbs and \
                not passive(tok)
            according = tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to"
            if not (is_speech or according):
                continue
            if where == "after" and _tokens_between(ctx, q.close + 1, tok.idx) > (4 if short else 14) and \
                    not _named_right_after(ctx, q, tok):
                continue
            if short and where == "before" and not _governs(tok, q, doc):
                continue   # a short phrase counts only inside what the verb reports: acknowledged that … “ultimate objective”
            speaker = according_to(ctx, tok) if according else subject_of(ctx, tok, q.open)
            if speaker is None:
                continue
            medium = medium_of(ctx, tok)
            when = when_said(ctx, span)
            rule = "according-to" if according else f"verb:{norm(tok.lemma_)}"
            return speaker, min(start, tok.idx), end, f"{rule}:{where}", medium, when
        # "X: “…”" — a colon straight after a name introduces its words.
        if where == "before":
            m = re.search(r"(\S[^\n]{0,60}?):\s*$", ctx.text[start:end])
            if m:
                entity = ctx.entity_at(start + m.start(1), start + m.end(1))
                if entity is not None and ctx.entities[entity].type in ("Person", "Organisation"):
                    return entity, start, end, "colon", None, None
    return None


def _governs(verb, q: QuoteSpan, doc) -> bool:
    inner = doc.char_span(q.start, q.end, alignment_mode="expand")
    if verb.lower_ == "according" and inner is not None:
        return inner[0].sent.start == verb.sent.start   # "According to the report, … “regularly escorts” …"
    return inner is not None and all(verb in t.ancestors for t in inner if not t.is_punct)


def _named_right_after(ctx: Context, q: QuoteSpan, verb) -> bool:
    """'“…,” Siobhán O'Brien-Mahon, a senior analyst at the European Union Drugs Agency (EUDA)
    in Lisbon, told me': the verb's subject opens the sentence after the quote, however long
    the description between them."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return any(_tokens_between(ctx, q.close + 1, s.left_edge.idx) <= 2 and
               ctx.entity_at(s.idx, s.idx + len(s.text)) is not None for s in subjects)


def _tokens_between(ctx: Context, a: int, b: int) -> int:
    return len(re.findall(r"\w+", ctx.text[a:b]))


def _region_after(ctx: Context, q: QuoteSpan, quoted) -> tuple[int, int] | None:
    start = q.close + 1
    if start >= len(ctx.text):
        return None
    limit = len(ctx.text)
    for s, e in quoted:
        if s >= start:
            limit = s
            break
    m = SENTENCE_END.search(ctx.text[start:limit])
    end = start + m.end() if m else limit
    # "…,” he said, “…”: the region may end at the next quote.
    if end - start < 2:
        return None
    return start, end


def _region_before(ctx: Context, q: QuoteSpan, quoted) -> tuple[int, int] | None:
    end = q.open
    floor = 0
    for s, e in quoted:
        if e <= end:
            floor = e
    text = ctx.text[floor:end]
    cut = max(text.rfind("\n"), max((m.end() for m in SENTENCE_END.finditer(text)), default=0) - 1)
    start = floor + cut + 1 if cut >= 0 else floor
    if end - start < 3:
        return None
    return start, end

