"""What the learner said in a debate turn, and the persona's claim that answers it.

The learner argues the other side, so their message is compared with three
things for every claim of the persona's, across all motions: the claim itself,
the other side's claims it answers (the arguments the learner is likely making)
and the claim's counter-terms (words of the objection it rebuts). The sources
vote too: the passages the message finds are compared with those each motion's
own queries find, since "Storming the Winter Palace" shares no words with the
October motion's claims but its passages are the October chapter's. The motion
of the best claim is the learner's topic. A preset motion is only a tie-breaker:
when the learner moves to another subject, the persona follows.

Names and years come from the question analysis (`tutor.question`, spaCy), and
the factual sentences from the scorecard's rule, so the same sentences are
checked against the sources and answered in the reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from tutor.text import words
from tutor.verify import stem
from tutor_plugins.debate.positions import OPEN_DEBATE, Claim, Side, load_bank
from tutor_plugins.debate.scorecard import factual_sentences

TERM_WEIGHT = 0.15  # per counter-term found in the message (at most two count)
MOTION_WEIGHT = 0.35  # similarity of the message to the motion as a whole (title, both positions)
MOTION_BONUS = 0.04  # the preset (or current) motion wins near-ties
PASSAGE_WEIGHT = 0.5  # the share of the message's passages (rank-weighted) that its motion's queries also find
PROFILE_K = 5  # passages per motion query that make up the motion's part of the sources
MESSAGE_K = 8  # passages retrieved for the message
SPECIFIC_IN = 2  # a counter-term the bank uses in at most this many motions counts in full
_QUESTION = re.compile(r"\?\s*$|^\s*(why|how|what|was|were|is|did|do|does|would|could|should|can)\b", re.I)


@dataclass
class LearnerPoint:
    """The learner's message as the debate partner reads it."""

    message: str
    topic: str  # the motion id the message is about
    names: list[str] = field(default_factory=list)  # people, places, events named
    years: list[int] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)  # sentences asserting something checkable
    asks: bool = False  # a question put to the persona rather than an argument


@lru_cache(maxsize=2)
def _texts(side_name: str) -> tuple[list[Claim], list[str], list[list[int]], list[str]]:
    """The persona's claims, every text to encode, and for each claim the rows of the texts it is compared with."""
    bank = load_bank()
    side = bank.sides[side_name]
    other = {c.id: c for c in bank.other(side_name).claims}
    motions = list(bank.motions)
    texts = [f"{m.title}. {m.trotsky} {m.stalin}" for m in bank.motions.values()]
    rows = []
    for claim in side.claims:
        own = [len(texts)]
        texts.append(f"{claim.claim} {claim.reasoning}")
        for target in claim.answers:
            own.append(len(texts))
            texts.append(other[target].claim)
        rows.append(own)
    return side.claims, texts, rows, motions


_VECTORS: dict[tuple[int, str], np.ndarray] = {}


def _vectors(tools, side_name: str) -> np.ndarray:
    """The bank's vectors, encoded once per embedding model and side."""
    key = (id(tools.services.embeddings), side_name)
    if key not in _VECTORS:
        _VECTORS[key] = tools.services.embeddings.encode(_texts(side_name)[1])
    return _VECTORS[key]


_PROFILES: dict[int, dict[str, frozenset[str]]] = {}


def _motion_passages(tools) -> dict[str, frozenset[str]]:
    """The chunks each motion's queries retrieve: the part of the sources the motion is about (once per store)."""
    retriever = tools.services.retriever
    if id(retriever) not in _PROFILES:
        _PROFILES[id(retriever)] = {
            m.id: frozenset(p.chunk_id for query in m.queries for p in retriever.search(query, k=PROFILE_K)) for m in load_bank().motions.values()
        }
    return _PROFILES[id(retriever)]


