"""The quiz mode through the engine on the small fixture corpus: a round, grading, grounding, persistence, /end, export."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tutor.engine import Engine, new_session
from tutor_plugins.quiz.evaluation import problems
from tutor.ingest import ingest
from tutor.models import Passage
from tutor.services import Services
from tutor_plugins.quiz.grading import LETTERS
from tutor_plugins.quiz.items import Inventory, ItemFactory, ItemKind
from tutor_plugins.quiz.schedule import QuizProgress


@pytest.fixture
def services(mini_settings, embeddings):
    ingest(mini_settings, embeddings=embeddings)
    built = Services(mini_settings)
    built.__dict__["embeddings"] = embeddings
    return built


def _current(session):
    return QuizProgress.model_validate(session.state["quiz"]["progress"]).current


def _right_answer(item) -> str:
    if item.kind == ItemKind.CHOICE:
        return LETTERS[item.options.index(item.answer)]
    return item.answer


def test_a_quiz_round_grades_explains_with_the_cited_sentence_and_persists(services):
    engine = Engine(services, persist=True)
    session = new_session()
    first = engine.turn(session, "/quiz the Russian Revolution of 1917")
    assert session.mode == "quiz" and "Question 1" in first.answer
    item = _current(session)
    assert item is not None and item.key in item.sentence

    right = engine.turn(session, _right_answer(item))
    assert right.answer.startswith("Right") and item.sentence in right.answer and "[1]" in right.answer
    assert right.citations and right.citations[0].quote == services.corpus.document(item.citation.source).original[item.citation.start : item.citation.end]
    factual = [g for g in right.grounding if g.factual]
    assert factual and all(g.supported for g in factual)  # the only claims are the cited sentence's
    assert "Question 2" in right.answer

    second = _current(session)
    wrong = engine.turn(session, "skip")
    assert wrong.answer.startswith("Not quite") and second.sentence in wrong.answer
    saved = QuizProgress.model_validate(services.sessions.load(session.id).state["quiz"]["progress"])
    assert saved.asked == 2 and saved.correct == 1
    assert {item.id, second.id} <= set(saved.cards)
    assert saved.cards[second.id].last_correct is False and saved.cards[item.id].last_correct is True

    summary = engine.turn(session, "/end")
    assert "1 of 2 right" in summary.answer and "mastery" in summary.answer


def test_a_topic_the_sources_do_not_cover_gets_a_clear_message(services):
    engine = Engine(services)
    session = new_session()
    reply = engine.turn(session, "/quiz the 2024 Olympic Games in Paris")
    assert "don't cover" in reply.answer and _current(session) is None


def test_free_text_in_quiz_mode_starts_a_round_on_that_topic(services):
    engine = Engine(services)
    session = new_session(mode="quiz")
    reply = engine.turn(session, "the February Revolution")
    assert "Question 1" in reply.answer and _current(session) is not None


def test_every_item_from_the_fixture_corpus_passes_the_automatic_checks(services):
    factory = ItemFactory(services.corpus)
    items = factory.from_passages([Passage(**c.model_dump()) for c in services.retriever.chunks])
    assert {ItemKind.CLOZE, ItemKind.TRUE_FALSE} <= {i.kind for i in items}
    inventory = Inventory(services.corpus)
    found = {i.id: problems(i, inventory) for i in items}
    assert not {k: v for k, v in found.items() if v}
    assert len({i.id for i in items}) == len(items)


def test_export_writes_an_anki_deck_of_the_session_items(services, tmp_path):
    tutor = str(Path(sys.executable).with_name("tutor"))
    settings = services.settings
    env = {**os.environ, "TUTOR_DATA_DIR": str(settings.data_dir), "TUTOR_CORPUS_DIR": str(settings.corpus_dir)}
    session_file, deck = tmp_path / "quiz.json", tmp_path / "deck.apkg"

    def run(*args):
        return subprocess.run([tutor, *args], env=env, capture_output=True, text=True, timeout=300)

    assert run("ask", "/quiz the Russian Revolution", "--session", str(session_file)).returncode == 0
    assert run("ask", "1917", "--session", str(session_file)).returncode == 0
    done = run("quiz", "export", "--anki", str(deck), "--session", str(session_file))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(deck) as package:
        package.extract("collection.anki2", tmp_path)
    notes = sqlite3.connect(tmp_path / "collection.anki2").execute("SELECT flds FROM notes").fetchall()
    assert len(notes) == 2 and all("\x1f" in n[0] for n in notes)  # question, answer, source, topic

    bad = run("quiz", "export", "--anki", str(tmp_path / "deck.txt"), "--session", str(session_file))
    assert bad.returncode == 2 and ".apkg" in bad.stderr and "Traceback" not in bad.stderr
    missing = run("quiz", "export", "--anki", str(deck), "--session", str(tmp_path / "none.json"))
    assert missing.returncode == 2 and "no session file" in missing.stderr


def test_the_quiz_is_a_plugin_found_through_its_entry_point():
    from importlib.metadata import entry_points

    from tutor.cli import build_parser
    from tutor.plugins import PluginRegistry

    assert "quiz" in {ep.name for ep in entry_points(group="tutor.plugins")}
    assert PluginRegistry().modes["quiz"].usage == "[topic]"
    args = build_parser().parse_args(["quiz", "export", "--anki", "deck.apkg"])
    assert args.func.__module__ == "tutor_plugins.quiz.command"
