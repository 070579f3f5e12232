"""Who is speaking: resolving the subject of a speech verb to an entity of the article.

Shared by the direct-quotation step (quotes.py) and the reported-speech step (reported.py).
A subject phrase resolves through, in order: a name mentioned in it; a pronoun (the last
speaker when close, else the last person named outside quotations); a first-person "I"
(the article's author); a relative "who" (the noun it describes); a description ("the
minister", "the security officials", "the report") to the entity last given that title or
head noun; a country behind an official ("Iran's police commander") to that country's
government when the article names it.
"""
from __future__ import annotations

import re

from ..dates import find_dates, resolve_relative
from ..records import LocalEntity, Mention, Statement
from .lexicon import Lexicon, lexicon, norm

PRONOUNS_PERSON = {"he", "she", "him", "her"}
PRONOUNS_GROUP = {"they", "it", "we"}
RELATIVE_TIME = re.compile(r"\b(?:(?:last|on|this)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                           r"yesterday|today)\b")


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
        # "Press TV interviewed …": found once per article, asked once per statement.
        self.interview_verbs = [t for t in doc if t.pos_ == "VERB" and norm(t.lemma_) == "interview"]
        # The byline author speaks when the article says "I" outside quotation marks.
        self.author = next((self.entity_of.get(i) for i, m in enumerate(mentions)
                            if m.rule == "metadata:byline" and self.entity_of.get(i) is not None), None)

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


def last_statement(ctx: Context, position: int) -> Statement | None:
    before = [s for s in ctx.said if s.cue_start < position and s.speaker is not None]
    return max(before, key=lambda s: (s.end, s.cue_end)) if before else None


def same_or_next_paragraph(text: str, a: int, b: int) -> bool:
    between = text[a:b]
    breaks = len(re.findall(r"\n\s*\n", between)) if re.search(r"\n\s*\n", between) else between.count("\n")
    return breaks <= 1


def passive(verb) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def in_ranges(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in ranges)


