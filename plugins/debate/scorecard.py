"""Check the learner's factual claims against the sources: supported, contradicted, or not in the sources."""

from __future__ import annotations

from tutor.models import ScoreEntry
from tutor.text import sentence_spans
from tutor.verify import check, content_stems, is_factual, numbers, proper_names

SAME_TOPIC_SHARE = 0.5  # a source sentence sharing this share of the claim's words is about the same thing


def factual_sentences(message: str) -> list[str]:
    """The sentences of a message that assert something checkable (a name or number and some content)."""
    out = []
    for a, b in sentence_spans(message):
        sentence = message[a:b].strip()
        if is_factual(sentence) and (numbers(sentence) or proper_names(sentence)) and len(content_stems(sentence)) >= 3:
            out.append(sentence)
    return out


def check_claim(tools, claim: str, number: int) -> ScoreEntry:
    """The verdict on one claim, citing the source sentence it rests on."""
    passages = tools.retrieve(claim, k=5)
    candidates = tools.assess(claim, passages).candidates[:10]
    for candidate in candidates:
        if check(claim, candidate.text, min_share=0.6)[0]:
            return ScoreEntry(claim=claim, verdict="supported", citation=tools.composer.cite(candidate, number))
    for candidate in candidates:
        ok, share, problems = check(claim, candidate.text, min_share=SAME_TOPIC_SHARE)
        conflict = any(p.startswith(("numbers", "negation", "names")) for p in problems)
        if share >= SAME_TOPIC_SHARE and conflict and not any(p.startswith("only") for p in problems):
            return ScoreEntry(claim=claim, verdict="contradicted", citation=tools.composer.cite(candidate, number))
    return ScoreEntry(claim=claim, verdict="not in the sources")
