"""Reported speech: statements of kind "indirect".

    X said that …          according to X, …          X accused Y of …        X tied Y to …
    …, X charged.          the Iranian charge that …  X is adamant that …

A statement is kept only when its speaker resolves to a named entity (speakers.py).
"""
from __future__ import annotations

from ..records import Statement
from .lexicon import norm
from .speakers import Context, according_to, in_ranges, medium_of, passive, subject_of, when_said

# Verbs whose reported content is their object and what follows ("accused the group of …").
OBJECT_VERBS = {"accuse", "tie", "link", "blame", "condemn", "call", "describe", "identify", "charge", "warn",
                "reject", "outline", "detail", "deny"}
# Nouns that carry reported content: "the Iranian charge that the MKO is involved".
CLAIM_NOUNS = {"charge", "claim", "accusation", "allegation", "assertion", "contention", "warning", "suggestion"}
# Adjectives that do too: "the Iraqi Government is adamant that the MKO be expelled".
STANCE_ADJECTIVES = {"adamant", "insistent", "convinced", "confident", "certain", "determined"}


def find_indirect(ctx: Context, quoted: list[tuple[int, int]]) -> list[Statement]:
    """'X said that …', 'according to X, …', 'X accused Y of …' outside quotation marks."""
    out: list[Statement] = []
    ctx.said = out
    for sent in ctx.doc.sents:
        if not sent.text.strip():
            continue
        for tok in sent:
            if in_ranges(tok.idx, quoted):
                continue
            found = _attribution(ctx, tok, sent)
            if found is None:
                continue
            speakers, content, rule = found
            content = sorted({t.i: t for t in content if not t.is_space and sent.start <= t.i < sent.end}.values(),
                             key=lambda t: t.i)
            if not content or not speakers:
                continue
            if sum(1 for t in content if in_ranges(t.idx, quoted)) >= 4 and \
                    all(in_ranges(t.idx, quoted) or t.is_punct or t.i < content[0].i + 3 for t in content):
                continue  # the content is a direct quotation, which carries it
            start, last = content[0].idx, content[-1]
            words = ctx.text[start:last.idx + len(last.text)].strip(" ,;:—–-")
            if len(words.split()) < 3:
                continue
            start = ctx.text.index(words, start)
            medium = medium_of(ctx, tok) if rule != "according-to" else None
            for speaker in speakers:
                if any(s.speaker == speaker and s.start < start + len(words) and start < s.end for s in out):
                    continue
                cue_end = sent.start_char + len(sent.text.rstrip())   # not the paragraph break after it
                out.append(Statement(start, start + len(words), words, "indirect", speaker, sent.start_char,
                                     cue_end, rule, medium, when_said(ctx, sent)))
    return out


def _attribution(ctx: Context, tok, sent):
    """(speakers, content tokens, rule) when ``tok`` attributes reported speech, else None."""
    doc = ctx.doc
    lemma = norm(tok.lemma_)
    if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
        speaker = according_to(ctx, tok)
        phrase_end = max(t.i for t in doc[tok.i + 1].subtree)
        after = [t for t in sent if t.i > phrase_end]
        before = [t for t in sent if t.i < tok.i]
        return ([speaker] if speaker is not None else []), (after if len(after) > len(before) else before), \
            "according-to"
    if tok.pos_ == "VERB" and (lemma in ctx.lex.indirect_verbs or lemma in OBJECT_VERBS) and not passive(tok):
        clauses = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
        if lemma in OBJECT_VERBS:
            content = [t for t in tok.subtree if t.i > tok.i]
        elif clauses and all(c.i < tok.i for c in clauses):
            content = [t for c in clauses for t in c.subtree]   # "…, Ritter charged."
        elif lemma == "point" and any(c.lower_ == "out" for c in tok.children):
            content = [t for t in tok.subtree if t.i > tok.i and t.lower_ != "out"]
        else:
            content = [t for c in clauses for t in c.subtree if t.i > tok.i]
        return _subjects(ctx, tok), content, f"verb:{lemma}"
    if tok.pos_ == "NOUN" and lemma in CLAIM_NOUNS:
        clauses = [c for c in tok.children if c.dep_ in ("acl", "ccomp") and
                   any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)]
        owners = [c for c in tok.children if c.dep_ in ("poss", "amod", "compound")]
        speakers = [sp for c in owners if (sp := _owner(ctx, c)) is not None]
        return (speakers, [t for c in clauses for t in c.subtree], f"claim:{lemma}") if clauses else None
    if tok.pos_ == "ADJ" and lemma in STANCE_ADJECTIVES and tok.head.lemma_ == "be":
        clauses = [c for c in tok.children if c.dep_ == "ccomp"]
        return (_subjects(ctx, tok.head), [t for c in clauses for t in c.subtree], f"stance:{lemma}") \
            if clauses else None
    return None


def _subjects(ctx: Context, verb) -> list[int]:
    """Every subject of the verb: 'Both Iran and the Iraqi government accuse …' gives two."""
    first = subject_of(ctx, verb, verb.idx)
    if first is None:
        return []
    speakers = [first]
    for subject in (c for c in verb.children if c.dep_ == "nsubj"):
        for conj in subject.conjuncts:
            entity = ctx.entity_at(conj.idx, conj.idx + len(conj.text))
            if entity is None:
                span = list(conj.subtree)
                entity = next((ctx.entity_of.get(i) for s, e, i in ctx.mention_starts
                               if span[0].idx <= s and e <= span[-1].idx + len(span[-1].text)), None)
            if entity is not None and entity not in speakers:
                speakers.append(entity)
    return speakers


def _owner(ctx: Context, token) -> int | None:
    """Whose claim: a named owner ("Iran's charge") or a demonym ("the Iranian charge")."""
    entity = ctx.entity_at(token.idx, token.idx + len(token.text))
    if entity is not None:
        return entity
    demonym = ctx.lex.demonyms.get(token.text.replace("’", "'"))
    if demonym is None:
        return None
    for name in (f"Government of {demonym['country']}", f"Government of the {demonym['country']}", demonym["country"]):
        match = next((n for n, e in enumerate(ctx.entities) if e.name.lower() == name.lower()), None)
        if match is not None:
            return match
    return None
