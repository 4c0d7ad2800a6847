"""Sentences are scored with the one before them, for what they leave implicit."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.answer_types import explains
from tutor.compose import Candidate, OfflineComposer, _of_asked_years, _score, _with_what_they_introduce
from tutor.question import analyse
from tutor.models import Passage
from tutor.verify import content_stems

NAMES = "The Brezhnev Doctrine was Moscow's answer to the Prague Spring of 1968."
MEANS = "In practice what this meant was that the Soviet Union reserved for itself the right to intervene in any Warsaw Pact country."
ELSEWHERE = "The harvest of that year was poor, and grain had to be bought abroad."


def _candidates(embeddings, texts: list[str]) -> list[Candidate]:
    return _linked(texts, np.asarray(embeddings.encode(texts)))


def _linked(texts: list[str], vectors: np.ndarray | None = None) -> list[Candidate]:
    """Sentences of one passage, each knowing the one before it."""
    passage = Passage(chunk_id="c", source="s", title="t", section=0, location="l", paragraph=1, text=" ".join(texts), start=0, end=1)
    out = [Candidate(0, passage, text, 0, 0, vector=None if vectors is None else vectors[i]) for i, text in enumerate(texts)]
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


def _plain(texts: list[str]) -> list[Candidate]:
    passage = Passage(chunk_id="c", source="s", title="t", section=0, location="l", paragraph=1, text=" ".join(texts), start=0, end=1)
    out = [Candidate(0, passage, text, i, i + 1, vector=np.eye(len(texts))[i]) for i, text in enumerate(texts)]
    for before, after in zip(out, out[1:]):
        after.before = before
    return out


def test_a_sentence_ending_with_a_colon_brings_what_it_introduces():
    intro, quote, later = _plain(["His harshest words were kept for the General Secretary:", "He is too rude for the post.", "Nothing came of it."])
    assert _with_what_they_introduce([intro, later], [intro, quote, later]) == [intro, quote, later]
    assert _with_what_they_introduce([later], [intro, quote, later]) == [later]


def test_a_sentence_brings_the_one_that_spells_out_what_it_meant():
    names, means, elsewhere = _plain([NAMES, MEANS, ELSEWHERE])
    assert _with_what_they_introduce([names], [names, means, elsewhere]) == [names, means]
    # Only its own predecessor is spelled out by it, and any other follower stays out.
    assert _with_what_they_introduce([means], [names, means, elsewhere]) == [means]
    plain, other = _plain([NAMES, ELSEWHERE])
    assert _with_what_they_introduce([plain], [plain, other]) == [plain]


def test_a_lone_match_is_made_up_to_three_sentences_from_the_next_best():
    best, second, third, fourth = _plain(["a b c d e f g", "h i j k l m n", "o p q r s t u", "v w x y z a b"])
    assert OfflineComposer._fill([best], [best], limit=6, spare=[second, third, fourth]) == [best, second, third]
    assert OfflineComposer._fill([best], [best, second, third, fourth], limit=6) == [best, second, third, fourth]



def test_a_sentence_held_by_two_overlapping_passages_is_quoted_once():
    # Chunks overlap, so one sentence of the source is a candidate in each passage that holds it; the copy brought
    # along for a following "They…" must not quote it a second time.
    def passage(chunk_id: str) -> Passage:
        return Passage(chunk_id=chunk_id, source="s", title="t", section=0, location="l", paragraph=1, text="", start=0, end=1)

    saw = "Many Russians saw the collapse of the Soviet Union as a terrible defeat."
    lived = "They had lived their lives in the belief that the Soviet system was normal."
    first = Candidate(0, passage("a"), saw, 100, 172, vector=np.eye(2)[0])
    again = Candidate(1, passage("b"), saw, 100, 172, vector=np.eye(2)[0])
    they = Candidate(1, again.passage, lived, 173, 250, vector=np.eye(2)[1], before=again)
    chosen = OfflineComposer._fill([first], [first, they], limit=6)
    assert [c.text for c in chosen] == [saw, lived]
    assert _with_what_they_introduce(chosen, [first, again, they]) == chosen

@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("But the main cause of their undoing was their failure to accept the peasant revolution.", True),
        ("The collective farms were a dismal failure.", True),
        ("The Whites were divided because their generals quarrelled.", True),
        ("The Whites reached Orel in October 1919.", False),
    ],
)
def test_a_sentence_that_gives_a_reason_or_verdict_is_recognised(sentence, expected):
    assert explains(sentence) is expected


def test_a_sentence_that_leans_on_a_dated_predecessor_is_of_that_predecessors_year():
    famine = "The seizure of the harvest led to widespread famine in 1932–3."
    count = "The number of deaths is impossible to calculate accurately, but up to 8.5 million people died."
    _, counted = _linked([famine, count])
    assert not _of_asked_years(counted, analyse("How many people died in the famine of 1921?"))
    assert _of_asked_years(counted, analyse("How many people died in the famine of 1932?"))
    # Alone, with no year of its own, it may be of any year.
    counted.before = None
    assert _of_asked_years(counted, analyse("How many people died in the famine of 1921?"))


def test_a_name_told_soon_after_the_sentence_setting_its_scene_answers_who():
    from tutor.compose import _told_in_scene

    march = "On a sunny Sunday morning the long columns of protestors marched across the ice towards the Winter Palace."
    bells = "Church bells rang and their golden domes sparkled in the sun."
    head = "At the head of the largest column was the bearded figure of Father Gapon in a long white cassock."
    scene, between, told = _linked([march, bells, head])
    for offset, candidate in enumerate((scene, between, told)):
        candidate.start, candidate.end = offset * 100, offset * 100 + 90
    who = analyse("Name the priest who led the workers' march to the Winter Palace on Bloody Sunday.")
    assert _told_in_scene(who, [scene], [scene, between, told]) == [told]
    # Read without the scene, the name is not of the asked march.
    assert _told_in_scene(who, [between], [scene, between, told]) == []
