"""The dialogue eval suites: coverage, quotes that settle each item, loading and scoring rules."""

from __future__ import annotations

import pytest

from tutor.corpus import Corpus
from tutor.evaluation.dataset import DatasetError
from tutor.evaluation.dialogue import DEFAULT_DIALOGUES, DebateScript, FalseClaim, aggregate, load_dialogues, score_debate
from tutor.models import Citation, GroundingEntry, TurnResult
from tutor.text import fold
from tutor_plugins.debate.positions import load_bank


@pytest.fixture(scope="module")
def suites():
    return [load_dialogues(path) for path in DEFAULT_DIALOGUES]


def test_every_quote_is_in_its_source(suites):
    corpus = Corpus()
    quotes = [e for s in suites for d in s.debates for t in d.turns if t.false for e in t.false.evidence]
    quotes += [e for s in suites for item in s.socratic for e in item.evidence]
    assert len(quotes) >= 30
    for evidence in quotes:
        assert fold(evidence.quote) in corpus.document(evidence.source).folded_original, evidence.quote


def test_the_test_split_debates_every_motion_on_both_sides_for_five_rounds(suites):
    bank = load_bank()
    test = next(s for s in suites if s.split == "dialogue-test")
    assert {(d.side, d.motion) for d in test.debates} == {(side, motion) for side in bank.sides for motion in bank.motions}
    for suite in suites:
        for script in suite.debates:
            assert len(script.turns) == 5
            assert all(set(t.topics) <= set(bank.motions) and t.topics for t in script.turns)
    assert sum(bool(t.false) for d in test.debates for t in d.turns) >= 10
    credit = [i.credit for i in test.socratic]
    assert credit.count(True) >= 8 and credit.count(False) >= 3
    assert all(i.evidence for i in test.socratic if i.credit)


def _lines(suite) -> set[str]:
    """The suite's learner lines and Socratic questions, folded for case and whitespace."""
    said = [t.say for d in suite.debates for t in d.turns] + [i.reply for i in suite.socratic] + [i.question for i in suite.socratic]
    return {" ".join(line.lower().split()) for line in said}


def test_no_learner_line_or_question_is_shared_between_splits(suites):
    # A line in both splits makes tuning on dev tuning on the held-out test split.
    assert len(suites) >= 2
    for index, suite in enumerate(suites):
        for other in suites[index + 1 :]:
            shared = _lines(suite) & _lines(other)
            assert not shared, f"{suite.split} and {other.split} share {sorted(shared)}"


def test_a_malformed_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "dialogue-x.jsonl"
    path.write_text('{"id": "a", "kind": "debate", "side": "lenin", "motion": "nep", "turns": []}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="line 1"):
        load_dialogues(path)


def _result(answer: str, citations=(), grounding=()) -> TurnResult:
    return TurnResult(answer=answer, mode="debate", backend="offline", citations=list(citations), grounding=list(grounding))


def test_scoring_credits_topic_correction_and_catches_repetition():
    bank = load_bank()
    coll = next(c for c in bank.sides["stalin"].claims if c.motion == "collectivisation")
    terror = next(c for c in bank.sides["stalin"].claims if c.motion == "great-terror")
    quote = "On Stalin’s urging, he made him the first General Secretary of the Party in April 1922."
    citation = Citation(number=1, source="revolutionary-russia", title="t", location="l", chunk_id="c", quote=quote, start=0, end=len(quote))
    script = DebateScript.model_validate({
        "id": "x", "kind": "debate", "side": "stalin", "motion": "collectivisation",
        "turns": [
            {"say": "a", "topics": ["collectivisation"], "false": FalseClaim(wrong="1930", right=["1922"], evidence=[]).model_dump()},
            {"say": "b", "topics": ["collectivisation"]},
        ],
    })
    first = _result(f"You say 1930; wrong. {quote} [1] {coll.claim}", [citation], [GroundingEntry(text=f"{quote} [1]", supported=True, citation=1)])
    second = _result(f"{terror.claim} {coll.claim}")  # off topic? no: it repeats the collectivisation claim
    score = score_debate(script, [first, second], "dialogue-dev")
    assert score.turns[0].corrected and score.turns[0].responsive and score.turns[0].stance_held
    assert coll.id in score.repeated
    values = aggregate([score], {})
    assert values["debate.corrected"] == 1.0 and values["debate.repetition"] == 1.0
    uncorrected = _result(f"{coll.claim}")
    assert score_debate(script, [uncorrected, uncorrected], "d").turns[0].corrected is False
