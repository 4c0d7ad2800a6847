"""Sentences are scored with the one before them, for what they leave implicit."""

from __future__ import annotations

import numpy as np

from tutor.compose import Candidate, _score
from tutor.models import Passage
from tutor.verify import content_stems

NAMES = "The Brezhnev Doctrine was Moscow's answer to the Prague Spring of 1968."
MEANS = "In practice what this meant was that the Soviet Union reserved for itself the right to intervene in any Warsaw Pact country."
ELSEWHERE = "The harvest of that year was poor, and grain had to be bought abroad."


def _candidates(embeddings, texts: list[str]) -> list[Candidate]:
    passage = Passage(chunk_id="c", source="s", title="t", section=0, location="l", paragraph=1, text=" ".join(texts), start=0, end=1)
    vectors = np.asarray(embeddings.encode(texts))
    out = [Candidate(0, passage, text, 0, 0, vector=v) for text, v in zip(texts, vectors)]
    for before, after in zip(out, out[1:]):
        after.before = before
    return out


def test_a_sentence_that_explains_what_the_one_before_names_scores_higher_in_context(embeddings):
    question = "Define the Brezhnev Doctrine."
    query = np.asarray(embeddings.encode([question]))[0]
    wanted = content_stems(question)
    names, means = _candidates(embeddings, [NAMES, MEANS])
    alone = Candidate(0, means.passage, MEANS, 0, 0, vector=means.vector)
    assert _score(means, query, wanted) > _score(alone, query, wanted)


def test_context_lifts_a_sentence_less_than_its_relevant_neighbour(embeddings):
    # A follower is read with its neighbour at half weight, less a cost: an unrelated sentence after the
    # one that answers must not outscore it.
    question = "Define the Brezhnev Doctrine."
    query = np.asarray(embeddings.encode([question]))[0]
    wanted = content_stems(question)
    names, elsewhere = _candidates(embeddings, [NAMES, ELSEWHERE])
    assert _score(elsewhere, query, wanted) < _score(names, query, wanted)
