"""Check the learner's factual claims against the sources: supported, contradicted, or not in the sources."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from tutor.models import ScoreEntry
from tutor.text import sentence_spans
from tutor.verify import check, content_stems, is_factual, numbers, proper_names

NAME_SWAP_SHARE = 0.6  # with the other name or number swapped in, the claim must be this well supported
MONTHS = frozenset("january february march april may june july august september october november december".split())


def factual_sentences(message: str) -> list[str]:
    """The sentences of a message that assert something checkable (a name or number and some content)."""
    out = []
    for a, b in sentence_spans(message):
        sentence = message[a:b].strip()
        if is_factual(sentence) and (numbers(sentence) or proper_names(sentence)) and len(content_stems(sentence)) >= 3:
            out.append(sentence)
    return out


@lru_cache(maxsize=1)
def _capitalised_words(corpus) -> frozenset[str]:
    """Words the corpus writes capitalised in mid-sentence at least 80% of the time: names, not ordinary words."""
    upper: Counter = Counter()
    lower: Counter = Counter()
    for doc in corpus.documents():
        for match in re.finditer(r"(?<=[a-z,;] )([A-Za-z][a-z’'-]+)", doc.text):
            word = match.group(1)
            (upper if word[0].isupper() else lower)[word.lower()] += 1
    return frozenset(w for w, n in upper.items() if n >= 0.8 * (n + lower[w]))


def _contradicts(claim: str, source: str, names: frozenset[str]) -> bool:
    """Whether the source states the claim with another date, number or name: swapping one in makes it supported."""
    names = names - MONTHS
    ours = [n for n in numbers(claim) - numbers(source)] + [n for n in proper_names(claim) - proper_names(source) if n in names]
    theirs = [n for n in numbers(source) - numbers(claim)] + [n for n in proper_names(source) - proper_names(claim) if n in names]
    for old in ours[:3]:
        for new in theirs[:6]:
            swapped = re.sub(rf"\b{re.escape(old)}\b", new.title(), claim, flags=re.IGNORECASE)
            if swapped != claim and check(swapped, source, min_share=NAME_SWAP_SHARE)[0]:
                return True
    return False


def check_claim(tools, claim: str, number: int) -> ScoreEntry:
    """The verdict on one claim, citing the source sentence it rests on."""
    passages = tools.retrieve(claim, k=5)
    candidates = tools.assess(claim, passages).candidates[:10]
    for candidate in candidates:
        if check(claim, candidate.text, min_share=0.6)[0]:
            return ScoreEntry(claim=claim, verdict="supported", citation=tools.composer.cite(candidate, number))
    names = _capitalised_words(tools.services.corpus)
    for candidate in candidates:
        if _contradicts(claim, candidate.text, names):
            return ScoreEntry(claim=claim, verdict="contradicted", citation=tools.composer.cite(candidate, number))
    return ScoreEntry(claim=claim, verdict="not in the sources")
