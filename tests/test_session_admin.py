"""Conversations as a teacher manages them (`tutor sessions …`), and the app when their database is down."""

from __future__ import annotations

import json

from tests.conftest import free_port
from tests.test_cli import run
from tutor.engine import Engine, new_session
from tutor.services import Services
from tutor.session_store import SessionStore
from tutor.web.handlers import restore


def _stored_turn(engine: Engine, question: str):
    session = new_session()
    engine.turn(session, question)
    return session


def test_export_then_delete_a_students_conversation(tmp_path, sessions_url, full):
    engine = Engine(Services(full.settings.model_copy(update={"sessions_url": sessions_url}, deep=True)), persist=True)
    engine.services.retriever = full.retriever
    student, other = _stored_turn(engine, "What was the NEP?"), _stored_turn(engine, "Who was Gapon?")
    env = {"TUTOR_SESSIONS_URL": sessions_url}

    listed = run(["sessions", "list", "--json"], tmp_path, **env)
    assert listed.returncode == 0, listed.stderr
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert rows[student.id]["first_question"] == "What was the NEP?" and rows[student.id]["messages"] == 2

    exported = run(["sessions", "export", "--id", student.id, "--out", str(tmp_path / "student.json")], tmp_path, **env)
    assert exported.returncode == 0, exported.stderr
    data = json.loads((tmp_path / "student.json").read_text(encoding="utf-8"))
    assert data["messages"][0]["content"] == "What was the NEP?" and data["messages"][1]["result"]["citations"]

    assert run(["sessions", "delete", "--id", student.id], tmp_path, **env).returncode == 0
    assert SessionStore(sessions_url).load(student.id) is None
    assert SessionStore(sessions_url).load(other.id) is not None
    missing = run(["sessions", "delete", "--id", student.id], tmp_path, **env)
    assert missing.returncode == 1 and "no conversation" in missing.stderr


def test_prune_needs_a_period(tmp_path):
    result = run(["sessions", "prune"], tmp_path)
    assert result.returncode == 2 and "--older-than" in result.stderr
    assert run(["sessions", "prune", "--older-than", "30"], tmp_path).stdout.startswith("Deleted 0 conversations")


def test_serve_refuses_to_start_without_its_database(tmp_path):
    result = run(["serve", "--port", str(free_port())], tmp_path, TUTOR_SESSIONS_URL=f"postgresql://tutor:pw@127.0.0.1:{free_port()}/school")
    assert result.returncode == 2
    assert "Cannot use the session database" in result.stderr and "Traceback" not in result.stderr


def test_a_turn_with_the_database_down_still_answers_and_says_so(full):
    down = f"postgresql://tutor@127.0.0.1:{free_port()}/school"
    engine = Engine(Services(full.settings.model_copy(update={"sessions_url": down}, deep=True)), persist=True)
    engine.services.retriever = full.retriever
    session = new_session()
    result = engine.turn(session, "What was the NEP?")
    assert result.citations and any(n.startswith("This turn could not be saved") for n in result.notices)
    assert [m.role for m in session.messages] == ["user", "assistant"]  # kept in the page's copy


def test_a_page_reloaded_while_the_database_is_down_keeps_its_conversation_id(full):
    engine = Engine(Services(full.settings.model_copy(update={"sessions_url": f"postgresql://tutor@127.0.0.1:{free_port()}/school"}, deep=True)), persist=True)
    outputs = restore(engine, "abc123")
    assert outputs[1].id == "abc123" and outputs[-1] == "abc123"
