"""Retrieval metrics over evidence quotes: a quote is found when it lies inside a passage's original span."""

from __future__ import annotations

from pydantic import BaseModel

from tutor.corpus import Corpus
from tutor.models import Passage
from tutor.text import fold


class Evidence(BaseModel):
    """An exact quote from one source (eval items and retrieval questions use this)."""

    source: str
    quote: str


def contains(corpus: Corpus, passage: Passage, evidence: Evidence) -> bool:
    """Whether the passage's original text contains the quote (both in `fold` form)."""
    if passage.source != evidence.source:
        return False
    original = corpus.document(passage.source).original[passage.start : passage.end]
    return fold(evidence.quote) in fold(original)


def first_hit_rank(corpus: Corpus, passages: list[Passage], evidence: list[Evidence]) -> int | None:
    """1-based rank of the first passage containing any of the quotes, or None."""
    for rank, passage in enumerate(passages, 1):
        if any(contains(corpus, passage, e) for e in evidence):
            return rank
    return None


def recall(corpus: Corpus, passages: list[Passage], evidence: list[Evidence]) -> float:
    """Share of the quotes found in some passage."""
    if not evidence:
        return 1.0
    found = sum(any(contains(corpus, p, e) for p in passages) for e in evidence)
    return found / len(evidence)
