"""The debate position banks: coverage of the period, linked counter-claims, and evidence queries the sources can answer."""

from __future__ import annotations

from functools import lru_cache

import pytest

from tutor.corpus import Corpus
from tutor.text import sentence_spans
from tutor.verify import content_stems
from tutor_plugins.debate.positions import load_bank

MIN_MOTIONS = 10
MIN_CLAIMS = 6
QUERY_SHARE = 0.6  # a passage of the sources must hold this share of an evidence query's content words
WINDOW = 3  # sentences in a row: a query may name the subject in one sentence and the fact in the next


@lru_cache(maxsize=1)
def _sentence_stems() -> list[frozenset[str]]:
    """The content words of every run of WINDOW consecutive source sentences."""
    out = []
    for doc in Corpus().documents():
        stems = [content_stems(doc.text[a:b]) for a, b in sentence_spans(doc.text)]
        out += [frozenset().union(*stems[i : i + WINDOW]) for i in range(len(stems))]
    return out


def test_the_banks_cover_the_period_with_enough_claims_per_side():
    bank = load_bank()
    assert len(bank.motions) >= MIN_MOTIONS
    for side in bank.sides.values():
        for motion in bank.motions:
            claims = [c for c in side.claims if c.motion == motion]
            assert len(claims) >= MIN_CLAIMS, (side.side, motion, len(claims))
        assert len({c.id for c in side.claims}) == len(side.claims), "claim ids are unique"
        assert all(c.motion in bank.motions for c in side.claims)


def test_counter_claims_are_linked_to_the_other_sides_claims_on_the_same_motion():
    bank = load_bank()
    for side in bank.sides.values():
        other = {c.id: c for c in bank.other(side.side).claims}
        answered = set()
        for claim in side.claims:
            assert claim.answers, claim.id
            for target in claim.answers:
                assert target in other, (claim.id, target)
                assert other[target].motion == claim.motion, (claim.id, target)
            answered |= set(claim.answers)
        assert set(other) <= answered, f"claims of {bank.other(side.side).side} nobody answers: {sorted(set(other) - answered)}"


@pytest.mark.parametrize("side", ["stalin", "trotsky"])
def test_every_evidence_query_matches_a_source_passage(side):
    sentences = _sentence_stems()
    misses = []
    for claim in load_bank().sides[side].claims:
        for query in claim.evidence_queries:
            wanted = content_stems(query)
            best = max(len(wanted & s) for s in sentences) / max(1, len(wanted))
            if best < QUERY_SHARE:
                misses.append((claim.id, query, round(best, 2)))
    assert not misses, misses


def test_motion_queries_match_source_passages():
    sentences = _sentence_stems()
    for motion in load_bank().motions.values():
        for query in motion.queries:
            wanted = content_stems(query)
            assert max(len(wanted & s) for s in sentences) >= QUERY_SHARE * len(wanted), (motion.id, query)
