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


_CLAUSE_BREAK = re.compile(r"\s*[,;:–—]\s*|\s+(?:but|and|after|before|because|when|while|so|although|though|since)\s+", re.I)


def clauses(claim: str) -> list[str]:
    """The claim and, after it, its clauses that hold a date, number or name: one wrong detail is checked without the rest."""
    parts = [c.strip() for c in _CLAUSE_BREAK.split(claim) if c and c.strip()]
    return [claim] + [c for c in parts if c != claim and (numbers(c) or proper_names(c)) and len(content_stems(c)) >= 2]


def _swapped_detail(claim: str, source: str, names: frozenset[str]) -> str | None:
    """The date, number or name of the claim that, replaced by the source's, makes the claim supported."""
    names = names - MONTHS
    # A number is only swapped for a number and a name for a name: "in 1930" -> "in Lenin" proves nothing.
    pairs = [
        (sorted(numbers(claim) - numbers(source)), sorted(numbers(source) - numbers(claim))),
        (sorted(n for n in proper_names(claim) - proper_names(source) if n in names), sorted(n for n in proper_names(source) - proper_names(claim) if n in names)),
    ]
    for ours, theirs in pairs:
        for old in ours[:3]:
            for new in theirs[:6]:
                swapped = re.sub(rf"\b{re.escape(old)}\b", new.title(), claim, flags=re.IGNORECASE)
                if swapped != claim and check(swapped, source, min_share=NAME_SWAP_SHARE)[0]:
                    return old
    return None


def contradiction(corpus, claim: str, source: str) -> str | None:
    """The detail (date, number or name) of the claim, or of one of its clauses, that the source states otherwise."""
    names = _capitalised_words(corpus)
    return next((old for part in clauses(claim) if (old := _swapped_detail(part, source, names))), None)


_YOU = re.compile(r"\b(you|your|yours|yourself)\b", re.I)


def as_said_of(claim: str, persona: str | None) -> str:
    """The claim with "you" replaced by the persona's name, since the learner addresses the persona ("you refused" -> "Trotsky refused")."""
    if not persona:
        return claim
    return _YOU.sub(lambda m: persona + ("’s" if m.group(1).lower().startswith("your") else ""), claim)


def check_claim(tools, claim: str, number: int, persona: str | None = None) -> ScoreEntry:
    """The verdict on one claim, citing the source sentence it rests on ("you" is read as the persona)."""
    entry = _verdict(tools, as_said_of(claim, persona), number)
    return entry.model_copy(update={"claim": claim})


def _verdict(tools, claim: str, number: int) -> ScoreEntry:
    passages = tools.retrieve(claim, k=5)
    candidates = tools.assess(claim, passages).candidates[:10]
    for candidate in candidates:
        if check(claim, candidate.text, min_share=0.6)[0]:
            return ScoreEntry(claim=claim, verdict="supported", citation=tools.composer.cite(candidate, number))
    for candidate in candidates:
        if contradiction(tools.services.corpus, claim, candidate.text):
            return ScoreEntry(claim=claim, verdict="contradicted", citation=tools.composer.cite(candidate, number))
    return ScoreEntry(claim=claim, verdict="not in the sources")