def passage_overlap(tools, message: str) -> dict[str, float]:
    """For each motion, the rank-weighted share of the message's passages that are among the motion's passages."""
    found = tools.services.retriever.search(message, k=MESSAGE_K)
    weights = [1 / (1 + rank) for rank in range(len(found))]
    total = sum(weights) or 1.0
    return {motion: sum(w for w, p in zip(weights, found) if p.chunk_id in ids) / total for motion, ids in _motion_passages(tools).items()}


def _stemmed(text: str) -> str:
    """The text's words stemmed and spaced, so "a show trial" uses the term "show trials"."""
    return f" {' '.join(stem(w) for w in words(text))} "


def _uses(stemmed_text: str, term: str) -> bool:
    return _stemmed(term) in stemmed_text


@lru_cache(maxsize=1)
def _motion_texts() -> dict[str, str]:
    """Everything the bank says on each motion (its positions and queries, both sides' claims, reasoning and queries)."""
    bank = load_bank()
    texts = {m.id: [m.title, m.trotsky, m.stalin, *m.queries] for m in bank.motions.values()}
    for side in bank.sides.values():
        for c in side.claims:
            texts[c.motion] += [c.claim, c.reasoning, *c.evidence_queries]
    return {motion: _stemmed(" ".join(parts)) for motion, parts in texts.items()}


@lru_cache(maxsize=1024)
def specificity(term: str) -> float:
    """1 for a term the bank speaks of in at most two motions, else 1 / the number of motions.

    "Show trial" belongs to the purges and "Comintern" to two subjects; but
    "Kamenev" acts in October, the succession, the opposition and the trials,
    so naming him says little about which of them the learner means.
    """
    motions = sum(_uses(text, term) for text in _motion_texts().values())
    return 1.0 if motions <= SPECIFIC_IN else 1 / motions


def term_hits(message: str, claim: Claim) -> float:
    """Counter-terms of the claim that the message uses (as whole stemmed words), each weighted by its specificity."""
    text = _stemmed(message)
    return sum(specificity(term) for term in claim.counter_terms if _uses(text, term))


def rank_claims(tools, side: Side, message: str, current: str | None) -> list[tuple[Claim, float]]:
    """Every claim of the side with how well it answers the message, best first."""
    claims, _, rows, motions = _texts(side.side)
    vectors = _vectors(tools, side.side)
    query = tools.services.embeddings.encode([message])[0]
    similarity = vectors @ query
    by_motion = {m: float(similarity[i]) for i, m in enumerate(motions)}
    in_sources = passage_overlap(tools, message)
    scored = []
    for claim, own in zip(claims, rows):
        score = float(max(similarity[r] for r in own)) + MOTION_WEIGHT * by_motion[claim.motion] + PASSAGE_WEIGHT * in_sources[claim.motion]
        score += TERM_WEIGHT * min(2, term_hits(message, claim))
        if claim.motion == current:
            score += MOTION_BONUS
        scored.append((claim, score))
    return sorted(scored, key=lambda pair: -pair[1])


def read_point(tools, side: Side, message: str, current: str | None) -> tuple[LearnerPoint, list[tuple[Claim, float]]]:
    """The learner's point (topic, names, years, factual claims) and the ranked claims that answer it."""
    ranked = rank_claims(tools, side, message, current if current != OPEN_DEBATE else None)
    analysis = tools.analyse(message)
    point = LearnerPoint(
        message=message,
        topic=ranked[0][0].motion,
        names=[e.text for e in analysis.entities if e.label not in ("DATE", "CARDINAL", "ORDINAL")],
        years=list(analysis.years),
        claims=factual_sentences(message),
        asks=bool(_QUESTION.search(message)),
    )
    return point, ranked


def choose_claim(ranked: list[tuple[Claim, float]], topic: str, used: list[str]) -> Claim:
    """The best claim on the learner's topic not made yet; when the topic's claims are spent, the best unused one anywhere."""
    fresh = [claim for claim, _ in ranked if claim.id not in used]
    on_topic = [claim for claim in fresh if claim.motion == topic]
    if on_topic:
        return on_topic[0]
    return fresh[0] if fresh else ranked[0][0]
