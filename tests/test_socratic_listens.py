"""The Socratic questioner listens: a valid cause the sources give is credited, a wrong one is not (full store, real model)."""

from __future__ import annotations

import pytest

from tutor.engine import Engine, new_session
from tutor.text import match_form

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine(full) -> Engine:
    return Engine(full)


def test_the_first_question_is_about_the_topic_not_a_list_of_its_words(engine):
    session = new_session(mode="socratic")
    first = engine.turn(session, "Why did the Provisional Government fail?")
    assert "Think about Government and Provisional" not in first.answer
    assert "Provisional Government" in first.answer and first.answer.rstrip().endswith("?") and not first.citations
    points = session.state["socratic"]["points"]
    assert len(points) >= 4, "the expected points are the explainer's whole answer, not the three nearest sentences"
    assert len({p["citation"]["source"] for p in points + session.state["socratic"]["pool"]}) == 2, "both sources"


def test_a_valid_cause_is_credited_and_the_ladder_moves_on(engine):
    session = new_session(mode="socratic")
    engine.turn(session, "Why did the Provisional Government fail?")
    reply = engine.turn(session, "because of the war")
    assert reply.answer.startswith("Yes — the war")
    assert reply.citations and all(g.supported for g in reply.grounding if g.factual)
    assert "war" in match_form(reply.citations[0].quote)
    assert "more point" in reply.answer and reply.answer.rstrip().endswith("?")
    again = engine.turn(session, "because of the war")  # already credited: not credited twice
    assert not again.answer.startswith("Yes")


def test_a_wrong_answer_that_shares_a_word_is_not_credited(engine):
    session = new_session(mode="socratic")
    engine.turn(session, "Why did the Provisional Government fail?")
    reply = engine.turn(session, "because of the cold war with America")
    assert not reply.answer.startswith("Yes") and "Not quite" in reply.answer
