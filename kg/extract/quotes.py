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

Indirect speech (X said that…, according to X, X accused Y of…) becomes a statement of
kind "indirect" when its speaker resolves to a named entity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..dates import find_dates, resolve_relative
from ..records import LocalEntity, Mention, Statement
from .lexicon import Lexicon, lexicon, norm

PRONOUNS_PERSON = {"he", "she", "him", "her"}
PRONOUNS_GROUP = {"they", "it", "we"}
MIN_WORDS = 4
# A sentence ends at . ! ? — but not after an initial or a short abbreviation (U.S., Maj., John D.).
SENTENCE_END = re.compile(
    r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|Mt|St|Lt|Jr|Sr|No|vs))(?<!\b(?:Mrs|Maj|Gen|Col|Sgt|Gov|Sen|Rep|Adm|Cpl|Pvt|Rev|"
    r"Inc|Ltd))(?<!\b(?:Dept|Prof|Capt|Govt|govt))[.!?](?=\s|$)|\n")
RELATIVE_TIME = re.compile(r"\b(?:(?:last|on|this)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                           r"yesterday|today)\b")


@dataclass
class QuoteSpan:
    open: int        # index of the opening mark
    close: int       # index of the closing mark (exclusive end = close + 1)
    start: int       # the words inside
    end: int


class Context:
    """What the statement finder needs to know about one article."""

    def __init__(self, doc, text: str, mentions: list[Mention], entities: list[LocalEntity],
                 article_date: str | None):
        self.doc, self.text, self.mentions, self.entities = doc, text, mentions, entities
        self.masked = doc.text   # the text with page furniture blanked: scan this for dates and cues
        self.article_date = article_date
        self.lex: Lexicon = lexicon()
        self.entity_of = {}
        for e_index, entity in enumerate(entities):
            for m in entity.mentions:
                self.entity_of[m] = e_index
        self.mention_starts = sorted((m.start, m.end, i) for i, m in enumerate(mentions))
        self.said: list[Statement] = []   # statements found so far, for pronouns and continuations

    def mention_at(self, start: int, end: int) -> int | None:
        """The mention overlapping [start, end), if any."""
        for m_start, m_end, i in self.mention_starts:
            if m_start < end and start < m_end:
                return i
            if m_start >= end:
                break
        return None

    def entity_at(self, start: int, end: int) -> int | None:
        m = self.mention_at(start, end)
        return self.entity_of.get(m) if m is not None else None


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
    ctx.said = _indirect(ctx, quoted_ranges)
    statements: list[Statement] = list(ctx.said)
    for q in quotes:
        words = ctx.text[q.start:q.end]
        n_words = len(re.findall(r"[\w’']+", words))
        attribution = _attribute(ctx, q, quoted_ranges, short=n_words < MIN_WORDS)
        last = _last_statement(ctx, q.open)
        if attribution is None and n_words >= MIN_WORDS and last is not None and \
                _same_or_next_paragraph(ctx.text, last.cue_end, q.open):
            attribution = (last.speaker, last.cue_start, last.cue_end, "continues-previous", last.medium, last.date)
        if attribution is None or n_words < 2:
            continue  # a short phrase in quotes with no speech verb beside it: scare quotes, titles
        speaker, cue_start, cue_end, rule, medium, when = attribution
        statement = Statement(q.start, q.end, words, "direct", speaker, cue_start, cue_end, rule, medium, when)
        statements.append(statement)
        ctx.said.append(statement)
    # An indirect statement whose words sit inside a direct one is the same utterance.
    direct = [s for s in statements if s.kind == "direct"]
    statements = [s for s in statements if s.kind == "direct" or
                  not any(d.speaker == s.speaker and d.start < s.end and s.start < d.end for d in direct)]
    statements.sort(key=lambda s: s.start)
    return statements


def _last_statement(ctx: Context, position: int) -> Statement | None:
    before = [s for s in ctx.said if s.cue_start < position and s.speaker is not None]
    return max(before, key=lambda s: (s.end, s.cue_end)) if before else None


def _same_or_next_paragraph(text: str, a: int, b: int) -> bool:
    between = text[a:b]
    breaks = len(re.findall(r"\n\s*\n", between)) if re.search(r"\n\s*\n", between) else between.count("\n")
    return breaks <= 1


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
        if short and where == "before":
            continue   # a short quoted phrase counts only with its verb right after: “terror bombings”, Ritter charged
        tokens = list(span) if where == "after" else list(reversed(span))   # nearest verb first
        for tok in tokens:
            if _in_ranges(tok.idx, quoted):
                continue
            is_speech = tok.pos_ in ("VERB", "AUX") and norm(tok.lemma_) in ctx.lex.speech_verbs and \
                not _passive(tok)
            according = tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to"
            if not (is_speech or according):
                continue
            if where == "after" and _tokens_between(ctx, q.close + 1, tok.idx) > (4 if short else 14):
                continue
            speaker = _according_to(ctx, tok) if according else _subject_of(ctx, tok, q)
            if speaker is None:
                continue
            medium = _medium(ctx, tok)
            when = _when(ctx, span)
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


def _passive(verb) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _tokens_between(ctx: Context, a: int, b: int) -> int:
    return len(re.findall(r"\w+", ctx.text[a:b]))


def _in_ranges(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in ranges)


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


def _subject_of(ctx: Context, verb, q: QuoteSpan) -> int | None:
    """The entity doing the saying: the verb's subject, resolved."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        subjects = [c for c in verb.head.children if c.dep_ == "nsubj"]
    if not subjects and verb.dep_ == "pcomp":   # "before acknowledging, “…”"
        head = verb.head.head
        subjects = [c for c in head.children if c.dep_ == "nsubj"]
    for subject in subjects:
        found = _resolve_phrase(ctx, subject, q.open)
        if found is not None:
            return found
    return None


def _according_to(ctx: Context, tok) -> int | None:
    to = ctx.doc[tok.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"]
    for obj in objects:
        found = _resolve_phrase(ctx, obj, tok.idx)
        if found is not None:
            return found
    return None


def _resolve_phrase(ctx: Context, head, before: int) -> int | None:
    """The entity a subject phrase names: a mention in it, a pronoun, or a description."""
    if head.lower_ in PRONOUNS_PERSON | PRONOUNS_GROUP:
        kinds = ("Person",) if head.lower_ in PRONOUNS_PERSON else ("Organisation", "ReportingSource")
        last = _last_statement(ctx, head.idx)
        if last is not None and ctx.entities[last.speaker].type in kinds and \
                _same_or_next_paragraph(ctx.text, last.cue_end, head.idx):
            return last.speaker
        if head.lower_ in PRONOUNS_GROUP:
            return None   # "they" is too often the people just talked about, not a speaker
        return _antecedent(ctx, head.idx, kinds)
    subtree = list(head.subtree)
    lo, hi = subtree[0].idx, subtree[-1].idx + len(subtree[-1].text)
    # The head word itself first ("Parsaii"), then anything inside the phrase.
    direct = ctx.entity_at(head.idx, head.idx + len(head.text))
    if direct is not None:
        return direct
    inside = [i for s, e, i in ctx.mention_starts if lo <= s and e <= hi]
    if inside:
        people = [i for i in inside if ctx.mentions[i].type == "Person"]
        chosen = people[0] if people and norm(head.text) not in ctx.lex.document_nouns else inside[0]
        if norm(head.text) in ctx.lex.document_nouns:
            orgs = [i for i in inside if ctx.mentions[i].type in ("Organisation", "ReportingSource")]
            chosen = orgs[-1] if orgs else chosen
        return ctx.entity_of.get(chosen)
    # "the minister", "the official": a person given that title earlier in the article.
    if norm(head.text) in ctx.lex.role_nouns:
        return _person_with_title(ctx, norm(head.text), before)
    return None


def _antecedent(ctx: Context, position: int, kinds: tuple[str, ...]) -> int | None:
    """The most recent entity of the wanted kind before ``position``, not inside a quote."""
    best = None
    for s, e, i in ctx.mention_starts:
        if s >= position:
            break
        entity = ctx.entity_of.get(i)
        if entity is None or ctx.entities[entity].type not in kinds:
            continue
        if _inside_quote(ctx.text, s):
            continue
        best = entity
    return best


def _inside_quote(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _person_with_title(ctx: Context, title: str, before: int) -> int | None:
    for s, e, i in reversed(ctx.mention_starts):
        if s >= before:
            continue
        m = ctx.mentions[i]
        if m.type == "Person" and (title in norm(m.title) or title in norm(ctx.text[e:e + 60])):
            return ctx.entity_of.get(i)
    return None


def _medium(ctx: Context, verb) -> int | None:
    """'told ABC', 'in an interview with NPR', 'wrote in the New Yorker'."""
    if norm(verb.lemma_) == "tell":
        for child in verb.children:
            if child.dep_ in ("dobj", "dative", "iobj"):
                entity = ctx.entity_at(child.idx, child.idx + len(child.text))
                if entity is not None and ctx.entities[entity].type in ("ReportingSource", "Organisation"):
                    return entity
    window = ctx.text[verb.idx:min(verb.idx + 80, verb.sent.end_char)]
    m = re.search(r"\b(?:interview with|in an interview with|wrote in|writing in|told)\s+(?:the\s+)?", window)
    if m:
        pos = verb.idx + m.end()
        entity = ctx.entity_at(pos, pos + 3)
        if entity is not None and ctx.entities[entity].type in ("ReportingSource", "Organisation"):
            return entity
    return None


def _when(ctx: Context, span) -> str | None:
    """A date written in the attribution ('wrote in March 2006', 'said Friday')."""
    region = ctx.masked[span.start_char:span.end_char]
    found = find_dates(region, ctx.article_date)
    if found:
        return max(found, key=lambda f: len(f[2]))[2]
    m = RELATIVE_TIME.search(region)
    if m:
        return resolve_relative(m.group(0), ctx.article_date)
    return None


def _indirect(ctx: Context, quoted: list[tuple[int, int]]) -> list[Statement]:
    """'X said that …', 'according to X, …', 'X accused Y of …' outside quotation marks."""
    out: list[Statement] = []
    ctx.said = out
    for sent in ctx.doc.sents:
        if not sent.text.strip():
            continue
        for tok in sent:
            if _in_ranges(tok.idx, quoted):
                continue
            according = tok.lower_ == "according" and tok.i + 1 < len(ctx.doc) and ctx.doc[tok.i + 1].lower_ == "to"
            is_verb = tok.pos_ == "VERB" and norm(tok.lemma_) in ctx.lex.indirect_verbs and not _passive(tok)
            if not (according or is_verb):
                continue
            if according:
                speaker = _according_to(ctx, tok)
                phrase_end = _phrase_end(ctx.doc[tok.i + 1])
                after = [t for t in sent if t.i > phrase_end and not t.is_space]
                before = [t for t in sent if t.i < tok.i and not t.is_space]
                content = after if len(after) > len(before) else before
            else:
                complement = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp") or
                              (c.dep_ in ("dobj", "prep") and norm(tok.lemma_) in
                               ("accuse", "tie", "link", "blame", "deny", "condemn", "call", "describe",
                                "identify", "charge", "warn"))]
                if not complement:
                    continue
                speaker = _subject_of(ctx, tok, QuoteSpan(tok.idx, tok.idx, tok.idx, tok.idx))
                content = [t for c in complement for t in c.subtree]
                if norm(tok.lemma_) in ("accuse", "tie", "link", "blame", "condemn", "describe", "identify", "call"):
                    content = [t for t in tok.subtree if t.i > tok.i]
                content = [t for t in content if t.i > tok.i and sent.start <= t.i < sent.end and not t.is_space]
            if speaker is None or not content:
                continue
            if any(_in_ranges(t.idx, quoted) for t in content) and \
                    sum(1 for t in content if _in_ranges(t.idx, quoted)) >= MIN_WORDS:
                continue  # the direct quotation inside already carries it
            content.sort(key=lambda t: t.i)
            start = content[0].idx
            last = content[-1]
            end = last.idx + len(last.text)
            words = ctx.text[start:end].strip(" ,;:—–-")
            start = ctx.text.index(words, start) if words else start
            if len(words.split()) < 3 or any(s.speaker == speaker and s.start <= start < s.end for s in out):
                continue
            out.append(Statement(start, start + len(words), words, "indirect", speaker, sent.start_char,
                                 sent.end_char, "according-to" if according else f"verb:{norm(tok.lemma_)}",
                                 _medium(ctx, tok) if not according else None, _when(ctx, sent)))
            break
    return out


def _phrase_end(tok) -> int:
    return max(t.i for t in tok.subtree)
