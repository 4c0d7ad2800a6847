"""The session store on both engines (a SQLite file and a real PostgreSQL server): round trips, writers at once, nothing lost."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa

from tutor.engine import new_session
from tutor.models import Message, TurnResult
from tutor.session_schema import VERSION
from tutor.session_store import SessionStore, SessionStoreError


def _session(text: str):
    session = new_session()
    session.messages.append(Message(role="user", content=text))
    return session


def _turn(session, question: str) -> None:
    session.messages.append(Message(role="user", content=question))
    session.messages.append(Message(role="assistant", content=f"answer to {question}", result=TurnResult(answer=f"answer to {question}", mode="explain", backend="offline")))


def test_a_saved_session_loads_back(sessions_url):
    store = SessionStore(sessions_url)
    session = _session("What was the NEP?")
    session.state["debate"] = {"round": 2}
    store.save(session)
    _turn(session, "And War Communism?")
    store.save(session)
    loaded = store.load(session.id)
    assert [m.content for m in loaded.messages] == ["What was the NEP?", "And War Communism?", "answer to And War Communism?"]
    assert loaded.messages[-1].result.answer == "answer to And War Communism?"
    assert loaded.state == {"debate": {"round": 2}}
    assert store.load("no-such-id") is None


def test_a_save_appends_only_the_new_messages(sessions_url):
    store = SessionStore(sessions_url)
    session = _session("What was the NEP?")
    store.save(session)
    store.save(session)  # nothing new: no duplicate rows
    _turn(session, "Who was Gapon?")
    store.save(session)
    assert store.message_count(session.id) == 3
    assert store.message_count(session.id, role="user") == 2


def test_many_threads_saving_at_once_lose_nothing(sessions_url):
    store = SessionStore(sessions_url)
    sessions = [_session(f"student {i}") for i in range(20)]
    errors = []

    def save_often(session):
        try:
            for turn in range(10):
                _turn(session, f"turn {turn}")
                store.save(session)
        except Exception as exc:  # collected so the assertion shows it
            errors.append(exc)

    threads = [threading.Thread(target=save_often, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for session in sessions:
        assert len(store.load(session.id).messages) == 21


def test_two_copies_of_one_conversation_keep_both_turns(sessions_url):
    # Two tabs of one conversation, served by two app processes: each read it, then each answers a turn.
    # A store that rewrites the conversation as one document keeps only the last writer's turn.
    first, second = SessionStore(sessions_url), SessionStore(sessions_url)
    session = _session("What was the NEP?")
    first.save(session)
    tab_a, tab_b = first.load(session.id), second.load(session.id)
    _turn(tab_a, "Who was Lenin?")
    tab_a.state["explain"] = {"from": "a"}
    _turn(tab_b, "Who was Trotsky?")
    tab_b.state["explain"] = {"from": "b"}
    assert first.save(tab_a) is True
    assert second.save(tab_b) is False  # its state was read before tab A's write
    stored = first.load(session.id)
    assert [m.content for m in stored.messages if m.role == "user"] == ["What was the NEP?", "Who was Lenin?", "Who was Trotsky?"]
    assert stored.state == {"explain": {"from": "a"}}  # the stale state write was refused
    # Tab B's copy was refreshed: its next turn starts from everything, and saves cleanly.
    assert [m.content for m in tab_b.messages] == [m.content for m in stored.messages]
    _turn(tab_b, "And Stalin?")
    assert second.save(tab_b) is True
    assert first.message_count(session.id, role="user") == 4


def _answer_turns(url: str, session_id: str, name: str, turns: int) -> None:
    """A worker process: answer turns in one conversation, reading it afresh each time as an app process would."""
    store = SessionStore(url)
    for turn in range(turns):
        session = store.load(session_id)
        _turn(session, f"{name} {turn}")
        store.save(session)


def test_two_processes_answering_one_conversation_lose_no_turn(sessions_url):
    store = SessionStore(sessions_url)
    session = _session("opening")
    store.save(session)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_answer_turns, args=(sessions_url, session.id, name, 25)) for name in ("left", "right")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    asked = [m.content for m in store.load(session.id).messages if m.role == "user"]
    assert len(asked) == 51
    for name in ("left", "right"):
        assert [a for a in asked if a.startswith(name)] == [f"{name} {t}" for t in range(25)]


def test_delete_and_export(sessions_url):
    store = SessionStore(sessions_url)
    keep, remove = _session("keep me"), _session("delete me")
    store.save(keep)
    store.save(remove)
    assert store.delete(remove.id) is True
    assert store.delete(remove.id) is False
    assert store.load(remove.id) is None and store.message_count(remove.id) == 0
    assert [c.id for c in store.conversations()] == [keep.id]
    # A learner still on the page after their conversation was deleted goes on; only new turns are stored.
    _turn(remove, "still here")
    store.save(remove)
    assert [m.content for m in store.load(remove.id).messages] == ["still here", "answer to still here"]


def test_prune_deletes_only_conversations_untouched_for_long(sessions_url):
    store = SessionStore(sessions_url)
    old, recent = _session("old"), _session("recent")
    store.save(old)
    store.save(recent)
    engine = sa.create_engine(store.url)
    with engine.begin() as db:
        db.execute(sa.text("UPDATE conversations SET updated = :t WHERE id = :id"), {"t": time.time() - 40 * 86400, "id": old.id})
    engine.dispose()
    assert store.prune(30) == 1
    assert store.load(old.id) is None and store.message_count(old.id) == 0
    assert store.load(recent.id) is not None


def test_an_unreadable_row_loads_as_none(tmp_path):
    store = SessionStore(f"sqlite:///{tmp_path / 's.sqlite3'}")
    session = _session("What was the NEP?")
    store.save(session)
    with sqlite3.connect(tmp_path / "s.sqlite3") as db:
        db.execute("UPDATE conversations SET state = '{not json' WHERE id = ?", (session.id,))
    assert store.load(session.id) is None


def test_a_version_1_file_is_migrated_with_its_conversations(tmp_path):
    session = _session("What was the NEP?")
    _turn(session, "Who was Gapon?")
    with sqlite3.connect(tmp_path / "s.sqlite3") as db:
        db.execute("CREATE TABLE sessions (id TEXT PRIMARY KEY, data TEXT NOT NULL, updated REAL NOT NULL)")
        db.execute("INSERT INTO sessions VALUES (?, ?, ?)", (session.id, session.model_dump_json(), time.time()))
    store = SessionStore(f"sqlite:///{tmp_path / 's.sqlite3'}")
    loaded = store.load(session.id)
    assert [m.content for m in loaded.messages] == [m.content for m in session.messages]
    assert loaded.messages[-1].result.answer == "answer to Who was Gapon?"
    with sqlite3.connect(tmp_path / "s.sqlite3") as db:
        assert db.execute("SELECT version FROM tutor_schema").fetchone() == (VERSION,)
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'sessions'").fetchone() is None


def test_a_newer_schema_is_refused_with_a_clear_message(sessions_url):
    SessionStore(sessions_url).open()
    engine = sa.create_engine(SessionStore(sessions_url).url)
    with engine.begin() as db:
        db.execute(sa.text("UPDATE tutor_schema SET version = :v"), {"v": VERSION + 1})
    engine.dispose()
    with pytest.raises(SessionStoreError, match=f"schema version {VERSION + 1}.*Upgrade the tutor"):
        SessionStore(sessions_url).open()


def test_an_unreachable_server_is_a_clear_message_without_the_password():
    from tests.conftest import free_port

    store = SessionStore(f"postgresql://tutor:secret-pw@127.0.0.1:{free_port()}/school")
    with pytest.raises(SessionStoreError) as caught:
        store.load("anything")
    message = str(caught.value)
    assert "Cannot use the session database at postgresql+psycopg://tutor:***@127.0.0.1" in message
    assert "secret-pw" not in message and "TUTOR_SESSIONS_URL" in message


@pytest.mark.parametrize("url, expected", [("mysql://u@h/db", "SQLite and PostgreSQL"), ("not a url", "not a database URL")])
def test_unsupported_urls_are_clear_messages(url, expected):
    with pytest.raises(SessionStoreError, match=expected):
        SessionStore(url).open()


def test_a_server_restarted_under_the_app_costs_no_turn(postgres):
    store = SessionStore(postgres.new_database())
    session = _session("before the restart")
    store.save(session)
    postgres.stop()
    try:
        with pytest.raises(SessionStoreError):
            store.load(session.id)
    finally:
        postgres.start()
    _turn(session, "after the restart")
    store.save(session)
    assert json.loads(store.load(session.id).model_dump_json())["messages"][-2]["content"] == "after the restart"