def subject_of(ctx: Context, verb, before: int) -> int | None:
    """The entity doing the saying: the verb's subject, resolved."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        subjects = [c for c in verb.head.children if c.dep_ == "nsubj"]
    if not subjects and verb.dep_ == "pcomp":   # "before acknowledging, “…”"
        head = verb.head.head
        subjects = [c for c in head.children if c.dep_ == "nsubj"]
    if not subjects:   # "…,” the 63-year-old said: spaCy hangs the description on the verb as a modifier
        subjects = [c for c in verb.lefts if c.dep_ in ("amod", "npadvmod", "nmod", "dep") and c.idx > before]
    for subject in subjects:
        found = resolve_phrase(ctx, subject, before)
        if found is not None:
            return found
    return None


def according_to(ctx: Context, tok) -> int | None:
    to = ctx.doc[tok.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"]
    for obj in objects:
        found = resolve_phrase(ctx, obj, tok.idx)
        if found is not None:
            return found
    return None


def resolve_phrase(ctx: Context, head, before: int) -> int | None:
    """The entity a subject phrase names: a mention in it, a pronoun, or a description."""
    word = head.lower_
    if word in ("i", "we", "me") and ctx.author is not None and not _inside_quote(ctx.text, head.idx):
        return ctx.author
    if word in ("who", "which", "that") and head.head.dep_ == "relcl":
        return resolve_phrase(ctx, head.head.head, before)   # "Scott Ritter, who was pointing out that …"
    if word in PRONOUNS_PERSON | PRONOUNS_GROUP:
        kinds = ("Person",) if word in PRONOUNS_PERSON else ("Organisation", "ReportingSource")
        last = last_statement(ctx, head.idx)
        paragraph = max(ctx.text.rfind("\n\n", 0, head.idx), ctx.text.rfind("\n", 0, head.idx)) + 1
        if word in PRONOUNS_PERSON and (last is None or last.cue_end <= paragraph):
            # A person introduced in this paragraph outranks the last speaker of an earlier one:
            # "Dr. Parisa Rahimi-Farahani … interviewed 120 people. “…,” she told me.'
            here = _antecedent(ctx, head.idx, kinds, since=paragraph)
            if here is not None:
                return here
        if last is not None and ctx.entities[last.speaker].type in kinds and \
                same_or_next_paragraph(ctx.text, last.cue_end, head.idx):
            return last.speaker
        if word in PRONOUNS_GROUP:
            return None   # "they" is too often the people just talked about, not a speaker
        return _antecedent(ctx, head.idx, kinds)
    subtree = list(head.subtree)
    lo, hi = subtree[0].idx, subtree[-1].idx + len(subtree[-1].text)
    # The head word itself first ("Parsaii"), then anything inside the phrase.
    direct = ctx.entity_at(head.idx, head.idx + len(head.text))
    inside = [i for s, e, i in ctx.mention_starts if lo <= s and e <= hi]
    if direct is not None and ctx.entities[direct].type == "Location":
        # A place heading the phrase rarely speaks: "Tehran, IRNA – Director-General … X said"
        people = [ctx.entity_of[i] for i in inside if ctx.mentions[i].type == "Person" and i in ctx.entity_of]
        if people:
            return people[-1]
    if direct is not None:
        return direct
    noun = norm(head.text)
    if inside:
        people = [i for i in inside if ctx.mentions[i].type == "Person"]
        chosen = people[0] if people and noun not in ctx.lex.document_nouns else inside[0]
        if noun in ctx.lex.document_nouns:
            orgs = [i for i in inside if ctx.mentions[i].type in ("Organisation", "ReportingSource")]
            chosen = orgs[-1] if orgs else chosen
        entity = ctx.entity_of.get(chosen)
        if entity is not None and ctx.entities[entity].type == "Location" and \
                noun in ctx.lex.spokesperson_nouns | ctx.lex.role_nouns:
            return _government_of(ctx, entity) or entity   # "Iran's deputy police commander"
        return entity
    # "the minister", "the official": a person given that title earlier in the article.
    if noun in ctx.lex.role_nouns:
        found = _person_with_title(ctx, noun, before)
        if found is not None:
            return found
    # "the 58-year-old farmer", "the 63-year-old": a description of the person just named
    # (this paragraph or the one before). Titles and spokespeople are left alone: "the minister"
    # is more often someone not named yet than the last person mentioned.
    described = re.search(r"\b\d+-year-old\b", ctx.text[lo:hi]) or (
        subtree[0].lower_ == "the" and noun in ctx.lex.role_nouns and
        noun not in ctx.lex.person_titles | ctx.lex.spokesperson_nouns)
    if described:
        previous_paragraph = _paragraph_start(ctx.text, _paragraph_start(ctx.text, lo) - 2)
        found = _antecedent(ctx, lo, ("Person",), since=previous_paragraph)
        if found is not None:
            return found
    # "the security officials", "the report": the last speaker described by the same noun.
    if noun in ctx.lex.spokesperson_nouns | ctx.lex.document_nouns:
        return _same_head(ctx, head, before)
    return None


def _paragraph_start(text: str, pos: int) -> int:
    """Where the paragraph holding ``pos`` begins (after the blank line before it)."""
    cut = text.rfind("\n\n", 0, max(pos, 0))
    return cut + 2 if cut >= 0 else 0


def _government_of(ctx: Context, country: int) -> int | None:
    wanted = f"government of {ctx.entities[country].name}".lower()
    return next((n for n, e in enumerate(ctx.entities) if e.name.lower().replace("the ", "") == wanted.replace("the ", "")),
                None)


def _same_head(ctx: Context, head, before: int) -> int | None:
    """Coreference by head noun: 'Iranian security officials reported …' … 'according to the
    security officials'; 'CNN reports …' … 'according to the report'."""
    noun = norm(head.lemma_)
    for statement in sorted(ctx.said, key=lambda s: -s.cue_start):
        if statement.cue_start < before and statement.speaker is not None and \
                re.search(rf"\b{re.escape(noun)}", ctx.masked[statement.cue_start:statement.cue_end].lower()):
            return statement.speaker
    for s, e, i in reversed(ctx.mention_starts):
        if s < before and ctx.mentions[i].text.lower().rstrip("s").endswith(noun.rstrip("s")) and \
                ctx.entity_of.get(i) is not None:
            return ctx.entity_of[i]
    return None


def _antecedent(ctx: Context, position: int, kinds: tuple[str, ...], since: int = 0) -> int | None:
    """The most recent entity of the wanted kind in [since, position), not inside a quote."""
    best = None
    for s, e, i in ctx.mention_starts:
        if s >= position:
            break
        if s < since:
            continue
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


def medium_of(ctx: Context, verb) -> int | None:
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


def when_said(ctx: Context, span) -> str | None:
    """A date written in the attribution ('wrote in March 2006', 'said Friday')."""
    region = ctx.masked[span.start_char:span.end_char]
    found = find_dates(region, ctx.article_date)
    if found:
        return max(found, key=lambda f: len(f[2]))[2]
    m = RELATIVE_TIME.search(region)
    if m:
        return resolve_relative(m.group(0), ctx.article_date)
    return None

