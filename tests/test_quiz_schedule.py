"""FSRS scheduling of quiz items per learner and topic, kept in the session and saved by the session store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tutor.engine import new_session
from tutor.models import Citation
from tutor.session_store import SessionStore
from tutor_plugins.quiz.items import AnswerType, ItemKind, QuizItem
from tutor_plugins.quiz.mode import Quiz
from tutor_plugins.quiz.schedule import QuizProgress

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _item(n: int, topic: str) -> QuizItem:
    citation = Citation(number=1, source="s", title="T", location=f"{topic}, ¶1", chunk_id="c", quote="q", start=n, end=n + 1)
    return QuizItem(id=f"item{n}", kind=ItemKind.CLOZE, answer_type=AnswerType.DATE, prompt="In ____ …", answer="1917", key="1917", sentence="In 1917 …", topic=topic, citation=citation)


def test_a_wrong_answer_comes_back_sooner_than_a_right_one():
    progress = QuizProgress()
    wrong = progress.review(_item(1, "A"), correct=False, now=NOW)
    right = progress.review(_item(2, "A"), correct=True, now=NOW)
    assert NOW < wrong < right
    assert [r.item.id for r in progress.due(NOW + timedelta(minutes=2))] == ["item1"]
    assert progress.asked == 2 and progress.correct == 1


def test_mastery_is_per_topic_and_counts_a_last_wrong_answer_as_zero():
    progress = QuizProgress()
    progress.review(_item(1, "A"), correct=True, now=NOW)
    progress.review(_item(2, "A"), correct=True, now=NOW)
    progress.review(_item(3, "B"), correct=False, now=NOW)
    by_topic = {t.topic: t for t in progress.mastery(NOW + timedelta(minutes=1))}
    assert by_topic["B"].mastery == 0 and by_topic["A"].mastery > 0.9
    assert by_topic["A"].items == 2 and by_topic["B"].due == 1
    later = {t.topic: t for t in progress.mastery(NOW + timedelta(days=30))}
    assert later["A"].mastery < by_topic["A"].mastery  # forgetting: retrievability falls with time


def test_progress_survives_the_session_store(tmp_path):
    session = new_session(mode="quiz")
    progress = QuizProgress()
    progress.review(_item(1, "A"), correct=False, now=NOW)
    session.state["quiz"] = {"progress": progress.model_dump(mode="json")}
    store = SessionStore(f"sqlite:///{tmp_path / 'sessions.sqlite3'}")
    store.save(session)
    loaded = QuizProgress.model_validate(store.load(session.id).state["quiz"]["progress"])
    assert loaded == progress
    assert [r.item.id for r in loaded.due(NOW + timedelta(minutes=5))] == ["item1"]


def test_the_mode_reports_due_items_and_topics_for_the_study_page():
    session = new_session(mode="quiz")
    progress = QuizProgress()
    progress.review(_item(1, "A"), correct=False, now=NOW)
    session.state["quiz"] = {"progress": progress.model_dump(mode="json")}
    report = Quiz(clock=lambda: NOW + timedelta(minutes=5)).progress(session)
    assert report.due == ["In ____ …"] and report.topics[0].topic == "A"
    assert Quiz().progress(new_session()) is None


def test_the_study_page_lists_due_items_and_mastery_and_skips_modes_without_progress():
    from types import SimpleNamespace

    from tutor.web.study import EMPTY, progress_markdown

    session = new_session(mode="quiz")
    progress = QuizProgress()
    progress.review(_item(1, "Chapter 5: The February Revolution, 1917"), correct=False, now=NOW)
    session.state["quiz"] = {"progress": progress.model_dump(mode="json")}
    duck = SimpleNamespace(name="duck", turn=lambda ctx: None)  # a plugin mode that is not a Mode subclass
    engine = SimpleNamespace(registry=SimpleNamespace(modes={"quiz": Quiz(clock=lambda: NOW + timedelta(minutes=5)), "duck": duck}))
    page = progress_markdown(engine, session)
    assert "Due for review now: 1" in page and "- In ____ …" in page
    assert "| Chapter 5: The February Revolution, 1917 | 1 | 1 | 0% |" in page
    assert progress_markdown(engine, new_session()) == EMPTY and progress_markdown(engine, None) == EMPTY
