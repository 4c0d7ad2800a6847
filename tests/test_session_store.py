"""The SQLite session store: round trips, many writer threads at once, two processes' stores on one file."""

from __future__ import annotations

import sqlite3
import threading

from tutor.engine import new_session
from tutor.models import Message
from tutor.session_store import SessionStore


def _session(text: str):
    session = new_session()
    session.messages.append(Message(role="user", content=text))
    return session


def test_a_saved_session_loads_back(tmp_path):
    store = SessionStore(tmp_path / "s.sqlite3")
    session = _session("What was the NEP?")
    store.save(session)
    session.messages.append(Message(role="user", content="And War Communism?"))
    store.save(session)
    loaded = store.load(session.id)
    assert loaded is not None and [m.content for m in loaded.messages] == ["What was the NEP?", "And War Communism?"]
    assert store.load("no-such-id") is None


def test_many_threads_saving_at_once_lose_nothing(tmp_path):
    store = SessionStore(tmp_path / "s.sqlite3")
    sessions = [_session(f"student {i}") for i in range(40)]
    errors = []

    def save_often(session):
        try:
            for turn in range(10):
                session.messages.append(Message(role="user", content=f"turn {turn}"))
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
        assert len(store.load(session.id).messages) == 11


def test_a_second_store_on_the_same_file_sees_the_first_ones_writes(tmp_path):
    first, second = SessionStore(tmp_path / "s.sqlite3"), SessionStore(tmp_path / "s.sqlite3")
    session = _session("What was the NEP?")
    first.save(session)
    assert second.load(session.id).messages[0].content == "What was the NEP?"
    session.messages.append(Message(role="user", content="more"))
    first.save(session)
    assert len(second.load(session.id).messages) == 2


def test_an_unreadable_row_loads_as_none(tmp_path):
    store = SessionStore(tmp_path / "s.sqlite3")
    session = _session("What was the NEP?")
    store.save(session)
    with sqlite3.connect(tmp_path / "s.sqlite3") as db:
        db.execute("UPDATE sessions SET data = '{not json' WHERE id = ?", (session.id,))
    assert store.load(session.id) is None
